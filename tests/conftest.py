"""Fixtures for every test: nothing may touch the real user's folders."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def private_user_folders(tmp_path_factory, monkeypatch):
    """Point the user's data and config folders at a temporary one (platformdirs reads XDG)."""
    home = tmp_path_factory.mktemp("home")
    for variable, folder in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        (home / folder).mkdir()
        monkeypatch.setenv(variable, str(home / folder))
    return home
