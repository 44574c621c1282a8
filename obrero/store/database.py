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
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from obrero.errors import ObreroError, StorageError
from obrero.i18n import _
from obrero.store.files import (  # noqa: F401  (re-exported for callers of the store)
    APPLICATION_ID,
    SCHEMA_HEAD,
    SCHEMA_REVISIONS,
    FileState,
    backup_copy,
    inspect_file,
)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 10_000

T = TypeVar("T")


def _configure(busy_timeout_ms: int) -> Callable[[sqlite3.Connection, Any], None]:
    def configure_connection(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Hand transaction control to SQLAlchemy's "begin" event (pysqlite's is unreliable).
        dbapi_connection.isolation_level = None
        for pragma in (
            "journal_mode = WAL",
            "synchronous = FULL",
            "foreign_keys = ON",
            f"busy_timeout = {busy_timeout_ms}",
        ):
            dbapi_connection.execute(f"PRAGMA {pragma}")

    return configure_connection


def _begin(connection: Connection) -> None:
    immediate = connection.get_execution_options().get("write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _make_engine(path: Path, busy_timeout_ms: int) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        poolclass=QueuePool,
        pool_size=1,
        max_overflow=0,
        pool_timeout=60,
        connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
    )
    event.listen(engine, "connect", _configure(busy_timeout_ms))
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
        """A write transaction: commits when the block ends, rolls back on any error.

        A busy, full or read-only file raises :class:`StorageError` with a message
        for the user; nothing of the transaction is stored.
        """
        try:
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
        except OperationalError as error:
            plain = storage_error(error)
            if plain is None:
                raise
            raise plain from error

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


def storage_error(error: OperationalError) -> ObreroError | None:
    """What SQLite's complaint about the file means for the person saving, if it is one."""
    text = str(error.orig).lower()
    if "locked" in text or "busy" in text:
        return StorageError(
            _(
                "The database is busy: another Obrero is saving to it. "
                "Nothing was saved; try again in a moment."
            )
        )
    if "full" in text:
        return StorageError(
            _("The disk is full. Nothing was saved; free some space and try again.")
        )
    if "readonly" in text or "read-only" in text:
        return StorageError(
            _("The database file cannot be written (it is read-only). Nothing was saved.")
        )
    if "disk i/o" in text:
        return StorageError(
            _("The disk failed while saving. Nothing was saved; check the disk and try again.")
        )
    return None


def _system_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def open_database(
    path: Path,
    operator: str | None = None,
    on_backup: Callable[[Path], None] | None = None,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
) -> Database:
    """Open (creating or upgrading as needed) the Obrero database at ``path``.

    A file that is not an Obrero database, or comes from a newer Obrero, raises
    :class:`DatabaseRefused` and is left untouched. Before an upgrade of an
    existing file a "before-upgrade" copy is made in the backups folder beside it
    (see :mod:`obrero.exchange.backups`).
    """
    path = Path(path).expanduser().resolve()
    state, _revision = inspect_file(path)
    if state is FileState.NEW:
        _mark_new_file(path)
    elif state is FileState.OLDER:
        # Imported here: the backups module sits above the store (and needs no SQLAlchemy).
        from obrero.exchange.backups import backup_now

        copy = backup_now(path, "before-upgrade")
        if on_backup:
            on_backup(copy)
    engine = _make_engine(path, busy_timeout_ms)
    if state is not FileState.CURRENT:
        try:
            _upgrade(engine)
        except Exception:
            engine.dispose()
            raise
    return Database(path, engine, operator)
