-- name: hex_row_counts(game_id)^
-- Row counts of every table the hex journal writes, to prove a refused write
-- left nothing behind.
SELECT
    (SELECT count(*) FROM hex_map) AS hex_map,
    (SELECT count(*) FROM hex_substrate) AS hex_substrate,
    (SELECT count(*) FROM territory_snapshot WHERE game_id = :game_id) AS territory_snapshot,
    (SELECT count(*) FROM hex_activity WHERE game_id = :game_id) AS hex_activity,
    (SELECT count(*) FROM hex_base) AS hex_base,
    (SELECT count(*) FROM hex_county_latest WHERE game_id = :game_id) AS hex_county_latest,
    (SELECT count(*) FROM hex_latest_head WHERE game_id = :game_id) AS hex_latest_head;
