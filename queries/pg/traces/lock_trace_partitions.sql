-- name: lock_trace_partitions#
-- Serialise partition changes of trace_log: the parent in SHARE UPDATE
-- EXCLUSIVE mode (what ATTACH PARTITION takes; writers keep writing), the
-- default partition in ACCESS EXCLUSIVE mode (what ATTACH takes on it), both
-- up front so two callers never upgrade locks against each other.
LOCK TABLE ONLY trace_log IN SHARE UPDATE EXCLUSIVE MODE;
LOCK TABLE ONLY trace_log_default IN ACCESS EXCLUSIVE MODE;
