-- name: select_hex_state_series(session_id, h3_index, tick_start, tick_end)
-- One hex's hex_state rows from :tick_start to :tick_end (both inclusive;
-- NULL end = no bound), by tick (get_hex_time_series). Served by
-- hex_state_hex_tick_idx (session_id, h3_index, tick).
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
WHERE s.session_id = :session_id AND s.h3_index = :h3_index
    AND s.tick >= :tick_start
    AND (CAST(:tick_end AS integer) IS NULL OR s.tick <= CAST(:tick_end AS integer))
ORDER BY s.tick;
