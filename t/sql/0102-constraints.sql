-- Constraints refuse bad rows whoever writes them; tokens; views.
-- Refusals are checked by SQLSTATE and by the exact message, which names
-- the constraint, so a row refused for some other reason does not pass.
\set QUIET 1
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
SELECT plan(124);

-- The views count every node: start from none (rolled back at the end).
DELETE FROM pureboot.nodes;

-- The fact the serial, hostname and URL checks rely on.
SELECT ok(E'd83add36\n' !~ '^[0-9a-f]{8}$' AND E'd83add36\n' !~ '^[0-9a-f]{8}\Z',
	'PostgreSQL: $ does not match before a trailing newline');
SELECT ok('d83add36' ~ '^[0-9a-f]{8}$', 'PostgreSQL: ... but does match at the end');

INSERT INTO pureboot.workflows (id, name, arch, definition) VALUES
	('k3s-arm', 'k3s on arm64', 'aarch64', '{"install_method": "image"}'),
	('debian-x86', 'Debian x86', 'x86_64', '{}');

SELECT lives_ok($$
	INSERT INTO pureboot.nodes (id, serial, mac, arch, boot_mode, pi_model, hostname, workflow_id)
	VALUES ('00000000-0000-4000-8000-000000000201', 'd83add36', 'dc:a6:32:01:02:03',
	        'aarch64', 'pi', 'pi4', 'rack1-n01', 'k3s-arm')
$$, 'a well-formed Pi 4 node');
SELECT lives_ok($$
	INSERT INTO pureboot.nodes (id, mac, arch, boot_mode)
	VALUES ('00000000-0000-4000-8000-000000000202', '52:54:00:12:34:56', 'x86_64', 'uefi')
$$, 'an x86 node with a MAC and no serial');
SELECT lives_ok($$
	INSERT INTO pureboot.nodes (id, serial, arch, boot_mode, pi_model, hostname)
	VALUES ('00000000-0000-4000-8000-000000000203', '0000beef', 'aarch64', 'pi', 'cm5',
	        'a23456789012345678901234567890123456789012345678901234567890123')
$$, 'a Pi with no MAC and a 63-character hostname');
SELECT lives_ok($$
	INSERT INTO pureboot.nodes (serial, arch, boot_mode, pi_model, hostname)
	VALUES ('0000bee0', 'aarch64', 'pi', 'pi3+', 'a')
$$, 'model pi3+ and a one-character hostname');

