-- name: delete_session(session_id)!
-- Delete a session and everything it owns: foreign keys cascade, and
-- graph_snapshot's trigger removes the tick's nodes, edges and events.
-- Traces are not covered (trace_log has no foreign key): see
-- PostgresRuntime.delete_session.
DELETE FROM game_session WHERE session_id = :session_id;
