#!/bin/sh
test_description='pureboot-tftp-hook and U-Boot/UEFI boards: pxelinux.cfg and grub.cfg files per node and state from real PostgreSQL, the root files, NOTIFY, kill -9, check'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-hook.sh"

db_start
root=$TRASH/tftp
check() { "$HOOK" -d "$PB_DB_HOOK" -r "$root" check; }
test_atexit 'kill "$(cat "$TRASH/watch.pid" 2>/dev/null)" 2>/dev/null'
UB=52:54:00:06:05:01
EF=52:54:00:06:05:02
RK=52:54:00:06:05:03

# bootable FILE: it names a kernel (pxelinux KERNEL, grub linux).
bootable() { grep -qE "^	KERNEL |^linux " "$1"; }


test_expect_success 'setup: a U-Boot node, a UEFI node, a ROCK Pi 4B with its Debian DTB, synced' '
	hook_root "$root" &&
	hook_dtb "$root" rockchip/rk3399-rock-pi-4b.dtb &&
	board_readd ub $UB uboot qemu-arm64 pending &&
	board_readd ef $EF uefi qemu-arm64-uefi pending &&
	board_add $RK uboot rock-pi-4b installing >rk.id &&
	hook_sync "$root" 2>log
'

test_expect_success 'a pending U-Boot node: both files boot the deploy kernel with the checked command line' '
	printf "%s\n" "# PureBoot-Pi: node $UB (qemu-arm64)" \
		"# Written by pureboot-tftp-hook from the database; changes here are overwritten." \
		"DEFAULT pureboot" "PROMPT 0" "LABEL pureboot" \
		"	KERNEL deploy-arm64/Image" "	INITRD deploy-arm64/initramfs.img" \
		"	APPEND console=ttyAMA0 pureboot.server=http://127.0.0.1:8080 pureboot.mode=install pureboot.state=pending pureboot.node_id=$(cat ub.id) pureboot.mac=$UB" \
		>expect &&
	test_cmp expect "$root/$(board_pxe $UB)" &&
	cat >expect <<-EOF &&
	# PureBoot-Pi: node $UB (qemu-arm64)
	# Written by pureboot-tftp-hook from the database; changes here are overwritten.
	set timeout=0
	set pb_node=1
	linux /deploy-arm64/Image console=ttyAMA0 pureboot.server=http://127.0.0.1:8080 pureboot.mode=install pureboot.state=pending pureboot.node_id=$(cat ub.id) pureboot.mac=$UB
	initrd /deploy-arm64/initramfs.img
	boot
	EOF
	test_cmp expect "$root/$(board_grub $UB)" &&
	test "$(stat -c %a "$root/$(board_pxe $UB)" "$root/pxelinux.cfg" "$root/grub")" = "$(printf "644\n755\n755")" &&
	! test -e "$root/52-54-00-06-05-01"
'

test_expect_success 'the ROCK Pi 4B: its console, its extra words and FDT/devicetree of its DTB' '
	grep -qx "	FDT dtbs/rockchip/rk3399-rock-pi-4b.dtb" "$root/$(board_pxe $RK)" &&
	grep -qx "devicetree /dtbs/rockchip/rk3399-rock-pi-4b.dtb" "$root/$(board_grub $RK)" &&
	grep -q "^	APPEND console=ttyS2,1500000 earlycon=uart8250,mmio32,0xff1a0000 pureboot.server=" "$root/$(board_pxe $RK)"
'

test_expect_success 'a per-node DTB override wins over the board'"'"'s' '
	mkdir -p "$root/dtbs/site" && cp "$root/dtbs/rockchip/rk3399-rock-pi-4b.dtb" "$root/dtbs/site/mine.dtb" &&
	db_psql -c "UPDATE pureboot.nodes SET dtb = \$\$site/mine.dtb\$\$ WHERE id = \$\$$(cat rk.id)\$\$" &&
	hook_sync "$root" &&
	grep -qx "	FDT dtbs/site/mine.dtb" "$root/$(board_pxe $RK)" &&
	db_psql -c "UPDATE pureboot.nodes SET dtb = NULL WHERE id = \$\$$(cat rk.id)\$\$" &&
	hook_sync "$root" &&
	grep -qx "	FDT dtbs/rockchip/rk3399-rock-pi-4b.dtb" "$root/$(board_pxe $RK)"
