#!/bin/sh
test_description='pureboot-tftp-hook sync: the tree from the database, atomic, with a manifest'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-hook.sh"

db_start
root=$TRASH/tftp

test_expect_success 'the hook scripts are shellcheck-clean' '
	cd "$PB_TOP" && shellcheck -x scripts/firmware t/lib-hook.sh t/bench/hook-bench.sh
'

test_expect_success 'setup: firmware, one pi4 node, a foreign x86 PXE set-up' '
	hook_root "$root" &&
	mkdir "$root/pxelinux.cfg" && echo "DEFAULT local" >"$root/pxelinux.cfg/default" &&
	echo x86 >"$root/ipxe.efi" &&
	node_add d83add36 dc:a6:32:01:02:03 pi4 pending >id &&
	hook_sync "$root"
'

test_expect_success 'a pending pi4 gets links into the firmware and deploy-arm64, config.txt and cmdline.txt' '
	(cd "$root/d83add36" && for f in *; do
		if [ -L "$f" ]; then echo "$f -> $(readlink "$f")"; else echo "$f $(stat -c %a "$f")"; fi
	done) >actual &&
	cat >expect <<-\EOF &&
	bcm2711-rpi-4-b.dtb -> ../rpi-firmware/bcm2711-rpi-4-b.dtb
	cmdline.txt 644
	config.txt 644
	fixup4.dat -> ../rpi-firmware/fixup4.dat
	initramfs.img -> ../deploy-arm64/initramfs.img
	kernel8.img -> ../deploy-arm64/kernel8.img
	overlays -> ../rpi-firmware/overlays
	start4.elf -> ../rpi-firmware/start4.elf
	EOF
	test_cmp expect actual &&
	cat >expect <<-\EOF &&
	# PureBoot-Pi: node d83add36 (pi4)
	# Written by pureboot-tftp-hook from the database; changes here are overwritten.
	arm_64bit=1
	initramfs initramfs.img followkernel
	enable_uart=1
	[pi4]
	kernel=kernel8.img
	device_tree=bcm2711-rpi-4-b.dtb
	[all]
	EOF
	test_cmp expect "$root/d83add36/config.txt" &&
	echo "console=serial0,115200 console=tty1 pureboot.server=http://127.0.0.1:8080 pureboot.mode=install pureboot.state=pending pureboot.serial=d83add36 pureboot.node_id=$(cat id) pureboot.mac=dc:a6:32:01:02:03" >expect &&
	test_cmp expect "$root/d83add36/cmdline.txt" &&
	test "$(stat -c %a "$root/d83add36")" = 755
'

test_expect_success 'a second sync changes nothing (same inode, same mtime)' '
	stat -c "%i %Y" "$root/d83add36" "$root/d83add36/config.txt" >before &&
	sleep 1 && hook_sync "$root" 2>log &&
	stat -c "%i %Y" "$root/d83add36" "$root/d83add36/config.txt" >after &&
	test_cmp before after &&
	grep -q " 0 written" log
'

test_expect_success 'the manifest is private and lists only what the hook made' '
	test "$(stat -c %a "$root/.pureboot-manifest")" = 600 &&
	! grep -e pxelinux -e ipxe -e rpi-firmware -e deploy "$root/.pureboot-manifest" &&
	grep -qx "+d83add36" "$root/.pureboot-manifest"
'

test_expect_success 'installed: the serial dir holds only zero-length start files, plus a MAC fence dir' '
	db_psql -c "SELECT 1 FROM pureboot.transition(\$\$$(cat id)\$\$, \$\$installing\$\$, \$\$t\$\$);
	            SELECT 1 FROM pureboot.transition(\$\$$(cat id)\$\$, \$\$installed\$\$, \$\$t\$\$)" >/dev/null &&
	hook_sync "$root" &&
	(cd "$root/d83add36" && stat -c "%n %s %F" *) >actual &&
	printf "%s\n" "start.elf 0 regular empty file" "start4.elf 0 regular empty file" >expect &&
	test_cmp expect actual &&
	test -d "$root/dc-a6-32-01-02-03" && ! ls -A "$root/dc-a6-32-01-02-03" | grep .
'

test_expect_success 'reprovision and back to pending: the fence dir goes, the boot files come back' '
	for s in active reprovision pending; do
		db_psql -c "SELECT 1 FROM pureboot.transition(\$\$$(cat id)\$\$, \$\$$s\$\$, \$\$t\$\$)" >/dev/null || return 1
	done &&
	hook_sync "$root" &&
	! test -e "$root/dc-a6-32-01-02-03" &&
	test -L "$root/d83add36/start4.elf" &&
	grep -q "pureboot.state=pending" "$root/d83add36/cmdline.txt"
'

