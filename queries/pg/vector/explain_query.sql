-- name: explain_query#
-- The plan of a statement, as JSON, without running it. {statement} is a
-- psycopg.sql.Composed built from a query of this folder.
EXPLAIN (FORMAT JSON) {statement};
