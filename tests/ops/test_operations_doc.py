"""docs/operations.md stays true: every `taper` command in it parses with the real parser
and is run by a named test; every setting it sets is documented; every other program is a
set-up step named here with what runs the same thing (or said plainly to be run by no test).
"""

from __future__ import annotations

import ast
import re
import shlex
from pathlib import Path

import pytest

from taper.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "operations.md"

# Each taper subcommand the document uses -> the tests that run it for real.
RUN_BY = {
    "serve": ["test_two_servers_send_each_alert_once_and_lose_no_checkin",
              "test_serve_refuses_a_bad_port_before_doing_anything"],
    "backup": ["test_a_backup_restored_over_a_changed_database_gives_back_every_row",
               "test_a_backup_into_a_folder_is_dated_and_keep_days_removes_only_old_ones"],
    "restore": ["test_a_backup_restored_over_a_changed_database_gives_back_every_row",
                "test_a_backup_restores_into_an_empty_database_row_for_row"],
    "sendalerts": ["test_two_servers_send_each_alert_once_and_lose_no_checkin",
                   "test_two_senders_at_once_send_each_alert_once"],
    "sendreminders": ["test_the_command_prints_one_line_and_exits_0_and_2_on_a_bad_flag",
                      "test_three_senders_at_once_send_each_reminder_exactly_once"],
}
# Other programs: the operating system's and PostgreSQL's set-up. Where the test set-up runs
# the same command, the file that does it and the words it contains; None: run by no test
# (system administration the tests cannot do on a shared machine).
SET_UP: dict[tuple[str, str], tuple[str, str] | None] = {
    ("apt-get", "install"): ("scripts/system-deps", "apt-get install"),
    ("python3", "-m"): ("Makefile", "-m venv"),
    ("pip", "install"): ("Makefile", "pip install"),
    ("runuser", "-u"): ("scripts/with-postgres", "runuser -u postgres"),
    ("useradd", "--system"): None,
    ("install", "-d"): None,
    ("systemctl", "daemon-reload"): None,
    ("systemctl", "enable"): None,
    ("systemctl", "stop"): None,
    ("systemctl", "start"): None,
    ("curl", "-fsS"): ("tests/ops/servers.py", "/readyz"),
}


def commands() -> list[list[str]]:
    """Every command line of the sh blocks and every ExecStart= of the ini blocks."""
    text = DOC.read_text("utf-8")
    found = []
    for kind, body in re.findall(r"```(sh|ini)\n(.*?)```", text, re.S):
        for line in body.replace("\\\n", " ").splitlines():
            line = line.strip()
            if kind == "ini":
                if not line.startswith("ExecStart="):
                    continue
                line = line.removeprefix("ExecStart=")
            if line and not line.startswith("#"):
                found.append(shlex.split(line))
    return found


def settings_in(argv: list[str]) -> tuple[list[str], list[str]]:
    """Leading NAME=value assignments and the command after them."""
    names = []
    while argv and re.fullmatch(r"[A-Z_]+=.*", argv[0]):
        names.append(argv[0].split("=")[0])
        argv = argv[1:]
    return names, argv


def defined_tests() -> set[str]:
    names = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        names |= {n.name for n in ast.walk(ast.parse(path.read_text("utf-8")))
                  if isinstance(n, ast.FunctionDef)}
    return names


def documented_settings() -> set[str]:
    return set(re.findall(r"^\| `([A-Z_]+)` \|", (ROOT / "docs/web.md").read_text("utf-8"), re.M))


def test_the_document_has_commands_of_every_kind() -> None:
    found = commands()
    assert len(found) >= 15
    assert {Path(c[0]).name for c in (settings_in(x)[1] for x in found)} >= {"taper", "curl"}


@pytest.mark.parametrize("argv", commands(), ids=lambda argv: " ".join(argv)[:60])
def test_each_command_parses_and_is_run_by_a_test(argv: list[str]) -> None:
    names, argv = settings_in(argv)
    assert set(names) <= documented_settings(), names
    program = Path(argv[0]).name
    if program == "taper":
        args = build_parser().parse_args(argv[1:])  # a wrong flag exits 2 here
        assert args.command in RUN_BY, f"no test named for `taper {args.command}`"
        assert set(RUN_BY[args.command]) <= defined_tests(), RUN_BY[args.command]
        return
    assert (program, argv[1]) in SET_UP, f"not a known set-up command: {' '.join(argv)}"
    evidence = SET_UP[(program, argv[1])]
    if evidence is not None:
        where, words = evidence
        assert words in (ROOT / where).read_text("utf-8"), (where, words)


def test_every_setting_in_the_env_file_is_documented() -> None:
    text = DOC.read_text("utf-8")
    block = text[text.index("`/etc/taper/env`"):]
    block = block[block.index("```ini\n") + 7:]
    block = block[:block.index("```")]
    names = [line.split("=")[0] for line in block.splitlines() if line.strip()]
    assert len(names) >= 8 and set(names) <= documented_settings(), names


def test_the_backup_schedule_and_the_drill_are_there() -> None:
    text = DOC.read_text("utf-8")
    for words in ("## 6. Backups", "**Schedule**", "**Retention**", "## 7. The restore drill",
                  "--keep-days 35", "taper restore --force"):
        assert words in text, words