'

test_expect_success 'the root files: discovery boot in pxelinux.cfg/default and grub/grub.cfg, boot.scr.uimg as mkimage makes it' '
	grep -q "^	APPEND console=ttyAMA0 pureboot.server=http://127.0.0.1:8080 pureboot.mode=discovery\$" "$root/pxelinux.cfg/default" &&
	bootable "$root/pxelinux.cfg/default" &&
	grep -q "source \"\$prefix/grub.cfg-01-" "$root/grub/grub.cfg" &&
	grep -q "^linux /deploy-arm64/Image console=ttyAMA0 pureboot.server=http://127.0.0.1:8080 pureboot.mode=discovery\$" "$root/grub/grub.cfg" &&
	SOURCE_DATE_EPOCH=0 mkimage -A arm64 -O linux -T script -C none -n "PureBoot-Pi boot script" \
		-d "$PB_TOP/conf/u-boot/boot.cmd" expect.uimg >/dev/null &&
	cmp expect.uimg "$root/boot.scr.uimg" &&
	dumpimage -l "$root/boot.scr.uimg" | grep -q "AArch64 Linux Script (uncompressed)" &&
	grep -qx "+pxelinux.cfg/default" "$root/.pureboot-manifest" &&
	grep -qx "+$(board_pxe $UB)" "$root/.pureboot-manifest"
'

test_expect_success 'discovery off: the root files name no kernel; on again: they do' '
	db_psql -c "UPDATE pureboot.settings SET value = \$\$off\$\$ WHERE key = \$\$discovery\$\$" &&
	hook_sync "$root" &&
	! bootable "$root/pxelinux.cfg/default" && grep -qx "	LOCALBOOT 0" "$root/pxelinux.cfg/default" &&
	! bootable "$root/grub/grub.cfg" && grep -qx "exit" "$root/grub/grub.cfg" &&
	check >out && tail -n 1 out | grep -qx "check: 0 problems" &&
	db_psql -c "UPDATE pureboot.settings SET value = \$\$on\$\$ WHERE key = \$\$discovery\$\$" &&
	hook_sync "$root" && bootable "$root/pxelinux.cfg/default"
'

test_expect_success 'every state, both firmware kinds: bootable exactly when the node netboots, the MAC dir exactly when it must boot locally' '
	for s in $ALL_STATES; do
		board_readd ub $UB uboot qemu-arm64 "$s" &&
		board_readd ef $EF uefi qemu-arm64-uefi "$s" || return 1
		hook_sync "$root" 2>log || { cat log; return 1; }
		for mac in $UB $EF; do
			for f in "$(board_pxe $mac)" "$(board_grub $mac)"; do
				grep -q "^# PureBoot-Pi: node $mac " "$root/$f" || { echo "$s: $f"; return 1; }
				if state_fenced "$s"; then
					! bootable "$root/$f" || { echo "$s: $f bootable"; return 1; }
				else
					bootable "$root/$f" && grep -q "pureboot.state=$s " "$root/$f" ||
						{ echo "$s: $f not bootable"; return 1; }
				fi
			done
			d=$root/$(echo $mac | tr : -)
			if state_fenced "$s"; then
				test -d "$d" && test -z "$(ls -A "$d")" || { echo "$s: no MAC dir"; return 1; }
			else
				! test -e "$d" || { echo "$s: MAC dir"; return 1; }
			fi
		done
		check >out || { echo "$s:"; cat out; return 1; }
	done
'

