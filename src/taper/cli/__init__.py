"""The `taper` command: a thin layer over the library. Each subcommand is a module here.

Modules are imported only when their command runs, so `taper plan` does not pay for the
pharmacokinetic or export libraries.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from taper import __version__
from taper.cli.errors import UsageError

# command name -> (module, one-line help). A module has add_arguments(parser) and run(args).
COMMANDS: dict[str, tuple[str, str]] = {
    "plan": ("taper.cli.plan", "turn a request into a dated, dose-by-dose schedule"),
    "drugs": ("taper.cli.drugs", "list the drugs the knowledge base covers"),
    "drug": ("taper.cli.drugs", "show one drug's facts with their sources"),
    "assess": ("taper.cli.assess", "decide proceed/hold/contact/emergency from check-ins"),
    "symptoms": ("taper.cli.assess", "list the symptom catalogue and red-flag rules"),
    "pk": ("taper.cli.pk", "model the blood level across a plan (not a measurement)"),
    "serve": ("taper.cli.web", "run the web application (applies migrations first)"),
    "adduser": ("taper.cli.web", "add a clinician, patient or administrator account"),
    "resetmfa": ("taper.cli.mfa", "remove an account's second factor (a lost phone; check who asks)"),
    "token": ("taper.cli.token", "make a personal API token for an account (shown once)"),
    "sendalerts": ("taper.cli.alerts", "raise and e-mail clinicians their alerts, each once (cron)"),
    "sendreminders": ("taper.cli.reminders", "e-mail patients their due reminders, each once (cron)"),
    "backup": ("taper.cli.ops", "copy the database to a file while the server runs"),
    "restore": ("taper.cli.ops", "put a backup back in place of the database"),
    "export-record": ("taper.cli.record", "write a patient's whole record: FHIR JSON and a PDF"),
    "purge": ("taper.cli.record", "delete records kept past the retention period (audited)"),
    "audit": ("taper.cli.audit", "verify the audit trail's hash chain (exit 1 names the first broken row)"),
}


class HelpFormatter(argparse.HelpFormatter):
    """argparse's own, with the terminal's width read as shutil.get_terminal_size reads it,
    without importing shutil: argparse imports it for every parser it builds, and shutil loads
    zlib, bz2 and lzma, which took a tenth of `taper plan`'s start-up (issue 17)."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position,
                         terminal_columns() - 2 if width is None else width)


def terminal_columns() -> int:
    """$COLUMNS if it is a positive number, else the terminal's width, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        stdout = sys.__stdout__
        try:
            columns = 0 if stdout is None else os.get_terminal_size(stdout.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="taper", description=__doc__.splitlines()[0],
                                     formatter_class=HelpFormatter)
    parser.add_argument("--version", action="version", version=f"taper {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (module_name, help_text) in COMMANDS.items():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue  # not built yet
            raise
        command = sub.add_parser(name, help=help_text, description=help_text,
                                 formatter_class=HelpFormatter)
        module.add_arguments(name, command)
        command.set_defaults(run=module.run)
    return parser


def _parser_for(argv: Sequence[str]) -> argparse.ArgumentParser:
    """Import only the module of the command asked for (start-up time matters)."""
    name = _command_of(argv)
    if name in COMMANDS:
        module_name, help_text = COMMANDS[name]
        module = importlib.import_module(module_name)
        parser = argparse.ArgumentParser(prog="taper", formatter_class=HelpFormatter)
        sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
        command = sub.add_parser(name, help=help_text, description=help_text,
                                 formatter_class=HelpFormatter)
        module.add_arguments(name, command)
        command.set_defaults(run=module.run)
        return parser
    return build_parser()


# Commands that, run as the whole process (the console script), end it themselves once their
# output is written: skipping the interpreter's tear-down of every module and collection of
# every object was about a sixth of `taper plan`'s process (issue 17; docs/performance.md).
SHORT_LIVED = frozenset({"plan"})


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    # Only the console script (no argv given) owns the process; a caller's main([...]) never
    # has its garbage collector turned off or its process ended.
    short_lived = argv is None and _command_of(args_list) in SHORT_LIVED
    if short_lived:
        import gc

        gc.disable()  # a few milliseconds of collections while importing; nothing to free
    parser = _parser_for(args_list)
    args = parser.parse_args(args_list)  # argparse exits 2 with a usage line on bad flags
    try:
        status = int(args.run(args) or 0)
    except UsageError as exc:
        print(f"taper {args.command}: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    if short_lived:
        end_now(status)
    return status


def _command_of(args: Sequence[str]) -> str | None:
    return next((a for a in args if not a.startswith("-")), None)


def end_now(status: int) -> None:
    """End the process with `status` once the output is flushed, without the interpreter's
    tear-down, unless something asked to run at exit (coverage, a PDF library): then return
    and let the interpreter end as usual."""
    import atexit

    pending = getattr(atexit, "_ncallbacks", lambda: 1)()
    if pending:
        return
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except BrokenPipeError:  # the reader stopped reading (`| head`): as the command does
        status = 0
    except OSError:
        return  # let the interpreter report it as it would have
    os._exit(status)


if __name__ == "__main__":
    raise SystemExit(main())
