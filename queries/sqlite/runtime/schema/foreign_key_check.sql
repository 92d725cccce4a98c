-- name: foreign_key_check()^
-- The first row that violates a foreign key (table, rowid, parent, constraint
-- index), or None: checked after the migrations, before they commit.
PRAGMA foreign_key_check;
