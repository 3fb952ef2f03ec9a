"""Input read and checked before a service's transaction (issue 16).

On SQLite a write transaction takes the database's one write lock at BEGIN (IMMEDIATE), and
on PostgreSQL a service locks the patient's row: whatever runs inside holds everyone else
up. So a body is parsed, bounded and (for a plan) planned first, with no transaction open;
the service is handed the result and only writes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")
Screen = Callable[[dict[str, Any]], dict[str, Any]]


def screened(screen: Screen) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Run `screen(kwargs)` before the service; it raises ServiceError for bad input, or
    returns keyword arguments (what it worked out) to hand to the service."""
    def decorate(service: Callable[P, R]) -> Callable[P, R]:
        @wraps(service)  # keeps __audited__
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            extra = screen(dict(kwargs))
            return service(*args, **kwargs, **extra)
        return wrapped
    return decorate
