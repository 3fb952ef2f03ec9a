"""`manage.py grant_app_role ROLE`: give the application's PostgreSQL role what it needs and
no more (issue 16; docs/web.md "Two database roles"). Run as the owner, after every migrate.

The app role reads and writes the clinic's tables, but may only INSERT and SELECT the audit
trail: it cannot UPDATE, DELETE or TRUNCATE a row, and, not owning the table, it cannot
ALTER it or switch its append-only trigger off. It may read but not write the migration
record, so it cannot pretend a migration ran.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

AUDIT_TABLE = "clinic_auditevent"


class Command(BaseCommand):
    help = "Grant the application's PostgreSQL role its privileges (INSERT/SELECT only on the audit trail)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="the role the application connects as (e.g. taper_app)")

    def handle(self, *args: Any, role: str, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("grant_app_role: PostgreSQL only (SQLite has no roles;"
                               " keep the database file readable by the application's user only)")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s", [role])
            found = cursor.fetchone()
            if found is None:
                raise CommandError(f"role: {role!r} does not exist; create it first"
                                   f" (CREATE ROLE {role} LOGIN)")
            if found[0] or found[1]:
                raise CommandError(f"role: {role!r} is a superuser; the application's role must not be")
            cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = %s", [AUDIT_TABLE])
            owner = cursor.fetchone()
            if owner is None:
                raise CommandError("the audit table does not exist yet: run migrate first")
            if owner[0] == role:
                raise CommandError(f"role: {role!r} owns the audit table; the application must "
                                   "connect as another role than the one that runs migrations")
            name = connection.ops.quote_name(role)
            db = connection.ops.quote_name(connection.settings_dict["NAME"])
            for sql in (
                f"GRANT CONNECT ON DATABASE {db} TO {name}",
                f"GRANT USAGE ON SCHEMA public TO {name}",
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {name}",
                f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {name}",
                f"REVOKE ALL ON {AUDIT_TABLE} FROM {name}",
                f"GRANT SELECT, INSERT ON {AUDIT_TABLE} TO {name}",
                # Tables a later migration makes (run as this owner) are the app's too; the
                # audit table exists already, so its narrower grant stands.
                f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE"
                f" ON TABLES TO {name}",
                f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {name}",
                f"REVOKE ALL ON django_migrations FROM {name}",
                f"GRANT SELECT ON django_migrations TO {name}",
            ):
                cursor.execute(sql)
        self.stdout.write(f"{role}: read and write on the clinic's tables; INSERT and SELECT only"
                          f" on {AUDIT_TABLE}; SELECT only on django_migrations")
