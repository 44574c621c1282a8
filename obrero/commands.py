"""The headless commands behind ``obrero init|demo|audit|logbook`` (see :mod:`obrero.cli`).

Kept apart from the parser so that opening the window never loads them.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

from sqlalchemy.orm import Session

from obrero import demo as demo_factory
from obrero.audit import AuditEntry, audit_entries
from obrero.errors import ObreroError
from obrero.i18n import _, ngettext
from obrero.i18n.formatting import format_date, format_datetime
from obrero.logbook.chain import ChainReport, head_code, stored_head, verify_chain
from obrero.logbook.extract import LogbookExtract, build_extract
from obrero.profile import get_profile
from obrero.store.database import open_database

EXIT_OK = 0
EXIT_BROKEN = 1  # `obrero logbook verify`: the chain does not match

T = TypeVar("T")


def init(args: argparse.Namespace, db_path: Path) -> int:
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


def demo(args: argparse.Namespace, db_path: Path) -> int:
    database = open_database(db_path)
    try:
        summary = database.write(
            demo_factory.build_demo, seed=args.seed, years=args.years, members=args.members
        )
    finally:
        database.close()
    for line in _demo_summary_lines(summary, database.path):
        print(line)
    return EXIT_OK


def _demo_summary_lines(summary: demo_factory.DemoSummary, path: Path) -> list[str]:
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
        ngettext(
            "{count} occupation logbook entry over the last year.",
            "{count} occupation logbook entries over the last year.",
            summary.logbook_entries,
        ).format(count=summary.logbook_entries),
        _("Open it with: obrero --db {path}").format(path=path),
    ]


def _read_existing(db_path: Path, service: Callable[..., T], *args: object) -> T:
    """Run a read-only service on the database at ``db_path``, which must exist."""
    # Reading must not create a database where there was none.
    if not db_path.exists():
        raise ObreroError(_("There is no database at {path}.").format(path=db_path))
    database = open_database(db_path)
    try:
        return database.read(service, *args)
    finally:
        database.close()


def audit(args: argparse.Namespace, db_path: Path) -> int:
    time_zone, entries = _read_existing(db_path, _audit_trail, args.since)
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


def logbook_verify(args: argparse.Namespace, db_path: Path) -> int:
    report = _read_existing(db_path, verify_chain)
    if report.intact:
        print(
            ngettext(
                "The logbook chain is intact: {count} entry.",
                "The logbook chain is intact: {count} entries.",
                report.count,
            ).format(count=report.count)
        )
        print(_head_lines(report.count, report.head))
        return EXIT_OK
    print(_broken_text(report))
    if report.count:
        print(
            ngettext(
                "The {count} entry before it matches; its hash is {hash}.",
                "The {count} entries before it match; the hash of the last one is {hash}.",
                report.count,
            ).format(count=report.count, hash=report.head)
        )
    return EXIT_BROKEN


def _broken_text(report: ChainReport) -> str:
    """Which entry is the first that does not match, and what of it."""
    if report.reason == "attachment":
        what = _("the bytes of one of its attachments do not match their SHA-256")
    else:
        what = _("its hash does not match its contents and the entry before it")
    return _("The logbook chain is broken at entry {number}: {what}.").format(
        number=report.first_broken, what=what
    )


def logbook_head(args: argparse.Namespace, db_path: Path) -> int:
    count, entry_hash = _read_existing(db_path, stored_head)
    print(ngettext("{count} entry.", "{count} entries.", count).format(count=count))
    print(_head_lines(count, entry_hash))
    return EXIT_OK


def _head_lines(count: int, entry_hash: str) -> str:
    if not count:
        return _("The logbook has no entries yet; there is no head to copy.")
    return "\n".join(
        [
            _("Head hash: {hash}").format(hash=entry_hash),
            _("Head code: {code}").format(code=head_code(entry_hash)),
        ]
    )


def print_logbook(args: argparse.Namespace, db_path: Path) -> int:
    """Write the certified extract of the logbook for a period and categories."""
    from obrero.documents.logbook_extract import render_logbook_extract
    from obrero.documents.output import write_document
    from obrero.logbook.entries import CATEGORIES

    unknown = sorted(set(args.categories) - set(CATEGORIES))
    if unknown:
        raise ObreroError(
            _("Unknown logbook category {names}; the categories are: {codes}.").format(
                names=", ".join(unknown), codes=", ".join(CATEGORIES)
            )
        )
    if args.since and args.until and args.until < args.since:
        raise ObreroError(_("The last day comes before the first day."))
    extract, language = _read_existing(
        db_path, _logbook_extract, args.since, args.until, args.categories
    )
    language = args.lang or language
    path = write_document(args.out, render_logbook_extract(extract, language))
    print(
        ngettext(
            "Wrote the extract of {n} entry to {path}.",
            "Wrote the extract of {n} entries to {path}.",
            len(extract.entries),
        ).format(n=len(extract.entries), path=path)
    )
    print(_("Chain head code: {code}").format(code=extract.chain.head_code))
    return EXIT_OK


def _logbook_extract(
    session: Session, since: date | None, until: date | None, categories: list[str]
) -> tuple[LogbookExtract, str]:
    """The extract, and the profile's document language, read together."""
    profile = get_profile(session)
    extract = build_extract(session, since, until, frozenset(categories))
    return extract, profile.document_language if profile else "es"
