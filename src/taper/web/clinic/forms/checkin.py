"""The daily check-in on a phone (issue 14.1): the red flags first (their own screen, see the
view), then "Any new or worse symptoms?", then the doses; the details only after a yes.

The form carries what was entered; the monitoring engine's parser validates it, and its
field paths ("symptoms.anxiety", "temperature_c") come back next to the right field. The
two 0-10 scales are shown good on the left and bad on the right; sleep is stored as its
scale has it (0 terrible, 10 excellent), so its choices are listed from 10 down to 0 and
each choice's value is the stored number (HZ-184): nothing is converted after the post.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from taper.core.monitoring.questions import CheckInQuestions
from taper.core.monitoring.rulebook import MonitoringRules
from taper.core.monitoring.symptoms import DOMAINS, MILD
from taper.web.clinic.forms.fields import note as note_field
from taper.web.clinic.forms.fields import text
from taper.web.clinic.wording import clock_words, page_language, times_words

DOMAIN_TITLES = {"physical": gettext_lazy("Body"), "psychological": gettext_lazy("Mood and mind"),
                 "cognitive": gettext_lazy("Thinking and memory"), "sleep": gettext_lazy("Sleep")}
FIRST_ANSWER = gettext_lazy("Answer the first question: do you have any of the warning signs now?")
SECOND_ANSWER = gettext_lazy("Answer this question: choose No or Yes.")
DOSES_ANSWER = gettext_lazy("Answer this question: choose whether you have taken all of them.")


def _radios(label: Any, choices: list[tuple[str, Any]], message: Any = "",
            required: bool = False) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect,
                             required=required, error_messages={"required": message})


class CheckInForm(forms.Form):
    red_flags = forms.ChoiceField(choices=[("none", "none")], widget=forms.HiddenInput,
                                  error_messages={"required": FIRST_ANSWER,
                                                  "invalid_choice": FIRST_ANSWER})
    new_or_worse = _radios(gettext_lazy("Any new or worse symptoms since yesterday?"),
                           [("no", gettext_lazy("No")), ("yes", gettext_lazy("Yes"))],
                           SECOND_ANSWER, required=True)
    details_shown = forms.BooleanField(widget=forms.HiddenInput, required=False)
    doses_shown = forms.BooleanField(widget=forms.HiddenInput, required=False)
    heart_rate = text(gettext_lazy("Heart rate, beats a minute (optional)"), inputmode="numeric")
    note = note_field(gettext_lazy("Anything else? (optional)"))

    def __init__(self, *args: Any, rules: MonitoringRules, questions: CheckInQuestions,
                 due: tuple[time, ...] = (), unit: str = "C", since: str = "since yesterday",
                 carried: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rules, self.due, self.unit = rules, due, unit
        # "No" keeps the last check-in's ratings: nothing new or worse is not "all gone".
        self.carried = carried or {}
        self.fields["new_or_worse"].label = _("Any new or worse symptoms %(since)s?") % {
            "since": since}
        # Only the dose times already due: a dose not yet due is neither taken nor missed.
        if due:
            self.fields["doses_all"] = _radios(
                _("Have you taken today's doses so far (%(times)s)?") % {
                    "times": times_words(list(due))},
                [("yes", _("Yes, all of them")), ("no", _("Not all of them"))], DOSES_ANSWER,
                required=True)
            self.fields["doses_taken"] = forms.MultipleChoiceField(
                label=_("Which ones have you taken?"), required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[(t.strftime("%H:%M"), clock_words(t)) for t in due])
        levels = [(str(i), label.capitalize()) for i, label in enumerate(rules.severity_labels)]
        for symptom in rules.symptoms:
            # A symptom that is a red flag at any level is asked yes or no, never graded.
            yes_no = symptom.red_flag_from == MILD
            self.fields[f"symptom_{symptom.id}"] = forms.ChoiceField(
                label=symptom.wording, widget=forms.RadioSelect, required=False,
                choices=[("0", _("No")), ("1", _("Yes"))] if yes_no else levels)
        left, right = questions.scale_words["spasticity"]
        self.fields["spasticity"] = _radios(
            _("Stiffness and spasms today, from %(left)s to %(right)s") % {
                "left": left.lower(), "right": right.lower()},
            [(str(i), str(i)) for i in range(11)])
        left, right = questions.scale_words["sleep_quality"]
        self.fields["sleep_quality"] = _radios(
            _("Your sleep last night, from %(left)s to %(right)s") % {
                "left": left.lower(), "right": right.lower()},
            [(str(10 - i), str(i)) for i in range(11)])  # value: the stored 0-10, 10 excellent
        self.scale_ends = questions.scale_words
        self.fields["temperature"] = text(_("Temperature in °%(unit)s (optional)") % {
            "unit": unit}, inputmode="decimal")
        self.order_fields(["red_flags", "new_or_worse", "doses_all", "doses_taken"])

    def domains(self) -> list[tuple[str, str, list[forms.BoundField], bool]]:
        """(domain, its heading, its symptom fields, open) in the catalogue's order."""
        rows: list[tuple[str, str, list[forms.BoundField], bool]] = []
        for d in DOMAINS:
            ids = [s.id for s in self.rules.symptoms if s.domain == d]
            if ids:
                fields = [self[f"symptom_{i}"] for i in ids]
                rows.append((d, str(DOMAIN_TITLES[d]), fields,
                             any(str(f.value() or "0") != "0" for f in fields)))
        return rows

    def needs_details(self) -> bool:
        """A yes (or "not all" doses) whose follow-up questions were not yet on the page."""
        d = self.cleaned_data
        return ((d.get("new_or_worse") == "yes" and not d.get("details_shown"))
                or (d.get("doses_all") == "no" and not d.get("doses_shown")))

    def checkin_data(self, day: date) -> dict[str, Any]:
        """The check-in as the engine's contract has it, exactly as entered."""
        d = self.cleaned_data
        carried = self.carried.get("symptoms", {})
        if d["new_or_worse"] == "no":
            data: dict[str, Any] = {"date": day.isoformat(), "symptoms": dict(carried)}
            if self.carried.get("spasticity") is not None:
                data["spasticity"] = self.carried["spasticity"]
        else:
            data = {"date": day.isoformat(), "symptoms": {
                s.id: int(d.get(f"symptom_{s.id}") or carried.get(s.id, 0))
                for s in self.rules.symptoms}}
            for name in ("spasticity", "sleep_quality"):
                if d.get(name) not in (None, ""):
                    data[name] = int(d[name])
            if d.get("temperature"):
                if self.unit == "F":
                    data["temperature"] = {"value": d["temperature"], "unit": "F"}
                else:
                    data["temperature_c"] = d["temperature"]
            if d.get("heart_rate"):
                data["heart_rate"] = d["heart_rate"]
            if d.get("note"):
                data["note"] = d["note"]
        if self.due:
            every = [t.strftime("%H:%M") for t in self.due]
            data["doses_taken"] = every if d.get("doses_all") == "yes" else sorted(
                d.get("doses_taken") or [])
            data["doses_due"] = every
        return data

    def add_engine_error(self, path: str, message: str) -> None:
        if path.startswith("doses_"):
            path = "doses_taken"
        if path.startswith("symptoms."):
            field: str | None = "symptom_" + path.removeprefix("symptoms.")
        elif path.startswith("temperature"):
            field = "temperature"
        else:
            field = path if path in self.fields else None
        field = field if field in self.fields else None
        if page_language() != "en":  # the engine's words are English: say it in the page's
            message = str(ENGINE_ERRORS.get(field or "", ENGINE_ERRORS[""]))
        self.add_error(field, message)


# What a refused answer means, in the page's language, where the engine's own English
# message (naming the field and the accepted values) cannot be shown as it is.
ENGINE_ERRORS = {
    "temperature": gettext_lazy("Check the temperature and type it again as a number, "
                                "such as 37.2."),
    "heart_rate": gettext_lazy("Check the heart rate and type it again as a number of beats "
                               "a minute, such as 72."),
    "note": gettext_lazy("The note is too long, or holds a character that cannot be kept."),
    "doses_taken": gettext_lazy("Choose only doses whose time has come."),
    "": gettext_lazy("This check-in could not be saved: please check your answers."),
}
