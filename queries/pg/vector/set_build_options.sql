-- name: set_build_options(maintenance_work_mem)^
-- Per-transaction memory for an HNSW index build: the graph is built much
-- faster while it fits in maintenance_work_mem.
SELECT set_config('maintenance_work_mem', :maintenance_work_mem, true) AS maintenance_work_mem;
