#!/bin/sh
test_description='U-Boot (u-boot-qemu) and UEFI (QEMU_EFI.fd + GRUB) netboot from the tree pureboot-tftp-hook wrote from PostgreSQL, served by real dnsmasq: install states boot the deploy kernel, local-boot states load none'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/deploy-lib.sh"

UBOOT=/usr/lib/u-boot/qemu_arm64/u-boot.bin
EFI=/usr/share/qemu-efi-aarch64/QEMU_EFI.fd
GRUBNET=/usr/lib/grub/arm64-efi-signed/grubnetaa64.efi.signed
[ "$(id -u)" = 0 ] || test_skip_all "network namespaces and tap devices need root"
[ -r "$UBOOT" ] || test_skip_all "no $UBOOT: run make deps (u-boot-qemu)"
[ -r "$EFI" ] || test_skip_all "no $EFI: run make deps (qemu-efi-aarch64)"
[ -r "$GRUBNET" ] || test_skip_all "no $GRUBNET: run make deps (grub-efi-arm64-signed)"
[ -s "$DEPLOY_DIR/initramfs.img" ] || test_skip_all "no $DEPLOY_DIR/initramfs.img: run make (make initramfs)"

. "$PB_TOP/t/lib-hook.sh"
. "$PB_TOP/t/lib-boards.sh"
db_start

uboot_start() { board_start "$1" "$2" "$UBOOT" disable-legacy=on; }
efi_start() { board_start "$1" "$2" "$EFI"; }

# to_installed ID: through the install states.
to_installed() {
	for s in installing installed; do
		db_psql -c "SELECT 1 FROM pureboot.transition('$1', '$s', 'test')" >/dev/null || return 1
	done
}

test_expect_success 'setup: raw Image, initramfs and GRUB; a U-Boot and a UEFI node, pending; the hook'"'"'s tree; dnsmasq handing GRUB to architecture 11' '
	boards_tree &&
	cp "$GRUBNET" "$root/grubnetaa64.efi.signed" &&
	chmod 0755 "$root" &&
	db_psql -c "UPDATE pureboot.settings SET value = \$\$http://$SRV\$\$ WHERE key = \$\$server_url\$\$" &&
	board_add "$MAC" uboot qemu-arm64 pending >ub.id &&
	board_add "$OTHER" uefi qemu-arm64-uefi pending >ef.id &&
	hook_sync "$root" &&
	grep -q "^	KERNEL deploy-arm64/Image$" "$root/$(board_pxe "$MAC")" &&
	grep -q "^linux /deploy-arm64/Image " "$root/$(board_grub "$OTHER")" &&
	boards_net_up --dhcp-boot=tag:efi-arm64,grubnetaa64.efi.signed
'

test_expect_success 'U-Boot, pending: the hook'"'"'s boot.scr.uimg runs pxe, its per-MAC file boots the deploy kernel and initramfs' '
	uboot_start uinst "$MAC" &&
	test_when_finished "board_stop uinst" &&
	qemu_wait uinst "PureBoot-Pi: pxe get" 120 &&
	qemu_wait uinst "Retrieving file: pxelinux.cfg/01-52-54-00-12-34-56" 120 &&
	took uinst "its pxelinux.cfg/01-<mac>" &&
	qemu_wait uinst "Starting kernel" 240 &&
	qemu_wait uinst "init: PureBoot-Pi deploy environment" 120 &&
	took uinst "/init" &&
	grep -q "Retrieving file: deploy-arm64/initramfs.img" "$TRASH/uinst.console" &&
	dnsmasq_has "sent $root/boot.scr.uimg to 10.77.0."
'

test_expect_success 'UEFI, pending: GRUB reads the hook'"'"'s grub.cfg and per-MAC file, boots the deploy kernel' '
	: >"$TRASH/dnsmasq.log" &&
	efi_start einst "$OTHER" &&
	test_when_finished "board_stop einst" &&
	wait_for "dnsmasq to send the per-MAC grub.cfg" 240 \
		dnsmasq_has "grub.cfg-01-52-54-00-ab-cd-ef to 10.77.0." &&
	took einst "its grub.cfg-01-<mac>" &&
	qemu_wait einst "init: PureBoot-Pi deploy environment" 300 &&
	took einst "/init" &&
	dnsmasq_has "sent $root/deploy-arm64/Image to 10.77.0."
'

test_expect_success 'both installed: the hook fences them (own files name no kernel, empty MAC dirs)' '
	to_installed "$(cat ub.id)" && to_installed "$(cat ef.id)" &&
	hook_sync "$root" &&
	! grep -q KERNEL "$root/$(board_pxe "$MAC")" &&
	! grep -q "^linux" "$root/$(board_grub "$OTHER")" &&
	test -d "$root/52-54-00-12-34-56" && test -d "$root/52-54-00-ab-cd-ef"
'

test_expect_success 'U-Boot, installed: served nothing at all, loads no kernel' '
	: >"$TRASH/dnsmasq.log" &&
	uboot_start ulocal "$MAC" &&
	test_when_finished "board_stop ulocal" &&
	qemu_wait ulocal "=> " 240 &&
	took ulocal "the U-Boot prompt" &&
	! grep -E "Retrieving file|Starting kernel|Linux version" "$TRASH/ulocal.console" &&
	grep -q "boot.scr.uimg not found" "$TRASH/ulocal.console" &&
	! grep "deploy-arm64" "$TRASH/dnsmasq.log"
'

# dnsmasq looks for GRUB in the empty MAC dir; the firmware fails its
# PXE entry and goes on down its boot order (QEMU'"'"'s: PXEv6, HTTP, then
# its shell, there being no disk; the HTTP entries take minutes to time
# out, so the test stops at the next entry).
test_expect_success 'UEFI, installed: no GRUB for it, the firmware goes on to its next boot entry, no kernel' '
	: >"$TRASH/dnsmasq.log" &&
	efi_start elocal "$OTHER" &&
	test_when_finished "board_stop elocal" &&
	qemu_wait elocal "failed to load Boot0001 \"UEFI PXEv4" 240 &&
	took elocal "its PXE entry failed" &&
	qemu_wait elocal ">>Start PXE over IPv6." 120 &&
	took elocal "the firmware'"'"'s next boot entry" &&
	dnsmasq_has "52-54-00-ab-cd-ef/grubnetaa64.efi.signed not found" &&
	! grep -E "EFI stub|Linux version|init: PureBoot" "$TRASH/elocal.console" &&
	! grep -e "sent $root/grubnetaa64" -e "deploy-arm64" "$TRASH/dnsmasq.log"
'

boards_diag
test_done
