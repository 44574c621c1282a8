"""Where Obrero finds its files: the user's database, shipped catalogues and resources.

An installed wheel carries translations and resources inside ``obrero/_data``
(staged by ``packaging/build_backend.py``); a source checkout reads them from
the top-level ``translations/`` and ``resources/`` folders.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
_STAGED = PACKAGE_DIR / "_data"
_CHECKOUT = PACKAGE_DIR.parent

APP_NAME = "Obrero"
DATABASE_FILENAME = "obrero.sqlite3"


def default_database_path() -> Path:
    """The database in the platform's user data directory (created on first use)."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / DATABASE_FILENAME


def _in_checkout() -> bool:
    return (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / "resources").is_dir()


def resources_dir() -> Path:
    """Icons, fonts and desktop files: the checkout's own, else the installed copy.

    A build stages a copy into the checkout too; the originals stay the truth there.
    """
    return _CHECKOUT / "resources" if _in_checkout() else _STAGED / "resources"


def translations_source_dir() -> Path | None:
    """The checkout's ``translations/`` folder with the ``.po`` files, if there is one."""
    source = _CHECKOUT / "translations"
    return source if source.is_dir() else None


def compiled_locale_dir() -> Path:
    """Where an installed wheel keeps its compiled ``.mo`` catalogues."""
    return _STAGED / "locale"
