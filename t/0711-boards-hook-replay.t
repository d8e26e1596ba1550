#!/bin/sh
test_description='U-Boot'"'"'s and GRUB'"'"'s lookup orders (pb_netboot_lookup) replayed with a real TFTP client against the tree pureboot-tftp-hook wrote from PostgreSQL, served by real dnsmasq and tftp-hpa, for every state: install states find a config naming a kernel, initrd and DTB that are served; local-boot states find nothing bootable through any name'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-hook.sh"

[ "$(id -u)" = 0 ] || test_skip_all "network namespaces need root"
db_start
NETBOOT=$PB_BUILD/pb-netboot
UB=52:54:00:07:11:01
RK=52:54:00:07:11:02
UNKNOWN=52:54:00:07:11:03
root=$TRASH/tftp
net_atexit

# replay N LOADER MAC SERVER: from client N, each name of the order in
# turn until one is served; prints the name and leaves the file in got,
# or prints "none".
replay() {
	for name in $("$NETBOOT" -l "$2" "$3" "$(client_ip "$1")"); do
		if client "$1" "$4" get "$name" got >/dev/null 2>&1; then
			echo "$name"
			return 0
		fi
	done
	echo none
}

# any_bootable N LOADER MAC SERVER: some name of the order, not only
# the first served, is bootable (prints it).
any_bootable() {
	for name in $("$NETBOOT" -l "$2" "$3" "$(client_ip "$1")"); do
		if client "$1" "$4" get "$name" any >/dev/null 2>&1 &&
			grep -qE "^	KERNEL |^linux " any; then
			echo "$name"
			return 0
		fi
	done
	return 1
}

bootable() { grep -qE "^	KERNEL |^linux " got; }

# fetch_refs N SERVER: every kernel, initrd and DTB got names is served
# to client N (into ref.*); DTBs pass pb_fdt_check.
fetch_refs() {
	refs=$(sed -n -e 's/^	\(KERNEL\|INITRD\|FDT\) \([^ ]*\).*/\1 \2/p' \
		-e 's/^\(linux\|initrd\|devicetree\) \/\([^ ]*\).*/\1 \2/p' got)
	[ -n "$refs" ] || { echo "no references in got"; return 1; }
	echo "$refs" | while read -r kind path; do
		client "$1" "$2" get "$path" ref.bin >/dev/null 2>&1 ||
			{ echo "$kind $path not served"; return 1; }
		case $kind in FDT|devicetree)
			"$PB_BUILD/pb-fdt-check" ref.bin || return 1 ;;
		esac
	done
}

# Debian's GRUB reads grub/grub.cfg alone, which sources the per-MAC
# file by $net_default_mac: the same two files, in that order.
grub_debian() {
	client "$1" "$2" get grub/grub.cfg got >/dev/null 2>&1 &&
	grep -q "source \"\$prefix/grub.cfg-01-\$m1-\$m2-\$m3-\$m4-\$m5-\$m6\"" got &&
	client "$1" "$2" get "$(board_grub "$3")" got >/dev/null 2>&1
}

test_expect_success 'setup: the hook'"'"'s tree (a QEMU U-Boot node, a ROCK Pi 4B with its DTB), dnsmasq and tftp-hpa in a namespace, a client per MAC' '
	hook_root "$root" &&
	hook_dtb "$root" rockchip/rk3399-rock-pi-4b.dtb &&
	board_readd ub $UB uboot qemu-arm64 pending &&
	board_readd rk $RK uboot rock-pi-4b pending &&
	hook_sync "$root" &&
	net_up && dnsmasq_start "$root" && tftpd_start "$root" &&
	client_add 2 "$UB" && client_add 3 "$RK" && client_add 4 "$UNKNOWN"
'

