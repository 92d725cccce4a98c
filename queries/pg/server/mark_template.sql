-- name: mark_template#
-- Mark a database as a template so it may be cloned by non-owners.
ALTER DATABASE {database} WITH is_template = true;
