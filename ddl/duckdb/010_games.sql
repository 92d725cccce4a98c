-- name: games#
-- DuckDB schema of the policy-optimisation games (GameRepository): one row per
-- game session, one row per (game, agent, iteration) policy proposal.
-- Idempotent: every statement is IF NOT EXISTS or a COMMENT (safe to re-run).
--
-- Time stamps: each TIMESTAMP (no zone) column holds a wall-clock value and
-- its *_utc flag says what kind: false, a naive datetime stored as given;
-- true, an aware datetime stored as its UTC time. The repository reads back
-- the kind that was saved (naive stays naive, aware comes back in UTC).
--
-- Lists (optimized_agents, validation_errors) are JSON array text.
--
-- No FOREIGN KEY from policy_iterations to game_sessions: DuckDB refuses any
-- UPDATE of a referenced parent row whose table carries an index (it rewrites
-- such rows as delete + insert), which would forbid re-saving a session or
-- changing its status. GameRepository checks the parent row in the same
-- statement (save_policy_iteration) or transaction (save_policy_iterations).

CREATE TABLE IF NOT EXISTS game_sessions (
    game_id          VARCHAR PRIMARY KEY,
    scenario_config  VARCHAR NOT NULL,
    master_seed      BIGINT  NOT NULL,
    game_mode        VARCHAR NOT NULL,
    config_json      VARCHAR NOT NULL,
    started_at       TIMESTAMP NOT NULL,
    started_at_utc   BOOLEAN NOT NULL DEFAULT FALSE,
    completed_at     TIMESTAMP,
    completed_at_utc BOOLEAN,
    status           VARCHAR NOT NULL,
    optimized_agents VARCHAR NOT NULL,
    total_iterations INTEGER NOT NULL DEFAULT 0,
    converged        BOOLEAN NOT NULL DEFAULT FALSE,
    final_cost       DOUBLE,
    -- why: the seed's four statuses (records check first; this guards other writers).
    CONSTRAINT game_sessions_status_check
        CHECK (status IN ('running', 'completed', 'failed', 'converged')),
    -- why: the two game modes of the seed.
    CONSTRAINT game_sessions_game_mode_check
        CHECK (game_mode IN ('rl_optimization', 'campaign_learning')),
    -- why: a count of iterations is never negative.
    CONSTRAINT game_sessions_total_iterations_check
        CHECK (total_iterations >= 0)
);

COMMENT ON TABLE game_sessions IS
    'One policy-optimisation game: its configuration, status and result (times naive as given, or UTC where *_utc).';

CREATE TABLE IF NOT EXISTS policy_iterations (
    game_id             VARCHAR NOT NULL,
    agent_id            VARCHAR NOT NULL,
    iteration_number    INTEGER NOT NULL,
    trigger_tick        INTEGER NOT NULL,
    old_policy_json     VARCHAR NOT NULL,
    new_policy_json     VARCHAR NOT NULL,
    old_cost            DOUBLE  NOT NULL,
    new_cost            DOUBLE  NOT NULL,
    cost_improvement    DOUBLE  NOT NULL,
    was_accepted        BOOLEAN NOT NULL,
    validation_errors   VARCHAR NOT NULL,
    llm_model           VARCHAR NOT NULL,
    llm_latency_seconds DOUBLE  NOT NULL,
    tokens_used         INTEGER NOT NULL,
    created_at          TIMESTAMP NOT NULL,
    created_at_utc      BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (game_id, agent_id, iteration_number),
    -- why: iterations are numbered from 1, as the seed says.
    CONSTRAINT policy_iterations_iteration_number_check
        CHECK (iteration_number >= 1)
);

COMMENT ON TABLE policy_iterations IS
    'One policy proposal of one agent in one game, accepted or not (created_at naive as given, or UTC where created_at_utc).';

-- why: list_game_sessions(status=...) filters on it.
CREATE INDEX IF NOT EXISTS idx_game_status ON game_sessions (status);

-- why: list_game_sessions returns the newest games first.
CREATE INDEX IF NOT EXISTS idx_game_started_at ON game_sessions (started_at);

-- why: get_optimization_summary and the parent check look iterations up by game.
CREATE INDEX IF NOT EXISTS idx_iter_game ON policy_iterations (game_id);

-- why: get_policy_iterations(agent_id=...) and get_best_policy filter by game and agent.
CREATE INDEX IF NOT EXISTS idx_iter_agent ON policy_iterations (game_id, agent_id);
