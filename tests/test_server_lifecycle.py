"""The embedded server's lifecycle with real processes: pinned, shared, killed users."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

CLI = [sys.executable, "-m", "babylon_sql.cli.main"]

# A process that uses the default server (no DSN) and holds a connection
# until its stdin closes.
_USER = (
    "import sys, psycopg\n"
    "from babylon_sql.server.embedded import resolve_dsn\n"
    "conn = psycopg.connect(resolve_dsn())\n"
    "print(conn.execute('select pg_backend_pid()').fetchone()[0], flush=True)\n"
    "sys.stdin.readline()\n"
    "conn.close()\n"
)


@pytest.fixture(scope="module")
def home() -> Iterator[Path]:
    # Not under pytest's tmp_path: as root the server runs as its own user,
    # which must be able to reach the directory.
    path = Path(tempfile.mkdtemp(prefix="babylon-lifecycle-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        subprocess.run([*CLI, "server", "stop"], env=_env(path), capture_output=True, check=False)
        shutil.rmtree(path, ignore_errors=True)


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG") and k != "BABYLON_DSN"}
    env["BABYLON_SQL_HOME"] = str(home)
    return env


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [*CLI, *args], env=_env(home), capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result


def _status(home: Path) -> dict[str, Any]:
    """What `babylon-sql server status --json` prints, read in this process (cheaper)."""
    from babylon_sql.server.embedded import embedded_status

    old = os.environ.get("BABYLON_SQL_HOME")
    os.environ["BABYLON_SQL_HOME"] = str(home)
    try:
        st = embedded_status()
    finally:
        if old is None:
            del os.environ["BABYLON_SQL_HOME"]
        else:
            os.environ["BABYLON_SQL_HOME"] = old
    return {"running": st.running, "pinned": st.pinned, "users": list(st.users)}


class User:
    """A live process using the embedded server."""

    def __init__(self, home: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _USER],
            env=_env(home),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line.strip().isdigit(), "the user process could not connect"

    @property
    def pid(self) -> int:
        return self.proc.pid

    def exit(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        assert self.proc.wait(timeout=60) == 0
        assert self.proc.stdout is not None
        self.proc.stdout.close()

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                pipe.close()


def test_server_start_keeps_it_up_for_later_processes_until_stop(home: Path) -> None:
    dsn = _cli(home, "server", "start").stdout.strip()
    assert dsn.startswith("postgresql://")
    shown = json.loads(_cli(home, "server", "status", "--json").stdout)
    assert shown["running"]
    assert shown["pinned"]
    assert shown["dsn"] == dsn

    # The next process using the default exits: the server stays up.
    user = User(home)
    assert user.pid in _status(home)["users"]
    user.exit()
    st = _status(home)
    assert st["running"]
    assert st["pinned"]
    assert st["users"] == []
    with psycopg.connect(dsn) as conn:  # what psql would do
        assert conn.execute("select 1").fetchone() == (1,)

    assert _cli(home, "server", "stop").stdout.strip() == "stopped"
    assert not _status(home)["running"]


def test_shared_server_stops_with_its_last_live_user(home: Path) -> None:
    first, second = User(home), User(home)
    st = _status(home)
    assert st["running"]
    assert not st["pinned"]
    assert sorted(st["users"]) == sorted([first.pid, second.pid])

    first.kill()  # never unregisters itself
    assert _status(home)["users"] == [second.pid]  # the dead one is not counted
    assert _status(home)["running"]
    second.exit()
    assert not _status(home)["running"]

    # A server pinned while a process uses it outlives that process.
    third = User(home)
    _cli(home, "server", "start")
    third.exit()
    assert _status(home)["running"]
    assert _cli(home, "server", "stop").stdout.strip() == "stopped"
