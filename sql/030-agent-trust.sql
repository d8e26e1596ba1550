-- Agent trust (issue 10): a serial is not a credential, an address is
-- the best the provisioning network offers.  docs/security.md has the
-- threat model; this file has the rules.
--
-- A node's known address (nodes.known_addr) is where its agent may ask
-- from: set by its first registration (the address of that request),
-- by a DHCP lease event for its MAC (hook_dhcp_event below) or a TFTP
-- transfer from its MAC (hook_tftp_event), or, for a node that has
-- none (made by an operator, or before this migration without a lease
-- on record), by its first agent request.  Under
-- agent_trust = 'address' (the default) state changes, install tokens,
-- instructions and identity updates go only to a request from that
-- address; any other caller gets the node's state and action, nothing
-- else, and an 'agent_refused' event.  'open' is the behaviour before
-- this file: anyone who knows a serial is that node.

ALTER TABLE pureboot.nodes
	ADD COLUMN known_addr inet,
	-- The address whose agent request made the node; NULL when an
	-- operator, psql or the hook made it.  Counts toward the creation
	-- limits below.
	ADD COLUMN created_addr inet;

-- A lease on record is a better first known address than none.
UPDATE pureboot.nodes n SET known_addr = (e.payload->>'ip')::inet
FROM (SELECT DISTINCT ON (node_id) node_id, payload
      FROM pureboot.node_events
      WHERE type IN ('dhcp_add', 'dhcp_old') AND payload ? 'ip'
      ORDER BY node_id, id DESC) e
WHERE e.node_id = n.id;

-- agent_may_create(): new nodes per address and minute, and the nodes
-- nobody has looked at yet.
CREATE INDEX nodes_created_addr_idx ON pureboot.nodes (created_addr, created_at)
	WHERE created_addr IS NOT NULL;
CREATE INDEX nodes_untouched_idx ON pureboot.nodes (id)
	WHERE state = 'discovered' AND workflow_id IS NULL AND hostname IS NULL
	  AND created_addr IS NOT NULL;

ALTER TABLE pureboot.node_events DROP CONSTRAINT node_events_type_check;
ALTER TABLE pureboot.node_events ADD CONSTRAINT node_events_type_check CHECK (type IN (
	'boot_started', 'install_started', 'install_progress',
	'install_failed', 'install_complete', 'first_boot',
	'heartbeat', 'registered', 'dhcp_add', 'dhcp_old',
	'dhcp_del', 'tftp_sent', 'install_timeout',
	-- a request refused for its address (payload: endpoint, addr,
	-- known_addr and what it asked for)
	'agent_refused',
	-- a node without a known address took its first agent request's
	'addr_learned'));

-- "Was this address refused a minute ago?" without reading the node's
-- whole event log.
CREATE INDEX node_events_refused_idx ON pureboot.node_events (node_id, created_at)
	WHERE type = 'agent_refused';

ALTER TABLE pureboot.settings DROP CONSTRAINT settings_key_check;
ALTER TABLE pureboot.settings ADD CONSTRAINT settings_key_check CHECK (key IN (
	'server_url', 'auto_register', 'discovery', 'agent_trust',
	'discovery_limit', 'discovery_per_addr', 'events_per_minute'));
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
	ELSE false
END);

INSERT INTO pureboot.settings (key, value) VALUES
	('agent_trust', 'address'),
	('discovery_limit', '1000'),
	('discovery_per_addr', '10'),
	('events_per_minute', '120')
ON CONFLICT (key) DO NOTHING;

-- A setting's value, or dflt when its row is missing.
CREATE FUNCTION pureboot.setting(p_key text, p_default text) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT coalesce((SELECT s.value FROM pureboot.settings s
	                 WHERE s.key = p_key), p_default)
$$;

-- May a request from p_addr speak for node n?  A node without a known
-- address trusts its first caller (the caller then records it).
CREATE FUNCTION pureboot.agent_trusted(n pureboot.nodes, p_addr inet)
RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT pureboot.setting('agent_trust', 'address') = 'open'
	    OR n.known_addr IS NULL
	    OR (p_addr IS NOT NULL AND n.known_addr = p_addr)
$$;

-- Record that p_addr was refused for node p_node at p_endpoint.  Once a
-- minute per node, endpoint and address: a flood of refused requests
-- must not become a flood of rows (finding 5 of issue 10).
CREATE FUNCTION pureboot.agent_refused(p_node uuid, p_endpoint text,
	p_addr inet, p_known inet, p_asked jsonb)
