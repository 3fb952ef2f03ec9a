"""The web worker's long-lived objects kept out of the garbage collector's full passes.

A full collection walks every object the process holds: 53–58 ms of CPU in a warm worker
(docs/performance.md, "Stop 14: the check-in's tail"), and a worker that runs one inside a
write keeps the other workers waiting for the database. Almost all of those objects are
made once and live as long as the process: Django's and the engine's modules, the clinical
knowledge, the compiled templates, loaded lazily by the first requests. Once a worker has
served its first requests they are moved to the permanent generation (`gc.freeze()`), after
one last full collection so no garbage is kept: full passes then walk only what came later
(0.3–2.3 ms measured). Nothing else changes: reference counting still frees every object as
before, and objects made after the freeze are collected as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from typing import Any

# Requests after which a worker is taken as warm: every kind of page and API call has been
# served a few times by then in use (speed only, not a clinical figure).
WARM_AFTER = 200

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def freeze() -> None:
    """Collect what is garbage now, then leave every live object out of later passes."""
    gc.collect()
    gc.freeze()


class FrozenWhenWarm:
    """A WSGI application that freezes the process's objects once, after its first
    `after` requests (counted per process: each forked worker counts its own)."""

    def __init__(self, app: WSGIApp, after: int = WARM_AFTER) -> None:
        self.app = app
        self.left = after

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if self.left > 0:
            self.left -= 1
            if self.left == 0:
                freeze()  # before this request: its objects are short-lived
        return self.app(environ, start_response)
