"""Startup time: process start to the main window shown, against a bare Qt window.

    python bench/startup.py [--runs N]

Builds a demo database in a temporary folder, then starts fresh processes
alternately: the baseline (``QApplication`` + empty ``QMainWindow``) and
Obrero's real ``ui.app.run`` on the demo database. Each child reports when
its window is shown and painted; the parent measures from spawning it.
Prints the medians and their ratio (target: <= 2.0).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 2.0

# Both children quit from the first timer after the window is exposed.
BASELINE = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.show()
QTimer.singleShot(0, lambda: (print("shown", flush=True), app.quit()))
app.exec()
"""

# Obrero through its real entry point, `obrero --db PATH`; it reports "shown" when the
# main window is on screen and "ready" when the roll of members is in it.
OBRERO = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
reported = set()

def watch():
    windows = [w for w in app.topLevelWidgets() if w.isVisible() and w.inherits("QMainWindow")]
    if windows and "shown" not in reported:
        reported.add("shown")
        print("shown", flush=True)
    if windows and windows[0].is_attached():
        print("ready", flush=True)
        app.quit()
        return
    QTimer.singleShot(1, watch)

QTimer.singleShot(0, watch)
from obrero.cli import main
main(["--db", sys.argv[1]])
"""


def time_child(code: str, *args: str) -> list[float]:
    """Seconds from spawning the child to each line it prints."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
        env=env,
    )
    marks = []
    for line in child.stdout:
        marks.append(time.perf_counter() - start)
        if line.strip() not in ("shown", "ready"):
            raise SystemExit(f"unexpected output from the child: {line!r}")
    child.wait(timeout=60)
    if not marks:
        raise SystemExit(f"child did not show its window (exit {child.returncode})")
    return marks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "demo.sqlite3"
        subprocess.run(
            [sys.executable, "-m", "obrero", "demo", "--db", str(db)],
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        time_child(OBRERO, str(db))  # warm the file cache for both
        time_child(BASELINE)
        baseline, shown, ready = [], [], []
        for _run in range(args.runs):
            baseline.append(time_child(BASELINE)[0])
            shown_at, ready_at = time_child(OBRERO, str(db))
            shown.append(shown_at)
            ready.append(ready_at)
    base = statistics.median(baseline)
    print(f"baseline, bare QMainWindow shown: median {base * 1000:.0f} ms ({args.runs} runs)")
    for label, times in (("main window shown", shown), ("members roll loaded", ready)):
        ours = statistics.median(times)
        print(f"obrero {label}: median {ours * 1000:.0f} ms, ratio {ours / base:.2f}")
    ratio = statistics.median(shown) / base
    verdict = "ok" if ratio <= TARGET_RATIO else "OVER TARGET"
    print(f"startup ratio (window shown) {ratio:.2f}, target <= {TARGET_RATIO}: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
