"""Read a PDF back with poppler's pdftotext and pdftoppm (Debian package poppler-utils).

The tools are required, not optional: a missing tool fails the test with the package to
install, because a PDF whose text is never read back could say anything.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: install poppler-utils (apt-get install poppler-utils)")
    return path


def pdf_text(data: bytes, page: int | None = None) -> str:
    """The text in drawing order (-raw: a table cell stays in one piece), whitespace single."""
    pages = [] if page is None else ["-f", str(page), "-l", str(page)]
    done = subprocess.run(
        [_tool("pdftotext"), "-raw", "-enc", "UTF-8", *pages, "-", "-"],
        input=data, capture_output=True, check=True,
    )  # fmt: skip
    return " ".join(done.stdout.decode("utf-8").split())


def page_count(data: bytes) -> int:
    """The N of "Page n of N" in the footer."""
    found = re.findall(r"Page \d+ of (\d+)", pdf_text(data))
    assert found, "no page numbers"
    return int(found[0])


def rendered_pages(data: bytes) -> int:
    """Render every page to a PNG with pdftoppm; the number of images made."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "plan.pdf"
        source.write_bytes(data)
        subprocess.run(
            [_tool("pdftoppm"), "-r", "40", "-png", str(source), str(Path(folder) / "page")],
            capture_output=True, check=True,
        )  # fmt: skip
        return len(list(Path(folder).glob("page*.png")))
