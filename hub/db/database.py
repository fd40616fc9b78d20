"""Opening the hub's database: URL checks, SQLite pragmas, schema, log identity."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from hub.db import schema
from hub.errors import HubError


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run beside the writer; FULL makes a commit durable across power loss.
    # isolation_level=None hands transaction control to SQLAlchemy (see _sqlite_begin), the
    # documented way to make pysqlite honour BEGIN/SAVEPOINT.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA wal_autocheckpoint=0")  # hub/db/checkpoint.py does it off the commit path
    cursor.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def normalise_url(db: str) -> str:
    """Accept a SQLAlchemy URL or a plain file path (taken as SQLite)."""
    if "://" in db:
        return db
    return f"sqlite:///{Path(db).expanduser()}"


def open_engine(db: str) -> Engine:
    """Create the engine for `db`, or raise HubError saying what is wrong with it."""
    url_text = normalise_url(db)
    try:
        url = sa.make_url(url_text)
    except ArgumentError:
        raise HubError(f"--db: {db!r} is not a database URL (e.g. sqlite:///hub.db or a file path)") from None
    try:
        if url.get_backend_name() == "sqlite":
            database = url.database or ""
            if database and database != ":memory:":
                parent = Path(database).expanduser().resolve().parent
                if not parent.is_dir():
                    raise HubError(f"--db: folder {parent} does not exist")
            if database in ("", ":memory:"):  # one shared connection, or each would be a new empty db
                engine = sa.create_engine(
                    url, poolclass=sa.pool.StaticPool, connect_args={"check_same_thread": False}
                )
            else:
                engine = sa.create_engine(url)
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin)
        else:
            engine = sa.create_engine(url, pool_pre_ping=True)
    except NoSuchModuleError:
        raise HubError(f"--db: no database driver for {url.drivername!r}") from None
    except ModuleNotFoundError as exc:
        raise HubError(f"--db: the driver for {url.drivername!r} is not installed ({exc.name})") from None
    except ArgumentError as exc:
        raise HubError(f"--db: {exc}") from None
    return engine


MIGRATIONS = Path(__file__).with_name("migrations")


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision`, the newest by default (a new database starts from nothing)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def prepare(engine: Engine) -> str:
    """Migrate the schema and return the log's identity (`log_id`), made on first use."""
    try:
        migrate(engine)
        with engine.begin() as conn:
            row = conn.execute(
                sa.select(schema.meta.c.value).where(schema.meta.c.key == "log_id")
            ).scalar_one_or_none()
            if row is not None:
                return str(row)
            log_id = uuid.uuid4().hex
            conn.execute(schema.meta.insert(), [{"key": "log_id", "value": log_id}])
            return log_id
    except SQLAlchemyError as exc:
        orig = getattr(exc, "orig", None)
        detail = str(orig) if orig is not None else str(exc).splitlines()[0]
        raise HubError(f"--db: cannot open {engine.url.render_as_string(hide_password=True)}: {detail}") from None
