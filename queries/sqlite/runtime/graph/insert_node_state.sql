-- name: insert_node_state*!
-- The nodes of one tick (batched by the caller, inside the tick's transaction).
-- Positional parameters, one tuple per node in the column order below:
-- binding tuples to named placeholders is deprecated from Python 3.12, and
-- building a dict per row costs a fifth of the whole persist_tick.
INSERT INTO node_state (session_id, tick, node_id, ord, node_ref, node_type, attributes)
VALUES (?, ?, ?, ?, ?, ?, ?);