test_expect_success 'discovery off: the root files go, foreign files stay' '
	test -L "$root/start4.elf" && test -f "$root/config.txt" &&
	db_psql -c "UPDATE pureboot.settings SET value = \$\$off\$\$ WHERE key = \$\$discovery\$\$" &&
	hook_sync "$root" &&
	! test -e "$root/start4.elf" && ! test -e "$root/config.txt" &&
	! test -e "$root/bootcode.bin" &&
	test -f "$root/pxelinux.cfg/default" && test -f "$root/ipxe.efi" &&
	db_psql -c "UPDATE pureboot.settings SET value = \$\$on\$\$ WHERE key = \$\$discovery\$\$" &&
	hook_sync "$root" && test -L "$root/start4.elf"
'

test_expect_success 'discovery off keeps bootcode.bin while a Pi 3 netboots (its ROM asks the root)' '
	node_add 3b3b3b3b b8:27:eb:00:00:01 pi3+ pending >id3 &&
	db_psql -c "UPDATE pureboot.settings SET value = \$\$off\$\$ WHERE key = \$\$discovery\$\$" &&
	hook_sync "$root" &&
	test "$(readlink "$root/bootcode.bin")" = rpi-firmware/bootcode.bin &&
	! test -e "$root/start.elf" &&
	db_psql -c "DELETE FROM pureboot.nodes WHERE serial = \$\$3b3b3b3b\$\$" &&
	hook_sync "$root" && ! test -e "$root/bootcode.bin" && ! test -e "$root/3b3b3b3b" &&
	db_psql -c "UPDATE pureboot.settings SET value = \$\$on\$\$ WHERE key = \$\$discovery\$\$"
'

test_expect_success 'a name the hook would make but did not is left alone, and said so' '
	mkdir "$root/0badc0de" && echo mine >"$root/0badc0de/keep" &&
	node_add 0badc0de dc:a6:32:0b:ad:00 pi4 pending >/dev/null &&
	! hook_sync "$root" 2>log &&
	grep -q "\"0badc0de\" exists and is not in the manifest: left alone" log &&
	echo mine >expect && test_cmp expect "$root/0badc0de/keep" &&
	db_psql -c "DELETE FROM pureboot.nodes WHERE serial = \$\$0badc0de\$\$" &&
	hook_sync "$root" && test_cmp expect "$root/0badc0de/keep"
'

test_expect_success 'a deleted node: its directories are removed' '
	db_psql -c "DELETE FROM pureboot.nodes WHERE id = \$\$$(cat id)\$\$" &&
	hook_sync "$root" && ! test -e "$root/d83add36" &&
	! grep -qx "+d83add36" "$root/.pureboot-manifest"
'

test_expect_success 'leftover temporaries of a killed run are removed at start, others kept' '
	mkdir "$root/.d83add36.tmp.Ab12Cd" "$root/.notours.tmp.Ab12Cd" &&
	hook_sync "$root" 2>log &&
	! test -e "$root/.d83add36.tmp.Ab12Cd" && test -d "$root/.notours.tmp.Ab12Cd"
'

test_expect_success 'a second hook on the same tree is refused' '
	flock -n "$root" sh -c "! \"\$1\" -n -d \"\$2\" -r \"\$3\" sync 2>log" sh "$HOOK" "$PB_DB_HOOK" "$root" &&
	grep -q "tftp root \"$root\" is locked: another pureboot-tftp-hook writes this tree" log
'

test_expect_success 'firmware import from a Raspberry Pi OS boot partition: both DTB namings, a CM5 boots' '
	fw="$root/rpi-firmware" && boot=$TRASH/boot && r2=$TRASH/tftp2 &&
	mkdir -p "$boot/overlays" "$r2/deploy-arm64" &&
	cp "$fw/bootcode.bin" "$fw/start.elf" "$fw/start4.elf" "$fw/fixup.dat" "$fw/fixup4.dat" \
		"$fw/bcm2711-rpi-4-b.dtb" "$boot/" &&
	cp -L "$fw/bcm2837-rpi-3-b-plus.dtb" "$boot/bcm2710-rpi-3-b-plus.dtb" &&
	cp -L "$fw/bcm2712-rpi-5-b.dtb" "$boot/bcm2712-rpi-cm5-cm5io.dtb" &&
	echo overlay >"$boot/overlays/disable-bt.dtbo" &&
	"$PB_TOP/scripts/firmware" import "$boot" "$r2" 2>log &&
	test "$(readlink "$r2/rpi-firmware/bcm2837-rpi-3-b-plus.dtb")" = bcm2710-rpi-3-b-plus.dtb &&
	test -f "$r2/rpi-firmware/overlays/disable-bt.dtbo" &&
	test "$(stat -c %a "$r2/rpi-firmware/start4.elf")" = 644 &&
	cp "$root/deploy-arm64/"* "$r2/deploy-arm64/" &&
	db_psql -c "DELETE FROM pureboot.nodes" &&
	node_add 0c0c0c0c d8:3a:dd:00:00:0c cm5 pending >/dev/null &&
	node_add 3b3b3b3b b8:27:eb:00:00:01 pi3+ pending >/dev/null &&
	hook_sync "$r2" &&
	test "$(readlink "$r2/0c0c0c0c/bcm2712-rpi-cm5-cm5io.dtb")" = ../rpi-firmware/bcm2712-rpi-cm5-cm5io.dtb &&
	grep -qx "device_tree=bcm2837-rpi-3-b-plus.dtb" "$r2/3b3b3b3b/config.txt" &&
	"$HOOK" -d "$PB_DB_HOOK" -r "$r2" check >out &&
	echo "check: 0 problems" >expect && test_cmp expect out &&
	! "$PB_TOP/scripts/firmware" import "$TRASH" "$r2" 2>err &&
	grep -q "not a Raspberry Pi boot partition" err
