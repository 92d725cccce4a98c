-- name: composition_columns()
-- The columns of the composition views (v_hex_*) and their types: the layers
-- babylon-sql map can draw, views in the design's order (a bare column name
-- means the first view that has it). Catalog lookup only.
SELECT c.table_name AS view_name, c.column_name, c.data_type
FROM information_schema.columns AS c
WHERE c.table_schema = current_schema()
  AND c.table_name IN ('v_hex_economic', 'v_hex_mobilize', 'v_hex_heat', 'v_hex_aid', 'v_hex_intel')
  AND c.column_name NOT IN ('game_id', 'h3_index', 'tick')
ORDER BY
    array_position(
        ARRAY['v_hex_economic', 'v_hex_mobilize', 'v_hex_heat', 'v_hex_aid', 'v_hex_intel']::text[],
        c.table_name::text
    ),
    c.ordinal_position;
