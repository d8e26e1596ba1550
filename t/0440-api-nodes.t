#!/bin/sh
test_description='nodes (list, filters, paging, get, patch, delete), workflows, settings, 404 and 405'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-api.sh"
api_start

test_expect_success 'setup: token, workflows, 25 nodes of two models' '
	api_operator &&
	wf_add pi-img aarch64 "{\"install_method\":\"image\",\"image_verify\":\"none\",\"image_url\":\"http://s/i.img\",\"target_device\":\"/dev/mmcblk0\"}" &&
	wf_add pc-img x86_64 "{\"install_method\":\"image\"}" &&
	db_psql -c "INSERT INTO pureboot.nodes (serial, mac, arch, boot_mode, pi_model)
		SELECT lpad(to_hex(i), 8, '"'"'0'"'"'), NULL, '"'"'aarch64'"'"', '"'"'pi'"'"',
		       CASE WHEN i % 5 = 0 THEN '"'"'pi5'"'"' ELSE '"'"'pi4'"'"' END
		FROM generate_series(1, 25) i" &&
	db_psql -c "INSERT INTO pureboot.nodes (mac, arch, boot_mode) VALUES ('"'"'52:54:00:00:00:01'"'"', '"'"'x86_64'"'"', '"'"'uefi'"'"')" &&
	db_psql -c "SELECT pureboot.transition(id, '"'"'pending'"'"', '"'"'t'"'"') FROM pureboot.nodes WHERE serial <= '"'"'00000003'"'"'" >/dev/null
'

test_expect_success 'GET /nodes lists all, in id order' '
	op GET /api/v1/nodes >out &&
	test "$(jget out ".nodes | length")" = 26 &&
	jget out ".nodes[].id" >ids && sort ids >sorted && test_cmp sorted ids &&
	test "$(jget out .next)" = null
'

test_expect_success 'filters: arch, state, pi_model (alias accepted), workflow' '
	op GET "/api/v1/nodes?arch=x86_64" >out &&
	test "$(jget out "[.nodes[].boot_mode] | join(\",\")")" = uefi &&
	op GET "/api/v1/nodes?state=pending" >out &&
	test "$(jget out "[.nodes[].serial] | sort | join(\",\")")" = "00000001,00000002,00000003" &&
	op GET "/api/v1/nodes?pi_model=pi5b&state=discovered" >out &&
	test "$(jget out "[.nodes[].serial] | sort | join(\",\")")" = "00000005,0000000a,0000000f,00000014,00000019" &&
	op GET "/api/v1/nodes?workflow=pi-img" >out &&
	test "$(jget out ".nodes | length")" = 0
'

test_expect_success 'filter workflow: the nodes on it, and not the others' '
	test_when_finished "db_psql -c \"UPDATE pureboot.nodes SET workflow_id = NULL\"" &&
	db_psql -c "UPDATE pureboot.nodes SET workflow_id = \$\$pi-img\$\$
		WHERE serial IN (\$\$00000001\$\$, \$\$00000004\$\$, \$\$00000006\$\$)" &&
	db_psql -c "UPDATE pureboot.nodes SET workflow_id = \$\$pc-img\$\$ WHERE arch = \$\$x86_64\$\$" &&
	op GET "/api/v1/nodes?workflow=pi-img" >out &&
	test "$(jget out "[.nodes[].serial] | sort | join(\",\")")" = "00000001,00000004,00000006" &&
	test "$(jget out "[.nodes[].workflow_id] | unique | join(\",\")")" = pi-img &&
	op GET "/api/v1/nodes?workflow=pi-img&state=pending" >out &&
	test "$(jget out "[.nodes[].serial] | join(\",\")")" = 00000001 &&
	op GET "/api/v1/nodes?workflow=pc-img" >out &&
	test "$(jget out "[.nodes[].mac] | join(\",\")")" = 52:54:00:00:00:01
'

