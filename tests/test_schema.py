"""The PostgreSQL schema: layers, idempotence, extension handling, snapshot."""

from __future__ import annotations

import shutil
import subprocess
import warnings
from pathlib import Path
from typing import Any

import psycopg
import pytest
from conftest import PgServer

from babylon_sql.catalogue import ddl_layers, queries
from babylon_sql.errors import MissingExtensionError, SchemaError
from babylon_sql.server.dump import dump_schema
from babylon_sql.server.embedded import pg_bin
from babylon_sql.server.schema import SkippedObjectsWarning, apply_schema, plan

SNAPSHOTS = Path(__file__).parent / "snapshots"

#: Every table and view of the design's nine layers.
SEED_OBJECTS = {
    "game_session", "game_turn", "action_result",
    "node_state", "edge_state", "graph_metadata", "community_state", "community_membership",
    "contradiction_field", "edge_curvature", "simulation_event", "tick_log", "tick_summary",
    "hex_cell", "hex_map", "hex_terrain_state",
    "territory_snapshot", "hex_activity", "economic_summary", "tick_event",
    "hex_latest", "hex_substrate",
    "v_hex_economic", "v_hex_mobilize", "v_hex_heat", "v_hex_aid", "v_hex_intel",
    "infrastructure_link_state", "trace_log", "document_chunk",
}  # fmt: skip


def _objects(dsn: str) -> dict[str, str]:
    with psycopg.connect(dsn) as conn:
        return {name: kind for name, kind, _ in queries("pg").server.schema_objects(conn)}


def snapshot_path(server: PgServer) -> Path:
    exts = "-".join(sorted(e for e in ("postgis", "vector") if server.has(e))) or "core"
    return SNAPSHOTS / f"schema-pg{server.major}-{exts}.sql"


def test_every_seed_object_exists_or_is_reported_skipped(pg_server: PgServer, pg_dsn: str) -> None:
    objects = _objects(pg_dsn)
    skipped = set(pg_server.report.skipped_objects)
    for name in SEED_OBJECTS:
        assert (name in objects) != (name in skipped), name
    if pg_server.has("postgis"):
        assert "hex_cell" in objects
    else:
        assert "hex_cell" in skipped
        assert "041_spatial_postgis.sql" in pg_server.report.skipped


def test_every_table_and_index_has_a_comment_or_why() -> None:
    for layer in ddl_layers("pg"):
        text = layer.path.read_text()
        lines = text.splitlines()
        for i, line in enumerate(lines):
            if line.lstrip().upper().startswith("CREATE INDEX"):
                assert lines[i - 1].lstrip().startswith("-- why:"), f"{layer.path.name}:{i + 1}"
            if "CONSTRAINT" in line and "CHECK" in " ".join(lines[i : i + 2]):
                assert lines[i - 1].lstrip().startswith("-- why:"), f"{layer.path.name}:{i + 1}"
        for obj in layer.objects():
            if obj.endswith(("_idx", "_gist", "_gin")) or "_hnsw_" in obj:
                continue
            assert f"COMMENT ON TABLE {obj} IS" in text or f"COMMENT ON VIEW {obj} IS" in text, obj


def test_trace_log_is_partitioned_with_unlogged_default(pg_dsn: str) -> None:
    objects = _objects(pg_dsn)
    assert objects["trace_log"] == "partitioned table"
    assert objects["trace_log_default"] == "table"
    dump = dump_schema(pg_dsn)
    assert "CREATE UNLOGGED TABLE public.trace_log_default" in dump
    assert "ATTACH PARTITION public.trace_log_default DEFAULT" in dump


def test_document_chunk_has_an_hnsw_cosine_index(pg_server: PgServer, pg_dsn: str) -> None:
    dump = dump_schema(pg_dsn)
    if pg_server.has("vector"):
        assert "USING hnsw" in dump
        assert "vector_cosine_ops" in dump
    else:
        assert "document_chunk" in pg_server.report.skipped_objects


def test_init_schema_twice_changes_nothing(pg_dsn: str) -> None:
    before = dump_schema(pg_dsn)
    with psycopg.connect(pg_dsn) as conn, warnings.catch_warnings():
        warnings.simplefilter("ignore", SkippedObjectsWarning)
        apply_schema(conn)
        apply_schema(conn)
    assert dump_schema(pg_dsn) == before


def test_init_schema_on_empty_database_warns_and_names_skipped_objects(
    pg_server: PgServer, empty_pg_dsn: str
) -> None:
    with psycopg.connect(empty_pg_dsn) as conn:
        if pg_server.has("postgis") and pg_server.has("vector"):
            with warnings.catch_warnings():
                warnings.simplefilter("error", SkippedObjectsWarning)
                report = apply_schema(conn, require=("postgis", "vector"))
            assert report.skipped == {}
        else:
            with pytest.warns(SkippedObjectsWarning, match="hex_cell"):
                report = apply_schema(conn)
            assert "hex_cell" in report.skipped_objects
            assert "hex_cell_boundary_gist" in report.skipped_objects


def test_strict_mode_names_the_missing_extension(pg_server: PgServer, empty_pg_dsn: str) -> None:
    with psycopg.connect(empty_pg_dsn) as conn:
        if pg_server.has("postgis"):
            report = apply_schema(conn, require=("postgis",), warn=False)
            assert "041_spatial_postgis.sql" in report.applied
        else:
            with pytest.raises(MissingExtensionError, match="postgis") as info:
                apply_schema(conn, require=("postgis",))
            assert "hex_cell" in info.value.objects
            # Nothing was applied: the failure comes before any layer runs.
            assert _objects(empty_pg_dsn) == {}


def test_unknown_required_extension_is_a_schema_error(empty_pg_dsn: str) -> None:
    with psycopg.connect(empty_pg_dsn) as conn, pytest.raises(SchemaError, match="timescaledb"):
        apply_schema(conn, require=("timescaledb",))


def test_runtime_init_schema_is_idempotent(pg_runtime: Any, pg_dsn: str) -> None:
    before = dump_schema(pg_dsn)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkippedObjectsWarning)
        pg_runtime.init_schema()
        pg_runtime.init_schema()
    assert dump_schema(pg_dsn) == before


def test_every_layer_runs_under_psql_in_order(pg_server: PgServer, empty_pg_dsn: str) -> None:
    psql = shutil.which("psql") or str(pg_bin("psql"))
    take, _skip = plan(pg_server.report.available_extensions)
    for layer in take:
        subprocess.run(
            [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", empty_pg_dsn, "-f", str(layer.path)],
            check=True,
            capture_output=True,
        )
    assert (
        SEED_OBJECTS - set(_objects(empty_pg_dsn))
        == set(pg_server.report.skipped_objects) & SEED_OBJECTS
    )


def test_schema_snapshot(pg_server: PgServer, pg_dsn: str, request: pytest.FixtureRequest) -> None:
    path = snapshot_path(pg_server)
    dump = dump_schema(pg_dsn)
    if request.config.getoption("--update-snapshots"):
        path.write_text(dump)
        return
    assert path.exists(), f"no snapshot {path.name}: run pytest --update-snapshots"
    assert dump == path.read_text(), (
        f"schema drifted from {path.name}; review and run pytest --update-snapshots"
    )
