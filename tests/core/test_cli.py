"""The ``obrero`` command line, run in-process (and once as ``python -m obrero``)."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
import types
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest

import obrero
from obrero import cli, members
from obrero.audit import audit_entries
from obrero.i18n import current_language
from obrero.i18n.formatting import format_date, format_datetime
from obrero.logbook.chain import head_code
from obrero.store.database import open_database

ZONE = "America/Argentina/Mendoza"


@pytest.fixture(autouse=True)
def english_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """``main`` takes its language from the environment: make it English for exact texts."""
    monkeypatch.setenv("LANGUAGE", "en")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def member_count(path: Path) -> int:
    database = open_database(path)
    try:
        return database.read(members.count_members)
    finally:
        database.close()


@pytest.fixture
def demo_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "demo.sqlite3"
    assert cli.main(["demo", "--db", str(path), "--members", "5"]) == 0
    capsys.readouterr()
    return path


# --- version and help -------------------------------------------------------------------------


def test_version(capsys):
    code, out, _ = run(capsys, "--version")

    assert code == 0
    assert out == f"obrero {obrero.__version__}\n" == "obrero 0.1.0\n"


def test_help_names_the_commands_and_options(capsys):
    code, out, _ = run(capsys, "--help")

    assert code == 0
    assert out.startswith("usage: obrero")
    for word in ("init", "demo", "audit", "--db", "--demo", "--version"):
        assert word in out


@pytest.mark.parametrize(
    ("command", "option"), [("init", "--db"), ("demo", "--members"), ("audit", "--since")]
)
def test_every_command_has_help_and_takes_db(capsys, command, option):
    code, out, _ = run(capsys, command, "--help")

    assert code == 0
    assert f"usage: obrero {command}" in out
    assert "--db" in out
    assert option in out


def test_unknown_command_is_a_usage_error(capsys):
    code, _, err = run(capsys, "frobnicate")

    assert code == 2
    assert "obrero: error:" in err


def test_language_comes_from_the_environment(capsys, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "pt_BR:es")

    assert cli.main(["--version"]) == 0

    # Set before the parser is built, so its help and messages are in that language.
    assert current_language() == "pt_BR"


# --- init ------------------------------------------------------------------------------------


def test_init_creates_the_database_then_finds_it_up_to_date(tmp_path, capsys):
    path = tmp_path / "new folder" / "obrero.sqlite3"

    code, out, _ = run(capsys, "init", "--db", str(path))
    assert code == 0
    assert path.exists()
    assert out == f"Created a new database at {path}.\n"

    code, out, _ = run(capsys, "init", "--db", str(path))
    assert code == 0
    assert out == f"The database at {path} is ready and up to date.\n"


def test_db_may_come_before_the_command(tmp_path, capsys):
    path = tmp_path / "before.sqlite3"

    code, _, _ = run(capsys, "--db", str(path), "init")

    assert code == 0
    assert path.exists()


def test_db_after_the_command_wins(tmp_path, capsys):
    before, after = tmp_path / "before.sqlite3", tmp_path / "after.sqlite3"

    assert run(capsys, "--db", str(before), "init", "--db", str(after))[0] == 0

    assert after.exists()
    assert not before.exists()


# --- demo ------------------------------------------------------------------------------------


def test_demo_fills_a_new_database(tmp_path, capsys):
    path = tmp_path / "demo.sqlite3"

    code, out, err = run(capsys, "demo", "--db", str(path), "--seed", "3", "--members", "12")

    assert (code, err) == (0, "")
    assert "La Tomatera" in out
    assert "12 members:" in out
    assert re.search(r"^\d{3} occupation logbook entries over the last year\.$", out, re.M)
    assert re.search(
        r"^6 monthly pay periods \(retiros\): 5 paid; “\w+ \d{4}” is a draft to approve\.$",
        out,
        re.M,
    )
    assert str(path) in out
    assert member_count(path) == 12


def test_demo_defaults_to_sixty_members(tmp_path, capsys):
    path = tmp_path / "demo.sqlite3"

    assert run(capsys, "demo", "--db", str(path))[0] == 0

    assert member_count(path) == 60


def test_demo_refuses_a_database_with_records(demo_db, capsys):
    before = demo_db.read_bytes()

    code, out, err = run(capsys, "demo", "--db", str(demo_db))

    assert code == 2
    assert out == ""
    assert "empty database" in err
    assert "Traceback" not in err
    assert demo_db.read_bytes() == before


def test_demo_refuses_an_impossible_size(tmp_path, capsys):
    code, _, err = run(capsys, "demo", "--db", str(tmp_path / "d.sqlite3"), "--members", "0")

    assert code == 2
    assert "members" in err


def test_demo_needs_whole_numbers(tmp_path, capsys):
    code, _, err = run(capsys, "demo", "--db", str(tmp_path / "d.sqlite3"), "--years", "two")

    assert code == 2
    assert "“two” is not a whole number." in err


# --- audit -----------------------------------------------------------------------------------


def test_audit_prints_the_trail_oldest_first_in_factory_time(demo_db, capsys):
    database = open_database(demo_db)
    try:
        entries = database.read(audit_entries, newest_first=False)
    finally:
        database.close()

    code, out, _ = run(capsys, "audit", "--db", str(demo_db))

    assert code == 0
    headings = [line for line in out.splitlines() if not line.startswith(" ")]
    assert len(headings) == len(entries)
    first = entries[0]
    assert headings[0] == (f"{format_datetime(first.at, ZONE)} · pc-user · Factory profile · Added")
    assert headings[1].endswith("· Member 1 · Graciela Luna · Added")
    assert "    Full name: " in out
    assert out.index("Member 1 ·") < out.index("Member 5 ·")


def test_audit_since_a_later_day_prints_nothing(demo_db, capsys):
    code, out, _ = run(capsys, "audit", "--db", str(demo_db), "--since", "2999-01-01")

    assert code == 0
    assert out == "No changes recorded.\n"


def test_audit_since_accepts_the_locale_date_format(demo_db, capsys):
    typed = format_date(date(2000, 1, 1))  # e.g. 01/01/2000

    code, out, _ = run(capsys, "audit", "--db", str(demo_db), "--since", typed)

    assert code == 0
    assert "Factory profile" in out


@pytest.mark.parametrize("typed", ["31/31/2025", "2025-02-30", "yesterday", ""])
def test_audit_refuses_a_bad_since_date(demo_db, capsys, typed):
    code, out, err = run(capsys, "audit", "--db", str(demo_db), "--since", typed)

    assert code == 2
    assert out == ""
    assert f"“{typed}” is not a date" in err
    assert "Traceback" not in err


def test_audit_of_a_missing_file_creates_nothing(tmp_path, capsys):
    path = tmp_path / "missing.sqlite3"

    code, _, err = run(capsys, "audit", "--db", str(path))

    assert code == 2
    assert "There is no database" in err
    assert not path.exists()


# --- refused files ---------------------------------------------------------------------------


def test_a_file_that_is_not_a_database_is_refused_untouched(tmp_path, capsys):
    path = tmp_path / "notes.sqlite3"
    path.write_text("shopping list\n" * 20)

    for command in ("init", "demo", "audit"):
        code, out, err = run(capsys, command, "--db", str(path))
        assert code == 2, command
        assert out == ""
        assert "not an Obrero database" in err
        assert "Traceback" not in err
    assert path.read_text() == "shopping list\n" * 20


def test_another_programs_sqlite_file_is_refused_untouched(tmp_path, capsys):
    path = tmp_path / "other.sqlite3"
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE invoice (id INTEGER PRIMARY KEY)")
        connection.commit()
    before = path.read_bytes()

    code, _, err = run(capsys, "init", "--db", str(path))

    assert code == 2
    assert "another program" in err
    assert path.read_bytes() == before


# --- the window ------------------------------------------------------------------------------


@pytest.fixture
def fake_window(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, bool]]:
    """A stand-in ``ui.app`` recording what it was asked to open (no Qt in core tests)."""
    opened: list[tuple[Path, bool]] = []

    def run_window(db_path: Path, demo: bool = False) -> int:
        opened.append((db_path, demo))
        return 0

    app = types.ModuleType("ui.app")
    app.run = run_window  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "ui", types.ModuleType("ui"))
    monkeypatch.setitem(sys.modules, "ui.app", app)
    return opened


def test_no_command_opens_the_window_on_the_default_database(fake_window, monkeypatch, tmp_path):
    default = tmp_path / "default.sqlite3"
    monkeypatch.setattr(cli, "default_database_path", lambda: default)

    assert cli.main([]) == 0

    assert fake_window == [(default, False)]


def test_window_with_db_and_demo(fake_window, tmp_path):
    path = tmp_path / "window.sqlite3"

    assert cli.main(["--db", str(path), "--demo"]) == 0

    assert fake_window == [(path, True)]


def test_demo_flag_with_a_command_is_refused(tmp_path, capsys):
    path = tmp_path / "d.sqlite3"

    code, _, err = run(capsys, "--demo", "init", "--db", str(path))

    assert code == 2
    assert "demo command" in err
    assert not path.exists()


# --- as a program ----------------------------------------------------------------------------


def test_python_dash_m_obrero_prints_the_version(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "obrero", "--version"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout == f"obrero {obrero.__version__}\n"


def test_demo_command_offers_the_demo_factorys_own_defaults():
    from obrero import cli, demo

    assert (cli.DEMO_SEED, cli.DEMO_YEARS, cli.DEMO_MEMBERS) == (
        demo.DEFAULT_SEED,
        demo.DEFAULT_YEARS,
        demo.DEFAULT_MEMBERS,
    )


def test_starting_the_window_does_not_load_the_store_first():
    """``obrero`` shows its window before SQLAlchemy and Babel are loaded (startup time)."""
    import subprocess
    import sys

    code = (
        "import sys, obrero.cli, obrero.store.files; "
        "obrero.cli.build_parser(); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'babel', 'alembic'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- logbook ---------------------------------------------------------------------------------


@pytest.fixture
def logbook_db(tmp_path: Path) -> Path:
    """A database with five logbook entries; entry 2 carries a photo."""
    from datetime import UTC, datetime, timedelta

    from obrero.logbook.entries import AttachmentDraft, EntryDraft, add_entries

    path = tmp_path / "logbook.sqlite3"
    database = open_database(path)
    try:
        author = database.write(
            members.add_member, members.MemberDraft("Ana Pérez", "30.111.222", date(2025, 1, 1))
        )
        start = datetime(2026, 3, 1, 13, 0, tzinfo=UTC)
        drafts = [
            EntryDraft(
                happened_at=start + timedelta(days=n),
                author_id=author.id,
                category="guard",
                title=f"Turno de guardia {n + 1}",
                attachments=(AttachmentDraft("porton.png", b"\x89PNG" * 50),) if n == 1 else (),
            )
            for n in range(5)
        ]
        database.write(add_entries, drafts)
    finally:
        database.close()
    return path


def stored_hashes(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as connection:
        return [row[0] for row in connection.execute("SELECT hash FROM logbook_entry ORDER BY id")]


def tamper(path: Path, statement: str) -> None:
    with closing(sqlite3.connect(path)) as connection:
        for table in ("logbook_entry", "logbook_attachment"):
            connection.execute(f"DROP TRIGGER forbid_{table}_update")
            connection.execute(f"DROP TRIGGER forbid_{table}_delete")
        connection.execute(statement)
        connection.commit()


def test_logbook_commands_have_help(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert "logbook" in out

    code, out, _ = run(capsys, "logbook", "--help")
    assert code == 0
    assert "usage: obrero logbook" in out
    assert "verify" in out and "head" in out

    for command in ("verify", "head"):
        code, out, _ = run(capsys, "logbook", command, "--help")
        assert code == 0
        assert f"usage: obrero logbook {command}" in out
        assert "--db" in out


def test_logbook_needs_a_subcommand(capsys):
    code, _, err = run(capsys, "logbook")

    assert code == 2
    assert "obrero logbook: error:" in err


def test_logbook_verify_an_intact_chain(logbook_db, capsys):
    head = stored_hashes(logbook_db)[-1]

    code, out, err = run(capsys, "logbook", "verify", "--db", str(logbook_db))

    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "The logbook chain is intact: 5 entries.",
        f"Head hash: {head}",
        f"Head code: {head_code(head)}",
    ]


def test_logbook_verify_names_the_changed_entry(logbook_db, capsys):
    hashes = stored_hashes(logbook_db)
    tamper(logbook_db, "UPDATE logbook_entry SET title = 'Sin novedad' WHERE id = 3")

    code, out, _ = run(capsys, "logbook", "verify", "--db", str(logbook_db))

    assert code == 1
    assert out.splitlines() == [
        "The logbook chain is broken at entry 3: "
        "its hash does not match its contents and the entry before it.",
        f"The 2 entries before it match; the hash of the last one is {hashes[1]}.",
    ]


def test_logbook_verify_names_the_entry_of_a_changed_attachment(logbook_db, capsys):
    tamper(logbook_db, "UPDATE logbook_attachment SET data = zeroblob(200)")

    code, out, _ = run(capsys, "logbook", "verify", "--db", str(logbook_db))

    assert code == 1
    assert out.splitlines()[0] == (
        "The logbook chain is broken at entry 2: "
        "the bytes of one of its attachments do not match their SHA-256."
    )
    assert out.splitlines()[1].startswith("The 1 entry before it matches; its hash is ")


def test_logbook_verify_names_the_entry_after_a_deleted_one(logbook_db, capsys):
    tamper(logbook_db, "DELETE FROM logbook_entry WHERE id = 1")

    code, out, _ = run(capsys, "logbook", "verify", "--db", str(logbook_db))

    assert code == 1
    assert out.splitlines() == [
        "The logbook chain is broken at entry 2: "
        "its hash does not match its contents and the entry before it."
    ]


def test_logbook_head_prints_count_hash_and_code(logbook_db, capsys):
    head = stored_hashes(logbook_db)[-1]

    code, out, _ = run(capsys, "--db", str(logbook_db), "logbook", "head")

    assert code == 0
    assert out.splitlines() == ["5 entries.", f"Head hash: {head}", f"Head code: {head_code(head)}"]
    assert re.fullmatch(r"[0-9A-F]{4}(-[0-9A-F]{4}){4}", head_code(head))


def test_logbook_db_may_come_between_the_commands(logbook_db, capsys):
    code, out, _ = run(capsys, "logbook", "--db", str(logbook_db), "verify")

    assert code == 0
    assert out.startswith("The logbook chain is intact: 5 entries.")


def test_logbook_of_an_empty_database(tmp_path, capsys):
    path = tmp_path / "empty.sqlite3"
    assert run(capsys, "init", "--db", str(path))[0] == 0

    code, out, _ = run(capsys, "logbook", "verify", "--db", str(path))
    assert code == 0
    assert out.splitlines() == [
        "The logbook chain is intact: 0 entries.",
        "The logbook has no entries yet; there is no head to copy.",
    ]

    code, out, _ = run(capsys, "logbook", "head", "--db", str(path))
    assert code == 0
    assert out.splitlines()[0] == "0 entries."


@pytest.mark.parametrize("command", ["verify", "head"])
def test_logbook_of_a_missing_file_is_an_error_and_creates_nothing(tmp_path, capsys, command):
    path = tmp_path / "missing.sqlite3"

    code, out, err = run(capsys, "logbook", command, "--db", str(path))

    assert code == 2
    assert out == ""
    assert err == f"There is no database at {path}.\n"
    assert not path.exists()


def test_logbook_refuses_a_file_that_is_not_a_database(tmp_path, capsys):
    path = tmp_path / "notes.sqlite3"
    path.write_text("shopping list\n" * 20)

    code, out, err = run(capsys, "logbook", "verify", "--db", str(path))

    assert (code, out) == (2, "")
    assert "not an Obrero database" in err
    assert "Traceback" not in err


def test_cli_category_codes_are_the_logbooks():
    from obrero.logbook.entries import CATEGORIES

    assert tuple(CATEGORIES) == cli.LOGBOOK_CATEGORY_CODES


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_print_logbook_writes_the_certified_extract(demo_db, tmp_path, capsys):
    out = tmp_path / "extracto.pdf"
    code, printed, _err = run(
        capsys,
        "print", "logbook", "--db", str(demo_db), "--category", "police",
        "--category", "court", "--lang", "en", "--out", str(out),
    )  # fmt: skip
    assert code == 0
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    db = open_database(demo_db)
    try:
        from obrero.logbook.chain import stored_head
        from obrero.logbook.entries import EntryFilter, find_entries

        count, head = db.read(stored_head)
        chosen = db.read(find_entries, EntryFilter(categories=frozenset({"police", "court"})))
    finally:
        db.close()
    assert chosen
    assert f"Wrote the extract of {len(chosen)} entries" in printed
    assert head_code(head) in printed
    assert "Certified extract of the occupation logbook" in text
    assert head_code(head) in text
    for entry in chosen:
        assert f"Entry {entry.number}" in text
    assert f"The chain of {count} entries verified intact" in text
    assert not list(tmp_path.glob(".extracto.pdf.*"))  # no temporary file left behind
    # The key that signs this PC's USB archives, so a receiver can pin it.
    from obrero.exchange.keys import fingerprint, installation_key, public_key_bytes

    key = fingerprint(public_key_bytes(installation_key()))
    assert f"Archive signing key: {key}" in text


def test_print_logbook_refuses_unknown_categories_and_reversed_dates(demo_db, tmp_path, capsys):
    out = tmp_path / "x.pdf"
    code, _out, err = run(
        capsys, "print", "logbook", "--db", str(demo_db), "--category", "polis", "--out", str(out)
    )
    assert code == 2
    assert "Unknown logbook category polis" in err
    code, _out, err = run(
        capsys, "print", "logbook", "--db", str(demo_db), "--from", "2026-05-02",
        "--to", "2026-05-01", "--out", str(out),
    )  # fmt: skip
    assert code == 2
    assert "The last day comes before the first day." in err
    assert not out.exists()


def test_a_document_is_written_whole_or_not_at_all(tmp_path, monkeypatch):
    import os

    from obrero.documents.output import write_document

    target = tmp_path / "acta.pdf"
    write_document(target, b"%PDF-old")

    def full_disk(_fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError):
        write_document(target, b"%PDF-new and longer")
    assert target.read_bytes() == b"%PDF-old"
    assert [p.name for p in tmp_path.iterdir()] == ["acta.pdf"]


# --- wages -----------------------------------------------------------------------------------


def pay_periods(path: Path) -> list:
    from obrero.wages.periods import list_periods

    database = open_database(path)
    try:
        return database.read(list_periods)
    finally:
        database.close()


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def fortnights_db(tmp_path: Path) -> Path:
    """Two members and the two fortnights of October 2026, shared equally."""
    from decimal import Decimal

    from obrero.wages.periods import PeriodDraft, create_period, fortnight_bounds

    path = tmp_path / "quincenas.sqlite3"
    database = open_database(path)
    try:
        for name, national_id in (("Ana Pérez", "30.111.222"), ("Bruno Díaz", "30.333.444")):
            database.write(
                members.add_member, members.MemberDraft(name, national_id, date(2025, 1, 1))
            )
        for second, label in ((False, "1.ª quincena de octubre"), (True, "2.ª quincena")):
            start, end = fortnight_bounds(2026, 10, second)
            database.write(create_period, PeriodDraft(start, end, label, Decimal("1000.01")))
    finally:
        database.close()
    return path


def test_wages_commands_have_help(capsys):
    code, out, _ = run(capsys, "--help")
    assert "wages" in out

    code, out, _ = run(capsys, "wages", "list", "--help")
    assert code == 0
    assert "usage: obrero wages list" in out and "--db" in out

    code, out, _ = run(capsys, "print", "wages", "--help")
    assert code == 0
    for option in ("--period", "--period-id", "--member", "--lang", "--out", "--db"):
        assert option in out


def test_wages_list_prints_every_period_with_status_and_amount(demo_db, capsys):
    periods = pay_periods(demo_db)

    code, out, err = run(capsys, "wages", "list", "--db", str(demo_db))

    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == 2 * len(periods) == 12
    draft, *paid = periods  # the latest first
    assert lines[0] == (
        f"{draft.id} · {draft.label} · {format_date(draft.start)} – {format_date(draft.end)} · "
        f"draft · ARS{draft.to_share_cents // 100:,}.{draft.to_share_cents % 100:02d}"
    )
    assert lines[1] == "    equal shares for 50%, the rest (50%) by category coefficient × hours"
    for line, period in zip(lines[2::2], paid, strict=True):
        assert f" · paid on {format_date(period.paid_on)} · ARS" in line
    assert lines[-1] == "    Equal shares among the members on the roll"


def test_wages_list_writes_amounts_in_the_factorys_way(demo_db, capsys, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "es")
    draft = pay_periods(demo_db)[0]

    out = run(capsys, "wages", "list", "--db", str(demo_db))[1]

    whole = f"{draft.to_share_cents // 100:,}".replace(",", ".")
    assert f"${whole},{draft.to_share_cents % 100:02d}" in out.splitlines()[0]


def test_wages_list_of_a_database_without_periods(tmp_path, capsys):
    path = tmp_path / "new.sqlite3"
    run(capsys, "init", "--db", str(path))

    assert run(capsys, "wages", "list", "--db", str(path))[:2] == (0, "No pay periods yet.\n")


def test_wages_list_of_a_missing_file_creates_nothing(tmp_path, capsys):
    path = tmp_path / "missing.sqlite3"

    code, _out, err = run(capsys, "wages", "list", "--db", str(path))

    assert code == 2
    assert "There is no database" in err
    assert not path.exists()


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_print_wages_of_a_month_writes_every_members_statement(demo_db, tmp_path, capsys):
    from obrero.wages.periods import preview

    period = pay_periods(demo_db)[1]  # the last one paid
    out = tmp_path / "retiros.pdf"

    code, printed, err = run(
        capsys, "print", "wages", "--db", str(demo_db), "--period", period.start.strftime("%Y-%m"),
        "--lang", "en", "--out", str(out),
    )  # fmt: skip

    assert (code, err) == (0, "")
    database = open_database(demo_db)
    try:
        rows = database.read(preview, period.id).rows
    finally:
        database.close()
    assert printed == f"Wrote {len(rows)} wage statements of “{period.label}” to {out}.\n"
    text = pdf_text(out)
    for row in rows:
        assert row.name in text
        assert f"{row.net_cents // 100:,}.{row.net_cents % 100:02d}" in text
    assert not list(tmp_path.glob(".retiros.pdf.*"))


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_print_wages_of_one_member_by_period_number(demo_db, tmp_path, capsys):
    from obrero.wages.periods import preview

    period = pay_periods(demo_db)[0]
    database = open_database(demo_db)
    try:
        first, *others = database.read(preview, period.id).rows
    finally:
        database.close()
    out = tmp_path / "recibo.pdf"

    code, printed, _err = run(
        capsys, "print", "wages", "--db", str(demo_db), "--period-id", str(period.id),
        "--member", str(first.member_id), "--lang", "es", "--out", str(out),
    )  # fmt: skip

    assert code == 0
    assert printed.startswith(f"Wrote 1 wage statement of “{period.label}”")
    text = pdf_text(out)
    assert first.name in text
    # The summary sheet names everyone; only one statement was printed.
    assert text.count(first.national_id) > max(text.count(row.national_id) for row in others)


def test_print_wages_asks_which_fortnight(fortnights_db, tmp_path, capsys):
    out = tmp_path / "q.pdf"

    code, _out, err = run(
        capsys, "print", "wages", "--db", str(fortnights_db), "--period", "2026-10",
        "--out", str(out),
    )  # fmt: skip

    assert code == 2
    assert err == (
        "Several pay periods start in 2026-10 (1: 1.ª quincena de octubre; 2: 2.ª quincena); "
        "choose one with --period-id NUMBER.\n"
    )
    assert not out.exists()
    code, printed, _err = run(
        capsys, "print", "wages", "--db", str(fortnights_db), "--period-id", "2",
        "--out", str(out),
    )  # fmt: skip
    assert code == 0
    assert "2 wage statements of “2.ª quincena”" in printed
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["--period", "2031-01"],
            "No pay period starts in 2031-01; see them with: obrero wages list",
        ),
        (["--period-id", "99"], "There is no pay period number 99."),
        (["--period-id", "1", "--member", "99"], "Member number 99 has no share in"),
    ],
)
def test_print_wages_refuses_what_is_not_there(fortnights_db, tmp_path, capsys, arguments, message):
    out = tmp_path / "x.pdf"

    code, _out, err = run(
        capsys, "print", "wages", "--db", str(fortnights_db), *arguments, "--out", str(out)
    )

    assert code == 2
    assert message in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--period", "2026-13"], "“2026-13” is not a month; type it as yyyy-mm, e.g. 2026-10."),
        (["--period", "10/2026"], "“10/2026” is not a month"),
        (["--period", "2026-10", "--period-id", "1"], "not allowed with argument"),
        ([], "one of the arguments --period --period-id is required"),
    ],
)
def test_print_wages_usage_errors(tmp_path, capsys, arguments, message):
    out = tmp_path / "x.pdf"

    code, _out, err = run(capsys, "print", "wages", *arguments, "--out", str(out))

    assert code == 2
    assert message in err


# --- backup, export, verify-archive, import ---------------------------------------------------


@pytest.fixture
def own_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This installation's signing key lives in a throwaway configuration folder."""
    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.delenv("OBRERO_PASSPHRASE", raising=False)
    return config


