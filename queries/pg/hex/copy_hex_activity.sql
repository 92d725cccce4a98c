-- name: copy_hex_activity#
-- One tick's active hexes, streamed by write_hex_activity through
-- cursor.copy() after delete_hex_activity_tick, in the same transaction.
-- copy-types: uuid, int4, int8, float8, float8, int4, float8, int4, bytea, bytea
-- (the two jsonb columns travel in their binary form, built in Python,
-- declared bytea so the driver sends them untouched)
COPY hex_activity (
    game_id, tick, h3_index, heat, heat_delta, org_count, org_presence, actions_taken,
    faction_control, state
) FROM STDIN (FORMAT BINARY);
