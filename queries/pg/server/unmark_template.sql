-- name: unmark_template#
-- Undo mark_template so the database can be dropped.
ALTER DATABASE {database} WITH is_template = false;
