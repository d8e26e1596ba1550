#!/bin/sh
test_description='make run starts everything, prints URL and token, Ctrl-C stops all of it'
. "${0%/*}/lib.sh"

. "$PB_TOP/t/lib-run.sh"

test_expect_success 'make run prints the API URL, a token and the psql line' '
	run_start &&
	grep -q "API: *http://127.0.0.1:$port/api/v1" run.out &&
	grep -Eq "token: *pb1\.[0-9a-f]{12}\.[A-Za-z0-9_-]{43}\$" run.out &&
	grep -q "psql: *psql .host=$state/sock dbname=pureboot" run.out
'

test_expect_success 'make run prints the TFTP root and the dnsmasq address, and serves TFTP' '
	grep -q "TFTP: *root $state/tftp\$" run.out &&
	grep -q "dnsmasq: 127.0.0.69 port 69" run.out &&
	grep -q "reconcile: 0 nodes" "$state/log/hook.log" &&
	"$PB_BUILD/pb-tftp" 127.0.0.69 get config.txt >tftp.out &&
	test "$(cat tftp.out)" = "$(stat -c %s "$state/tftp/config.txt")"
'

test_expect_success 'the printed URL answers health' '
	echo "{\"status\":\"ok\",\"database\":\"ok\"}" >expect &&
	curl -sf "http://127.0.0.1:$port/api/v1/health" >actual &&
	test_cmp expect actual
'

test_expect_success 'the printed token is stored hashed, not in clear' '
	tok=$(run_token) &&
	secret=${tok##*.} &&
	run_psql \
		-c "SELECT count(*) FROM pureboot.api_tokens WHERE encode(hash, \$\$hex\$\$) LIKE \$\$%$secret%\$\$" >n &&
	echo 0 >zero && test_cmp zero n
'

test_expect_success 'a plain UPDATE of state obeys the transition table' '
	run_psql -c \
		"INSERT INTO pureboot.nodes (serial, mac, arch, boot_mode, pi_model) VALUES (\$\$d83add36\$\$, \$\$dc:a6:32:01:02:03\$\$, \$\$aarch64\$\$, \$\$pi\$\$, \$\$pi4\$\$)" &&
	! run_psql -c \
		"UPDATE pureboot.nodes SET state = \$\$active\$\$" 2>err &&
	grep "discovered" err | grep -q "active"
'

# tftp_events: the tftp_sent events of d83add36 (for wait_for).
tftp_events() {
	run_psql -c "SELECT e.payload->>\$\$file\$\$ FROM pureboot.node_events e JOIN pureboot.nodes n ON n.id = e.node_id WHERE n.serial = \$\$d83add36\$\$ AND e.type = \$\$tftp_sent\$\$" >tftp.events &&
	test -s tftp.events
}

test_expect_success 'each service connects as its role; the dhcp-script records a TFTP transfer as pureboot_dhcp' '
	run_psql -c "SELECT DISTINCT usename FROM pg_stat_activity WHERE backend_type = \$\$client backend\$\$ AND pid <> pg_backend_pid() ORDER BY 1" >actual &&
	printf "pureboot_api\npureboot_hook\n" >expect && test_cmp expect actual &&
	grep -q "^PUREBOOT_DB=.host=$state/sock dbname=pureboot user=pureboot_dhcp. " "$state/dhcp-script" &&
	wait_for "the hook to render d83add36/config.txt" 60 test -s "$state/tftp/d83add36/config.txt" &&
	"$PB_BUILD/pb-tftp" 127.0.0.69 get d83add36/config.txt >/dev/null &&
	wait_for "the tftp_sent event of d83add36" 60 tftp_events &&
	echo d83add36/config.txt >expect && test_cmp expect tftp.events
'

test_expect_success 'a second make run on the same port is refused with a clear message' '
	! make -s -C "$PB_TOP" run STATE="$TRASH/other" PORT="$port" BUILD="$PB_BUILD" >out2 2>&1 </dev/null &&
	grep -q "port $port on 127.0.0.1 is already in use" out2
'

test_expect_success 'Ctrl-C stops everything it started' '
	run_stop &&
	grep -q "pureboot: stopped" run.out &&
	! pgrep -f "$state" >left &&
	! pgrep -f "$TRASH/other" >>left
'

test_expect_success 'a second make run reuses the state and keeps the data' '
	run_start &&
	test -d "$state/tftp/d83add36" &&
	run_psql \
		-c "SELECT serial FROM pureboot.nodes" >actual &&
	echo d83add36 >expect && test_cmp expect actual &&
	run_stop && ! pgrep -f "$state"
'

test_expect_success 'a stale pid file is reported and removed' '
	echo 999999 >"$state/api.pid" &&
	run_start &&
	grep -q "removing stale pid file $state/api.pid" run.out &&
	run_stop
'

test_done
