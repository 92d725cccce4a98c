-- name: get_tick_summary(session_id, tick)^
-- Aggregate metrics of one tick (primary key lookup).
SELECT tick, total_c, total_v, total_s, avg_consciousness, uprising_count,
       rate_of_surplus, rate_of_profit, organic_composition
FROM tick_summary
WHERE session_id = :session_id AND tick = :tick;
