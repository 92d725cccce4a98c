"""The embedded default: started on first use, reused, stopped cleanly (real server)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "babylon_sql.cli.main"]


@pytest.fixture
def home() -> Iterator[Path]:
    # Not under pytest's tmp_path: as root the server runs as its own user,
    # which must be able to reach the directory.
    path = Path(tempfile.mkdtemp(prefix="babylon-embedded-"))
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
    return subprocess.run(
        [*CLI, *args], env=_env(home), capture_output=True, text=True, timeout=180
    )


def test_no_dsn_means_the_embedded_server_in_the_user_directory(home: Path) -> None:
    assert _cli(home, "server", "path").stdout.strip() == str(home / "pg18")

    first = _cli(home, "schema", "apply")
    assert first.returncode == 0, first.stderr
    assert "hex_cell" in first.stderr  # the embedded server has no PostGIS: named as skipped
    assert (home / "pg18" / "PG_VERSION").read_text().strip() == "18"
    # The process that started it has exited, and with it the server.
    assert _cli(home, "server", "stop").stdout.strip() == "not running"

    # The next run reuses the same data directory: the schema is still there.
    objects = _cli(home, "schema", "objects")
    assert objects.returncode == 0, objects.stderr
    assert "node_state" in objects.stdout

    started = _cli(home, "server", "start")
    assert started.returncode == 0, started.stderr
    assert started.stdout.startswith("postgresql://")
    assert _cli(home, "server", "stop").stdout.strip() == "stopped"
    assert _cli(home, "server", "stop").stdout.strip() == "not running"
