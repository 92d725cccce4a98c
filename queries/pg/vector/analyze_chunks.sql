-- name: analyze_chunks#
-- Refresh the planner's statistics of document_chunk after a bulk load; on a
-- freshly loaded table the planner would otherwise assume it nearly empty and
-- sort instead of using the HNSW index. Through the SECURITY DEFINER function
-- babylon_analyze (only a table's owner may ANALYZE it).
SELECT babylon_analyze('document_chunk');
