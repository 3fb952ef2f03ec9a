"""Messages and carer links are part of the record: they count as activity, as check-ins
do, and a purge deletes them with the rest (records/retention.py)."""

from __future__ import annotations

from datetime import timedelta

from taper.web.carers.models import CarerLink
from taper.web.clinic import services
from taper.web.messaging import services as messages
from taper.web.messaging.models import Message
from taper.web.records import retention
from tests.web import factories
from tests.web.carers.factories import linked_carer
from tests.web.conftest import Cast

DAYS = 365


def test_a_message_is_activity_and_a_purge_deletes_messages_and_carer_links(cast: Cast) -> None:
    sam = cast.patient
    factories.week_of_checkins(sam, 2)
    services.stop_plan(version=cast.plan, actor=cast.clinician, reason="Moved clinic.")
    before = retention.last_activity(sam)
    assert before is not None
    linked_carer(sam)
    later = before + timedelta(days=30)
    messages.send_message(patient=sam, author=sam.user, body="Thank you", at=later)
    assert retention.last_activity(sam) == later  # the record's life went on
    assert retention.due(before + timedelta(days=DAYS), DAYS) == []
    run = retention.purge(at=later + timedelta(days=DAYS), days=DAYS)
    assert run.patient_ids == [sam.pk]
    assert run.counts["message"] == 1 and run.counts["carer_link"] == 1
    assert not Message.objects.filter(patient_id=sam.pk).exists()
    assert not CarerLink.objects.filter(patient_id=sam.pk).exists()
