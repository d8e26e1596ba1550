#!/bin/sh
test_description='agent trust (issue 10): a node speaks from its known address; an outsider changes nothing; what the agent may create is bounded'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-api.sh"
api_start
api_operator

# The node's agent and an outsider on the same provisioning network.
NODE=127.0.0.11
EVIL=127.0.0.66
A=d83add36
MAC=dc:a6:32:01:02:03
SHA=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
REFUSED="refused: this request is not from the known address of the node, so nothing was changed or served; a new address is learned from its DHCP lease"

setting() {
	printf "UPDATE pureboot.settings SET value = :'v' WHERE key = :'k'\n" |
		db_psql -v k="$1" -v v="$2"
}

reg_from() {
	printf '%s\n' "$2" >reg.json &&
	api_body_from "$1" POST /api/v1/nodes/register-pi reg.json
}

tr_sql() {
	printf "SELECT pureboot.transition(id, :'t', 'test') FROM pureboot.nodes WHERE serial = :'s'\n" |
		db_psql -v s="$1" -v t="$2" >/dev/null
}

# The answer an outsider gets for node $1 in state $2 with action $3.
refused_answer() {
	printf '200 {"state":"%s","action":"%s","message":"%s","node_id":"%s","retry_after":30}\n' \
		"$2" "$3" "$REFUSED" "$(node_id "$1")"
}

test_expect_success 'setup: workflows; the defaults are agent_trust address' '
	wf_add pi-img aarch64 "{\"install_method\":\"image\",\"image_url\":\"\${server}/img/\${serial}.img.xz\",\"image_sha256\":\"$SHA\",\"target_device\":\"/dev/mmcblk0\"}" &&
	wf_add pi-nfs aarch64 "{\"install_method\":\"nfs\",\"nfs_server\":\"10.9.8.7\",\"nfs_base_path\":\"/srv/nfs\",\"nfs_image\":\"base\"}" &&
	op GET /api/v1/settings >out &&
	test "$(jget out "[.agent_trust, .discovery_limit, .discovery_per_addr, .events_per_minute] | @tsv")" = "address	1000	10	120"
'

test_expect_success 'a new node takes the address it registered from as its known address' '
	reg_from $NODE "{\"serial\":\"$A\",\"mac\":\"$MAC\",\"model\":\"pi4\",\"ip_address\":\"10.0.0.5\"}" >out &&
	test "$(cut -d" " -f1 out)" = 201 &&
	db_psql -c "SELECT host(known_addr), host(created_addr) FROM pureboot.nodes" >actual &&
	echo "$NODE|$NODE" >expect &&
	test_cmp expect actual &&
	op GET "/api/v1/nodes/$(node_id $A)" >out &&
	test "$(jget out "[.ip_address, .known_addr] | @tsv")" = "10.0.0.5	$NODE"
'

# Finding 3: an update of an existing serial from another address.
test_expect_success 'register-pi from another address: 409, nothing changed, one refusal recorded' '
	node_snap $A >before &&
	reg_from $EVIL "{\"serial\":\"$A\",\"mac\":\"02:00:00:00:00:66\",\"model\":\"pi3\",\"ip_address\":\"10.6.6.6\"}" >actual &&
	echo "409 {\"error\":{\"code\":\"conflict\",\"message\":\"register-pi: serial $A is known at another address; nothing was changed (a node'"'"'s new address is learned from its DHCP lease)\"}}" >expect &&
	test_cmp expect actual &&
	reg_from $EVIL "{\"serial\":\"$A\",\"mac\":\"02:00:00:00:00:66\"}" >out &&
	test "$(cut -d" " -f1 out)" = 409 &&
	node_snap $A >after &&
	test_cmp before after &&
	echo "register-pi|$EVIL|$NODE" >expect &&
	refusals $A >actual &&
	test_cmp expect actual &&
	db_psql -c "SELECT payload->>'"'"'mac'"'"' FROM pureboot.node_events WHERE type = '"'"'agent_refused'"'"'" >actual &&
	echo 02:00:00:00:00:66 >expect &&
	test_cmp expect actual
'

