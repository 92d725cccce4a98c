-- name: upsert_tick_summary(session_id, tick, total_c, total_v, total_s, avg_consciousness, uprising_count, rate_of_surplus, rate_of_profit, organic_composition)!
-- Aggregate metrics of one tick (legacy SimulationDB layout); recording it again replaces it.
INSERT INTO tick_summary (session_id, tick, total_c, total_v, total_s, avg_consciousness, uprising_count,
                          rate_of_surplus, rate_of_profit, organic_composition)
VALUES (:session_id, :tick, :total_c, :total_v, :total_s, :avg_consciousness, :uprising_count,
        :rate_of_surplus, :rate_of_profit, :organic_composition)
ON CONFLICT (session_id, tick) DO UPDATE
SET total_c = excluded.total_c,
    total_v = excluded.total_v,
    total_s = excluded.total_s,
    avg_consciousness = excluded.avg_consciousness,
    uprising_count = excluded.uprising_count,
    rate_of_surplus = excluded.rate_of_surplus,
    rate_of_profit = excluded.rate_of_profit,
    organic_composition = excluded.organic_composition;
