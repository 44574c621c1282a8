"""Extract Obrero's messages into obrero.pot and merge them into each language's .po.

Run from the checkout's root after changing user-visible strings:

    python translations/update_catalogues.py

then translate the new (empty) entries in translations/<lang>/LC_MESSAGES/obrero.po.
The build compiles the .po files (packaging/build_backend.py); a checkout reads
them directly.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LANGUAGES = ("es", "pt_BR")


def main() -> int:
    pot = HERE / "obrero.pot"
    pybabel = [sys.executable, "-m", "babel.messages.frontend"]
    subprocess.run(
        [*pybabel, "extract", "-F", str(HERE / "babel.cfg"), "-o", str(pot),
         "--project=Obrero", "--no-location", "--sort-output",
         "--add-comments=Translators:", "-k", "N_", "."],
        cwd=ROOT, check=True,
    )  # fmt: skip
    for language in LANGUAGES:
        po = HERE / language / "LC_MESSAGES" / "obrero.po"
        command = "update" if po.exists() else "init"
        extra = ["--no-fuzzy-matching", "--ignore-obsolete"] if command == "update" else []
        subprocess.run(
            [*pybabel, command, "-D", "obrero", "-i", str(pot), "-d", str(HERE), "-l", language,
             *extra],
            cwd=ROOT, check=True,
        )  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
