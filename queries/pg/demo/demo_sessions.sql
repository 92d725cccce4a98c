-- name: demo_sessions(name, scale)
-- Sessions an earlier `babylon-sql demo` of this scale made in this database
-- (the name and the config's source and scale say so); a new run replaces them.
-- Scans game_session, which holds one row per session.
SELECT session_id
FROM game_session
WHERE name = :name
  AND config ->> 'source' = 'babylon-sql demo'
  AND config ->> 'scale' = :scale
ORDER BY created_at;
