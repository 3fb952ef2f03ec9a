"""The audit trail: who did what to which record, when and from where (issue 5).

Rows come from three places only, so coverage is systematic: the middleware (one row per
request to a named URL, by the table in `rules`), the `audited` decorator on every service
that changes state (in the service's own transaction: no change without its row), and the
login signals. `AuditEvent` refuses updates and deletes; PostgreSQL refuses them too.
"""

from taper.web.clinic.audit.trail import audited, record, recorded_changes

__all__ = ["audited", "record", "recorded_changes"]
