-- What the HTTP API needs beyond the core schema (issue 3).
--
-- The API never re-implements the state machine: every state change it
-- makes goes through pureboot.transition() (002), here wrapped in the
-- few functions whose steps must share one transaction.

-- Per-install tokens: issued with install instructions, required by the
-- agent's state-changing calls (events, installed) for that node.
-- Format pbi1.<id>.<secret>: id 16 lower-case hex digits (finds the
-- row, not secret), secret 43 characters of unpadded base64url of 32
-- random bytes; stored: sha256 of the secret.  The API makes both with
-- libsodium and compares in constant time in C.
--
-- One row per node: a new install replaces the row, so a token is good
-- for one node and one install only.  It stays valid after 'installed'
-- (first_boot and heartbeat events of that install need it) until the
-- node goes back to pending or is retired.
CREATE TABLE pureboot.install_tokens (
	id         text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{16}$'),
	node_id    uuid NOT NULL UNIQUE
	           REFERENCES pureboot.nodes (id) ON DELETE CASCADE,
	hash       bytea NOT NULL CHECK (octet_length(hash) = 32),
	issued_at  timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION pureboot.install_token_expire() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM pureboot.install_tokens WHERE node_id = NEW.id;
	RETURN NULL;
END
$$;

CREATE TRIGGER nodes_install_token_expire AFTER UPDATE OF state ON pureboot.nodes
	FOR EACH ROW WHEN (NEW.state IN ('pending', 'retired')
	                   AND OLD.state IS DISTINCT FROM NEW.state)
	EXECUTE FUNCTION pureboot.install_token_expire();

-- A node as the API shows it; json (not jsonb) keeps the key order.
CREATE FUNCTION pureboot.node_json(n pureboot.nodes) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object(
		'id', n.id, 'serial', n.serial, 'mac', n.mac::text,
		'arch', n.arch, 'boot_mode', n.boot_mode, 'pi_model', n.pi_model,
		'hostname', n.hostname, 'ip_address', host(n.ip_address),
		'state', n.state, 'workflow_id', n.workflow_id,
		'install_attempts', n.install_attempts,
		'created_at', n.created_at, 'updated_at', n.updated_at,
		'last_seen', n.last_seen)
$$;

-- POST /nodes/register-pi.  INSERT ... ON CONFLICT makes two racing
-- calls for one serial create one node: the second waits for the first
-- and then updates it.  A MAC that belongs to another node fails with
-- 23505 on nodes_mac_key.  Model and IP, when NULL, keep what is known.
CREATE FUNCTION pureboot.register_pi(p_serial text, p_mac macaddr,
	p_model text, p_ip inet, p_actor text)
RETURNS TABLE (o_node uuid, o_state pureboot.node_state, o_created boolean)
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM set_config('pureboot.actor', coalesce(p_actor, ''), true);
	INSERT INTO pureboot.nodes AS n
		(serial, mac, arch, boot_mode, pi_model, ip_address, last_seen)
	VALUES (p_serial, p_mac, 'aarch64', 'pi', p_model, p_ip, now())
	ON CONFLICT (serial) DO UPDATE SET
		mac = EXCLUDED.mac,
		pi_model = coalesce(EXCLUDED.pi_model, n.pi_model),
		ip_address = coalesce(EXCLUDED.ip_address, n.ip_address),
		last_seen = now()
	-- xmax is 0 only in a row this statement inserted.
	RETURNING n.id, n.state, n.xmax = 0 INTO o_node, o_state, o_created;
	IF o_created THEN
		INSERT INTO pureboot.node_events (node_id, type, payload)
		VALUES (o_node, 'registered', jsonb_build_object('via', 'register-pi',
		        'mac', p_mac::text, 'model', p_model, 'ip_address', host(p_ip)));
	END IF;
	RETURN NEXT;
END
$$;

-- GET /boot/pi: everything the answer needs, and every state change the
-- answer implies, in one call and so one transaction:
--   unknown serial: registered as discovered when auto_register is on,
--     otherwise no row (the API answers 404 and nothing is written);
--   installing (the Pi rebooted mid-install): counted as a failed
--     attempt (installing -> install_failed), then retried
--     (-> pending) unless that was the last allowed attempt;
--   pending with a workflow: -> installing, and the install token
--     (p_token_id, p_token_hash, made by the caller) replaces the
--     node's previous one; o_issued says so.
-- last_seen is written at most once a minute: a fleet polling for
-- instructions must not turn every read into a write.
CREATE FUNCTION pureboot.boot_pi(p_serial text, p_mac macaddr,
	p_token_id text, p_token_hash bytea)
RETURNS TABLE (o_node uuid, o_state pureboot.node_state, o_serial text,
	o_mac text, o_hostname text, o_workflow text, o_definition jsonb,
	o_server text, o_issued boolean, o_attempts integer,
	o_registered boolean)
LANGUAGE plpgsql AS $$
DECLARE
	n pureboot.nodes;
	actor constant text := 'api:boot';
BEGIN
	o_issued := false;
	o_registered := false;
	SELECT * INTO n FROM pureboot.nodes WHERE serial = p_serial;
	IF NOT FOUND THEN
		IF coalesce((SELECT s.value FROM pureboot.settings s
		             WHERE s.key = 'auto_register'), 'on') <> 'on' THEN
			RETURN;
		END IF;
		PERFORM set_config('pureboot.actor', actor, true);
		INSERT INTO pureboot.nodes (serial, mac, arch, boot_mode, last_seen)
		VALUES (p_serial, p_mac, 'aarch64', 'pi', now())
		ON CONFLICT (serial) DO NOTHING
		RETURNING * INTO n;
		IF FOUND THEN
			o_registered := true;
			INSERT INTO pureboot.node_events (node_id, type, payload)
			VALUES (n.id, 'registered', jsonb_build_object('via', 'boot/pi',
			        'mac', p_mac::text));
		ELSE
			-- A racing request registered it first.
			SELECT * INTO n FROM pureboot.nodes WHERE serial = p_serial;
		END IF;
	END IF;

	IF n.state = 'installing'
	   OR (n.state = 'pending' AND n.workflow_id IS NOT NULL) THEN
		-- Decide again under the row lock: a concurrent request for
		-- the same node may have changed it since the read above.
		SELECT * INTO n FROM pureboot.nodes WHERE id = n.id FOR UPDATE;
		IF n.state = 'installing' THEN
			n := pureboot.transition(n.id, 'install_failed', actor,
				'the node asked for install instructions again during its install (rebooted?)');
			IF n.install_attempts < pureboot.max_install_attempts() THEN
				n := pureboot.transition(n.id, 'pending', actor,
					format('automatic retry after failed attempt %s of %s',
					       n.install_attempts, pureboot.max_install_attempts()));
			END IF;
		END IF;
		IF n.state = 'pending' AND n.workflow_id IS NOT NULL THEN
			n := pureboot.transition(n.id, 'installing', actor,
				format('install instructions of workflow %s served', n.workflow_id));
			INSERT INTO pureboot.install_tokens (id, node_id, hash)
			VALUES (p_token_id, n.id, p_token_hash)
			ON CONFLICT (node_id) DO UPDATE SET
				id = EXCLUDED.id, hash = EXCLUDED.hash, issued_at = now();
			o_issued := true;
		END IF;
	END IF;

	IF n.mac IS NULL AND p_mac IS NOT NULL THEN
		UPDATE pureboot.nodes SET mac = p_mac, last_seen = now()
		WHERE id = n.id RETURNING * INTO n;
	ELSIF n.last_seen IS NULL OR n.last_seen < now() - interval '1 minute' THEN
		UPDATE pureboot.nodes SET last_seen = now() WHERE id = n.id;
	END IF;

	o_node := n.id;
	o_state := n.state;
	o_serial := n.serial;
	o_mac := n.mac::text;
	o_hostname := n.hostname;
	o_workflow := n.workflow_id;
	o_attempts := n.install_attempts;
	IF n.workflow_id IS NOT NULL THEN
		SELECT w.definition INTO o_definition
		FROM pureboot.workflows w WHERE w.id = n.workflow_id;
		SELECT s.value INTO o_server
		FROM pureboot.settings s WHERE s.key = 'server_url';
	END IF;
	RETURN NEXT;
END
$$;

-- POST /nodes/{id}/events: the event row and the state change it means,
-- together.  install_failed: installing -> install_failed (counts an
-- attempt); first_boot: installed -> active (an active node's later
-- first_boot, e.g. of an NFS root at every boot, is only recorded).
-- Any other state refuses with the transition's own PB409.  Every event
-- is a sign of life: last_seen.
CREATE FUNCTION pureboot.node_event(p_node uuid, p_type text,
	p_payload jsonb, p_actor text)
RETURNS TABLE (o_event bigint, o_state pureboot.node_state)
LANGUAGE plpgsql AS $$
DECLARE
	n pureboot.nodes;
BEGIN
	SELECT * INTO n FROM pureboot.nodes WHERE id = p_node FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING
			ERRCODE = 'PB404',
			MESSAGE = format('node %s not found', p_node);
	END IF;
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

-- GET /settings: booleans for the on/off keys; defaults for missing rows.
CREATE FUNCTION pureboot.settings_json() RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object(
		'server_url', coalesce(max(value) FILTER (WHERE key = 'server_url'),
		                       'http://127.0.0.1:8080'),
		'auto_register', coalesce(max(value) FILTER (WHERE key = 'auto_register'), 'on') = 'on',
		'discovery', coalesce(max(value) FILTER (WHERE key = 'discovery'), 'on') = 'on')
	FROM pureboot.settings
$$;
