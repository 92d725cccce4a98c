-- name: game#
-- Layer 020: game management. Sessions, player turns, OODA action outcomes.

CREATE TABLE IF NOT EXISTS game_session (
    session_id  uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text,
    status      text        NOT NULL DEFAULT 'created',
    config      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    ended_at    timestamptz,
    end_tick    integer,
    -- why: a typo in a status must fail loudly, not create a new state.
    CONSTRAINT game_session_status_check
        CHECK (status IN ('created', 'running', 'paused', 'completed', 'failed', 'aborted')),
    -- why: ticks are never negative.
    CONSTRAINT game_session_end_tick_check CHECK (end_tick IS NULL OR end_tick >= 0)
);
COMMENT ON TABLE game_session IS
    'One simulation run. Every session-scoped table references it and is purged with it (ON DELETE CASCADE).';

-- why: list_sessions() filters by status and shows the newest first.
CREATE INDEX IF NOT EXISTS game_session_status_created_idx
    ON game_session (status, created_at DESC);
COMMENT ON INDEX game_session_status_created_idx IS 'list_sessions() filters by status and shows the newest first.';

CREATE TABLE IF NOT EXISTS session_metadata (
    session_id  uuid        NOT NULL REFERENCES game_session (session_id) ON DELETE CASCADE,
    key         text        NOT NULL,
    value       text        NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, key)
);
COMMENT ON TABLE session_metadata IS
    'Key/value metadata of one session (config, end_tick, status). Keyed by session: two sessions never share a row.';

CREATE TABLE IF NOT EXISTS runtime_metadata (
    key         text        PRIMARY KEY,
    value       text        NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE runtime_metadata IS
    'Key/value metadata of the database itself, written by set_metadata() without a session; no sentinel session rows.';

CREATE TABLE IF NOT EXISTS game_turn (
    session_id   uuid        NOT NULL REFERENCES game_session (session_id) ON DELETE CASCADE,
    turn_number  integer     NOT NULL,
    player_id    text        NOT NULL,
    tick         integer     NOT NULL,
    actions      jsonb       NOT NULL DEFAULT '[]'::jsonb,
    submitted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, turn_number, player_id),
    -- why: turns and ticks count up from zero.
    CONSTRAINT game_turn_numbers_check CHECK (turn_number >= 0 AND tick >= 0)
);
COMMENT ON TABLE game_turn IS 'Player turns: which actions each player submitted at which tick.';

CREATE TABLE IF NOT EXISTS action_result (
    session_id   uuid    NOT NULL REFERENCES game_session (session_id) ON DELETE CASCADE,
    tick         integer NOT NULL,
    action_id    text    NOT NULL,
    actor_id     text,
    action_type  text,
    success      boolean,
    outcome      jsonb   NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (session_id, tick, action_id),
    -- why: ticks are never negative.
    CONSTRAINT action_result_tick_check CHECK (tick >= 0)
);
COMMENT ON TABLE action_result IS
    'OODA action resolution outcomes (Feature 032), one row per action and tick; the whole result dict is in outcome.';
