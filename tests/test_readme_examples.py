"""Every Python example of the README runs as written; so does its `schema show | psql` line.

Convention (stated in the README): an example that needs PostgreSQL reads its
DSN from ``BABYLON_DSN``. Each example runs in its own process, in an empty
directory, with ``BABYLON_DSN`` naming a fresh database of the test server
(the schema already applied; the examples apply it again, idempotently).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from conftest import PgServer

from babylon_sql.catalogue import queries
from babylon_sql.server.embedded import pg_bin

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"^```(?P<lang>\w*)\n(?P<code>.*?)^```$", re.MULTILINE | re.DOTALL)


def _blocks(lang: str) -> list[str]:
    return [m["code"] for m in BLOCK.finditer(README) if m["lang"] == lang]


def _section_of(code: str) -> str:
    before = README[: README.index(code)]
    return re.findall(r"^## (.+)$", before, re.MULTILINE)[-1]


PYTHON = _blocks("python")


def _env(dsn: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["BABYLON_DSN"] = dsn
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def test_the_readme_has_examples() -> None:
    sections = {_section_of(code) for code in PYTHON}
    assert {"PostgreSQL", "SQLite", "DuckDB (policy-optimisation games)"} <= sections
    assert len(PYTHON) >= 5


@pytest.mark.parametrize(
    "code", PYTHON, ids=[f"{i}-{_section_of(c).split()[0]}" for i, c in enumerate(PYTHON)]
)
def test_python_example_runs(code: str, pg_dsn: str, tmp_path: Path) -> None:
    script = tmp_path / "example.py"
    script.write_text(code, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env=_env(pg_dsn),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_schema_show_into_psql_as_written(pg_server: PgServer, empty_pg_dsn: str) -> None:
    (line,) = [
        ln for code in _blocks("sh") for ln in code.splitlines() if "schema show | psql" in ln
    ]
    assert line == "babylon-sql schema show | psql -1 -v ON_ERROR_STOP=1 -d babylon"
    skip = " ".join(f"--skip {e}" for e in ("postgis", "vector") if not pg_server.has(e))
    psql = shutil.which("psql") or str(pg_bin("psql"))
    command = (
        line.replace("babylon-sql", f"{sys.executable} -m babylon_sql.cli.main")
        .replace("schema show", f"schema show {skip}")
        .replace("| psql", f"| {psql} -X -q")
        .replace("-d babylon", '-d "$TARGET"')
    )
    env = {**_env(empty_pg_dsn), "TARGET": empty_pg_dsn}
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    with psycopg.connect(empty_pg_dsn) as conn:
        names = {name for name, _kind, _comment in queries("pg").server.schema_objects(conn)}
    assert {"game_session", "hex_latest", "v_hex_heat", "trace_log"} <= names


def test_the_map_image_is_a_png() -> None:
    (image,) = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README)
    assert (ROOT / image).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