test_expect_success 'register-pi from the known address still updates the node' '
	reg_from $NODE "{\"serial\":\"$A\",\"mac\":\"$MAC\",\"model\":\"pi4\",\"ip_address\":\"10.0.0.6\"}" >out &&
	test "$(cut -d" " -f1 out)" = 200 &&
	db_psql -c "SELECT mac, pi_model, host(ip_address) FROM pureboot.nodes WHERE serial = '"'"'$A'"'"'" >actual &&
	echo "$MAC|pi4|10.0.0.6" >expect &&
	test_cmp expect actual
'

test_expect_success 'a new serial with the MAC of a node: 409, that node untouched, no node made' '
	node_snap $A >before &&
	reg_from $EVIL "{\"serial\":\"0000beef\",\"mac\":\"$MAC\"}" >actual &&
	echo "409 {\"error\":{\"code\":\"conflict\",\"message\":\"register-pi: mac is already used by another node\"}}" >expect &&
	test_cmp expect actual &&
	api_from $EVIL GET "/api/v1/boot/pi?serial=0000beef&mac=$MAC" >out &&
	test "$(cut -d" " -f1 out)" = 409 &&
	node_snap $A >after &&
	test_cmp before after &&
	reg_from $NODE "{\"serial\":\"$A\",\"mac\":\"$MAC\"}" >out &&
	test "$(cut -d" " -f1 out)" = 200
'

# Finding 1 (and 2: the answer carries nothing of the workflow).
test_expect_success 'boot/pi from another address for a pending node: state and action only, no change' '
	printf "UPDATE pureboot.nodes SET workflow_id = '"'"'pi-img'"'"' WHERE serial = '"'"'$A'"'"'\n" | db_psql &&
	tr_sql $A pending &&
	node_snap $A >before &&
	api_from $EVIL GET "/api/v1/boot/pi?serial=$A" >actual &&
	refused_answer $A pending wait >expect &&
	test_cmp expect actual &&
	api_from $EVIL GET "/api/v1/boot/pi?serial=$A&format=env&mac=02:00:00:00:00:66" >env &&
	! grep -q "PB_TOKEN\|PB_IMAGE\|PB_FILE\|PB_CALLBACK" env &&
	cat >expect <<-EOF2 &&
	200 PB_STATE='"'"'pending'"'"'
	PB_ACTION='"'"'wait'"'"'
	PB_MESSAGE='"'"'$REFUSED'"'"'
	PB_NODE_ID='"'"'$(node_id $A)'"'"'
	PB_RETRY_AFTER='"'"'30'"'"'
	EOF2
	test_cmp expect env &&
	node_snap $A >after &&
	test_cmp before after &&
	refusals $A >actual &&
	printf "register-pi|$EVIL|$NODE\nboot/pi|$EVIL|$NODE\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'boot/pi from the known address starts the install, as before' '
	api_from $NODE GET "/api/v1/boot/pi?serial=$A" >out &&
	test "$(jget out .action)" = install &&
	test "$(jget out .state)" = installing &&
	jget out .token >token &&
	grep -q "^pbi1\." token &&
	db_psql -c "SELECT state, install_attempts FROM pureboot.nodes WHERE serial = '"'"'$A'"'"'" >actual &&
	echo "installing|0" >expect &&
	test_cmp expect actual
'

test_expect_success 'three outsider GETs during the install: no attempt counted, the token still good' '
	node_snap $A >before &&
	for i in 1 2 3; do
		api_from $EVIL GET "/api/v1/boot/pi?serial=$A" >actual &&
		refused_answer $A installing wait >expect &&
		test_cmp expect actual || return 1
	done &&
	node_snap $A >after &&
	test_cmp before after &&
	echo "{\"type\":\"install_progress\",\"bytes\":1}" >ev.json &&
	api_body_from $NODE POST "/api/v1/nodes/$(node_id $A)/events" ev.json \
		-H "Authorization: Bearer $(cat token)" >out &&
	test "$(cut -d" " -f1 out)" = 201
'

