-- Board nodes (sql/036-board-nodes.sql): one answer body for boot/pi and
-- boot/arm64, a board found or made by MAC, the trust rules there, and
-- the operator functions (node_create, node_patch, board_add,
-- board_remove).
\set QUIET 1
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
SELECT plan(27);

-- One body: the install-token write and the trust decision live in
-- boot_answer() only; boot_pi() and boot_arm64() end in it.
SELECT ok((SELECT prosrc FROM pg_proc WHERE proname = 'boot_pi') ~ 'pureboot\.boot_answer\(',
	'boot_pi ends in boot_answer');
SELECT ok((SELECT prosrc FROM pg_proc WHERE proname = 'boot_arm64') ~ 'pureboot\.boot_answer\(',
	'boot_arm64 ends in boot_answer');
SELECT ok((SELECT bool_and(prosrc !~ 'install_tokens|agent_trusted|transition')
	FROM pg_proc WHERE proname IN ('boot_pi', 'boot_arm64')),
	'neither copies the token, trust or state rules');
SELECT is((SELECT count(*)::int FROM pg_proc WHERE proname = 'boot_answer'
	AND prosrc ~ 'install_tokens' AND prosrc ~ 'agent_trusted'), 1,
	'boot_answer has them');

CREATE TEMP TABLE r AS SELECT * FROM pureboot.boot_arm64('52:54:00:13:70:01', 'uefi',
	'QEMU Virtual Machine', '0000000000013701', decode(repeat('ab', 32), 'hex'), '10.0.0.5');
SELECT is((SELECT o_registered::text || ' ' || o_state || ' ' || o_refused::text FROM r),
	'true discovered false', 'an unknown MAC is made, discovered');
SELECT is((SELECT boot_mode || ' ' || host(known_addr) || ' ' || host(created_addr)
	|| ' ' || coalesce(serial, '-') FROM pureboot.nodes WHERE mac = '52:54:00:13:70:01'),
	'uefi 10.0.0.5 10.0.0.5 -', 'with the firmware the agent saw, known at its address, no serial');
SELECT is((SELECT payload->>'via' || ' ' || (payload->>'model') FROM pureboot.node_events
	WHERE type = 'registered' AND payload->>'mac' = '52:54:00:13:70:01'),
	'boot/arm64 QEMU Virtual Machine', 'the registered event says how and the model');
SELECT is((SELECT o_registered::text FROM pureboot.boot_arm64('52:54:00:13:70:01', 'uboot',
	NULL, '0000000000013702', decode(repeat('ab', 32), 'hex'), '10.0.0.5')), 'false', 'asking again makes nothing');
SELECT is((SELECT boot_mode FROM pureboot.nodes WHERE mac = '52:54:00:13:70:01'), 'uefi',
	'and changes no boot mode');

-- Trust, as boot_pi: another address changes nothing and is recorded.
INSERT INTO pureboot.workflows (id, name, arch, definition)
	VALUES ('w137', 'w137', 'aarch64', '{"install_method": "image"}');
UPDATE pureboot.nodes SET workflow_id = 'w137' WHERE mac = '52:54:00:13:70:01';
\o /dev/null
SELECT pureboot.transition(id, 'pending', 'test') FROM pureboot.nodes WHERE mac = '52:54:00:13:70:01';
\o
SELECT is((SELECT o_refused::text || ' ' || o_issued::text || ' ' || o_state
	FROM pureboot.boot_arm64('52:54:00:13:70:01', NULL, NULL, '0000000000013703', decode(repeat('ab', 32), 'hex'), '10.6.6.6')),
	'true false pending', 'an outsider: refused, nothing issued, still pending');
SELECT is((SELECT count(*)::int FROM pureboot.install_tokens t JOIN pureboot.nodes n
	ON n.id = t.node_id WHERE n.mac = '52:54:00:13:70:01'), 0, 'no token for the outsider');
SELECT is((SELECT payload->>'endpoint' FROM pureboot.node_events WHERE type = 'agent_refused'),
	'boot/arm64', 'the refusal names boot/arm64');
SELECT is((SELECT o_issued::text || ' ' || o_state
	FROM pureboot.boot_arm64('52:54:00:13:70:01', NULL, NULL, '0000000000013704', decode(repeat('ab', 32), 'hex'), '10.0.0.5')),
	'true installing', 'the known address starts the install');
