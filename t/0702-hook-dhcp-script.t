#!/bin/sh
test_description='pureboot-tftp-hook as dnsmasq --dhcp-script: lease and TFTP events as node events'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-hook.sh"

[ "$(id -u)" = 0 ] || test_skip_all "network namespaces need root"
db_start
net_atexit
root=$TRASH/tftp

# dnsmasq passes no arguments but its own: the database comes from the
# environment, as conf/dnsmasq/ documents, as role pureboot_dhcp.  The
# script runs as user pureboot (dhcp-scriptuser), not root: it says who
# it is in script.user.
cat >"$TRASH/dhcp-script" <<EOF
#!/bin/sh
id -un >'$TRASH/script.user'
PUREBOOT_DB='$PB_DB_DHCP' PUREBOOT_TFTP_ROOT='$root' exec '$HOOK' "\$@" 2>>'$TRASH/script.log'
EOF
chmod 0755 "$TRASH/dhcp-script"
if ! { : >"$TRASH/script.log" && : >"$TRASH/script.user" &&
	chown pureboot "$TRASH/script.log" "$TRASH/script.user"; }; then
	echo "Bail out! cannot give the script its log"
	exit 1
fi

events() {
	db_psql -c "SELECT e.type || ' ' || e.payload::text FROM pureboot.node_events e
		JOIN pureboot.nodes n ON n.id = e.node_id WHERE n.serial = '$1'
		AND e.type LIKE '$2%' ORDER BY e.id"
}

# events_seen SERIAL TYPE: the node has at least one such event; for
# wait_for (dnsmasq runs the script after the lease or the transfer).
events_seen() {
	events "$1" "$2" >"$TRASH/.events" || return 1
	test -s "$TRASH/.events" || { echo "no $2 event of $1 yet" >&2; return 1; }
}

test_expect_success 'setup: a pending pi4, dnsmasq with DHCP, TFTP and the script' '
	hook_root "$root" &&
	node_add d83add36 dc:a6:32:01:02:03 pi4 pending >id &&
	hook_sync "$root" &&
	net_up &&
	dnsmasq_start "$root" --dhcp-range=10.66.3.10,10.66.3.100,255.255.0.0 \
		--dhcp-script="$TRASH/dhcp-script" --dhcp-scriptuser=pureboot \
		--dhcp-leasefile="$TRASH/leases" &&
	client_add 5 dc:a6:32:01:02:03
'

test_expect_success 'a lease (DHCPDISCOVER with a Pi vendor class) becomes a dhcp_add event' '
	ip netns exec "$NS_C" busybox udhcpc -i m5 -n -q -t 5 -T 1 -s /bin/true \
		-V "PXEClient:Arch:00000:UNDI:002001" >udhcpc.out 2>&1 &&
	wait_for "the dhcp_add event of d83add36" 60 events_seen d83add36 dhcp_add &&
	events d83add36 dhcp_add >actual &&
	grep -q "^dhcp_add {\"ip\": \"10.66.3.[0-9]*\", \"mac\": \"dc:a6:32:01:02:03\", \"vendor_class\": \"PXEClient:Arch:00000:UNDI:002001\"}\$" actual &&
	db_psql -c "SELECT last_seen IS NOT NULL FROM pureboot.nodes WHERE serial = \$\$d83add36\$\$" >seen &&
	echo t >expect && test_cmp expect seen &&
	echo pureboot >expect && test_cmp expect "$TRASH/script.user"
'

test_expect_success 'the lease is on record, where register-pi checks a MAC claim against it' '
	events d83add36 dhcp_add >actual &&
	ip=$(sed -n "s/^dhcp_add {\"ip\": \"\([0-9.]*\)\".*/\1/p" actual) &&
	db_psql -c "SELECT mac, host(addr), via FROM pureboot.leases" >leases &&
	echo "dc:a6:32:01:02:03|$ip|dhcp" >expect && test_cmp expect leases
'

test_expect_success 'a TFTP transfer after a tsize probe is one tftp_sent event' '
	client 5 10.66.0.1 -a -B 1468 get d83add36/config.txt >/dev/null &&
	wait_for "the tftp event of d83add36" 60 events_seen d83add36 tftp &&
	# Then a moment for a second (wrong) event to arrive: one is asserted.
	sleep 0.5 &&
	events d83add36 tftp >actual &&
	echo "tftp_sent {\"ip\": \"10.66.1.5\", \"file\": \"d83add36/config.txt\", \"size\": $(stat -c %s "$root/d83add36/config.txt")}" >expect &&
	test_cmp expect actual