-- Node inserts that must fail: columns (serial, mac, arch, boot_mode,
-- pi_model, hostname), then the constraint that must refuse them.
CREATE TEMP TABLE bad_node (descr text, vals text, want text);
INSERT INTO bad_node VALUES
	('7-digit serial',           $$'d83add3', NULL, 'aarch64', 'pi', 'pi4', NULL$$,   'nodes_serial_check'),
	('9-digit serial',           $$'d83add361', NULL, 'aarch64', 'pi', 'pi4', NULL$$, 'nodes_serial_check'),
	('non-hex serial',           $$'d83add3g', NULL, 'aarch64', 'pi', 'pi4', NULL$$,  'nodes_serial_check'),
	('upper-case serial',        $$'D83ADD37', NULL, 'aarch64', 'pi', 'pi4', NULL$$,  'nodes_serial_check'),
	('serial + trailing newline',$$E'd83add37\n', NULL, 'aarch64', 'pi', 'pi4', NULL$$, 'nodes_serial_check'),
	('serial + leading newline', $$E'\nd83add37', NULL, 'aarch64', 'pi', 'pi4', NULL$$, 'nodes_serial_check'),
	('serial with a space',      $$'d83add3 ', NULL, 'aarch64', 'pi', 'pi4', NULL$$,  'nodes_serial_check'),
	('empty serial',             $$'', '52:54:00:00:00:01', 'x86_64', 'uefi', NULL, NULL$$, 'nodes_serial_check'),
	('duplicate serial',         $$'d83add36', NULL, 'aarch64', 'pi', 'pi4', NULL$$,  'nodes_serial_key'),
	('duplicate MAC, other spelling', $$NULL, 'DC-A6-32-01-02-03', 'aarch64', 'uboot', NULL, NULL$$, 'nodes_mac_key'),
	('neither serial nor MAC',   $$NULL, NULL, 'x86_64', 'bios', NULL, NULL$$,        'nodes_serial_or_mac'),
	('pi boot without serial',   $$NULL, '52:54:00:00:00:02', 'aarch64', 'pi', 'pi4', NULL$$, 'nodes_pi_has_serial'),
	('upper-case hostname',      $$'d83add37', NULL, 'aarch64', 'pi', 'pi4', 'Node1'$$,  'nodes_hostname_check'),
	('hostname, leading hyphen', $$'d83add37', NULL, 'aarch64', 'pi', 'pi4', '-node1'$$, 'nodes_hostname_check'),
	('hostname, trailing hyphen',$$'d83add37', NULL, 'aarch64', 'pi', 'pi4', 'node1-'$$, 'nodes_hostname_check'),
	('64-character hostname',    $$'d83add37', NULL, 'aarch64', 'pi', 'pi4', repeat('a', 64)$$, 'nodes_hostname_check'),
	('hostname with a dot',      $$'d83add37', NULL, 'aarch64', 'pi', 'pi4', 'node1.lan'$$, 'nodes_hostname_check'),
	('hostname + trailing newline', $$'d83add37', NULL, 'aarch64', 'pi', 'pi4', E'node1\n'$$, 'nodes_hostname_check'),
	('empty hostname',           $$'d83add37', NULL, 'aarch64', 'pi', 'pi4', ''$$,    'nodes_hostname_check'),
	('hostname with underscore', $$'d83add37', NULL, 'aarch64', 'pi', 'pi4', 'node_1'$$, 'nodes_hostname_check'),
	('arch arm64',               $$'d83add37', NULL, 'arm64', 'pi', 'pi4', NULL$$,    'nodes_arch_check'),
	('boot_mode pxe',            $$'d83add37', NULL, 'aarch64', 'pxe', 'pi4', NULL$$, 'nodes_boot_mode_check'),
	('model pi2',                $$'d83add37', NULL, 'aarch64', 'pi', 'pi2', NULL$$,  'nodes_pi_model_check'),
	('model pi3b+ (API spelling only)', $$'d83add37', NULL, 'aarch64', 'pi', 'pi3b+', NULL$$, 'nodes_pi_model_check'),
	('model Pi4 (upper case)',   $$'d83add37', NULL, 'aarch64', 'pi', 'Pi4', NULL$$,  'nodes_pi_model_check'),
	('a Pi model on x86_64',     $$'d83add37', NULL, 'x86_64', 'uefi', 'pi4', NULL$$, 'nodes_pi_model_arch');

CREATE FUNCTION pg_temp.bad_nodes() RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
	b record;
BEGIN
	FOR b IN SELECT * FROM bad_node LOOP
		RETURN NEXT throws_ok(
			'INSERT INTO pureboot.nodes (serial, mac, arch, boot_mode, pi_model, hostname) VALUES ('
			|| b.vals || ')',
			CASE WHEN b.want LIKE '%\_key' THEN '23505' ELSE '23514' END,
			CASE WHEN b.want LIKE '%\_key'
			     THEN format('duplicate key value violates unique constraint "%s"', b.want)
			     ELSE format('new row for relation "nodes" violates check constraint "%s"', b.want)
			END,
			'refused: ' || b.descr);
	END LOOP;
END
$$;
SELECT * FROM pg_temp.bad_nodes();

SELECT throws_ok($$
	UPDATE pureboot.nodes SET install_attempts = -1
	WHERE id = '00000000-0000-4000-8000-000000000201'
$$, '23514', 'new row for relation "nodes" violates check constraint "nodes_install_attempts_check"',
	'refused: negative install_attempts');
SELECT throws_ok($$
	INSERT INTO pureboot.nodes (id, serial, arch, boot_mode, state)
	VALUES ('00000000-0000-4000-8000-0000000002ff', 'd83add37', 'aarch64', 'pi', 'active')
$$, 'PB409', 'node 00000000-0000-4000-8000-0000000002ff: a new node must be in state discovered, not active',
	'refused: INSERT of a node in state active');
