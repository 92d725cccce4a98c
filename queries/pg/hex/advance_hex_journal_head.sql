-- name: advance_hex_journal_head(game_id, tick)!
-- Record that a journal write reached :tick (the head only moves forward).
-- One primary-key upsert of hex_journal_head.
INSERT INTO hex_journal_head AS j (game_id, tick)
VALUES (:game_id, :tick)
ON CONFLICT (game_id) DO UPDATE SET tick = excluded.tick
WHERE j.tick < excluded.tick;
