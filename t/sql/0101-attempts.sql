-- install_attempts: counted on installing -> install_failed, reset on
-- -> installed and on reprovision -> pending, and after 3 failures the
-- retry (install_failed -> pending) needs force.
\set QUIET 1
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
SELECT plan(26);

\set n1 '''00000000-0000-4000-8000-000000000101'''
\set n2 '''00000000-0000-4000-8000-000000000102'''

INSERT INTO pureboot.nodes (id, serial, arch, boot_mode)
VALUES (:n1, 'bb000101', 'aarch64', 'pi'), (:n2, 'bb000102', 'aarch64', 'pi');

-- One failed install: pending -> installing -> install_failed; returns
-- the counter afterwards.
CREATE FUNCTION pg_temp.fail_once(p_node uuid) RETURNS integer
LANGUAGE sql AS $$
	SELECT (pureboot.transition(p_node, 'installing', 'test')).install_attempts;
	SELECT (pureboot.transition(p_node, 'install_failed', 'test', 'agent gave up')).install_attempts;
$$;

SELECT is((pureboot.transition(:n1, 'pending', 'test')).install_attempts, 0,
	'a new node has no failed attempts');
SELECT is((pureboot.transition(:n1, 'installing', 'test')).install_attempts, 0,
	'pending -> installing does not count');
SELECT is((pureboot.transition(:n1, 'install_failed', 'test')).install_attempts, 1,
	'installing -> install_failed counts 1');
SELECT is((pureboot.transition(:n1, 'pending', 'test')).install_attempts, 1,
	'install_failed -> pending keeps the count');
SELECT is(pg_temp.fail_once(:n1), 2, 'second failure counts 2');
SELECT lives_ok(format('SELECT pureboot.transition(%L, %L, %L)', :n1, 'pending', 'test'),
	'retry after 2 failures needs no force');
SELECT is(pg_temp.fail_once(:n1), 3, 'third failure counts 3');

SELECT throws_ok(format('SELECT pureboot.transition(%L, %L, %L)', :n1, 'pending', 'test'),
	'PB409',
	format('node %s: transition from install_failed to pending refused after 3 failed install attempts, use force', :n1),
	'retry after 3 failures without force: PB409 naming the count and force');
SELECT throws_ok(format('UPDATE pureboot.nodes SET state = %L WHERE id = %L', 'pending', :n1),
	'PB409',
	format('node %s: transition from install_failed to pending refused after 3 failed install attempts, use force', :n1),
	'... and the same through a plain UPDATE');
SELECT row_eq(format('SELECT state, install_attempts FROM pureboot.nodes WHERE id = %L', :n1),
	ROW('install_failed'::pureboot.node_state, 3),
	'... which leave state and count alone');

SELECT lives_ok(format('SELECT pureboot.transition(%L, %L, %L, %L, true)',
                       :n1, 'pending', 'test:op', 'new SD card'),
	'retry after 3 failures with force');
SELECT row_eq(format($$
	SELECT from_state, to_state, actor, comment, forced FROM pureboot.node_state_log
	WHERE node_id = %L ORDER BY id DESC LIMIT 1$$, :n1),
	ROW('install_failed'::pureboot.node_state, 'pending'::pureboot.node_state,
	    'test:op'::text, 'new SD card'::text, true),
	'... is logged as forced, with actor and comment');
SELECT is((SELECT install_attempts FROM pureboot.nodes WHERE id = :n1), 3,
	'... and keeps the count');

SELECT is(pg_temp.fail_once(:n1), 4, 'a fourth failure counts 4');
SELECT throws_ok(format('SELECT pureboot.transition(%L, %L, %L)', :n1, 'pending', 'test'),
	'PB409',
	format('node %s: transition from install_failed to pending refused after 4 failed install attempts, use force', :n1),
	'force was for one retry: the next one needs it again');

SELECT set_config('pureboot.force', 'true', true) \g /dev/null
SELECT lives_ok(format('UPDATE pureboot.nodes SET state = %L WHERE id = %L', 'pending', :n1),
	'a plain UPDATE with pureboot.force set may retry');
SELECT set_config('pureboot.force', '', true) \g /dev/null
SELECT is((SELECT forced FROM pureboot.node_state_log WHERE node_id = :n1 ORDER BY id DESC LIMIT 1),
	true, '... and is logged as forced');

SELECT is((pureboot.transition(:n1, 'installing', 'test')).install_attempts, 4,
	'installing again keeps the count');
SELECT is((pureboot.transition(:n1, 'installed', 'test')).install_attempts, 0,
	'installing -> installed resets the count');

-- The counter belongs to the state machine, not to whoever writes the row.
SELECT pureboot.transition(:n2, 'pending', 'test') \g /dev/null
SELECT is(pg_temp.fail_once(:n2), 1, 'second node: one failure');
SELECT lives_ok(format('SELECT pureboot.transition(%L, %L, %L)', :n2, 'pending', 'test'),
	'second node: retry');
SELECT lives_ok(format('SELECT pureboot.transition(%L, %L, %L)', :n2, 'installing', 'test'),
	'second node: installing');
UPDATE pureboot.nodes SET state = 'install_failed', install_attempts = 0 WHERE id = :n2;
SELECT is((SELECT install_attempts FROM pureboot.nodes WHERE id = :n2), 2,
	'a failure counts from the old value whatever the UPDATE writes');

-- reprovision -> pending and cloning_target -> installed reset too. The
-- only way to carry a count into those states is to write it by hand.
SELECT lives_ok(format('SELECT pureboot.transition(%L, %L, %L)', :n2, 'retired', 'test'),
	'second node retired');
SELECT set_config('session_replication_role', 'replica', true) \g /dev/null
UPDATE pureboot.nodes SET state = 'reprovision', install_attempts = 2 WHERE id = :n1;
UPDATE pureboot.nodes SET state = 'cloning_target', install_attempts = 2 WHERE id = :n2;
SELECT set_config('session_replication_role', 'origin', true) \g /dev/null
SELECT is((pureboot.transition(:n1, 'pending', 'test')).install_attempts, 0,
	'reprovision -> pending resets the count');
SELECT is((pureboot.transition(:n2, 'installed', 'test')).install_attempts, 0,
	'cloning_target -> installed resets the count');

SELECT * FROM finish();
ROLLBACK;