SELECT is((SELECT t.id FROM pureboot.install_tokens t JOIN pureboot.nodes n
	ON n.id = t.node_id WHERE n.mac = '52:54:00:13:70:01'), '0000000000013704', 'with its token');

-- A Pi's MAC is not a board's.
INSERT INTO pureboot.nodes (serial, mac, arch, boot_mode) VALUES ('13700002', 'dc:a6:32:13:70:02', 'aarch64', 'pi');
SELECT throws_ok($$SELECT * FROM pureboot.boot_arm64('dc:a6:32:13:70:02', NULL, NULL, 't', decode(repeat('ab', 32), 'hex'), '10.0.0.9')$$,
	'PB409', NULL, 'boot/arm64 with a Pi''s MAC is PB409');

-- The MAC's lease is the evidence: leased elsewhere, nothing is made;
-- leased to the caller, the node's MAC is proven.
INSERT INTO pureboot.leases (mac, addr, via) VALUES ('52:54:00:13:70:05', '10.0.0.50', 'dhcp'),
	('52:54:00:13:70:06', '10.0.0.60', 'dhcp');
SELECT throws_ok($$SELECT * FROM pureboot.boot_arm64('52:54:00:13:70:05', NULL, NULL, 't', decode(repeat('ab', 32), 'hex'), '10.6.6.6')$$,
	'PB409', 'mac 52:54:00:13:70:05 is leased to another address; nothing was changed',
	'a new MAC leased to another address is refused');
SELECT is((SELECT count(*)::int FROM pureboot.nodes WHERE mac = '52:54:00:13:70:05'), 0, 'and nothing is made');
\o /dev/null
SELECT * FROM pureboot.boot_arm64('52:54:00:13:70:06', NULL, NULL, '0000000000013706',
	decode(repeat('ab', 32), 'hex'), '10.0.0.60');
\o
SELECT is((SELECT mac_proven::text FROM pureboot.nodes WHERE mac = '52:54:00:13:70:06'),
	'true', 'a new MAC from its leased address is proven');

-- auto_register off: no row, nothing made.
UPDATE pureboot.settings SET value = 'off' WHERE key = 'auto_register';
SELECT is((SELECT count(*)::int FROM pureboot.boot_arm64('52:54:00:13:70:09', NULL, NULL, 't', decode(repeat('ab', 32), 'hex'), '10.0.0.9')),
	0, 'auto_register off: an unknown MAC gets no row');
SELECT is((SELECT count(*)::int FROM pureboot.nodes WHERE mac = '52:54:00:13:70:09'), 0, 'and no node');
UPDATE pureboot.settings SET value = 'on' WHERE key = 'auto_register';

-- Operators.
SELECT is((SELECT (x->>'board') || ' ' || (x->>'state') FROM pureboot.node_create('52:54:00:13:70:10',
	'aarch64', 'uboot', 'qemu-arm64', NULL, NULL, NULL, 'test') x), 'qemu-arm64 discovered',
	'node_create: a board node');
SELECT is((SELECT coalesce(host(known_addr), '-') || ' ' || coalesce(host(created_addr), '-')
	FROM pureboot.nodes WHERE mac = '52:54:00:13:70:10'), '- -',
	'with no known address and outside discovery_limit');
SELECT throws_ok($$SELECT pureboot.node_create('52:54:00:13:70:10', 'aarch64', 'uefi', NULL, NULL, NULL, NULL, 'test')$$,
	'23505', NULL, 'node_create: a MAC in use');
SELECT is((SELECT x->>'board' FROM pureboot.node_patch((SELECT id FROM pureboot.nodes WHERE mac = '52:54:00:13:70:10'),
	false, NULL, false, NULL, false, NULL, false, NULL, false, NULL,
	true, 'uefi', true, 'qemu-arm64-uefi', false, NULL) x), 'qemu-arm64-uefi',
	'node_patch: boot_mode and board at once');
SELECT is((SELECT x->>'name' FROM pureboot.board_add('lab-137', 'v/l.dtb', 'ttyS0', NULL, 'uboot', NULL) x),
	'lab-137', 'board_add');
SELECT throws_ok($$SELECT pureboot.board_remove('qemu-arm64-uefi')$$, 'PB409',
	'board qemu-arm64-uefi is the board of 1 node(s); give them another board or none first',
	'board_remove: a board in use stays');
SELECT is((SELECT array_agg(x)::text FROM pureboot.board_remove('lab-137') x), '{lab-137}',
	'board_remove: an unused one goes');

SELECT * FROM finish();
ROLLBACK;
