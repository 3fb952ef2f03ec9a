"""Messages are kept with the record: the whole-record export holds each one."""

from __future__ import annotations

import json

from django.test import Client
from django.utils import timezone

from taper.exports.record.checks import check
from taper.web.messaging import services
from taper.web.records.gather import patient_record
from tests.web.apiclient import call, token_for
from tests.web.conftest import Cast


def test_the_record_export_holds_every_message_with_who_and_when_read(cast: Cast,
                                                                      client: Client) -> None:
    services.send_message(patient=cast.patient, author=cast.patient.user, body="Dizzy <b>")
    services.mark_read(patient=cast.patient, reader=cast.clinician)
    services.send_message(patient=cast.patient, author=cast.clinician, body="Stay on 50 mg")
    services.send_message(patient=cast.other_patient, author=cast.other_patient.user, body="Kim")
    record = patient_record(cast.patient, timezone.now())
    assert [(m.author, m.body, m.read_at is not None) for m in record.messages] == [
        (cast.patient.user.email, "Dizzy <b>", True), (cast.clinician.email, "Stay on 50 mg", False)]
    answer = call(client, "get", f"/api/patients/{cast.patient.pk}/record",
                  token_for(cast.clinician))
    bundle = json.loads(answer.content)
    check(bundle)
    texts = [r["payload"][0]["contentString"] for r in (e["resource"] for e in bundle["entry"])
             if r["resourceType"] == "Communication" and "Secure message" in r["category"][0]["text"]]
    assert texts == ["Dizzy <b>", "Stay on 50 mg"]
