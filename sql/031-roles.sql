-- Least privilege and MAC claims (issue 10).  docs/security.md has the
-- model; this file has the roles, the lease table and the rules.
--
-- Roles: the programs connect as roles that may do only their part.
--   pureboot_api   the API: EXECUTE on the API's functions, SELECT on
--                  what it serves and authenticates with
--   pureboot_hook  the hook's sync, watch and check: SELECT what it
--                  renders from (LISTEN needs no privilege)
--   pureboot_dhcp  the hook's dhcp-script: EXECUTE on the two functions
--                  that record its events, nothing else
-- The owner (the role that runs scripts/migrate, pureboot in make run
-- and the tests) keeps everything; operators use psql as the owner.
-- WHAT each role may do is not here but in sql/grants.sql, which
-- scripts/migrate applies after the numbered files on every run: one
-- list, that later migrations cannot leave behind.
--
-- MAC claims: a MAC is a claim, not a credential; the wire is the
-- evidence.  pureboot.leases records where the network last saw each
-- MAC (a DHCP lease, or a TFTP transfer whose client MAC the server's
-- neighbour table gave), for MACs no node has too.  A register-pi
-- request from the address the lease gives the MAC has proven its
-- claim, and takes the MAC from a node whose claim was not proven and
-- that no operator has touched: a fake serial registered with a real
-- Pi's MAC before the Pi no longer locks the Pi out.  A claim that the
-- lease contradicts (the MAC is leased at another address) is refused.

-- Roles are the cluster's, not the database's: made once, whoever
-- migrates first.  LOGIN without a password: how a role proves itself
-- is pg_hba.conf's business (docs/security.md); make run and the tests
-- use trust on a unix socket only their user can reach.
DO $$
DECLARE
	r text;
BEGIN
	FOREACH r IN ARRAY ARRAY['pureboot_api', 'pureboot_hook', 'pureboot_dhcp'] LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
			EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB '
			    'NOCREATEROLE NOINHERIT', r);
		END IF;
	END LOOP;
END
$$;

-- PostgreSQL grants EXECUTE on every new function to PUBLIC.  Not on
-- the owner's functions: a function a later migration adds is nobody's
-- until sql/grants.sql names it (which it must: it refuses to run with
-- a function it does not list).
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON ROUTINES FROM PUBLIC;