def table_rows(path: Path) -> dict[str, list[tuple]]:
    """Every table's rows, in rowid order, read with plain sqlite3."""
    with closing(sqlite3.connect(path)) as connection:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            name: connection.execute(f'SELECT * FROM "{name}" ORDER BY 1').fetchall()
            for name in names
        }


def export_to(capsys, db: Path, target: Path, *extra: str) -> tuple[Path, str]:
    """Export ``db`` into ``target``; the archive's path and the printed fingerprint."""
    target.mkdir(exist_ok=True)
    code, out, err = run(capsys, "export", "--db", str(db), "--to", str(target), *extra)
    assert code == 0, err
    wrote, signed = out.splitlines()
    archive = Path(re.fullmatch(r"Wrote the archive (.+)\.", wrote).group(1))
    fingerprint = re.fullmatch(
        r"Signed with this installation's key, fingerprint ([0-9A-F ]{19})\.", signed
    ).group(1)
    return archive, fingerprint


def rewrite_member(archive: Path, name: str, change) -> None:
    """Replace one file inside the zip, leaving its manifest and signature as they were."""
    import zipfile

    with zipfile.ZipFile(archive) as source:
        contents = [(info, source.read(info)) for info in source.infolist()]
    assert name in [info.filename for info, _data in contents]
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in contents:
            target.writestr(info, change(data) if info.filename == name else data)


