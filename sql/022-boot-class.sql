-- Issue 9: what each node state means for booting has one owner, the C
-- table pb_boot_states[] (lib/core/boot_action.c).  This migration adds
-- SQL's copy, pureboot.boot_class(), and makes the install-token trigger
-- and boot_pi() (first defined in 010-api.sql) decide by it.

-- What each node state means for booting: SQL's copy of the C table
-- pb_boot_states[] (lib/core/boot_action.c), which owns it and gives
-- the wait messages.  t/0120-sql-boot-class.t compares the two over
-- every value of the enum, so a state added to one and not the other
-- fails.  wait: an operator (or the reconciler) acts next; install: with
-- a workflow, a boot starts an install; installing: a boot is a reboot
-- during the install; run: the installed OS (local or NFS root), never
-- fenced off; poweroff: retired.  NULL for a state nobody classed.
CREATE FUNCTION pureboot.boot_class(s pureboot.node_state) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE s
		WHEN 'discovered'     THEN 'wait'
		WHEN 'pending'        THEN 'install'
		WHEN 'installing'     THEN 'installing'
		WHEN 'install_failed' THEN 'wait'
		WHEN 'installed'      THEN 'run'
		WHEN 'active'         THEN 'run'
		WHEN 'reprovision'    THEN 'wait'
		WHEN 'deprovisioning' THEN 'wait'
		WHEN 'migrating'      THEN 'run'
		WHEN 'serving_source' THEN 'run'
		WHEN 'cloning_target' THEN 'wait'
		WHEN 'retired'        THEN 'poweroff'
	END
$$;

-- Install tokens end when the node enters a state of boot class install
-- (a new install) or poweroff: pending and retired, as before.
DROP TRIGGER nodes_install_token_expire ON pureboot.nodes;
CREATE TRIGGER nodes_install_token_expire AFTER UPDATE OF state ON pureboot.nodes
	FOR EACH ROW WHEN (pureboot.boot_class(NEW.state) IN ('install', 'poweroff')
	                   AND OLD.state IS DISTINCT FROM NEW.state)
	EXECUTE FUNCTION pureboot.install_token_expire();

CREATE OR REPLACE FUNCTION pureboot.boot_pi(p_serial text, p_mac macaddr,
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

	IF pureboot.boot_class(n.state) = 'installing'
	   OR (pureboot.boot_class(n.state) = 'install'
	       AND n.workflow_id IS NOT NULL) THEN
		-- Decide again under the row lock: a concurrent request for
		-- the same node may have changed it since the read above.
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
