"""The headless commands behind ``obrero init|demo|audit|logbook|wages|print|backup|export|...``.

Kept apart from the parser (see :mod:`obrero.cli`) so that opening the window never loads them.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy.orm import Session

from obrero import demo as demo_factory
from obrero.audit import AuditEntry, audit_entries
from obrero.errors import ObreroError
from obrero.i18n import _, ngettext
from obrero.i18n.formatting import format_date, format_datetime, format_money
from obrero.logbook.chain import ChainReport, head_code, stored_head, verify_chain
from obrero.logbook.extract import LogbookExtract, build_extract
from obrero.profile import default_profile, factory_time_zone, get_profile
from obrero.store.database import open_database
from obrero.wages.periods import Period, from_cents, get_period, list_periods

if TYPE_CHECKING:
    from obrero.wages.statements import WageStatements

EXIT_OK = 0
EXIT_BROKEN = 1  # `obrero logbook verify`, `obrero verify-archive`: not intact

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
        *_demo_wages_lines(summary),
        _("Open it with: obrero --db {path}").format(path=path),
    ]


def _demo_wages_lines(summary: demo_factory.DemoSummary) -> list[str]:
    if not summary.wage_periods:
        return []
    if not summary.draft_period:
        return [
            ngettext(
                "{count} monthly pay period (retiros), paid.",
                "{count} monthly pay periods (retiros), all paid.",
                summary.wage_periods,
            ).format(count=summary.wage_periods)
        ]
    return [
        ngettext(
            "{count} monthly pay period (retiros): “{draft}” is a draft to approve.",
            "{count} monthly pay periods (retiros): {paid} paid; “{draft}” is a draft to approve.",
            summary.wage_periods,
        ).format(count=summary.wage_periods, paid=summary.paid_periods, draft=summary.draft_period)
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
    time_zone = factory_time_zone(session)
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


# --- wages ---------------------------------------------------------------------------------


def wages_list(args: argparse.Namespace, db_path: Path) -> int:
    """Every pay period, the latest first: number, dates, status, amount to share and rule."""
    periods, currency, country = _read_existing(db_path, _periods_and_currency)
    if not periods:
        print(_("No pay periods yet."))
    for period in periods:
        print(
            _("{number} · {label} · {start} – {end} · {status} · {amount}").format(
                number=period.id,
                label=period.label,
                start=format_date(period.start),
                end=format_date(period.end),
                status=_period_status(period),
                amount=format_money(
                    from_cents(max(period.to_share_cents, 0)), currency, country=country
                ),
            )
        )
        print(f"    {period.rule_text()}")
    return EXIT_OK


def _periods_and_currency(session: Session) -> tuple[list[Period], str, str]:
    where = get_profile(session) or default_profile()
    return list_periods(session), where.currency, where.country


def _period_status(period: Period) -> str:
    if period.status == "paid" and period.paid_on:
        return _("paid on {date}").format(date=format_date(period.paid_on))
    if period.status == "approved" and period.approved_on:
        return _("approved on {date}").format(date=format_date(period.approved_on))
    return _("draft")


def print_wages(args: argparse.Namespace, db_path: Path) -> int:
    """Write the wage statements of a period (or of one member) and its summary sheet."""
    from obrero.documents.output import write_document
    from obrero.documents.wage_statements import render_wage_statements

    statements, language = _read_existing(
        db_path, _wage_statements, args.period, args.period_id, args.member
    )
    language = args.lang or language
    path = write_document(args.out, render_wage_statements(statements, language))
    count = len(statements.statements)
    print(
        ngettext(
            "Wrote {n} wage statement of “{label}” to {path}.",
            "Wrote {n} wage statements of “{label}” to {path}.",
            count,
        ).format(n=count, label=statements.period.label, path=path)
    )
    return EXIT_OK


def _wage_statements(
    session: Session, month: tuple[int, int] | None, period_id: int | None, member_id: int | None
) -> tuple[WageStatements, str]:
    """The statements of the chosen period, and the profile's document language."""
    from obrero.wages.statements import build_statements

    if period_id is None:
        assert month is not None  # the parser asks for one of the two
        period_id = _period_of_month(session, *month).id
    else:
        get_period(session, period_id)  # NotFound names the number
    profile = get_profile(session)
    statements = build_statements(session, period_id, member_id)
    return statements, profile.document_language if profile else "es"


def _period_of_month(session: Session, year: int, month: int) -> Period:
    """The one period that starts in ``month``; a clear refusal for none or several."""
    typed = f"{year:04d}-{month:02d}"
    found = [p for p in list_periods(session) if (p.start.year, p.start.month) == (year, month)]
    if not found:
        raise ObreroError(
            _("No pay period starts in {month}; see them with: obrero wages list").format(
                month=typed
            )
        )
    if len(found) > 1:
        choices = "; ".join(
            _("{number}: {label}").format(number=period.id, label=period.label)
            for period in sorted(found, key=lambda period: period.start)
        )
        raise ObreroError(
            _(
                "Several pay periods start in {month} ({choices}); choose one with "
                "--period-id NUMBER."
            ).format(month=typed, choices=choices)
        )
    return found[0]


# --- backups and archives ------------------------------------------------------------------


def backup(args: argparse.Namespace, db_path: Path) -> int:
    """Copy the database into its backups folder; print the copy's path (for scripts)."""
    from obrero.exchange.backups import backup_now

    print(backup_now(db_path, "manual"))
    return EXIT_OK


