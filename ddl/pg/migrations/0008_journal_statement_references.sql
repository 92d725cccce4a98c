-- name: journal_statement_references#
-- Migration 0008: territory_snapshot and hex_activity drop their per-row
-- foreign keys to game_session for statement-level triggers that keep the
-- same rules (see ddl/pg/050_snapshot.sql): the per-row checks were most of
-- the server's time of a tick's journal writes.

ALTER TABLE territory_snapshot DROP CONSTRAINT territory_snapshot_game_id_fkey;
ALTER TABLE hex_activity DROP CONSTRAINT hex_activity_game_id_fkey;

-- The two journals name their game without a FOREIGN KEY: a foreign key
-- checks the referenced row once per inserted row, which was most of the
-- server's time of a tick's journal writes (scripts/bench_hex.py; measured
-- with INSERT ... SELECT of one CONUS tick on PG 15: territory 38 ms with
-- the key, 10 ms without; activity 19 ms and 7 ms). These triggers keep the
-- same rules once per statement: an insert or update naming an unknown game
-- fails with foreign_key_violation (SQLSTATE 23503) after locking the games
-- it names FOR KEY SHARE, as a foreign key does, so a concurrent delete of
-- the game waits; deleting a game_session row deletes its journal rows;
-- truncating game_session truncates the journals; changing the session_id
-- of a game with journal rows fails.
CREATE OR REPLACE FUNCTION babylon_journal_games_exist() RETURNS trigger
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    missing uuid;
BEGIN
    PERFORM 1
    FROM game_session AS g
    WHERE g.session_id IN (SELECT n.game_id FROM new_rows AS n)
    FOR KEY SHARE;
    SELECT d.game_id INTO missing
    FROM (SELECT DISTINCT n.game_id FROM new_rows AS n) AS d
    WHERE NOT EXISTS (SELECT 1 FROM game_session AS g WHERE g.session_id = d.game_id)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'insert or update on table "%" violates its game_id reference', TG_TABLE_NAME
            USING ERRCODE = 'foreign_key_violation',
                DETAIL = format('Key (game_id)=(%s) is not present in table "game_session".', missing);
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION babylon_journal_games_exist() IS
    'Statement-level reference check of territory_snapshot.game_id and hex_activity.game_id against game_session (what a foreign key checks per row): locks the named games FOR KEY SHARE, raises foreign_key_violation for an unknown one.';

CREATE OR REPLACE FUNCTION babylon_journal_games_gone() RETURNS trigger
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    kept uuid;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE territory_snapshot, hex_activity;
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM territory_snapshot AS t USING old_rows AS o WHERE t.game_id = o.session_id;
        DELETE FROM hex_activity AS a USING old_rows AS o WHERE a.game_id = o.session_id;
    ELSE
        SELECT o.session_id INTO kept
        FROM old_rows AS o
        WHERE NOT EXISTS (SELECT 1 FROM game_session AS g WHERE g.session_id = o.session_id)
            AND (
                EXISTS (SELECT 1 FROM territory_snapshot AS t WHERE t.game_id = o.session_id)
                OR EXISTS (SELECT 1 FROM hex_activity AS a WHERE a.game_id = o.session_id)
            )
        LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'update on table "game_session" would leave journal rows without their game'
                USING ERRCODE = 'foreign_key_violation',
                    DETAIL = format('Key (session_id)=(%s) is still referenced by the hex journals.', kept);
        END IF;
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION babylon_journal_games_gone() IS
    'What ON DELETE CASCADE did for territory_snapshot and hex_activity: a deleted game_session row takes its journal rows, TRUNCATE game_session truncates the journals, and a session_id still named by journal rows cannot change.';

-- why: the game_id reference of the journals, checked once per statement (see babylon_journal_games_exist).
CREATE OR REPLACE TRIGGER territory_snapshot_game_insert
AFTER INSERT ON territory_snapshot REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION babylon_journal_games_exist();
COMMENT ON TRIGGER territory_snapshot_game_insert ON territory_snapshot IS
    'Refuses rows naming an unknown game, once per statement (babylon_journal_games_exist()).';
-- why: the game_id reference of the journals, checked once per statement.
CREATE OR REPLACE TRIGGER territory_snapshot_game_update
AFTER UPDATE ON territory_snapshot REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION babylon_journal_games_exist();
COMMENT ON TRIGGER territory_snapshot_game_update ON territory_snapshot IS
    'Refuses updates naming an unknown game, once per statement (babylon_journal_games_exist()).';
-- why: the game_id reference of the journals, checked once per statement.
CREATE OR REPLACE TRIGGER hex_activity_game_insert
AFTER INSERT ON hex_activity REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION babylon_journal_games_exist();
COMMENT ON TRIGGER hex_activity_game_insert ON hex_activity IS
    'Refuses rows naming an unknown game, once per statement (babylon_journal_games_exist()).';
-- why: the game_id reference of the journals, checked once per statement.
CREATE OR REPLACE TRIGGER hex_activity_game_update
AFTER UPDATE ON hex_activity REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION babylon_journal_games_exist();
COMMENT ON TRIGGER hex_activity_game_update ON hex_activity IS
    'Refuses updates naming an unknown game, once per statement (babylon_journal_games_exist()).';
-- why: a deleted game takes its journal rows (the journals' ON DELETE CASCADE).
CREATE OR REPLACE TRIGGER game_session_journals_delete
AFTER DELETE ON game_session REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION babylon_journal_games_gone();
COMMENT ON TRIGGER game_session_journals_delete ON game_session IS
    'Deletes the territory_snapshot and hex_activity rows of deleted games (babylon_journal_games_gone()).';
-- why: a game still named by journal rows keeps its session_id.
CREATE OR REPLACE TRIGGER game_session_journals_update
AFTER UPDATE ON game_session REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION babylon_journal_games_gone();
COMMENT ON TRIGGER game_session_journals_update ON game_session IS
    'Refuses a session_id change while journal rows name the old id (babylon_journal_games_gone()).';
-- why: TRUNCATE game_session empties the journals too.
CREATE OR REPLACE TRIGGER game_session_journals_truncate
AFTER TRUNCATE ON game_session
FOR EACH STATEMENT EXECUTE FUNCTION babylon_journal_games_gone();
COMMENT ON TRIGGER game_session_journals_truncate ON game_session IS
    'Truncates territory_snapshot and hex_activity with game_session (babylon_journal_games_gone()).';
