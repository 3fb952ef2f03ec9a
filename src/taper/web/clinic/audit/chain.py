"""The audit trail as a hash chain (issue 16): each row carries SHA-256 over its own fields
and the previous row's hash, so a row edited, removed or inserted in the database after the
fact breaks the chain at that row, and `taper audit verify` names it.

Writers are serialised on the chain's head row (`AuditChainHead`, id 1): `SELECT … FOR
UPDATE` on PostgreSQL; on SQLite every write transaction already holds the database's one
write lock (IMMEDIATE transactions), so two writers can never link to the same row.
What a chain cannot show is a whole tail rewritten by someone who recomputes every later
hash: keep the head that `taper audit verify` prints somewhere the database owner cannot
write (docs/web.md "Audit trail"), and pass it back with `--head`.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.db import transaction

from taper.web.clinic.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64  # the "previous hash" of the first row
FIELDS = ("seq", "at", "actor_id", "actor_email", "action", "event", "record_type", "record_id",
          "patient_id", "method", "path", "status", "ip", "user_agent", "via")


def normal_ip(ip: str | None) -> str | None:
    """One spelling per address (PostgreSQL's inet and Python write IPv6 differently)."""
    return str(ipaddress.ip_address(ip)) if ip else None


def canonical(fields: dict[str, Any]) -> str:
    """The row's fields as one JSON text, in a fixed order, as the database gives them back."""
    values: list[Any] = []
    for name in FIELDS:
        value = fields[name]
        if name == "at":
            value = value.astimezone(UTC).isoformat(timespec="microseconds")
        elif name == "ip":
            value = normal_ip(value)
        values.append(value)
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def link(previous: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256(f"{previous}\n{canonical(fields)}".encode()).hexdigest()


def _fields(row: AuditEvent) -> dict[str, Any]:
    return {name: getattr(row, name) for name in FIELDS}


def _head() -> AuditChainHead:
    """The head row, locked; made from the last row when missing (a fresh or flushed table)."""
    head = _locked_head()
    if head is None:
        last = AuditEvent.objects.order_by("-seq").values("seq", "chain_hash").first()
        seq, hash_ = (last["seq"], last["chain_hash"]) if last else (0, GENESIS)
        AuditChainHead.objects.bulk_create([AuditChainHead(pk=1, seq=seq, hash=hash_)],
                                           ignore_conflicts=True)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


def _locked_head() -> AuditChainHead | None:
    """The head row, locked (on SQLite the IMMEDIATE transaction holds the write lock):
    SQL written once, as every change and every page's audit row reads it (issue 17)."""
    from taper.web.clinic import lean

    rows = lean.fetch(f"SELECT {lean.columns(AuditChainHead, 'h')} FROM clinic_auditchainhead h"
                      f' WHERE h."id" = 1{lean.for_update()}', [])
    return lean.instance(AuditChainHead, rows[0]) if rows else None


def hold() -> None:
    """Take the chain's lock now, before a service takes any other (audit.trail.audited).

    A service records its row at its end, but a service that calls another records in the
    middle and then goes on to lock other rows (a patient, a version). Were the chain's lock
    taken there, a second transaction holding that patient and waiting for the chain would
    deadlock with it. Taken first, in every transaction that changes state, the order is the
    same everywhere: the chain, then the records. Changes queue one at a time on PostgreSQL,
    as every write does on SQLite.
    """
    if transaction.get_connection().in_atomic_block:
        _head()


def append(row: AuditEvent) -> None:
    """Link `row` (unsaved) to the chain and insert it, in one transaction with the head."""
    from taper.web.clinic import lean

    row.ip = normal_ip(row.ip)
    # Inside a service's transaction no savepoint is needed (issue 17): a failure here
    # fails the whole transaction, which is what an unrecorded change must do.
    with transaction.atomic(savepoint=False):
        head = _head()
        row.seq = head.seq + 1
        row.chain_hash = link(head.hash, _fields(row))
        if not row._state.adding:
            raise TypeError("the audit trail is append-only: rows are never updated")
        lean.insert(row)  # the ORM's save() as one INSERT written once (issue 17)
        with transaction.get_connection().cursor() as cursor:  # the head moves on
            cursor.execute('UPDATE clinic_auditchainhead SET "seq" = %s, "hash" = %s WHERE "id" = 1',
                           [row.seq, row.chain_hash])


@dataclass(frozen=True)
class Verdict:
    rows: int
    head_seq: int
    head_hash: str
    broken: str | None = None  # what is wrong, naming the first broken row

    @property
    def intact(self) -> bool:
        return self.broken is None


def rows_in_order(chunk: int = 2000) -> Iterator[dict[str, Any]]:
    yield from (AuditEvent.objects.order_by("seq")
                .values("id", "chain_hash", *FIELDS).iterator(chunk_size=chunk))


def verify(expected_head: tuple[int, str] | None = None) -> Verdict:
    """Walk the whole chain; the first row whose hash or place is wrong is named."""
    previous, seq, count, seen = GENESIS, 0, 0, False
    for fields in rows_in_order():
        count += 1
        where = f"row id {fields['id']} (seq {fields['seq']})"
        if fields["seq"] != seq + 1:
            return Verdict(count, seq, previous,
                           f"{where}: expected seq {seq + 1}; rows are missing or were inserted")
        if link(previous, fields) != fields["chain_hash"]:
            return Verdict(count, seq, previous,
                           f"{where}: its hash does not match its contents and the row before;"
                           " it was edited in the database")
        if expected_head is not None and fields["seq"] == expected_head[0]:
            seen = True
            if fields["chain_hash"] != expected_head[1]:
                return Verdict(count, seq, previous,
                               f"{where}: differs from the head noted earlier; the chain was"
                               " rewritten from here or before")
        previous, seq = fields["chain_hash"], fields["seq"]
    head = AuditChainHead.objects.filter(pk=1).values("seq", "hash").first()
    if head is not None and (head["seq"], head["hash"]) != (seq, previous):
        return Verdict(count, seq, previous,
                       f"the chain's head names seq {head['seq']} but the last row is seq {seq};"
                       " rows were removed from the end")
    if expected_head is not None and not seen:
        return Verdict(count, seq, previous,
                       f"the head noted earlier (seq {expected_head[0]}) is no longer in the chain")
    return Verdict(count, seq, previous)

