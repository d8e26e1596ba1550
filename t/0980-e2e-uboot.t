#!/bin/sh
test_description='U-Boot (Debian u-boot-qemu) netboots from files the netboot renderers wrote, served by real dnsmasq: the install file boots the deploy kernel, the local-boot file and the discovery-off default load none'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/deploy-lib.sh"

UBOOT=/usr/lib/u-boot/qemu_arm64/u-boot.bin
[ "$(id -u)" = 0 ] || test_skip_all "network namespaces and tap devices need root"
[ -r "$UBOOT" ] || test_skip_all "no $UBOOT: run make deps (u-boot-qemu)"
command -v mkimage >/dev/null || test_skip_all "no mkimage: run make deps (u-boot-tools)"
[ -s "$DEPLOY_DIR/initramfs.img" ] || test_skip_all "no $DEPLOY_DIR/initramfs.img: run make (make initramfs)"

. "$PB_TOP/t/lib-boards.sh"

# uboot_start NAME MAC: a modern-only virtio-net-pci (disable-legacy=on),
# so that U-Boot reads the real MAC (through the legacy device it reads
# 52:52:52:52:52:52).
uboot_start() { board_start "$1" "$2" "$UBOOT" disable-legacy=on; }

# The config files U-Boot asked for, in order, as its console says.
retrieved() {
	sed -n 's/^Retrieving file: \(pxelinux\.cfg\/[^[:space:]]*\).*/\1/p' "$TRASH/$1.console" | tr -d '\r'
}

test_expect_success 'setup: the tree (raw Image, initramfs, boot script, rendered pxelinux.cfg), dnsmasq on a tap in a namespace' '
	boards_tree &&
	mkimage -A arm64 -O linux -T script -C none -d "$PB_TOP/conf/u-boot/boot.cmd" \
		"$root/boot.scr.uimg" >/dev/null &&
	"$NETBOOT" "$root" "$MAC" pending "http://$SRV" on &&
	grep -q "^	KERNEL deploy-arm64/Image$" "$root/pxelinux.cfg/01-52-54-00-12-34-56" &&
	boards_net_up
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
	board_stop inst &&
	retrieved inst >actual &&
	echo pxelinux.cfg/01-52-54-00-12-34-56 >expect &&
	test_cmp expect actual &&
	grep -q "Retrieving file: deploy-arm64/Image" "$TRASH/inst.console" &&
	grep -q "Retrieving file: deploy-arm64/initramfs.img" "$TRASH/inst.console" &&
	dnsmasq_has "sent $root/pxelinux.cfg/01-52-54-00-12-34-56 to 10.77.0." &&
	dnsmasq_has "sent $root/deploy-arm64/Image to 10.77.0."
'

# U-Boot's pxe takes a label'"'"'s FDT only when the environment has
# fdt_addr_r (real boards'"'"' distro-boot environments do; Debian's
# qemu_arm64 has only fdt_addr, QEMU'"'"'s own tree): this run'"'"'s boot
# script sets one first.
test_expect_success 'install state with a DTB: U-Boot fetches the FDT the file names and boots the kernel with it' '
	boards_dtb "$UBOOT" &&
	{ echo "setenv fdt_addr_r 0x48000000"; cat "$PB_TOP/conf/u-boot/boot.cmd"; } >fdt.cmd &&
	mkimage -A arm64 -O linux -T script -C none -d fdt.cmd "$root/boot.scr.uimg" >/dev/null &&
	test_when_finished "mkimage -A arm64 -O linux -T script -C none -d \"$PB_TOP/conf/u-boot/boot.cmd\" \"$root/boot.scr.uimg\" >/dev/null" &&
	chmod -R a+rX "$root" &&
	"$NETBOOT" -d dtbs/qemu/virt.dtb "$root" "$MAC" pending "http://$SRV" on &&
	grep -q "^	FDT dtbs/qemu/virt.dtb$" "$root/pxelinux.cfg/01-52-54-00-12-34-56" &&
	: >"$TRASH/dnsmasq.log" &&
	uboot_start fdt "$MAC" &&
	test_when_finished "board_stop fdt; cp \"$TRASH/dnsmasq.log\" \"$TRASH/fdt.dnsmasq.log\"" &&
	qemu_wait fdt "Retrieving file: dtbs/qemu/virt.dtb" 120 &&
	qemu_wait fdt "init: PureBoot-Pi deploy environment" 240 &&
	took fdt "/init, booted with the TFTP DTB" &&
	dnsmasq_has "sent $root/dtbs/qemu/virt.dtb to 10.77.0."
'

# What dnsmasq saw of U-Boot: its vendor class and the tags the
# matches a dnsmasq conf would use set (docs/boards.md).
test_expect_success 'U-Boot DHCPs from dnsmasq with its vendor class, which dhcp-vendorclass matches' '
	boards_dhcp_seen >seen &&
	cp seen "$TRASH/dhcp-seen" &&
	grep -q "^vendor class: U-Boot" seen &&
	grep -q "^tags: .*uboot" seen
'

test_expect_success 'local-boot state, discovery on: the per-MAC file has only LOCALBOOT, U-Boot loads no kernel and goes on to its next boot target' '
	"$NETBOOT" "$root" "$MAC" installed "http://$SRV" on &&
	! grep -q KERNEL "$root/pxelinux.cfg/01-52-54-00-12-34-56" &&
	grep -q "^	LOCALBOOT 0$" "$root/pxelinux.cfg/01-52-54-00-12-34-56" &&
	grep -q "^	KERNEL deploy-arm64/Image$" "$root/pxelinux.cfg/default" &&
	: >"$TRASH/dnsmasq.log" &&
	uboot_start local "$MAC" &&
	qemu_wait local "Retrieving file: pxelinux.cfg/01-52-54-00-12-34-56" 120 &&
	qemu_wait local "PureBoot-Pi: nothing to netboot" 60 &&
	took local "back from pxe boot" &&
	qemu_wait local "=> " 120 &&
	took local "the U-Boot prompt (every boot target tried)" &&
	board_stop local &&
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
	board_stop unknown &&
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
	board_stop macdir &&
	! grep -E "Executing script|Retrieving file|Starting kernel|Linux version" "$TRASH/macdir.console" &&
	grep -q "boot.scr.uimg not found" "$TRASH/macdir.console"
'

boards_diag
test_done
