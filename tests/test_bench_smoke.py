"""The benchmarks run, at a small scale, on the server the suite uses.

A benchmark is measured by hand, minutes at a time, so one that no longer
starts (an import moved, a query renamed) or whose own checks fail (the
hydrated graph is not the persisted one) would otherwise be found at the
next measurement. Here each runs its full code path once, in seconds, and
its headline rows are checked. The full scales stay in ``scripts/bench``.
``bench_hex`` (the CONUS world) and ``bench_vector`` (100K vectors and an
HNSW build) have no small scale and are not run here.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import weakref
from pathlib import Path
from typing import Any

import pytest

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def _bench(pg_server: Any, tmp_path: Path, script: str, *args: str) -> list[dict[str, Any]]:
    rows = tmp_path / "rows.json"
    env = {**os.environ, "BABYLON_DSN": pg_server.admin_dsn}
    done = subprocess.run(
        [sys.executable, str(SCRIPTS / script), *args, "--json", str(rows)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"{script} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    recorded: list[dict[str, Any]] = json.loads(rows.read_text())
    assert recorded, f"{script} recorded no figure"
    for row in recorded:
        assert row["ours"] is not None, row
        assert row["ours"] >= 0, row
    return recorded


def _names(rows: list[dict[str, Any]]) -> set[str]:
    return {row["name"] for row in rows}


def _script(name: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A benchmark script as a module, its sibling modules importable."""
    monkeypatch.syspath_prepend(str(SCRIPTS))
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, name, module)
    spec.loader.exec_module(module)
    return module


class _Result:
    pass


def test_a_figure_keeps_no_result(monkeypatch: pytest.MonkeyPatch) -> None:
    # A hydrate's graph is 600 MB at 100K: kept by the benchmark, it would
    # make the next figures fault fresh memory in that the naive reader's
    # never did. The result goes to the check, then nowhere.
    bench = _script("bench_runtime", monkeypatch)
    fig = bench.Figures()
    made: list[weakref.ref[_Result]] = []
    checked: list[type] = []

    def call() -> _Result:
        result = _Result()
        made.append(weakref.ref(result))
        return result

    assert fig.run("call", call, check=lambda got: checked.append(type(got))) is None
    assert checked == [_Result]
    assert made[0]() is None
    assert len(fig.samples["call"]) == 1
    assert fig.warm_times == []  # warm_bytes 0: nothing touched

    warmed = bench.Figures(warm_bytes=8 * bench.PAGE)
    warmed.run("call", call)
    assert len(warmed.warm_times) == 1

    def wrong(got: Any) -> None:
        raise AssertionError("hydrate must return the persisted graph")

    with pytest.raises(AssertionError, match="persisted graph"):
        fig.run("call", call, check=wrong)


def test_runtime_benchmark(pg_server: Any, tmp_path: Path) -> None:
    # Two scales: the growth table and the machine controls run too. The
    # script itself asserts that hydrate gives back the persisted graph, in
    # order, on every backend.
    rows = _bench(pg_server, tmp_path, "bench_runtime.py", "--scale", "200,400", "--repeat", "1")
    names = _names(rows)
    for backend in ("PostgreSQL", "SQLite file, WAL", "SQLite memory"):
        for figure in (
            "persist_tick (new tick)",
            "persist_tick (replace tick 0)",
            "persist_tick (replace the newest tick)",
            "hydrate_graph",
        ):
            assert any(n.startswith(f"runtime {backend}") and n.endswith(figure) for n in names), (
                backend,
                figure,
            )
    # PostgreSQL also writes a tick of a session whose id sorts below an
    # older session's (its rows go into the middle of the index).
    assert any(n.endswith("persist_tick (new tick, a session below an older one)") for n in names)
    # And how much WAL the server wrote for each. (The insert position is
    # the cluster's: another database's autovacuum may add to either figure,
    # so only their presence is checked, not which is larger.)
    wal = [row for row in rows if "WAL written" in row["name"]]  # PostgreSQL only
    assert {row["name"].rsplit(": ", 1)[1] for row in wal} == {
        "WAL written by persist_tick (new tick)",
        "WAL written by persist_tick (replace tick 0)",
    }, wal
    assert all(row["ours"] > 0 for row in wal), wal
    # A read's latency is the server's execution time (EXPLAIN ANALYZE),
    # printed beside the client's fetch of the same rows (PostgreSQL only).
    reads = {row["name"].rsplit(": ", 1)[1]: row["ours"] for row in rows if "reads:" in row["name"]}
    assert set(reads) == {
        "server execution (EXPLAIN ANALYZE)",
        "client fetch, no decode",
    }, reads
    assert all(value > 0 for value in reads.values()), reads


@pytest.mark.parametrize(
    ("script", "args", "headline"),
    [
        ("bench_traces.py", "--events 2000 --repeat 1", "traces"),
        ("bench_archive.py", "--scale city --ticks 2 --queries 1", "archive: export"),
        # DuckDB only: the server is not used.
        ("bench_games.py", "--rows 2000 --sample 50 --repeats 1", "games: save_policy_iterations"),
    ],
)
def test_benchmark_at_a_small_scale(
    pg_server: Any, tmp_path: Path, script: str, args: str, headline: str
) -> None:
    rows = _bench(pg_server, tmp_path, script, *args.split())
    assert any(name.startswith(headline) for name in _names(rows)), sorted(_names(rows))
