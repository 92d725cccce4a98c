-- name: archive_tick_totals()
-- Per tick of an archived session (Parquet files read by DuckDB, one view per
-- table): active hexes and total heat from hex_activity, nodes and edges from
-- graph_snapshot. The demo compares them with what it wrote.
SELECT
    g.tick,
    g.node_count,
    g.edge_count,
    count(a.h3_index) AS active_hexes,
    coalesce(sum(a.heat), 0) AS total_heat
FROM graph_snapshot AS g
LEFT JOIN hex_activity AS a ON a.tick = g.tick
GROUP BY g.tick, g.node_count, g.edge_count
ORDER BY g.tick;