SELECT throws_ok($$
	INSERT INTO pureboot.nodes (id, serial, arch, boot_mode, state)
	VALUES ('00000000-0000-4000-8000-0000000002ff', 'd83add37', 'aarch64', 'pi', 'pending')
$$, 'PB409', 'node 00000000-0000-4000-8000-0000000002ff: a new node must be in state discovered, not pending',
	'refused: INSERT of a node in state pending');
SELECT is((SELECT mac::text FROM pureboot.nodes WHERE id = '00000000-0000-4000-8000-000000000201'),
	'dc:a6:32:01:02:03', 'a MAC is stored in one canonical form');

-- Workflows, and a node's workflow must be for its arch.
SELECT throws_ok($$
	INSERT INTO pureboot.workflows (id, name, arch, definition) VALUES ('K3s', 'x', 'aarch64', '{}')
$$, '23514', 'new row for relation "workflows" violates check constraint "workflows_id_check"',
	'refused: upper-case workflow id');
SELECT throws_ok($$
	INSERT INTO pureboot.workflows (id, name, arch, definition) VALUES ('-k3s', 'x', 'aarch64', '{}')
$$, '23514', 'new row for relation "workflows" violates check constraint "workflows_id_check"',
	'refused: workflow id with a leading hyphen');
SELECT throws_ok($$
	INSERT INTO pureboot.workflows (id, name, arch, definition) VALUES ('w1', E'two\nlines', 'aarch64', '{}')
$$, '23514', 'new row for relation "workflows" violates check constraint "workflows_name_check"',
	'refused: workflow name with a newline');
SELECT throws_ok($$
	INSERT INTO pureboot.workflows (id, name, arch, definition) VALUES ('w1', '', 'aarch64', '{}')
$$, '23514', 'new row for relation "workflows" violates check constraint "workflows_name_check"',
	'refused: empty workflow name');
SELECT throws_ok($$
	INSERT INTO pureboot.workflows (id, name, arch, definition) VALUES ('w1', 'x', 'arm64', '{}')
$$, '23514', 'new row for relation "workflows" violates check constraint "workflows_arch_check"',
	'refused: workflow arch arm64');
SELECT throws_ok($$
	INSERT INTO pureboot.workflows (id, name, arch, definition) VALUES ('w1', 'x', 'aarch64', '[]')
$$, '23514', 'new row for relation "workflows" violates check constraint "workflows_definition_check"',
	'refused: workflow definition that is not an object');
SELECT throws_ok($$
	UPDATE pureboot.nodes SET workflow_id = 'debian-x86'
	WHERE id = '00000000-0000-4000-8000-000000000201'
$$, 'PB409', 'node 00000000-0000-4000-8000-000000000201: workflow debian-x86 is for x86_64, the node is aarch64',
	'refused: an aarch64 node on an x86_64 workflow');
SELECT throws_ok($$
	UPDATE pureboot.workflows SET arch = 'x86_64' WHERE id = 'k3s-arm'
$$, 'PB409', 'workflow k3s-arm: cannot change arch to x86_64, node 00000000-0000-4000-8000-000000000201 is aarch64',
	'refused: changing the arch of a workflow under its nodes');
SELECT throws_ok($$
	UPDATE pureboot.nodes SET workflow_id = 'nope' WHERE id = '00000000-0000-4000-8000-000000000201'
$$, '23503', NULL, 'refused: an unknown workflow');
SELECT throws_ok($$
	DELETE FROM pureboot.workflows WHERE id = 'k3s-arm'
$$, '23503', NULL, 'refused: deleting a workflow in use');
SELECT lives_ok($$
	UPDATE pureboot.workflows SET id = 'k3s-arm64' WHERE id = 'k3s-arm'
$$, 'renaming a workflow in use');
SELECT is((SELECT workflow_id FROM pureboot.nodes WHERE id = '00000000-0000-4000-8000-000000000201'),
	'k3s-arm64', '... carries its nodes along');
SELECT lives_ok($$
	UPDATE pureboot.nodes SET workflow_id = 'debian-x86'
	WHERE id = '00000000-0000-4000-8000-000000000202'
$$, 'an x86_64 node on an x86_64 workflow');

