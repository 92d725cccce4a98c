"""Benchmark: saving 100,000 policy iterations into DuckDB.

Ours: ``GameRepository.save_policy_iterations`` (records → one Arrow table →
one ``INSERT … SELECT … ON CONFLICT DO UPDATE`` statement). Baseline, in the
same run: ``save_policy_iteration`` called once per record, timed on a sample
of SAMPLE rows and extrapolated linearly to ROWS (said so in the output).

Each measurement uses a fresh DuckDB file in a temporary directory, with the
schema and its four indexes in place. Medians of REPEATS runs.

    scripts/bench games
    .venv/bin/python scripts/bench_games.py [--rows 100000] [--sample 500] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import benchjson  # the --json PATH contract of scripts/bench

from babylon_sql.games.repository import (
    DatabaseManager,
    GameRepository,
    GameSessionRecord,
    PolicyIterationRecord,
    _iterations_to_arrow,
)

ROWS = 100_000
SAMPLE = 500
REPEATS = 3
GAMES = 10
AGENTS = 10
TARGET_S = 2.0

T0 = datetime(2025, 12, 9, tzinfo=UTC)


def make_records(rows: int) -> list[PolicyIterationRecord]:
    per_game_agent = rows // (GAMES * AGENTS)
    records = []
    for g in range(GAMES):
        for a in range(AGENTS):
            for n in range(1, per_game_agent + 1):
                records.append(
                    PolicyIterationRecord(
                        game_id=f"game-{g:03d}",
                        agent_id=f"BANK_{a:02d}",
                        iteration_number=n,
                        trigger_tick=n * 10,
                        old_policy_json='{"payment_tree": {"root": {"action": "Hold"}}}',
                        new_policy_json=(
                            f'{{"payment_tree": {{"root": {{"action": "Release", "n": {n}}}}}}}'
                        ),
                        old_cost=1500.0 - n * 0.01,
                        new_cost=1500.0 - (n + 1) * 0.01,
                        cost_improvement=0.01,
                        was_accepted=n % 4 != 0,
                        validation_errors=[] if n % 4 else ["rejected: cost went up"],
                        llm_model="anthropic/claude-sonnet",
                        llm_latency_seconds=1.5,
                        tokens_used=800 + n % 100,
                        created_at=T0 + timedelta(seconds=n),
                    )
                )
    return records


def fresh_repo(directory: Path, name: str) -> tuple[DatabaseManager, GameRepository]:
    manager = DatabaseManager(directory / f"{name}.duckdb")
    repo = GameRepository(manager.conn)
    repo.initialize_schema()
    for g in range(GAMES):
        repo.save_game_session(
            GameSessionRecord(
                game_id=f"game-{g:03d}",
                scenario_config="bench.yaml",
                master_seed=g,
                game_mode="rl_optimization",
                config_json="{}",
                started_at=T0,
                status="running",
                optimized_agents=[f"BANK_{a:02d}" for a in range(AGENTS)],
            )
        )
    return manager, repo


def timed(func: Callable[[], object]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def run_once(
    directory: Path,
    i: int,
    records: list[PolicyIterationRecord],
    sample: list[PolicyIterationRecord],
) -> tuple[float, float, float]:
    """Bulk insert, bulk re-save (all conflicts), and the row-by-row sample."""
    manager, repo = fresh_repo(directory, f"bulk-{i}")
    with manager:
        insert_s = timed(lambda: repo.save_policy_iterations(records))
        upsert_s = timed(lambda: repo.save_policy_iterations(records))
        expected = len(records) // GAMES
        assert repo.get_optimization_summary("game-000")["total_iterations"] == expected
    manager, repo = fresh_repo(directory, f"rows-{i}")
    with manager:
        start = time.perf_counter()
        for record in sample:
            repo.save_policy_iteration(record)
        sample_s = time.perf_counter() - start
    return insert_s, upsert_s, sample_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS, help="a multiple of 100")
    parser.add_argument("--sample", type=int, default=SAMPLE, help="rows saved one by one")
    parser.add_argument("--repeats", type=int, default=REPEATS)
    args = parser.parse_args()
    rows, sample_rows, repeats = args.rows, min(args.sample, args.rows), args.repeats
    t = time.perf_counter()
    records = make_records(rows)
    build_s = time.perf_counter() - t
    sample = records[:: rows // sample_rows][:sample_rows]

    arrow_s = statistics.median(timed(lambda: _iterations_to_arrow(records)) for _ in range(3))
    bulk_insert, bulk_upsert, row_sample = [], [], []
    with tempfile.TemporaryDirectory(prefix="bench-games-") as tmp:
        for i in range(repeats):
            insert_s, upsert_s, sample_s = run_once(Path(tmp), i, records, sample)
            bulk_insert.append(insert_s)
            bulk_upsert.append(upsert_s)
            row_sample.append(sample_s)

    ours = statistics.median(bulk_insert)
    ours_upsert = statistics.median(bulk_upsert)
    per_row = statistics.median(row_sample) / sample_rows
    naive = per_row * rows

    print(
        f"DuckDB, {rows:,} policy iterations, {GAMES} games x {AGENTS} agents; median of {repeats}"
    )
    print(f"  caller side, not timed below: building {rows:,} validated records {build_s:.2f} s")
    print(f"  save_policy_iterations, empty table (insert):         {ours:.2f} s")
    print(f"    of which records -> Arrow conversion:               {arrow_s:.2f} s")
    print(f"  save_policy_iterations again, every row a conflict:   {ours_upsert:.2f} s")
    print(
        f"  baseline save_policy_iteration row by row: {per_row * 1e3:.2f} ms/row, measured on "
        f"{sample_rows:,} rows and extrapolated linearly to {rows:,}: {naive:.0f} s"
    )
    print(f"  ratio baseline / ours (insert): {naive / ours:.0f}x")
    benchjson.section = "games"
    benchjson.record(
        f"save_policy_iterations, {rows:,} rows (insert)",
        ours,
        naive,
        target=f"<= {TARGET_S:.0f} s",
    )
    benchjson.record(f"save_policy_iterations, {rows:,} rows (upsert)", ours_upsert)
    verdict = "meets" if max(ours, ours_upsert) <= TARGET_S else "MISSES"
    print(f"  target <= {TARGET_S:.0f} s for {rows:,} rows: {verdict}")


if __name__ == "__main__":
    main()
