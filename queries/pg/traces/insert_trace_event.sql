-- name: insert_trace_event(session_id, tick, seq, level, system, event, node_id, data)*!
-- One trace event per row, for executemany in 1,000-row batches: the naive
-- baseline that scripts/bench_traces.py measures COPY against.
INSERT INTO trace_log (session_id, tick, seq, level, system, event, node_id, data)
VALUES (:session_id, :tick, :seq, :level, :system, :event, :node_id, :data::jsonb);
