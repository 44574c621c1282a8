"""A writer killed at a random instant leaves the last committed state intact.

``crash_writer.py`` adds members in a loop, printing each national id after its
transaction committed. We SIGKILL it at random moments, many times over the same
file, and check that the file is sound and nothing it reported is missing.
"""

from __future__ import annotations

import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from obrero import members
from obrero.store.database import open_database

WRITER = Path(__file__).with_name("crash_writer.py")
ROUNDS = 20
STARTUP_TIMEOUT_S = 30


def run_and_kill(path: Path, prefix: str, delay: float) -> list[str]:
    """Start the writer, kill it ``delay`` s after its first commit; the ids it printed."""
    child = subprocess.Popen(
        [sys.executable, str(WRITER), str(path), prefix],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        ready, _, _ = select.select([child.stdout], [], [], STARTUP_TIMEOUT_S)
        assert ready, "the writer printed nothing"
        first = child.stdout.readline()
        assert first.endswith(b"\n"), child.stderr.read().decode(errors="replace")
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        rest = child.stdout.read()
        assert child.wait(timeout=10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
        child.stderr.close()
    # Only whole lines: a line cut by the kill is not a promise.
    return [line.decode() for line in (first + rest).split(b"\n")[:-1]]


def stored_state(path: Path) -> tuple[str, set[str], int, int, set[str], set[str]]:
    with closing(sqlite3.connect(path)) as connection:
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
        national_ids = {row[0] for row in connection.execute("SELECT national_id FROM member")}
        member_ids = {str(row[0]) for row in connection.execute("SELECT id FROM member")}
        audit_total = connection.execute("SELECT count(*) FROM audit_entry").fetchone()[0]
        inserts = connection.execute(
            "SELECT count(*) FROM audit_entry WHERE table_name = 'member' AND action = 'insert'"
        ).fetchone()[0]
        audited_keys = {row[0] for row in connection.execute("SELECT row_key FROM audit_entry")}
    return integrity, national_ids, audit_total, inserts, member_ids, audited_keys


@pytest.mark.slow
def test_killed_writer_loses_no_committed_member(tmp_path):
    path = tmp_path / "crash.sqlite3"
    rng = random.Random(20251006)
    printed: list[str] = []
    longest_round = 0

    for round_number in range(ROUNDS):
        lines = run_and_kill(path, f"R{round_number:03d}", rng.uniform(0.05, 0.6))
        assert lines, "the writer committed nothing"
        printed.extend(lines)
        longest_round = max(longest_round, len(lines))

        integrity, national_ids, audit_total, inserts, member_ids, audited_keys = stored_state(path)
        assert integrity == "ok", f"round {round_number}"
        missing = set(printed) - national_ids
        assert not missing, f"round {round_number}: committed members lost: {sorted(missing)}"
        # At most one member per round committed without being printed, before the kill.
        assert len(national_ids) <= len(printed) + round_number + 1
        assert audit_total == inserts == len(national_ids)
        assert audited_keys == member_ids

        database = open_database(path)
        try:
            assert database.integrity_ok()
            assert database.read(members.count_members) == len(national_ids)
        finally:
            database.close()

    assert len(set(printed)) == len(printed)
    # The kills did land while the writer was busy committing, not only at its start.
    assert longest_round > 5
