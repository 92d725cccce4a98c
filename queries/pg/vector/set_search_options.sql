-- name: set_search_options(ef_search, iterative_scan, index_scan)^
-- Per-transaction (SET LOCAL) search settings for one query:
-- hnsw.ef_search is the candidate list size (at least k); with
-- hnsw.iterative_scan the HNSW scan goes on past ef_search until k rows pass
-- the filter (pgvector 0.8); enable_indexscan = off forces an exact scan.
SELECT
    set_config('hnsw.ef_search', :ef_search, true) AS ef_search,
    set_config('hnsw.iterative_scan', :iterative_scan, true) AS iterative_scan,
    set_config('enable_indexscan', :index_scan, true) AS index_scan;