def test_exchange_commands_have_help(capsys):
    out = run(capsys, "--help")[1]
    for command in ("backup", "export", "verify-archive", "import"):
        assert command in out

    for command, options in (
        ("backup", ["--db"]),
        ("export", ["--db", "--to", "--encrypt"]),
        ("verify-archive", ["--passphrase-env", "FILE"]),
        ("import", ["--db", "--accept-foreign", "--passphrase-env", "FILE"]),
    ):
        code, out, _err = run(capsys, command, "--help")
        assert code == 0
        assert f"usage: obrero {command}" in out
        for option in options:
            assert option in out, (command, option)


def test_backup_prints_the_path_of_a_checked_copy(demo_db, capsys):
    code, out, err = run(capsys, "backup", "--db", str(demo_db))

    assert (code, err) == (0, "")
    copy = Path(out.strip())
    assert copy.parent == demo_db.parent / "backups"
    assert re.fullmatch(r"obrero-\d{8}T\d{6}Z-manual\.sqlite3", copy.name)
    assert table_rows(copy) == table_rows(demo_db)
    with closing(sqlite3.connect(copy)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]

    second = Path(run(capsys, "backup", "--db", str(demo_db))[1].strip())
    assert second != copy and second.exists() and copy.exists()


def test_backup_of_a_missing_database_creates_nothing(tmp_path, capsys):
    path = tmp_path / "missing.sqlite3"

    code, out, err = run(capsys, "backup", "--db", str(path))

    assert (code, out) == (2, "")
    assert err == f"There is no database at {path}.\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_export_verify_and_import_into_a_fresh_path(demo_db, tmp_path, capsys, own_key):
    usb = tmp_path / "usb"
    code, out, err = run(capsys, "export", "--db", str(demo_db), "--to", str(usb))
    assert code == 2 and "usb" in err  # the folder must exist
    archive, fingerprint = export_to(capsys, demo_db, usb)

    assert archive.parent == usb and archive.name.startswith("obrero-cooperativa-de-trabajo")
    assert archive.suffix == ".zip"
    assert sorted(p.name for p in usb.iterdir()) == [archive.name]

    code, out, err = run(capsys, "verify-archive", str(archive))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == (
        f"The archive {archive} is intact: every file matches its manifest and signature."
    )
    assert lines[1] == "Factory: Cooperativa de Trabajo La Tomatera Ltda."
    assert re.fullmatch(r"Created: .+ UTC", lines[2])
    assert re.fullmatch(r"Files: \d+", lines[3]) and int(lines[3].split()[1]) > 3
    assert lines[4] == f"Signed by this installation, fingerprint {fingerprint}."
    assert len(lines) == 5

    fresh = tmp_path / "other pc" / "obrero.sqlite3"
    code, out, err = run(capsys, "import", "--db", str(fresh), str(archive))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"Imported {archive} into {fresh}.",
        f"There was no database at {fresh} before; nothing needed saving.",
    ]
    assert table_rows(fresh) == table_rows(demo_db)
    assert member_count(fresh) == 5


