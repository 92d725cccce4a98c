-- name: select_layer(game_id)
-- One column of a composition view for one game, hex by hex (babylon-sql map).
-- {view} and {column} are psycopg.sql.Identifier, checked against
-- composition_columns first. The views read hex_latest, keyed by game.
SELECT h3_index, {column} AS value, tick
FROM {view}
WHERE game_id = :game_id
ORDER BY h3_index;
