"""Where Obrero keeps its files."""

from __future__ import annotations

from obrero.locations import DATABASE_FILENAME, default_database_path, resources_dir


def test_default_database_is_in_the_users_data_folder(private_user_folders):
    path = default_database_path()
    assert path.name == DATABASE_FILENAME
    assert path.is_relative_to(private_user_folders / "data")
    assert not path.exists()  # asking for the place creates nothing


def test_resources_are_found_in_a_checkout_or_an_installed_package():
    assert (resources_dir() / "icons" / "obrero.svg").is_file()