def test_import_over_a_database_saves_it_first(demo_db, tmp_path, capsys, own_key):
    archive, _fingerprint = export_to(capsys, demo_db, tmp_path / "usb")
    target = tmp_path / "target.sqlite3"
    assert run(capsys, "init", "--db", str(target))[0] == 0
    before = table_rows(target)

    code, out, _err = run(capsys, "import", "--db", str(target), str(archive))

    assert code == 0
    saved = Path(re.fullmatch(r"The previous database was saved as (.+)\.", out.splitlines()[1])[1])
    assert saved.parent == tmp_path / "backups"
    assert saved.name.endswith("-before-import.sqlite3")
    assert table_rows(saved) == before
    assert table_rows(target) == table_rows(demo_db)


def test_a_tampered_archive_fails_verification_and_is_not_imported(
    demo_db, tmp_path, capsys, own_key
):
    archive, _fingerprint = export_to(capsys, demo_db, tmp_path / "usb")
    rewrite_member(archive, "csv/member.csv", lambda data: data.replace(b"Luna", b"Lina"))

    code, out, _err = run(capsys, "verify-archive", str(archive))

    assert code == 1
    assert out.splitlines()[0] == f"Verifying {archive} found problems:"
    assert (
        "- csv/member.csv was altered: its contents do not match the manifest (SHA-256)."
        in out.splitlines()
    )

    target = tmp_path / "target.sqlite3"
    assert run(capsys, "init", "--db", str(target))[0] == 0
    before = target.read_bytes()
    code, out, err = run(capsys, "import", "--db", str(target), str(archive))
    assert (code, out) == (2, "")
    assert "The archive was not imported; the current database was not changed." in err
    assert "csv/member.csv was altered" in err
    assert target.read_bytes() == before
    assert not (tmp_path / "backups").exists()


