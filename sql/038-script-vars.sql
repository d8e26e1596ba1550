-- 038: install_method script, post-install scripts and per-node
-- workflow variables (issue 13).
--
-- nodes.vars holds a node's own values of its workflow's variables,
-- name -> string, checked by the API against the variables' declared
-- types when they are assigned (lib/wf/wf_vars.c) and again when the
-- install instructions are made.  The database checks only the shape:
-- psql can write anything, and the resolver refuses what does not fit.
ALTER TABLE pureboot.nodes ADD COLUMN vars jsonb NOT NULL DEFAULT '{}'
	CONSTRAINT nodes_vars_object CHECK (jsonb_typeof(vars) = 'object');

-- script_output: lines a script the agent ran printed (payload: script,
-- seq, text, and dropped when the agent had to leave lines out); the
-- API bounds each event's size and node_event() their rate.
ALTER TABLE pureboot.node_events DROP CONSTRAINT node_events_type_check;
ALTER TABLE pureboot.node_events ADD CONSTRAINT node_events_type_check CHECK (type IN (
	'boot_started', 'install_started', 'install_progress',
	'install_failed', 'install_complete', 'first_boot',
	'heartbeat', 'registered', 'dhcp_add', 'dhcp_old',
	'dhcp_del', 'tftp_sent', 'install_timeout',
	'agent_refused', 'addr_learned',
	-- a proven claim took a MAC from an unproven node (031)
	'mac_moved',
	-- the hook removed a node's NFS directory (033)
	'nfs_removed',
	'script_output'));

-- POST /nodes/{id}/events: as in 032, with script_output among the
-- agent's events that events_per_minute counts.
CREATE OR REPLACE FUNCTION pureboot.node_event(p_node uuid, p_type text,
	p_payload jsonb, p_actor text, p_limited boolean)
RETURNS TABLE (o_event bigint, o_state pureboot.node_state)
LANGUAGE plpgsql AS $$
DECLARE
	n pureboot.nodes;
	lim integer;
	recent integer;
	oldest timestamptz;
BEGIN
	SELECT * INTO n FROM pureboot.nodes WHERE id = p_node FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING
			ERRCODE = 'PB404',
			MESSAGE = format('node %s not found', p_node);
	END IF;
	IF p_limited THEN
		lim := pureboot.setting('events_per_minute', '120')::integer;
		SELECT count(*), min(e.created_at) INTO recent, oldest
		FROM (SELECT created_at FROM pureboot.node_events
		      WHERE node_id = p_node AND type IN ('boot_started',
		            'install_started', 'install_progress', 'install_failed',
		            'install_complete', 'first_boot', 'heartbeat',
		            'script_output')
		      ORDER BY id DESC LIMIT lim) e
		WHERE e.created_at > now() - interval '1 minute';
		IF recent >= lim THEN
			RAISE EXCEPTION USING ERRCODE = 'PB429',
				DETAIL = pureboot.retry_secs(oldest),
				MESSAGE = format('node %s: %s events in the last minute '
				    '(events_per_minute %s)', p_node, recent, lim);
		END IF;
	END IF;
	UPDATE pureboot.install_tokens SET used_at = now()
	WHERE node_id = p_node AND ended_at IS NULL;
	IF p_type = 'install_failed' THEN
		n := pureboot.transition(p_node, 'install_failed', p_actor,
			'agent: ' || coalesce(p_payload->>'reason', 'no reason given'));
	ELSIF p_type = 'first_boot' AND n.state <> 'active' THEN
		n := pureboot.transition(p_node, 'active', p_actor,
			'first boot of the installed system');
	END IF;
	INSERT INTO pureboot.node_events (node_id, type, payload)
	VALUES (p_node, p_type, coalesce(p_payload, '{}'))
	RETURNING id INTO o_event;
	UPDATE pureboot.nodes SET last_seen = now() WHERE id = p_node;
	o_state := n.state;
	RETURN NEXT;
END
$$;

-- What PATCH /nodes/{id} needs to check "vars": the node's values and
-- the definition of the workflow they are for (p_workflow when the
-- same PATCH assigns one, else the node's).  No row: no such node.
CREATE FUNCTION pureboot.node_vars(p_node uuid, p_workflow text)
RETURNS TABLE (o_vars jsonb, o_definition jsonb)
LANGUAGE sql STABLE AS $$
	SELECT n.vars, w.definition
	FROM pureboot.nodes n
	LEFT JOIN pureboot.workflows w ON w.id = coalesce(p_workflow, n.workflow_id)
	WHERE n.id = p_node
$$;

-- The node's values, as the API checked them; called after node_patch
-- in the same statement (fcgi/stmts.c node_patch_vars).
CREATE FUNCTION pureboot.node_set_vars(p_node uuid, p_vars jsonb)
RETURNS json
LANGUAGE sql AS $$
	UPDATE pureboot.nodes AS n SET vars = p_vars
	WHERE n.id = p_node
	RETURNING pureboot.node_json(n);
$$;

-- A node as the API shows it: 036's (its board and its own DTB), with
-- its variable values.
CREATE OR REPLACE FUNCTION pureboot.node_json(n pureboot.nodes) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object(
		'id', n.id, 'serial', n.serial, 'mac', n.mac::text,
		'arch', n.arch, 'boot_mode', n.boot_mode, 'pi_model', n.pi_model,
		'board', n.board, 'dtb', n.dtb,
		'hostname', n.hostname, 'ip_address', host(n.ip_address),
		'known_addr', host(n.known_addr),
		'state', n.state, 'workflow_id', n.workflow_id,
		'install_attempts', n.install_attempts,
		'created_at', n.created_at, 'updated_at', n.updated_at,
		'last_seen', n.last_seen, 'vars', n.vars)
$$;