test_expect_success 'asking again from the known address during the install is the reboot case, as before' '
	api_from $NODE GET "/api/v1/boot/pi?serial=$A" >out &&
	test "$(jget out .action)" = install &&
	jget out .token >token2 &&
	! test_cmp token token2 &&
	db_psql -c "SELECT state, install_attempts FROM pureboot.nodes WHERE serial = '"'"'$A'"'"'" >actual &&
	echo "installing|1" >expect &&
	test_cmp expect actual &&
	mv token2 token
'

# Finding 5, events: bounded per install token and minute.
test_expect_success 'events past events_per_minute: 429 with Retry-After; an operator is not bounded' '
	setting events_per_minute 5 &&
	test_when_finished "setting events_per_minute 120" &&
	id=$(node_id $A) &&
	echo "{\"type\":\"install_progress\",\"bytes\":2}" >ev.json &&
	# The events of the last minute count (test 8 sent one): post
	# until refused, at most 10 times.
	n=0 && code=201 && while [ $n -lt 10 ] && [ "$code" = 201 ]; do
		api_body_from $NODE POST "/api/v1/nodes/$id/events" ev.json \
			-H "Authorization: Bearer $(cat token)" >out &&
		code=$(cut -d" " -f1 out) || return 1
		n=$((n + 1))
	done &&
	test "$code" = 429 &&
	db_psql -c "SELECT count(*) FROM pureboot.node_events WHERE node_id = '"'"'$id'"'"' AND type LIKE '"'"'install_%'"'"' AND created_at > now() - interval '"'"'1 minute'"'"'" >actual &&
	echo 5 >expect && test_cmp expect actual &&
	test "$(jget out .error.code)" = too_many_requests &&
	test "$(jget out .error.message)" = "event: node $id: 5 events in the last minute (events_per_minute 5)" &&
	r=$(sed -n "s/^Retry-After: \([0-9]*\).*/\1/ip" headers) &&
	test "$r" -ge 1 && test "$r" -le 60 &&
	op_body POST "/api/v1/nodes/$id/events" ev.json >out &&
	test "$(cut -d" " -f1 out)" = 201
'

test_expect_success 'the real agent finishes its install with its token' '
	api_from $NODE POST "/api/v1/nodes/$(node_id $A)/installed" \
		-H "Authorization: Bearer $(cat token)" >out &&
	test "$(jget out .state)" = installed
'

test_expect_success 'an NFS node: the outsider gets the action without the NFS keys' '
	reg_from $NODE "{\"serial\":\"0000f00d\",\"mac\":\"dc:a6:32:0f:00:0d\"}" >out &&
	printf "UPDATE pureboot.nodes SET workflow_id = '"'"'pi-nfs'"'"' WHERE serial = '"'"'0000f00d'"'"'\n" | db_psql &&
	tr_sql 0000f00d pending && tr_sql 0000f00d installing && tr_sql 0000f00d installed &&
	node_snap 0000f00d >before &&
	api_from $EVIL GET "/api/v1/boot/pi?serial=0000f00d" >actual &&
	refused_answer 0000f00d installed nfs >expect &&
	test_cmp expect actual &&
	node_snap 0000f00d >after &&
	test_cmp before after &&
	api_from $NODE GET "/api/v1/boot/pi?serial=0000f00d" >out &&
	test "$(jget out .nfs_server)" = 10.9.8.7
'

test_expect_success 'operators see the refusals among the events' '
	op GET "/api/v1/nodes/$(node_id $A)/events" >out &&
	jget out "[.events[] | select(.type == \"agent_refused\") | .payload.endpoint + \" \" + .payload.addr] | join(\",\")" >actual &&
	echo "register-pi $EVIL,boot/pi $EVIL" >expect &&
	test_cmp expect actual
'

