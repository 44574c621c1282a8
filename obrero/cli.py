"""The ``obrero`` command: the desktop window, or headless work with a subcommand.

``obrero`` alone opens the window; ``obrero init|demo|audit|logbook|wages|print|backup|
export|verify-archive|import`` run the same services the window uses, without Qt.
Problems a person can fix (a refused file, a wrong date) end with a translated
message on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import NoReturn

from obrero import __version__
from obrero.errors import ObreroError
from obrero.i18n import _, language_from_environment, set_language
from obrero.locations import default_database_path

EXIT_OK = 0
EXIT_REFUSED = 2
# Where scripts (and tests) hand over an archive's passphrase instead of typing it.
PASSPHRASE_VARIABLE = "OBRERO_PASSPHRASE"

# What `obrero demo` makes unless told otherwise (the same as obrero.demo's defaults,
# repeated here so that starting the window does not load the demo's modules).
DEMO_SEED, DEMO_YEARS, DEMO_MEMBERS = 1, 3, 60
# The logbook's category codes (obrero.logbook.entries.CATEGORIES), for --category help.
LOGBOOK_CATEGORY_CODES = (
    "guard", "police", "court", "owners", "media", "solidarity", "maintenance", "incident",
    "meeting", "other",
)  # fmt: skip


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
        from obrero import commands

        return getattr(commands, args.run)(args, db_path)
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
    _add_logbook_commands(commands)
    _add_wages_commands(commands)
    _add_print_commands(commands)
    _add_exchange_commands(commands)
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
    commands: argparse._SubParsersAction, name: str, summary: str, run: str | None = None
) -> argparse._ArgumentGroup:
    """A subcommand taking --help and --db; returns its options group for more options.

    ``run`` names its function in :mod:`obrero.commands` (by default, the command's name).
    """
    command = commands.add_parser(
        name, help=summary, description=summary, formatter_class=_HelpFormatter, add_help=False
    )
    # The command's function in obrero.commands, imported only when it runs.
    command.set_defaults(run=run or name)
    options = command.add_argument_group(_("options"))
    _add_help(options)
    # SUPPRESS keeps a --db given before the command when it is not repeated after it.
    _add_db_option(options, default=argparse.SUPPRESS)
    return options


def _add_init_command(commands: argparse._SubParsersAction) -> None:
    _add_command(commands, "init", _("create the database, or bring it up to date"))


def _add_demo_command(commands: argparse._SubParsersAction) -> None:
    options = _add_command(commands, "demo", _("create a database filled with a demo factory"))
    for name, default, help_text in (
        ("--seed", DEMO_SEED, _("the same seed always gives the same factory")),
        ("--years", DEMO_YEARS, _("how many years ago the workers recovered it")),
        ("--members", DEMO_MEMBERS, _("how many members have joined it")),
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
        commands, "audit", _("print the audit trail: every change, who made it and when")
    )
    options.add_argument(
        "--since",
        type=_since_date,
        metavar=_("DATE"),
        help=_("only changes made on or after DATE (yyyy-mm-dd, or as typed in the window)"),
    )


def _add_logbook_commands(commands: argparse._SubParsersAction) -> None:
    """``obrero logbook verify|head``: the occupation logbook's hash chain."""
    summary = _("check the occupation logbook's hash chain, or show its head")
    actions = _add_group(
        commands, "logbook", summary, "logbook_command", _("commands"), _("COMMAND")
    )
    _add_command(
        actions,
        "verify",
        _("recompute every entry's hash: exit 0 when the chain is intact, 1 when it is not"),
        run="logbook_verify",
    )
    _add_command(
        actions,
        "head",
        _("show the chain head: how many entries, the last hash and its short code"),
        run="logbook_head",
    )


def _add_group(
    commands: argparse._SubParsersAction,
    name: str,
    summary: str,
    dest: str,
    title: str,
    metavar: str,
) -> argparse._SubParsersAction:
    """A command with commands of its own (``obrero logbook verify``); takes --help and --db."""
    group = commands.add_parser(
        name, help=summary, description=summary, formatter_class=_HelpFormatter, add_help=False
    )
    options = group.add_argument_group(_("options"))
    _add_help(options)
    _add_db_option(options, default=argparse.SUPPRESS)
    return group.add_subparsers(dest=dest, title=title, metavar=metavar, required=True)


def _add_wages_commands(commands: argparse._SubParsersAction) -> None:
    """``obrero wages list``: the pay periods (retiros)."""
    summary = _("the pay periods: their status and the amounts shared")
    actions = _add_group(commands, "wages", summary, "wages_command", _("commands"), _("COMMAND"))
    _add_command(
        actions,
        "list",
        _("list every pay period, the latest first, with its status and amount to share"),
        run="wages_list",
    )


def _add_print_commands(commands: argparse._SubParsersAction) -> None:
    """``obrero print logbook|wages``: documents as PDF files."""
    summary = _("print a document to a PDF file")
    documents = _add_group(commands, "print", summary, "document", _("documents"), _("DOCUMENT"))
    logbook = _add_command(
        documents,
        "logbook",
        _("a certified extract of the occupation logbook, with its chain head"),
        run="print_logbook",
    )
    logbook.add_argument(
        "--from", dest="since", type=_since_date, metavar=_("DATE"),
        help=_("first day of the extract (default: the first entry)"),
    )  # fmt: skip
    logbook.add_argument(
        "--to", dest="until", type=_since_date, metavar=_("DATE"),
        help=_("last day of the extract (default: the last entry)"),
    )  # fmt: skip
    logbook.add_argument(
        "--category", dest="categories", action="append", default=[], metavar=_("CATEGORY"),
        help=_("only entries of this category (repeat for more): {codes}").format(
            codes=", ".join(LOGBOOK_CATEGORY_CODES)
        ),
    )  # fmt: skip
    _add_document_options(logbook)
    wages = _add_command(
        documents,
        "wages",
        _("the wage statements of a pay period, one page per member, and its summary sheet"),
        run="print_wages",
    )
    which = wages.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--period", type=_month, metavar=_("YYYY-MM"),
        help=_("the period that starts in this month, e.g. 2026-10"),
    )  # fmt: skip
    which.add_argument(
        "--period-id", type=_whole_number, metavar="N",
        help=_("the period with this number (see: obrero wages list)"),
    )  # fmt: skip
    wages.add_argument(
        "--member", type=_whole_number, metavar=_("ID"),
        help=_("only this member's statement (by member number)"),
    )  # fmt: skip
    _add_document_options(wages)


