-- name: infrastructure#
-- Layer 080: infrastructure topology state (Feature 036).

CREATE TABLE IF NOT EXISTS infrastructure_link_state (
    session_id  uuid             NOT NULL REFERENCES game_session (session_id) ON DELETE CASCADE,
    tick        integer          NOT NULL,
    link_id     text             NOT NULL,
    source_id   text,
    target_id   text,
    capacity    double precision,
    condition   double precision,
    state       jsonb            NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (session_id, tick, link_id),
    -- why: ticks are never negative.
    CONSTRAINT infrastructure_link_state_tick_check CHECK (tick >= 0)
);
COMMENT ON TABLE infrastructure_link_state IS 'Per-edge infrastructure capacity and condition per tick.';