test_expect_success 'a DHCP lease moves the known address; the old address is then the outsider' '
	printf "SELECT pureboot.hook_dhcp_event('"'"'old'"'"', :'"'"'m'"'"', :'"'"'ip'"'"', NULL, NULL) IS NOT NULL\n" |
		db_psql -v m=$MAC -v ip=$EVIL >actual &&
	echo t >expect && test_cmp expect actual &&
	api_from $EVIL GET "/api/v1/boot/pi?serial=$A" >out &&
	test "$(jget out .action)" = local_boot &&
	test "$(jget out .message)" = "boot from local storage" &&
	node_snap $A >before &&
	api_from $NODE GET "/api/v1/boot/pi?serial=$A" >actual &&
	refused_answer $A installed local_boot >expect &&
	test_cmp expect actual &&
	node_snap $A >after &&
	test_cmp before after &&
	printf "SELECT pureboot.hook_dhcp_event('"'"'add'"'"', :'"'"'m'"'"', :'"'"'ip'"'"', NULL, NULL) IS NOT NULL\n" |
		db_psql -v m=$MAC -v ip=$NODE >/dev/null &&
	db_psql -c "SELECT host(known_addr) FROM pureboot.nodes WHERE serial = '"'"'$A'"'"'" >actual &&
	echo $NODE >expect && test_cmp expect actual
'

test_expect_success 'a TFTP transfer moves the known address only when it comes from the MAC of the node' '
	tftp_ev() {
		printf "SELECT pureboot.hook_tftp_event(1, :'"'"'ip'"'"', :'"'"'s'"'"', NULL, :'"'"'s'"'"' || '"'"'/config.txt'"'"', nullif(:'"'"'cm'"'"', '"'"''"'"')::macaddr) IS NOT NULL\n" |
			db_psql -v ip="$1" -v s=$A -v cm="$2"
	} &&
	known() {
		db_psql -c "SELECT host(known_addr) FROM pureboot.nodes WHERE serial = '"'"'$A'"'"'"
	} &&
	tftp_ev $EVIL "" >actual && echo t >expect && test_cmp expect actual &&
	test "$(known)" = $NODE &&
	tftp_ev $EVIL 02:00:00:00:00:66 >/dev/null &&
	test "$(known)" = $NODE &&
	tftp_ev 127.0.0.12 $MAC >/dev/null &&
	test "$(known)" = 127.0.0.12 &&
	tftp_ev $NODE $MAC >/dev/null &&
	test "$(known)" = $NODE
'

test_expect_success 'a node without a known address learns it from its first caller, once' '
	db_psql -c "INSERT INTO pureboot.nodes (serial, arch, boot_mode) VALUES ('"'"'0000cafe'"'"', '"'"'aarch64'"'"', '"'"'pi'"'"')" &&
	api_from $NODE GET "/api/v1/boot/pi?serial=0000cafe" >out &&
	test "$(jget out .action)" = wait &&
	db_psql -c "SELECT host(known_addr) FROM pureboot.nodes WHERE serial = '"'"'0000cafe'"'"'" >actual &&
	echo $NODE >expect && test_cmp expect actual &&
	db_psql -c "SELECT payload->>'"'"'addr'"'"' FROM pureboot.node_events e JOIN pureboot.nodes n ON n.id = e.node_id WHERE n.serial = '"'"'0000cafe'"'"' AND e.type = '"'"'addr_learned'"'"'" >actual &&
	test_cmp expect actual &&
	api_from $EVIL GET "/api/v1/boot/pi?serial=0000cafe" >out &&
	test "$(jget out .message)" = "$REFUSED"
'

