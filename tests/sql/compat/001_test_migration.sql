-- A migration file as SimCash's DatabaseManager applies them (tests/test_compat_original.py).
CREATE TABLE migrated_marker (id INTEGER);