RETURNS void
LANGUAGE sql AS $$
	INSERT INTO pureboot.node_events (node_id, type, payload)
	SELECT p_node, 'agent_refused', jsonb_build_object(
		'endpoint', p_endpoint, 'addr', host(p_addr),
		'known_addr', host(p_known)) || coalesce(p_asked, '{}')
	WHERE NOT EXISTS (
		SELECT 1 FROM pureboot.node_events e
		WHERE e.node_id = p_node AND e.type = 'agent_refused'
		  AND e.created_at > now() - interval '1 minute'
		  AND e.payload->>'endpoint' = p_endpoint
		  AND e.payload->>'addr' IS NOT DISTINCT FROM host(p_addr))
$$;

-- A node without a known address takes p_addr (see agent_trusted).
CREATE FUNCTION pureboot.agent_learn(p_node uuid, p_addr inet, p_via text)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE pureboot.nodes SET known_addr = p_addr
	WHERE id = p_node AND known_addr IS NULL AND p_addr IS NOT NULL;
	IF FOUND THEN
		INSERT INTO pureboot.node_events (node_id, type, payload)
		VALUES (p_node, 'addr_learned', jsonb_build_object(
			'addr', host(p_addr), 'via', p_via));
	END IF;
END
$$;

-- Seconds until a one-minute window that began at p_oldest has room
-- again: the Retry-After of the limits below, at least 1.
CREATE FUNCTION pureboot.retry_secs(p_oldest timestamptz) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT greatest(1, ceil(extract(epoch FROM
		p_oldest + interval '1 minute' - now())))::integer::text
$$;

-- Before the agent makes a node: the limits on what an outsider can
-- create.  Raises PB503 when discovery_limit nodes are waiting for an
-- operator (discovered, no workflow, no hostname, made by the agent),
-- PB429 when p_addr made discovery_per_addr nodes in the last minute;
-- the DETAIL is the Retry-After in seconds.  Requests for known nodes
-- never come here, so they are never throttled.  The advisory lock
-- makes the counts exact under concurrent creations; it is held only
-- by requests that create a node.
CREATE FUNCTION pureboot.agent_may_create(p_addr inet) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	lim integer := pureboot.setting('discovery_limit', '1000')::integer;
	per integer := pureboot.setting('discovery_per_addr', '10')::integer;
	waiting integer;
	recent integer;
	oldest timestamptz;
BEGIN
	PERFORM pg_advisory_xact_lock(hashtext('pureboot.agent_may_create'));
	SELECT count(*) INTO waiting FROM pureboot.nodes
	WHERE state = 'discovered' AND workflow_id IS NULL AND hostname IS NULL
	  AND created_addr IS NOT NULL;
	IF waiting >= lim THEN
		RAISE EXCEPTION USING ERRCODE = 'PB503', DETAIL = '60',
			MESSAGE = format('%s new nodes are waiting for an operator '
			    '(discovery_limit %s); no more are registered until some '
			    'are assigned a workflow or a hostname, or deleted',
			    waiting, lim);
	END IF;
	IF p_addr IS NOT NULL THEN
		SELECT count(*), min(created_at) INTO recent, oldest
		FROM pureboot.nodes
		WHERE created_addr = p_addr
		  AND created_at > now() - interval '1 minute';
		IF recent >= per THEN
			RAISE EXCEPTION USING ERRCODE = 'PB429',
				DETAIL = pureboot.retry_secs(oldest),
				MESSAGE = format('address %s registered %s new nodes in '
				    'the last minute (discovery_per_addr %s)',
				    host(p_addr), recent, per);
		END IF;
	END IF;
END
$$;

-- POST /nodes/register-pi from p_addr.  A new serial: the limits above,
-- then a node whose known address is p_addr (201).  A known serial:
-- updated (200) only from its known address; from any other address
-- nothing changes, an agent_refused event is recorded and o_refused
-- says why (the API answers 409).  A MAC that another node has fails
-- on nodes_mac_key (409) before anything is written, so a fake serial
-- cannot take a real Pi's MAC.  With auto_register off a new serial is
-- PB404, as at boot/pi.
DROP FUNCTION pureboot.register_pi(text, macaddr, text, inet, text);
CREATE FUNCTION pureboot.register_pi(p_serial text, p_mac macaddr,
	p_model text, p_ip inet, p_actor text, p_addr inet)
