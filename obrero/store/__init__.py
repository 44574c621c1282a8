"""The local store: SQLAlchemy models, the SQLite database, migrations and backups."""
