"""Issue 15.1-15.2: the clinician's decision page, one "needs attention" everywhere, a
suggestion applied once, the desk's counts, filters and urgency styles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from taper.web.clinic import services
from taper.web.clinic.models import AuditEvent, Decision
from taper.web.clinic.services.desk import KINDS
from tests.web import factories
from tests.web.conftest import Cast

CSS = Path(__file__).resolve().parents[2] / "src/taper/web/clinic/static/taper/app.css"


def _red_flag(cast: Cast) -> Decision:
    today = factories.today_of(cast.patient)
    return services.record_checkin(patient=cast.patient, entered_by=cast.patient.user,
                                   data=factories.quiet_checkin(today, heart_rate=150,
                                                                temperature_c="37.2"))


def _places(client: Client, cast: Cast) -> tuple[str, str, str]:
    return (client.get("/desk/").content.decode(), client.get("/patients/").content.decode(),
            client.get(f"/patients/{cast.patient.pk}/").content.decode())


@pytest.mark.hazard("HZ-159")
def test_the_clinicians_decision_page_names_the_patient_and_what_happened(
        cast: Cast, client: Client) -> None:
    red = _red_flag(cast)
    client.force_login(cast.clinician)
    page = client.get(f"/decisions/{red.pk}/").content.decode()
    assert f'href="/patients/{cast.patient.pk}/"' in page and cast.patient.name in page
    assert "Red flag: emergency" in page and 'data-testid="emergency"' not in page
    readings = page[page.index('data-testid="readings"'):page.index("</dl>")]
    assert "Heart rate</dt><dd>150 beats a minute" in readings
    assert "Temperature</dt><dd>37.2 °C" in readings
    assert "Source: " in page and "[source:" not in page  # sources named by their title
    assert f'id="acknowledge-{red.pk}"' in page


def test_symptoms_are_named_with_their_grade(cast: Cast, client: Client) -> None:
    decision = factories.worse_after_a_cut(cast.patient)
    client.force_login(cast.clinician)
    page = client.get(f"/decisions/{decision.pk}/").content.decode()
    assert re.search(r"<dt>[^<]*nx[^<]*</dt><dd>grade 3 \(severe\)</dd>", page, re.I)
    assert "New plan: " in page  # each suggestion with its preview in a line
    assert "CONTACT_PRESCRIBER" not in page


def test_the_patient_still_sees_their_own_words(cast: Cast, client: Client) -> None:
    red = _red_flag(cast)
    client.force_login(cast.patient.user)
    page = client.get(f"/decisions/{red.pk}/").content.decode()
    assert 'data-testid="emergency"' in page and 'data-testid="readings"' not in page


@pytest.mark.hazard("HZ-159")
def test_after_acknowledge_the_desk_the_list_and_the_patient_page_agree(
        cast: Cast, client: Client) -> None:
    red = _red_flag(cast)
    client.force_login(cast.clinician)
    desk, listing, patient = _places(client, cast)
    assert f"row-red_flag-{cast.patient.pk}" in desk
    assert f'data-testid="needs-{cast.patient.pk}"' in listing
    assert 'data-testid="patient-flag"' in patient
    response = client.post(f"/decisions/{red.pk}/acknowledge/", {"next": "decision"})
    assert response["Location"] == f"/decisions/{red.pk}/"
    desk, listing, patient = _places(client, cast)
    assert f"row-red_flag-{cast.patient.pk}" not in desk
    assert f'data-testid="needs-{cast.patient.pk}"' not in listing
    assert 'data-testid="patient-flag"' not in patient
    page = client.get(f"/decisions/{red.pk}/").content.decode()
    assert 'data-testid="acknowledged"' in page and f'id="acknowledge-{red.pk}"' not in page


@pytest.mark.hazard("HZ-159")
def test_acknowledging_takes_earlier_ones_of_the_same_action_only(cast: Cast) -> None:
    first = _red_flag(cast)
    second = _red_flag(cast)  # an amendment of the same day: a second red flag
    services.acknowledge_decision(decision=second, clinician=cast.clinician)
    first.refresh_from_db()
    assert first.acknowledged_at is not None  # the desk's row (count 2) clears at once
    hold = factories.worse_after_a_cut(cast.other_patient)
    red = services.record_checkin(
        patient=cast.other_patient, entered_by=cast.other_patient.user,
        data=factories.quiet_checkin(factories.today_of(cast.other_patient), heart_rate=150))
    services.acknowledge_decision(decision=red, clinician=cast.clinician)
    hold.refresh_from_db()
    assert hold.acknowledged_at is None  # another action: still on the desk


@pytest.mark.hazard("HZ-158")
def test_an_applied_suggestion_is_shown_applied_and_never_offered_again(
        cast: Cast, client: Client) -> None:
    decision = factories.worse_after_a_cut(cast.patient)
    client.force_login(cast.clinician)
    assert 'id="apply-return_to_dose-0"' in client.get(f"/decisions/{decision.pk}/").content.decode()
    response = client.post(f"/decisions/{decision.pk}/apply/slower_pace/", {"option": "0"})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.applied_kind == "slower_pace" and decision.applied_option == 0
    assert decision.acknowledged_by == cast.clinician  # acting on it is acknowledging it
    page = client.get(f"/decisions/{decision.pk}/").content.decode()
    assert 'data-testid="applied"' in page and 'id="apply-' not in page
    assert f"approved by {cast.clinician.email}" in page
    patient_page = client.get(f"/patients/{cast.patient.pk}/").content.decode()
    assert 'id="apply-' not in patient_page and f'data-testid="applied-{decision.pk}"' in patient_page
    again = client.get(f"/decisions/{decision.pk}/apply/return_to_dose/?option=0")
    assert again.status_code == 302 and again["Location"] == f"/decisions/{decision.pk}/"
    with pytest.raises(services.ServiceError, match="already been applied"):
        services.apply_suggestion(decision=decision, clinician=cast.clinician,
                                  kind="return_to_dose")
    assert AuditEvent.objects.filter(event="apply_suggestion").count() == 1


def test_the_desk_counts_each_kind(cast: Cast, client: Client) -> None:
    _red_flag(cast)
    client.force_login(cast.clinician)
    page = client.get("/desk/").content.decode()
    assert re.search(r'data-testid="count-red_flag"><span class="count-n">1</span>', page)
    assert re.search(r'data-testid="count-hold"><span class="count-n">0</span>', page)


@pytest.mark.hazard("HZ-160")
@pytest.mark.parametrize("query,status", [
    ("", 200), ("?show=red_flag", 200), ("?show=hold", 200), ("?show=missed_checkin", 200),
    ("?show=unacknowledged", 200), ("?show=holds", 400), ("?show=" + "x" * 5000, 400),
    ("?show=hold&show=red_flag", 400), ("?show=hold&page=2", 400)])
def test_the_desk_filters_are_a_fixed_list(cast: Cast, client: Client, query: str,
                                           status: int) -> None:
    _red_flag(cast)
    client.force_login(cast.clinician)
    response = client.get("/desk/" + query)
    assert response.status_code == status
    page = response.content.decode()
    assert ('data-testid="filter-error"' in page) == (status == 400)
    # The counts always cover everything, so a filter never hides that a red flag exists.
    assert re.search(r'data-testid="count-red_flag"><span class="count-n">1</span>', page)


@pytest.mark.hazard("HZ-160")
def test_a_filter_shows_only_its_kind(cast: Cast, client: Client) -> None:
    _red_flag(cast)
    hold = factories.worse_after_a_cut(cast.other_patient)
    client.force_login(cast.clinician)
    held = client.get("/desk/?show=unacknowledged").content.decode()
    assert f"row-red_flag-{cast.patient.pk}" in held and f"ack-{hold.pk}" in held
    assert "row-missed_checkin" not in held
    flags = client.get("/desk/?show=red_flag").content.decode()
    assert f"row-red_flag-{cast.patient.pk}" in flags and f"ack-{hold.pk}" not in flags


@pytest.mark.hazard("HZ-161")
def test_every_desk_kind_has_its_style(cast: Cast, client: Client) -> None:
    css = CSS.read_text("utf-8")
    for kind in KINDS:
        assert re.search(rf"\.kind-{kind}\b[^{{]*\{{", css), kind
        assert f"tr.attention-{kind}" in css, kind
    assert re.search(r"\.kind-red_flag[^{]*\{[^}]*color: var\(--red\)", css)
    _red_flag(cast)
    client.force_login(cast.clinician)
    assert 'class="kind kind-red_flag"' in client.get("/desk/").content.decode()


@pytest.mark.hazard("HZ-159")
def test_a_red_flag_symptom_reads_as_a_red_flag_never_a_mild_grade(cast: Cast,
                                                                   client: Client) -> None:
    today = factories.today_of(cast.patient)
    red = services.record_checkin(patient=cast.patient, entered_by=cast.patient.user,
                                  data=factories.quiet_checkin(today, symptoms={"seizure": 1}))
    client.force_login(cast.clinician)
    page = client.get(f"/decisions/{red.pk}/").content.decode()
    assert re.search(r"<dt>A seizure[^<]*</dt><dd>yes: a red flag</dd>", page)
    assert "grade 1 (mild)" not in page
    desk = client.get("/desk/").content.decode()
    assert "red_flag_symptom" not in desk and "EMERGENCY:" not in desk


def test_the_desk_asks_for_the_clinics_phone_until_it_is_set(cast: Cast, client: Client) -> None:
    client.force_login(cast.clinician)
    assert 'data-testid="no-clinic-phone"' in client.get("/desk/").content.decode()
    services.set_clinic_contact(clinician=cast.clinician, name="Riverside", phone="+44 20 7946 0000",
                                hours="")
    assert 'data-testid="no-clinic-phone"' not in client.get("/desk/").content.decode()
