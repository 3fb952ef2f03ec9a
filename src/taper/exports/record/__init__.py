"""A patient's whole record (issue 18): a FHIR R4 Bundle and a PDF beside it, built from
plain rows (`model`) with no database and no clock. The web app gathers the rows
(`taper.web.records`); `render_fhir` validates before it returns, so an invalid record is
never handed out.
"""

from __future__ import annotations

from taper.exports.fhir.ids import to_json
from taper.exports.record.checks import check
from taper.exports.record.fhir import bundle
from taper.exports.record.model import PatientRecord

__all__ = ["PatientRecord", "bundle", "check", "render_fhir"]


def render_fhir(record: PatientRecord) -> bytes:
    """The Bundle as FHIR JSON, checked (FhirError for a record that is not sound)."""
    data = bundle(record)
    check(data)
    return to_json(data)