# fuzz_config ADDR SEED: 1,000 outsider requests from ADDR: boot/pi and
# register-pi for the known nodes with random MACs, models, formats, and
# some garbage serials.  One curl process (a config of "next"-separated
# requests) keeps it quick.
fuzz_config() {
	awk -v url="$PB_URL/api/v1" -v from="$1" -v seed="$2" 'BEGIN {
		srand(seed)
		split("d83add36 0000f00d 0000cafe", ser, " ")
		split("pi3 pi4 pi5 cm4 pi400", mod, " ")
		q = "\""
		for (i = 1; i <= 1000; i++) {
			if (i > 1) print "next"
			s = ser[int(rand() * 3) + 1]
			mac = sprintf("02:%02x:%02x:%02x:%02x:%02x", int(rand() * 256),
			    int(rand() * 256), int(rand() * 256), int(rand() * 256),
			    int(rand() * 256))
			# "next" resets every option, so each request says all.
			print "silent"
			print "interface = " from
			print "output = " q "/dev/null" q
			print "write-out = " q "%{http_code}\\n" q
			r = int(rand() * 4)
			if (r == 0)
				print "url = " q url "/boot/pi?serial=" s "&mac=" mac q
			else if (r == 1)
				print "url = " q url "/boot/pi?serial=" s "&format=env" q
			else if (r == 2) {
				print "url = " q url "/nodes/register-pi" q
				print "header = " q "Content-Type: application/json" q
				b = sprintf("{\\\"serial\\\":\\\"%s\\\",\\\"mac\\\":\\\"%s\\\",\\\"model\\\":\\\"%s\\\",\\\"ip_address\\\":\\\"10.6.6.%d\\\"}",
				    s, mac, mod[int(rand() * 5) + 1], int(rand() * 256))
				print "data = " q b q
			} else
				print "url = " q url "/boot/pi?serial=" substr(s, 1, 6) sprintf("%03x", int(rand() * 4096)) q
		}
	}'
}

test_expect_success '1,000 random outsider requests change none of the known nodes and wake no hook' '
	for s in $A 0000f00d 0000cafe; do node_snap $s >"before.$s" || return 1; done &&
	fuzz_config 127.0.0.77 10 >fuzz.cfg &&
	test "$(grep -c "^url" fuzz.cfg)" = 1000 &&
	# The TFTP hook renders on NOTIFY pureboot_changes (and from the
	# rows checked below): the first payload after the requests must
	# be the marker sent after them.
	"$PB_BUILD/pb-listen" "$PUREBOOT_DB" pureboot_changes 1 120000 >listen.out 2>listen.err &
	lp=$! &&
	test_when_finished "kill $lp 2>/dev/null || :" &&
	wait_for "pb-listen to print ready" 60 grep -qx ready listen.out &&
	curl -K fuzz.cfg >codes &&
	db_psql -c "NOTIFY pureboot_changes, '"'"'end-of-fuzz'"'"'" &&
	wait $lp &&
	printf "ready\nend-of-fuzz\n" >expect &&
	test_cmp expect listen.out &&
	test "$(wc -l <codes)" = 1000 &&
	! grep -v "^\(200\|400\|409\)\$" codes &&
	grep -q "^200\$" codes && grep -q "^400\$" codes && grep -q "^409\$" codes &&
	for s in $A 0000f00d 0000cafe; do
		node_snap $s >after && test_cmp "before.$s" after || return 1
	done &&
	db_psql -c "SELECT coalesce(max(c), 0) FROM (SELECT count(*) AS c FROM pureboot.node_events WHERE type = '"'"'agent_refused'"'"' AND payload->>'"'"'addr'"'"' = '"'"'127.0.0.77'"'"' GROUP BY node_id, payload->>'"'"'endpoint'"'"') x" >actual &&
	echo 1 >expect &&
	test_cmp expect actual
'

# Finding 4.
test_expect_success 'auto_register off: register-pi refuses a new serial with 404 and writes nothing' '
	setting auto_register off &&
	test_when_finished "setting auto_register on" &&
	db_snapshot >before &&
	reg_from $NODE "{\"serial\":\"0000abcd\",\"mac\":\"dc:a6:32:0a:bc:cd\"}" >actual &&
	echo "404 {\"error\":{\"code\":\"not_found\",\"message\":\"register-pi: serial \\\"0000abcd\\\" is not registered and auto_register is off\"}}" >expect &&
	test_cmp expect actual &&
	db_snapshot >after &&
	test_cmp before after &&
	reg_from $NODE "{\"serial\":\"$A\",\"mac\":\"$MAC\"}" >out &&
	test "$(cut -d" " -f1 out)" = 200
'

