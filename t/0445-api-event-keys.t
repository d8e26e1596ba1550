#!/bin/sh
test_description='agent events exactly once (issue 14): a key a node already used records nothing new and answers as the first time; the same key for another event 409; bad keys 400 and nothing changed; no key as before'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-api.sh"
api_start

status() { cut -d" " -f1 "$1"; }

# ev NAME JSON [TOKEN]: POST the event JSON, with the node's install
# token or TOKEN; the reply in NAME.
ev() {
	printf "%s\n" "$2" >"$1.json" &&
	api_body POST "/api/v1/nodes/$(cat id)/events" "$1.json" \
		-H "Authorization: Bearer ${3:-$(cat token)}" >"$1"
}

# The node's attempts, its state log and its events, as text.
snap() {
	printf "%s\n" \
		"SELECT state, install_attempts FROM pureboot.nodes;" \
		"SELECT from_state, to_state FROM pureboot.node_state_log ORDER BY id;" \
		"SELECT id, type, payload, client_key FROM pureboot.node_events ORDER BY id;" |
		db_psql
}

test_expect_success 'setup: a Pi registered, pending, then installing with its token' '
	api_operator &&
	wf_add pi-img aarch64 "{\"install_method\":\"image\",\"image_verify\":\"none\",\"image_url\":\"http://s/i.img.xz\",\"target_device\":\"/dev/mmcblk0\"}" &&
	echo "{\"serial\":\"d83add36\",\"mac\":\"dc:a6:32:01:02:03\",\"model\":\"pi4\"}" >reg.json &&
	api_body POST /api/v1/nodes/register-pi reg.json >out &&
	jget out .node_id >id &&
	node_assign d83add36 "{\"workflow_id\":\"pi-img\"}" &&
	api GET "/api/v1/boot/pi?serial=d83add36&mac=dc:a6:32:01:02:03" >out &&
	test "$(jget out .state)" = installing &&
	jget out .token >token
'

test_expect_success 'an event with a key: 201, the key on its row' '
	ev first "{\"type\":\"install_progress\",\"bytes\":1048576,\"key\":\"3f2a9c1e-4b7d:7\"}" &&
	test "$(status first) $(jget first ".state + \" \" + (.duplicate|tostring)")" = "201 installing null" &&
	test "$(db_psql -c "SELECT client_key FROM pureboot.node_events WHERE type = '"'install_progress'"'")" = 3f2a9c1e-4b7d:7
'

test_expect_success 'the same event and key again: the first answer with duplicate, nothing recorded' '
	snap >before &&
	ev again "{\"type\":\"install_progress\",\"bytes\":1048576,\"key\":\"3f2a9c1e-4b7d:7\"}" &&
	test "$(status again)" = 201 &&
	body first | jq -cS ".duplicate = true" >expect &&
	body again | jq -cS . >actual &&
	test_cmp expect actual &&
	snap >after &&
	test_cmp before after
'

test_expect_success 'the same key for another type or other fields: 409 naming the first event, nothing changed' '
	snap >before &&
	e=$(jget first .event_id) &&
	ev other "{\"type\":\"heartbeat\",\"key\":\"3f2a9c1e-4b7d:7\"}" &&
	echo "409 {\"error\":{\"code\":\"conflict\",\"message\":\"event: node $(cat id): key \\\"3f2a9c1e-4b7d:7\\\" is already event $e, of type install_progress, not heartbeat\"}}" >expect &&
	test_cmp expect other &&
	ev fields "{\"type\":\"install_progress\",\"bytes\":2097152,\"key\":\"3f2a9c1e-4b7d:7\"}" &&
	echo "409 {\"error\":{\"code\":\"conflict\",\"message\":\"event: node $(cat id): key \\\"3f2a9c1e-4b7d:7\\\" is already event $e, of type install_progress with other fields\"}}" >expect &&
	test_cmp expect fields &&
	snap >after &&
	test_cmp before after
'

test_expect_success 'bad keys: 400 with the reason, the value quoted, nothing changed' '
	snap >before &&
	while IFS="|" read -r key want; do
		ev bad "{\"type\":\"heartbeat\",\"key\":$key}" &&
		printf "%s%s%s\n" "400 {\"error\":{\"code\":\"bad_request\",\"message\":\"event: " "$want" "\"}}" >expect &&
		test_cmp expect bad || return 1
	done <<-\EOF &&
	""|key \"\" is not 1 to 64 of A-Z a-z 0-9 . _ : -
	"a b"|key \"a b\" is not 1 to 64 of A-Z a-z 0-9 . _ : -
	"a/b"|key \"a/b\" is not 1 to 64 of A-Z a-z 0-9 . _ : -
	"a\"b"|key \"a\\\"b\" is not 1 to 64 of A-Z a-z 0-9 . _ : -
	"a\nb"|key \"a\\x0ab\" is not 1 to 64 of A-Z a-z 0-9 . _ : -
	"caf\u00e9"|key \"caf\\xc3\\xa9\" is not 1 to 64 of A-Z a-z 0-9 . _ : -
	"12345678901234567890123456789012345678901234567890123456789012345"|key \"123456789012345678901234567890123456789012345678901234567890...\" is not 1 to 64 of A-Z a-z 0-9 . _ : -
	7|field \"key\" must be a string
	EOF
	snap >after &&
	test_cmp before after
