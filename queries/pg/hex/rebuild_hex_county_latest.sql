-- name: rebuild_hex_county_latest(game_id, tick)!
-- Full phase 1 (a refresh back in time, or a rewrite of a tick at or before
-- the head): every registered county whose latest territory row at or
-- before :tick is older than :tick carries it (one probe of
-- territory_snapshot_county_tick_idx per county via LATERAL ... LIMIT 1).
-- Every county counts, hexes or not, so a county that gets hexes later is
-- shown at once. Runs after delete_hex_county_latest.
INSERT INTO hex_county_latest (game_id, county_fips, tick)
SELECT CAST(:game_id AS uuid), k.county_fips, t.tick
FROM hex_county AS k
CROSS JOIN LATERAL (
    SELECT ts.tick
    FROM territory_snapshot AS ts
    WHERE ts.game_id = :game_id AND ts.county_fips = k.county_fips AND ts.tick <= :tick
    ORDER BY ts.tick DESC
    LIMIT 1
) AS t
WHERE t.tick < :tick;
