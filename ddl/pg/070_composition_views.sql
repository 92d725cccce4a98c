-- name: composition_views#
-- Layer 070: composition views. Column projections of hex_latest for the
-- frontend's map layers; no joins.

CREATE OR REPLACE VIEW v_hex_economic AS
SELECT game_id, h3_index, tick, profit_rate, exploitation_rate, occ, imperial_rent, pop_total, heat
FROM hex_latest;
COMMENT ON VIEW v_hex_economic IS 'Economic map layer.';

CREATE OR REPLACE VIEW v_hex_mobilize AS
SELECT game_id, h3_index, tick, mobilizable_pop, org_presence, heat AS hex_heat, dominant_class
FROM hex_latest;
COMMENT ON VIEW v_hex_mobilize IS 'Mobilisation map layer.';

CREATE OR REPLACE VIEW v_hex_heat AS
SELECT game_id, h3_index, tick, heat, heat_delta, org_count
FROM hex_latest
WHERE heat > 0;
COMMENT ON VIEW v_hex_heat IS 'Heat map layer: only hexes with heat.';

CREATE OR REPLACE VIEW v_hex_aid AS
SELECT game_id, h3_index, tick, internet_access, terrain_type, water_coverage
FROM hex_latest;
COMMENT ON VIEW v_hex_aid IS 'Aid-logistics map layer.';

CREATE OR REPLACE VIEW v_hex_intel AS
SELECT game_id, h3_index, tick, faction_control, dominant_class, org_count, actions_taken
FROM hex_latest;
COMMENT ON VIEW v_hex_intel IS 'Intelligence map layer: faction control, classes, organisations, actions.';
