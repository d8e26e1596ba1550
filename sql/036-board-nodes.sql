-- Board nodes in the API (issue 12, phase 2; docs/boards.md): U-Boot
-- and UEFI boards named by MAC.
--
-- 1. boot_answer(): the one body of the agent's boot answer, by trust
--    and state, for a node already found or made.  boot_pi() (a Pi, by
--    serial) and boot_arm64() (a board, by MAC) differ only in how they
--    find or make the node; everything of 030 and 032 (agent_trust, the
--    install token, the reboot-during-install rule, refusals) is here
--    once.
-- 2. node_create(): POST /nodes, an operator's board node by MAC.
-- 3. node_patch(): PATCH /nodes/{id} also sets mac, arch, boot_mode,
--    board and the per-node dtb.
-- 4. board_add(), board_remove(), board_json(): the boards endpoints and
--    `pureboot board`.

-- The agent's answer for node n, asked from p_addr at p_via ('boot/pi',
-- 'boot/arm64'); p_registered: the caller made n just now.  As boot_pi
-- of 032: a request from another address than the node's known one
-- (agent_trust 'address') changes nothing, records an agent_refused
-- event and sets o_refused; else the address is learned, an install
-- starts (pending -> installing, the token p_token_id/p_token_hash) or
-- a second ask during an install counts as a failed attempt.
CREATE FUNCTION pureboot.boot_answer(n pureboot.nodes, p_mac macaddr,
	p_token_id text, p_token_hash bytea, p_addr inet, p_via text,
	p_registered boolean)
RETURNS TABLE (o_node uuid, o_state pureboot.node_state, o_serial text,
	o_mac text, o_hostname text, o_workflow text, o_definition jsonb,
	o_server text, o_issued boolean, o_attempts integer,
	o_registered boolean, o_refused boolean)
LANGUAGE plpgsql AS $$
DECLARE
	actor constant text := 'api:boot';
BEGIN
	o_issued := false;
	o_registered := p_registered;
	o_refused := false;
	IF NOT pureboot.agent_trusted(n, p_addr) THEN
		PERFORM pureboot.agent_refused(n.id, p_via, p_addr,
			n.known_addr, jsonb_build_object('state', n.state));
		o_refused := true;
	ELSE
		IF n.known_addr IS NULL THEN
			PERFORM pureboot.agent_learn(n.id, p_addr, p_via);
		END IF;
		IF pureboot.boot_class(n.state) = 'installing'
		   OR (pureboot.boot_class(n.state) = 'install'
		       AND n.workflow_id IS NOT NULL) THEN
			-- Decide again under the row lock: a concurrent request
			-- for the same node may have changed it since the read.
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

-- GET /boot/pi from p_addr: find or make the Pi by serial (030), then
-- the answer above.
CREATE OR REPLACE FUNCTION pureboot.boot_pi(p_serial text, p_mac macaddr,
	p_token_id text, p_token_hash bytea, p_addr inet)
RETURNS TABLE (o_node uuid, o_state pureboot.node_state, o_serial text,
	o_mac text, o_hostname text, o_workflow text, o_definition jsonb,
	o_server text, o_issued boolean, o_attempts integer,
	o_registered boolean, o_refused boolean)
LANGUAGE plpgsql AS $$
DECLARE
	n pureboot.nodes;
	registered boolean := false;
BEGIN
	SELECT * INTO n FROM pureboot.nodes WHERE serial = p_serial;
	IF NOT FOUND THEN
		IF pureboot.setting('auto_register', 'on') <> 'on' THEN
			RETURN;
		END IF;
		PERFORM pureboot.agent_may_create(p_addr);
		PERFORM set_config('pureboot.actor', 'api:boot', true);
		INSERT INTO pureboot.nodes (serial, mac, arch, boot_mode, last_seen,
			known_addr, created_addr)
		VALUES (p_serial, p_mac, 'aarch64', 'pi', now(), p_addr, p_addr)
		ON CONFLICT (serial) DO NOTHING
		RETURNING * INTO n;
		IF FOUND THEN
			registered := true;
			INSERT INTO pureboot.node_events (node_id, type, payload)
			VALUES (n.id, 'registered', jsonb_build_object('via', 'boot/pi',
			        'mac', p_mac::text, 'addr', host(p_addr)));
		ELSE
			-- A racing request registered it first.
			SELECT * INTO n FROM pureboot.nodes WHERE serial = p_serial;
		END IF;
	END IF;
	RETURN QUERY SELECT * FROM pureboot.boot_answer(n, p_mac, p_token_id,
		p_token_hash, p_addr, 'boot/pi', registered);
