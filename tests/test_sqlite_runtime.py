"""SQLite-only parts of RuntimeDatabase: files, summaries, transactions."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from babylon_sql import RuntimeDatabase
from babylon_sql.errors import DatabaseClosedError, ValidationError


def test_default_run_id_and_file_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with RuntimeDatabase() as db:
        assert db.run_id.startswith("run_")
        assert db.path == tmp_path / "data" / "runs" / f"{db.run_id}.sqlite"
        assert db.journal_mode == "wal"
    assert (tmp_path / "data" / "runs" / f"{db.run_id}.sqlite").exists()


def test_file_is_reopened_with_its_data(tmp_path: Path) -> None:
    g: nx.DiGraph[Any] = nx.DiGraph()
    g.add_edge("a", "b", w=1.5)
    with RuntimeDatabase(run_id="keep", base_dir=tmp_path) as db:
        db.persist_tick(3, g)
        db.set_metadata("k", "v")
    with RuntimeDatabase(run_id="keep", base_dir=tmp_path) as db:
        assert nx.utils.graphs_equal(db.hydrate_graph(), g)
        assert db.get_metadata("k") == "v"


@pytest.mark.parametrize("run_id", ["../escape", "a/b", "", ".hidden", "x" * 200])
def test_run_id_cannot_be_a_path(tmp_path: Path, run_id: str) -> None:
    with pytest.raises(ValidationError, match="run_id"):
        RuntimeDatabase(run_id=run_id, base_dir=tmp_path)


def test_foreign_keys_are_enforced() -> None:
    with RuntimeDatabase(in_memory=True) as db:
        assert db.foreign_keys


def test_record_tick_summary_computes_rates() -> None:
    with RuntimeDatabase(in_memory=True) as db:
        db.record_tick_summary(1, total_c=60.0, total_v=20.0, total_s=10.0,
                               avg_consciousness=0.4, uprising_count=2)  # fmt: skip
        assert db.get_tick_summary(1) == {
            "tick": 1,
            "total_c": 60.0,
            "total_v": 20.0,
            "total_s": 10.0,
            "avg_consciousness": 0.4,
            "uprising_count": 2,
            "rate_of_surplus": 0.5,
            "rate_of_profit": 0.125,
            "organic_composition": 3.0,
        }
        db.record_tick_summary(1, 0.0, 0.0, 5.0, 0.0, 0)
        summary = db.get_tick_summary(1)
        assert summary is not None
        assert summary["rate_of_surplus"] is None
        assert summary["rate_of_profit"] is None
        assert summary["organic_composition"] is None
        assert db.get_tick_summary(2) is None
        with pytest.raises(ValidationError, match="total_v"):
            db.record_tick_summary(2, 1.0, float("nan"), 1.0, 0.0, 0)
        with pytest.raises(ValidationError, match="uprising_count"):
            db.record_tick_summary(2, 1.0, 1.0, 1.0, 0.0, True)  # type: ignore[arg-type]
        assert db.get_tick_summary(2) is None


def test_transaction_groups_writes_and_rolls_back_on_error() -> None:
    g: nx.DiGraph[Any] = nx.DiGraph()
    g.add_node("a")
    with RuntimeDatabase(in_memory=True) as db:
        with db.transaction():
            db.persist_tick(1, g)
            db.log_tick(1, wall_time_ms=2.0)
        assert db.latest_tick() == 1

        def failing_tick() -> None:
            with db.transaction():
                db.persist_tick(2, g)
                db.log_tick(2, wall_time_ms=2.0)
                raise RuntimeError("engine failed")

        with pytest.raises(RuntimeError, match="engine failed"):
            failing_tick()
        assert db.latest_tick() == 1
        assert db.get_tick_log(2) is None


def test_a_failed_tick_inside_a_transaction_leaves_nothing() -> None:
    good: nx.DiGraph[Any] = nx.DiGraph()
    good.add_node("a")
    bad: nx.DiGraph[Any] = nx.DiGraph()
    bad.add_node("b", v=float("inf"))
    with RuntimeDatabase(in_memory=True) as db:

        def two_ticks() -> None:
            with db.transaction():
                db.persist_tick(1, good)
                db.persist_tick(2, bad)

        with pytest.raises(TypeError):
            two_ticks()
        assert db.latest_tick() is None


def test_closed_database_refuses_every_call() -> None:
    db = RuntimeDatabase(in_memory=True)
    db.close()
    with pytest.raises(DatabaseClosedError):
        db.get_events()
    with pytest.raises(DatabaseClosedError):
        db.set_metadata("k", "v")
    with pytest.raises(DatabaseClosedError), db.transaction():
        pass
    assert not isinstance(DatabaseClosedError("x"), sqlite3.Error)
