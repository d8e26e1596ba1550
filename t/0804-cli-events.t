#!/bin/sh
test_description='GET /api/v1/events and pureboot events [--follow]: the last events, tail -f by cursor, a new event printed within a bounded wait, stopped by a signal with exit 0'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-api.sh"
api_start
. "$PB_TOP/t/lib-cli.sh"
test_atexit 'for f in "$TRASH"/*.pid; do [ -e "$f" ] && kill "$(cat "$f")" 2>/dev/null; done; true'

# event SERIAL TYPE [JSON-FIELDS]: an agent event of the node, posted
# with the operator token.
event() {
	printf '{"type":"%s"%s}\n' "$2" "${3:+,$3}" >.ev &&
	op_body POST "/api/v1/nodes/$(node_id "$1")/events" .ev >.ev.out || return 1
	[ "$(cut -d" " -f1 .ev.out)" = 201 ] && return 0
	cat .ev.out >&2
	return 1
}

test_expect_success 'setup: an operator, two registered nodes (two registered events)' '
	cli_conf &&
	register d83add36 dc:a6:32:01:02:03 pi4 &&
	register 0000abcd d8:3a:dd:00:00:01 pi5
'

test_expect_success 'GET /events: the last LIMIT, oldest first, with the cursor; after= pages on' '
	op GET "/api/v1/events?limit=1" >r &&
	test "$(jget r ".events | map(.serial) | join(\",\")")" = 0000abcd &&
	test "$(jget r .cursor)" = "$(jget r ".events[0].id")" &&
	op GET /api/v1/events >r &&
	test "$(jget r ".events | map(.type) | join(\",\")")" = registered,registered &&
	first=$(jget r ".events[0].id") &&
	op GET "/api/v1/events?after=$first" >r &&
	test "$(jget r ".events | length")" = 1 &&
	last=$(jget r .cursor) &&
	op GET "/api/v1/events?after=$last" >r &&
	test "$(jget r ".events | length")" = 0 && test "$(jget r .cursor)" = "$last"
'

test_expect_success 'GET /events: bad parameters 400, no token 401' '
	op GET "/api/v1/events?after=-1" >r && test "$(cut -d" " -f1 r)" = 400 &&
	test "$(jget r .error.message)" = "events: after \"-1\" is not an id" &&
	op GET "/api/v1/events?limit=0" >r && test "$(cut -d" " -f1 r)" = 400 &&
	op GET "/api/v1/events?type=x" >r && test "$(cut -d" " -f1 r)" = 400 &&
	api GET /api/v1/events >r && test "$(cut -d" " -f1 r)" = 401
'

test_expect_success 'events: a table of the last events; -n; --json one object a line' '
	event d83add36 heartbeat &&
	pb_rc 0 events &&
	head -n 1 out | grep -q "^AT  *SERIAL  *HOSTNAME  *TYPE  *PAYLOAD$" &&
	test "$(sed 1d out | awk "{print \$3 \$5}" | tr "\n" " ")" = "d83add36registered 0000abcdregistered d83add36heartbeat " &&
	pb_rc 0 events -n 1 --json &&
	test "$(wc -l <out)" = 1 &&
	test "$(jq -r "[.serial, .type] | join(\" \")" out)" = "d83add36 heartbeat"
'

test_expect_success 'events NODE: only that node, by serial or id; unknown 3, bad 1' '
	pb_rc 0 events --json 0000abcd &&
	test "$(jq -s -r "map(.type) | join(\",\")" out)" = registered &&
	pb_rc 0 events --json "$(node_id d83add36)" &&
	test "$(jq -s -r "map(.type) | join(\",\")" out)" = registered,heartbeat &&
	pb_rc 3 events ffffffff &&
	pb_rc 1 events "x;y"
'

# follow NAME ARGS...: pureboot events --follow ARGS in the background,
# its output in NAME.out, its pid in $TRASH/NAME.pid.
follow() {
	n=$1
	shift
	"$PB" events --follow --json "$@" >"$n.out" 2>"$n.err" &
	echo $! >"$TRASH/$n.pid"
}

test_expect_success 'events --follow: prints the past, then a new event within a bounded wait; SIGTERM ends it with exit 0' '
	follow all -n 1 &&
	until_ok has all.out heartbeat &&
	event 0000abcd install_progress "\"bytes\":1024" &&
	wait_for "the new event in pureboot events --follow" 60 \
		sh -c "jq -r .type all.out | grep -qx install_progress" &&
	pid=$(cat "$TRASH/all.pid") &&
	kill -TERM "$pid" && rc=0 && wait "$pid" || rc=$? &&
	test "$rc" = 0 &&
	jq -r ".type" all.out >got &&
	printf "heartbeat\ninstall_progress\n" >expect && test_cmp expect got &&
	test ! -s all.err
'

test_expect_success 'events --follow NODE: only the node'"'"'s new events, each once; SIGINT ends it' '
	follow one -i 1 d83add36 &&
	until_ok has one.out heartbeat &&
	event 0000abcd heartbeat &&
	event d83add36 install_started &&
	event d83add36 install_progress "\"bytes\":1,\"total\":2,\"percent\":50" &&
	wait_for "both events of d83add36 in the follow" 60 \
		sh -c "jq -r .type one.out | grep -qx install_progress" &&
	pid=$(cat "$TRASH/one.pid") &&
	kill -INT "$pid" && rc=0 && wait "$pid" || rc=$? &&
	test "$rc" = 0 &&
	jq -r .type one.out >got &&
	printf "registered\nheartbeat\ninstall_started\ninstall_progress\n" >expect &&
	test_cmp expect got
'

test_expect_success 'an install token: GET /events is 403, and the CLI refuses it before asking' '
	wf_add pi-img aarch64 "{\"install_method\":\"image\",\"image_verify\":\"none\",\"image_url\":\"http://s/i.img\",\"target_device\":\"/dev/mmcblk0\"}" &&
	pb_rc 0 node assign 0000abcd pi-img &&
	pb_rc 0 node transition 0000abcd pending &&
	api GET "/api/v1/boot/pi?serial=0000abcd" >boot &&
	test "$(jget boot .action)" = install &&
	api GET /api/v1/events -H "Authorization: Bearer $(jget boot .token)" >r &&
	test "$(cut -d" " -f1 r)" = 403 &&
	PUREBOOT_TOKEN=$(jget boot .token) pb_rc 1 events &&
	grep -qx "pureboot events: PUREBOOT_TOKEN: token is an install token, not an operator token (pb1....)" err
'

test_expect_success 'events --follow ends with the API'"'"'s refusal when the token is revoked' '
	follow rev &&
	until_ok has rev.out install_progress &&
	"$PB" token revoke test-operator >/dev/null &&
	pid=$(cat "$TRASH/rev.pid") &&
	wait_for "pureboot events to end after the revoke" 60 \
		sh -c "! kill -0 $pid 2>/dev/null" &&
	rc=0 && wait "$pid" || rc=$? &&
	test "$rc" = 1 && grep -q "^pureboot events: 401 " rev.err
'

test_done
