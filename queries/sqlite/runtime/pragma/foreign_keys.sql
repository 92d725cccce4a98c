-- name: foreign_keys()$
-- Whether foreign keys are enforced on this connection (1) or not (0).
PRAGMA foreign_keys;