-- Events.
SELECT throws_ok($$
	INSERT INTO pureboot.node_events (node_id, type)
	VALUES ('00000000-0000-4000-8000-000000000201', 'rebooted')
$$, '23514', 'new row for relation "node_events" violates check constraint "node_events_type_check"',
	'refused: unknown event type');
SELECT throws_ok($$
	INSERT INTO pureboot.node_events (node_id, type, payload)
	VALUES ('00000000-0000-4000-8000-000000000201', 'heartbeat', '"up"')
$$, '23514', 'new row for relation "node_events" violates check constraint "node_events_payload_check"',
	'refused: event payload that is not an object');

-- Settings.
SELECT results_eq('SELECT key, value FROM pureboot.settings ORDER BY key',
	$$VALUES ('agent_trust', 'address'), ('auto_register', 'on'), ('discovery', 'on'),
	         ('discovery_limit', '1000'), ('discovery_per_addr', '10'),
	         ('events_per_minute', '120'), ('install_token_ttl', '7200'),
	         ('server_url', 'http://127.0.0.1:8080')$$,
	'settings defaults');

CREATE TEMP TABLE bad_setting (key text, value text);
INSERT INTO bad_setting VALUES
	('server_url', E'http://127.0.0.1:8080\n'),
	('server_url', E'http://127.0.0.1:8080/\n'),
	('server_url', 'ftp://127.0.0.1'),
	('server_url', 'http://'),
	('server_url', 'http://pure boot:8080'),
	('server_url', 'http://pureboot/a b'),
	('server_url', 'http://pureboot/"x"'),
	('server_url', 'http://pureboot/?q=1'),
	('server_url', 'HTTP://pureboot'),
	('server_url', ''),
	-- The refused examples of t/unit/url.c (lib/core/url.c owns the
	-- rule; sql/021-server-url.sql is its copy).
	('server_url', 'http://' || repeat('a', 3000)),
	('server_url', 'http://' || repeat('a.', 96) || 'ab'),
	('server_url', 'http://-'),
	('server_url', 'http://:::'),
	('server_url', 'http://a:99999'),
	('server_url', 'http://.'),
	('server_url', 'http://a.'),
	('server_url', 'http://a-.b'),
	('server_url', 'http://a:0'),
	('server_url', 'http://a:65536'),
	('server_url', 'http://a:080'),
	('server_url', 'http://a:'),
	('server_url', 'http://[]'),
	('server_url', 'http://[1.2.3.4]'),
	('server_url', 'http://[fe80::1%eth0]'),
	('server_url', 'http://[fe80::1'),
	('server_url', 'http://1.2.3'),
	('server_url', 'http://1.2.3.256'),
	('server_url', 'http://u@a/'),
	('server_url', 'http:///x'),
	('auto_register', 'yes'),
	('auto_register', 'ON'),
	('discovery', E'on\n'),
	('discovery', ''),
	('install_token_ttl', '0'),
	('install_token_ttl', '2592001'),
	('install_token_ttl', '1h');

CREATE FUNCTION pg_temp.bad_settings() RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
	b record;
BEGIN
	FOR b IN SELECT * FROM bad_setting LOOP
		RETURN NEXT throws_ok(
			format('UPDATE pureboot.settings SET value = %L WHERE key = %L', b.value, b.key),
			'23514', 'new row for relation "settings" violates check constraint "settings_value_check"',
			format('refused: %s "%s"', b.key, replace(b.value, E'\n', '\n')));
	END LOOP;
END
$$;
SELECT * FROM pg_temp.bad_settings();

SELECT throws_ok($$INSERT INTO pureboot.settings VALUES ('color', 'blue')$$,
	'23514', 'new row for relation "settings" violates check constraint "settings_key_check"',
	'refused: an unknown setting');
SELECT lives_ok($$UPDATE pureboot.settings SET value = 'https://[fd00::1]:8443/pureboot/v1' WHERE key = 'server_url'$$,
	'server_url: https, IPv6 literal, port, path');
SELECT lives_ok($$UPDATE pureboot.settings SET value = 'http://pureboot.example.org' WHERE key = 'server_url'$$,
	'server_url: a host name, no path');
