#!/bin/sh
test_description='auth: operator tokens (missing, wrong, unknown, revoked, last_used) and per-install tokens (own node only, one install only)'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-api.sh"
api_start

unauth() {
	printf "401 {\"error\":{\"code\":\"unauthorized\",\"message\":\"%s\"}}\n" "$1"
}

test_expect_success 'setup: an operator token, a workflow, two installing nodes' '
	api_operator &&
	wf_add pi-img aarch64 "{\"install_method\":\"image\",\"image_verify\":\"none\",\"image_url\":\"http://s/i.img\",\"target_device\":\"/dev/mmcblk0\"}" &&
	for s in 0000aaaa 0000bbbb; do
		api GET "/api/v1/boot/pi?serial=$s" >/dev/null &&
		db_psql -c "UPDATE pureboot.nodes SET workflow_id = '"'"'pi-img'"'"'" &&
		printf "SELECT pureboot.transition(id, '"'"'pending'"'"', '"'"'t'"'"') FROM pureboot.nodes WHERE serial = :'"'"'s'"'"'\n" |
			db_psql -v s=$s >/dev/null &&
		api GET "/api/v1/boot/pi?serial=$s" >out.$s &&
		jget out.$s .token >tok.$s || return 1
	done &&
	test "$(db_count install_tokens)" = 2
'

test_expect_success 'no token: 401 with WWW-Authenticate' '
	api GET /api/v1/nodes >actual &&
	unauth "no Authorization header" >expect &&
	test_cmp expect actual &&
	grep -qi "^WWW-Authenticate: Bearer" headers
'

test_expect_success 'not a bearer token, or a malformed one: 401' '
	api GET /api/v1/nodes -H "Authorization: Basic dTpw" >actual &&
	unauth "Authorization is not \\\"Bearer <token>\\\"" >expect &&
	test_cmp expect actual &&
	api GET /api/v1/nodes -H "Authorization: Bearer $(op_token)x" >actual &&
	unauth "bearer token is not of the form pb1.<id>.<secret> or pbi1.<id>.<secret>" >expect &&
	test_cmp expect actual
'

test_expect_success 'wrong secret or unknown id: 401, the same answer' '
	unauth "the bearer token is unknown, wrong or revoked" >expect &&
	OP=$(op_token) && wrong=${OP%?}A &&
	if [ "$wrong" = "$OP" ]; then wrong=${OP%?}B; fi &&
	api GET /api/v1/nodes -H "Authorization: Bearer $wrong" >actual &&
	test_cmp expect actual &&
	api GET /api/v1/nodes -H "Authorization: Bearer pb1.000000000000.${OP##*.}" >actual &&
	test_cmp expect actual
'

test_expect_success 'a good token works and records last_used' '
	test "$(db_psql -c "SELECT last_used IS NULL FROM pureboot.api_tokens")" = t &&
	op GET /api/v1/nodes >out &&
	test "$(cut -d" " -f1 out)" = 200 &&
	test "$(db_psql -c "SELECT last_used IS NOT NULL FROM pureboot.api_tokens")" = t
'

test_expect_success 'a revoked token is 401' '
	OP2=$(db_psql -c "SELECT pureboot.token_create('"'"'second'"'"')") &&
	api GET /api/v1/settings -H "Authorization: Bearer $OP2" >out &&
	test "$(cut -d" " -f1 out)" = 200 &&
	db_psql -c "SELECT pureboot.token_revoke('"'"'second'"'"')" >/dev/null &&
	api GET /api/v1/settings -H "Authorization: Bearer $OP2" >actual &&
	unauth "the bearer token is unknown, wrong or revoked" >expect &&
	test_cmp expect actual
'

test_expect_success 'an install token is refused on operator endpoints (403)' '
	api GET /api/v1/nodes -H "Authorization: Bearer $(cat tok.0000aaaa)" >actual &&
	echo "403 {\"error\":{\"code\":\"forbidden\",\"message\":\"an install token is good only for its node'"'"'s install, events and installed calls\"}}" >expect &&
	test_cmp expect actual