# Finding 5, nodes: the cap on untouched nodes and the per-address rate.
test_expect_success 'discovery_limit: past it new nodes are 503 with Retry-After; known nodes are served' '
	untouched=$(db_psql -c "SELECT count(*) FROM pureboot.nodes WHERE state = '"'"'discovered'"'"' AND workflow_id IS NULL AND hostname IS NULL AND created_addr IS NOT NULL") &&
	setting discovery_limit $((untouched + 2)) &&
	test_when_finished "setting discovery_limit 1000" &&
	reg_from 127.0.0.21 "{\"serial\":\"0000d001\",\"mac\":\"dc:a6:32:0d:00:01\"}" >out &&
	test "$(cut -d" " -f1 out)" = 201 &&
	api_from 127.0.0.22 GET "/api/v1/boot/pi?serial=0000d002" >out &&
	test "$(jget out .state)" = discovered &&
	db_snapshot >before &&
	reg_from 127.0.0.23 "{\"serial\":\"0000d003\",\"mac\":\"dc:a6:32:0d:00:03\"}" >out &&
	test "$(cut -d" " -f1 out)" = 503 &&
	test "$(jget out .error.code)" = discovery_full &&
	grep -qi "^Retry-After: 60" headers &&
	api_from 127.0.0.23 GET "/api/v1/boot/pi?serial=0000d003" >out &&
	test "$(cut -d" " -f1 out)" = 503 &&
	db_snapshot >after &&
	test_cmp before after &&
	api_from $NODE GET "/api/v1/boot/pi?serial=$A" >out &&
	test "$(jget out .action)" = local_boot &&
	reg_from 127.0.0.21 "{\"serial\":\"0000d001\",\"mac\":\"dc:a6:32:0d:00:01\",\"model\":\"pi5\"}" >out &&
	test "$(cut -d" " -f1 out)" = 200 &&
	printf "UPDATE pureboot.nodes SET hostname = '"'"'rack1-n01'"'"' WHERE serial = '"'"'0000d001'"'"'\n" | db_psql &&
	reg_from 127.0.0.23 "{\"serial\":\"0000d003\",\"mac\":\"dc:a6:32:0d:00:03\"}" >out &&
	test "$(cut -d" " -f1 out)" = 201
'

test_expect_success 'discovery_per_addr: one address past it is 429; another address and known nodes are not' '
	setting discovery_per_addr 2 &&
	test_when_finished "setting discovery_per_addr 10" &&
	reg_from 127.0.0.31 "{\"serial\":\"0000e001\",\"mac\":\"dc:a6:32:0e:00:01\"}" >out &&
	test "$(cut -d" " -f1 out)" = 201 &&
	api_from 127.0.0.31 GET "/api/v1/boot/pi?serial=0000e002" >out &&
	test "$(jget out .state)" = discovered &&
	db_snapshot >before &&
	reg_from 127.0.0.31 "{\"serial\":\"0000e003\",\"mac\":\"dc:a6:32:0e:00:03\"}" >out &&
	test "$(cut -d" " -f1 out)" = 429 &&
	test "$(jget out .error.message)" = "register-pi: address 127.0.0.31 registered 2 new nodes in the last minute (discovery_per_addr 2)" &&
	r=$(sed -n "s/^Retry-After: \([0-9]*\).*/\1/ip" headers) &&
	test "$r" -ge 1 && test "$r" -le 60 &&
	api_from 127.0.0.31 GET "/api/v1/boot/pi?serial=0000e004" >out &&
	test "$(cut -d" " -f1 out)" = 429 &&
	db_snapshot >after &&
	test_cmp before after &&
	reg_from 127.0.0.31 "{\"serial\":\"0000e001\",\"mac\":\"dc:a6:32:0e:00:01\",\"model\":\"pi5\"}" >out &&
	test "$(cut -d" " -f1 out)" = 200 &&
	api_from 127.0.0.31 GET "/api/v1/boot/pi?serial=0000e002" >out &&
	test "$(cut -d" " -f1 out)" = 200 &&
	reg_from 127.0.0.32 "{\"serial\":\"0000e003\",\"mac\":\"dc:a6:32:0e:00:03\"}" >out &&
	test "$(cut -d" " -f1 out)" = 201
'

