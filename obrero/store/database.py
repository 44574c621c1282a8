"""Opening the SQLite database: checks, backups, migrations and transactions.

One engine per file with a single pooled connection: SQLite wants one writer,
and a single connection serialises the UI's and the workers' access. Every
write runs in ``BEGIN IMMEDIATE`` so it either commits whole or not at all.
"""

from __future__ import annotations

import getpass
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from obrero.errors import DatabaseRefused
from obrero.i18n import _

# "OBRE" in the SQLite header marks a file as an Obrero database.
APPLICATION_ID = 0x4F425245
# Every migration revision this version knows, oldest first. A test checks it
# against the migrations folder, so opening a current file needs no Alembic.
SCHEMA_REVISIONS = ("0001",)
SCHEMA_HEAD = SCHEMA_REVISIONS[-1]
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 10_000

T = TypeVar("T")


class FileState(Enum):
    NEW = "new"
    CURRENT = "current"
    OLDER = "older"


def inspect_file(path: Path) -> tuple[FileState, str | None]:
    """Classify ``path`` without changing it; refuse what Obrero must not open."""
    if not path.exists() or path.stat().st_size == 0:
        return FileState.NEW, None
    with path.open("rb") as handle:
        header = handle.read(100)
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        raise DatabaseRefused(
            _("{path} is not an Obrero database (it is not an SQLite file).").format(path=path)
        )
    if int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        raise DatabaseRefused(
            _("{path} is an SQLite file of another program, not an Obrero database.").format(
                path=path
            )
        )
    revision = _stored_revision(path)
    if revision == SCHEMA_HEAD:
        return FileState.CURRENT, revision
    if revision in SCHEMA_REVISIONS or revision is None:
        return FileState.OLDER, revision
    raise DatabaseRefused(
        _(
            "{path} was written by a newer version of Obrero (schema {revision}). "
            "Install that version to open it; the file has not been changed."
        ).format(path=path, revision=revision)
    )


def _stored_revision(path: Path) -> str | None:
    try:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as connection:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as error:
        if "no such table" in str(error):
            return None
        raise DatabaseRefused(
            _("{path} cannot be read as a database: {error}").format(path=path, error=error)
        ) from error
    return row[0] if row else None


def backup_copy(path: Path, label: str) -> Path:
    """Copy the database with SQLite's online backup API; returns the copy's path."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.stem}.{label}-{stamp}{path.suffix}")
    serial = 1
    while target.exists():  # two backups within one second keep both
        serial += 1
        target = path.with_name(f"{path.stem}.{label}-{stamp}-{serial}{path.suffix}")
    with (
        closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as source,
        closing(sqlite3.connect(target)) as copy,
    ):
        source.backup(copy)
    return target


def _configure_connection(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Hand transaction control to SQLAlchemy's "begin" event (pysqlite's own is unreliable).
    dbapi_connection.isolation_level = None
    for pragma in (
        "journal_mode = WAL",
        "synchronous = FULL",
        "foreign_keys = ON",
        f"busy_timeout = {BUSY_TIMEOUT_MS}",
    ):
        dbapi_connection.execute(f"PRAGMA {pragma}")


def _begin(connection: Connection) -> None:
    immediate = connection.get_execution_options().get("write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _make_engine(path: Path) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        poolclass=QueuePool,
        pool_size=1,
        max_overflow=0,
        pool_timeout=60,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )
    event.listen(engine, "connect", _configure_connection)
    event.listen(engine, "begin", _begin)
    return engine


def _mark_new_file(path: Path) -> None:
    """Stamp a new file as Obrero's before anything else is written to it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(path)) as connection:
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        connection.commit()


def _upgrade(engine: Engine) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.connect().execution_options(write=True) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.commit()


class Database:
    """An open Obrero database. Services run inside :meth:`write` or :meth:`read`."""

    def __init__(self, path: Path, engine: Engine, operator: str | None = None) -> None:
        self.path = path
        self.engine = engine
        self.operator_override = operator
        self._sessions = sessionmaker(bind=engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write transaction: commits when the block ends, rolls back on any error."""
        with self.engine.connect().execution_options(write=True) as connection:
            self._stamp_operator(connection)
            # The session joins the connection's transaction; only we commit it.
            session = Session(
                bind=connection, expire_on_commit=False, join_transaction_mode="rollback_only"
            )
            with session:
                try:
                    yield session
                    session.flush()
                    connection.commit()
                except BaseException:
                    connection.rollback()
                    raise

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only snapshot of the database."""
        with self._sessions() as session:
            try:
                yield session
            finally:
                session.rollback()

    def write(self, service: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``service(session, *args, **kwargs)`` in one write transaction."""
        with self.transaction() as session:
            return service(session, *args, **kwargs)

    def read(self, service: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``service(session, *args, **kwargs)`` on a read-only snapshot."""
        with self.reading() as session:
            return service(session, *args, **kwargs)

    def _stamp_operator(self, connection: Connection) -> None:
        connection.execute(
            text(
                "UPDATE audit_context SET operator = COALESCE(:override, "
                "(SELECT value FROM setting WHERE key = 'operator_name' AND value != ''), "
                ":system_user) WHERE id = 1"
            ),
            {"override": self.operator_override, "system_user": _system_user()},
        )

    def integrity_ok(self) -> bool:
        with self.engine.connect() as connection:
            return connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"

    def close(self) -> None:
        self.engine.dispose()


def _system_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def open_database(
    path: Path, operator: str | None = None, on_backup: Callable[[Path], None] | None = None
) -> Database:
    """Open (creating or upgrading as needed) the Obrero database at ``path``.

    A file that is not an Obrero database, or comes from a newer Obrero, raises
    :class:`DatabaseRefused` and is left untouched. Before an upgrade of an
    existing file a backup copy is made beside it.
    """
    path = Path(path).expanduser().resolve()
    state, revision = inspect_file(path)
    if state is FileState.NEW:
        _mark_new_file(path)
    elif state is FileState.OLDER:
        copy = backup_copy(path, f"before-upgrade-from-{revision or 'empty'}")
        if on_backup:
            on_backup(copy)
    engine = _make_engine(path)
    if state is not FileState.CURRENT:
        try:
            _upgrade(engine)
        except Exception:
            engine.dispose()
            raise
    return Database(path, engine, operator)


def is_constraint_error(error: IntegrityError, marker: str) -> bool:
    """Whether an IntegrityError came from the constraint or trigger named ``marker``."""
    return marker in str(error.orig)
