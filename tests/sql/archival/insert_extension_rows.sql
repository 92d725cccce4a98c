-- name: insert_extension_rows(session_id)!
-- Test helper: two rows of archive_test_extension, one with awkward values
-- in every column (NUL bytes, tabs, quotes, 1e20 and -0.0 in json text), one
-- all NULL.
INSERT INTO archive_test_extension
    (session_id, k, blob, amount, span, tags, counts, flags, naive, day, ratio, small, code,
     label, doc, docb)
VALUES
    (:session_id, 1, '\x00ff0a5c09'::bytea, 12345678901234567890.123456789,
     '1 day 02:03:04.5', ARRAY['a,b', 'q"uote', NULL, E'tab\there', ''], ARRAY[1, NULL, -3],
     ARRAY[true, false], '2026-03-04 05:06:07.891011', '2026-03-04', 0.1, -7, 'ab',
     E'back\\slash\nline', '{"a" :  1e20, "b": -0.0, "c": [1.50]}',
     '{"nested": {"x": [1, 2.5, null]}}'),
    (:session_id, 2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, NULL);
