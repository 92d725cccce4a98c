"""Seed module name: the hex journal lives in :mod:`babylon_sql.hex.journal`."""

from babylon_sql.hex.journal import (
    RefreshReport,
    TickReport,
    load_hex_map,
    load_hex_substrate,
    rebuild_hex_base,
    reconstruct_hex_state,
    refresh_hex_latest,
    seed_hex_latest,
    write_hex_activity,
    write_hex_tick,
    write_territory_snapshot,
)

__all__ = [
    "RefreshReport",
    "TickReport",
    "load_hex_map",
    "load_hex_substrate",
    "rebuild_hex_base",
    "reconstruct_hex_state",
    "refresh_hex_latest",
    "seed_hex_latest",
    "write_hex_activity",
    "write_hex_tick",
    "write_territory_snapshot",
]