'

# Before issue 10 it did, and with it the known address: whoever fetched
# <serial>/... first owned a node an operator had made by serial.
test_expect_success 'a Pi known by serial only gets no MAC and no address from a TFTP request' '
	db_psql -c "INSERT INTO pureboot.nodes (serial, arch, boot_mode, pi_model) VALUES (\$\$0a0a0a0a\$\$, \$\$aarch64\$\$, \$\$pi\$\$, \$\$pi4\$\$)" &&
	hook_sync "$root" &&
	client_add 6 dc:a6:32:0a:0a:0a &&
	client 6 10.66.0.1 -a -B 1468 get 0a0a0a0a/start4.elf >/dev/null &&
	wait_for "the tftp event of 0a0a0a0a" 60 events_seen 0a0a0a0a tftp &&
	db_psql -c "SELECT coalesce(mac::text, \$\$none\$\$), coalesce(host(known_addr), \$\$none\$\$) FROM pureboot.nodes WHERE serial = \$\$0a0a0a0a\$\$" >actual &&
	echo "none|none" >expect && test_cmp expect actual &&
	db_psql -c "SELECT host(addr), via FROM pureboot.leases WHERE mac = \$\$dc:a6:32:0a:0a:0a\$\$" >actual &&
	echo "10.66.1.6|tftp" >expect && test_cmp expect actual
'

test_expect_success 'a malformed environment or arguments never fail and write nothing' '
	before=$(db_count node_events) &&
	"$HOOK" add "not a mac" 10.0.0.1 && "$HOOK" add && "$HOOK" tftp &&
	"$HOOK" tftp 12x 10.0.0.1 /x && "$HOOK" tftp 1 "1.2.3.4; rm" /x &&
	DNSMASQ_VENDOR_CLASS="$(printf "\001\002evil\n\033[2J")" PUREBOOT_DB="$PB_DB_DHCP" \
		"$HOOK" add dc:a6:32:01:02:03 10.66.3.11 "bad host name" &&
	PUREBOOT_DB="host=/nonexistent" "$HOOK" old dc:a6:32:01:02:03 10.66.3.11 &&
	"$HOOK" arp-add dc:a6:32:01:02:03 10.66.3.11 && "$HOOK" init &&
	after=$(db_count node_events) && test "$after" = $((before + 1)) &&
	events d83add36 dhcp_add >all && tail -n 1 all >last &&
	echo "dhcp_add {\"ip\": \"10.66.3.11\", \"mac\": \"dc:a6:32:01:02:03\", \"vendor_class\": \"evil[2J\"}" >expect &&
	test_cmp expect last
'

test_expect_success 'a tftp size of -1, +1 or past the int range is refused' '
	before=$(db_count node_events) &&
	for sz in -1 +1 " 1" 99999999999999999999 2147483648; do
		PUREBOOT_DB="$PB_DB_DHCP" PUREBOOT_TFTP_ROOT="$root" \
			"$HOOK" tftp "$sz" 10.66.1.5 "$root/d83add36/config.txt" 2>err &&
		grep -q "dhcp-script: tftp: size \".*\" is not a number from 0 to 2147483647" err || return 1
	done &&
	test "$(db_count node_events)" = "$before" &&
	PUREBOOT_DB="$PB_DB_DHCP" PUREBOOT_TFTP_ROOT="$root" \
		"$HOOK" tftp 2147483647 10.66.1.5 "$root/d83add36/config.txt" &&
	test "$(db_count node_events)" = $((before + 1))
'

test_expect_success 'an unknown MAC writes no event, only its lease; a release ends the lease' '
	before=$(db_count node_events) &&
	PUREBOOT_DB="$PB_DB_DHCP" "$HOOK" add dc:a6:32:99:99:99 10.66.3.12 &&
	test "$(db_count node_events)" = "$before" &&
	db_psql -c "SELECT host(addr), via FROM pureboot.leases WHERE mac = \$\$dc:a6:32:99:99:99\$\$" >actual &&
	echo "10.66.3.12|dhcp" >expect && test_cmp expect actual &&
	PUREBOOT_DB="$PB_DB_DHCP" "$HOOK" del dc:a6:32:99:99:99 10.66.3.12 &&
	db_psql -c "SELECT count(*) FROM pureboot.leases WHERE mac = \$\$dc:a6:32:99:99:99\$\$" >actual &&
	echo 0 >expect && test_cmp expect actual
'

test_done