# Finding 3, the fake serial: an outsider registers a serial of its own
# with a real Pi's MAC before that Pi does.  The network says where the
# MAC is (pureboot.leases, from the dhcp-script); the Pi's request from
# that address proves its claim.
dhcp_ev() {
	printf "SELECT pureboot.hook_dhcp_event(:'a', :'m', :'ip', NULL, NULL) IS NOT NULL\n" |
		psql -X -q -At -v ON_ERROR_STOP=1 -d "$PB_DB_DHCP" -v a="$1" -v m="$2" -v ip="$3" >/dev/null
}
mac_of() {
	printf "SELECT coalesce(mac::text, 'none') || '|' || mac_proven FROM pureboot.nodes WHERE serial = :'s'\n" |
		db_psql -v s="$1"
}
moves() {
	printf "SELECT e.payload->>'mac', e.payload->>'from', e.payload->>'to', e.payload->>'addr' FROM pureboot.node_events e JOIN pureboot.nodes n ON n.id = e.node_id WHERE n.serial = :'s' AND e.type = 'mac_moved'\n" |
		db_psql -v s="$1"
}

test_expect_success 'a fake serial with a real Pi'"'"'s MAC before the Pi: the Pi'"'"'s lease proves its claim and takes the MAC' '
	M=dc:a6:32:0a:11:01 &&
	reg_from 127.0.0.51 "{\"serial\":\"0000fa4e\",\"mac\":\"$M\"}" >out &&
	test "$(cut -d" " -f1 out)" = 201 &&
	dhcp_ev add $M 127.0.0.52 &&
	reg_from 127.0.0.52 "{\"serial\":\"0000a11e\",\"mac\":\"$M\",\"model\":\"pi4\"}" >out &&
	test "$(cut -d" " -f1 out)" = 201 &&
	test "$(mac_of 0000a11e)" = "$M|true" &&
	test "$(mac_of 0000fa4e)" = "none|false" &&
	echo "$M|0000fa4e|0000a11e|127.0.0.52" >expect &&
	moves 0000fa4e >actual && test_cmp expect actual &&
	moves 0000a11e >actual && test_cmp expect actual &&
	api_from 127.0.0.52 GET "/api/v1/boot/pi?serial=0000a11e&mac=$M" >out &&
	test "$(cut -d" " -f1 out)" = 200 &&
	test "$(jget out .action)" = wait &&
	# The lease moved the fake node'"'"'s known address to the MAC'"'"'s: its
	# maker cannot even ask again, and the real Pi is untouched.
	node_snap 0000a11e >before &&
	reg_from 127.0.0.51 "{\"serial\":\"0000fa4e\",\"mac\":\"$M\"}" >out &&
	test "$(cut -d" " -f1 out)" = 409 &&
	reg_from 127.0.0.51 "{\"serial\":\"0000fa53\",\"mac\":\"$M\"}" >actual &&
	echo "409 {\"error\":{\"code\":\"conflict\",\"message\":\"register-pi: mac $M is leased to another address; nothing was changed\"}}" >expect &&
	test_cmp expect actual &&
	node_snap 0000a11e >after &&
	test_cmp before after &&
	test "$(mac_of 0000fa4e)" = "none|false"
'

test_expect_success 'a new serial claiming a MAC leased to another address is refused, and nothing is made' '
	M=dc:a6:32:0a:11:02 &&
	dhcp_ev old $M 127.0.0.53 &&
	before=$(db_count nodes) &&
	reg_from 127.0.0.54 "{\"serial\":\"0000fa50\",\"mac\":\"$M\"}" >actual &&
	echo "409 {\"error\":{\"code\":\"conflict\",\"message\":\"register-pi: mac $M is leased to another address; nothing was changed\"}}" >expect &&
	test_cmp expect actual &&
	test "$(db_count nodes)" = "$before" &&
	dhcp_ev del $M 127.0.0.53 &&
	reg_from 127.0.0.54 "{\"serial\":\"0000fa50\",\"mac\":\"$M\"}" >out &&
	test "$(cut -d" " -f1 out)" = 201 &&
	test "$(mac_of 0000fa50)" = "$M|false"
'

