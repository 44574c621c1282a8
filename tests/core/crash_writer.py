"""Child process of test_crash_safety: adds members until it is killed.

Usage: ``python crash_writer.py DATABASE PREFIX``. Prints each member's national id
on its own line, flushed, only *after* the transaction that added it has committed.
"""

from __future__ import annotations

import sys
from datetime import date
from itertools import count
from pathlib import Path

from obrero import members
from obrero.store.database import open_database


def main(path: str, prefix: str) -> None:
    database = open_database(Path(path), operator="crash-writer")
    for number in count():
        national_id = f"{prefix}N{number:06d}"
        draft = members.MemberDraft(
            full_name=f"Trabajadora Peña {prefix} {number}",
            national_id=national_id,
            join_date=date(2025, 1, 1),
            sector="Forja" if number % 2 else "Pintura",
        )
        database.write(members.add_member, draft)
        sys.stdout.write(national_id + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