test_expect_success 'paging with limit and after walks every node once' '
	after="" && : >seen && pages=0 &&
	while :; do
		op GET "/api/v1/nodes?limit=10${after:+&after=$after}" >out &&
		jget out ".nodes[].id" >>seen &&
		pages=$((pages + 1)) &&
		after=$(jget out .next) &&
		if [ "$after" = null ]; then break; fi
	done &&
	test $pages = 3 &&
	test "$(sort -u seen | wc -l)" = 26
'

test_expect_success 'bad filters are 400 with the reason' '
	cat >cases <<-\EOF2 &&
	state=bogus|nodes: state \"bogus\" is not a node state
	arch=arm64|nodes: arch \"arm64\" is not aarch64 or x86_64
	pi_model=pi9|nodes: model \"pi9\" is not one of pi3, pi3+, cm3, pi4, pi400, cm4, pi5, cm5, pi500
	workflow=a%2Fb|nodes: workflow id \"a/b\" is not 1 to 63 of a-z 0-9 - (not starting with -)
	after=x|nodes: id \"x\" is not a UUID
	limit=0|nodes: limit \"0\" is not a number from 1 to 1000
	limit=10x|nodes: limit \"10x\" is not a number from 1 to 1000
	limit=-1|nodes: limit \"-1\" is not a number from 1 to 1000
	limit=%2B5|nodes: limit \"+5\" is not a number from 1 to 1000
	limit=%205|nodes: limit \" 5\" is not a number from 1 to 1000
	limit=99999999999999999999|nodes: query: limit: value longer than 15 bytes
	limit=999999999999999|nodes: limit \"999999999999999\" is not a number from 1 to 1000
	order=id|nodes: query: unknown parameter \"order\"
	EOF2
	while IFS="|" read -r q msg; do
		op GET "/api/v1/nodes?$q" >actual &&
		printf "400 {\"error\":{\"code\":\"bad_request\",\"message\":\"%s\"}}\n" "$msg" >expect &&
		test_cmp expect actual || return 1
	done <cases
'

test_expect_success 'GET /nodes/{id}: the node; unknown 404; not a UUID 400' '
	id=$(node_id 00000001) &&
	op GET "/api/v1/nodes/$id" >out &&
	test "$(jget out ".id + \" \" + .serial + \" \" + .state")" = "$id 00000001 pending" &&
	op GET /api/v1/nodes/00000000-0000-4000-8000-000000000000 >actual &&
	echo "404 {\"error\":{\"code\":\"not_found\",\"message\":\"node: no such node\"}}" >expect &&
	test_cmp expect actual &&
	op GET "/api/v1/nodes/1%27%20OR%201=1" >actual &&
	echo "400 {\"error\":{\"code\":\"bad_request\",\"message\":\"node: id \\\"1'"'"' OR 1=1\\\" is not a UUID\"}}" >expect &&
	test_cmp expect actual
'

test_expect_success 'PATCH: hostname (lowered), model (alias), workflow; null clears' '
	id=$(node_id 00000001) &&
	echo "{\"hostname\":\"Rack1-N01\",\"pi_model\":\"pi3b+\",\"workflow_id\":\"pi-img\"}" >p.json &&
	op_body PATCH "/api/v1/nodes/$id" p.json >out &&
	test "$(jget out ".hostname + \" \" + .pi_model + \" \" + .workflow_id")" = "rack1-n01 pi3+ pi-img" &&
	echo "{\"hostname\":null}" >p.json &&
	op_body PATCH "/api/v1/nodes/$id" p.json >out &&
	test "$(jget out ".hostname, .workflow_id" | tr "\n" " ")" = "null pi-img "
'

test_expect_success 'PATCH: a workflow of another arch is 409 naming both' '
	id=$(node_id 00000001) &&
	echo "{\"workflow_id\":\"pc-img\"}" >p.json &&
	op_body PATCH "/api/v1/nodes/$id" p.json >actual &&
	echo "409 {\"error\":{\"code\":\"conflict\",\"message\":\"patch node: node $id: workflow pc-img is for x86_64, the node is aarch64\"}}" >expect &&
	test_cmp expect actual
