"""The web worker's objects frozen out of the collector's full passes once warm
(taper.web.ops.warm; docs/performance.md, "Stop 14: the check-in's tail")."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable, Iterable
from typing import Any

import pytest

from taper.web.ops import warm


def test_a_worker_freezes_once_before_its_nth_request(monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []
    monkeypatch.setattr(warm, "freeze", lambda: events.append("freeze"))

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        events.append(environ["PATH_INFO"])
        start_response("200 OK", [])
        return [environ["PATH_INFO"].encode()]

    served = warm.FrozenWhenWarm(app, after=3)
    bodies = [served({"PATH_INFO": f"/{n}"}, lambda *a: None) for n in range(1, 6)]
    assert events == ["/1", "/2", "freeze", "/3", "/4", "/5"]
    assert bodies == [[b"/1"], [b"/2"], [b"/3"], [b"/4"], [b"/5"]]  # answers untouched


def test_freezing_collects_the_garbage_first() -> None:
    class Node:
        other: Any = None

    a, b = Node(), Node()
    a.other, b.other = b, a  # a cycle: only the collector frees it
    gone = weakref.ref(a)
    del a, b
    before = gc.get_freeze_count()
    try:
        warm.freeze()
        assert gone() is None  # collected, not frozen for the process's life
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()


def test_the_served_application_is_the_one_that_freezes() -> None:
    from django.core.handlers.wsgi import WSGIHandler

    from taper.web.wsgi import application

    gc.unfreeze()  # importing the entry point froze this test process
    assert isinstance(application, warm.FrozenWhenWarm)
    assert isinstance(application.app, WSGIHandler)
    assert 0 < warm.WARM_AFTER <= 1000