test_expect_success 'watch: a psql transition changes the files, a DELETE removes them' '
	board_readd ub $UB uboot qemu-arm64 pending &&
	"$HOOK" -n -d "$PB_DB_HOOK" -r "$root" -i 3600 watch 2>"$TRASH/watch.log" &
	echo $! >"$TRASH/watch.pid" &&
	until_ok has "$TRASH/watch.log" "reconcile: " &&
	until_ok has "$root/$(board_pxe $UB)" "pureboot.state=pending " &&
	for s in installing installed; do
		db_psql -c "SELECT 1 FROM pureboot.transition(\$\$$(cat ub.id)\$\$, \$\$$s\$\$, \$\$t\$\$)" >/dev/null || return 1
	done &&
	until_ok has "$root/$(board_pxe $UB)" "LOCALBOOT 0" &&
	until_ok has "$root/$(board_grub $UB)" "^exit" &&
	until_ok test -d "$root/52-54-00-06-05-01" &&
	db_psql -c "UPDATE pureboot.nodes SET board = NULL WHERE id = \$\$$(cat ub.id)\$\$" &&
	until_ok has "$root/$(board_pxe $UB)" "(no board)" &&
	db_psql -c "DELETE FROM pureboot.nodes WHERE id = \$\$$(cat ub.id)\$\$" &&
	until_ok test ! -e "$root/$(board_pxe $UB)" &&
	until_ok test ! -e "$root/$(board_grub $UB)" &&
	until_ok test ! -e "$root/52-54-00-06-05-01" &&
	grep -x "[+-]$(board_pxe $UB)" "$root/.pureboot-manifest" | tail -n 1 | grep -q "^-" &&
	kill "$(cat "$TRASH/watch.pid")" && rm "$TRASH/watch.pid"
'

test_expect_success 'check: a missing kernel, a missing DTB and a broken DTB are reported' '
	{ ! test -s "$TRASH/watch.pid" || { kill "$(cat "$TRASH/watch.pid")"; rm "$TRASH/watch.pid"; false; }; } &&
	check >out && tail -n 1 out | grep -qx "check: 0 problems" &&
	mv "$root/deploy-arm64/Image" Image &&
	! check >out &&
	grep -qx "tree: $(board_pxe $RK) names \"deploy-arm64/Image\", which would not be served" out &&
	grep -qx "tree: pxelinux.cfg/default names \"deploy-arm64/Image\", which would not be served" out &&
	grep -qx "tree: grub/grub.cfg names \"deploy-arm64/Image\", which would not be served" out &&
	mv Image "$root/deploy-arm64/Image" &&
	mv "$root/dtbs/rockchip/rk3399-rock-pi-4b.dtb" dtb &&
	! check >out &&
	grep -qx "tree: $(board_grub $RK) names \"dtbs/rockchip/rk3399-rock-pi-4b.dtb\", which would not be served" out &&
	head -c 1000 dtb >"$root/dtbs/rockchip/rk3399-rock-pi-4b.dtb" &&
	! check >out &&
	grep -q "^tree: $(board_pxe $RK) names device tree \"dtbs/rockchip/rk3399-rock-pi-4b.dtb\": fdt: total size [0-9]* is not the file" out &&
	mv dtb "$root/dtbs/rockchip/rk3399-rock-pi-4b.dtb" && check >/dev/null
'

test_expect_success 'check: a fenced board given a bootable file, a lost MAC dir, an IP-named file before default' '
	board_readd ef $EF uefi qemu-arm64-uefi installed && hook_sync "$root" && check >/dev/null &&
	cp "$root/$(board_grub $RK)" "$root/$(board_grub $EF)" &&
	rmdir "$root/52-54-00-06-05-02" &&
	echo "KERNEL x" >"$root/pxelinux.cfg/0A4D00" &&
	! check >out &&
	grep -qx "node $EF (qemu-arm64-uefi, installed): must boot locally, but $(board_grub $EF) names a kernel" out &&
	grep -qx "node $EF (qemu-arm64-uefi, installed): no MAC fence directory 52-54-00-06-05-02/" out &&
	grep -q "^boards'"'"' root: pxelinux.cfg/0A4D00 comes before the root file in the lookup order" out &&
	rm "$root/pxelinux.cfg/0A4D00" && hook_sync "$root" && check >/dev/null