RETURNS TABLE (o_node uuid, o_state pureboot.node_state, o_created boolean,
	o_refused text)
LANGUAGE plpgsql AS $$
DECLARE
	n pureboot.nodes;
BEGIN
	PERFORM set_config('pureboot.actor', coalesce(p_actor, ''), true);
	o_created := false;
	LOOP
		SELECT * INTO n FROM pureboot.nodes WHERE serial = p_serial
		FOR UPDATE;
		EXIT WHEN FOUND;
		IF pureboot.setting('auto_register', 'on') <> 'on' THEN
			RAISE EXCEPTION USING ERRCODE = 'PB404',
				MESSAGE = format('serial "%s" is not registered and '
				    'auto_register is off', p_serial);
		END IF;
		PERFORM pureboot.agent_may_create(p_addr);
		INSERT INTO pureboot.nodes (serial, mac, arch, boot_mode, pi_model,
			ip_address, last_seen, known_addr, created_addr)
		VALUES (p_serial, p_mac, 'aarch64', 'pi', p_model, p_ip, now(),
			p_addr, p_addr)
		ON CONFLICT (serial) DO NOTHING
		RETURNING * INTO n;
		IF FOUND THEN
			INSERT INTO pureboot.node_events (node_id, type, payload)
			VALUES (n.id, 'registered', jsonb_build_object('via',
			        'register-pi', 'mac', p_mac::text, 'model', p_model,
			        'ip_address', host(p_ip), 'addr', host(p_addr)));
			o_node := n.id;
			o_state := n.state;
			o_created := true;
			RETURN NEXT;
			RETURN;
		END IF;
		-- A racing request made it first: update it, as before.
	END LOOP;

	IF NOT pureboot.agent_trusted(n, p_addr) THEN
		PERFORM pureboot.agent_refused(n.id, 'register-pi', p_addr,
			n.known_addr, jsonb_strip_nulls(jsonb_build_object(
			    'mac', p_mac::text, 'model', p_model,
			    'ip_address', host(p_ip))));
		o_node := n.id;
		o_state := n.state;
		o_refused := format('serial %s is known at another address; '
		    'nothing was changed (a node''s new address is learned from '
		    'its DHCP lease)', n.serial);
		RETURN NEXT;
		RETURN;
	END IF;
	PERFORM pureboot.agent_learn(n.id, p_addr, 'register-pi');
	UPDATE pureboot.nodes SET
		mac = p_mac,
		pi_model = coalesce(p_model, pi_model),
		ip_address = coalesce(p_ip, ip_address),
		last_seen = now()
	WHERE id = n.id
	RETURNING * INTO n;
	o_node := n.id;
	o_state := n.state;
	RETURN NEXT;
END
$$;

