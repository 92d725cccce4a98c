-- name: upsert_graph_metadata(session_id, tick, economy, state_finances, tick_dynamics)!
-- Graph-level metadata of one tick; persisting it again replaces it.
INSERT INTO graph_metadata (session_id, tick, economy, state_finances, tick_dynamics)
VALUES (:session_id, :tick, :economy::json, :state_finances::json, :tick_dynamics::json)
ON CONFLICT (session_id, tick) DO UPDATE
SET economy = excluded.economy,
    state_finances = excluded.state_finances,
    tick_dynamics = excluded.tick_dynamics;
