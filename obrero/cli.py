"""The ``obrero`` command: the desktop window, or headless work with a subcommand.

``obrero`` alone opens the window; ``obrero init|demo|audit`` run the same
services the window uses, without Qt. Problems a person can fix (a refused
file, a wrong date) end with a translated message on stderr and exit code 2,
never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import NoReturn

from sqlalchemy.orm import Session

from obrero import __version__, demo
from obrero.audit import AuditEntry, audit_entries
from obrero.errors import ObreroError
from obrero.i18n import _, language_from_environment, ngettext, set_language
from obrero.i18n.formatting import date_placeholder, format_date, format_datetime, parse_date
from obrero.locations import default_database_path
from obrero.profile import get_profile
from obrero.store.database import open_database

EXIT_OK = 0
EXIT_REFUSED = 2

Command = Callable[[argparse.Namespace, Path], int]


def main(argv: list[str] | None = None) -> int:
    """Run the ``obrero`` command line; returns the process exit code."""
    set_language(language_from_environment())
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, --version and usage errors
        return stop.code if isinstance(stop.code, int) else EXIT_OK
    db_path: Path = args.db or default_database_path()
    if args.command is None:
        return _open_window(db_path, demo=args.demo)
    if args.demo:
        return _refuse(_("--demo is for the window; use the demo command instead."))
    try:
        return args.run(args, db_path)
    except ObreroError as error:
        return _refuse(error.message)
    except BrokenPipeError:
        return _reader_gone()
    except OSError as error:
        return _refuse(
            _("Cannot use {path}: {error}").format(path=db_path, error=error.strerror or error)
        )


def _refuse(message: str) -> int:
    print(message, file=sys.stderr)
    return EXIT_REFUSED


def _reader_gone() -> int:
    """The output was piped into a program that stopped reading (``obrero audit | head``)."""
    # Python flushes stdout again at exit; point it at devnull so that cannot fail too.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 1


# --- The parser ----------------------------------------------------------------------------


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's layout with our translation of "usage:"."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose own words (usage, error) come from our catalogues."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        text = _("{prog}: error: {message}").format(prog=self.prog, message=message)
        self.exit(EXIT_REFUSED, text + "\n")


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; call after :func:`set_language` so the help is translated."""
    parser = _Parser(
        prog="obrero",
        description=_(
            "Records desk of a worker-recovered factory. Without a command, opens the window."
        ),
        formatter_class=_HelpFormatter,
        add_help=False,
    )
    options = parser.add_argument_group(_("options"))
    _add_help(options)
    options.add_argument(
        "--version",
        action="version",
        version=f"obrero {__version__}",
        help=_("show the version and exit"),
    )
    _add_db_option(options, default=None)
    options.add_argument(
        "--demo",
        action="store_true",
        help=_("fill a new, empty database with a demo factory before opening the window"),
    )
    commands = parser.add_subparsers(dest="command", title=_("commands"), metavar=_("COMMAND"))
    _add_init_command(commands)
    _add_demo_command(commands)
    _add_audit_command(commands)
    return parser


def _add_help(group: argparse._ArgumentGroup) -> None:
    group.add_argument("-h", "--help", action="help", help=_("show this help and exit"))


def _add_db_option(group: argparse._ArgumentGroup, default: object) -> None:
    group.add_argument(
        "--db",
        type=Path,
        default=default,
        metavar=_("PATH"),
        help=_("the database file (default: {path})").format(path=default_database_path()),
    )


def _add_command(
    commands: argparse._SubParsersAction, name: str, summary: str, run: Command
) -> argparse._ArgumentGroup:
    """A subcommand taking --help and --db; returns its options group for more options."""
    command = commands.add_parser(
        name, help=summary, description=summary, formatter_class=_HelpFormatter, add_help=False
    )
    command.set_defaults(run=run)
    options = command.add_argument_group(_("options"))
    _add_help(options)
    # SUPPRESS keeps a --db given before the command when it is not repeated after it.
    _add_db_option(options, default=argparse.SUPPRESS)
    return options


def _add_init_command(commands: argparse._SubParsersAction) -> None:
    _add_command(commands, "init", _("create the database, or bring it up to date"), _init)


