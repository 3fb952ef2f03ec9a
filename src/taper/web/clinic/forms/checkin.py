"""The daily check-in: the drug's symptom catalogue grouped by domain, severity 0–3 each.

The form only carries what was entered; the monitoring engine's parser validates it, and
its field paths ("symptoms.anxiety", "temperature_c") come back next to the right field.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django import forms

from taper.core.monitoring.rulebook import MonitoringRules
from taper.core.monitoring.symptoms import DOMAINS
from taper.web.clinic.forms.fields import note as note_field
from taper.web.clinic.forms.fields import text

DOMAIN_TITLES = {"physical": "Body", "psychological": "Mood and mind",
                 "cognitive": "Thinking and memory", "sleep": "Sleep"}


class CheckInForm(forms.Form):
    spasticity = forms.ChoiceField(
        label="Stiffness and spasms today (0 none, 10 the worst)", widget=forms.RadioSelect,
        choices=[(str(i), str(i)) for i in range(11)], required=False)
    sleep_quality = forms.ChoiceField(
        label="How well did you sleep last night? (0 terrible, 10 excellent)",
        widget=forms.RadioSelect, choices=[(str(i), str(i)) for i in range(11)], required=False)
    temperature = text("Temperature (optional)", inputmode="decimal")
    temperature_unit = forms.ChoiceField(label="Unit", choices=[("C", "°C"), ("F", "°F")],
                                         initial="C", widget=forms.RadioSelect, required=False)
    heart_rate = text("Heart rate, beats a minute (optional)", inputmode="numeric")
    note = note_field("Anything else? (optional)")

    def __init__(self, *args: Any, rules: MonitoringRules, due: tuple[time, ...] = (),
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rules = rules
        # Only the dose times already due: a dose not yet due is neither taken nor missed.
        self.due = due
        if due:
            self.fields["doses_taken"] = forms.MultipleChoiceField(
                label="Which of today's doses have you taken?", required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[(t.strftime("%H:%M"), t.strftime("%H:%M")) for t in due])
        levels = [(str(i), label.capitalize()) for i, label in enumerate(rules.severity_labels)]
        for symptom in rules.symptoms:
            self.fields[f"symptom_{symptom.id}"] = forms.ChoiceField(
                label=symptom.wording, choices=levels, initial="0", widget=forms.RadioSelect)

    def domains(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        """(domain, its heading, its symptom fields) in the catalogue's order."""
        return [(d, DOMAIN_TITLES[d], [self[f"symptom_{s.id}"] for s in self.rules.symptoms
                                       if s.domain == d])
                for d in DOMAINS if any(s.domain == d for s in self.rules.symptoms)]

    def checkin_data(self, day: date) -> dict[str, Any]:
        """The check-in as the engine's contract has it, exactly as entered."""
        d = self.cleaned_data
        data: dict[str, Any] = {"date": day.isoformat(), "symptoms": {
            s.id: int(d[f"symptom_{s.id}"]) for s in self.rules.symptoms}}
        for name in ("spasticity", "sleep_quality"):
            if d.get(name) not in (None, ""):
                data[name] = int(d[name])
        if d.get("temperature"):
            if d.get("temperature_unit") == "F":
                data["temperature"] = {"value": d["temperature"], "unit": "F"}
            else:
                data["temperature_c"] = d["temperature"]
        if d.get("heart_rate"):
            data["heart_rate"] = d["heart_rate"]
        if d.get("note"):
            data["note"] = d["note"]
        if self.due:
            data["doses_taken"] = sorted(d.get("doses_taken") or [])
            data["doses_due"] = [t.strftime("%H:%M") for t in self.due]
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
        self.add_error(field if field in self.fields else None, message)
