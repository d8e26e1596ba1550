-- Boards and per-node DTBs (sql/035-boards.sql): the rows Debian's
-- kernel has DTBs for, the value rules, the node's board key, the
-- notifications the hook needs and the operators' view.
\set QUIET 1
\set ON_ERROR_STOP 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
SELECT plan(27);

SELECT has_table('pureboot', 'boards', 'pureboot.boards exists');
SELECT is((SELECT dtb FROM pureboot.boards WHERE name = 'qemu-arm64'), NULL,
	'qemu-arm64 names no DTB: QEMU passes its own');
SELECT is((SELECT dtb FROM pureboot.boards WHERE name = 'rock-pi-4b'),
	'rockchip/rk3399-rock-pi-4b.dtb', 'rock-pi-4b: the DTB path of Debian''s kernel');
SELECT is((SELECT dtb FROM pureboot.boards WHERE name = 'pine-h64'),
	'allwinner/sun50i-h6-pine-h64.dtb', 'pine-h64: the DTB path of Debian''s kernel');
SELECT is((SELECT boot_mode FROM pureboot.boards WHERE name = 'qemu-arm64-uefi'), 'uefi',
	'qemu-arm64-uefi boots UEFI');

-- Value rules: each refused by its own constraint.
SELECT throws_ok($$INSERT INTO pureboot.boards (name, dtb, console, boot_mode)
	VALUES ('x', '../etc/passwd.dtb', 'ttyS0', 'uboot')$$, '23514', NULL, 'a DTB with .. is refused');
SELECT throws_ok($$INSERT INTO pureboot.boards (name, dtb, console, boot_mode)
	VALUES ('x', '/boot/a.dtb', 'ttyS0', 'uboot')$$, '23514', NULL, 'an absolute DTB path is refused');
SELECT throws_ok($$INSERT INTO pureboot.boards (name, dtb, console, boot_mode)
	VALUES ('x', 'rockchip/.a.dtb', 'ttyS0', 'uboot')$$, '23514', NULL, 'a hidden DTB file is refused');
SELECT throws_ok($$INSERT INTO pureboot.boards (name, dtb, console, boot_mode)
	VALUES ('x', 'rockchip/a.dtbo', 'ttyS0', 'uboot')$$, '23514', NULL, 'an overlay is not a DTB');
SELECT throws_ok($$INSERT INTO pureboot.boards (name, dtb, console, boot_mode)
	VALUES ('x', E'a.dtb\nx.dtb', 'ttyS0', 'uboot')$$, '23514', NULL, 'a DTB path with a newline is refused');
SELECT throws_ok($$INSERT INTO pureboot.boards (name, console, boot_mode)
	VALUES ('x', 'ttyS0 init=/bin/sh', 'uboot')$$, '23514',
	'new row for relation "boards" violates check constraint "boards_console_check"',
	'a console with a space is refused');
SELECT throws_ok($$INSERT INTO pureboot.boards (name, console, cmdline_extra, boot_mode)
	VALUES ('x', 'ttyS0', 'quiet pureboot.state=installed', 'uboot')$$, '23514',
	'new row for relation "boards" violates check constraint "boards_cmdline_extra_check"',
	'extra words setting pureboot.* are refused');
SELECT throws_ok($$INSERT INTO pureboot.boards (name, console, cmdline_extra, boot_mode)
	VALUES ('x', 'ttyS0', 'console=tty0', 'uboot')$$, '23514',
	'new row for relation "boards" violates check constraint "boards_cmdline_extra_check"',
	'extra words setting console= are refused');
SELECT throws_ok($$INSERT INTO pureboot.boards (name, console, cmdline_extra, boot_mode)
	VALUES ('x', 'ttyS0', 'a  b', 'uboot')$$, '23514',
	'new row for relation "boards" violates check constraint "boards_cmdline_extra_check"',
	'two spaces between extra words are refused');
