#!/bin/sh
test_description='end to end under QEMU with Debian u-boot-qemu: an unknown board netboots the discovery default from real dnsmasq, its agent registers by MAC at boot/arm64, the operator assigns a workflow over HTTP, the agent installs the image to a virtio disk and reports installed; re-rendered for installed, the second boot gets LOCALBOOT and loads no kernel'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/deploy-lib.sh"
. "$PB_TOP/t/lib-api.sh"

UBOOT=/usr/lib/u-boot/qemu_arm64/u-boot.bin
[ "$(id -u)" = 0 ] || test_skip_all "network namespaces and tap devices need root"
[ -r "$UBOOT" ] || test_skip_all "no $UBOOT: run make deps (u-boot-qemu)"
command -v mkimage >/dev/null || test_skip_all "no mkimage: run make deps (u-boot-tools)"
[ -s "$DEPLOY_DIR/initramfs.img" ] || test_skip_all "no $DEPLOY_DIR/initramfs.img: run make (make initramfs)"

api_start
www_start || { echo "Bail out! nginx for the images did not start"; exit 1; }
. "$PB_TOP/t/lib-boards.sh"
. "$PB_TOP/t/lib-board-e2e.sh"

# Until the hook renders board files (issue 12, the hook's part), the
# tree is rendered as t/0980 renders it, by the same renderers.
render() { "$NETBOOT" "$root" "$1" "$2" "$API_IN" on; }

test_expect_success 'setup: image, workflow, tree (raw Image, initramfs, boot script, discovery default), dnsmasq, forwarders' '
	board_e2e_setup &&
	boards_tree &&
	mkimage -A arm64 -O linux -T script -C none -d "$PB_TOP/conf/u-boot/boot.cmd" \
		"$root/boot.scr.uimg" >/dev/null &&
	render "$OTHER" installed &&
	grep -q "pureboot.mode=discovery" "$root/pxelinux.cfg/default" &&
	test ! -e "$root/pxelinux.cfg/01-52-54-00-12-34-56" &&
	boards_net_up &&
	board_e2e_fwd &&
	ip netns exec "$NS" busybox wget -q -O - "$API_IN/api/v1/health" >health &&
	grep -q ok health
'

test_expect_success 'an unknown board: U-Boot boots the discovery default, the agent registers by MAC' '
	board_disk_start one "$MAC" "$UBOOT" disable-legacy=on &&
	qemu_wait one "Retrieving file: pxelinux.cfg/default" 240 &&
	took one "the discovery default" &&
	qemu_wait one "Starting kernel" 240 &&
	took one "Starting kernel" &&
	qemu_wait one "node: board by mac $MAC (uboot)" 240 &&
	took one "the agent names itself by MAC" &&
	qemu_wait one "state discovered, action wait" 120 &&
	took one "registered at boot/arm64" &&
	test "$(mac_state $MAC)" = discovered &&
	db_psql -c "SELECT boot_mode, serial IS NULL, host(known_addr), payload->>'"'"'via'"'"', payload->>'"'"'model'"'"' FROM pureboot.nodes n JOIN pureboot.node_events e ON e.node_id = n.id AND e.type = '"'"'registered'"'"' WHERE n.mac = '"'"'$MAC'"'"'" >actual &&
	echo "uboot|t|127.0.0.1|boot/arm64|linux,dummy-virt" >expect &&
	test_cmp expect actual
'

test_expect_success 'assigned over HTTP: the agent installs the image, reports installed and reboots' '
	assign_mac "$MAC" e2e-image &&
	qemu_wait one "action install" 120 &&
	took one "install answer" &&
	qemu_exit one 300 "install failed" &&
	took one "installed and rebooted" &&
	grep -q "pureboot: install: instructions fetched: install workflow e2e-image, attempt 1" "$TRASH/one.console" &&
	grep -q "pureboot: installed: $WWW_IN/disk.img.xz on /dev/vda" "$TRASH/one.console" ||
	{ cat "$TRASH/one.console"; false; }
'

test_expect_success 'the node is installed with the events of the install; the disk holds the image' '
	test "$(mac_state $MAC)" = installed &&
	op GET "/api/v1/nodes/$(mac_node $MAC)/events" >out &&
	jget out ".events[].type" | grep -v install_progress | sort -u >types &&
	printf "%s\n" install_complete install_started registered >expect &&
	test_cmp expect types &&
	board_disk_check
'

test_expect_success 'second boot, re-rendered for installed: the per-MAC file has only LOCALBOOT, U-Boot loads no kernel' '
	render "$MAC" installed &&
	! grep -q KERNEL "$root/pxelinux.cfg/01-52-54-00-12-34-56" &&
	: >"$TRASH/dnsmasq.log" &&
	board_disk_start two "$MAC" "$UBOOT" disable-legacy=on &&
	qemu_wait two "Retrieving file: pxelinux.cfg/01-52-54-00-12-34-56" 240 &&
	took two "its pxelinux.cfg/01-<mac>" &&
	qemu_wait two "PureBoot-Pi: nothing to netboot" 120 &&
	took two "back from pxe boot" &&
	qemu_wait two "=> " 120 &&
	board_stop two &&
	! grep -E "deploy-arm64|Starting kernel|Linux version|booti" "$TRASH/two.console" &&
	! grep "deploy-arm64" "$TRASH/dnsmasq.log" &&
	test "$(mac_state $MAC)" = installed
'

boards_diag
test_done
