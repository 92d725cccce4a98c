"""`babylon-sql demo` and `babylon-sql map` end to end, as subprocesses on the test server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

CLI = [sys.executable, "-m", "babylon_sql.cli.main"]


@pytest.fixture
def home() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="babylon-demo-home-") as path:
        yield Path(path)


def _run(home: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG") and k != "BABYLON_DSN"}
    env["BABYLON_SQL_HOME"] = str(home)
    result = subprocess.run(
        [*CLI, *args], env=env, capture_output=True, text=True, timeout=180, check=False
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def _json(home: Path, *args: str) -> Any:
    return json.loads(_run(home, *args, "--json").stdout)


def test_demo_end_to_end_then_reuse(pg_dsn: str, home: Path, tmp_path: Path) -> None:
    out = tmp_path / "demo"
    args = ("demo", "--scale", "city", "--ticks", "3", "--out", str(out), "--dsn", pg_dsn)
    first = _json(home, *args)

    sid = first["session_id"]
    assert first["world"]["hexes"] == 1519
    assert [p["phase"] for p in first["phases"]] == [
        "server", "schema", "world", "session", "ticks",
        "reconstruct", "archive", "games", "map", "report",
    ]  # fmt: skip
    assert first["phases"][2]["note"].startswith("loaded 1,519 hexes")
    assert first["reconstruct"] == {"tick": 1, "hexes": 1519, "differences": 0}
    assert first["archive"]["matches"]
    assert first["archive"]["duckdb_ticks"] == 4
    storage = {row["table"]: row for row in first["storage"]}
    assert storage["territory_snapshot"]["session_rows"] == 4 * 15
    assert storage["graph_snapshot"]["session_rows"] == 4
    assert storage["trace_log"]["session_rows"] > 0
    assert storage["hex_activity"]["budget_per_tick_bytes"] > 0
    assert "password" not in first["dsn"]

    # The map: a PNG whose title names layer, session and tick.
    png = Path(first["map"]["file"])
    assert png == out / "map.png"
    with Image.open(png) as image:
        assert image.format == "PNG"
        assert image.text["Title"] == first["map"]["title"]
    assert first["map"]["title"] == (
        f"v_hex_economic.heat - session {sid} (babylon-sql demo) - tick 3"
    )
    assert (out / "report.json").is_file()
    assert (out / "archive" / sid / "manifest.json").is_file()

    # The run is a game of the DuckDB file, its iterations counted from the stored rows.
    games = _json(home, "games", "list", "--db", str(out / "games.duckdb"))
    assert [(g["game_id"], g["total_iterations"]) for g in games] == [(sid, 3)]

    # A past tick of another layer, drawn from the reconstruction.
    past = tmp_path / "past.png"
    drawn = _json(
        home, "map", "--layer", "dominant_class", "--tick", "1", "--out", str(past),
        "--dsn", pg_dsn,
    )  # fmt: skip
    assert drawn["tick"] == 1
    assert drawn["hexes"] == 1519
    with Image.open(past) as image:
        assert image.text["Title"] == f"v_hex_mobilize.dominant_class - session {sid} " \
            "(babylon-sql demo) - tick 1"  # fmt: skip

    # A second run (text report, every trace) reuses the world and replaces the first session.
    text = _run(home, *args, "--trace-level", "trace").stdout
    for needle in ("phase", "design budget", str(out / "map.png"), "psql", "rm -rf",
                   "sessions delete", "hex_activity", "territory_snapshot"):  # fmt: skip
        assert needle in text, needle
    second = json.loads((out / "report.json").read_text())
    assert second["phases"][2]["note"].startswith("reused 1,519 hexes")
    assert second["replaced_sessions"] == [sid]
    traces = {r["table"]: r["session_rows"] for r in second["storage"]}["trace_log"]
    assert traces > storage["trace_log"]["session_rows"]
    listed = _json(home, "sessions", "list", "--dsn", pg_dsn)
    assert [s["session_id"] for s in listed] == [second["session_id"]]
    shown = _json(home, "sessions", "show", second["session_id"], "--dsn", pg_dsn)
    assert shown["rows"]["graph_snapshot"] == 4

    # Another scale cannot share this database's static hex tables.
    other = _run(home, "demo", "--scale", "state", "--ticks", "1", "--out", str(out),
                 "--dsn", pg_dsn, check=False)  # fmt: skip
    assert other.returncode == 1
    last = other.stderr.splitlines()[-1]
    assert last.startswith("babylon-sql: error: this database's hex_map already holds another")
    assert "Traceback" not in other.stderr

    deleted = _run(home, "sessions", "delete", second["session_id"], "--yes", "--dsn", pg_dsn)
    assert "deleted" in deleted.stdout
    assert _json(home, "sessions", "list", "--dsn", pg_dsn) == []


def test_map_refuses_unknown_layers_and_ticks(pg_dsn: str, home: Path, tmp_path: Path) -> None:
    bad = _run(home, "map", "--layer", "nothing", "--dsn", pg_dsn, "--out",
               str(tmp_path / "m.png"), check=False)  # fmt: skip
    assert bad.returncode == 1
    assert "no layer 'nothing'" in bad.stderr
    assert "v_hex_economic.profit_rate" in bad.stderr
    none = _run(home, "map", "--dsn", pg_dsn, "-q", "--out", str(tmp_path / "m.png"), check=False)
    assert none.returncode == 1
    assert "run `babylon-sql demo` first" in none.stderr
    assert not (tmp_path / "m.png").exists()
