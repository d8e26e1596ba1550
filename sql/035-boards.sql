-- Boards that are not Raspberry Pis (docs/boards.md): U-Boot boards that
-- read pxelinux.cfg/01-<mac> and UEFI boards that netboot GRUB, both
-- named by MAC.  A board row says what the deploy kernel needs on that
-- board: its device tree, its serial console, its own kernel words and
-- which firmware it boots with.  The renderers (lib/boot/netboot.h)
-- check the same values again in C before they reach a file.

-- A DTB, relative to the DTB store (dtbs/ in the TFTP tree, laid out as
-- Debian's linux-image-arm64 lays out /usr/lib/linux-image-<version>/):
-- lib/core/chars.c's relative-path rule (components of [A-Za-z0-9._-]
-- not starting with '.', no "..", at most 128 characters), ending .dtb.
CREATE DOMAIN pureboot.dtb_path AS text
	CHECK (VALUE ~ '^[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*\.dtb$'
	       AND VALUE !~ '\.\.'
	       AND char_length(VALUE) <= 128);

CREATE TABLE pureboot.boards (
	-- Named in the API, the CLI and file comments: a slug.
	name          text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
	-- NULL: the firmware's own device tree (QEMU's, or one U-Boot or
	-- UEFI carries); the renderers then name none.
	dtb           pureboot.dtb_path,
	-- console=<this> on the kernel command line: one command-line word.
	console       text NOT NULL CHECK (console ~ '^[A-Za-z0-9._:/=,@+-]{1,64}$'),
	-- More kernel words, single spaces between them, none of the
	-- renderer's own (pureboot.*, console=).
	cmdline_extra text CHECK (cmdline_extra ~ '^[A-Za-z0-9._:/=,@+-]+( [A-Za-z0-9._:/=,@+-]+)*$'
	                          AND char_length(cmdline_extra) <= 255
	                          AND (' ' || cmdline_extra) !~ ' (pureboot\.|console=)'),
	boot_mode     text NOT NULL CHECK (boot_mode IN ('uboot', 'uefi')),
	description   text CHECK (char_length(description) <= 200
	                          AND description !~ '[\u0001-\u001f\u007f-\u009f]'),
	created_at    timestamptz NOT NULL DEFAULT now(),
	updated_at    timestamptz NOT NULL DEFAULT now(),
	-- For the nodes' (board, boot_mode) key: a node boots its board's way.
	UNIQUE (name, boot_mode)
);

CREATE TRIGGER boards_touch BEFORE UPDATE ON pureboot.boards
	FOR EACH ROW EXECUTE FUNCTION pureboot.touch_updated_at();

-- The DTB paths below are those of Debian 12's linux-image-arm64 (6.12,
-- bookworm-backports), checked against the package's file list.
-- qemu-arm64: QEMU -M virt hands the firmware its own device tree.
INSERT INTO pureboot.boards (name, dtb, console, cmdline_extra, boot_mode, description) VALUES
	('qemu-arm64', NULL, 'ttyAMA0', NULL, 'uboot',
	 'QEMU -M virt with Debian''s u-boot-qemu (t/0980)'),
	('qemu-arm64-uefi', NULL, 'ttyAMA0', NULL, 'uefi',
	 'QEMU -M virt with Debian''s QEMU_EFI.fd and GRUB netboot (t/0981)'),
	('rock-pi-4b', 'rockchip/rk3399-rock-pi-4b.dtb', 'ttyS2,1500000',
	 'earlycon=uart8250,mmio32,0xff1a0000', 'uboot', 'Radxa ROCK Pi 4B (RK3399)'),
	('rockpro64', 'rockchip/rk3399-rockpro64.dtb', 'ttyS2,1500000',
	 'earlycon=uart8250,mmio32,0xff1a0000', 'uboot', 'Pine64 ROCKPro64 (RK3399)'),
	('rock-5b', 'rockchip/rk3588-rock-5b.dtb', 'ttyS2,1500000', NULL, 'uboot',
	 'Radxa ROCK 5B (RK3588)'),
	('pine-h64', 'allwinner/sun50i-h6-pine-h64.dtb', 'ttyS0,115200', NULL, 'uboot',
	 'Pine64 Pine H64 model A (Allwinner H6)'),
	('pine64-plus', 'allwinner/sun50i-a64-pine64-plus.dtb', 'ttyS0,115200', NULL, 'uboot',
	 'Pine64 PINE A64+ (Allwinner A64)'),
	('odroid-n2', 'amlogic/meson-g12b-odroid-n2.dtb', 'ttyAML0,115200', NULL, 'uboot',
	 'Hardkernel ODROID-N2 (Amlogic S922X)');

-- A node's board, and a DTB of its own that overrides the board's.
-- Both only for U-Boot and UEFI nodes (a Pi's DTB is its model's,
-- lib/boot/pimodel.c); the composite key makes a node boot the way its
-- board does.  A renamed board follows into its nodes; a board in use
-- cannot be removed.
ALTER TABLE pureboot.nodes
	ADD COLUMN board text,
	ADD COLUMN dtb pureboot.dtb_path,
	ADD CONSTRAINT nodes_board_fkey FOREIGN KEY (board, boot_mode)
		REFERENCES pureboot.boards (name, boot_mode)
		ON UPDATE CASCADE ON DELETE RESTRICT,
	ADD CONSTRAINT nodes_dtb_not_pi CHECK (dtb IS NULL OR boot_mode IN ('uboot', 'uefi'));

CREATE INDEX nodes_board_idx ON pureboot.nodes (board) WHERE board IS NOT NULL;

-- The hook renders from these too (sql/003-notify.sql's trigger lists
-- the older columns; this one adds the new ones beside it).
CREATE TRIGGER nodes_notify_board AFTER UPDATE ON pureboot.nodes
	FOR EACH ROW WHEN (OLD.board IS DISTINCT FROM NEW.board
	                   OR OLD.dtb IS DISTINCT FROM NEW.dtb)
	EXECUTE FUNCTION pureboot.notify_node();

-- A changed board is a change of each node on it.  (A rename reaches
-- the nodes through the cascade, whose UPDATE notifies them.)
CREATE FUNCTION pureboot.notify_board_nodes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('pureboot_changes', n.id::text)
	FROM pureboot.nodes n
	WHERE n.board = OLD.name;
	RETURN NULL;
END
$$;

CREATE TRIGGER boards_notify_update AFTER UPDATE ON pureboot.boards
	FOR EACH ROW WHEN (OLD.dtb IS DISTINCT FROM NEW.dtb
	                   OR OLD.console IS DISTINCT FROM NEW.console
	                   OR OLD.cmdline_extra IS DISTINCT FROM NEW.cmdline_extra)
	EXECUTE FUNCTION pureboot.notify_board_nodes();

-- For operators in psql: every U-Boot and UEFI node with what it boots
-- with, the DTB it gets (its own, else its board's) and where it came
-- from.
CREATE VIEW pureboot.board_nodes AS
SELECT n.id, n.mac, n.hostname, n.state, n.boot_mode, n.board,
       COALESCE(n.dtb, b.dtb) AS dtb,
       CASE WHEN n.dtb IS NOT NULL THEN 'node'
            WHEN b.dtb IS NOT NULL THEN 'board'
            ELSE 'firmware' END AS dtb_from,
       b.console, b.cmdline_extra, n.workflow_id, n.last_seen
FROM pureboot.nodes n
LEFT JOIN pureboot.boards b ON b.name = n.board
WHERE n.boot_mode IN ('uboot', 'uefi');
