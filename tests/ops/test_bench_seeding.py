"""The load bench's bulk seeding, at a small size, on the database under test.

`make bench` writes check-ins and decisions by each database's fast path (executemany on
SQLite, COPY and INSERT … SELECT on PostgreSQL) with the columns named by hand; a migration
that adds a NOT NULL column broke it unnoticed once (stop 12: `applied_kind`). This runs the
same seeding for a few patients and reads the rows back through the ORM (`Clinic.verify`).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_load_bench_seeds_rows_the_orm_reads_back() -> None:
    sys.path.insert(0, str(BENCH))
    try:
        import load_bench
    finally:
        sys.path.remove(str(BENCH))
    from taper.web.clinic.models import CheckIn, Decision

    clinic = load_bench.Clinic()
    clinic.grow_to(5, 3, batch=2)
    clinic.verify()  # raises, naming the row, when a seeded row reads back wrong
    assert CheckIn.objects.count() == Decision.objects.count() == 1 + 5 * 3
    assert set(Decision.objects.values_list("applied_kind", flat=True)) == {""}