'

# Many board nodes so that a reconcile takes a while; each file is
# complete and names the hostname of this round or the one before.
N=2000
test_expect_success "kill -9 during a reconcile of $N board nodes: every file whole, the next one converges" '
	db_psql -c "INSERT INTO pureboot.nodes (mac, arch, boot_mode, board, hostname, state)
		SELECT (\$\$52:54:01:\$\$ || lpad(to_hex(i / 65536), 2, \$\$0\$\$) || \$\$:\$\$ ||
			lpad(to_hex((i / 256) % 256), 2, \$\$0\$\$) || \$\$:\$\$ || lpad(to_hex(i % 256), 2, \$\$0\$\$))::macaddr,
			\$\$aarch64\$\$, \$\$uboot\$\$, \$\$qemu-arm64\$\$, \$\$r0\$\$, \$\$discovered\$\$
		FROM generate_series(1, $N) i" &&
	db_psql -c "SELECT count(pureboot.transition(id, \$\$pending\$\$, \$\$t\$\$)) FROM pureboot.nodes WHERE hostname = \$\$r0\$\$" >/dev/null &&
	hook_sync "$root" &&
	test "$(ls "$root/pxelinux.cfg" | grep -c "^01-52-54-01-")" = $N &&
	db_psql -c "UPDATE pureboot.nodes SET hostname = \$\$r1\$\$ WHERE hostname = \$\$r0\$\$" &&
	"$HOOK" -n -d "$PB_DB_HOOK" -r "$root" sync 2>log &
	pid=$! &&
	wait_for "the first file of round 1" 60 has "$root/pxelinux.cfg/01-52-54-01-00-00-01" "pureboot.hostname=r1\$" &&
	sleep 0.0$(($(od -An -N1 -tu1 /dev/urandom) % 10)) &&
	kill -9 $pid && ! wait $pid &&
	(cd "$root/pxelinux.cfg" && grep -LE "^	APPEND .* pureboot.hostname=r[01]\$" -- 01-52-54-01-*) >bad &&
	(cd "$root/grub" && grep -Lx "boot" -- grub.cfg-01-52-54-01-*) >>bad &&
	test "$(ls "$root/pxelinux.cfg" | grep -c "^01-52-54-01-")" = $N &&
	{ ! test -s bad || { head bad; false; }; } &&
	(cd "$root/pxelinux.cfg" && grep -l "hostname=r0\$" -- 01-52-54-01-* | wc -l) >old &&
	echo "# killed with $(cat old) of $N files still at round 0" &&
	hook_sync "$root" &&
	! (cd "$root/pxelinux.cfg" && grep -l "hostname=r0\$" -- 01-52-54-01-*) &&
	! ls -A "$root" "$root/pxelinux.cfg" "$root/grub" | grep "\.tmp\." &&
	check >out && tail -n 1 out | grep -qx "check: 0 problems"
'

test_expect_success 'a foreign pxelinux.cfg/default (an x86 PXE set-up) is left alone, and check says so' '
	rm "$root/pxelinux.cfg/default" && sed -i "/^+pxelinux.cfg\/default\$/d" "$root/.pureboot-manifest" &&
	echo "DEFAULT x86" >"$root/pxelinux.cfg/default" &&
	hook_sync "$root" 2>log &&
	test "$(cat "$root/pxelinux.cfg/default")" = "DEFAULT x86" &&
	! check >out &&
	grep -qx "boards'"'"' root: pxelinux.cfg/default is not the hook'"'"'s: boards not in the database get that file" out
'

test_done
