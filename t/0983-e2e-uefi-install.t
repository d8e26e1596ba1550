#!/bin/sh
test_description='end to end under QEMU with Debian QEMU_EFI.fd and GRUB netboot: an operator makes a UEFI board node by MAC over HTTP, GRUB boots the deploy kernel from real dnsmasq, the agent asks at boot/arm64 by MAC, installs the image to a virtio disk and reports installed; re-rendered for installed, the second boot exits to the firmware and loads no kernel'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/deploy-lib.sh"
. "$PB_TOP/t/lib-api.sh"

EFI=/usr/share/qemu-efi-aarch64/QEMU_EFI.fd
GRUBNET=/usr/lib/grub/arm64-efi-signed/grubnetaa64.efi.signed
[ "$(id -u)" = 0 ] || test_skip_all "network namespaces and tap devices need root"
[ -r "$EFI" ] || test_skip_all "no $EFI: run make deps (qemu-efi-aarch64)"
[ -r "$GRUBNET" ] || test_skip_all "no $GRUBNET: run make deps (grub-efi-arm64-signed)"
[ -s "$DEPLOY_DIR/initramfs.img" ] || test_skip_all "no $DEPLOY_DIR/initramfs.img: run make (make initramfs)"

api_start
www_start || { echo "Bail out! nginx for the images did not start"; exit 1; }
. "$PB_TOP/t/lib-boards.sh"
. "$PB_TOP/t/lib-board-e2e.sh"

# Until the hook renders board files (issue 12, the hook's part), the
# tree is rendered as t/0981 renders it, by the same renderers.
render() { "$NETBOOT" "$root" "$1" "$2" "$API_IN" on; }

# The grub.cfg files GRUB asked for, in order, as dnsmasq's log says.
asked() {
	sed -n "s#^.*dnsmasq-tftp\[[0-9]*\]: \(sent\|file\) $root//*\(grub/grub\.cfg[^ ]*\).*#\2#p" \
		"$TRASH/dnsmasq.log"
}

test_expect_success 'setup: image, workflow, the node made over HTTP by MAC and pending, tree (raw Image, initramfs, GRUB, its grub/), dnsmasq, forwarders' '
	board_e2e_setup &&
	echo "{\"mac\":\"$MAC\",\"arch\":\"aarch64\",\"boot_mode\":\"uefi\",\"board\":\"qemu-arm64-uefi\",\"workflow_id\":\"e2e-image\"}" >n.json &&
	op_body POST /api/v1/nodes n.json >out &&
	test "$(cut -d" " -f1 out)" = 201 &&
	echo "{\"to\":\"pending\",\"comment\":\"e2e\"}" >t.json &&
	op_body POST "/api/v1/nodes/$(jget out .id)/transition" t.json >out &&
	test "$(jget out .state)" = pending &&
	boards_tree &&
	cp "$GRUBNET" "$root/grubnetaa64.efi.signed" &&
	render "$MAC" pending &&
	grep -q "^linux /deploy-arm64/Image " "$root/grub/grub.cfg-01-52-54-00-12-34-56" &&
	boards_net_up --dhcp-boot=tag:efi-arm64,grubnetaa64.efi.signed &&
	board_e2e_fwd
'

test_expect_success 'GRUB boots the deploy kernel; the agent asks by MAC as a UEFI board, installs, reports installed and reboots' '
	board_disk_start one "$MAC" "$EFI" &&
	wait_for "dnsmasq to send GRUB" 240 dnsmasq_has "sent $root/grubnetaa64.efi.signed" &&
	took one "GRUB sent" &&
	wait_for "dnsmasq to send the per-MAC grub.cfg" 240 \
		dnsmasq_has "grub.cfg-01-52-54-00-12-34-56 to 10.77.0." &&
	took one "its grub.cfg-01-<mac>" &&
	qemu_wait one "init: PureBoot-Pi deploy environment" 300 &&
	took one "/init" &&
	qemu_wait one "node: board by mac $MAC (uefi)" 240 &&
	took one "the agent names itself by MAC" &&
	qemu_wait one "action install" 120 &&
	took one "install answer" &&
	qemu_exit one 300 "install failed" &&
	took one "installed and rebooted" &&
	grep -q "pureboot: installed: $WWW_IN/disk.img.xz on /dev/vda" "$TRASH/one.console" ||
	{ cat "$TRASH/one.console"; false; }
'

test_expect_success 'the node is installed with the events of the install; the disk holds the image' '
	test "$(mac_state $MAC)" = installed &&
	op GET "/api/v1/nodes/$(mac_node $MAC)/events" >out &&
	jget out ".events[].type" | grep -v install_progress | sort -u >types &&
	printf "%s\n" addr_learned install_complete install_started registered >expect &&
	test_cmp expect types &&
	db_psql -c "SELECT host(known_addr), boot_mode, board FROM pureboot.nodes WHERE mac = '"'"'$MAC'"'"'" >actual &&
	echo "127.0.0.1|uefi|qemu-arm64-uefi" >expect && test_cmp expect actual &&
	board_disk_check
'

test_expect_success 'second boot, re-rendered for installed: the per-MAC file exits, GRUB loads no kernel, the firmware goes on' '
	render "$MAC" installed &&
	! grep -q "^linux" "$root/grub/grub.cfg-01-52-54-00-12-34-56" &&
	: >"$TRASH/dnsmasq.log" &&
	board_disk_start two "$MAC" "$EFI" &&
	wait_for "dnsmasq to send the per-MAC grub.cfg" 240 \
		dnsmasq_has "grub.cfg-01-52-54-00-12-34-56 to 10.77.0." &&
	took two "its grub.cfg-01-<mac>" &&
	qemu_wait two "\"UiApp\"" 300 &&
	took two "the firmware'"'"'s setup menu (every boot entry tried)" &&
	board_stop two &&
	asked >actual &&
	printf "%s\n" grub/grub.cfg grub/grub.cfg-01-52-54-00-12-34-56 >expect &&
	test_cmp expect actual &&
	! grep -E "EFI stub|Linux version|init: PureBoot" "$TRASH/two.console" &&
	! grep "deploy-arm64" "$TRASH/dnsmasq.log" &&
	test "$(mac_state $MAC)" = installed
'

boards_diag
test_done
