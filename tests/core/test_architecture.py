"""The core stays free of Qt: importing all of ``obrero`` must not load PySide6 or ``ui``."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import obrero

IMPORT_EVERYTHING = """
import importlib, json, pkgutil, sys
import obrero

# __main__ runs the program; migrations are Alembic scripts, not importable modules.
SKIP = ("obrero.__main__", "obrero.store.migrations")

def fail(name):
    raise ImportError(f"cannot import {name}")

imported = []
for info in pkgutil.walk_packages(obrero.__path__, "obrero.", onerror=fail):
    if info.name.startswith(SKIP):
        continue
    importlib.import_module(info.name)
    imported.append(info.name)
print(json.dumps({
    "imported": imported,
    "qt": sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "ui")),
}))
"""


def test_importing_every_core_module_loads_no_qt():
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERYTHING],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    # The walk really reached the core (and not an empty or wrong package).
    assert {
        "obrero.members",
        "obrero.audit",
        "obrero.profile",
        "obrero.settings",
        "obrero.store.database",
        "obrero.store.models",
        "obrero.i18n.formatting",
    } <= set(report["imported"])
    assert report["qt"] == []


def _imports(source: str, modules: str) -> list[re.Match[str]]:
    return list(re.finditer(rf"^(\s*)(?:from|import)\s+(?:{modules})\b", source, re.M))


def test_no_core_source_imports_qt():
    """Catches a lazy ``import PySide6`` inside a function, which importing would not run."""
    package = Path(obrero.__file__).parent
    sources = {str(path.relative_to(package)): path.read_text() for path in package.rglob("*.py")}
    assert "members.py" in sources
    assert [name for name, text in sources.items() if _imports(text, "PySide6|shiboken6")] == []
    # Only the entry point may reach the window, and only from inside a function,
    # so that the headless commands never load Qt.
    ui_imports = {
        name: [match.group(1) for match in _imports(text, "ui")]
        for name, text in sources.items()
        if _imports(text, "ui")
    }
    assert set(ui_imports) <= {"cli.py"}
    assert all(indent for indents in ui_imports.values() for indent in indents)
