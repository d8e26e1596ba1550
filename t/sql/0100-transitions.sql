-- The whole 12x12 state matrix, through pureboot.transition() and through
-- a plain UPDATE, plus what the state log records for each.
--
-- The allowed pairs are written out below from docs/state-machine.md, not
-- read from pureboot.allowed_transitions, so a wrong row in that table
-- fails here instead of being trusted by the test.
\set QUIET 1
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
SELECT plan(288 + 18);

CREATE TEMP TABLE want (from_state pureboot.node_state, to_state pureboot.node_state);
INSERT INTO want VALUES
	('discovered', 'pending'), ('discovered', 'cloning_target'),
	('pending', 'installing'),
	('installing', 'installed'), ('installing', 'install_failed'),
	('install_failed', 'pending'),
	('installed', 'active'), ('installed', 'reprovision'),
	('active', 'reprovision'), ('active', 'deprovisioning'),
	('active', 'migrating'), ('active', 'serving_source'),
	('active', 'cloning_target'),
	('reprovision', 'pending'),
	('deprovisioning', 'retired'),
	('migrating', 'active'),
	('serving_source', 'active'),
	('cloning_target', 'installed');
INSERT INTO want
SELECT s, 'retired' FROM unnest(enum_range(NULL::pureboot.node_state)) s
WHERE s <> 'retired'
  AND NOT EXISTS (SELECT FROM want w WHERE w.from_state = s AND w.to_state = 'retired');

SELECT set_eq(
	'SELECT from_state, to_state FROM pureboot.allowed_transitions',
	'SELECT from_state, to_state FROM want',
	'allowed_transitions holds exactly the pairs of docs/state-machine.md');

-- One node per case; cases remembers which, for the checks after the matrix.
CREATE TEMP TABLE cases (
	via text, node_id uuid, from_state pureboot.node_state,
	to_state pureboot.node_state, allowed boolean);

CREATE FUNCTION pg_temp.matrix(p_via text, p_base integer) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
	f pureboot.node_state;
	t pureboot.node_state;
	n integer := p_base;
	v_id uuid;
	v_ok boolean;
	v_sql text;
	v_desc text;
BEGIN
	FOREACH f IN ARRAY enum_range(NULL::pureboot.node_state) LOOP
		FOREACH t IN ARRAY enum_range(NULL::pureboot.node_state) LOOP
			n := n + 1;
			INSERT INTO pureboot.nodes (serial, arch, boot_mode, pi_model)
			VALUES (lpad(to_hex(n), 8, '0'), 'aarch64', 'pi', 'pi4')
			RETURNING id INTO v_id;
			-- Setup only: replica mode skips the triggers, so any state
			-- can be put in place without walking a path to it (and
			-- without a log row).
			PERFORM set_config('session_replication_role', 'replica', true);
			UPDATE pureboot.nodes SET state = f WHERE id = v_id;
			PERFORM set_config('session_replication_role', 'origin', true);

			v_ok := EXISTS (SELECT FROM want w WHERE w.from_state = f AND w.to_state = t);
			INSERT INTO cases VALUES (p_via, v_id, f, t, v_ok);
			IF p_via = 'transition()' THEN
				v_sql := format('SELECT pureboot.transition(%L, %L, %L, %L)',
				                v_id, t, 'test:matrix', f || '->' || t);
			ELSE
				v_sql := format('UPDATE pureboot.nodes SET state = %L WHERE id = %L',
				                t, v_id);
			END IF;
			v_desc := format('%s: %s -> %s is %s', p_via, f, t,
			                 CASE WHEN v_ok THEN 'allowed' ELSE 'refused' END);
			IF v_ok THEN
				RETURN NEXT lives_ok(v_sql, v_desc);
			ELSE
				RETURN NEXT throws_ok(v_sql, 'PB409',
					format('node %s: transition from %s to %s is not allowed', v_id, f, t),
					v_desc);
			END IF;
		END LOOP;
	END LOOP;
END
$$;

SELECT * FROM pg_temp.matrix('transition()', 0);
SELECT * FROM pg_temp.matrix('UPDATE', 1000);

SELECT is_empty($$
	SELECT c.via, c.from_state, c.to_state, n.state FROM cases c
	JOIN pureboot.nodes n ON n.id = c.node_id
	WHERE n.state <> CASE WHEN c.allowed THEN c.to_state ELSE c.from_state END
$$, 'every allowed pair moved its node, every refused pair left it alone');

SELECT is_empty($$
	SELECT c.via, c.from_state, c.to_state FROM cases c
	WHERE c.allowed AND (SELECT count(*) FROM pureboot.node_state_log l
	                     WHERE l.node_id = c.node_id AND l.from_state IS NOT NULL) <> 1
$$, 'every allowed pair wrote one transition log row');

SELECT is_empty($$
	SELECT c.via, c.from_state, c.to_state FROM cases c
	WHERE NOT c.allowed AND EXISTS (SELECT FROM pureboot.node_state_log l
	                                WHERE l.node_id = c.node_id AND l.from_state IS NOT NULL)
$$, 'no refused pair wrote a transition log row');

