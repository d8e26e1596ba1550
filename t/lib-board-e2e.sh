# shellcheck shell=sh
# t/lib-board-e2e.sh: the install end to end for a U-Boot or UEFI board
# (t/0982, t/0983), sourced after t/lib.sh, t/deploy-lib.sh,
# t/lib-api.sh (api_start ran) and t/lib-boards.sh.  The board is QEMU
# on the tap of lib-boards.sh's namespace with a virtio disk; it reaches
# the API as http://10.77.0.1 and the image server as
# http://10.77.0.1:81: in the namespace busybox nc listens on those
# ports and runs, per connection, a busybox nc in the test's own
# network namespace (nsenter) to nginx on loopback, as t/0960's QEMU
# guestfwd does for a Pi.  So the API sees every board request from
# 127.0.0.1, its known address.

ROOTNS=/proc/$$/ns/net
API_IN=http://$SRV
WWW_IN=http://$SRV:81

board_fwd_stop() {
	for f in "$TRASH"/fwd-*.pid; do
		[ -e "$f" ] || continue
		kill "$(cat "$f")" 2>/dev/null
		rm -f "$f"
	done
	return 0
}
test_atexit board_fwd_stop

fwd_up() { ip netns exec "$NS" busybox nc -w 2 "$SRV" "$1" </dev/null >/dev/null 2>&1; }

# board_fwd PORT TARGET: 10.77.0.1:PORT in the namespace is
# 127.0.0.1:TARGET here.
board_fwd() {
	printf '#!/bin/sh\nexec nsenter --net=%s busybox nc 127.0.0.1 %s\n' \
		"$ROOTNS" "$2" >"$TRASH/fwd-$1.sh" &&
	chmod +x "$TRASH/fwd-$1.sh" &&
	{ ip netns exec "$NS" busybox nc -ll -p "$1" -e "$TRASH/fwd-$1.sh" \
		>>"$TRASH/fwd.log" 2>&1 & } &&
	echo $! >"$TRASH/fwd-$1.pid" &&
	wait_for "the forwarder on $SRV:$1" 30 fwd_up "$1"
}

# board_e2e_setup: operator, server_url as the board sees it, the image
# of t/0960 (two partitions, xz) on the image server, its workflow
# e2e-image, an empty 32 MiB disk.  board_e2e_fwd: the forwarders, once
# boards_net_up made the namespace.
board_e2e_setup() {
	api_operator &&
	echo "{\"server_url\":\"$API_IN\"}" >s.json &&
	op_body PATCH /api/v1/settings s.json >out &&
	test "$(jget out .server_url)" = "$API_IN" &&
	truncate -s 12M disk.img &&
	printf "%s\n" "label: dos" "start=2048, size=12288, type=c" "start=14336, type=83" |
		sfdisk -q disk.img &&
	truncate -s 6M boot.fat && mkfs.vfat -n BOOT boot.fat >/dev/null &&
	echo "arm_64bit=1" >config.txt &&
	MTOOLS_SKIP_CHECK=1 mcopy -i boot.fat config.txt ::config.txt &&
	truncate -s 5M root.ext4 && mkfs.ext4 -q -L root root.ext4 &&
	dd if=boot.fat of=disk.img bs=512 seek=2048 conv=notrunc 2>/dev/null &&
	dd if=root.ext4 of=disk.img bs=512 seek=14336 conv=notrunc 2>/dev/null &&
	xz -T1 -3 -c disk.img >"$TRASH/www/disk.img.xz" &&
	sha=$(sha256sum "$TRASH/www/disk.img.xz" | cut -d" " -f1) &&
	wf_add e2e-image aarch64 "{\"install_method\":\"image\",\"image_url\":\"$WWW_IN/disk.img.xz\",\"image_sha256\":\"$sha\",\"target_device\":\"/dev/vda\"}" &&
	truncate -s 32M "$TRASH/vda.img"
}
board_e2e_fwd() {
	board_fwd 80 "$PB_PORT" &&
	board_fwd 81 "$WWW_PORT"
}

# board_disk_start NAME MAC FIRMWARE [NIC options]: board_start's QEMU
# with $TRASH/vda.img as a virtio disk.
board_disk_start() {
	: >"$TRASH/$1.console"
	date +%s >"$TRASH/$1.start"
	ip netns exec "$NS" qemu-system-aarch64 -M virt -cpu cortex-a72 -smp 2 -m 512 \
		-display none -monitor none -no-reboot \
		-serial "file:$TRASH/$1.console" -bios "$3" \
		-drive "file=$TRASH/vda.img,format=raw,if=none,id=d0" \
		-device virtio-blk-pci,drive=d0 \
		-netdev tap,id=n0,ifname=pbt0,script=no,downscript=no \
		-device "virtio-net-pci,netdev=n0,romfile=,mac=$2${4:+,$4}" \
		>"$TRASH/$1.qemu.log" 2>&1 &
	echo $! >"$TRASH/$1.qemu.pid"
}

# mac_state MAC: the node's state as the operator sees it over HTTP.
mac_node() {
	printf "SELECT id FROM pureboot.nodes WHERE mac = :'m'\n" | db_psql -v m="$1"
}
mac_state() {
	op GET "/api/v1/nodes/$(mac_node "$1")" >.st && jget .st .state
}

# assign_mac MAC WORKFLOW: what an operator does over HTTP.
assign_mac() {
	id=$(mac_node "$1") &&
	echo "{\"workflow_id\":\"$2\"}" >p.json &&
	op_body PATCH "/api/v1/nodes/$id" p.json >out &&
	test "$(jget out .workflow_id)" = "$2" &&
	echo "{\"to\":\"pending\",\"comment\":\"e2e\"}" >t.json &&
	op_body POST "/api/v1/nodes/$id/transition" t.json >out &&
	test "$(jget out .state)" = pending
}

# The disk holds the image, as t/0960 checks it for a Pi.
board_disk_check() {
	cmp -n 1048576 disk.img "$TRASH/vda.img" &&
	dd if="$TRASH/vda.img" of=root.back bs=512 skip=14336 count=10240 2>/dev/null &&
	cmp root.ext4 root.back
}