'

test_expect_success 'the events of a node need a token: none is 401' '
	a=$(node_id 0000aaaa) &&
	echo "{\"type\":\"heartbeat\"}" >hb.json &&
	api_body POST "/api/v1/nodes/$a/events" hb.json >actual &&
	unauth "no Authorization header" >expect &&
	test_cmp expect actual
'

test_expect_success 'another node'"'"'s install token is 401 and writes nothing' '
	a=$(node_id 0000aaaa) &&
	db_snapshot >before &&
	api_body POST "/api/v1/nodes/$a/events" hb.json -H "Authorization: Bearer $(cat tok.0000bbbb)" >actual &&
	unauth "the install token belongs to another node" >expect &&
	test_cmp expect actual &&
	api POST "/api/v1/nodes/$a/installed" -H "Authorization: Bearer $(cat tok.0000bbbb)" >actual &&
	test_cmp expect actual &&
	db_snapshot >after &&
	test_cmp before after
'

test_expect_success 'the own install token works; the actor is the agent of that node' '
	a=$(node_id 0000aaaa) &&
	api_body POST "/api/v1/nodes/$a/events" hb.json -H "Authorization: Bearer $(cat tok.0000aaaa)" >out &&
	test "$(cut -d" " -f1 out)" = 201 &&
	api POST "/api/v1/nodes/$a/installed" -H "Authorization: Bearer $(cat tok.0000aaaa)" >out &&
	test "$(jget out .state)" = installed &&
	printf "SELECT actor FROM pureboot.node_state_log WHERE node_id = :'"'"'n'"'"' ORDER BY id DESC LIMIT 1\n" |
		db_psql -v n="$a" >actual &&
	echo "agent:$a" >expect &&
	test_cmp expect actual
'

test_expect_success 'a token replaced by a newer install is 401' '
	b=$(node_id 0000bbbb) &&
	api GET "/api/v1/boot/pi?serial=0000bbbb" >out &&
	test "$(jget out .action)" = install &&
	api_body POST "/api/v1/nodes/$b/events" hb.json -H "Authorization: Bearer $(cat tok.0000bbbb)" >actual &&
	unauth "the install token is unknown, wrong or replaced by a newer install" >expect &&
	test_cmp expect actual &&
	api_body POST "/api/v1/nodes/$b/events" hb.json -H "Authorization: Bearer $(jget out .token)" >out &&
	test "$(cut -d" " -f1 out)" = 201
'

test_expect_success 'a node that left the install path has no install token any more: 401 says why' '
	a=$(node_id 0000aaaa) &&
	echo "{\"to\":\"reprovision\"}" >t.json &&
	op_body POST "/api/v1/nodes/$a/transition" t.json >/dev/null &&
	echo "{\"to\":\"pending\"}" >t.json &&
	op_body POST "/api/v1/nodes/$a/transition" t.json >/dev/null &&
	api_body POST "/api/v1/nodes/$a/events" hb.json -H "Authorization: Bearer $(cat tok.0000aaaa)" >actual &&
	unauth "the install token is no longer good: it ended when its node went from installed to reprovision" >expect &&
	test_cmp expect actual
'

test_expect_success 'an operator token may post events and installed for any node' '
	b=$(node_id 0000bbbb) &&
	op_body POST "/api/v1/nodes/$b/events" hb.json >out &&
	test "$(cut -d" " -f1 out)" = 201 &&
	op POST "/api/v1/nodes/$b/installed" >out &&
	test "$(jget out .state)" = installed
'

test_expect_success 'no token appears in any log' '
	for t in "$(op_token)" "$(cat tok.0000aaaa)" "$(cat tok.0000bbbb)"; do
		! grep -rF -- "${t##*.}" "$TRASH/stack/log/" || return 1
	done
'

test_done
