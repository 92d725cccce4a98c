-- name: delete_hex_base()!
-- Empty hex_base before rebuild_hex_base refills it (same transaction, so
-- readers keep seeing the old rows until commit).
DELETE FROM hex_base;
