-- name: hex_journal_head_tick(game_id)$
-- The last tick journaled for a game (NULL before its first write). Primary
-- key of hex_journal_head.
SELECT tick
FROM hex_journal_head
WHERE game_id = :game_id;
