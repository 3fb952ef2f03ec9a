"""The record's own checks: every resource parses back through fhir.resources (R4B) with
its coded values in their R4 sets, ids are unique, and every reference resolves inside
the Bundle (a record read on its own must not point anywhere else).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from taper.exports.fhir.checks import FhirError, validate


def references(node: object, path: str = "") -> Iterator[tuple[str, str]]:
    """Every (path, reference) in a resource, at any depth."""
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}.{key}" if path else key
            if key == "reference" and isinstance(value, str):
                yield where, value
            else:
                yield from references(value, where)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from references(value, f"{path}[{i}]")


def check(bundle: dict[str, Any]) -> None:
    """Raise FhirError naming the first problem; return quietly for a sound record."""
    if bundle.get("type") != "collection":
        raise FhirError("Bundle.type: a record is a 'collection'")
    validate(bundle)
    entries = bundle.get("entry", [])
    urls = [str(e.get("fullUrl", "")) for e in entries]
    seen: set[str] = set()
    for i, url in enumerate(urls):
        if url in seen:
            raise FhirError(f"Bundle.entry[{i}].fullUrl: {url} appears twice")
        seen.add(url)
    for i, entry in enumerate(entries):
        kind = entry["resource"]["resourceType"]
        for where, target in references(entry["resource"]):
            if target not in seen:
                raise FhirError(f"Bundle.entry[{i}] {kind}.{where}: {target} is not in the Bundle")
