# shellcheck shell=sh
# t/lib-boards.sh: helpers for the U-Boot and UEFI netboot tests
# (t/0980, t/0981, t/0984), sourced after t/lib.sh and t/deploy-lib.sh: a TFTP
# tree with the raw deploy kernel, one network namespace with a tap
# device QEMU attaches to and real dnsmasq on it (leases, the tests'
# QEMU has no other DHCP server, and TFTP as conf/dnsmasq serves it:
# per-MAC root), QEMU with a firmware of the test's choosing.

NETBOOT=$PB_BUILD/pb-netboot
PBTFTP=$PB_BUILD/pb-tftp
MAC=52:54:00:12:34:56
OTHER=52:54:00:ab:cd:ef
SRV=10.77.0.1
NS=pbb-$$
root=$TRASH/tftp
: >"$TRASH/times"

boards_net_down() {
	[ -s "$TRASH/dnsmasq.pid" ] && kill "$(cat "$TRASH/dnsmasq.pid")" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	return 0
}
test_atexit boards_net_down

# boards_tree: deploy-arm64/Image (U-Boot's booti and GRUB's linux take
# the raw Image, not the gzip'd kernel8.img) and the initramfs.
boards_tree() {
	mkdir -p "$root/deploy-arm64" &&
	gunzip -c "$DEPLOY_DIR/kernel8.img" >"$root/deploy-arm64/Image" &&
	cp "$DEPLOY_DIR/initramfs.img" "$root/deploy-arm64/initramfs.img"
}

# boards_dtb FIRMWARE: QEMU's own device tree for this machine (with
# that -bios: the tree differs without one) as a file of the DTB store
# (dtbs/qemu/virt.dtb), to prove FDT/devicetree end to end: a board's
# real DTB would not boot QEMU.
boards_dtb() {
	mkdir -p "$root/dtbs/qemu" &&
	qemu-system-aarch64 -M virt,dumpdtb="$root/dtbs/qemu/virt.dtb" -cpu cortex-a72 \
		-smp 2 -m 512 -display none -bios "$1" -nic none >/dev/null 2>&1 &&
	"$PB_BUILD/pb-fdt-check" "$root/dtbs/qemu/virt.dtb"
}

tftp_answers() {
	out=$(ip netns exec "$NS" "$PBTFTP" "$SRV" get .pb-probe 2>&1)
	case $out in "not served"*) return 0 ;; esac
	printf '%s\n' "$out"
	return 1
}

# boards_net_up [dnsmasq args]: the namespace, the tap, dnsmasq with
# the matches docs/boards.md gives for conf/dnsmasq (their tags show in
# its --log-dhcp lines).
boards_net_up() {
	chmod -R a+rX "$root" &&
	ip netns add "$NS" && ip -n "$NS" link set lo up &&
	ip -n "$NS" tuntap add dev pbt0 mode tap &&
	ip -n "$NS" addr add "$SRV/24" dev pbt0 && ip -n "$NS" link set pbt0 up &&
	ip netns exec "$NS" dnsmasq --conf-file=/dev/null --keep-in-foreground \
		--port=0 --interface=pbt0 --bind-interfaces \
		--dhcp-range=10.77.0.50,10.77.0.99,255.255.255.0,1h \
		--dhcp-leasefile="$TRASH/leases" --log-dhcp \
		--dhcp-vendorclass=set:uboot,U-Boot \
		--dhcp-match=set:efi-arm64,option:client-arch,11 \
		--dhcp-match=set:uboot-arm64,option:client-arch,22 \
		--enable-tftp --tftp-root="$root" --tftp-unique-root=mac \
		--log-facility="$TRASH/dnsmasq.log" --pid-file= "$@" \
		>>"$TRASH/dnsmasq.out" 2>&1 &
	echo $! >"$TRASH/dnsmasq.pid" &&
	wait_for "dnsmasq to answer TFTP on $SRV" 60 tftp_answers
}

# board_start NAME MAC FIRMWARE [NIC options]: QEMU with FIRMWARE as its
# -bios, no disk, on the tap, in the background.  The NIC is a
# virtio-net-pci (the deploy kernel has its driver built in;
# virtio-net-device would need virtio_mmio, a module the initramfs
# does not carry).  The console and pid files are deploy-lib.sh's, for
# qemu_wait.
board_start() {
	: >"$TRASH/$1.console"
	date +%s >"$TRASH/$1.start"
	ip netns exec "$NS" qemu-system-aarch64 -M virt -cpu cortex-a72 -smp 2 -m 512 \
		-display none -monitor none -no-reboot \
		-serial "file:$TRASH/$1.console" -bios "$3" \
		-netdev tap,id=n0,ifname=pbt0,script=no,downscript=no \
		-device "virtio-net-pci,netdev=n0,romfile=,mac=$2${4:+,$4}" \
		>"$TRASH/$1.qemu.log" 2>&1 &
	echo $! >"$TRASH/$1.qemu.pid"
}

# board_stop NAME: until that QEMU is gone, so the tap is free again.
board_stop() {
	[ -s "$TRASH/$1.qemu.pid" ] || return 0
	pid=$(cat "$TRASH/$1.qemu.pid")
	kill "$pid" 2>/dev/null
	wait_for "QEMU $1 (pid $pid) to exit" 60 pid_gone "$pid" &&
	rm -f "$TRASH/$1.qemu.pid"
}

# took NAME WHAT: seconds since NAME started, into the times diag.
took() {
	echo "$1: $2 after $(($(date +%s) - $(cat "$TRASH/$1.start"))) s" >>"$TRASH/times"
}

# dnsmasq_has PATTERN: its log has a line with the fixed string.
dnsmasq_has() {
	grep -qF -- "$1" "$TRASH/dnsmasq.log" && return 0
	tail -n 20 "$TRASH/dnsmasq.log"
	return 1
}

# What dnsmasq saw of the firmware: vendor classes and the tags set.
boards_dhcp_seen() {
	sed -n "s/^.*dnsmasq-dhcp\[[0-9]*\]: [0-9]* \(vendor class: .*\|tags: .*\)/\1/p" \
		"$TRASH/dnsmasq.log" | sort -u
}

# At the end of the file, at the top level: the times and what dnsmasq
# saw, as TAP diagnostics.
boards_diag() {
	sed 's/^/# /' "$TRASH/times"
	[ ! -s "$TRASH/dhcp-seen" ] || sed 's/^/# dnsmasq saw: /' "$TRASH/dhcp-seen"
}
