"""`/readyz`: may this process take traffic? The database answers and no migration is waiting.

503 with a JSON reason otherwise. The reason names what is wrong, never a host, a user or a
password (the detail goes to the log). Like `/healthz` it leaves no audit row.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

log = logging.getLogger(__name__)


def problem() -> str | None:
    """None when ready; else one sentence saying why not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        log.warning("readyz: the database does not answer", exc_info=True)
        return "database: does not answer"
    try:
        executor = MigrationExecutor(connection)
        waiting = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        log.warning("readyz: cannot read the applied migrations", exc_info=True)
        return "database: cannot read the applied migrations"
    if waiting:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in waiting[:5])
        more = f" and {len(waiting) - 5} more" if len(waiting) > 5 else ""
        return (f"migrations: {len(waiting)} not applied ({names}{more}); "
                "start the server with `taper serve`, which applies them first")
    return None


@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    reason = problem()
    response = (JsonResponse({"ready": True}) if reason is None
                else JsonResponse({"ready": False, "reason": reason}, status=503))
    response["Cache-Control"] = "no-store"
    # A 503 here is an answer, not a server error: no ERROR line from Django each probe (the
    # request line and the warning above say it).
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response
