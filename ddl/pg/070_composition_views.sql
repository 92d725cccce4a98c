-- name: composition_views#
-- Layer 070: composition views. Column projections of hex_latest for the
-- frontend's map layers. v_hex_heat starts from that tick's activity rows
-- instead (same rows as hex_latest WHERE heat > 0, without scanning every hex).

CREATE OR REPLACE VIEW v_hex_economic AS
SELECT game_id, h3_index, tick, profit_rate, exploitation_rate, occ, imperial_rent, pop_total, heat
FROM hex_latest;
COMMENT ON VIEW v_hex_economic IS 'Economic map layer.';

CREATE OR REPLACE VIEW v_hex_mobilize AS
SELECT game_id, h3_index, tick, mobilizable_pop, org_presence, heat AS hex_heat, dominant_class
FROM hex_latest;
COMMENT ON VIEW v_hex_mobilize IS 'Mobilisation map layer.';

CREATE OR REPLACE VIEW v_hex_heat AS
SELECT h.game_id, a.h3_index, h.tick, a.heat, a.heat_delta, a.org_count
FROM hex_latest_head AS h
CROSS JOIN LATERAL (
    -- the head tick's rows only (primary-key range); OFFSET 0 keeps it so
    SELECT x.h3_index, x.heat, x.heat_delta, x.org_count
    FROM hex_activity AS x
    WHERE x.game_id = h.game_id AND x.tick = h.tick AND x.heat > 0
    OFFSET 0
) AS a
INNER JOIN hex_base AS b ON b.h3_index = a.h3_index
WHERE EXISTS (
    -- the hex's county has territory at the head tick, or is carried
    SELECT 1 FROM territory_snapshot AS t
    WHERE t.game_id = h.game_id AND t.tick = h.tick AND t.county_fips = b.county_fips
) OR EXISTS (
    SELECT 1 FROM hex_county_latest AS k
    WHERE k.game_id = h.game_id AND k.county_fips = b.county_fips
);
COMMENT ON VIEW v_hex_heat IS
    'Heat map layer: only hexes with heat (the rows of hex_latest with heat > 0), read from the head tick''s sparse activity rows.';

CREATE OR REPLACE VIEW v_hex_aid AS
SELECT game_id, h3_index, tick, internet_access, terrain_type, water_coverage, broadband_share
FROM hex_latest;
COMMENT ON VIEW v_hex_aid IS 'Aid-logistics map layer.';

CREATE OR REPLACE VIEW v_hex_intel AS
SELECT game_id, h3_index, tick, faction_control, dominant_class, org_count, actions_taken
FROM hex_latest;
COMMENT ON VIEW v_hex_intel IS 'Intelligence map layer: faction control, classes, organisations, actions.';