def export(args: argparse.Namespace, db_path: Path) -> int:
    """Write the signed (and, with --encrypt, encrypted) archive into ``--to``."""
    from obrero.exchange.archive import export_archive
    from obrero.exchange.keys import fingerprint, installation_key, public_key_bytes

    if not db_path.exists():
        raise ObreroError(_("There is no database at {path}.").format(path=db_path))
    passphrase = _new_passphrase() if args.encrypt else None
    database = open_database(db_path)
    try:
        path = export_archive(database, args.target, passphrase, progress=_ProgressLine())
    finally:
        database.close()
    print(_("Wrote the archive {path}.").format(path=path))
    print(
        _("Signed with this installation's key, fingerprint {fingerprint}.").format(
            fingerprint=fingerprint(public_key_bytes(installation_key()))
        )
    )
    return EXIT_OK


class _ProgressLine:
    """``progress(done, total)`` of a long task, as a percentage on stderr.

    On a terminal one line is rewritten in place; otherwise a line per tenth.
    """

    def __init__(self) -> None:
        self._shown = -1
        self._terminal = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        step = percent if self._terminal else percent - percent % 10
        if step == self._shown:
            return
        self._shown = step
        text = _("Exporting… {percent}%").format(percent=step)
        end = "\n" if not self._terminal or step == 100 else ""
        print(f"\r{text}" if self._terminal else text, end=end, file=sys.stderr, flush=True)


def verify_archive(args: argparse.Namespace, db_path: Path) -> int:
    """Check an archive: exit 0 with a summary when intact, 1 with each problem when not."""
    from obrero.exchange.verify import verify_archive as verify

    report = verify(args.archive, _archive_passphrase(args))
    if not report.ok:
        print(_("Verifying {file} found problems:").format(file=args.archive))
        for problem in report.problems:
            print(f"- {problem}")
        for warning in report.warnings:
            print(_("Warning: {warning}").format(warning=warning))
        return EXIT_BROKEN
    manifest = report.manifest or {}
    factory = manifest.get("factory") or {}
    print(
        _("The archive {file} is intact: every file matches its manifest and signature.").format(
            file=args.archive
        )
    )
    print(_("Factory: {name}").format(name=factory.get("name") or _("(no profile yet)")))
    print(_("Created: {time}").format(time=_archive_time(manifest.get("created_at"))))
    files = len(manifest.get("files") or ())
    print(_("Files: {count}").format(count=files))
    if report.signed_here:
        signer = _("Signed by this installation, fingerprint {fingerprint}.")
    elif report.trusted:
        signer = _("Signed by a trusted installation, fingerprint {fingerprint}.")
    else:
        signer = _("Signed by another installation, fingerprint {fingerprint}.")
    print(signer.format(fingerprint=report.fingerprint))
    if report.encrypted:
        print(_("Encrypted with a passphrase."))
    for warning in report.warnings:
        print(_("Warning: {warning}").format(warning=warning))
    return EXIT_OK


def _archive_time(created_at: object) -> str:
    """The manifest's creation time (UTC), as a person reads it."""
    try:
        moment = datetime.strptime(str(created_at), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return str(created_at)
    return _("{time} UTC").format(time=format_datetime(moment, "UTC"))


def import_archive(args: argparse.Namespace, db_path: Path) -> int:
    """Replace the database with the archive's, after verifying it and backing up the current."""
    from obrero.exchange.backups import backup_now
    from obrero.exchange.restore import import_archive as restore

    result = restore(
        db_path,
        args.archive,
        _archive_passphrase(args),
        args.accept_foreign,
        backup=lambda path: backup_now(path, "before-import"),
    )
    db_path = Path(db_path).expanduser().resolve()
    print(_("Imported {file} into {path}.").format(file=args.archive, path=db_path))
    if result.backup_path is None:
        print(_("There was no database at {path} before; nothing needed saving.").format(
            path=db_path
        ))  # fmt: skip
    else:
        print(_("The previous database was saved as {copy}.").format(copy=result.backup_path))
    return EXIT_OK


def _new_passphrase() -> str:
    """The passphrase to encrypt with: from the environment, or typed twice alike."""
    from obrero.cli import PASSPHRASE_VARIABLE

    passphrase = os.environ.get(PASSPHRASE_VARIABLE)
    if passphrase:
        return passphrase
    first = _ask_passphrase(_("Passphrase for the archive: "))
    if not first:
        raise ObreroError(_("The passphrase is empty. Type one, or export without encryption."))
    if _ask_passphrase(_("The same passphrase again: ")) != first:
        raise ObreroError(_("The two passphrases differ; nothing was exported."))
    return first


def _archive_passphrase(args: argparse.Namespace) -> str | None:
    """The passphrase to open ``args.archive``: from the environment, asked, or none needed."""
    from obrero.cli import PASSPHRASE_VARIABLE

    if args.passphrase_env:
        passphrase = os.environ.get(PASSPHRASE_VARIABLE)
        if not passphrase:
            raise ObreroError(
                _("--passphrase-env was given but {name} is not set.").format(
                    name=PASSPHRASE_VARIABLE
                )
            )
        return passphrase
    if not _is_encrypted(args.archive):
        return None
    return _ask_passphrase(_("Passphrase of {file}: ").format(file=args.archive)) or None


def _is_encrypted(path: Path) -> bool:
    from obrero.exchange.encryption import is_encrypted

    try:
        with Path(path).open("rb") as handle:
            return is_encrypted(handle.read(64))
    except OSError:
        return False  # verifying says what is wrong with the file


def _ask_passphrase(prompt: str) -> str:
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise ObreroError(_("No passphrase was typed.")) from None