'

test_expect_success 'bad data that got past the constraints: skipped with a reason, nothing outside the root' '
	db_psql -c "ALTER TABLE pureboot.nodes DROP CONSTRAINT nodes_serial_check;
		ALTER TABLE pureboot.nodes DROP CONSTRAINT nodes_hostname_check;
		ALTER TABLE pureboot.nodes DROP CONSTRAINT nodes_pi_model_check" &&
	db_psql -c "INSERT INTO pureboot.nodes (serial, mac, arch, boot_mode, pi_model, hostname) VALUES
		(\$\$../../etc\$\$, NULL, \$\$aarch64\$\$, \$\$pi\$\$, \$\$pi4\$\$, NULL),
		(\$\$a1a1a1a1/..\$\$, NULL, \$\$aarch64\$\$, \$\$pi\$\$, \$\$pi4\$\$, NULL),
		(\$\$b2b2b2b2\$\$, NULL, \$\$aarch64\$\$, \$\$pi\$\$, \$\$pi4\$\$, \$\$x init=/bin/sh\$\$),
		(\$\$c3c3c3c3\$\$, NULL, \$\$aarch64\$\$, \$\$pi\$\$, \$\$pi6\$\$, NULL),
		(\$\$d4d4d4d4\$\$, NULL, \$\$aarch64\$\$, \$\$pi\$\$, NULL, NULL)" &&
	db_psql -c "INSERT INTO pureboot.workflows (id, name, arch, definition) VALUES
		(\$\$evil\$\$, \$\$e\$\$, \$\$aarch64\$\$, \$\${\"install_method\": \"nfs\", \"nfs_server\": \"1.2.3.4 init=/bin/sh\", \"nfs_base_path\": \"/x\", \"nfs_image\": \"i\"}\$\$);
		INSERT INTO pureboot.nodes (serial, arch, boot_mode, pi_model, workflow_id) VALUES
		(\$\$e5e5e5e5\$\$, \$\$aarch64\$\$, \$\$pi\$\$, \$\$pi4\$\$, \$\$evil\$\$)" &&
	id5=$(db_psql -c "SELECT id FROM pureboot.nodes WHERE serial = \$\$e5e5e5e5\$\$") &&
	for s in pending installing installed; do
		db_psql -c "SELECT 1 FROM pureboot.transition(\$\$$id5\$\$, \$\$$s\$\$, \$\$t\$\$)" >/dev/null || return 1
	done &&
	# Nothing outside the TFTP root is written: the case itself writes
	# only log and written (and the harness .out), the stack its own dir.
	touch "$TRASH/.mark" &&
	! hook_sync "$root" 2>log &&
	find "$TRASH" -mindepth 1 -maxdepth 2 \( -path "$root" -o -path "$TRASH/stack" \) -prune -o \
		-newer "$TRASH/.mark" ! -name log ! -name written ! -name .out -print >written &&
	test_cmp /dev/null written &&
	grep -q "serial \"../../etc\" is not 8 lower-case hex digits: skipped" log &&
	grep -q "serial \"a1a1a1a1/..\" is not 8 lower-case hex digits: skipped" log &&
	grep -q "hostname \"x init=/bin/sh\" is not an RFC 1123 label: skipped" log &&
	grep -q "pi_model \"pi6\" is not a model in the table: skipped" log &&
	grep -q "pi_model \"NULL\" is not a model in the table: skipped" log &&
	grep -q "nfs_server.*1.2.3.4 init=/bin/sh.*: skipped" log &&
	grep -q "sync: 6 nodes skipped for bad data" log &&
	! test -e "$root/b2b2b2b2" && ! test -e "$root/c3c3c3c3" && ! test -e "$root/e5e5e5e5" &&
	! test -e "$root/../etc" && ! test -e "$TRASH/etc" &&
	! grep -rl "init=/bin/sh" "$root"/*/cmdline.txt "$root"/cmdline.txt
'

test_done