def _add_demo_command(commands: argparse._SubParsersAction) -> None:
    options = _add_command(
        commands, "demo", _("create a database filled with a demo factory"), _demo
    )
    for name, default, help_text in (
        ("--seed", demo.DEFAULT_SEED, _("the same seed always gives the same factory")),
        ("--years", demo.DEFAULT_YEARS, _("how many years ago the workers recovered it")),
        ("--members", demo.DEFAULT_MEMBERS, _("how many members have joined it")),
    ):
        options.add_argument(
            name,
            type=_whole_number,
            default=default,
            metavar="N",
            help=_("{help} (default: {default})").format(help=help_text, default=default),
        )


def _add_audit_command(commands: argparse._SubParsersAction) -> None:
    options = _add_command(
        commands, "audit", _("print the audit trail: every change, who made it and when"), _audit
    )
    options.add_argument(
        "--since",
        type=_since_date,
        metavar=_("DATE"),
        help=_("only changes made on or after DATE ({pattern} or yyyy-mm-dd)").format(
            pattern=date_placeholder()
        ),
    )


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("“{text}” is not a whole number.").format(text=text)
        ) from None


def _since_date(text: str) -> date:
    try:
        day = parse_date(text)
    except ValueError:
        day = None
    if day is None:
        raise argparse.ArgumentTypeError(
            _("“{text}” is not a date; type it as {pattern} or yyyy-mm-dd.").format(
                text=text, pattern=date_placeholder()
            )
        )
    return day


# --- The window ----------------------------------------------------------------------------


def _open_window(db_path: Path, demo: bool) -> int:
    # Imported here so the headless commands never load Qt.
    try:
        from ui.app import run
    except ImportError as error:
        return _refuse(_("The window cannot start: {error}").format(error=error))
    return run(db_path, demo=demo)


# --- The commands --------------------------------------------------------------------------


def _init(args: argparse.Namespace, db_path: Path) -> int:
    existed = db_path.exists() and db_path.stat().st_size > 0
    backups: list[Path] = []
    database = open_database(db_path, on_backup=backups.append)
    database.close()
    if not existed:
        print(_("Created a new database at {path}.").format(path=database.path))
    elif backups:
        print(
            _("Brought the database at {path} up to date; the old version is kept at {copy}.")
            .format(path=database.path, copy=backups[0])
        )  # fmt: skip
    else:
        print(_("The database at {path} is ready and up to date.").format(path=database.path))
    return EXIT_OK


def _demo(args: argparse.Namespace, db_path: Path) -> int:
    database = open_database(db_path)
    try:
        summary = database.write(
            demo.build_demo, seed=args.seed, years=args.years, members=args.members
        )
    finally:
        database.close()
    for line in _demo_summary_lines(summary, database.path):
        print(line)
    return EXIT_OK


def _demo_summary_lines(summary: demo.DemoSummary, path: Path) -> list[str]:
    return [
        _("Created the demo factory “{name}” in {path}.").format(
            name=summary.profile.name, path=path
        ),
        _("Recovered by its workers on {date}.").format(date=format_date(summary.occupation_date)),
        ngettext(
            "{count} member: {active} active, {suspended} suspended, {left} left.",
            "{count} members: {active} active, {suspended} suspended, {left} left.",
            summary.members,
        ).format(
            count=summary.members,
            active=summary.active,
            suspended=summary.suspended,
            left=summary.left,
        ),
        _("Open it with: obrero --db {path}").format(path=path),
    ]


def _audit(args: argparse.Namespace, db_path: Path) -> int:
    # Reading must not create a database where there was none.
    if not db_path.exists():
        raise ObreroError(_("There is no database at {path}.").format(path=db_path))
    database = open_database(db_path)
    try:
        time_zone, entries = database.read(_audit_trail, args.since)
    finally:
        database.close()
    if not entries:
        print(_("No changes recorded."))
    for entry in entries:
        print(_audit_text(entry, time_zone))
    return EXIT_OK


def _audit_trail(session: Session, since: date | None) -> tuple[str, list[AuditEntry]]:
    """The factory's time zone (UTC before there is a profile) and the entries, oldest first."""
    profile = get_profile(session)
    time_zone = profile.time_zone if profile else "UTC"
    return time_zone, audit_entries(session, since, time_zone, newest_first=False)


def _audit_text(entry: AuditEntry, time_zone: str) -> str:
    """One heading line for the change, then one indented line per changed field."""
    heading = _("{time} · {operator} · {what} · {action}").format(
        time=format_datetime(entry.at, time_zone),
        operator=entry.operator or _("(unknown)"),
        what=entry.what(),
        action=entry.action_text(),
    )
    changes = entry.changes_text()
    return "\n".join([heading, *(f"    {line}" for line in changes.splitlines())])
