-- name: time_ordered_session_ids#
-- Migration 0010: new sessions get time-ordered ids (UUID version 7, see
-- ddl/pg/020_game.sql), so the running session's ticks append at the right
-- edge of node_state's and edge_state's primary keys. Existing sessions
-- keep their ids; a random id's first byte is 0x01 once in 256, where a
-- time-ordered id's is until 2039, so nearly all of them sort after the new
-- sessions, whose ticks then reach the right edge once they are archived.

CREATE OR REPLACE FUNCTION babylon_uuid_v7() RETURNS uuid
LANGUAGE sql VOLATILE PARALLEL SAFE
AS $$
    -- The first 6 bytes: Unix time in ms, big-endian. The version nibble
    -- of gen_random_uuid() goes from 0100 (4) to 0111 (7): bits 52 and 53.
    SELECT encode(
        set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
            PLACING substring(int8send(floor(extract(EPOCH FROM clock_timestamp()) * 1000)::bigint) FROM 3)
            FROM 1 FOR 6), 52, 1), 53, 1),
        'hex'
    )::uuid
$$;
COMMENT ON FUNCTION babylon_uuid_v7() IS
    'A time-ordered UUID (version 7, RFC 9562): Unix time in milliseconds, then 74 random bits. Default of game_session.session_id.';

ALTER TABLE game_session ALTER COLUMN session_id SET DEFAULT babylon_uuid_v7();
