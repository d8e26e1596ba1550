#!/bin/sh
test_description='the state walk discovered -> pending -> installing -> installed -> active -> reprovision -> pending over HTTP only; events and their checks'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-api.sh"
api_start

# state FILE: the state the reply in FILE reports.
status() { cut -d" " -f1 "$1"; }

test_expect_success 'setup: operator token and an image workflow' '
	api_operator &&
	wf_add pi-img aarch64 "{\"install_method\":\"image\",\"image_verify\":\"none\",\"image_url\":\"http://s/i.img.xz\",\"target_device\":\"/dev/mmcblk0\"}"
'

test_expect_success 'the agent registers the Pi: discovered' '
	echo "{\"serial\":\"d83add36\",\"mac\":\"dc:a6:32:01:02:03\",\"model\":\"pi4\",\"ip_address\":\"10.0.0.9\"}" >reg.json &&
	api_body POST /api/v1/nodes/register-pi reg.json >out &&
	test "$(status out) $(jget out .state)" = "201 discovered" &&
	jget out .node_id >id
'

test_expect_success 'the operator assigns the workflow and moves it to pending' '
	id=$(cat id) &&
	echo "{\"workflow_id\":\"pi-img\",\"hostname\":\"rack1-n01\"}" >p.json &&
	op_body PATCH "/api/v1/nodes/$id" p.json >out &&
	test "$(jget out ".workflow_id + \" \" + .hostname")" = "pi-img rack1-n01" &&
	echo "{\"to\":\"pending\",\"comment\":\"first install\"}" >t.json &&
	op_body POST "/api/v1/nodes/$id/transition" t.json >out &&
	test "$(jget out .state)" = pending
'

test_expect_success 'the agent asks: install, and the node is installing' '
	api GET "/api/v1/boot/pi?serial=d83add36&mac=dc:a6:32:01:02:03" >out &&
	test "$(jget out ".state + \" \" + .action")" = "installing install" &&
	jget out .token >token
'

test_expect_success 'the agent reports boot_started, install_started, progress, complete' '
	id=$(cat id) && auth="Authorization: Bearer $(cat token)" &&
	for e in "{\"type\":\"boot_started\"}" "{\"type\":\"install_started\"}" \
		"{\"type\":\"install_progress\",\"bytes\":1048576,\"total\":4194304,\"percent\":25}" \
		"{\"type\":\"install_progress\",\"bytes\":4194304}" \
		"{\"type\":\"install_complete\"}"; do
		echo "$e" >e.json &&
		api_body POST "/api/v1/nodes/$id/events" e.json -H "$auth" >out &&
		test "$(status out) $(jget out .state)" = "201 installing" || return 1
	done
'

test_expect_success 'installed, then first_boot makes it active' '
	id=$(cat id) && auth="Authorization: Bearer $(cat token)" &&
	api POST "/api/v1/nodes/$id/installed" -H "$auth" >out &&
	test "$(status out) $(jget out .state)" = "200 installed" &&
	echo "{\"type\":\"first_boot\",\"method\":\"image\"}" >e.json &&
	api_body POST "/api/v1/nodes/$id/events" e.json -H "$auth" >out &&
	test "$(status out) $(jget out .state)" = "201 active" &&
	api GET "/api/v1/boot/pi?serial=d83add36" >out &&
	test "$(jget out .action)" = local_boot
'

test_expect_success 'reprovision, then pending again' '
	id=$(cat id) &&
	echo "{\"to\":\"reprovision\"}" >t.json &&
	op_body POST "/api/v1/nodes/$id/transition" t.json >out &&
	test "$(jget out .state)" = reprovision &&
	echo "{\"to\":\"pending\"}" >t.json &&
	op_body POST "/api/v1/nodes/$id/transition" t.json >out &&
	test "$(jget out ".state + \" \" + (.install_attempts|tostring)")" = "pending 0"
'

test_expect_success 'the history shows the whole walk with who did what' '
	id=$(cat id) &&
	op GET "/api/v1/nodes/$id/history" >out &&
	jget out ".history[] | \"\(.from) \(.to) \(.actor)\"" >actual &&
	cat >expect <<-EOF2 &&
	null discovered api:register-pi
	discovered pending api:test-operator
	pending installing api:boot
	installing installed agent:$id
	installed active agent:$id
	active reprovision api:test-operator
	reprovision pending api:test-operator
	EOF2
	test_cmp expect actual &&
	test "$(jget out ".history[1].comment")" = "first install"
'

test_expect_success 'the events list has every event, oldest first, and pages' '
	id=$(cat id) &&
	op GET "/api/v1/nodes/$id/events" >out &&
	jget out "[.events[].type] | join(\" \")" >actual &&
	echo "registered boot_started install_started install_progress install_progress install_complete first_boot" >expect &&
	test_cmp expect actual &&
	test "$(jget out ".events[3].payload.percent")" = 25 &&
	op GET "/api/v1/nodes/$id/events?limit=2" >p1 &&
	test "$(jget p1 "[.events[].type] | join(\" \")")" = "registered boot_started" &&
	op GET "/api/v1/nodes/$id/events?limit=2&after=$(jget p1 .next)" >p2 &&
	test "$(jget p2 "[.events[].type] | join(\" \")")" = "install_started install_progress"
