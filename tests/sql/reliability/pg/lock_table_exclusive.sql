-- name: lock_table_exclusive#
-- Hold node_state in ACCESS EXCLUSIVE mode until the transaction ends:
-- pg_dump then waits for it.
LOCK TABLE node_state IN ACCESS EXCLUSIVE MODE;