END
$$;

-- GET /boot/arm64?mac= from p_addr: find the board by MAC or, with
-- auto_register on, make it (the creation limits of 030, known address
-- p_addr, the firmware the agent saw: p_boot_mode, 'uboot' when NULL;
-- p_model, DMI's or the device tree's, goes into the registered event
-- only).  The MAC is this node's name, so its lease is the evidence, as
-- in mac_claim() of 031: a new MAC whose lease is at another address is
-- PB409 and makes nothing (under agent_trust 'address'); one leased to
-- p_addr is proven.  A MAC of a Pi (or any node that does not boot by
-- MAC) is PB409: a Pi asks at boot/pi, by its serial.  Then the answer
-- above.
CREATE FUNCTION pureboot.boot_arm64(p_mac macaddr, p_boot_mode text,
	p_model text, p_token_id text, p_token_hash bytea, p_addr inet)
RETURNS TABLE (o_node uuid, o_state pureboot.node_state, o_serial text,
	o_mac text, o_hostname text, o_workflow text, o_definition jsonb,
	o_server text, o_issued boolean, o_attempts integer,
	o_registered boolean, o_refused boolean)
LANGUAGE plpgsql AS $$
DECLARE
	n pureboot.nodes;
	registered boolean := false;
	lease inet;
BEGIN
	SELECT * INTO n FROM pureboot.nodes WHERE mac = p_mac;
	IF NOT FOUND THEN
		IF pureboot.setting('auto_register', 'on') <> 'on' THEN
			RETURN;
		END IF;
		IF pureboot.setting('agent_trust', 'address') <> 'open' THEN
			SELECT l.addr INTO lease FROM pureboot.leases l WHERE l.mac = p_mac;
			IF lease IS NOT NULL AND lease IS DISTINCT FROM p_addr THEN
				RAISE EXCEPTION USING ERRCODE = 'PB409',
					MESSAGE = format('mac %s is leased to another address; '
					    'nothing was changed', p_mac);
			END IF;
		END IF;
		PERFORM pureboot.agent_may_create(p_addr);
		PERFORM set_config('pureboot.actor', 'api:boot', true);
		INSERT INTO pureboot.nodes (mac, arch, boot_mode, last_seen,
			known_addr, created_addr, mac_proven)
		VALUES (p_mac, 'aarch64', coalesce(p_boot_mode, 'uboot'), now(),
			p_addr, p_addr, lease IS NOT NULL)
		ON CONFLICT (mac) DO NOTHING
		RETURNING * INTO n;
		IF FOUND THEN
			registered := true;
			INSERT INTO pureboot.node_events (node_id, type, payload)
			VALUES (n.id, 'registered', jsonb_strip_nulls(jsonb_build_object(
			        'via', 'boot/arm64', 'mac', p_mac::text,
			        'boot_mode', n.boot_mode, 'model', p_model,
			        'addr', host(p_addr))));
		ELSE
			SELECT * INTO n FROM pureboot.nodes WHERE mac = p_mac;
		END IF;
	END IF;
	IF n.boot_mode NOT IN ('uboot', 'uefi') THEN
		RAISE EXCEPTION USING ERRCODE = 'PB409',
			MESSAGE = format('mac %s is the MAC of a node that boots as %s, '
			    'not by MAC; a Pi asks at boot/pi, by its serial',
			    p_mac, n.boot_mode);
	END IF;
	RETURN QUERY SELECT * FROM pureboot.boot_answer(n, p_mac, p_token_id,
		p_token_hash, p_addr, 'boot/arm64', registered);
END
$$;

-- The events of board nodes: 'registered' already is one.

-- A node as the API shows it: as in 030, with its board and its own DTB.
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
		'last_seen', n.last_seen)
$$;

