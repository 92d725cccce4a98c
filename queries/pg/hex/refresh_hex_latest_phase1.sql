-- name: refresh_hex_latest_phase1(game_id, since, tick)!
-- Phase 1, territory broadcast, moving the head forward from :since to
-- :tick: every county with a row in [since, tick) and none at :tick now
-- carries its newest such row (pointer inserted or moved forward). Counties
-- written at :tick need nothing (the view reads the head tick's rows), so
-- when every county writes every tick nothing is written here. The set of
-- such counties comes from two primary-key range scans of
-- territory_snapshot and a hashed EXCEPT, computed once (MATERIALIZED: as a
-- rescanned subplan it cost a pass over the hash table per row); then one
-- probe of territory_snapshot_county_tick_idx per carried county.
WITH carried AS MATERIALIZED (
    SELECT p.county_fips FROM territory_snapshot AS p
    WHERE p.game_id = :game_id AND p.tick >= :since AND p.tick < :tick
    EXCEPT
    SELECT n.county_fips FROM territory_snapshot AS n
    WHERE n.game_id = :game_id AND n.tick = :tick
)
INSERT INTO hex_county_latest AS c (game_id, county_fips, tick)
SELECT CAST(:game_id AS uuid), k.county_fips, t.tick
FROM carried AS k
CROSS JOIN LATERAL (
    SELECT ts.tick
    FROM territory_snapshot AS ts
    WHERE ts.game_id = :game_id AND ts.county_fips = k.county_fips
        AND ts.tick >= :since AND ts.tick < :tick
    ORDER BY ts.tick DESC
    LIMIT 1
) AS t
ON CONFLICT (game_id, county_fips) DO UPDATE SET tick = excluded.tick
WHERE c.tick < excluded.tick;
