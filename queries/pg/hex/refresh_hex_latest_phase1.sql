-- name: refresh_hex_latest_phase1(game_id, since, tick)!
-- Phase 1, territory broadcast, moving the head forward from :since to
-- :tick: every county with a row in [since, tick) and none at :tick now
-- carries its newest such row (pointer inserted or moved forward). Counties
-- written at :tick need nothing (the view reads the head tick's rows), so
-- when every county writes every tick nothing is written here. Two
-- primary-key range scans of territory_snapshot (game_id, tick) and a
-- hashed EXCEPT (linear whatever the statistics say).
INSERT INTO hex_county_latest AS c (game_id, county_fips, tick)
SELECT DISTINCT ON (t.county_fips)
    t.game_id,
    t.county_fips,
    t.tick
FROM territory_snapshot AS t
WHERE t.game_id = :game_id AND t.tick >= :since AND t.tick < :tick
    AND t.county_fips IN (
        SELECT p.county_fips FROM territory_snapshot AS p
        WHERE p.game_id = :game_id AND p.tick >= :since AND p.tick < :tick
        EXCEPT
        SELECT n.county_fips FROM territory_snapshot AS n
        WHERE n.game_id = :game_id AND n.tick = :tick
    )
ORDER BY t.county_fips ASC, t.tick DESC
ON CONFLICT (game_id, county_fips) DO UPDATE SET tick = excluded.tick
WHERE c.tick < excluded.tick;