def _add_exchange_commands(commands: argparse._SubParsersAction) -> None:
    """``obrero backup|export|verify-archive|import``: copies and archives of the records."""
    _add_command(
        commands,
        "backup",
        _("copy the database into the backups folder beside it and print the copy's path"),
    )
    export = _add_command(
        commands,
        "export",
        _("write a signed archive of every record into a folder, e.g. a USB stick"),
    )
    export.add_argument(
        "--to", dest="target", type=Path, required=True, metavar=_("DIR"),
        help=_("the folder to write the archive into"),
    )  # fmt: skip
    export.add_argument(
        "--encrypt", action="store_true",
        help=_(
            "protect the archive with a passphrase (asked twice, or taken from the "
            "environment variable {name})"
        ).format(name=PASSPHRASE_VARIABLE),
    )  # fmt: skip
    verify = _add_command(
        commands,
        "verify-archive",
        _("check an archive's files, checksums and signature: exit 0 when intact, 1 when not"),
        run="verify_archive",
    )
    _add_archive_options(verify)
    restore = _add_command(
        commands,
        "import",
        _(
            "replace the database with the one in an archive, after checking the archive "
            "and saving a copy of the current database"
        ),
        run="import_archive",
    )
    _add_archive_options(restore)
    restore.add_argument(
        "--accept-foreign", action="store_true",
        help=_("accept an archive signed by another installation's key"),
    )  # fmt: skip


def _add_archive_options(options: argparse._ArgumentGroup) -> None:
    options.add_argument(
        "archive", type=Path, metavar=_("FILE"), help=_("the archive (.zip) to read"),
    )  # fmt: skip
    options.add_argument(
        "--passphrase-env", action="store_true",
        help=_(
            "take the passphrase of an encrypted archive from the environment variable {name} "
            "instead of asking for it"
        ).format(name=PASSPHRASE_VARIABLE),
    )  # fmt: skip


def _add_document_options(options: argparse._ArgumentGroup) -> None:
    options.add_argument(
        "--lang", choices=("es", "pt_BR", "en"), default=None,
        help=_("language of the document (default: the factory profile's)"),
    )  # fmt: skip
    options.add_argument(
        "--out", type=Path, required=True, metavar=_("FILE"),
        help=_("the PDF file to write"),
    )  # fmt: skip


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("“{text}” is not a whole number.").format(text=text)
        ) from None


def _month(text: str) -> tuple[int, int]:
    """A month typed as yyyy-mm ("2026-10"), as (year, month)."""
    found = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text)
    if found is None or not 1 <= int(found.group(2)) <= 12:
        raise argparse.ArgumentTypeError(
            _("“{text}” is not a month; type it as yyyy-mm, e.g. 2026-10.").format(text=text)
        )
    return int(found.group(1)), int(found.group(2))


def _since_date(text: str) -> date:
    from obrero.i18n.formatting import date_placeholder, parse_date

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
