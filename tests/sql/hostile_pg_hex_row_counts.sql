-- name: hostile_pg_hex_row_counts()^
-- Row counts of the hex tables hostile_pg_row_counts leaves out (counties,
-- per-hex economics, the carried-county pointers) and the sum of the
-- journal heads, so a refused hex call that moved a head shows too.
SELECT
    (SELECT count(*) FROM hex_county) AS hex_county,
    (SELECT count(*) FROM hex_state) AS hex_state,
    (SELECT count(*) FROM hex_county_latest) AS hex_county_latest,
    (SELECT count(*) FROM hex_latest_head) AS hex_latest_head,
    (SELECT coalesce(sum(tick), 0) FROM hex_journal_head) AS journal_ticks;