SELECT lives_ok($$UPDATE pureboot.settings SET value = 'http://a:65535' WHERE key = 'server_url'$$,
	'server_url: port 65535');
SELECT lives_ok($$UPDATE pureboot.settings SET value = 'http://a:1/' WHERE key = 'server_url'$$,
	'server_url: port 1');
SELECT lives_ok($$UPDATE pureboot.settings SET value = 'http://10.0.0.1' WHERE key = 'server_url'$$,
	'server_url: IPv4');
SELECT lives_ok($$UPDATE pureboot.settings SET value = 'http://' || repeat('a', 63) || '.' || repeat('b', 63) || '.' || repeat('c', 63) || '.d' WHERE key = 'server_url'$$,
	'server_url: 200 bytes');
SELECT lives_ok($$UPDATE pureboot.settings SET value = 'off' WHERE key IN ('auto_register', 'discovery')$$,
	'auto_register and discovery: off');

-- Tokens.
SELECT pureboot.token_create('ci-runner@lab') AS tok \gset
SELECT matches(:'tok'::text, '^pb1\.[0-9a-f]{12}\.[A-Za-z0-9_-]{43}$',
	'token_create: pb1.<12 hex>.<43 base64url>');
SELECT is(length(:'tok'), 60, 'token_create: 60 characters, no padding, no newline');
SELECT is((SELECT id FROM pureboot.api_tokens WHERE name = 'ci-runner@lab'),
	split_part(:'tok', '.', 2), 'the row is found by the id in the token');
SELECT is((SELECT hash FROM pureboot.api_tokens WHERE name = 'ci-runner@lab'),
	sha256(convert_to(split_part(:'tok', '.', 3), 'UTF8')),
	'the stored hash is sha256 of the secret part');
SELECT is(strpos((SELECT t::text FROM pureboot.api_tokens t WHERE name = 'ci-runner@lab'),
                  split_part(:'tok', '.', 3)), 0,
	'the secret itself is stored nowhere in the row');
SELECT isnt(pureboot.token_create('second'), :'tok', 'a second token differs');
SELECT throws_ok($$SELECT pureboot.token_create('ci-runner@lab')$$,
	'PB409', 'token name "ci-runner@lab" is already taken (revoked names stay taken)',
	'token_create: duplicate name refused');
SELECT throws_ok($$SELECT pureboot.token_create('a b')$$,
	'PB400', 'token name "a b" is not 1 to 64 characters of A-Z a-z 0-9 . _ @ -',
	'token_create: name with a space refused');
SELECT throws_ok($$SELECT pureboot.token_create(E'ci\n')$$,
	'PB400', 'token name "ci?" is not 1 to 64 characters of A-Z a-z 0-9 . _ @ -',
	'token_create: name with a newline refused, shown escaped');
SELECT throws_ok($$SELECT pureboot.token_create('')$$,
	'PB400', 'token name "" is not 1 to 64 characters of A-Z a-z 0-9 . _ @ -',
	'token_create: empty name refused');
SELECT throws_ok(format('SELECT pureboot.token_create(%L)', repeat('x', 65)),
	'PB400', format('token name "%s"... is not 1 to 64 characters of A-Z a-z 0-9 . _ @ -', repeat('x', 64)),
	'token_create: 65-character name refused, shown cut short');
SELECT lives_ok(format('SELECT pureboot.token_create(%L)', repeat('x', 64)),
	'token_create: 64-character name');
SELECT throws_ok($$INSERT INTO pureboot.api_tokens (id, name, hash) VALUES ('0123456789ab', 'h', '\x00')$$,
	'23514', 'new row for relation "api_tokens" violates check constraint "api_tokens_hash_check"',
	'api_tokens: a hash must be 32 bytes');

SELECT is(pureboot.token_verify(:'tok'), 'ci-runner@lab', 'token_verify: the token names its owner');
SELECT isnt((SELECT last_used FROM pureboot.api_tokens WHERE name = 'ci-runner@lab'), NULL,
	'token_verify: records last_used');
SELECT is(pureboot.token_verify(left(:'tok', 59) || CASE WHEN right(:'tok', 1) = 'A' THEN 'B' ELSE 'A' END),
	NULL, 'token_verify: wrong secret');
