#!/bin/sh
test_description='U-Boot (Debian u-boot-qemu) netboots from files the netboot renderers wrote, served by real dnsmasq: the install file boots the deploy kernel, the local-boot file and the discovery-off default load none'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/deploy-lib.sh"

UBOOT=/usr/lib/u-boot/qemu_arm64/u-boot.bin
[ "$(id -u)" = 0 ] || test_skip_all "network namespaces and tap devices need root"
[ -r "$UBOOT" ] || test_skip_all "no $UBOOT: run make deps (u-boot-qemu)"
command -v mkimage >/dev/null || test_skip_all "no mkimage: run make deps (u-boot-tools)"
[ -s "$DEPLOY_DIR/initramfs.img" ] || test_skip_all "no $DEPLOY_DIR/initramfs.img: run make (make initramfs)"

NETBOOT=$PB_BUILD/pb-netboot
PBTFTP=$PB_BUILD/pb-tftp
MAC=52:54:00:12:34:56
OTHER=52:54:00:ab:cd:ef
SRV=10.77.0.1
NS=pbu-$$
root=$TRASH/tftp
: >"$TRASH/times"

# One namespace: a tap device QEMU attaches to, dnsmasq on it handing
# out leases (the tests' QEMU has no other DHCP server) and serving the
# tree as the product's conf/dnsmasq does (TFTP, per-MAC root).
net_down() {
	[ -s "$TRASH/dnsmasq.pid" ] && kill "$(cat "$TRASH/dnsmasq.pid")" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	return 0
}
test_atexit net_down

tftp_answers() {
	out=$(ip netns exec "$NS" "$PBTFTP" "$SRV" get .pb-probe 2>&1)
	case $out in "not served"*) return 0 ;; esac
	printf '%s\n' "$out"
	return 1
}

# uboot_start NAME MAC: QEMU with U-Boot as its firmware, no disk, on
# the tap.  A modern-only virtio-net-pci (disable-legacy=on), so that
# U-Boot reads the real MAC (through the legacy device it reads
# 52:52:52:52:52:52) and the deploy kernel has its driver built in
# (virtio-net-device would need virtio_mmio, a module the initramfs
# does not carry).  The console and pid files are deploy-lib.sh's, for
# qemu_wait.
uboot_start() {
	: >"$TRASH/$1.console"
	date +%s >"$TRASH/$1.start"
	ip netns exec "$NS" qemu-system-aarch64 -M virt -cpu cortex-a72 -smp 2 -m 512 \
		-display none -monitor none -no-reboot \
		-serial "file:$TRASH/$1.console" -bios "$UBOOT" \
		-netdev tap,id=n0,ifname=pbt0,script=no,downscript=no \
		-device "virtio-net-pci,netdev=n0,disable-legacy=on,romfile=,mac=$2" \
		>"$TRASH/$1.qemu.log" 2>&1 &
	echo $! >"$TRASH/$1.qemu.pid"
}

# uboot_stop NAME: until that QEMU is gone, so the tap is free again.
uboot_stop() {
	pid=$(cat "$TRASH/$1.qemu.pid") || return 1
	kill "$pid" 2>/dev/null
	wait_for "QEMU $1 (pid $pid) to exit" 60 pid_gone "$pid" &&
	rm -f "$TRASH/$1.qemu.pid"
}

# took NAME WHAT: seconds since NAME started, into the times diag.
took() {
	echo "$1: $2 after $(($(date +%s) - $(cat "$TRASH/$1.start"))) s" >>"$TRASH/times"
}

# The config files U-Boot asked for, in order, as its console says.
retrieved() {
	sed -n 's/^Retrieving file: \(pxelinux\.cfg\/[^[:space:]]*\).*/\1/p' "$TRASH/$1.console" | tr -d '\r'
}

test_expect_success 'setup: the tree (raw Image, initramfs, boot script, rendered pxelinux.cfg), dnsmasq on a tap in a namespace' '
	mkdir -p "$root/deploy-arm64" &&
	gunzip -c "$DEPLOY_DIR/kernel8.img" >"$root/deploy-arm64/Image" &&
	cp "$DEPLOY_DIR/initramfs.img" "$root/deploy-arm64/initramfs.img" &&
	mkimage -A arm64 -O linux -T script -C none -d "$PB_TOP/conf/u-boot/boot.cmd" \
		"$root/boot.scr.uimg" >/dev/null &&
	"$NETBOOT" "$root" "$MAC" pending "http://$SRV" on &&
	grep -q "^	KERNEL deploy-arm64/Image$" "$root/pxelinux.cfg/01-52-54-00-12-34-56" &&
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
		--log-facility="$TRASH/dnsmasq.log" --pid-file= \
		>>"$TRASH/dnsmasq.out" 2>&1 &
	echo $! >"$TRASH/dnsmasq.pid" &&
	wait_for "dnsmasq to answer TFTP on $SRV" 60 tftp_answers
'

