"""The wheel: built from the checkout, installed into a fresh venv, run as ``obrero``.

The venv sees the running environment's packages (``--system-site-packages``),
so the heavy dependencies need no network; obrero itself comes from the wheel.
"""

from __future__ import annotations

import gettext
import io
import os
import shutil
import sqlite3
import subprocess
import sys
import sysconfig
import zipfile
from contextlib import closing
from pathlib import Path

import pytest

import obrero

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 600
# Copied from the checkout but never part of a build.
NOT_SOURCE = {".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache", ".mypy_cache"}


def _not_source(folder: str, names: list[str]) -> set[str]:
    here = Path(folder)
    skip = {name for name in names if name in NOT_SOURCE or name.endswith(".egg-info")}
    if here == ROOT:
        skip |= {"build", "dist"} & set(names)
    if here == ROOT / "obrero":
        skip |= {"_data"} & set(names)  # staged by the build itself
    return skip


def _run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``command`` away from the checkout, in English, failing with its output."""
    environment = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    environment["LANGUAGE"] = "en"
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Build from a copy: the build stages obrero/_data into its source tree, and a stale
    # staged copy in the checkout would shadow resources/ for the editable install.
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=_not_source)
    dist = work / "dist"
    _run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
        "--wheel-dir", dist, source,
        cwd=work,
    )  # fmt: skip
    (built,) = dist.glob("obrero-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv with the wheel installed; returns its scripts folder (``bin``)."""
    home = tmp_path_factory.mktemp("venv") / "venv"
    _run(sys.executable, "-m", "venv", "--system-site-packages", home, cwd=home.parent)
    scripts = home / ("Scripts" if os.name == "nt" else "bin")
    _see_running_environment(scripts / "python")
    # --ignore-installed: the editable obrero of the running environment must not count.
    _run(
        scripts / "python", "-m", "pip", "install", "--no-deps", "--no-index",
        "--ignore-installed", "--disable-pip-version-check", wheel,
        cwd=home.parent,
    )  # fmt: skip
    return scripts


def _see_running_environment(python: Path) -> None:
    """When the tests themselves run in a venv, make its packages visible to the new one.

    ``--system-site-packages`` only reaches the base interpreter's packages.
    """
    if sys.prefix == sys.base_prefix:
        return
    paths = {sysconfig.get_paths()[key] for key in ("purelib", "platlib")}
    site = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=ROOT)
    (Path(site.stdout.strip()) / "running-environment.pth").write_text("\n".join(sorted(paths)))


def _shipped_resources() -> list[str]:
    """resources/ less what packaging/build_backend.py leaves out (README screenshots)."""
    folder = ROOT / "resources"
    return [
        path.relative_to(folder).as_posix()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
        and not path.name.startswith("README")
        and "screenshots" not in path.relative_to(folder).parts
    ]


def _checkout_translations() -> list[str]:
    return sorted(po.parts[-3] for po in (ROOT / "translations").glob("*/LC_MESSAGES/obrero.po"))


def test_wheel_ships_migrations_resources_and_catalogues(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        catalogues = {
            language: archive.read(f"obrero/_data/locale/{language}/LC_MESSAGES/obrero.mo")
            for language in _checkout_translations()
        }

    migrations = ROOT / "obrero" / "store" / "migrations"
    versions = sorted(migrations.glob("versions/*.py"))
    assert versions
    for script in [migrations / "env.py", migrations / "script.py.mako", *versions]:
        assert script.relative_to(ROOT).as_posix() in names
    resources = [name for name in names if name.startswith("obrero/_data/resources/")]
    assert resources
    for shipped in _shipped_resources():
        assert f"obrero/_data/resources/{shipped}" in resources
    for language, compiled in catalogues.items():
        assert gettext.GNUTranslations(io.BytesIO(compiled)).info(), language
    if (ROOT / "ui" / "app.py").exists():
        assert "ui/app.py" in names  # the window the console script opens
    assert not any(name.startswith("tests/") for name in names)


def test_installed_obrero_comes_from_the_venv(venv, tmp_path):
    script = (
        "import obrero, obrero.locations as places\n"
        "print(obrero.__file__)\n"
        "print(places.resources_dir())\n"
    )
    result = _run(venv / "python", "-c", script, cwd=tmp_path)
    module, resources = (Path(line) for line in result.stdout.splitlines())

    assert module.is_relative_to(venv.parent)
    assert not module.is_relative_to(Path(obrero.__file__).parent)
    assert resources.is_relative_to(venv.parent)
    assert resources.is_dir()


@pytest.mark.parametrize("language", _checkout_translations())
def test_installed_catalogues_load(venv, tmp_path, language):
    script = (
        "from obrero.i18n import translator\n"
        f"catalogue = translator({language!r})\n"
        "print(type(catalogue).__name__)\n"
        "print(catalogue.gettext('Members'))\n"
    )

    result = _run(venv / "python", "-c", script, cwd=tmp_path)

    kind, members = result.stdout.splitlines()
    assert kind == "GNUTranslations"
    assert members not in ("", "Members")  # really translated, from the shipped .mo


def test_installed_fonts_are_the_shipped_ones(venv, tmp_path):
    script = (
        "from obrero.documents.fonts import FACES, font_file, register_fonts\n"
        "print(register_fonts())\n"
        "for face in FACES: print(font_file(face))\n"
    )
    result = _run(venv / "python", "-c", script, cwd=tmp_path)
    family, *files = result.stdout.splitlines()
    assert family == "DejaVuSans"
    for name in files:
        installed = Path(name)
        assert installed.is_relative_to(venv.parent)
        assert (
            installed.read_bytes() == (ROOT / "resources" / "fonts" / installed.name).read_bytes()
        )


def test_console_script_prints_the_version(venv, tmp_path):
    result = _run(venv / "obrero", "--version", cwd=tmp_path)

    assert result.stdout == f"obrero {obrero.__version__}\n"


def test_console_script_builds_the_demo(venv, tmp_path):
    database = tmp_path / "demo.sqlite3"

    result = _run(venv / "obrero", "demo", "--db", database, cwd=tmp_path)

    assert "60 members" in result.stdout
    with closing(sqlite3.connect(database)) as connection:
        assert connection.execute("SELECT count(*) FROM member").fetchone() == (60,)
