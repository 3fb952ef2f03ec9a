"""The hot paths' reads without the ORM's query building (issue 17), and plans parsed once.

Django spends far more time building and compiling a query than the database spends
answering it (docs/performance.md: about 1.2 ms of Python for the plan in force, against
0.05 ms for SQLite to run the same statement). The few reads every check-in, Today and
desk request makes are written here once as SQL, with the same joins and conditions the
ORM wrote, and their rows turned into the same model instances (`rows_of`: the fields'
own database converters, so dates, times and JSON come back exactly as the ORM gives
them). Nothing here writes.

A stored plan version's JSON is never edited (models.PlanVersion), so the `Plan` read back
from it is kept per version in a small bounded cache (`plan_of`), keyed by the version's id
and creation time (ids are reused by a rolled-back or restored database; the pair is not).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Model

from taper.core.plan import Plan

M = TypeVar("M", bound=Model)
Converter = Callable[[Any, Any, Any], Any]


def columns(model: type[Model], alias: str) -> str:
    """Every concrete column of `model` under `alias`, in the model's field order."""
    return ", ".join(f'{alias}."{f.column}"' for f in model._meta.concrete_fields)


def _cache() -> dict[Any, list[tuple[int, list[Converter], Any]]]:
    """Converters per model or column list, kept on this thread's own connection object (the
    module's `connection` is a proxy shared by every thread; its converters are bound to one)."""
    wrapper = connections[DEFAULT_DB_ALIAS]
    found: dict[Any, list[tuple[int, list[Converter], Any]]] | None = \
        wrapper.__dict__.get("_taper_lean_converters")
    if found is None:
        found = wrapper.__dict__["_taper_lean_converters"] = {}
    return found


def _converters(model: type[Model], names: tuple[str, ...] | None = None
                ) -> list[tuple[int, list[Converter], Any]]:
    """The converters the ORM applies to each column of `model` (or of the fields `names`,
    in that order) on this connection, by position."""
    cache = _cache()
    found = cache.get((model, names))
    if found is None:
        fields = (model._meta.concrete_fields if names is None
                  else [model._meta.get_field(name) for name in names])
        found = []
        for i, field in enumerate(fields):
            column = field.get_col(model._meta.db_table)  # type: ignore[union-attr]
            convs = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            if convs:
                found.append((i, convs, column))
        cache[(model, names)] = found
    return found


def _convert(values: list[Any], converters: list[tuple[int, list[Converter], Any]]) -> None:
    for i, convs, column in converters:
        value = values[i]
        for convert in convs:
            value = convert(value, column, connection)
        values[i] = value


def instance(model: type[M], row: Sequence[Any], start: int = 0) -> M | None:
    """The model instance of the columns `columns(model, …)` starting at `row[start]`;
    None when its primary key is NULL (the empty side of a LEFT JOIN)."""
    fields = model._meta.concrete_fields
    values = list(row[start:start + len(fields)])
    if values[fields.index(model._meta.pk)] is None:
        return None
    _convert(values, _converters(model))
    return model.from_db(connection.alias, (), values)  # every field, in order: names unused


def values(model: type[Model], names: tuple[str, ...], rows: list[tuple[Any, ...]]
           ) -> list[tuple[Any, ...]]:
    """Rows of the fields `names` of `model` as `values_list(*names)` gives them."""
    converters = _converters(model, names)
    return _converted(rows, converters) if converters else rows


def typed(rows: list[tuple[Any, ...]], *fields: Any) -> list[tuple[Any, ...]]:
    """Rows whose columns are the model fields `fields` ("model.field" labels, or None for a
    column taken as the driver gives it), converted as the ORM converts them."""
    key = ("typed", fields)
    cache = _cache()
    converters = cache.get(key)
    if converters is None:
        from django.apps import apps

        converters = []
        for i, label in enumerate(fields):
            if label is None:
                continue
            model_label, name = label.rsplit(".", 1)
            model = apps.get_model(model_label)
            column = model._meta.get_field(name).get_col(model._meta.db_table)
            convs = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            if convs:
                converters.append((i, convs, column))
        cache[key] = converters
    return _converted(rows, converters)


def _converted(rows: list[tuple[Any, ...]], converters: list[tuple[int, list[Converter], Any]]
               ) -> list[tuple[Any, ...]]:
    done = []
    for row in rows:
        found = list(row)
        _convert(found, converters)
        done.append(tuple(found))
    return done


def date_param(day: Any) -> Any:
    """A date as the database driver takes it (text on SQLite)."""
    return connection.ops.adapt_datefield_value(day)


def datetime_param(moment: Any) -> Any:
    """A date and time as the database driver takes it (UTC text on SQLite)."""
    return connection.ops.adapt_datetimefield_value(moment)


def fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def insert(obj: M) -> M:
    """`obj.save()` of a new row whose id the database assigns, as one INSERT written once:
    each value prepared by its own field as the ORM prepares it (`pre_save`, then
    `get_db_prep_save`: defaults, JSON with the field's encoder, dates in UTC). No model
    signals are sent (none is listened to for the rows inserted this way)."""
    meta = type(obj)._meta
    if not connection.features.can_return_columns_from_insert:
        obj.save(force_insert=True)
        return obj
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    values = [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields]
    assert meta.pk is not None
    names = ", ".join(f'"{f.column}"' for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.execute(f'INSERT INTO "{meta.db_table}" ({names}) VALUES ({marks})'
                       f' RETURNING "{meta.pk.column}"', values)
        row = cursor.fetchone()
    setattr(obj, meta.pk.attname, row[0])
    obj._state.adding, obj._state.db = False, connection.alias
    return obj


def for_update() -> str:
    """The clause " FOR UPDATE" where the database locks rows (PostgreSQL); SQLite's
    IMMEDIATE transaction already holds its one write lock (settings.sqlite_database)."""
    return " FOR UPDATE" if connection.features.has_select_for_update else ""


# ---- plans parsed once per version ------------------------------------------------------

PLAN_CACHE_SIZE = 256  # versions per process (a plan is a few kB parsed; 256 is a few MB)
_plans: OrderedDict[tuple[int, str], Plan] = OrderedDict()
_plans_lock = threading.Lock()
parses = 0  # how many plans this process has parsed (tests read it)


def plan_of(version: Any) -> Plan:
    """The version's plan, parsed from its JSON once per process (an unsaved version, every
    time). The same `Plan` object is returned to every caller: plans are immutable."""
    from taper.web.clinic.engine import stored_plan

    global parses
    if version.pk is None or version.created_at is None:
        parses += 1
        return stored_plan(version.plan_json)
    key = (version.pk, version.created_at.isoformat())
    with _plans_lock:
        found = _plans.get(key)
        if found is not None:
            _plans.move_to_end(key)
            return found
    plan = stored_plan(version.plan_json)
    with _plans_lock:
        parses += 1
        _plans[key] = plan
        while len(_plans) > PLAN_CACHE_SIZE:
            _plans.popitem(last=False)
    return plan


def forget_plans() -> None:
    with _plans_lock:
        _plans.clear()


# ---- Today's small reads, one statement (stop 14, branch today) --------------------------

@dataclass(frozen=True)
class TodayPage:
    """What Today shows beside the plan, read in one round trip: on PostgreSQL each
    statement is a round trip to the server (about 1 ms here), and these four were four."""

    clinician: Any  # User | None: `patient.clinician` (the clinic to call)
    decision: Any  # Decision | None: today's latest, its check-in kept on it
    unread: int  # messages from the clinic not yet read (messaging.unread_for_patient)
    refill_days: int | None  # the stored reminder choice; None: none stored (the default)
    marks: tuple[Any, ...] = ()  # DoseTaken: the day's dose marks, by id


def today_page(patient_id: int, day: Any) -> TodayPage:
    """In one statement, each part the ORM's query (or the lean read) it replaces:
    `patient.clinician`; `patient.decisions.filter(today=day).select_related("checkin")
    .first()`; `Message.objects.filter(patient=…, from_clinic=True, read_at=None).count()`;
    `ReminderSettings.objects.filter(patient=…).first()`'s `refill_days`; and
    `patient.doses_taken.filter(date=day)`, one row each (the rest of the row repeated),
    a single row with the marks' columns NULL when there is none. Compared with each in
    tests/web/test_today_page_read.py, on both databases."""
    from taper.web.clinic.models import CheckIn, Decision, DoseTaken, User

    found = fetch(
        f"SELECT {columns(User, 'u')}, {columns(Decision, 'd')}, {columns(CheckIn, 'c')},"
        f" {columns(DoseTaken, 'k')},"
        ' (SELECT COUNT(*) FROM messaging_message m WHERE m."from_clinic"'
        ' AND m."patient_id" = p."id" AND m."read_at" IS NULL),'
        ' (SELECT r."refill_days" FROM reminders_remindersettings r'
        ' WHERE r."patient_id" = p."id" ORDER BY r."id" LIMIT 1)'
        ' FROM clinic_patient p LEFT JOIN clinic_user u ON u."id" = p."clinician_id"'
        ' LEFT JOIN clinic_decision d ON d."id" = (SELECT d2."id" FROM clinic_decision d2'
        ' INNER JOIN clinic_checkin c2 ON d2."checkin_id" = c2."id"'
        ' WHERE d2."patient_id" = p."id" AND d2."today" = %s'
        ' ORDER BY d2."created_at" DESC, d2."id" DESC LIMIT 1)'
        ' LEFT JOIN clinic_checkin c ON d."checkin_id" = c."id"'
        ' LEFT JOIN clinic_dosetaken k ON k."patient_id" = p."id" AND k."date" = %s'
        ' WHERE p."id" = %s ORDER BY k."id"', [date_param(day), date_param(day), patient_id])
    if not found:
        return TodayPage(None, None, 0, None)
    row = found[0]
    users, decisions = len(User._meta.concrete_fields), len(Decision._meta.concrete_fields)
    clinician = instance(User, row)
    decision = instance(Decision, row, users)
    if decision is not None:
        Decision._meta.get_field("checkin").set_cached_value(
            decision, instance(CheckIn, row, users + decisions))
    start = users + decisions + len(CheckIn._meta.concrete_fields)
    marks = tuple(m for m in (instance(DoseTaken, r, start) for r in found) if m is not None)
    unread, refill_days = row[-2], row[-1]
    return TodayPage(clinician, decision, int(unread),
                     None if refill_days is None else int(refill_days), marks)