'

test_expect_success 'a refused transition is 409 naming both states' '
	id=$(cat id) &&
	echo "{\"to\":\"active\"}" >t.json &&
	op_body POST "/api/v1/nodes/$id/transition" t.json >actual &&
	echo "409 {\"error\":{\"code\":\"conflict\",\"message\":\"transition: node $id: transition from pending to active is not allowed\"}}" >expect &&
	test_cmp expect actual
'

test_expect_success 'installed out of turn is 409; an unknown node is 404' '
	id=$(cat id) &&
	op POST "/api/v1/nodes/$id/installed" >actual &&
	echo "409 {\"error\":{\"code\":\"conflict\",\"message\":\"installed: node $id: transition from pending to installed is not allowed\"}}" >expect &&
	test_cmp expect actual &&
	op POST /api/v1/nodes/00000000-0000-4000-8000-000000000000/installed >actual &&
	echo "404 {\"error\":{\"code\":\"not_found\",\"message\":\"installed: node 00000000-0000-4000-8000-000000000000 not found\"}}" >expect &&
	test_cmp expect actual
'

test_expect_success 'install_failed counts an attempt; three, then force is needed' '
	id=$(cat id) && echo "{\"to\":\"pending\"}" >pend.json &&
	for n in 1 2 3; do
		api GET "/api/v1/boot/pi?serial=d83add36" >out &&
		printf "%s\n" "{\"type\":\"install_failed\",\"reason\":\"sha256 mismatch\",\"log\":\"line 1\\nline 2\"}" >e.json &&
		api_body POST "/api/v1/nodes/$id/events" e.json -H "Authorization: Bearer $(jget out .token)" >out &&
		test "$(status out) $(jget out .state)" = "201 install_failed" &&
		test "$(db_psql -c "SELECT install_attempts FROM pureboot.nodes")" = $n || return 1
		[ $n = 3 ] || op_body POST "/api/v1/nodes/$id/transition" pend.json >/dev/null || return 1
	done &&
	op_body POST "/api/v1/nodes/$id/transition" pend.json >actual &&
	echo "409 {\"error\":{\"code\":\"conflict\",\"message\":\"transition: node $id: transition from install_failed to pending refused after 3 failed install attempts, use force\"}}" >expect &&
	test_cmp expect actual &&
	echo "{\"to\":\"pending\",\"force\":true,\"comment\":\"new image\"}" >t.json &&
	op_body POST "/api/v1/nodes/$id/transition" t.json >out &&
	test "$(jget out .state)" = pending &&
	op GET "/api/v1/nodes/$id/history" >out &&
	test "$(jget out "[.history[] | select(.to == \"install_failed\") | .comment][0]")" = "agent: sha256 mismatch"
'

test_expect_success 'bad events are 400 naming the field; nothing written' '
	id=$(cat id) &&
	db_snapshot >before &&
	cat >cases <<-\EOF2 &&
	{}|event: field \"type\" is required
	{"type":"reboot"}|event: type \"reboot\" is not one of boot_started, install_started, install_progress, install_failed, install_complete, first_boot, heartbeat, script_output
	{"type":7}|event: field \"type\" must be a string
	{"type":"install_progress"}|event: field \"bytes\" is required
	{"type":"install_progress","bytes":-1}|event: field \"bytes\" must be from 0 to 9007199254740992
	{"type":"install_progress","bytes":1,"percent":101}|event: field \"percent\" must be from 0 to 100
	{"type":"install_progress","bytes":1.5}|event: field \"bytes\" must be an integer
	{"type":"install_failed"}|event: field \"reason\" is required
	{"type":"install_failed","reason":"a\u0007b"}|event: field \"reason\" must not contain control characters
	{"type":"heartbeat","reason":"x"}|event: unknown field \"reason\"
	{"type":"first_boot","method":"disk"}|event: method \"disk\" is not one of image, nfs
	{"type":"first_boot","mode":"\u00e9"}|event: mode \"\\xc3\\xa9\" is not one of persistent, stateless
	{"type":"first_boot","root":"a\u0007b"}|event: field \"root\" must not contain control characters
	EOF2
	while IFS="|" read -r b msg; do
		printf "%s\n" "$b" >e.json &&
		op_body POST "/api/v1/nodes/$id/events" e.json >actual &&
		printf "400 {\"error\":{\"code\":\"bad_request\",\"message\":\"%s\"}}\n" "$msg" >expect &&
		test_cmp expect actual || return 1
	done <cases &&
	db_snapshot >after &&
	test_cmp before after
'

test_done
