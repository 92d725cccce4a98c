-- name: hex_city_counts(session_id)^
-- Row counts of the tables the geometry, Arrow and original-API hex tests
-- write, to prove a refused write left nothing behind.
SELECT
    (SELECT count(*) FROM hex_map) AS hex_map,
    (SELECT count(*) FROM hex_county) AS hex_county,
    (SELECT count(*) FROM hex_base) AS hex_base,
    (SELECT count(*) FROM hex_state WHERE session_id = :session_id) AS hex_state;