def test_verify_a_file_that_is_missing_or_not_an_archive(tmp_path, capsys, own_key):
    code, out, _err = run(capsys, "verify-archive", str(tmp_path / "nothing.zip"))
    assert code == 1
    assert "does not exist" in out

    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"PK\x03\x04 this is not really a zip" * 10)
    code, out, err = run(capsys, "verify-archive", str(junk))
    assert code == 1
    assert out.startswith(f"Verifying {junk} found problems:\n- ")
    assert "Traceback" not in out + err


def test_encrypted_export_needs_its_passphrase(demo_db, tmp_path, capsys, own_key, monkeypatch):
    monkeypatch.setenv("OBRERO_PASSPHRASE", "ñandú del Paraná")
    archive, fingerprint = export_to(capsys, demo_db, tmp_path / "usb", "--encrypt")
    assert archive.name.endswith(".zip.enc")

    code, out, _err = run(capsys, "verify-archive", "--passphrase-env", str(archive))
    assert code == 0
    assert f"Signed by this installation, fingerprint {fingerprint}." in out
    assert out.splitlines()[-1] == "Encrypted with a passphrase."

    monkeypatch.setenv("OBRERO_PASSPHRASE", "wrong")
    code, out, _err = run(capsys, "verify-archive", "--passphrase-env", str(archive))
    assert code == 1
    assert "The passphrase is wrong" in out

    monkeypatch.delenv("OBRERO_PASSPHRASE")
    code, out, err = run(capsys, "verify-archive", "--passphrase-env", str(archive))
    assert (code, out) == (2, "")
    assert err == "--passphrase-env was given but OBRERO_PASSPHRASE is not set.\n"

    # Without --passphrase-env, an encrypted archive's passphrase is asked for.
    asked: list[str] = []
    monkeypatch.setattr(
        "getpass.getpass", lambda prompt="": asked.append(prompt) or "ñandú del Paraná"
    )
    assert run(capsys, "verify-archive", str(archive))[0] == 0
    assert asked == [f"Passphrase of {archive}: "]

    fresh = tmp_path / "fresh.sqlite3"
    assert run(capsys, "import", "--db", str(fresh), str(archive))[0] == 0
    assert table_rows(fresh) == table_rows(demo_db)