SELECT throws_ok($$INSERT INTO pureboot.boards (name, console, boot_mode)
	VALUES ('x', 'ttyS0', 'pi')$$, '23514',
	'new row for relation "boards" violates check constraint "boards_boot_mode_check"',
	'a board boots U-Boot or UEFI, not the Pi firmware');
SELECT throws_ok($$INSERT INTO pureboot.boards (name, console, boot_mode)
	VALUES ('Rock Pi', 'ttyS0', 'uboot')$$, '23514',
	'new row for relation "boards" violates check constraint "boards_name_check"',
	'a board name is a slug');
SELECT lives_ok($$INSERT INTO pureboot.boards (name, dtb, console, cmdline_extra, boot_mode)
	VALUES ('lab-1', 'vendor/lab-1_v2.dtb', 'ttyS0,115200', 'earlycon rootwait', 'uboot')$$,
	'an operator''s board with its own DTB and words');

-- Nodes: a board of the same boot mode, a DTB override.
SELECT lives_ok($$INSERT INTO pureboot.nodes (id, mac, arch, boot_mode, board)
	VALUES ('00000000-0000-4000-8000-000000013501', '52:54:00:13:50:01', 'aarch64', 'uboot', 'rock-pi-4b')$$,
	'a U-Boot node on a U-Boot board');
SELECT throws_ok($$INSERT INTO pureboot.nodes (mac, arch, boot_mode, board)
	VALUES ('52:54:00:13:50:02', 'aarch64', 'uefi', 'rock-pi-4b')$$, '23503', NULL,
	'a UEFI node on a U-Boot board is refused');
SELECT throws_ok($$INSERT INTO pureboot.nodes (mac, arch, boot_mode, board)
	VALUES ('52:54:00:13:50:03', 'aarch64', 'uboot', 'no-such-board')$$, '23503', NULL,
	'an unknown board is refused');
SELECT throws_ok($$INSERT INTO pureboot.nodes (serial, arch, boot_mode, pi_model, dtb)
	VALUES ('13500004', 'aarch64', 'pi', 'pi4', 'broadcom/bcm2711-rpi-4-b.dtb')$$, '23514',
	'new row for relation "nodes" violates check constraint "nodes_dtb_not_pi"',
	'a Pi takes no DTB override (its model names it)');
SELECT throws_ok($$UPDATE pureboot.nodes SET dtb = 'x/../y.dtb'
	WHERE id = '00000000-0000-4000-8000-000000013501'$$, '23514', NULL,
	'a node DTB override obeys the same path rule');
SELECT throws_ok($$DELETE FROM pureboot.boards WHERE name = 'rock-pi-4b'$$, '23503', NULL,
	'a board in use cannot be removed');

-- The view: the node's own DTB wins over its board's.
SELECT is((SELECT dtb || ' ' || dtb_from FROM pureboot.board_nodes
	WHERE id = '00000000-0000-4000-8000-000000013501'),
	'rockchip/rk3399-rock-pi-4b.dtb board', 'board_nodes: the board''s DTB');
UPDATE pureboot.nodes SET dtb = 'rockchip/rk3399-rock-pi-4b-plus.dtb'
	WHERE id = '00000000-0000-4000-8000-000000013501';
SELECT is((SELECT dtb || ' ' || dtb_from FROM pureboot.board_nodes
	WHERE id = '00000000-0000-4000-8000-000000013501'),
	'rockchip/rk3399-rock-pi-4b-plus.dtb node', 'board_nodes: the node''s own DTB wins');

-- A renamed board follows into its nodes.
UPDATE pureboot.boards SET name = 'rock-pi-4' WHERE name = 'rock-pi-4b';
SELECT is((SELECT board FROM pureboot.nodes WHERE id = '00000000-0000-4000-8000-000000013501'),
	'rock-pi-4', 'a renamed board is renamed in its nodes');
SELECT throws_ok($$UPDATE pureboot.boards SET boot_mode = 'pi' WHERE name = 'rock-pi-4'$$,
	'23514', NULL, 'a board cannot become a Pi''s');

SELECT * FROM finish();
ROLLBACK;
