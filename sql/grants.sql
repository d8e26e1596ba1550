-- sql/grants.sql: what each role may do, the one place that says it.
-- scripts/migrate applies it after the numbered migrations, on every
-- run and in one transaction: everything is revoked, then the lists
-- below are granted, so it is idempotent and no migration can leave a
-- grant behind (CREATE OR REPLACE FUNCTION keeps grants but drops
-- SECURITY DEFINER; this file sets it again).  The roles come from
-- sql/031-roles.sql; docs/security.md says why each has what it has.
--
-- Every function in schema pureboot must be listed below, granted to a
-- role or marked internal: this file refuses to run otherwise, naming
-- the function, so a new one cannot be forgotten (t/0130).  Adding one
-- is one line.
--
-- definer: the function runs as its owner (SECURITY DEFINER, with
-- search_path pinned against objects planted in another schema); that
-- is how a role that may not write a table can still do the one write
-- the function is for.

CREATE TEMP TABLE pb_grants (fn text NOT NULL, grantee text NOT NULL,
	definer boolean NOT NULL) ON COMMIT DROP;
INSERT INTO pb_grants (fn, grantee, definer) VALUES
	-- the API: every function fcgi/stmts.c calls
	('register_pi',               'pureboot_api',  true),
	('boot_pi',                   'pureboot_api',  true),
	('boot_arm64',                'pureboot_api',  true),
	('node_create',               'pureboot_api',  true),
	('board_add',                 'pureboot_api',  true),
	('board_remove',              'pureboot_api',  true),
	('board_json',                'pureboot_api',  false),
	('transition',                'pureboot_api',  true),
	-- POST /nodes/{id}/events: with its idempotency key (sql/039),
	-- which calls node_event (internal)
	('node_event_keyed',          'pureboot_api',  true),
	('node_install',              'pureboot_api',  true),
	('node_installed',            'pureboot_api',  true),
	('install_token_get',         'pureboot_api',  true),
	('node_patch',                'pureboot_api',  true),
	('node_delete',               'pureboot_api',  true),
	('node_json',                 'pureboot_api',  false),
	-- PATCH /nodes/{id} "vars" and the install answers (sql/038): it
	-- reads, the API may read both tables; setting them is a write
	('node_vars',                 'pureboot_api',  false),
	('node_set_vars',             'pureboot_api',  true),
	('settings_json',             'pureboot_api',  false),
	-- the settings CHECK constraint runs it as the API (PATCH /settings)
	('server_url_ok',             'pureboot_api',  false),
	-- the hook's watch/sync (tftp-hook/nfs*.c): the stable ganesha
	-- Export_Ids, a node's NFS epoch, deprovisioning -> retired
	('hook_nfs_export_ids',       'pureboot_hook', true),
	('node_nfs_epoch',            'pureboot_hook', true),
	('hook_deprovisioned',        'pureboot_hook', true),
	-- the hook's dhcp-script (tftp-hook/dhcp.c)
	('hook_dhcp_event',           'pureboot_dhcp', true),
	('hook_tftp_event',           'pureboot_dhcp', true),
	-- internal: called by the functions above or by triggers (which
	-- run as the owner's definer functions that fire them), or by
	-- operators as the owner (token_create, token_revoke: cli/token.c)
	('agent_learn',               'internal',      false),
	('agent_may_create',          'internal',      false),
	('agent_refused',             'internal',      false),
	('agent_trusted',             'internal',      false),
	('boot_answer',               'internal',      false),
	('boot_class',                'internal',      false),
	('current_actor',             'internal',      false),
	('current_comment',           'internal',      false),
	('current_force',             'internal',      false),
	('install_token_expire',      'internal',      false),
	('lease_seen',                'internal',      false),
	('mac_claim',                 'internal',      false),
	('mac_moved_to',              'internal',      false),
	('max_install_attempts',      'internal',      false),
	('msg_quote',                 'internal',      false),
	('node_event',                'internal',      false),
	('node_installed_once',       'internal',      false),
	('nodes_check_insert',        'internal',      false),
	('nodes_check_transition',    'internal',      false),
	('nodes_check_workflow_arch', 'internal',      false),
	('nodes_log_state',           'internal',      false),
	('notify_node',               'internal',      false),
	('notify_settings',           'internal',      false),
	('notify_board_nodes',        'internal',      false),
	('notify_workflow_nodes',     'internal',      false),
	('retry_secs',                'internal',      false),
	('setting',                   'internal',      false),
	('token_create',              'internal',      false),
	('token_revoke',              'internal',      false),
	('token_secret_hash',         'internal',      false),
	('token_verify',              'internal',      false),
	('touch_updated_at',          'internal',      false),
	('workflows_check_node_arch', 'internal',      false);

-- Tables: nothing for anyone but the owner, then the lists.
REVOKE ALL ON ALL TABLES IN SCHEMA pureboot
	FROM PUBLIC, pureboot_api, pureboot_hook, pureboot_dhcp, pureboot_report;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA pureboot
	FROM PUBLIC, pureboot_api, pureboot_hook, pureboot_dhcp, pureboot_report;
REVOKE ALL ON SCHEMA pureboot FROM PUBLIC;
GRANT USAGE ON SCHEMA pureboot TO pureboot_api, pureboot_hook, pureboot_dhcp,
	pureboot_report;

-- The API reads what it serves (nodes, their history and events,
-- workflows, settings) and the tokens it checks (auth.c).  Its writes
-- go through the definer functions above, but for two operator-only
-- statements whose columns say all they can touch: a token's last use,
-- and PATCH /settings.
GRANT SELECT ON pureboot.nodes, pureboot.node_state_log, pureboot.node_events,
	pureboot.workflows, pureboot.settings, pureboot.api_tokens,
	pureboot.install_tokens, pureboot.boards TO pureboot_api;
GRANT UPDATE (last_used) ON pureboot.api_tokens TO pureboot_api;
GRANT INSERT (key, value), UPDATE (value) ON pureboot.settings TO pureboot_api;

-- The hook renders the tree from nodes, their workflows, boards and
-- settings (tftp-hook/db.c); LISTEN needs no privilege.
GRANT SELECT ON pureboot.nodes, pureboot.workflows, pureboot.settings,
	pureboot.boards TO pureboot_hook;

-- pureboot_dhcp: no table at all, the two functions only.

-- pureboot_report (sql/037-reports.sql): the operators' views, for a
-- monitoring check; no table, no function (the views read the tables
-- as their owner; docs/reports.md).
GRANT SELECT ON pureboot.node_summary, pureboot.node_overview,
	pureboot.install_attempts, pureboot.install_report,
	pureboot.stale_nodes TO pureboot_report;

-- A function made by a later migration is nobody's until listed here
-- (031 also sets this; repeated so that this file alone is the truth).
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON ROUTINES FROM PUBLIC;

DO $$
DECLARE
	unlisted text;
	gone text;
	rf record;
	rg record;
BEGIN
	SELECT string_agg(DISTINCT p.proname, ', ') INTO unlisted
	FROM pg_proc p
	WHERE p.pronamespace = 'pureboot'::regnamespace
	  AND NOT EXISTS (SELECT 1 FROM pb_grants g WHERE g.fn = p.proname);
	IF unlisted IS NOT NULL THEN
		RAISE EXCEPTION 'sql/grants.sql: function(s) % of schema pureboot '
		    'are not listed: grant each to its role, or list it as internal',
		    unlisted;
	END IF;
	SELECT string_agg(DISTINCT g.fn, ', ') INTO gone
	FROM pb_grants g
	WHERE NOT EXISTS (SELECT 1 FROM pg_proc p
	                  WHERE p.pronamespace = 'pureboot'::regnamespace
	                    AND p.proname = g.fn);
	IF gone IS NOT NULL THEN
		RAISE EXCEPTION 'sql/grants.sql: function(s) % are listed but '
		    'not in schema pureboot (misspelt, or dropped: remove the line)',
		    gone;
	END IF;
	IF EXISTS (SELECT 1 FROM pb_grants g GROUP BY g.fn
	           HAVING count(DISTINCT g.definer) > 1
	               OR (bool_or(g.grantee = 'internal') AND count(*) > 1)) THEN
		RAISE EXCEPTION 'sql/grants.sql: a function is listed both as '
		    'internal and granted, or as definer and not';
	END IF;
	-- Every overload of a listed name: register_pi(...) changed its
	-- arguments before and may again.
	FOR rf IN SELECT p.oid::regprocedure AS sig, bool_or(g.definer) AS definer
	         FROM pg_proc p JOIN pb_grants g ON g.fn = p.proname
	         WHERE p.pronamespace = 'pureboot'::regnamespace
	         GROUP BY p.oid LOOP
		EXECUTE format('REVOKE ALL ON ROUTINE %s FROM PUBLIC, '
		    'pureboot_api, pureboot_hook, pureboot_dhcp, pureboot_report',
		    rf.sig);
		IF rf.definer THEN
			EXECUTE format('ALTER ROUTINE %s SECURITY DEFINER '
			    'SET search_path = pureboot, pg_temp', rf.sig);
		ELSE
			EXECUTE format('ALTER ROUTINE %s SECURITY INVOKER '
			    'RESET search_path', rf.sig);
		END IF;
	END LOOP;
	FOR rg IN SELECT p.oid::regprocedure AS sig, gr.grantee
	         FROM pg_proc p JOIN pb_grants gr ON gr.fn = p.proname
	         WHERE p.pronamespace = 'pureboot'::regnamespace
	           AND gr.grantee <> 'internal' LOOP
		EXECUTE format('GRANT EXECUTE ON ROUTINE %s TO %I', rg.sig, rg.grantee);
	END LOOP;
END
$$;
