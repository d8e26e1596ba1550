-- sql/033-nfs-nodes.sql: ganesha's Export_Ids bound to their paths,
-- the epoch that tells one life of a node from the next, and
-- hook_deprovisioned() (deprovisioning -> retired, with an event).
\set QUIET 1
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
SELECT plan(19);

\set n1 '''00000000-0000-4000-8000-000000001301'''
\set n2 '''00000000-0000-4000-8000-000000001302'''

INSERT INTO pureboot.nodes (id, serial, arch, boot_mode)
VALUES (:n1, 'bb001301', 'aarch64', 'pi'), (:n2, 'bb001302', 'aarch64', 'pi');

SELECT results_eq(
	$$SELECT o_path, o_export_id FROM pureboot.hook_nfs_export_ids(
	    ARRAY['/srv/nfsroot/nodes/bb001302', '/srv/nfsroot/base/a'])$$,
	$$VALUES ('/srv/nfsroot/base/a', 1), ('/srv/nfsroot/nodes/bb001302', 2)$$,
	'new paths get ids 1, 2 (in path order)');
SELECT results_eq(
	$$SELECT o_path, o_export_id FROM pureboot.hook_nfs_export_ids(
	    ARRAY['/srv/nfsroot/nodes/bb001301', '/srv/nfsroot/base/a',
	          '/srv/nfsroot/nodes/bb001302'])$$,
	$$VALUES ('/srv/nfsroot/base/a', 1), ('/srv/nfsroot/nodes/bb001301', 3),
	         ('/srv/nfsroot/nodes/bb001302', 2)$$,
	'known paths keep their ids, a new one gets the next');
SELECT results_eq(
	$$SELECT o_export_id FROM pureboot.hook_nfs_export_ids(
	    ARRAY['/srv/nfsroot/nodes/bb001302'])$$,
	$$VALUES (2)$$, 'a subset: the same id');
DELETE FROM pureboot.nfs_export_ids WHERE export_id = 1;
SELECT results_eq(
	$$SELECT o_export_id FROM pureboot.hook_nfs_export_ids(ARRAY['/srv/nfsroot/base/b'])$$,
	$$VALUES (4)$$, 'a freed id is not reused while higher ones are free');
INSERT INTO pureboot.nfs_export_ids (path, export_id) VALUES ('/x/top', 65535);
SELECT results_eq(
	$$SELECT o_export_id FROM pureboot.hook_nfs_export_ids(ARRAY['/srv/nfsroot/base/c'])$$,
	$$VALUES (1)$$, 'after 65535: the lowest gap');
SELECT throws_ok(
	$$INSERT INTO pureboot.nfs_export_ids (path, export_id) VALUES ('/a b', 7)$$,
	'23514', NULL, 'a path with a space is refused by the table');
SELECT throws_ok(
	$$INSERT INTO pureboot.nfs_export_ids (path, export_id) VALUES ('/y', 0)$$,
	'23514', NULL, 'id 0 (the pseudo root) is refused');

SELECT ok(pureboot.node_nfs_epoch(:n1) IS NOT NULL, 'a new node has an epoch');
CREATE TEMP TABLE ep AS SELECT pureboot.node_nfs_epoch(:n1) AS e;
-- The node through p_states, in order; true when it got there.
CREATE FUNCTION pg_temp.move(p_node uuid, p_states text[]) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
	s text;
BEGIN
	FOREACH s IN ARRAY p_states LOOP
		PERFORM pureboot.transition(p_node, s::pureboot.node_state, 'test:op');
	END LOOP;
	RETURN (SELECT state::text FROM pureboot.nodes WHERE id = p_node) =
	    p_states[array_length(p_states, 1)];
END
$$;
SELECT ok(pg_temp.move(:n1, ARRAY['pending', 'installing', 'installed', 'active']),
	'to active');
SELECT is(pureboot.node_nfs_epoch(:n1), (SELECT e FROM ep),
	'the install and run path keeps the epoch');
SELECT ok(pg_temp.move(:n1, ARRAY['reprovision', 'pending']), 'reprovisioned');
SELECT ok(pureboot.node_nfs_epoch(:n1) > (SELECT e FROM ep),
	'reprovision gives a new epoch, seen after pending too');

SELECT is(pureboot.hook_deprovisioned(:n1, '/srv/nfsroot/nodes/bb001301'),
	'pending'::pureboot.node_state, 'not deprovisioning: nothing is done');
SELECT is((SELECT count(*) FROM pureboot.node_events WHERE node_id = :n1
           AND type = 'nfs_removed'), 0::bigint, '... and no event');
SELECT ok(pg_temp.move(:n1, ARRAY['installing', 'installed', 'active', 'deprovisioning']),
	'to deprovisioning');
SELECT is(pureboot.hook_deprovisioned(:n1, '/srv/nfsroot/nodes/bb001301'),
	'retired'::pureboot.node_state, 'deprovisioning -> retired');
SELECT row_eq(format($$SELECT type, payload FROM pureboot.node_events
	WHERE node_id = %L AND type = 'nfs_removed'$$, :n1),
	ROW('nfs_removed'::text, '{"path": "/srv/nfsroot/nodes/bb001301", "state": "deprovisioning"}'::jsonb),
	'... with an nfs_removed event');
SELECT row_eq(format($$SELECT from_state, to_state, actor FROM pureboot.node_state_log
	WHERE node_id = %L ORDER BY id DESC LIMIT 1$$, :n1),
	ROW('deprovisioning'::pureboot.node_state, 'retired'::pureboot.node_state,
	    'tftp-hook'::text),
	'... and the state log row of the hook');
SELECT is(pureboot.hook_deprovisioned('00000000-0000-4000-8000-00000000dead', '/x'),
	NULL, 'no such node: NULL');

SELECT * FROM finish();
ROLLBACK;
