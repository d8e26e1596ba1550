#!/bin/sh
test_description='the whole cycle: a state change over HTTP, then with psql, shows up on TFTP'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-hook.sh"

[ "$(id -u)" = 0 ] || test_skip_all "network namespaces need root"
api_start
net_atexit
root=$TRASH/tftp
test_atexit 'kill "$(cat "$TRASH/watch.pid")" 2>/dev/null'

replay() { client 5 10.66.0.1 replay pi4 d83add36 >out 2>err; }

test_expect_success 'setup: API, the hook watching, dnsmasq in a namespace, a pending pi4' '
	hook_root "$root" &&
	node_add d83add36 dc:a6:32:01:02:03 pi4 pending >id &&
	"$HOOK" -n -d "$PB_DB_HOOK" -r "$root" watch 2>"$TRASH/watch.log" &
	echo $! >"$TRASH/watch.pid" &&
	until_ok has "$TRASH/watch.log" "reconcile: 1 nodes" &&
	net_up && dnsmasq_start "$root" && client_add 5 dc:a6:32:01:02:03 &&
	replay && grep -q "^cmdline: .* pureboot.state=pending " out &&
	db_psql -c "SELECT pureboot.token_create(\$\$cycle\$\$)" >token
'

test_expect_success 'over HTTP: installing, then installed; TFTP refuses the node at once' '
	for s in installing installed; do
		echo "{\"to\": \"$s\"}" >body &&
		api_body POST "/api/v1/nodes/$(cat id)/transition" body \
			-H "Authorization: Bearer $(cat token)" >res &&
		grep -q "^200 " res || { cat res; return 1; }
	done &&
	until_ok test -d "$root/dc-a6-32-01-02-03" &&
	replay && grep -q "^end: failed" out &&
	! grep -E ": [1-9][0-9]* bytes\$" out
'

test_expect_success 'with psql: active, reprovision, pending; TFTP boots the deploy environment again' '
	for s in active reprovision pending; do
		db_psql -c "SELECT 1 FROM pureboot.transition(\$\$$(cat id)\$\$, \$\$$s\$\$, \$\$t\$\$)" >/dev/null || return 1
	done &&
	until_ok test ! -e "$root/dc-a6-32-01-02-03" &&
	until_ok has "$root/d83add36/cmdline.txt" "pureboot.state=pending" &&
	replay && grep -q "^end: booted kernel=d83add36/kernel8.img" out &&
	grep -q "^cmdline: .* pureboot.state=pending " out
'

test_done