'

test_expect_success 'PATCH: bad values are 400; nothing changes' '
	id=$(node_id 00000001) &&
	db_snapshot >before &&
	cat >cases <<-\EOF2 &&
	{"workflow_id":"nope"}|patch node: workflow_id names no workflow
	{"hostname":"a.b"}|patch node: hostname \"a.b\" may hold only letters, digits and '"'"'-'"'"'
	{"hostname":"-a"}|patch node: hostname \"-a\" must not begin or end with '"'"'-'"'"'
	{"pi_model":4}|patch node: field \"pi_model\" must be a string
	{"state":"active"}|patch node: unknown field \"state\"
	{}|patch node: nothing to change; fields: hostname, pi_model, workflow_id, mac, arch, boot_mode, board, dtb, vars
	EOF2
	while IFS="|" read -r b msg; do
		printf "%s\n" "$b" >p.json &&
		op_body PATCH "/api/v1/nodes/$id" p.json >actual &&
		printf "400 {\"error\":{\"code\":\"bad_request\",\"message\":\"%s\"}}\n" "$msg" >expect &&
		test_cmp expect actual || return 1
	done <cases &&
	db_snapshot >after &&
	test_cmp before after
'

test_expect_success 'DELETE: 204, then 404' '
	id=$(node_id 00000002) &&
	op DELETE "/api/v1/nodes/$id" >actual &&
	echo "204 " >expect && test_cmp expect actual &&
	test "$(db_count nodes)" = 25 &&
	op DELETE "/api/v1/nodes/$id" >actual &&
	echo "404 {\"error\":{\"code\":\"not_found\",\"message\":\"delete node: no such node\"}}" >expect &&
	test_cmp expect actual
'

test_expect_success 'workflows: list and one; unknown 404; bad id 400' '
	op GET /api/v1/workflows >out &&
	test "$(jget out "[.workflows[] | .id + \":\" + .arch] | join(\" \")")" = "pc-img:x86_64 pi-img:aarch64" &&
	op GET /api/v1/workflows/pi-img >out &&
	test "$(jget out .definition.image_url)" = http://s/i.img &&
	test "$(jget out .definition.image_verify)" = none &&
	op GET /api/v1/workflows/nope >actual &&
	echo "404 {\"error\":{\"code\":\"not_found\",\"message\":\"workflow: no such workflow\"}}" >expect &&
	test_cmp expect actual &&
	op GET /api/v1/workflows/NOPE >out &&
	test "$(cut -d" " -f1 out)" = 400
'

test_expect_success 'settings: get, patch, bad values' '
	op GET /api/v1/settings >actual &&
	echo "200 {\"server_url\":\"http://127.0.0.1:8080\",\"auto_register\":true,\"discovery\":true,\"agent_trust\":\"address\",\"discovery_limit\":1000,\"discovery_per_addr\":10,\"events_per_minute\":120,\"install_token_ttl\":7200}" >expect &&
	test_cmp expect actual &&
	echo "{\"server_url\":\"https://pxe.lab.example/pb\",\"discovery\":false}" >s.json &&
	op_body PATCH /api/v1/settings s.json >actual &&
	echo "200 {\"server_url\":\"https://pxe.lab.example/pb\",\"auto_register\":true,\"discovery\":false,\"agent_trust\":\"address\",\"discovery_limit\":1000,\"discovery_per_addr\":10,\"events_per_minute\":120,\"install_token_ttl\":7200}" >expect &&
	test_cmp expect actual &&
	test "$(db_psql -c "SELECT value FROM pureboot.settings WHERE key = '"'"'discovery'"'"'")" = off &&
	echo "{\"server_url\":\"http://x/\$(reboot)\"}" >s.json &&
	op_body PATCH /api/v1/settings s.json >actual &&
	echo "400 {\"error\":{\"code\":\"bad_request\",\"message\":\"settings: server_url \\\"http://x/\$(reboot)\\\" has a character outside A-Z a-z 0-9 . _ ~ / - in its path\"}}" >expect &&
	test_cmp expect actual &&
	echo "{\"auto_register\":\"yes\"}" >s.json &&
	op_body PATCH /api/v1/settings s.json >actual &&
	echo "400 {\"error\":{\"code\":\"bad_request\",\"message\":\"settings: field \\\"auto_register\\\" must be true or false\"}}" >expect &&
	test_cmp expect actual &&
	echo "{\"discovery\":null}" >s.json &&
	op_body PATCH /api/v1/settings s.json >actual &&
	echo "400 {\"error\":{\"code\":\"bad_request\",\"message\":\"settings: field \\\"discovery\\\" must be true or false\"}}" >expect &&
	test_cmp expect actual
