"""On login, a person planning alone hears of a clinician's request to follow their taper."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.translation import gettext as _


@receiver(user_logged_in, dispatch_uid="staff_link_request_notice")
def tell_of_link_requests(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from taper.web.staff.services import pending_for

    if request is None or getattr(user, "role", "") != "patient":
        return
    if pending_for(user).exists():
        messages.info(request, _("A clinician has asked to follow your taper: see “Your "
                                 "clinician” on your account page to accept or decline."),
                      fail_silently=True)