'

# install_failed ends the install token (sql/032): a try of it after
# a lost answer gets 401 and changes nothing (docs/agent-contract.md);
# an operator's second try is a repeat.
test_expect_success 'install_failed with a key, twice: one attempt, one transition, the same event' '
	ev f1 "{\"type\":\"install_failed\",\"reason\":\"disk full\",\"key\":\"fail-1\"}" &&
	test "$(status f1) $(jget f1 .state)" = "201 install_failed" &&
	snap >before &&
	ev f2 "{\"type\":\"install_failed\",\"reason\":\"disk full\",\"key\":\"fail-1\"}" &&
	test "$(status f2)" = 401 &&
	ev f3 "{\"type\":\"install_failed\",\"reason\":\"disk full\",\"key\":\"fail-1\"}" "$(op_token)" &&
	test "$(status f3) $(jget f3 .state) $(jget f3 .duplicate)" = "201 install_failed true" &&
	test "$(jget f1 .event_id)" = "$(jget f3 .event_id)" &&
	snap >after &&
	test_cmp before after &&
	test "$(db_psql -c "SELECT install_attempts FROM pureboot.nodes WHERE id = '"'"'$(cat id)'"'"'")" = 1
'

test_expect_success 'keys are per node: another node may use the same one' '
	db_psql -c "INSERT INTO pureboot.nodes (serial, mac, arch, boot_mode, pi_model) VALUES ('"'d83add37'"', '"'dc:a6:32:01:02:04'"', '"'aarch64'"', '"'pi'"', '"'pi4'"') RETURNING id" >id2 &&
	echo "{\"type\":\"heartbeat\",\"key\":\"3f2a9c1e-4b7d:7\"}" >hb.json &&
	op_body POST "/api/v1/nodes/$(cat id2)/events" hb.json >out &&
	test "$(status out) $(jget out .duplicate)" = "201 null"
'

test_expect_success 'first_boot with a key, sent twice: active once, one event' '
	id=$(cat id) &&
	for to in pending installing installed; do
		db_psql -c "SELECT pureboot.transition('"'"'$id'"'"', '"'"'$to'"'"', '"'test'"')" >/dev/null || return 1
	done &&
	ev fb1 "{\"type\":\"first_boot\",\"method\":\"image\",\"key\":\"fb-1\"}" "$(op_token)" &&
	ev fb2 "{\"type\":\"first_boot\",\"method\":\"image\",\"key\":\"fb-1\"}" "$(op_token)" &&
	test "$(status fb1) $(jget fb1 .state) $(jget fb1 .duplicate)" = "201 active null" &&
	test "$(status fb2) $(jget fb2 .state) $(jget fb2 .duplicate)" = "201 active true" &&
	test "$(jget fb1 .event_id)" = "$(jget fb2 .event_id)" &&
	db_psql -c "SELECT count(*) FROM pureboot.node_state_log WHERE node_id = '"'"'$id'"'"' AND to_state = '"'active'"'" >n &&
	echo 1 >one && test_cmp one n &&
	db_psql -c "SELECT count(*) FROM pureboot.node_events WHERE node_id = '"'"'$id'"'"' AND type = '"'first_boot'"'" >n &&
	test_cmp one n
'

# What every retry did before sql/039, and still does without a key.
test_expect_success 'no key: as before, each try recorded' '
	ev hb1 "{\"type\":\"heartbeat\"}" "$(op_token)" &&
	ev hb2 "{\"type\":\"heartbeat\"}" "$(op_token)" &&
	test "$(status hb1) $(status hb2)" = "201 201" &&
	test "$(jget hb2 .duplicate)" = null &&
	test "$(jget hb1 .event_id)" != "$(jget hb2 .event_id)" &&
	db_psql -c "SELECT count(*) FROM pureboot.node_events WHERE node_id = '"'"'$(cat id)'"'"' AND type = '"'heartbeat'"' AND client_key IS NULL" >n &&
	echo 2 >two && test_cmp two n
'

test_expect_success 'psql cannot store a key the API would refuse' '
	! db_psql -c "UPDATE pureboot.node_events SET client_key = '"'a b'"' WHERE type = '"'heartbeat'"'" 2>err &&
	grep -q node_events_client_key_check err
'

test_done
