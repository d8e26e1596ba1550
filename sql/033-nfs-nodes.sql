-- Diskless nodes, the server side (issue 11, docs/diskless.md): what
-- pureboot-tftp-hook needs from the database to keep each NFS node's
-- directory and the exports.
--
--   nfs_export_ids          a stable Export_Id per exported path (ganesha)
--   hook_nfs_export_ids()   look them up, allocating for new paths
--   node_nfs_epoch()        when a node last left the install/run path
--   hook_deprovisioned()    deprovisioning -> retired once the data is gone
--   a NOTIFY when a node's known address changes (its export follows it)

-- ganesha's Export_Id is 16 bits (1-65535; 0 is the pseudo root), and
-- its file handles carry it: an export whose id changes, or an id that
-- names another path after a reload, gives mounted clients stale
-- handles.  So an id is bound to its path for good, never derived from
-- a hash (collisions at a few hundred nodes) nor reused while the row
-- exists.
CREATE TABLE pureboot.nfs_export_ids (
	path       text PRIMARY KEY CHECK (path ~ '^(/[A-Za-z0-9._-]+)+$'),
	export_id  integer NOT NULL UNIQUE CHECK (export_id BETWEEN 1 AND 65535),
	created_at timestamptz NOT NULL DEFAULT now()
);

-- The ids of p_paths, allocating the next free one (after the highest,
-- then the lowest gap) for a path without one.  One call per render of
-- the exports; the lock serialises hooks that share the database.
CREATE FUNCTION pureboot.hook_nfs_export_ids(p_paths text[])
RETURNS TABLE (o_path text, o_export_id integer)
LANGUAGE plpgsql AS $$
DECLARE
	p text;
	nid integer;
BEGIN
	IF EXISTS (SELECT 1 FROM unnest(p_paths) q
	           WHERE NOT EXISTS (SELECT 1 FROM pureboot.nfs_export_ids x
	                             WHERE x.path = q)) THEN
		PERFORM pg_advisory_xact_lock(hashtext('pureboot.nfs_export_ids'));
		FOR p IN SELECT DISTINCT q FROM unnest(p_paths) q ORDER BY 1 LOOP
			CONTINUE WHEN EXISTS (SELECT 1 FROM pureboot.nfs_export_ids x
			                      WHERE x.path = p);
			SELECT coalesce(max(export_id), 0) + 1 INTO nid
			FROM pureboot.nfs_export_ids;
			IF nid > 65535 THEN
				SELECT min(g) INTO nid FROM generate_series(1, 65535) g
				WHERE NOT EXISTS (SELECT 1 FROM pureboot.nfs_export_ids x
				                  WHERE x.export_id = g);
			END IF;
			IF nid IS NULL THEN
				RAISE EXCEPTION USING ERRCODE = 'PB503',
					MESSAGE = format('nfs export %s: all 65535 export ids '
					    'are taken (delete rows of pureboot.nfs_export_ids '
					    'for paths no longer exported)', p);
			END IF;
			INSERT INTO pureboot.nfs_export_ids (path, export_id)
			VALUES (p, nid);
		END LOOP;
	END IF;
	RETURN QUERY SELECT x.path, x.export_id FROM pureboot.nfs_export_ids x
	WHERE x.path = ANY (p_paths) ORDER BY x.path;
END
$$;

-- The id of the node's latest move into a state that ends its per-node
-- data (discovered at creation, reprovision, deprovisioning, retired).
-- The hook keeps it in the node's directory: a directory made before
-- that move belongs to the node's previous life and is made again, even
-- when the hook never saw the node in the state in between
-- (reprovision -> pending in one breath).
CREATE FUNCTION pureboot.node_nfs_epoch(p_node uuid) RETURNS bigint
LANGUAGE sql STABLE AS $$
	SELECT max(l.id) FROM pureboot.node_state_log l
	WHERE l.node_id = p_node
	  AND l.to_state IN ('discovered', 'reprovision', 'deprovisioning',
	                     'retired')
$$;

ALTER TABLE pureboot.node_events DROP CONSTRAINT node_events_type_check;
ALTER TABLE pureboot.node_events ADD CONSTRAINT node_events_type_check CHECK (type IN (
	'boot_started', 'install_started', 'install_progress',
	'install_failed', 'install_complete', 'first_boot',
	'heartbeat', 'registered', 'dhcp_add', 'dhcp_old',
	'dhcp_del', 'tftp_sent', 'install_timeout',
	'agent_refused', 'addr_learned',
	-- a proven claim took a MAC from an unproven node (031)
	'mac_moved',
	-- the hook removed a node's NFS directory (payload: path, state)
	'nfs_removed'));

-- The hook removed the directory of a node in deprovisioning (p_path,
-- for the event): the node moves to retired.  Returns the new state, or
-- the current one when the node is no longer in deprovisioning (an
-- operator moved it meanwhile: nothing is done), NULL for no node.
CREATE FUNCTION pureboot.hook_deprovisioned(p_node uuid, p_path text)
RETURNS pureboot.node_state
LANGUAGE plpgsql AS $$
DECLARE
	n pureboot.nodes;
BEGIN
	SELECT * INTO n FROM pureboot.nodes WHERE id = p_node FOR UPDATE;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	IF n.state <> 'deprovisioning' THEN
		RETURN n.state;
	END IF;
	INSERT INTO pureboot.node_events (node_id, type, payload)
	VALUES (p_node, 'nfs_removed', jsonb_build_object(
		'path', p_path, 'state', n.state));
	n := pureboot.transition(p_node, 'retired', 'tftp-hook',
		format('its NFS directory %s is removed', p_path));
	RETURN n.state;
END
$$;

-- The per-node export is restricted to the known address: a new one
-- must reach the hook (003's trigger leaves known_addr out).
CREATE TRIGGER nodes_notify_known_addr AFTER UPDATE OF known_addr ON pureboot.nodes
	FOR EACH ROW WHEN (OLD.known_addr IS DISTINCT FROM NEW.known_addr)
	EXECUTE FUNCTION pureboot.notify_node();
