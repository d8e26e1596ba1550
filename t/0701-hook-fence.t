#!/bin/sh
test_description='the fence: a node that must boot locally is never served a bootable file'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-hook.sh"

[ "$(id -u)" = 0 ] || test_skip_all "network namespaces need root"
db_start
net_atexit
root=$TRASH/tftp
LOCAL_STATES="installed active migrating serving_source"

serial_of() { printf 'fe%02x%02x00' "$1" "$2"; }
mac_of() { printf 'dc:a6:32:fe:%02x:%02x' "$1" "$2"; }

# Everything a Pi could ask for that would boot it, at the root and in
# its own and another node's directory.
FILES="start4.elf start.elf bootcode.bin kernel8.img kernel_2712.img initramfs.img
fixup4.dat fixup.dat recover4.elf recovery.elf config.txt cmdline.txt"

test_expect_success 'setup: every model in every local-boot state, a netbooting node beside them, discovery on' '
	hook_root "$root" &&
	node_add 0b00b000 dc:a6:32:0b:00:00 pi4 pending >/dev/null &&
	node_add 0b00b003 dc:a6:32:0b:00:03 pi3+ pending >/dev/null &&
	mi=0 &&
	for m in $ALL_MODELS; do
		mi=$((mi + 1)) si=0
		for s in $LOCAL_STATES; do
			si=$((si + 1))
			node_add "$(serial_of $mi $si)" "$(mac_of $mi $si)" "$m" "$s" >/dev/null || return 1
		done
	done &&
	hook_sync "$root" &&
	test -L "$root/start4.elf" && test -L "$root/0b00b000/kernel8.img" &&
	net_up && dnsmasq_start "$root" && tftpd_start "$root" &&
	mi=0 &&
	for m in $ALL_MODELS; do
		mi=$((mi + 1)) si=0
		for s in $LOCAL_STATES; do
			si=$((si + 1))
			client_add $((mi * 4 + si)) "$(mac_of $mi $si)" || return 1
		done
	done
'

# Any request from a fenced MAC, through dnsmasq with the MAC known.
# One shell in the client namespace runs them all (fast).
test_expect_success 'dnsmasq: every request from a fenced MAC is refused, root and node dirs alike' '
	: >reqs && mi=0 &&
	for m in $ALL_MODELS; do
		mi=$((mi + 1)) si=0
		for s in $LOCAL_STATES; do
			si=$((si + 1)) ser=$(serial_of $mi $si)
			for f in $FILES; do
				for p in "$f" "$ser/$f" "0b00b000/$f" "0b00b003/$f"; do
					echo "$(client_ip $((mi * 4 + si))) $p" >>reqs
				done
			done
		done
	done &&
	ip netns exec "$NS_C" sh -c "
		while read -r ip p; do
			if \"\$1\" -b \"\$ip\" 10.66.0.1 get \"\$p\"; then echo \"SERVED \$ip \$p\"; fi
		done <reqs" sh "$PBTFTP" >out 2>&1 &&
	# Anything but a refusal (a transport error under load, say) is shown.
	{ test "$(grep -c "^not served" out)" = "$(wc -l <reqs)" ||
		{ grep -v "^not served" out | head -n 20; false; }; } &&
	! grep SERVED out
'

# The fail-open paths: dnsmasq before it knows the MAC, and tftp-hpa,
# which has no per-MAC root.  The node asks <serial>/ first and gets
# the zero-length start file there; nothing else it gets is bootable.
test_expect_success 'dnsmasq not knowing the MAC, and tftp-hpa: each model gives up at its first file' '
	# The same MACs again on new addresses the server has not seen.
	ip -n "$NS_S" neigh flush nud permanent dev vs &&
	mi=0 &&
	for m in $ALL_MODELS; do
		mi=$((mi + 1)) si=0
		for s in $LOCAL_STATES; do
			si=$((si + 1))
			ip -n "$NS_C" link del "m$((mi * 4 + si))" &&
			client_add $((100 + mi * 4 + si)) "$(mac_of $mi $si)" unknown || return 1
		done
	done &&
	mi=0 &&
	for m in $ALL_MODELS; do
		mi=$((mi + 1)) si=0
		for s in $LOCAL_STATES; do
			si=$((si + 1)) ser=$(serial_of $mi $si)
			for c in "$((100 + mi * 4 + si)) 10.66.0.1" "$((100 + mi * 4 + si)) 10.66.0.2"; do
				# shellcheck disable=SC2086 # client number and server
				client $c replay "$m" "$ser" >out 2>err &&
				grep -qx "end: gave up" out &&
				! grep -E ": [1-9][0-9]* bytes\$" out | grep -v "^get bootcode.bin:" &&
				! grep -q "^get $ser/.*: [1-9]" out || { echo "$m $s $c"; cat out; return 1; }
			done
		done
	done
'

test_expect_success 'and the fail-open request really came through the main root' '
	grep -q "sent $root/fe010100/start.elf to 10.66.1.105" "$TRASH/dnsmasq.log"
'

test_expect_success 'a fenced node with a serial that got past the constraints is fenced by MAC alone' '
	db_psql -c "ALTER TABLE pureboot.nodes DROP CONSTRAINT nodes_serial_check" &&
	id=$(node_add 0f0f0f0f dc:a6:32:0f:0f:0f pi4 active) &&
	db_psql -c "UPDATE pureboot.nodes SET serial = \$\$../x\$\$ WHERE id = \$\$$id\$\$" &&
	hook_sync "$root" 2>log &&
	test -d "$root/dc-a6-32-0f-0f-0f" && ! test -e "$root/x" && ! test -e "$TRASH/x" &&
	grep -q "node $id: serial \"../x\" is not 8 lower-case hex digits: fenced by MAC only" log
'

test_done
