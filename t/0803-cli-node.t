#!/bin/sh
test_description='pureboot node list|show|assign|transition|retire|history through the API: tables, --json, exit codes, bad input refused before any request'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-api.sh"
api_start
. "$PB_TOP/t/lib-cli.sh"

test_expect_success 'setup: an operator, two nodes, a workflow' '
	cli_conf &&
	register d83add36 dc:a6:32:01:02:03 pi4 &&
	register 0000abcd d8:3a:dd:00:00:01 pi5 &&
	wf_add pi-img aarch64 "{\"install_method\":\"image\",\"image_url\":\"http://10.0.0.1/x.img\",\"target_device\":\"/dev/mmcblk0\"}"
'

test_expect_success 'list: a table of both nodes; --json parses back to the same two' '
	pb_rc 0 node list &&
	head -n 1 out | grep -q "^SERIAL  *MAC  *MODEL  *STATE  *WORKFLOW  *HOSTNAME  *LAST_SEEN  *ID$" &&
	grep -q "^d83add36  dc:a6:32:01:02:03  pi4  *discovered  *- " out &&
	grep -q "^0000abcd  d8:3a:dd:00:00:01  pi5  *discovered " out &&
	test "$(wc -l <out)" = 3 &&
	pb_rc 0 node list --json &&
	jq -r ".nodes[].serial" out | sort >got &&
	printf "0000abcd\nd83add36\n" >expect && test_cmp expect got
'

test_expect_success 'list filters: by model, by state; none match: (none)' '
	pb_rc 0 node list --json --model pi5 &&
	test "$(jq -r ".nodes | map(.serial) | join(\",\")" out)" = 0000abcd &&
	pb_rc 0 node list --model pi5b --json &&
	test "$(jq -r ".nodes | length" out)" = 1 &&
	pb_rc 0 node list --state active &&
	echo "(none)" >expect && test_cmp expect out
'

test_expect_success 'list: a bad filter is refused, exit 1, before any request' '
	pb_rc 1 node list --state "active&limit=1" &&
	grep -q "^pureboot node list: state \"active&limit=1\"" err &&
	pb_rc 1 node list --model pi9 &&
	pb_rc 1 node list --arch sparc &&
	pb_rc 1 node list --workflow "../x" &&
	pb_rc 1 node list --state active --state pending &&
	grep -qx "pureboot node list: --state is given twice" err &&
	pb_rc 0 node list --workflow state-x --state active &&
	pb_rc 2 node list extra &&
	pb_rc 2 node list --frob
'

test_expect_success 'show: by serial, MAC (either spelling), hostname or id; --json is the API node' '
	id=$(node_id d83add36) &&
	pb_rc 0 node show d83add36 && grep -qx "state: discovered" out &&
	grep -qx "id: $id" out &&
	pb_rc 0 node show --json DC-A6-32-01-02-03 &&
	test "$(jq -r .id out)" = "$id" &&
	pb_rc 0 node show --json "$id" && test "$(jq -r .serial out)" = d83add36
'

test_expect_success 'show: unknown node exit 3; not a node name exit 1; no node exit 2' '
	pb_rc 3 node show deadbeef &&
	grep -qx "pureboot node show: serial \"deadbeef\" names no node" err &&
	pb_rc 3 node show 00000000-0000-4000-8000-000000000000 &&
	grep -q "^pureboot node show: 404 " err &&
	pb_rc 1 node show "a/../b" &&
	grep -qx "pureboot node show: node \"a/../b\" is not a node id, serial (8 hex digits), MAC or hostname" err &&
	pb_rc 1 node show "$(printf "x\033[2J")" &&
	grep -q "node \"x\\\\x1b\[2J\"" err &&
	pb_rc 2 node show &&
	pb_rc 2 node show a b
'

test_expect_success 'assign: workflow and hostname set; the node found by its new hostname' '
	pb_rc 0 node assign --hostname Rack1-N01 d83add36 pi-img &&
	grep -q "^node .* (d83add36): discovered, workflow pi-img, hostname rack1-n01$" out &&
	pb_rc 0 node show --json rack1-n01 &&
	test "$(jq -r .workflow_id out)" = pi-img
'

test_expect_success 'assign: an unknown workflow is the API refusal, exit 1; bad names never sent' '
	pb_rc 1 node assign d83add36 no-such-wf &&
	grep -q "^pureboot node assign: 400 .*workflow_id names no workflow" err &&
	pb_rc 1 node assign d83add36 "Pi_Img" &&
	pb_rc 1 node assign --hostname "a b" d83add36 pi-img &&
	pb_rc 2 node assign d83add36 &&
	pb_rc 0 node show --json d83add36 && test "$(jq -r .workflow_id out)" = pi-img
'

test_expect_success 'transition: to pending with a comment; --json is the node' '
	pb_rc 0 node transition --json -m "first install" d83add36 pending &&
	test "$(jq -r .state out)" = pending
'

test_expect_success 'transition: refused by the state machine exit 4, unknown state exit 1' '
	pb_rc 4 node transition d83add36 active &&
	grep -q "^pureboot node transition: 409 .*from pending to active is not allowed" err &&
	pb_rc 1 node transition d83add36 activ &&
	grep -q "state \"activ\"" err &&
	pb_rc 1 node transition -m "$(printf "a\tb")" d83add36 discovered &&
	grep -q "control byte" err &&
	pb_rc 1 node transition -m "$(head -c 501 /dev/zero | tr "\\0" x)" d83add36 discovered &&
	grep -q "over 500 bytes" err &&
	pb_rc 2 node transition d83add36 &&
	pb_rc 0 node show --json d83add36 && test "$(jq -r .state out)" = pending
'

test_expect_success 'retire, then history: every change with its actor and comment' '
	pb_rc 0 node retire -m "end of life" 0000abcd &&
	grep -q ": retired$" out &&
	pb_rc 4 node retire 0000abcd &&
	pb_rc 2 node retire --force 0000abcd &&
	pb_rc 0 node history d83add36 &&
	head -n 1 out | grep -q "^AT  *FROM  *TO  *ACTOR  *FORCED  *COMMENT$" &&
	grep -q " discovered  *pending  *api:test-operator  *false  *first install$" out &&
	pb_rc 0 node history --json 0000abcd &&
	test "$(jq -r ".history[-1] | [.from, .to, .actor, .comment] | join(\" \")" out)" = "discovered retired api:test-operator end of life" &&
	test "$(jq -r .node_id out)" = "$(node_id 0000abcd)"
'

test_expect_success 'a node row holding a terminal escape is shown as ?' '
	db_psql -c "UPDATE pureboot.nodes SET hostname = NULL WHERE serial = '"'d83add36'"'" &&
	db_psql -c "INSERT INTO pureboot.node_events (node_id, type, payload) SELECT id, '"'heartbeat'"', jsonb_build_object('"'x'"', chr(27) || '"'[2J'"') FROM pureboot.nodes WHERE serial = '"'d83add36'"'" &&
	pb_rc 0 events d83add36 &&
	! grep -q "$(printf "\033")" out && grep -q "heartbeat" out
'

test_done