-- GET /boot/pi from p_addr: as in 022 (010 with boot_class), and in addition
--   a new node: the creation limits, known address p_addr;
--   a request from another address than the node's known one
--     (agent_trust 'address'): no state change, no token, no MAC, no
--     last_seen; an agent_refused event; o_refused, so that the API
--     answers the state and action and nothing else.
DROP FUNCTION pureboot.boot_pi(text, macaddr, text, bytea);
CREATE FUNCTION pureboot.boot_pi(p_serial text, p_mac macaddr,
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

-- POST /nodes/{id}/events, as in 010, with a bound: when p_limited (an
-- install token, not an operator), at most events_per_minute agent
-- events per node in any minute, else PB429 with the Retry-After in
-- the DETAIL.  Counted under the node's row lock, so racing requests
-- cannot pass it together; reads at most that many index entries.
DROP FUNCTION pureboot.node_event(uuid, text, jsonb, text);
CREATE FUNCTION pureboot.node_event(p_node uuid, p_type text,
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

-- A DHCP lease (add, old) is the one way a node's known address
-- changes once it has one: dnsmasq saw the MAC ask for that address.
-- Otherwise as in 020.
CREATE OR REPLACE FUNCTION pureboot.hook_dhcp_event(
	p_action text, p_mac macaddr, p_ip inet, p_vendor text, p_hostname text
) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
	n uuid;
BEGIN
	IF p_action NOT IN ('add', 'old', 'del') THEN
		RAISE EXCEPTION USING ERRCODE = 'PB400',
			MESSAGE = format('dhcp event %s is not add, old or del',
			                 pureboot.msg_quote(p_action));
	END IF;
	SELECT id INTO n FROM pureboot.nodes WHERE mac = p_mac;
	IF n IS NULL THEN
		RETURN NULL;
	END IF;
	UPDATE pureboot.nodes SET last_seen = now(),
		known_addr = CASE WHEN p_action IN ('add', 'old') AND p_ip IS NOT NULL
		                  THEN p_ip ELSE known_addr END
	WHERE id = n;
	INSERT INTO pureboot.node_events (node_id, type, payload)
	VALUES (n, 'dhcp_' || p_action, jsonb_strip_nulls(jsonb_build_object(
		'mac', p_mac::text, 'ip', host(p_ip), 'vendor_class', p_vendor,
		'hostname', p_hostname)));
	RETURN n;
END
$$;

-- A finished TFTP transfer, as in 020, and: when the server's neighbour
-- table gives the client's MAC (p_client_mac) and it is the node's
-- own, the transfer's address becomes the node's known address.  That
-- is as strong as a DHCP lease event (both trust the MAC seen on the
-- wire), and it is the only source in proxy-DHCP mode, where dnsmasq
-- hands out no leases.  A transfer found by serial, MAC directory or
-- address alone proves nothing (anyone can ask for <serial>/config.txt)
-- and teaches nothing.
CREATE OR REPLACE FUNCTION pureboot.hook_tftp_event(
	p_size bigint, p_ip inet, p_serial text, p_mac macaddr, p_file text,
	p_client_mac macaddr DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
	n uuid;
	v_payload jsonb;
BEGIN
	IF p_serial IS NOT NULL THEN
		SELECT id INTO n FROM pureboot.nodes WHERE serial = p_serial;
		IF n IS NOT NULL AND p_client_mac IS NOT NULL
		   AND NOT EXISTS (SELECT 1 FROM pureboot.nodes WHERE mac = p_client_mac) THEN
			PERFORM set_config('pureboot.actor', 'tftp-hook', true);
			UPDATE pureboot.nodes SET mac = p_client_mac
			WHERE id = n AND mac IS NULL;
		END IF;
	END IF;
	IF n IS NULL AND p_mac IS NOT NULL THEN
		SELECT id INTO n FROM pureboot.nodes WHERE mac = p_mac;
	END IF;
	IF n IS NULL AND p_ip IS NOT NULL THEN
		SELECT id INTO n FROM pureboot.nodes WHERE ip_address = p_ip
		ORDER BY last_seen DESC NULLS LAST LIMIT 1;
	END IF;
	IF n IS NULL THEN
		RETURN NULL;
	END IF;
	v_payload := jsonb_build_object('file', p_file, 'ip', host(p_ip), 'size', p_size);
	UPDATE pureboot.nodes SET last_seen = now(),
		known_addr = CASE WHEN p_ip IS NOT NULL AND p_client_mac IS NOT NULL
		                   AND mac = p_client_mac THEN p_ip ELSE known_addr END
	WHERE id = n;
	IF NOT EXISTS (
		SELECT 1 FROM pureboot.node_events e
		WHERE e.node_id = n AND e.type = 'tftp_sent' AND e.payload = v_payload
		  AND e.created_at > now() - interval '5 seconds')
	THEN
		INSERT INTO pureboot.node_events (node_id, type, payload)
		VALUES (n, 'tftp_sent', v_payload);
	END IF;
	RETURN n;
END
$$;

-- A node as the API shows it, as in 010 with its known address after
-- the address it reports: operators see where its agent may ask from.
CREATE OR REPLACE FUNCTION pureboot.node_json(n pureboot.nodes) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object(
		'id', n.id, 'serial', n.serial, 'mac', n.mac::text,
		'arch', n.arch, 'boot_mode', n.boot_mode, 'pi_model', n.pi_model,
		'hostname', n.hostname, 'ip_address', host(n.ip_address),
		'known_addr', host(n.known_addr),
		'state', n.state, 'workflow_id', n.workflow_id,
		'install_attempts', n.install_attempts,
		'created_at', n.created_at, 'updated_at', n.updated_at,
		'last_seen', n.last_seen)
$$;

-- GET /settings: the 010 keys and this file's.
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
		'events_per_minute', coalesce(max(value) FILTER (WHERE key = 'events_per_minute'), '120')::integer)
	FROM pureboot.settings
$$;
