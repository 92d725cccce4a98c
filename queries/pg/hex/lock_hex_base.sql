-- name: lock_hex_base#
-- Serialise rebuilds of hex_base (and the static loads that trigger them)
-- without blocking readers of hex_latest.
LOCK TABLE hex_base IN SHARE ROW EXCLUSIVE MODE;
