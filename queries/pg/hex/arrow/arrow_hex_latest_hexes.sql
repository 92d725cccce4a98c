-- name: arrow_hex_latest_hexes(game_id)
-- The per-hex columns of one game's hex_latest rows, for view_arrow: every
-- column but those of the hex's county row (arrow_hex_latest_counties reads
-- them once per county). No ORDER BY: view_arrow sorts by h3_index.
SELECT
    game_id, h3_index, county_fips, heat, heat_delta, org_count, org_presence, actions_taken,
    faction_control, activity_tick, terrain_type, water_coverage, internet_access, broadband_share
FROM hex_latest
WHERE game_id = :game_id;
