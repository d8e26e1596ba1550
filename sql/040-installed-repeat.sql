-- 040: POST /nodes/{id}/installed answered again, not refused (issue 14).
--
-- An agent whose installed call committed but whose answer was lost (an
-- API worker killed, nginx reloaded: the fault of t/0722) tries again
-- with the same install token.  Before, the repeat was installed ->
-- installed, a 409, and the agent reported its install failed although
-- the node was installed.  Now a repeat by the agent that made the
-- transition, with the node still installed and nothing logged since,
-- changes nothing and answers the node as the first call did, with
-- "duplicate": true.  An operator's repeat, or one after any other
-- change, is refused as before: the state machine (002) stays the only
-- owner of which moves are allowed.
-- node_installed_once() is 032's node_installed() renamed, unchanged:
-- the one owner of what the first call does.
ALTER FUNCTION pureboot.node_installed(uuid, text) RENAME TO node_installed_once;

CREATE FUNCTION pureboot.node_installed(p_node uuid, p_actor text)
RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	n pureboot.nodes;
	last pureboot.node_state_log;
BEGIN
	SELECT * INTO n FROM pureboot.nodes WHERE id = p_node FOR UPDATE;
	IF FOUND AND n.state = 'installed' AND p_actor LIKE 'agent:%' THEN
		SELECT * INTO last FROM pureboot.node_state_log
		WHERE node_id = p_node ORDER BY id DESC LIMIT 1;
		IF last.from_state = 'installing' AND last.to_state = 'installed'
		   AND last.actor = p_actor THEN
			RETURN (pureboot.node_json(n)::jsonb
			        || '{"duplicate": true}'::jsonb)::json;
		END IF;
	END IF;
	RETURN pureboot.node_installed_once(p_node, p_actor);
END
$$;
