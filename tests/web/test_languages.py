"""Patient pages in English and Spanish (issue 14.8, docs/web.md "Languages"): the catalogue
has a Spanish msgstr for every msgid the code uses, the language is the patient's choice or
else the browser's, clinicians stay in English, and times follow the language (14.6)."""

from __future__ import annotations

import re
import shutil
from datetime import date, time
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from taper.web.clinic import services
from taper.web.clinic.models import Patient
from taper.web.clinic.wording import clock_words, day_words, long_day_words
from tests.web import factories
from tests.web.conftest import Cast, verify_second_factor

SRC = Path(__file__).resolve().parents[2] / "src" / "taper"
CATALOGUE = SRC / "web" / "locale" / "es" / "LC_MESSAGES" / "django.po"
ENTRY = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$')


def po_entries(path: Path) -> list[dict[str, str]]:
    """Each entry of a .po file: its fields (continuation lines joined) and its flags."""
    entries = []
    for block in path.read_text("utf-8").split("\n\n"):
        entry: dict[str, str] = {"flags": ""}
        field = ""
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] += line[2:]
            elif (m := ENTRY.match(line)) is not None:
                field, entry[m[1]] = m[1], m[2]
            elif line.startswith('"') and field:
                entry[field] += line[1:-1]
        if entry.get("msgid"):
            entries.append(entry)
    return entries


def untranslated(entries: list[dict[str, str]]) -> list[str]:
    return [e["msgid"] for e in entries if "fuzzy" in e["flags"]
            or any(v == "" for k, v in e.items() if k.startswith("msgstr"))]


def as_patient(client: Client, patient: Patient, language: str = "") -> Client:
    patient.language = language
    patient.save(update_fields=["language"])
    client.force_login(patient.user)
    return client


