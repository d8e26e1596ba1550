#!/bin/sh
test_description='UEFI (Debian QEMU_EFI.fd) netboots GRUB (grubnetaa64.efi.signed), which reads the grub.cfg files the netboot renderers wrote, from real dnsmasq: the install file boots the deploy kernel, the local-boot file exits to the firmware'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/deploy-lib.sh"

EFI=/usr/share/qemu-efi-aarch64/QEMU_EFI.fd
GRUBNET=/usr/lib/grub/arm64-efi-signed/grubnetaa64.efi.signed
[ "$(id -u)" = 0 ] || test_skip_all "network namespaces and tap devices need root"
[ -r "$EFI" ] || test_skip_all "no $EFI: run make deps (qemu-efi-aarch64)"
[ -r "$GRUBNET" ] || test_skip_all "no $GRUBNET: run make deps (grub-efi-arm64-signed)"
[ -s "$DEPLOY_DIR/initramfs.img" ] || test_skip_all "no $DEPLOY_DIR/initramfs.img: run make (make initramfs)"

. "$PB_TOP/t/lib-boards.sh"

efi_start() { board_start "$1" "$2" "$EFI"; }

# The grub.cfg files GRUB asked for, in order, as dnsmasq's log says
# (found or not; the module lists it also asks for are left out).
asked() {
	sed -n "s#^.*dnsmasq-tftp\[[0-9]*\]: \(sent\|file\) $root//*\(grub/grub\.cfg[^ ]*\).*#\2#p" \
		"$TRASH/dnsmasq.log"
}

test_expect_success 'setup: the tree (raw Image, initramfs, GRUB, rendered grub/), dnsmasq handing GRUB to client architecture 11' '
	boards_tree &&
	cp "$GRUBNET" "$root/grubnetaa64.efi.signed" &&
	"$NETBOOT" "$root" "$MAC" pending "http://$SRV" on &&
	grep -q "^linux /deploy-arm64/Image " "$root/grub/grub.cfg-01-52-54-00-12-34-56" &&
	boards_net_up --dhcp-boot=tag:efi-arm64,grubnetaa64.efi.signed
'

# Debian's GRUB makes no net config search of its own (it asks for
# grub/grub.cfg first): the root file sources the per-MAC one.
test_expect_success 'install state: GRUB reads the root grub.cfg, then the per-MAC file, boots the deploy kernel and initramfs, the agent gets its lease' '
	efi_start inst "$MAC" &&
	test_when_finished "board_stop inst" &&
	wait_for "dnsmasq to send GRUB" 240 dnsmasq_has "sent $root/grubnetaa64.efi.signed" &&
	took inst "GRUB sent" &&
	wait_for "dnsmasq to send the per-MAC grub.cfg" 240 \
		dnsmasq_has "grub.cfg-01-52-54-00-12-34-56 to 10.77.0." &&
	took inst "its grub.cfg-01-<mac>" &&
	qemu_wait inst "init: PureBoot-Pi deploy environment" 300 &&
	took inst "/init" &&
	qemu_wait inst "network: eth0 is 10.77.0." 120 &&
	took inst "the agent'"'"'s lease" &&
	asked >actual &&
	printf "%s\n" grub/grub.cfg grub/grub.cfg-01-52-54-00-12-34-56 >expect &&
	test_cmp expect actual &&
	dnsmasq_has "sent $root/deploy-arm64/Image to 10.77.0." &&
	dnsmasq_has "sent $root/deploy-arm64/initramfs.img to 10.77.0."
'

