#!/bin/sh
test_description='pureboot status (the API, its database, the hook, nodes by state, last errors) and pureboot tree check (the hook linter): output, --json, exit codes as services go down'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-api.sh"
api_start
. "$PB_TOP/t/lib-cli.sh"
. "$PB_TOP/t/lib-hook.sh"
test_atexit 'kill "$(cat "$TRASH/watch.pid" 2>/dev/null)" 2>/dev/null; true'
root=$TRASH/tftp

test_expect_success 'setup: an operator, three nodes, one failed install, a TFTP tree' '
	cli_conf &&
	register d83add36 dc:a6:32:01:02:03 pi4 &&
	register 0000abcd d8:3a:dd:00:00:01 pi5 &&
	register 3b3b3b3b b8:27:eb:00:00:01 pi3+ &&
	id=$(node_id 0000abcd) &&
	db_psql -c "SELECT 1 FROM pureboot.transition('"'"'$id'"'"', '"'"'pending'"'"', '"'"'t'"'"')" >/dev/null &&
	db_psql -c "SELECT 1 FROM pureboot.transition('"'"'$id'"'"', '"'"'installing'"'"', '"'"'t'"'"')" >/dev/null &&
	echo "{\"type\":\"install_failed\",\"reason\":\"disk too small\"}" >ev &&
	op_body POST "/api/v1/nodes/$id/events" ev >r &&
	test "$(cut -d" " -f1 r)" = 201 &&
	hook_root "$root"
'

test_expect_success 'status with the hook not running: hook down, exit 1, nodes and the failure shown' '
	pb_rc 1 status &&
	grep -qx "api:      ok" out && grep -qx "database: ok" out &&
	grep -qx "hook:     down (0 database sessions)" out &&
	grep -qx "nodes:    3" out &&
	grep -qx "  discovered       2" out && grep -qx "  install_failed   1" out &&
	grep -q "^20.* 0000abcd  install_failed  {\"reason\":\"disk too small\"" out
'

test_expect_success 'status with the hook watching: exit 0; --json parses back' '
	"$HOOK" -n -d "$PB_DB_HOOK" -r "$root" -i 3600 watch 2>"$TRASH/watch.log" &
	echo $! >"$TRASH/watch.pid" &&
	until_ok has "$TRASH/watch.log" "reconcile: 3 nodes" &&
	pb_rc 0 status --json &&
	test "$(jq -r "[.api, .database, .hook] | join(\" \")" out)" = "ok ok up" &&
	test "$(jq -r .hook_sessions out)" -ge 1 &&
	test "$(jq -r ".nodes.discovered, .nodes.install_failed, .total" out | tr "\n" " ")" = "2 1 3 " &&
	test "$(jq -r ".errors | map(.payload.reason) | join(\",\")" out)" = "disk too small"
'

test_expect_success 'status without a database to look in: hook unknown, exit 0' '
	env -u PUREBOOT_DB "$PB" status >out &&
	grep -qx "hook:     unknown" out
'

test_expect_success 'tree check: the hook linter, its output and exit code' '
	pb_rc 0 tree check -d "$PB_DB_HOOK" -r "$root" &&
	echo "check: 0 problems" >expect && test_cmp expect out &&
	PUREBOOT_TFTP_ROOT=$root PUREBOOT_DB=$PB_DB_HOOK pb_rc 0 tree check &&
	mv "$root/deploy-arm64/kernel8.img" kernel &&
	pb_rc 1 tree check -d "$PB_DB_HOOK" -r "$root" &&
	grep -qx "tree: \"d83add36/kernel8.img\" is a dangling link" out &&
	grep -qx "check: [1-9][0-9]* problems" out &&
	mv kernel "$root/deploy-arm64/kernel8.img" &&
	pb_rc 2 tree check extra && pb_rc 2 tree check -x &&
	pb_rc 1 tree check -d "$PB_DB_HOOK" -r "$TRASH/no-such-root"
'

test_expect_success 'status with PostgreSQL stopped: database down, exit 1, no nodes' '
	stack_pg_stop &&
	pb_rc 1 status &&
	grep -qx "api:      ok" out && grep -qx "database: down" out &&
	! grep -q "^nodes:" out &&
	pb_rc 1 status --json &&
	test "$(jq -r .database out)" = down &&
	stack_pg_start >/dev/null
'

test_expect_success 'status with the API stopped (nginx up) and with nothing listening: api down, exit 1' '
	stack_api_stop &&
	pb_rc 1 status &&
	grep -qx "api:      down: GET /api/v1/health: 503 api_down" out &&
	PUREBOOT_URL=http://127.0.0.1:1 pb_rc 1 status --json &&
	test "$(jq -r .api out)" = down &&
	jq -r .api_error out | grep -q "^API http://127.0.0.1:1: "
'

test_done
