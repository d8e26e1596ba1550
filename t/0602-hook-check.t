#!/bin/sh
test_description='pureboot-tftp-hook check: the linter finds what would fail at boot'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-hook.sh"

db_start
root=$TRASH/tftp
check() { "$HOOK" -d "$PB_DB_HOOK" -r "$root" check; }

test_expect_success 'setup: a netbooting pi4, a fenced pi5, a pi3+, synced' '
	hook_root "$root" &&
	node_add d83add36 dc:a6:32:01:02:03 pi4 pending >/dev/null &&
	node_add 0000abcd d8:3a:dd:00:00:01 pi5 installed >/dev/null &&
	node_add 3b3b3b3b b8:27:eb:00:00:01 pi3+ installing >/dev/null &&
	hook_sync "$root"
'

test_expect_success 'a synced tree has no problems' '
	check >out && echo "check: 0 problems" >expect && test_cmp expect out
'

test_expect_success 'a missing deploy kernel: dangling links and nodes that would not boot' '
	mv "$root/deploy-arm64/kernel8.img" kernel &&
	! check >out &&
	grep -qx "tree: \"d83add36/kernel8.img\" is a dangling link" out &&
	grep -qx "node d83add36 (pi4, pending): d83add36/kernel8.img would not be served" out &&
	grep -qx "discovery root (pi5): kernel_2712.img would not be served" out &&
	mv kernel "$root/deploy-arm64/kernel8.img" && check
'

test_expect_success 'a fenced node given a bootable start4.elf is reported' '
	rm "$root/0000abcd/start4.elf" &&
	ln -s ../rpi-firmware/start4.elf "$root/0000abcd/start4.elf" &&
	! check >out &&
	grep -qx "node 0000abcd (pi5, installed): must boot locally, but a pi5 would be served a bootable file" out &&
	hook_sync "$root" && check
'

test_expect_success 'a link leaving the root, an unreadable file, a bad DTB, a missing MAC fence' '
	ln -sf /etc/passwd "$root/d83add36/cmdline.txt" &&
	chmod 0600 "$root/rpi-firmware/fixup.dat" &&
	cp "$root/rpi-firmware/bcm2711-rpi-4-b.dtb" dtb && echo garbage >"$root/rpi-firmware/bcm2711-rpi-4-b.dtb" &&
	rmdir "$root/d8-3a-dd-00-00-01" &&
	! check >out &&
	grep -qx "tree: \"d83add36/cmdline.txt\": link \"/etc/passwd\" is absolute: dnsmasq would serve it from outside the root" out &&
	grep -qx "node 3b3b3b3b (pi3+, installing): \"3b3b3b3b/fixup.dat\" is not world-readable: TFTP servers refuse it" out &&
	grep -qx "discovery root (pi4): device tree \"bcm2711-rpi-4-b.dtb\" is not a flattened device tree" out &&
	grep -qx "node 0000abcd (pi5, installed): no MAC fence directory d8-3a-dd-00-00-01/" out &&
	chmod 0644 "$root/rpi-firmware/fixup.dat" && cp dtb "$root/rpi-firmware/bcm2711-rpi-4-b.dtb" &&
	hook_sync "$root" && check
'

test_expect_success 'a model whose DTB the firmware lacks is reported, not hidden' '
	node_add 0c0c0c0c d8:3a:dd:00:00:0c cm5 pending >/dev/null &&
	hook_sync "$root" && ! check >out &&
	grep -qx "node 0c0c0c0c (cm5, pending): 0c0c0c0c/bcm2712-rpi-cm5-cm5io.dtb would not be served" out &&
	grep -qx "device_tree=bcm2712-rpi-cm5-cm5io.dtb" "$root/0c0c0c0c/config.txt" &&
	! test -e "$root/0c0c0c0c/bcm2712-rpi-cm5-cm5io.dtb"
'

test_done