test_expect_success 'install state: U-Boot finds the per-MAC file first, boots the deploy kernel and initramfs, the agent gets its lease' '
	uboot_start inst "$MAC" &&
	qemu_wait inst "Retrieving file: pxelinux.cfg/01-52-54-00-12-34-56" 120 &&
	took inst "its pxelinux.cfg/01-<mac>" &&
	qemu_wait inst "Starting kernel" 240 &&
	took inst "Starting kernel" &&
	qemu_wait inst "init: PureBoot-Pi deploy environment" 120 &&
	qemu_wait inst "network: eth0 is 10.77.0." 120 &&
	took inst "the agent'"'"'s lease" &&
	uboot_stop inst &&
	retrieved inst >actual &&
	echo pxelinux.cfg/01-52-54-00-12-34-56 >expect &&
	test_cmp expect actual &&
	grep -q "Retrieving file: deploy-arm64/Image" "$TRASH/inst.console" &&
	grep -q "Retrieving file: deploy-arm64/initramfs.img" "$TRASH/inst.console" &&
	grep -q "sent $root/pxelinux.cfg/01-52-54-00-12-34-56 to 10.77.0." "$TRASH/dnsmasq.log" &&
	grep -q "sent $root/deploy-arm64/Image to 10.77.0." "$TRASH/dnsmasq.log"
'

# What dnsmasq saw of U-Boot: its vendor class and the tags the
# matches a dnsmasq conf would use set (docs/boards.md).
test_expect_success 'U-Boot DHCPs from dnsmasq with its vendor class, which dhcp-vendorclass matches' '
	sed -n "s/^.*dnsmasq-dhcp\[[0-9]*\]: [0-9]* \(vendor class: .*\|tags: .*\)/\1/p" \
		"$TRASH/dnsmasq.log" | sort -u >seen &&
	cp seen "$TRASH/dhcp-seen" &&
	grep -q "^vendor class: U-Boot" seen &&
	grep -q "^tags: .*uboot" seen
'

test_expect_success 'local-boot state: the per-MAC file has only LOCALBOOT, U-Boot loads no kernel and goes on to its next boot target' '
	"$NETBOOT" "$root" "$MAC" installed "http://$SRV" on &&
	! grep -q KERNEL "$root/pxelinux.cfg/01-52-54-00-12-34-56" &&
	grep -q "^	LOCALBOOT 0$" "$root/pxelinux.cfg/01-52-54-00-12-34-56" &&
	: >"$TRASH/dnsmasq.log" &&
	uboot_start local "$MAC" &&
	qemu_wait local "Retrieving file: pxelinux.cfg/01-52-54-00-12-34-56" 120 &&
	qemu_wait local "PureBoot-Pi: nothing to netboot" 60 &&
	took local "back from pxe boot" &&
	qemu_wait local "=> " 120 &&
	took local "the U-Boot prompt (every boot target tried)" &&
	uboot_stop local &&
	retrieved local >actual &&
	echo pxelinux.cfg/01-52-54-00-12-34-56 >expect &&
	test_cmp expect actual &&
	! grep -E "deploy-arm64|Starting kernel|Linux version|booti" "$TRASH/local.console" &&
	! grep "deploy-arm64" "$TRASH/dnsmasq.log"
'

test_expect_success 'an unknown MAC with discovery off: U-Boot walks the whole lookup order (as pb_netboot_lookup lists it) to a default that boots nothing' '
	"$NETBOOT" "$root" "$MAC" installed "http://$SRV" off &&
	! grep -q KERNEL "$root/pxelinux.cfg/default" &&
	: >"$TRASH/dnsmasq.log" &&
	uboot_start unknown "$OTHER" &&
	qemu_wait unknown "PureBoot-Pi: nothing to netboot" 240 &&
	took unknown "the end of the lookup order" &&
	qemu_wait unknown "=> " 120 &&
	uboot_stop unknown &&
	ip=$(sed -n "s/^DHCP client bound to address \([0-9.]*\).*/\1/p" "$TRASH/unknown.console" | head -n 1) &&
	test -n "$ip" &&
	"$NETBOOT" -l uboot "$OTHER" "$ip" >expect &&
	retrieved unknown >actual &&
	test_cmp expect actual &&
	! grep -E "deploy-arm64|Starting kernel|Linux version" "$TRASH/unknown.console"
'

# The Pi fence's second layer (docs/pi-boot.md): an empty directory
# named by the MAC, which dnsmasq (tftp-unique-root=mac) then serves
# instead of the root.  A board whose MAC has one gets nothing at all,
# not even the boot script.
test_expect_success 'an empty per-MAC root: U-Boot gets no boot script and no config, and loads no kernel' '
	"$NETBOOT" "$root" "$MAC" pending "http://$SRV" on &&
	mkdir "$root/52-54-00-12-34-56" &&
	test_when_finished "rmdir \"$root/52-54-00-12-34-56\"" &&
	uboot_start macdir "$MAC" &&
	qemu_wait macdir "=> " 120 &&
	took macdir "the U-Boot prompt" &&
	uboot_stop macdir &&
	! grep -E "Executing script|Retrieving file|Starting kernel|Linux version" "$TRASH/macdir.console" &&
	grep -q "boot.scr.uimg not found" "$TRASH/macdir.console"
'

sed 's/^/# /' "$TRASH/times"
[ ! -s "$TRASH/dhcp-seen" ] || sed 's/^/# dnsmasq saw: /' "$TRASH/dhcp-seen"
test_done
