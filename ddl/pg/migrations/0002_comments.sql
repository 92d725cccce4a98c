-- name: comments#
-- Migration 0002: every index carries its "-- why:" line as COMMENT ON
-- INDEX, so `babylon-sql schema objects` and psql's \di+ show why it exists;
-- the one trigger says what it does.

COMMENT ON INDEX game_session_status_created_idx IS 'list_sessions() filters by status and shows the newest first.';
COMMENT ON INDEX hex_map_county_idx IS 'phase 1 of refresh_hex_latest and reconstruct_hex_state join counties to their hexes.';
COMMENT ON INDEX territory_snapshot_county_tick_idx IS 'reconstruct_hex_state and refresh_hex_latest look up the latest row of a county at or before a tick.';
COMMENT ON INDEX hex_substrate_parent_idx IS 'seed_hex_latest aggregates the R8 children of each R7 hex.';
COMMENT ON INDEX hex_base_county_idx IS 'viewport reads and the county broadcast of hex_latest go county by county.';
COMMENT ON INDEX trace_log_session_tick_idx IS 'traces are read per session and tick.';

COMMENT ON TRIGGER graph_snapshot_cascade ON graph_snapshot IS
    'Deletes the nodes, edges and events of the deleted ticks (graph_snapshot_cascade()).';

-- requires: postgis
COMMENT ON INDEX hex_cell_boundary_gist IS 'viewport queries ask which hexes intersect a bounding box.';

-- requires: vector
COMMENT ON INDEX document_chunk_hnsw_768 IS 'cosine nearest-neighbour search (<=>) for 768-dimension embeddings.';
COMMENT ON INDEX document_chunk_metadata_gin IS 'where= filters use jsonb containment (@>).';
COMMENT ON INDEX document_chunk_session_idx IS 'deleting a game_session cascades here; without it every delete scans the table.';
