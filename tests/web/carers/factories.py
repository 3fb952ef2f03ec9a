"""A carer linked to a patient, through the services (the patient invites, the carer accepts)."""

from __future__ import annotations

from taper.web.carers import services
from taper.web.carers.models import CarerLink
from taper.web.clinic.models import Patient, User
from tests.web.factories import PASSWORD


def linked_carer(patient: Patient, email: str = "alex@example.org", name: str = "Alex Patel",
                 may_message: bool = False) -> tuple[User, CarerLink]:
    link, token = services.invite_carer(patient=patient, actor=patient.user, name=name,
                                        email=email, may_message=may_message)
    carer = services.accept_invitation(token=token, password=PASSWORD)
    link.refresh_from_db()
    carer.refresh_from_db()
    return carer, link
