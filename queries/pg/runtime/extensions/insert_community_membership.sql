-- name: insert_community_membership(session_id, tick, community_id, member_id, attributes)*!
-- Memberships of one tick (batched by the caller).
INSERT INTO community_membership (session_id, tick, community_id, member_id, attributes)
VALUES (:session_id, :tick, :community_id, :member_id, :attributes::json);