SELECT is(pureboot.token_verify(:'tok' || E'\n'), NULL, 'token_verify: trailing newline');
SELECT is(pureboot.token_verify('pb1.' || split_part(:'tok', '.', 2)), NULL, 'token_verify: no secret');
SELECT is(pureboot.token_verify(NULL), NULL, 'token_verify: NULL');
SELECT is(pureboot.token_revoke('ci-runner@lab'), true, 'token_revoke: true for a live token');
SELECT is(pureboot.token_revoke('ci-runner@lab'), false, 'token_revoke: false when already revoked');
SELECT is(pureboot.token_revoke('nobody'), false, 'token_revoke: false for an unknown name');
SELECT is(pureboot.token_verify(:'tok'), NULL, 'token_verify: a revoked token is refused');
SELECT throws_ok($$SELECT pureboot.token_create('ci-runner@lab')$$,
	'PB409', 'token name "ci-runner@lab" is already taken (revoked names stay taken)',
	'token_create: the name of a revoked token stays taken');

-- Views. Nodes so far: 201 (pi4, discovered), 202 (x86, discovered),
-- 203 (cm5, discovered), one pi3+ (discovered).
SELECT pureboot.transition('00000000-0000-4000-8000-000000000201', 'pending', 'test') \g /dev/null
SELECT pureboot.transition('00000000-0000-4000-8000-000000000203', 'pending', 'test') \g /dev/null
INSERT INTO pureboot.nodes (serial, arch, boot_mode, pi_model) VALUES ('0000bee1', 'aarch64', 'pi', 'pi4');

SELECT set_eq('SELECT state::text, pi_model, arch, nodes FROM pureboot.node_summary',
	$$VALUES ('pending', 'pi4', 'aarch64', 1::bigint),
	         ('pending', 'cm5', 'aarch64', 1),
	         ('discovered', 'pi4', 'aarch64', 1),
	         ('discovered', 'pi3+', 'aarch64', 1),
	         ('discovered', NULL, 'x86_64', 1)$$,
	'node_summary counts per state, model and arch');

INSERT INTO pureboot.node_events (node_id, type, payload, created_at) VALUES
	('00000000-0000-4000-8000-000000000201', 'boot_started', '{}', now() - interval '10 minutes'),
	('00000000-0000-4000-8000-000000000201', 'install_progress', '{"percent": 40}', now() - interval '5 minutes'),
	('00000000-0000-4000-8000-000000000202', 'dhcp_add', '{}', now() - interval '1 hour');
UPDATE pureboot.nodes SET last_seen = now() - interval '5 minutes'
WHERE id = '00000000-0000-4000-8000-000000000201';

SELECT results_eq($$
	SELECT id, serial, mac::text, pi_model, hostname, state::text, workflow_id,
	       install_attempts, last_event_type, last_event_age, last_seen = last_event_at
	FROM pureboot.node_overview
	WHERE id IN ('00000000-0000-4000-8000-000000000201', '00000000-0000-4000-8000-000000000202',
	             '00000000-0000-4000-8000-000000000203')
	ORDER BY id
$$, $$VALUES
	('00000000-0000-4000-8000-000000000201'::uuid, 'd83add36', 'dc:a6:32:01:02:03', 'pi4',
	 'rack1-n01', 'pending', 'k3s-arm64', 0, 'install_progress', interval '5 minutes', true),
	('00000000-0000-4000-8000-000000000202'::uuid, NULL, '52:54:00:12:34:56', NULL,
	 NULL, 'discovered', 'debian-x86', 0, 'dhcp_add', interval '1 hour', NULL),
	('00000000-0000-4000-8000-000000000203'::uuid, '0000beef', NULL, 'cm5',
	 'a23456789012345678901234567890123456789012345678901234567890123', 'pending', NULL, 0,
	 NULL, NULL, NULL)
$$, 'node_overview: one row per node with its latest event and its age');
SELECT is((SELECT count(*) FROM pureboot.node_overview), 5::bigint,
	'node_overview: every node, with or without events');

SELECT * FROM finish();
ROLLBACK;
