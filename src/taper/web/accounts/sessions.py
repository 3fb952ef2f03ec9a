"""The database session store, its one read on every page written once as SQL (issue 17).

Django's store builds `Session.objects.get(session_key=…, expire_date__gt=now)` through the
ORM on every request of a signed-in person; the statement is the same each time. Only the
read changes: saving, deleting and clearing expired sessions are Django's own, and a
missing or expired key ends the same way (no key, an empty session). Compared with the ORM
in tests/web/accounts/test_session_read.py, on both databases.
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from taper.web.clinic import lean


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        found = lean.fetch(
            f"SELECT {lean.columns(Session, 's')} FROM django_session s"
            ' WHERE s."session_key" = %s AND s."expire_date" > %s',
            [self.session_key, lean.datetime_param(timezone.now())])
        session = lean.instance(Session, found[0]) if found else None
        if session is None:
            self._session_key = None
        return session
