-- Operators' reports (sql/037-reports.sql): install_report per workflow
-- from the state log the state machine writes, stale_nodes by the
-- stale_after setting, and the pureboot_report role that reads them.
\set QUIET 1
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
SELECT plan(15);

INSERT INTO pureboot.workflows (id, name, arch, definition) VALUES
	('wf-a', 'A', 'aarch64', '{}'), ('wf-b', 'B', 'aarch64', '{}');

\set n1 '''00000000-0000-4000-8000-000000013801'''
\set n2 '''00000000-0000-4000-8000-000000013802'''
\set n3 '''00000000-0000-4000-8000-000000013803'''
\set n4 '''00000000-0000-4000-8000-000000013804'''
\set n5 '''00000000-0000-4000-8000-000000013805'''
\set n6 '''00000000-0000-4000-8000-000000013806'''
\set n7 '''00000000-0000-4000-8000-000000013807'''
INSERT INTO pureboot.nodes (id, serial, arch, boot_mode, workflow_id, last_seen) VALUES
	(:n1, 'cc013801', 'aarch64', 'pi', 'wf-a', now()),
	(:n2, 'cc013802', 'aarch64', 'pi', 'wf-a', now()),
	(:n3, 'cc013803', 'aarch64', 'pi', 'wf-a', now()),
	(:n4, 'cc013804', 'aarch64', 'pi', 'wf-a', now()),
	(:n5, 'cc013805', 'aarch64', 'pi', NULL, now() - interval '2 days'),
	(:n6, 'cc013806', 'aarch64', 'pi', NULL, now() - interval '9 days'),
	(:n7, 'cc013807', 'aarch64', 'pi', NULL, NULL);

