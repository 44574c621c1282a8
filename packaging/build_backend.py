"""PEP 517 build backend: setuptools, after staging the files the wheel ships.

The gettext catalogues live in ``translations/`` and the fonts and icons in
``resources/`` (the project's top-level layout). A wheel needs them inside the
``obrero`` package, with the catalogues compiled, so before setuptools builds
anything they are staged into ``obrero/_data/`` (ignored by git).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import build_meta as _setuptools
from setuptools.build_meta import (  # noqa: F401  (re-exported PEP 517 hooks)
    get_requires_for_build_editable,
    get_requires_for_build_sdist,
    get_requires_for_build_wheel,
    prepare_metadata_for_build_editable,
    prepare_metadata_for_build_wheel,
)

ROOT = Path(__file__).resolve().parent.parent
STAGE = ROOT / "obrero" / "_data"


def _compile_catalogues() -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in sorted((ROOT / "translations").glob("*/LC_MESSAGES/*.po")):
        with po_path.open("rb") as handle:
            catalogue = read_po(handle, locale=po_path.parts[-3])
        target = STAGE / "locale" / po_path.relative_to(ROOT / "translations")
        target = target.with_suffix(".mo")
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as handle:
            write_mo(handle, catalogue)


def _stage() -> None:
    if not (ROOT / "translations").is_dir():
        return  # building from an sdist that was already staged
    shutil.rmtree(STAGE, ignore_errors=True)
    shutil.copytree(
        ROOT / "resources",
        STAGE / "resources",
        ignore=shutil.ignore_patterns("screenshots", "README*"),
    )
    _compile_catalogues()


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    _stage()
    return _setuptools.build_wheel(wheel_directory, config_settings, metadata_directory)


def build_sdist(sdist_directory, config_settings=None):
    _stage()
    return _setuptools.build_sdist(sdist_directory, config_settings)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    # An editable install reads resources/ from the checkout, and translations/ too
    # once a .po is newer than its compiled .mo; compiling now makes startup quicker.
    if (ROOT / "translations").is_dir():
        _compile_catalogues()
    return _setuptools.build_editable(wheel_directory, config_settings, metadata_directory)