SELECT is_empty($$
	SELECT c.from_state, c.to_state, l.* FROM cases c
	JOIN pureboot.node_state_log l ON l.node_id = c.node_id AND l.from_state IS NOT NULL
	WHERE c.via = 'transition()'
	  AND (l.from_state, l.to_state, l.actor, l.comment, l.forced)
	      IS DISTINCT FROM (c.from_state, c.to_state, 'test:matrix',
	                        c.from_state || '->' || c.to_state, false)
$$, 'transition() logs from, to, its actor and comment, not forced');

SELECT is_empty($$
	SELECT c.from_state, c.to_state, l.* FROM cases c
	JOIN pureboot.node_state_log l ON l.node_id = c.node_id AND l.from_state IS NOT NULL
	WHERE c.via = 'UPDATE'
	  AND (l.from_state, l.to_state, l.actor, l.comment, l.forced)
	      IS DISTINCT FROM (c.from_state, c.to_state, 'sql:' || session_user,
	                        NULL::text, false)
$$, 'a plain UPDATE logs actor sql:<session user>, no comment, not forced');

SELECT is_empty($$
	SELECT c.from_state, c.to_state, l.* FROM cases c
	JOIN pureboot.node_state_log l ON l.node_id = c.node_id AND l.from_state IS NULL
	WHERE (l.to_state, l.actor, l.comment, l.forced)
	      IS DISTINCT FROM ('discovered'::pureboot.node_state, 'sql:' || session_user,
	                        NULL::text, false)
	   OR (SELECT count(*) FROM pureboot.node_state_log l2
	       WHERE l2.node_id = c.node_id AND l2.from_state IS NULL) <> 1
$$, 'creating a node logs one row: NULL -> discovered');

-- Single nodes for what the matrix does not show.
INSERT INTO pureboot.nodes (id, serial, arch, boot_mode)
VALUES ('00000000-0000-4000-8000-000000000001', 'aa000001', 'aarch64', 'pi');

SELECT throws_ok(
	$$SELECT pureboot.transition('00000000-0000-4000-8000-0000000000ff', 'pending', 'test')$$,
	'PB404', 'node 00000000-0000-4000-8000-0000000000ff not found',
	'transition() of a missing node: PB404');

SELECT is(
	(pureboot.transition('00000000-0000-4000-8000-000000000001', 'pending', 'test:one')).state,
	'pending'::pureboot.node_state,
	'transition() returns the updated row');

SELECT is(
	(pureboot.transition('00000000-0000-4000-8000-000000000001', 'installing',
	                     'test:force', 'forced for no reason', true)).state,
	'installing'::pureboot.node_state,
	'transition() with p_force on an allowed pair');

SELECT row_eq($$
	SELECT actor, comment, forced FROM pureboot.node_state_log
	WHERE node_id = '00000000-0000-4000-8000-000000000001' ORDER BY id DESC LIMIT 1
$$, ROW('test:force'::text, 'forced for no reason'::text, true)::record,
	'the log records that force was asked for');

SELECT is(current_setting('pureboot.actor', true), '',
	'transition() leaves pureboot.actor as it found it (unset)');

SELECT lives_ok($$
	UPDATE pureboot.nodes SET state = 'install_failed'
	WHERE id = '00000000-0000-4000-8000-000000000001'
$$, 'a plain UPDATE after transition() in the same transaction');

SELECT row_eq($$
	SELECT actor, comment, forced FROM pureboot.node_state_log
	WHERE node_id = '00000000-0000-4000-8000-000000000001' ORDER BY id DESC LIMIT 1
$$, ROW(('sql:' || session_user) COLLATE "default", NULL::text, false)::record,
	'... is not logged with the settings transition() used');

SELECT set_config('pureboot.actor', 'psql:operator', true) \g /dev/null
SELECT set_config('pureboot.comment', 'reseated the SD card', true) \g /dev/null
SELECT lives_ok($$
	UPDATE pureboot.nodes SET state = 'pending'
	WHERE id = '00000000-0000-4000-8000-000000000001'
$$, 'a plain UPDATE with pureboot.actor and pureboot.comment set');

SELECT row_eq($$
	SELECT from_state, to_state, actor, comment, forced FROM pureboot.node_state_log
	WHERE node_id = '00000000-0000-4000-8000-000000000001' ORDER BY id DESC LIMIT 1
$$, ROW('install_failed'::pureboot.node_state, 'pending'::pureboot.node_state,
        'psql:operator'::text, 'reseated the SD card'::text, false)::record,
	'... logs that actor and comment');

SELECT is(
	(pureboot.transition('00000000-0000-4000-8000-000000000001', 'installing', 'test:inner')).state,
	'installing'::pureboot.node_state,
	'transition() while the caller has its own settings');

SELECT is(current_setting('pureboot.actor') || '/' || current_setting('pureboot.comment'),
	'psql:operator/reseated the SD card',
	'... restores the caller''s settings afterwards');

SELECT * FROM finish();
ROLLBACK;
