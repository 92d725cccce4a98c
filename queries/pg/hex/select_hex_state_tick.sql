-- name: select_hex_state_tick(session_id, tick, county_fips)
-- hex_state rows of one session and tick (get_hex_state_for_tick), the H3
-- index as its 15 hex digits like the original; with :county_fips, only the
-- hexes hex_map gives that county. Primary-key range (session_id, tick),
-- then hex_map primary-key probes.
SELECT
    s.session_id,
    s.tick,
    lpad(to_hex(s.h3_index), 15, '0') AS h3_index,
    s.constant_capital,
    s.variable_capital,
    s.surplus_value,
    s.employment,
    s.dept_shares,
    s.profit_rate,
    s.exploitation_rate
FROM hex_state AS s
WHERE s.session_id = :session_id AND s.tick = :tick
    AND (
        CAST(:county_fips AS text) IS NULL
        OR EXISTS (
            SELECT 1 FROM hex_map AS m
            WHERE m.h3_index = s.h3_index AND m.county_fips = CAST(:county_fips AS text)
        )
    )
ORDER BY s.h3_index;
