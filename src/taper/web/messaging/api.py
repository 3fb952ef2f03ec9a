"""`GET/POST /api/patients/{id}/messages`: the patient's thread, for the patient themself
or their clinician (a carer has no API access); anyone else a 404, another role a 403.
Fetching the thread marks the other side's messages read, as the page does."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from taper.web.clinic.api.schemas import Error
from taper.web.clinic.models import Role, User
from taper.web.clinic.views.access import require_role
from taper.web.clinic.views.exports import patient_or_theirs
from taper.web.messaging import services
from taper.web.messaging.models import MAX_LENGTH, Message

router = Router(tags=["messages"])


class MessageIn(Schema):
    body: str = Field(min_length=1, max_length=MAX_LENGTH,
                      description=f"plain text, 1 to {MAX_LENGTH} characters")


class MessageOut(Schema):
    id: int
    patient_id: int
    from_clinic: bool
    author: str  # the author's e-mail address
    body: str
    created_at: datetime
    read_at: datetime | None


def _out(m: Message) -> dict[str, Any]:
    return {"id": m.pk, "patient_id": m.patient_id, "from_clinic": m.from_clinic,
            "author": m.author.email, "body": m.body, "created_at": m.created_at,
            "read_at": m.read_at}


def _fails(*codes: int) -> dict[int, type[Error]]:
    return {code: Error for code in (401, 403, 404, 429, 500, *codes)}


def _thread_patient(request: HttpRequest, patient_id: int) -> Any:
    user: User = request.user  # type: ignore[assignment]
    require_role(user, Role.CLINICIAN, Role.PATIENT)
    patient = patient_or_theirs(user, patient_id)
    if not services.may_use_thread(user, patient):
        raise Http404  # someone planning alone has no clinic thread
    return user, patient


@router.get("/patients/{int:patient_id}/messages", url_name="patient_messages",
            response={200: list[MessageOut], **_fails()},
            summary="The patient's messages with their clinic, oldest first")
def list_messages(request: HttpRequest, patient_id: int) -> Any:
    user, patient = _thread_patient(request, patient_id)
    services.mark_read(patient=patient, reader=user)
    return [_out(m) for m in services.thread(patient)]


@router.post("/patients/{int:patient_id}/messages", url_name="patient_messages",
             response={201: MessageOut, **_fails(422)},
             summary="Write to the other side (the clinic, or the patient); e-mails a notice"
                     " with no content")
def send_message(request: HttpRequest, patient_id: int, payload: MessageIn) -> Any:
    user, patient = _thread_patient(request, patient_id)
    message = services.send_message(patient=patient, author=user, body=payload.body)
    return Status(201, _out(message))