def test_import_with_a_wrong_passphrase_changes_nothing(
    demo_db, tmp_path, capsys, own_key, monkeypatch
):
    monkeypatch.setenv("OBRERO_PASSPHRASE", "la fábrica es nuestra")
    archive, _fingerprint = export_to(capsys, demo_db, tmp_path / "usb", "--encrypt")
    monkeypatch.setenv("OBRERO_PASSPHRASE", "La fábrica es nuestra")
    fresh = tmp_path / "fresh.sqlite3"

    code, out, err = run(capsys, "import", "--db", str(fresh), "--passphrase-env", str(archive))

    assert (code, out) == (2, "")
    assert "The passphrase is wrong" in err
    assert not fresh.exists()


def test_encrypted_export_asks_the_passphrase_twice(
    demo_db, tmp_path, capsys, own_key, monkeypatch
):
    usb = tmp_path / "usb"
    usb.mkdir()
    typed = iter(["uno", "dos"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))

    code, out, err = run(capsys, "export", "--db", str(demo_db), "--to", str(usb), "--encrypt")

    assert (code, out) == (2, "")
    assert err == "The two passphrases differ; nothing was exported.\n"
    assert list(usb.iterdir()) == []

    typed = iter(["tres", "tres"])
    archive, _fingerprint = export_to(capsys, demo_db, usb, "--encrypt")
    monkeypatch.setenv("OBRERO_PASSPHRASE", "tres")
    assert run(capsys, "verify-archive", "--passphrase-env", str(archive))[0] == 0


def test_import_of_another_installations_archive_needs_accept_foreign(
    demo_db, tmp_path, capsys, own_key, monkeypatch
):
    archive, fingerprint = export_to(capsys, demo_db, tmp_path / "usb")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "another pc"))

    code, out, _err = run(capsys, "verify-archive", str(archive))
    assert code == 0
    assert f"Signed by another installation, fingerprint {fingerprint}." in out
    assert "Warning: Signed by another installation" in out

    fresh = tmp_path / "fresh.sqlite3"
    code, _out, err = run(capsys, "import", "--db", str(fresh), str(archive))
    assert code == 2
    assert fingerprint in err
    assert not fresh.exists()

    code, _out, _err = run(capsys, "import", "--db", str(fresh), "--accept-foreign", str(archive))
    assert code == 0
    assert table_rows(fresh) == table_rows(demo_db)