-- POST /nodes: an operator's node by MAC (U-Boot or UEFI), discovered,
-- with no known address (its first agent request teaches it, 030) and
-- no created_addr (operators' nodes are outside discovery_limit).  A
-- MAC in use is nodes_mac_key (409); a board of another boot_mode, or
-- none of that name, is nodes_board_fkey (400).
CREATE FUNCTION pureboot.node_create(p_mac macaddr, p_arch text,
	p_boot_mode text, p_board text, p_dtb text, p_hostname text,
	p_workflow text, p_actor text)
RETURNS SETOF json
LANGUAGE plpgsql AS $$
DECLARE
	n pureboot.nodes;
BEGIN
	PERFORM set_config('pureboot.actor', coalesce(p_actor, ''), true);
	INSERT INTO pureboot.nodes (mac, arch, boot_mode, board, dtb, hostname,
		workflow_id)
	VALUES (p_mac, p_arch, p_boot_mode, p_board, p_dtb, p_hostname,
		p_workflow)
	RETURNING * INTO n;
	INSERT INTO pureboot.node_events (node_id, type, payload)
	VALUES (n.id, 'registered', jsonb_strip_nulls(jsonb_build_object(
	        'via', 'api:nodes', 'mac', p_mac::text, 'boot_mode', p_boot_mode,
	        'board', p_board, 'actor', p_actor)));
	RETURN NEXT pureboot.node_json(n);
END
$$;

-- PATCH /nodes/{id}: as in 031, and mac, arch, boot_mode, board, dtb.
-- Changing boot_mode and board together is one UPDATE, so the
-- (board, boot_mode) key is checked on the result, not halfway.
DROP FUNCTION pureboot.node_patch(uuid, boolean, text, boolean, text,
	boolean, text);
CREATE FUNCTION pureboot.node_patch(p_node uuid,
	p_set_hostname boolean, p_hostname text,
	p_set_model boolean, p_model text,
	p_set_workflow boolean, p_workflow text,
	p_set_mac boolean, p_mac macaddr,
	p_set_arch boolean, p_arch text,
	p_set_boot_mode boolean, p_boot_mode text,
	p_set_board boolean, p_board text,
	p_set_dtb boolean, p_dtb text)
RETURNS SETOF json
LANGUAGE sql AS $$
	UPDATE pureboot.nodes AS n SET
		hostname = CASE WHEN p_set_hostname THEN p_hostname ELSE n.hostname END,
		pi_model = CASE WHEN p_set_model THEN p_model ELSE n.pi_model END,
		workflow_id = CASE WHEN p_set_workflow THEN p_workflow
		                   ELSE n.workflow_id END,
		mac = CASE WHEN p_set_mac THEN p_mac ELSE n.mac END,
		arch = CASE WHEN p_set_arch THEN p_arch ELSE n.arch END,
		boot_mode = CASE WHEN p_set_boot_mode THEN p_boot_mode
		                 ELSE n.boot_mode END,
		board = CASE WHEN p_set_board THEN p_board ELSE n.board END,
		dtb = CASE WHEN p_set_dtb THEN p_dtb::pureboot.dtb_path ELSE n.dtb END
	WHERE n.id = p_node
	RETURNING pureboot.node_json(n);
$$;

-- A board as the API and `pureboot board list --json` show it.
CREATE FUNCTION pureboot.board_json(b pureboot.boards) RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object(
		'name', b.name, 'dtb', b.dtb, 'console', b.console,
		'cmdline_extra', b.cmdline_extra, 'boot_mode', b.boot_mode,
		'description', b.description,
		'nodes', (SELECT count(*) FROM pureboot.nodes n WHERE n.board = b.name),
		'created_at', b.created_at, 'updated_at', b.updated_at)
$$;

-- POST /boards, `pureboot board add`: a new board (boards_pkey: 409).
CREATE FUNCTION pureboot.board_add(p_name text, p_dtb text, p_console text,
	p_cmdline_extra text, p_boot_mode text, p_description text)
RETURNS SETOF json
LANGUAGE sql AS $$
	INSERT INTO pureboot.boards AS b (name, dtb, console, cmdline_extra,
		boot_mode, description)
	VALUES (p_name, p_dtb, p_console, p_cmdline_extra, p_boot_mode,
		p_description)
	RETURNING pureboot.board_json(b);
$$;

-- DELETE /boards/{name}, `pureboot board remove`: the board's name, or
-- no row when there is none; PB409 naming how many nodes use it (the
-- key would refuse it too, with a message nobody can act on).
CREATE FUNCTION pureboot.board_remove(p_name text) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
	used integer;
BEGIN
	PERFORM 1 FROM pureboot.boards WHERE name = p_name FOR UPDATE;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	SELECT count(*) INTO used FROM pureboot.nodes WHERE board = p_name;
	IF used > 0 THEN
		RAISE EXCEPTION USING ERRCODE = 'PB409',
			MESSAGE = format('board %s is the board of %s node(s); give '
			    'them another board or none first', p_name, used);
	END IF;
	DELETE FROM pureboot.boards WHERE name = p_name;
	RETURN NEXT p_name;
END
$$;
