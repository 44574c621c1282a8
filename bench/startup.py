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

OBRERO = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])

def when_shown():
    if any(w.isVisible() and w.inherits("QMainWindow") for w in app.topLevelWidgets()):
        print("shown", flush=True)
        app.quit()
    else:
        QTimer.singleShot(1, when_shown)

QTimer.singleShot(0, when_shown)
from pathlib import Path
from ui.app import run
run(Path(sys.argv[1]))
"""


def time_child(code: str, *args: str) -> float:
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
    line = child.stdout.readline()
    elapsed = time.perf_counter() - start
    child.wait(timeout=60)
    if line.strip() != "shown":
        raise SystemExit(f"child did not show its window (exit {child.returncode})")
    return elapsed


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
        baseline, obrero = [], []
        for _run in range(args.runs):
            baseline.append(time_child(BASELINE))
            obrero.append(time_child(OBRERO, str(db)))
    base, ours = statistics.median(baseline), statistics.median(obrero)
    ratio = ours / base
    print(f"baseline (bare QMainWindow): median {base * 1000:.0f} ms over {args.runs} runs")
    print(f"obrero main window, demo db: median {ours * 1000:.0f} ms over {args.runs} runs")
    verdict = "ok" if ratio <= TARGET_RATIO else "OVER TARGET"
    print(f"ratio {ratio:.2f} (target <= {TARGET_RATIO}) {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