-- Where the network last saw each MAC.  One row per MAC, the latest
-- sighting wins; a DHCP release (del) removes the row of that lease.
-- Bounded by what the network can show: dnsmasq's lease pool
-- (dhcp-lease-max) and the neighbour table; rows unseen for 30 days are
-- dropped at the next sighting.
CREATE TABLE pureboot.leases (
	mac     macaddr PRIMARY KEY,
	addr    inet NOT NULL,
	via     text NOT NULL CHECK (via IN ('dhcp', 'tftp')),
	seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX leases_seen_at_idx ON pureboot.leases (seen_at);

-- Did the request that set the node's MAC come from the address the
-- lease of that MAC gave?  Only an agent request proves; an operator
-- who sets a MAC by psql has touched the node anyway (see mac_claim).
ALTER TABLE pureboot.nodes ADD COLUMN mac_proven boolean NOT NULL DEFAULT false;

ALTER TABLE pureboot.node_events DROP CONSTRAINT node_events_type_check;
ALTER TABLE pureboot.node_events ADD CONSTRAINT node_events_type_check CHECK (type IN (
	'boot_started', 'install_started', 'install_progress',
	'install_failed', 'install_complete', 'first_boot',
	'heartbeat', 'registered', 'dhcp_add', 'dhcp_old',
	'dhcp_del', 'tftp_sent', 'install_timeout',
	'agent_refused', 'addr_learned',
	-- a proven claim took a MAC from an unproven node; on both nodes
	-- (payload: mac, from, to, addr)
	'mac_moved'));

-- Record a sighting of p_mac at p_addr.
CREATE FUNCTION pureboot.lease_seen(p_mac macaddr, p_addr inet, p_via text)
RETURNS void
LANGUAGE sql AS $$
	DELETE FROM pureboot.leases WHERE seen_at < now() - interval '30 days';
	INSERT INTO pureboot.leases AS l (mac, addr, via, seen_at)
	VALUES (p_mac, p_addr, p_via, now())
	ON CONFLICT (mac) DO UPDATE SET addr = EXCLUDED.addr,
		via = EXCLUDED.via, seen_at = EXCLUDED.seen_at;
$$;

-- May a request from p_addr give node p_node (NULL: the node it is
-- about to create for serial p_serial) the MAC p_mac?
--   o_proven   the lease of p_mac is at p_addr
--   o_refused  why not (the API answers 409); NULL when it may
--   o_from     the node the MAC was taken from, if any
-- A proven claim takes the MAC from a node whose own claim is unproven
-- and that no operator has touched (discovered, no workflow, no
-- hostname, made by an agent request), with a mac_moved event there;
-- the caller records the other on its node.  An unproven claim of a
-- MAC another node holds is left to nodes_mac_key (409 "mac is already
-- used by another node", as before); one whose lease is at another
-- address is refused here.  No lease on record: accepted, unproven.
-- agent_trust 'open' consults no lease (the behaviour before).
CREATE FUNCTION pureboot.mac_claim(p_node uuid, p_serial text,
	p_mac macaddr, p_addr inet,
	OUT o_proven boolean, OUT o_refused text, OUT o_from uuid)
LANGUAGE plpgsql AS $$
DECLARE
	lease inet;
	h pureboot.nodes;
BEGIN
	o_proven := false;
	IF p_mac IS NULL OR pureboot.setting('agent_trust', 'address') = 'open' THEN
		RETURN;
	END IF;
	SELECT l.addr INTO lease FROM pureboot.leases l WHERE l.mac = p_mac;
	o_proven := lease IS NOT NULL AND p_addr IS NOT NULL AND lease = p_addr;
	SELECT * INTO h FROM pureboot.nodes
	WHERE mac = p_mac AND id IS DISTINCT FROM p_node FOR UPDATE;
	IF NOT o_proven THEN
		IF lease IS NOT NULL AND h.id IS NULL THEN
			o_refused := format('mac %s is leased to another address; '
			    'nothing was changed', p_mac);
		ELSIF lease IS NOT NULL THEN
			PERFORM pureboot.agent_refused(h.id, 'register-pi', p_addr,
				h.known_addr, jsonb_build_object('mac', p_mac::text,
				    'serial', p_serial));
			o_refused := format('mac %s is leased to another address; '
			    'nothing was changed', p_mac);
		END IF;
		RETURN;
	END IF;
	IF h.id IS NULL OR h.mac_proven OR h.state <> 'discovered'
	   OR h.workflow_id IS NOT NULL OR h.hostname IS NOT NULL
	   OR h.created_addr IS NULL THEN
		RETURN;		-- nothing to take, or not ours to take: 409 as before
	END IF;
	UPDATE pureboot.nodes SET mac = NULL WHERE id = h.id;
	INSERT INTO pureboot.node_events (node_id, type, payload)
	VALUES (h.id, 'mac_moved', jsonb_build_object('mac', p_mac::text,
		'from', h.serial, 'to', p_serial, 'addr', host(p_addr)));
	o_from := h.id;
END
$$;

-- POST /nodes/register-pi from p_addr: as in 030, and the MAC is a
-- claim (mac_claim above): refused when its lease is at another
-- address, taken from an unproven untouched node when proven.
CREATE OR REPLACE FUNCTION pureboot.register_pi(p_serial text, p_mac macaddr,
	p_model text, p_ip inet, p_actor text, p_addr inet)
RETURNS TABLE (o_node uuid, o_state pureboot.node_state, o_created boolean,
	o_refused text)
LANGUAGE plpgsql AS $$
DECLARE
	n pureboot.nodes;
	c record;
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
		c := pureboot.mac_claim(NULL, p_serial, p_mac, p_addr);
		IF c.o_refused IS NOT NULL THEN
			o_refused := c.o_refused;
			RETURN NEXT;
			RETURN;
		END IF;
		INSERT INTO pureboot.nodes (serial, mac, arch, boot_mode, pi_model,
			ip_address, last_seen, known_addr, created_addr, mac_proven)
		VALUES (p_serial, p_mac, 'aarch64', 'pi', p_model, p_ip, now(),
			p_addr, p_addr, c.o_proven)
		ON CONFLICT (serial) DO NOTHING
		RETURNING * INTO n;
		IF FOUND THEN
			INSERT INTO pureboot.node_events (node_id, type, payload)
			VALUES (n.id, 'registered', jsonb_build_object('via',
			        'register-pi', 'mac', p_mac::text, 'model', p_model,
			        'ip_address', host(p_ip), 'addr', host(p_addr)));
			PERFORM pureboot.mac_moved_to(n, c.o_from, p_mac, p_addr);
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
	c := pureboot.mac_claim(n.id, n.serial, p_mac, p_addr);
	IF c.o_refused IS NOT NULL THEN
		o_node := n.id;
		o_state := n.state;
		o_refused := c.o_refused;
		RETURN NEXT;
		RETURN;
	END IF;
	PERFORM pureboot.agent_learn(n.id, p_addr, 'register-pi');
	UPDATE pureboot.nodes SET
		mac = p_mac,
		-- proven once for this MAC stays proven; a new MAC starts over
		mac_proven = c.o_proven OR (mac_proven AND mac IS NOT DISTINCT FROM p_mac),
		pi_model = coalesce(p_model, pi_model),
		ip_address = coalesce(p_ip, ip_address),
		last_seen = now()
	WHERE id = n.id
	RETURNING * INTO n;
	PERFORM pureboot.mac_moved_to(n, c.o_from, p_mac, p_addr);
	o_node := n.id;
	o_state := n.state;
	RETURN NEXT;
END
$$;

-- The mac_moved event of the node that took p_mac from node p_from
-- (nothing when it took it from nobody).
CREATE FUNCTION pureboot.mac_moved_to(n pureboot.nodes, p_from uuid,
	p_mac macaddr, p_addr inet)
RETURNS void
LANGUAGE sql AS $$
	INSERT INTO pureboot.node_events (node_id, type, payload)
	SELECT n.id, 'mac_moved', jsonb_build_object('mac', p_mac::text,
		'from', f.serial, 'to', n.serial, 'addr', host(p_addr))
	FROM pureboot.nodes f WHERE f.id = p_from;
$$;

-- A DHCP lease event: as in 030, and every lease is recorded in
-- pureboot.leases, for MACs no node has too (that is what lets a Pi
-- prove its MAC at register-pi); a release (del) ends it.
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
	IF p_action IN ('add', 'old') AND p_ip IS NOT NULL THEN
		PERFORM pureboot.lease_seen(p_mac, p_ip, 'dhcp');
	ELSIF p_action = 'del' THEN
		DELETE FROM pureboot.leases WHERE mac = p_mac AND addr = p_ip;
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

-- A finished TFTP transfer, as in 030 but for one rule: no node ever
-- gets its MAC from a transfer.  020 gave a node known by serial only
-- the MAC of whoever fetched <serial>/... first, and with it (030) the
-- known address: an outsider could take over a node an operator had
-- made by serial.  The MAC comes from the agent's register-pi or
-- boot/pi, or an operator.  The client MAC from the neighbour table is
-- a sighting for pureboot.leases (the only one in proxy-DHCP mode, where
-- dnsmasq hands out no leases) and moves the known address of the node
-- that has that MAC, as before.
CREATE OR REPLACE FUNCTION pureboot.hook_tftp_event(
	p_size bigint, p_ip inet, p_serial text, p_mac macaddr, p_file text,
	p_client_mac macaddr DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
	n uuid;
	v_payload jsonb;
BEGIN
	IF p_client_mac IS NOT NULL AND p_ip IS NOT NULL THEN
		PERFORM pureboot.lease_seen(p_client_mac, p_ip, 'tftp');
	END IF;
	IF p_serial IS NOT NULL THEN
		SELECT id INTO n FROM pureboot.nodes WHERE serial = p_serial;
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

-- PATCH /nodes/{id} and DELETE /nodes/{id}: the API's two writes of
-- pureboot.nodes that were plain statements, as functions, so that
-- pureboot_api needs no write privilege on the table.  The same
-- statements as fcgi/stmts.c had; no row: no such node.
CREATE FUNCTION pureboot.node_patch(p_node uuid,
	p_set_hostname boolean, p_hostname text,
	p_set_model boolean, p_model text,
	p_set_workflow boolean, p_workflow text)
RETURNS SETOF json
LANGUAGE sql AS $$
	UPDATE pureboot.nodes AS n SET
		hostname = CASE WHEN p_set_hostname THEN p_hostname ELSE n.hostname END,
		pi_model = CASE WHEN p_set_model THEN p_model ELSE n.pi_model END,
		workflow_id = CASE WHEN p_set_workflow THEN p_workflow
		                   ELSE n.workflow_id END
	WHERE n.id = p_node
	RETURNING pureboot.node_json(n);
$$;

CREATE FUNCTION pureboot.node_delete(p_node uuid) RETURNS SETOF uuid
LANGUAGE sql AS $$
	DELETE FROM pureboot.nodes WHERE id = p_node RETURNING id;
$$;