'

test_expect_success 'settings: the agent-trust settings (issue 10), set and refused' '
	echo "{\"agent_trust\":\"open\",\"discovery_limit\":0,\"discovery_per_addr\":3,\"events_per_minute\":600,\"install_token_ttl\":900}" >s.json &&
	op_body PATCH /api/v1/settings s.json >out &&
	test "$(jget out "[.agent_trust, .discovery_limit, .discovery_per_addr, .events_per_minute, .install_token_ttl] | @tsv")" = "open	0	3	600	900" &&
	db_psql -c "SELECT key || '"'"'='"'"' || value FROM pureboot.settings WHERE key IN ('"'"'agent_trust'"'"', '"'"'discovery_limit'"'"') ORDER BY key" >actual &&
	printf "agent_trust=open\ndiscovery_limit=0\n" >expect &&
	test_cmp expect actual &&
	cat >cases <<-\EOF &&
	{"agent_trust":"closed"}|settings: field "agent_trust" must be "address" or "open"
	{"agent_trust":null}|settings: field "agent_trust" must be a string
	{"discovery_limit":-1}|settings: field "discovery_limit" must be from 0 to 9999999
	{"discovery_per_addr":0}|settings: field "discovery_per_addr" must be from 1 to 999999
	{"events_per_minute":"120"}|settings: field "events_per_minute" must be an integer
	{"install_token_ttl":0}|settings: field "install_token_ttl" must be from 1 to 2592000
	EOF
	while IFS="|" read -r b msg; do
		printf "%s\n" "$b" >s.json &&
		op_body PATCH /api/v1/settings s.json >out &&
		test "$(jget out .error.message)" = "$msg" || return 1
	done <cases &&
	echo "{\"agent_trust\":\"address\",\"discovery_limit\":1000,\"discovery_per_addr\":10,\"events_per_minute\":120,\"install_token_ttl\":7200}" >s.json &&
	op_body PATCH /api/v1/settings s.json >out &&
	test "$(cut -d" " -f1 out)" = 200
'

test_expect_success 'unknown routes are 404; wrong methods 405 with Allow' '
	op GET /api/v1/nodes/x/y/z >out &&
	test "$(cut -d" " -f1 out)" = 404 &&
	op PUT /api/v1/nodes >actual &&
	echo "405 {\"error\":{\"code\":\"method_not_allowed\",\"message\":\"PUT is not allowed here; allowed: GET, POST\"}}" >expect &&
	test_cmp expect actual && grep -qx "Allow: GET.*" headers &&
	op GET /api/v1/nodes/register-pi >actual &&
	echo "405 {\"error\":{\"code\":\"method_not_allowed\",\"message\":\"GET is not allowed here; allowed: POST\"}}" >expect &&
	test_cmp expect actual &&
	op POST /api/v1/nodes/00000000-0000-4000-8000-000000000000 >actual &&
	echo "405 {\"error\":{\"code\":\"method_not_allowed\",\"message\":\"POST is not allowed here; allowed: GET, PATCH, DELETE\"}}" >expect &&
	test_cmp expect actual &&
	grep -qx "Allow: GET, PATCH, DELETE.*" headers
'

test_done
