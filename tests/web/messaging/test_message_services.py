"""Writing, reading and counting messages; who may take part; the notice says nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from taper.web.clinic.engine import ServiceError
from taper.web.clinic.models import AuditEvent
from taper.web.messaging import services
from taper.web.messaging.models import MAX_LENGTH
from tests.web.carers.factories import linked_carer
from tests.web.conftest import Cast


@pytest.mark.parametrize(("length", "ok"), [(1, True), (MAX_LENGTH, True),
                                             (MAX_LENGTH + 1, False), (0, False)])
def test_a_message_is_one_to_two_thousand_characters(cast: Cast, length: int, ok: bool) -> None:
    body = "a" * length
    if ok:
        assert services.send_message(patient=cast.patient, author=cast.patient.user,
                                     body=body).body == body
    else:
        with pytest.raises(ServiceError) as refused:
            services.send_message(patient=cast.patient, author=cast.patient.user, body=body)
        assert refused.value.field == "body"


def test_unread_counts_are_per_side_and_reading_clears_them(cast: Cast) -> None:
    services.send_message(patient=cast.patient, author=cast.patient.user, body="Dizzy today")
    services.send_message(patient=cast.other_patient, author=cast.other_patient.user, body="Hi")
    assert services.unread_for_clinician(cast.clinician) == 2
    assert services.unread_for_clinician(cast.other_clinician) == 0
    assert services.unread_for_patient(cast.patient) == 0
    assert services.mark_read(patient=cast.patient, reader=cast.patient.user) == 0  # own
    assert services.mark_read(patient=cast.patient, reader=cast.clinician) == 1
    assert services.unread_for_clinician(cast.clinician) == 1
    services.send_message(patient=cast.patient, author=cast.clinician, body="Stay at 50 mg")
    assert services.unread_for_patient(cast.patient) == 1


@pytest.mark.hazard("HZ-197")
def test_only_the_patient_their_clinician_and_an_allowed_carer_take_part(cast: Cast) -> None:
    silent, _ = linked_carer(cast.patient)
    allowed, _ = linked_carer(cast.patient, "jo@example.org", "Jo", may_message=True)
    for stranger in (cast.other_clinician, cast.other_patient.user, cast.admin, silent):
        with pytest.raises(ServiceError):
            services.send_message(patient=cast.patient, author=stranger, body="hello")
    message = services.send_message(patient=cast.patient, author=allowed, body="For Sam")
    assert not message.from_clinic


def test_someone_planning_alone_has_no_thread(cast: Cast) -> None:
    cast.patient.clinician = None  # as a self-registered record has it
    assert not services.may_use_thread(cast.patient.user, cast.patient)


@pytest.mark.hazard("HZ-193")
def test_the_email_notice_holds_no_content(cast: Cast,
                                           django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.send_message(patient=cast.patient, author=cast.patient.user,
                              body="My hallucinations are back")
        services.send_message(patient=cast.patient, author=cast.clinician, body="Call us")
    to_clinic, to_patient = mail.outbox[-2:]
    assert to_clinic.to == [cast.clinician.email] and to_patient.to == [cast.patient.user.email]
    for sent in (to_clinic, to_patient):
        assert sent.subject == "You have a new message in Taper"
        text = sent.subject + sent.body
        for secret in ("hallucinations", "Call us", cast.patient.name, "baclofen"):
            assert secret not in text
    assert "https://taper.example.org/messages/" in to_patient.body


def test_who_wrote_and_who_read_are_audited(cast: Cast) -> None:
    message = services.send_message(patient=cast.patient, author=cast.patient.user, body="Hi")
    services.mark_read(patient=cast.patient, reader=cast.clinician)
    message.refresh_from_db()
    assert message.read_by == cast.clinician and message.read_at is not None
    rows = AuditEvent.objects.filter(record_type="message", patient_id=cast.patient.pk)
    assert {(r.event, r.actor_id) for r in rows} == {
        ("send_message", cast.patient.user.pk), ("read_messages", cast.clinician.pk)}


def test_the_inbox_puts_unread_threads_first(cast: Cast) -> None:
    services.send_message(patient=cast.patient, author=cast.patient.user, body="first")
    services.send_message(patient=cast.other_patient, author=cast.other_patient.user, body="x")
    services.mark_read(patient=cast.other_patient, reader=cast.clinician)
    rows = services.inbox(cast.clinician)
    assert [(r.patient_id, r.unread) for r in rows] == [(cast.patient.pk, 1),
                                                       (cast.other_patient.pk, 0)]
