"""Export: the safe, signed archive against plain ``zipfile`` writing the same files.

    python bench/export.py [--years N] [--members N] [--runs N]

Builds a demo factory (10 years, 1,000 members by default: about 3 s), then
times in the same run, each the median of ``--runs``:

- ``export_archive`` end to end: snapshot with the backup API and integrity check,
  CSV and ODS copies of every table, zip with hashing, manifest and signature,
  fsync, re-read of every file against the manifest, rename;
- its writing stage alone (the same, from files already prepared): what the safety
  costs, hashing and the re-read included;
- the baseline: ``zipfile`` writing the very same bytes (snapshot, CSVs, ODS and
  metadata, precomputed in memory) with the same compression, no checks;
- its preparing stage alone (snapshot, integrity check, CSV and ODS copies);
- for information, an encrypted export (scrypt runs twice: to encrypt and to check).

Prints the ratios against the baseline (target: <= 2.0) of the writing stage, the
like-for-like comparison, and of the whole export, whose CSV and ODS copies the
baseline receives ready-made.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import zipfile
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from obrero.demo import build_demo
from obrero.exchange import archive
from obrero.store.database import open_database

TARGET_RATIO = 2.0


def baseline(members: dict[str, tuple[bytes, int]], path: Path) -> None:
    """Plain zipfile: the same bytes, the same compression, nothing else."""
    with zipfile.ZipFile(path, "w") as zipped:
        for name, (data, compression) in members.items():
            zipped.writestr(name, data, compress_type=compression)


def timed(function, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    key = Ed25519PrivateKey.generate()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        path = root / "data" / "obrero.sqlite3"
        path.parent.mkdir()
        database = open_database(path)
        try:
            seconds, summary = timed(
                database.write, build_demo, years=args.years, members=args.members
            )
            print(
                f"built {args.years} years, {summary.members:,} members, "
                f"{summary.logbook_entries:,} logbook entries in {seconds:.1f} s; "
                f"database {path.stat().st_size / 1e6:.1f} MB"
            )
            run(database, root, key, args.runs)
        finally:
            database.close()
    return 0


def run(database, root: Path, key: Ed25519PrivateKey, runs: int) -> None:
    stick = root / "stick"
    stick.mkdir()
    exports, preparing, stages, bases, encrypted = [], [], [], [], []
    members: dict[str, tuple[bytes, int]] = {}
    for _run in range(runs):
        took, written = timed(archive.export_archive, database, stick, key=key)
        exports.append(took)
        with zipfile.ZipFile(written) as zipped:
            members = {
                info.filename: (zipped.read(info), info.compress_type) for info in zipped.infolist()
            }
        took, _path = timed(baseline, members, root / "baseline.zip")
        bases.append(took)
        with tempfile.TemporaryDirectory(dir=root) as work:
            took, prepared = timed(
                archive.prepare, database.path, Path(work), archive.Progress(None, None)
            )
            preparing.append(took)
            took, _path = timed(
                archive.write_verified,
                prepared,
                stick / "stage.zip",
                key,
                None,
                open,
                archive.Progress(None, None),
            )
            stages.append(took)
        took, _path = timed(archive.export_archive, database, stick, passphrase="x", key=key)
        encrypted.append(took)
    content = sum(len(data) for data, _compression in members.values())
    size = written.stat().st_size
    print(f"archive: {len(members)} files, {content / 1e6:.1f} MB inside, {size / 1e6:.1f} MB zip")
    base = statistics.median(bases)
    print(f"baseline, zipfile writing the same bytes: median {base * 1000:.0f} ms")
    for label, times in (
        ("writing stage (zip + hashes + fsync + re-read + rename)", stages),
        ("preparing (snapshot, integrity check, CSV and ODS copies)", preparing),
        ("export_archive, end to end", exports),
        ("encrypted export, end to end", encrypted),
    ):
        ours = statistics.median(times)
        print(f"{label}: median {ours * 1000:.0f} ms, {ours / base:.2f} x baseline")
    ratio = statistics.median(stages) / base
    verdict = "ok" if ratio <= TARGET_RATIO else "OVER TARGET"
    print(f"writing ratio {ratio:.2f}, target <= {TARGET_RATIO}: {verdict}")
    ratio = statistics.median(exports) / base
    verdict = "ok" if ratio <= TARGET_RATIO else "over (the baseline gets the CSV and ODS for free)"
    print(f"end-to-end ratio {ratio:.2f}, target <= {TARGET_RATIO}: {verdict}")


if __name__ == "__main__":
    raise SystemExit(main())
