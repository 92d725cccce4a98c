-- name: hex_latest_rows(game_id)
-- Every hex of one game's hex_latest cache as it stands now, in h3_index
-- order, with the columns reconstruct_hex_state returns: the demo keeps them
-- at one tick and later compares them with the reconstruction of that tick.
-- hex_latest is a view: hex_base (county_fips index) joined to the game's
-- hex_county_latest rows (primary key) and that tick's hex_activity rows.
SELECT
    h3_index,
    county_fips,
    tick,
    profit_rate,
    exploitation_rate,
    occ,
    imperial_rent,
    pop_total,
    mobilizable_pop,
    dominant_class,
    heat,
    heat_delta,
    org_count,
    org_presence,
    actions_taken,
    faction_control,
    activity_tick
FROM hex_latest
WHERE game_id = :game_id
ORDER BY h3_index;
