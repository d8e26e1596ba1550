#!/bin/sh
test_description='the U-Boot and GRUB lookup orders (pb_netboot_lookup) replayed against real dnsmasq and tftp-hpa, for every state: install states find a file naming the deploy kernel, local-boot states find their own file naming none, before any other name'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-hook.sh"

[ "$(id -u)" = 0 ] || test_skip_all "network namespaces need root"
NETBOOT=$PB_BUILD/pb-netboot
MAC=52:54:00:07:10:01
NODE2=52:54:00:07:10:02
UNKNOWN=52:54:00:07:10:03
root=$TRASH/tftp
net_atexit

# replay N LOADER MAC SERVER: from client N, each name of the order in
# turn until one is served; prints "<name>" and leaves the file in
# got, or prints "none".
replay() {
	for name in $("$NETBOOT" -l "$2" "$3" "$(client_ip "$1")"); do
		if client "$1" "$4" get "$name" got >/dev/null 2>&1; then
			echo "$name"
			return 0
		fi
	done
	echo none
}

# bootable: the file got names a kernel.
bootable() { grep -qE "^	KERNEL |^linux " got; }

test_expect_success 'setup: servers in a namespace, a client with each board MAC' '
	mkdir -p "$root/deploy-arm64" &&
	printf "placeholder Image\n" >"$root/deploy-arm64/Image" &&
	printf "placeholder initramfs\n" >"$root/deploy-arm64/initramfs.img" &&
	"$NETBOOT" "$root" "$NODE2" pending http://10.66.0.1 on &&
	chmod -R a+rX "$root" &&
	net_up && dnsmasq_start "$root" && tftpd_start "$root" &&
	client_add 2 "$MAC" && client_add 3 "$NODE2" && client_add 4 "$UNKNOWN"
'

test_expect_success 'every state, both loaders, both servers, discovery on: the first name served is the node'"'"'s own file, bootable exactly when the node netboots' '
	for s in $ALL_STATES; do
		"$NETBOOT" "$root" "$MAC" "$s" http://10.66.0.1 on &&
		chmod -R a+rX "$root" || return 1
		for l in uboot grub; do
			case $l in
			uboot) own=pxelinux.cfg/01-52-54-00-07-10-01 ;;
			grub) own=grub/grub.cfg-01-52-54-00-07-10-01 ;;
			esac
			for srv in 10.66.0.1 10.66.0.2; do
				got=$(replay 2 "$l" "$MAC" "$srv") &&
				test "$got" = "$own" || { echo "$s $l $srv: got $got"; return 1; }
				if state_fenced "$s"; then
					! bootable || { echo "$s $l $srv: bootable"; cat got; return 1; }
				else
					bootable || { echo "$s $l $srv: not bootable"; cat got; return 1; }
				fi
			done
		done
	done
'

test_expect_success 'an unknown MAC walks the whole order to the root file: discovery when on, nothing bootable when off' '
	"$NETBOOT" "$root" "$MAC" installed http://10.66.0.1 on &&
	test "$(replay 4 uboot "$UNKNOWN" 10.66.0.1)" = pxelinux.cfg/default && bootable &&
	test "$(replay 4 grub "$UNKNOWN" 10.66.0.1)" = grub/grub.cfg && bootable &&
	"$NETBOOT" "$root" "$MAC" installed http://10.66.0.1 off &&
	chmod -R a+rX "$root" &&
	test "$(replay 4 uboot "$UNKNOWN" 10.66.0.1)" = pxelinux.cfg/default && ! bootable &&
	test "$(replay 4 grub "$UNKNOWN" 10.66.0.1)" = grub/grub.cfg && ! bootable
'

test_expect_success 'another node netbooting beside a fenced one changes nothing for the fenced one' '
	"$NETBOOT" "$root" "$MAC" active http://10.66.0.1 on &&
	chmod -R a+rX "$root" &&
	test "$(replay 3 uboot "$NODE2" 10.66.0.1)" = pxelinux.cfg/01-52-54-00-07-10-02 && bootable &&
	test "$(replay 2 uboot "$MAC" 10.66.0.1)" = pxelinux.cfg/01-52-54-00-07-10-01 && ! bootable
'

test_done
