-- name: upsert_hex_state(session_id, tick, h3_index, constant_capital, variable_capital, surplus_value, employment, dept_shares, profit_rate, exploitation_rate)*!
-- One hex's economics of a tick (persist_hex_state, the original API):
-- executemany in batches of 1,000 in one transaction; a hex written again
-- at the same tick is replaced. Primary key (session_id, tick, h3_index).
INSERT INTO hex_state (
    session_id, tick, h3_index, constant_capital, variable_capital, surplus_value,
    employment, dept_shares, profit_rate, exploitation_rate
)
VALUES (
    :session_id, :tick, :h3_index, :constant_capital, :variable_capital, :surplus_value,
    :employment, :dept_shares, :profit_rate, :exploitation_rate
)
ON CONFLICT (session_id, tick, h3_index) DO UPDATE SET
    constant_capital = excluded.constant_capital,
    variable_capital = excluded.variable_capital,
    surplus_value = excluded.surplus_value,
    employment = excluded.employment,
    dept_shares = excluded.dept_shares,
    profit_rate = excluded.profit_rate,
    exploitation_rate = excluded.exploitation_rate;