test_expect_success 'a proven claim leaves the MAC of a node an operator touched, or whose claim was proven: 409 as before' '
	M=dc:a6:32:0a:11:03 &&
	reg_from 127.0.0.55 "{\"serial\":\"0000fa51\",\"mac\":\"$M\"}" >out &&
	test "$(cut -d" " -f1 out)" = 201 &&
	printf "{\"hostname\":\"named-by-ops\"}\n" >patch.json &&
	op_body PATCH "/api/v1/nodes/$(node_id 0000fa51)" patch.json >out &&
	test "$(cut -d" " -f1 out)" = 200 &&
	dhcp_ev add $M 127.0.0.56 &&
	reg_from 127.0.0.56 "{\"serial\":\"0000a11f\",\"mac\":\"$M\"}" >actual &&
	echo "409 {\"error\":{\"code\":\"conflict\",\"message\":\"register-pi: mac is already used by another node\"}}" >expect &&
	test_cmp expect actual &&
	test "$(mac_of 0000fa51)" = "$M|false" &&
	reg_from 127.0.0.52 "{\"serial\":\"0000a120\",\"mac\":\"dc:a6:32:0a:11:01\"}" >actual &&
	test_cmp expect actual &&
	test "$(mac_of 0000a11e)" = "dc:a6:32:0a:11:01|true"
'

test_expect_success 'in proxy-DHCP mode a TFTP transfer from the MAC is the evidence' '
	M=dc:a6:32:0a:11:04 &&
	reg_from 127.0.0.57 "{\"serial\":\"0000fa52\",\"mac\":\"$M\"}" >out &&
	test "$(cut -d" " -f1 out)" = 201 &&
	printf "SELECT pureboot.hook_tftp_event(1, :'"'"'ip'"'"', NULL, NULL, :'"'"'f'"'"', :'"'"'m'"'"') IS NULL\n" |
		psql -X -q -At -v ON_ERROR_STOP=1 -d "$PB_DB_DHCP" -v ip=127.0.0.58 -v f=bootcode.bin -v m=$M >actual &&
	echo t >expect && test_cmp expect actual &&
	reg_from 127.0.0.58 "{\"serial\":\"0000a121\",\"mac\":\"$M\"}" >out &&
	test "$(cut -d" " -f1 out)" = 201 &&
	test "$(mac_of 0000a121)" = "$M|true" &&
	test "$(mac_of 0000fa52)" = "none|false"
'

test_expect_success 'agent_trust open: any address is the node (the behaviour before issue 10)' '
	setting agent_trust open &&
	test_when_finished "setting agent_trust address" &&
	reg_from $EVIL "{\"serial\":\"0000f00d\",\"mac\":\"dc:a6:32:0f:00:0d\",\"model\":\"pi3\"}" >out &&
	test "$(cut -d" " -f1 out)" = 200 &&
	db_psql -c "SELECT pi_model, host(known_addr) FROM pureboot.nodes WHERE serial = '"'"'0000f00d'"'"'" >actual &&
	echo "pi3|$NODE" >expect &&
	test_cmp expect actual
'

test_expect_success 'the defaults let 1,000 new Pis from 1,000 addresses register at once, and not one more' '
	# The sightings of the cases above (02:00:00:00:00:66 at $EVIL) would
	# refuse the one of these MACs that the network saw elsewhere.
	db_psql -c "DELETE FROM pureboot.nodes; DELETE FROM pureboot.leases" &&
	db_psql -c "SELECT count(*) FROM generate_series(1, 1000) i, LATERAL pureboot.register_pi(lpad(to_hex(i), 8, '"'"'0'"'"'), ('"'"'02:00:00:00:'"'"' || lpad(to_hex(i / 256), 2, '"'"'0'"'"') || '"'"':'"'"' || lpad(to_hex(i % 256), 2, '"'"'0'"'"'))::macaddr, NULL, NULL, '"'"'test'"'"', ('"'"'10.1.'"'"' || i / 256 || '"'"'.'"'"' || i % 256)::inet) r WHERE r.o_created" >actual &&
	echo 1000 >expect &&
	test_cmp expect actual &&
	reg_from 127.0.0.41 "{\"serial\":\"0000ffff\",\"mac\":\"dc:a6:32:ff:ff:ff\"}" >out &&
	test "$(cut -d" " -f1 out)" = 503
'

test_done
