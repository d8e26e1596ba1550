-- Install instructions in two steps, and the install token's lifetime
-- (issue 10).  docs/security.md has the why; this file has the rules.
--
-- 1. GET /boot/pi answers an install with what to do and the install
--    token (to the node's known address only, 030), and nothing of the
--    workflow.  The files, the image and any secret of the workflow
--    come from GET /nodes/{id}/install, which needs that token:
--    node_install() below.
-- 2. An install token is good while its node is on the install path
--    (installing, installed) and for install_token_ttl seconds after it
--    was issued or last used for an event or the installed call.  It
--    ends at first_boot (installed -> active) and whenever the state
--    leaves the install path.  An ended token keeps its row, with why it
--    ended, until the node's next install replaces it, so the API can
--    say why it is refused; only the holder of the secret hears it.

ALTER TABLE pureboot.install_tokens
	-- the last event or installed call made with it (node_event,
	-- node_installed); NULL: none yet
	ADD COLUMN used_at timestamptz,
	-- when and why it ended; NULL: not ended
	ADD COLUMN ended_at timestamptz,
	ADD COLUMN ended_why text,
	ADD CONSTRAINT install_tokens_ended_check
		CHECK ((ended_at IS NULL) = (ended_why IS NULL));

ALTER TABLE pureboot.settings DROP CONSTRAINT settings_key_check;
ALTER TABLE pureboot.settings ADD CONSTRAINT settings_key_check CHECK (key IN (
	'server_url', 'auto_register', 'discovery', 'agent_trust',
	'discovery_limit', 'discovery_per_addr', 'events_per_minute',
	'install_token_ttl'));
ALTER TABLE pureboot.settings DROP CONSTRAINT settings_value_check;
ALTER TABLE pureboot.settings ADD CONSTRAINT settings_value_check CHECK (CASE key
	WHEN 'server_url' THEN pureboot.server_url_ok(value)
	WHEN 'auto_register' THEN value IN ('on', 'off')
	WHEN 'discovery' THEN value IN ('on', 'off')
	WHEN 'agent_trust' THEN value IN ('address', 'open')
	-- 0 refuses every new node the agent would make
	WHEN 'discovery_limit' THEN value ~ '^(0|[1-9][0-9]{0,6})$'
	WHEN 'discovery_per_addr' THEN value ~ '^[1-9][0-9]{0,5}$'
	WHEN 'events_per_minute' THEN value ~ '^[1-9][0-9]{0,5}$'
	-- seconds, 1 to 2592000 (30 days)
	WHEN 'install_token_ttl' THEN value ~ '^[1-9][0-9]{0,6}$'
	                              AND value::integer <= 2592000
	ELSE false
END);

INSERT INTO pureboot.settings (key, value) VALUES ('install_token_ttl', '7200')
ON CONFLICT (key) DO NOTHING;

-- Tokens of nodes that are not on the install path today end now (an
-- active node's token from before this migration).
UPDATE pureboot.install_tokens t
SET ended_at = now(), ended_why = format('it ended when its node left the '
    'install path (state %s)', n.state)
FROM pureboot.nodes n
WHERE n.id = t.node_id AND pureboot.boot_class(n.state) <> 'installing'
  AND n.state <> 'installed';

-- The trigger of 010 and 022 deleted the token at pending and retired;
-- now every state change off the install path ends it, with the reason.
-- The path is the states of boot class installing (022) and installed,
-- which boots as run but waits for its first_boot.  A new install
-- (boot_pi) replaces the row.
CREATE OR REPLACE FUNCTION pureboot.install_token_expire() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE pureboot.install_tokens
	SET ended_at = now(), ended_why = CASE
		WHEN OLD.state = 'installed' AND NEW.state = 'active'
		THEN 'it ended at the first boot of the installed system '
		     '(installed -> active)'
		ELSE format('it ended when its node went from %s to %s',
		            OLD.state, NEW.state)
		END
	WHERE node_id = NEW.id AND ended_at IS NULL;
	RETURN NULL;
END
$$;

DROP TRIGGER nodes_install_token_expire ON pureboot.nodes;
CREATE TRIGGER nodes_install_token_expire AFTER UPDATE OF state ON pureboot.nodes
	FOR EACH ROW WHEN (pureboot.boot_class(NEW.state) <> 'installing'
	                   AND NEW.state <> 'installed'
	                   AND OLD.state IS DISTINCT FROM NEW.state)
	EXECUTE FUNCTION pureboot.install_token_expire();

-- The install token whose id is p_id, for fcgi/auth.c: its node, the
-- hash of its secret (hex; the API compares it in constant time) and,
-- when it is no longer good, why (o_ended).  No row: no such token.
-- Reads only: whoever calls it has not shown the secret yet.
CREATE FUNCTION pureboot.install_token_get(p_id text)
RETURNS TABLE (o_node uuid, o_hash text, o_ended text)
LANGUAGE sql STABLE AS $$
	SELECT t.node_id, encode(t.hash, 'hex'), CASE
		WHEN t.ended_at IS NOT NULL THEN t.ended_why
		WHEN greatest(t.issued_at, t.used_at)
		     + ttl.s * interval '1 second' < now()
		THEN format('it expired %s s after it was issued or last used '
		     'for an event (install_token_ttl)', ttl.s)
		END
	FROM pureboot.install_tokens t,
	     (SELECT pureboot.setting('install_token_ttl', '7200')::integer) ttl(s)
	WHERE t.id = p_id
$$;

-- GET /nodes/{id}/install (with the node's install token): what the API
-- needs to make the install instructions, the columns as the first
-- nine of boot_pi's.  Only while the node is installing: a token that
-- is still good after 'installed' (for its events) gets no files again.
-- Changes nothing.
CREATE FUNCTION pureboot.node_install(p_node uuid)
RETURNS TABLE (o_node uuid, o_state pureboot.node_state, o_serial text,
	o_mac text, o_hostname text, o_workflow text, o_definition jsonb,
	o_server text, o_attempts integer)
LANGUAGE plpgsql STABLE AS $$
DECLARE
	n pureboot.nodes;
BEGIN
	SELECT * INTO n FROM pureboot.nodes WHERE id = p_node;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'PB404',
			MESSAGE = format('node %s not found', p_node);
	END IF;
	IF n.state <> 'installing' OR n.workflow_id IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'PB409',
			MESSAGE = format('node %s is %s; install instructions are '
			    'served only while it is installing', p_node, n.state);
	END IF;
	o_node := n.id;
	o_state := n.state;
	o_serial := n.serial;
	o_mac := n.mac::text;
	o_hostname := n.hostname;
	o_workflow := n.workflow_id;
	o_attempts := n.install_attempts;
	SELECT w.definition INTO o_definition
	FROM pureboot.workflows w WHERE w.id = n.workflow_id;
	SELECT s.value INTO o_server
	FROM pureboot.settings s WHERE s.key = 'server_url';
	RETURN NEXT;
END
$$;

-- POST /nodes/{id}/installed: installing -> installed, as the statement
-- of 010 did, and the token's last use.
CREATE FUNCTION pureboot.node_installed(p_node uuid, p_actor text)
RETURNS json
LANGUAGE plpgsql AS $$
DECLARE
	n pureboot.nodes;
BEGIN
	n := pureboot.transition(p_node, 'installed', p_actor,
		'the agent reported the install complete');
	UPDATE pureboot.install_tokens SET used_at = now()
	WHERE node_id = p_node AND ended_at IS NULL;
	RETURN pureboot.node_json(n);
END
$$;

-- GET /boot/pi from p_addr: as in 030; the new install token's row
-- replaces the last one whole (a fresh lifetime, not ended).
CREATE OR REPLACE FUNCTION pureboot.boot_pi(p_serial text, p_mac macaddr,
	p_token_id text, p_token_hash bytea, p_addr inet)
RETURNS TABLE (o_node uuid, o_state pureboot.node_state, o_serial text,
	o_mac text, o_hostname text, o_workflow text, o_definition jsonb,
	o_server text, o_issued boolean, o_attempts integer,
	o_registered boolean, o_refused boolean)
LANGUAGE plpgsql AS $$
DECLARE
	n pureboot.nodes;
	actor constant text := 'api:boot';
BEGIN
	o_issued := false;
	o_registered := false;
	o_refused := false;
	SELECT * INTO n FROM pureboot.nodes WHERE serial = p_serial;
	IF NOT FOUND THEN
		IF pureboot.setting('auto_register', 'on') <> 'on' THEN
			RETURN;
		END IF;
		PERFORM pureboot.agent_may_create(p_addr);
		PERFORM set_config('pureboot.actor', actor, true);
		INSERT INTO pureboot.nodes (serial, mac, arch, boot_mode, last_seen,
			known_addr, created_addr)
		VALUES (p_serial, p_mac, 'aarch64', 'pi', now(), p_addr, p_addr)
		ON CONFLICT (serial) DO NOTHING
		RETURNING * INTO n;
		IF FOUND THEN
			o_registered := true;
			INSERT INTO pureboot.node_events (node_id, type, payload)
			VALUES (n.id, 'registered', jsonb_build_object('via', 'boot/pi',
			        'mac', p_mac::text, 'addr', host(p_addr)));
		ELSE
			-- A racing request registered it first.
			SELECT * INTO n FROM pureboot.nodes WHERE serial = p_serial;
		END IF;
	END IF;

	IF NOT pureboot.agent_trusted(n, p_addr) THEN
		PERFORM pureboot.agent_refused(n.id, 'boot/pi', p_addr,
			n.known_addr, jsonb_build_object('state', n.state));
		o_refused := true;
	ELSE
		IF n.known_addr IS NULL THEN
			PERFORM pureboot.agent_learn(n.id, p_addr, 'boot/pi');
		END IF;
		IF pureboot.boot_class(n.state) = 'installing'
		   OR (pureboot.boot_class(n.state) = 'install'
		       AND n.workflow_id IS NOT NULL) THEN
			-- Decide again under the row lock: a concurrent request
			-- for the same node may have changed it since the read
			-- above.
			SELECT * INTO n FROM pureboot.nodes WHERE id = n.id FOR UPDATE;
			IF pureboot.boot_class(n.state) = 'installing' THEN
				n := pureboot.transition(n.id, 'install_failed', actor,
					'the node asked for install instructions again during its install (rebooted?)');
				IF n.install_attempts < pureboot.max_install_attempts() THEN
					n := pureboot.transition(n.id, 'pending', actor,
						format('automatic retry after failed attempt %s of %s',
						       n.install_attempts, pureboot.max_install_attempts()));
				END IF;
			END IF;
			IF pureboot.boot_class(n.state) = 'install'
			   AND n.workflow_id IS NOT NULL THEN
				n := pureboot.transition(n.id, 'installing', actor,
					format('install instructions of workflow %s served', n.workflow_id));
				INSERT INTO pureboot.install_tokens (id, node_id, hash)
				VALUES (p_token_id, n.id, p_token_hash)
				ON CONFLICT (node_id) DO UPDATE SET
					id = EXCLUDED.id, hash = EXCLUDED.hash, issued_at = now(),
					used_at = NULL, ended_at = NULL, ended_why = NULL;
				o_issued := true;
			END IF;
		END IF;

		IF n.mac IS NULL AND p_mac IS NOT NULL THEN
			UPDATE pureboot.nodes SET mac = p_mac, last_seen = now()
			WHERE id = n.id RETURNING * INTO n;
		ELSIF n.last_seen IS NULL OR n.last_seen < now() - interval '1 minute' THEN
			UPDATE pureboot.nodes SET last_seen = now() WHERE id = n.id;
		END IF;
	END IF;

	o_node := n.id;
	o_state := n.state;
	o_serial := n.serial;
	o_mac := n.mac::text;
	o_hostname := n.hostname;
	o_workflow := n.workflow_id;
	o_attempts := n.install_attempts;
	-- The definition decides local_boot or nfs, for a refused caller
	-- too; what the API sends of it is its business.
	IF n.workflow_id IS NOT NULL THEN
		SELECT w.definition INTO o_definition
		FROM pureboot.workflows w WHERE w.id = n.workflow_id;
		SELECT s.value INTO o_server
		FROM pureboot.settings s WHERE s.key = 'server_url';
	END IF;
	RETURN NEXT;
END
$$;

-- POST /nodes/{id}/events: as in 030, and the event is the install
-- token's last use (its lifetime starts again).  first_boot ends the
-- token through the trigger above (installed -> active).
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
		            'install_complete', 'first_boot', 'heartbeat')
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

-- GET /settings: 030's keys and install_token_ttl.
CREATE OR REPLACE FUNCTION pureboot.settings_json() RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object(
		'server_url', coalesce(max(value) FILTER (WHERE key = 'server_url'),
		                       'http://127.0.0.1:8080'),
		'auto_register', coalesce(max(value) FILTER (WHERE key = 'auto_register'), 'on') = 'on',
		'discovery', coalesce(max(value) FILTER (WHERE key = 'discovery'), 'on') = 'on',
		'agent_trust', coalesce(max(value) FILTER (WHERE key = 'agent_trust'), 'address'),
		'discovery_limit', coalesce(max(value) FILTER (WHERE key = 'discovery_limit'), '1000')::integer,
		'discovery_per_addr', coalesce(max(value) FILTER (WHERE key = 'discovery_per_addr'), '10')::integer,
		'events_per_minute', coalesce(max(value) FILTER (WHERE key = 'events_per_minute'), '120')::integer,
		'install_token_ttl', coalesce(max(value) FILTER (WHERE key = 'install_token_ttl'), '7200')::integer)
	FROM pureboot.settings
$$;
