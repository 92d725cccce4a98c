-- name: select_community_membership(session_id, tick)
-- Memberships of one tick, by community then member (primary key range).
SELECT community_id, member_id, attributes::text AS attributes
FROM community_membership
WHERE session_id = :session_id AND tick = :tick
ORDER BY community_id, member_id;