test_expect_success 'install state with a DTB: GRUB loads it with devicetree and boots the kernel with it' '
	boards_dtb "$EFI" && chmod -R a+rX "$root" &&
	"$NETBOOT" -d dtbs/qemu/virt.dtb "$root" "$MAC" pending "http://$SRV" on &&
	grep -q "^devicetree /dtbs/qemu/virt.dtb$" "$root/grub/grub.cfg-01-52-54-00-12-34-56" &&
	: >"$TRASH/dnsmasq.log" &&
	efi_start fdt "$MAC" &&
	test_when_finished "board_stop fdt; cp \"$TRASH/dnsmasq.log\" \"$TRASH/fdt.dnsmasq.log\"" &&
	qemu_wait fdt "init: PureBoot-Pi deploy environment" 300 &&
	dnsmasq_has "dtbs/qemu/virt.dtb to 10.77.0." &&
	took fdt "/init, booted with the TFTP DTB"
'

test_expect_success 'UEFI DHCPs with client architecture 11, which dhcp-match tags' '
	boards_dhcp_seen >seen &&
	cp seen "$TRASH/dhcp-seen" &&
	grep -q "^vendor class: PXEClient:Arch:00011" seen &&
	grep -q "^tags: .*efi-arm64" seen
'

test_expect_success 'local-boot state, discovery on: the per-MAC file exits, GRUB loads no kernel (nor the root'"'"'s discovery fallback)' '
	"$NETBOOT" "$root" "$MAC" installed "http://$SRV" on &&
	! grep -q "^linux" "$root/grub/grub.cfg-01-52-54-00-12-34-56" &&
	grep -q "^linux /deploy-arm64/Image " "$root/grub/grub.cfg" &&
	: >"$TRASH/dnsmasq.log" &&
	efi_start local "$MAC" &&
	test_when_finished "board_stop local" &&
	wait_for "dnsmasq to send the per-MAC grub.cfg" 240 \
		dnsmasq_has "grub.cfg-01-52-54-00-12-34-56 to 10.77.0." &&
	took local "its grub.cfg-01-<mac>" &&
	qemu_wait local "BdsDxe: starting Boot0000 \"UiApp\"" 120 &&
	took local "the firmware'"'"'s next boot entry (its setup menu)" &&
	asked >actual &&
	printf "%s\n" grub/grub.cfg grub/grub.cfg-01-52-54-00-12-34-56 >expect &&
	test_cmp expect actual &&
	! grep -E "EFI stub|Linux version|init: PureBoot" "$TRASH/local.console" &&
	! grep "deploy-arm64" "$TRASH/dnsmasq.log"
'

test_expect_success 'an unknown MAC with discovery off: GRUB finds no per-MAC file, the root exits, no kernel' '
	"$NETBOOT" "$root" "$MAC" installed "http://$SRV" off &&
	! grep -q "^linux" "$root/grub/grub.cfg" &&
	: >"$TRASH/dnsmasq.log" &&
	efi_start unknown "$OTHER" &&
	test_when_finished "board_stop unknown" &&
	wait_for "dnsmasq to be asked for the per-MAC grub.cfg" 240 \
		dnsmasq_has "grub.cfg-01-52-54-00-ab-cd-ef not found" &&
	qemu_wait unknown "BdsDxe: starting Boot0000 \"UiApp\"" 120 &&
	took unknown "the firmware'"'"'s next boot entry" &&
	! grep -E "EFI stub|Linux version|init: PureBoot" "$TRASH/unknown.console" &&
	! grep "deploy-arm64" "$TRASH/dnsmasq.log"
'

test_expect_success 'an unknown MAC with discovery on: the root falls back to the discovery kernel' '
	"$NETBOOT" "$root" "$MAC" installed "http://$SRV" on &&
	: >"$TRASH/dnsmasq.log" &&
	efi_start disc "$OTHER" &&
	test_when_finished "board_stop disc" &&
	qemu_wait disc "init: PureBoot-Pi deploy environment" 300 &&
	took disc "/init" &&
	asked >actual &&
	printf "%s\n" grub/grub.cfg grub/grub.cfg-01-52-54-00-ab-cd-ef >expect &&
	test_cmp expect actual &&
	dnsmasq_has "sent $root/deploy-arm64/Image to 10.77.0."
'

boards_diag
test_done
