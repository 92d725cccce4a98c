-- A hand-made change SimCash's setup() must refuse (tests/test_compat_original.py).
ALTER TABLE game_sessions ADD COLUMN surprise INTEGER;
