"""`django-admin sendreminders`: the same as `taper sendreminders` (for a Django-style cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from taper.web.reminders.sending import send_due_reminders


class Command(BaseCommand):
    help = "E-mail patients the reminders due now, each once (run every few minutes)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(send_due_reminders().line())
