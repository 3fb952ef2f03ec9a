"""The docs stay true: the CLI reference is generated, every command is in it and the README."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from taper.cli import COMMANDS
from taper.cli.reference import reference

ROOT = Path(__file__).resolve().parents[2]


def test_cli_reference_is_up_to_date() -> None:
    assert (ROOT / "docs" / "cli.md").read_text("utf-8") == reference(), (
        "run: python -m taper.cli.reference > docs/cli.md")


def test_every_command_is_documented_in_the_reference() -> None:
    text = (ROOT / "docs" / "cli.md").read_text("utf-8")
    for name, (module, _) in COMMANDS.items():
        if importlib.util.find_spec(module) is not None:
            assert f"## taper {name}\n" in text


def test_readme_gives_the_two_commands_first() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert readme.index("make run") < readme.index("make test") < readme.index("## A short tour")
