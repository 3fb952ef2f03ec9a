"""pyproject.toml uses the SPDX string form of `project.license` (PEP 639), with a setuptools
that reads it: the table form warns on every install and stops building in February 2027."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_license_is_an_spdx_expression_and_setuptools_reads_it() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert project["project"]["license"] == "LicenseRef-Proprietary"
    requires = project["build-system"]["requires"]
    version = next(re.fullmatch(r"setuptools>=(\d+)", r) for r in requires if r.startswith("setuptools"))
    assert version is not None and int(version.group(1)) >= 77  # PEP 639 support
    assert not any("License ::" in c for c in project["project"].get("classifiers", []))