-- One attempt: into installing, then out to p_out (NULL: still running).
-- Every row of one transaction has the same now(): the entry is moved
-- back by p_secs, which makes the attempt's duration.
CREATE FUNCTION pg_temp.attempt(p_node uuid, p_out pureboot.node_state,
    p_secs integer, p_why text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	st pureboot.node_state;
BEGIN
	SELECT state INTO st FROM pureboot.nodes WHERE id = p_node;
	IF st <> 'pending' THEN
		PERFORM pureboot.transition(p_node, 'pending', 'test');
	END IF;
	PERFORM pureboot.transition(p_node, 'installing', 'test');
	UPDATE pureboot.node_state_log SET created_at = now() - make_interval(secs => p_secs)
	WHERE id = (SELECT max(id) FROM pureboot.node_state_log WHERE node_id = p_node);
	IF p_out IS NOT NULL THEN
		PERFORM pureboot.transition(p_node, p_out, 'test', p_why);
	END IF;
END
$$;

SELECT pg_temp.attempt(:n1, 'installed', 600);
SELECT pg_temp.attempt(:n2, 'install_failed', 60, 'agent: disk full');
SELECT pg_temp.attempt(:n2, 'installed', 1200);
SELECT pg_temp.attempt(:n3, 'install_failed', 30, 'agent: disk full');
SELECT pg_temp.attempt(:n3, 'install_failed', 30, 'agent: sha256 mismatch');
SELECT pg_temp.attempt(:n4, NULL, 10);

SELECT row_eq($$SELECT installs, succeeded, failed, running FROM pureboot.install_report
	WHERE workflow_id = 'wf-a'$$, ROW(6::bigint, 2::bigint, 3::bigint, 1::bigint),
	'wf-a: 6 attempts, 2 installed, 3 failed, 1 running');
SELECT is((SELECT failures_by_reason FROM pureboot.install_report WHERE workflow_id = 'wf-a'),
	'{"agent: disk full": 2, "agent: sha256 mismatch": 1}'::jsonb,
	'wf-a: failures counted by the reason of their transition');
SELECT is((SELECT median_duration FROM pureboot.install_report WHERE workflow_id = 'wf-a'),
	interval '900 seconds', 'wf-a: the median of the successful installs (600 s, 1200 s)');
SELECT row_eq($$SELECT installs, failed, failures_by_reason, median_duration
	FROM pureboot.install_report WHERE workflow_id = 'wf-b'$$,
	ROW(0::bigint, 0::bigint, '{}'::jsonb, NULL::interval),
	'wf-b: listed with no installs, no failures and no median');
SELECT is((SELECT count(*) FROM pureboot.install_attempts WHERE node_id = :n2), 2::bigint,
	'install_attempts: one row per entry into installing');

-- n4 is retired while installing: an attempt that ended, neither won nor failed.
UPDATE pureboot.nodes SET state = 'retired' WHERE id = :n4;
SELECT row_eq($$SELECT installs, running FROM pureboot.install_report WHERE workflow_id = 'wf-a'$$,
	ROW(6::bigint, 0::bigint), 'a retired install is no longer running');

UPDATE pureboot.nodes SET created_at = now() - interval '3 days' WHERE id = :n7;
UPDATE pureboot.nodes SET state = 'retired' WHERE id = :n6;
SELECT is(ARRAY(SELECT serial FROM pureboot.stale_nodes ORDER BY serial),
	ARRAY['cc013805', 'cc013807'],
	'stale (default a day): silent for 2 days, and never seen since made 3 days ago; not the retired one');
SELECT cmp_ok((SELECT silent_for FROM pureboot.stale_nodes WHERE serial = 'cc013805'),
	'>=', interval '2 days', 'silent_for says how long');
INSERT INTO pureboot.settings (key, value) VALUES ('stale_after', '259200');
SELECT is(ARRAY(SELECT serial FROM pureboot.stale_nodes ORDER BY serial),
	ARRAY[]::text[], 'stale_after 3 days: none of them');
UPDATE pureboot.settings SET value = '60' WHERE key = 'stale_after';
SELECT is((SELECT count(*) FROM pureboot.stale_nodes), 2::bigint,
	'stale_after 60 s: the two again (the others were seen just now)');
SELECT throws_ok($$UPDATE pureboot.settings SET value = '59' WHERE key = 'stale_after'$$,
	'23514', NULL, 'stale_after below 60 s is refused');
SELECT throws_ok($$UPDATE pureboot.settings SET value = '1 day' WHERE key = 'stale_after'$$,
	'23514', NULL, 'stale_after is seconds, not an interval');

-- pureboot_report reads the views and no table.  pgTAP's functions are
-- the owner's: the role's results go into temp tables checked after.
SET LOCAL ROLE pureboot_report;
CREATE TEMP TABLE as_report AS
SELECT (SELECT count(*) FROM pureboot.stale_nodes) AS stale,
       (SELECT count(*) FROM pureboot.install_report) AS wfs,
       (SELECT count(*) FROM pureboot.node_overview) AS nodes;
CREATE TEMP TABLE as_report_tables (what text);
DO $$
BEGIN
	BEGIN
		PERFORM 1 FROM pureboot.nodes;
		INSERT INTO as_report_tables VALUES ('nodes readable');
	EXCEPTION WHEN insufficient_privilege THEN
		INSERT INTO as_report_tables VALUES ('nodes denied');
	END;
	BEGIN
		PERFORM 1 FROM pureboot.api_tokens;
		INSERT INTO as_report_tables VALUES ('api_tokens readable');
	EXCEPTION WHEN insufficient_privilege THEN
		INSERT INTO as_report_tables VALUES ('api_tokens denied');
	END;
END
$$;
RESET ROLE;
SELECT row_eq('SELECT stale, wfs, nodes FROM as_report', ROW(2::bigint, 2::bigint, 7::bigint),
	'pureboot_report reads stale_nodes, install_report and node_overview');
SELECT is(ARRAY(SELECT what FROM as_report_tables ORDER BY what),
	ARRAY['api_tokens denied', 'nodes denied'], 'pureboot_report reads no table');
SELECT is((SELECT count(*) FROM pg_proc p
	WHERE p.pronamespace = 'pureboot'::regnamespace
	  AND has_function_privilege('pureboot_report', p.oid, 'EXECUTE')), 0::bigint,
	'pureboot_report may execute no function');

SELECT * FROM finish();
ROLLBACK;