test_expect_success 'every state, both loaders, both servers: install states boot a served kernel, initrd and DTB; local-boot states nothing bootable' '
	for s in $ALL_STATES; do
		board_readd ub $UB uboot qemu-arm64 "$s" &&
		board_readd rk $RK uboot rock-pi-4b "$s" &&
		hook_sync "$root" 2>log || { cat log; return 1; }
		for n in 2:$UB 3:$RK; do
			c=${n%%:*} mac=${n#*:}
			for l in uboot grub; do
				case $l in
				uboot) own=$(board_pxe "$mac") ;;
				grub) own=$(board_grub "$mac") ;;
				esac
				for srv in 10.66.0.1 10.66.0.2; do
					got=$(replay "$c" "$l" "$mac" "$srv")
					if state_fenced "$s" && [ "$srv" = 10.66.0.1 ]; then
						# dnsmasq knows the MAC: its empty dir serves nothing.
						test "$got" = none || { echo "$s $l $srv $mac: got $got"; return 1; }
						! any_bootable "$c" "$l" "$mac" "$srv" || { echo "$s $l $srv $mac: bootable name"; return 1; }
						continue
					fi
					test "$got" = "$own" || { echo "$s $l $srv $mac (client $c): got $got"; return 1; }
					if state_fenced "$s"; then
						! bootable || { echo "$s $l $srv: bootable"; cat got; return 1; }
					else
						bootable && grep -q "pureboot.state=$s " got &&
						fetch_refs "$c" "$srv" || { echo "$s $l $srv $mac"; cat got; return 1; }
						[ "$mac" != "$RK" ] || grep -qE "^	FDT dtbs/rockchip/rk3399-rock-pi-4b.dtb$|^devicetree /dtbs/rockchip/rk3399-rock-pi-4b.dtb$" got ||
							{ echo "$s $l: no FDT"; return 1; }
					fi
				done
			done
			# Debian 12'"'"'s GRUB: grub.cfg, then the per-MAC file it sources.
			for srv in 10.66.0.1 10.66.0.2; do
				if state_fenced "$s" && [ "$srv" = 10.66.0.1 ]; then
					! client "$c" "$srv" get grub/grub.cfg got >/dev/null 2>&1 || { echo "$s: grub.cfg served"; return 1; }
					continue
				fi
				grub_debian "$c" "$srv" "$mac" || { echo "$s $srv: debian grub"; return 1; }
				if state_fenced "$s"; then ! bootable; else bootable; fi ||
					{ echo "$s $srv: debian grub: wrong file"; cat got; return 1; }
			done
		done
	done
'

test_expect_success 'a local-boot node with discovery off: no name of either order is bootable, from either server' '
	board_readd ub $UB uboot qemu-arm64 installed &&
	db_psql -c "UPDATE pureboot.settings SET value = \$\$off\$\$ WHERE key = \$\$discovery\$\$" &&
	hook_sync "$root" &&
	for l in uboot grub; do
		for srv in 10.66.0.1 10.66.0.2; do
			! any_bootable 2 "$l" "$UB" "$srv" || { echo "$l $srv"; return 1; }
		done
	done
'

test_expect_success 'dnsmasq without the MAC (its fail-open case): the local-boot node still gets its own file first, naming no kernel' '
	ip -n "$NS_C" link del m2 && client_add 5 "$UB" unknown &&
	for l in uboot grub; do
		! any_bootable 5 "$l" "$UB" 10.66.0.1 || { echo "off: $l"; return 1; }
	done &&
	db_psql -c "UPDATE pureboot.settings SET value = \$\$on\$\$ WHERE key = \$\$discovery\$\$" &&
	hook_sync "$root" &&
	test "$(replay 5 uboot "$UB" 10.66.0.1)" = "$(board_pxe "$UB")" && ! bootable &&
	test "$(replay 5 grub "$UB" 10.66.0.1)" = "$(board_grub "$UB")" && ! bootable &&
	grub_debian 5 10.66.0.1 "$UB" && ! bootable &&
	db_psql -c "UPDATE pureboot.settings SET value = \$\$off\$\$ WHERE key = \$\$discovery\$\$" &&
	hook_sync "$root"
'

test_expect_success 'an unknown MAC walks the whole order to the root file: nothing bootable when off, discovery when on' '
	test "$(replay 4 uboot "$UNKNOWN" 10.66.0.1)" = pxelinux.cfg/default && ! bootable &&
	test "$(replay 4 grub "$UNKNOWN" 10.66.0.1)" = grub/grub.cfg && ! bootable &&
	client 4 10.66.0.1 get boot.scr.uimg got >/dev/null && cmp got "$root/boot.scr.uimg" &&
	db_psql -c "UPDATE pureboot.settings SET value = \$\$on\$\$ WHERE key = \$\$discovery\$\$" &&
	hook_sync "$root" &&
	test "$(replay 4 uboot "$UNKNOWN" 10.66.0.1)" = pxelinux.cfg/default && bootable &&
	grep -q "pureboot.mode=discovery" got && fetch_refs 4 10.66.0.1 &&
	test "$(replay 4 grub "$UNKNOWN" 10.66.0.2)" = grub/grub.cfg && bootable && fetch_refs 4 10.66.0.2
'

test_done