@pytest.mark.hazard("HZ-013")
def test_every_msgid_in_the_code_has_a_spanish_msgstr(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """makemessages (as `make messages` runs it) into a copy of the catalogue: any string
    wrapped in the code or templates without a Spanish translation, or left fuzzy, fails."""
    copy = tmp_path / "locale" / "es" / "LC_MESSAGES"
    copy.mkdir(parents=True)
    shutil.copy(CATALOGUE, copy / "django.po")
    monkeypatch.chdir(SRC)
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command("makemessages", locale=["es"], extensions=["html", "txt", "py"],
                     no_location=True, ignore_patterns=["*/migrations/*"], verbosity=0)
    entries = po_entries(copy / "django.po")
    assert len(entries) > 200 and untranslated(entries) == []
    assert {e["msgid"] for e in entries} == {e["msgid"] for e in po_entries(CATALOGUE)}, \
        "the catalogue is out of date: run `make messages` and commit it"


@pytest.mark.hazard("HZ-013")
def test_the_catalogue_check_fails_on_an_empty_or_fuzzy_translation(tmp_path: Path) -> None:
    po = tmp_path / "django.po"
    po.write_text('msgid ""\nmsgstr ""\n\nmsgid "Today"\nmsgstr "Hoy"\n\n'
                  '#, fuzzy\nmsgid "Back"\nmsgstr "Volver"\n\nmsgid "Save"\nmsgstr ""\n', "utf-8")
    assert untranslated(po_entries(po)) == ["Back", "Save"]


@pytest.mark.hazard("HZ-013")
def test_a_patient_who_chose_spanish_reads_spanish_whatever_the_browser(cast: Cast,
                                                                        client: Client) -> None:
    as_patient(client, cast.patient, "es")
    html = client.get(reverse("today"), HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert '<html lang="es">' in html and "Qué tomar hoy" in html and "What to take" not in html
    assert "comprimido de 20 mg" in html and "al día" in html


@pytest.mark.hazard("HZ-013")
@pytest.mark.parametrize(("header", "lang", "words"), [
    ("es-ES,es;q=0.9", "es", "Registro diario"), ("es-MX", "es", "Registro diario"),
    ("en-US,en;q=0.8", "en", "Check in"), ("fr-FR", "en", "Check in")])
def test_without_a_choice_the_browsers_language_decides(cast: Cast, client: Client, header: str,
                                                        lang: str, words: str) -> None:
    as_patient(client, cast.patient)
    html = client.get(reverse("today"), HTTP_ACCEPT_LANGUAGE=header).content.decode()
    assert f'<html lang="{lang}">' in html and words in html


def test_the_login_page_follows_the_browser_before_anyone_logs_in(client: Client, db: None) -> None:
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="es")
    assert '<html lang="es">' in page.content.decode() and "Entrar" in page.content.decode()
    assert page["Content-Language"] == "es"


def test_clinician_pages_stay_english_in_a_spanish_browser(cast: Cast, client: Client) -> None:
    client.force_login(cast.clinician)
    verify_second_factor(client, cast.clinician)
    html = client.get(reverse("patient_list"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="en">' in html and "Your account" in html and "Su cuenta" not in html


@pytest.mark.hazard("HZ-013")
def test_the_patient_chooses_the_language_on_their_settings_page(cast: Cast,
                                                                 client: Client) -> None:
    as_patient(client, cast.patient)
    page = client.post(reverse("patient_preferences"), {
        "language": "es", "temperature_unit": "C", "dose_alarms": "on"}, follow=True)
    cast.patient.refresh_from_db()
    assert cast.patient.language == "es" and "Guardado." in page.content.decode()
    refused = client.post(reverse("patient_preferences"), {
        "language": "xx", "temperature_unit": "C", "dose_alarms": "on"})
    cast.patient.refresh_from_db()
    assert refused.status_code == 200 and cast.patient.language == "es"
    assert 'data-testid="error-language"' in refused.content.decode()


def test_the_service_refuses_a_language_it_does_not_speak(cast: Cast) -> None:
    with pytest.raises(services.ServiceError) as refused:
        services.set_patient_preferences(patient=cast.patient, actor=cast.patient.user,
                                         language="fr")
    assert refused.value.field == "language"


@pytest.mark.hazard("HZ-014")
def test_a_red_flag_in_spanish_gives_the_same_decision_in_spanish_words(cast: Cast,
                                                                        client: Client) -> None:
    as_patient(client, cast.patient, "es")
    page = client.post(reverse("checkin"), {"red_flag": "seizure"}, follow=True)
    html = page.content.decode()
    decision = cast.patient.decisions.get()
    assert decision.action == "emergency" and '<html lang="es">' in html
    assert "Esto puede ser una urgencia médica" in html and "una convulsión" in html.lower()
    assert "No deje ni cambie el baclofeno por su cuenta" in html and "baclofen " not in html
    assert "Fuente: " in html and "This comes from" not in html  # the "Why?" too
    assert decision.data["message"].startswith("This may be a medical emergency")  # the record
    spanish = decision.data["words"]["es"]
    assert f"{decision.data['daily_mg']} mg al día" in spanish["message"]
    assert [b["source"] for b in spanish["basis"]] == [b["source"] for b in decision.data["basis"]]


def test_a_decision_from_before_the_translation_falls_back_to_its_english(cast: Cast,
                                                                          client: Client) -> None:
    decision = factories.worse_after_a_cut(cast.patient)
    decision.data.pop("words")
    decision.save(update_fields=["data"])
    as_patient(client, cast.patient, "es")
    html = client.get(reverse("decision_detail", args=[decision.pk])).content.decode()
    assert decision.data["message"].split(".")[0] in html and "¿Por qué?" in html


@pytest.mark.hazard("HZ-015")
@pytest.mark.parametrize(("at", "en", "es"), [
    (time(0, 0), "12:00 am", "00:00"), (time(0, 30), "12:30 am", "00:30"),
    (time(11, 59), "11:59 am", "11:59"), (time(12, 0), "12:00 pm", "12:00"),
    (time(14, 0), "2:00 pm", "14:00"), (time(23, 5), "11:05 pm", "23:05")])
def test_english_reads_a_12_hour_clock_and_spanish_a_24_hour_one(at: time, en: str,
                                                                 es: str) -> None:
    with translation.override("en"):
        assert clock_words(at) == en
    with translation.override("es"):
        assert clock_words(at) == es


def test_dates_are_in_words_in_each_language() -> None:
    day = date(2026, 12, 11)
    with translation.override("en"):
        assert (day_words(day), long_day_words(day)) == ("Fri 11 Dec", "Friday 11 December 2026")
    with translation.override("es"):
        assert (day_words(day), long_day_words(day)) == ("vie 11 dic",
                                                         "viernes 11 de diciembre de 2026")


@pytest.mark.hazard("HZ-015")
def test_today_gives_dose_times_in_the_patients_clock(cast: Cast, client: Client) -> None:
    as_patient(client, cast.patient, "es")
    spanish = client.get(reverse("today")).content.decode()
    as_patient(client, cast.patient, "en")
    english = client.get(reverse("today")).content.decode()
    assert '<span class="dose-time">14:00</span>' in spanish
    assert '<span class="dose-time">2:00 pm</span>' in english


def test_the_password_reset_email_is_in_the_browsers_language(cast: Cast, client: Client) -> None:
    client.post(reverse("password_reset"), {"email": cast.patient.user.email},
                HTTP_ACCEPT_LANGUAGE="es")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Elija una contraseña nueva para Taper"
    assert "Si no fue usted" in mail.outbox[0].body


@pytest.mark.hazard("HZ-013")
def test_the_plan_page_reads_spanish_for_a_spanish_patient(cast: Cast, client: Client) -> None:
    as_patient(client, cast.patient, "es")
    html = client.get(reverse("plan_detail", args=[cast.plan.pk])).content.decode()
    assert "Dosis a dosis, paso a paso" in html and "comprimido de 20 mg" in html
    assert '<th scope="col">14:00</th>' in html and "tablet" not in html


@pytest.mark.hazard("HZ-013")
@pytest.mark.parametrize(("language", "words"), [
    ("es", "Revise la temperatura y escríbala otra vez"), ("en", "must be a number")])
def test_a_refused_check_in_answer_is_explained_in_the_patients_language(
        cast: Cast, client: Client, language: str, words: str) -> None:
    from tests.web.test_views_patient import checkin_post

    as_patient(client, cast.patient, language)
    page = client.post(reverse("checkin"), checkin_post(temperature="very hot", doses_all="yes"))
    assert page.status_code == 400 and words in page.content.decode()
    assert not cast.patient.checkins.filter(date=factories.today_of(cast.patient)).exists()


def test_serve_compiles_a_stale_catalogue_or_warns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from taper.cli.web import _compile_translations

    folder = tmp_path / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copy(CATALOGUE, folder / "django.po")
    _compile_translations([tmp_path])
    assert (folder / "django.mo").stat().st_size > 1000
    (folder / "django.mo").unlink()
    monkeypatch.setattr(shutil, "which", lambda name: None)
    _compile_translations([tmp_path])
    assert "es pages stay English" in capsys.readouterr().err and not (folder / "django.mo").exists()
