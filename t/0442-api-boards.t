#!/bin/sh
test_description='board nodes (issue 12): POST /nodes by MAC, PATCH board fields, /boards, and /boot/arm64 under the trust rules of /boot/pi'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-api.sh"
api_start
api_operator

NODE=127.0.0.11
EVIL=127.0.0.66
M=52:54:00:44:20:01
SHA=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
REFUSED="refused: this request is not from the known address of the node, so nothing was changed or served; a new address is learned from its DHCP lease"

setting() {
	printf "UPDATE pureboot.settings SET value = :'v' WHERE key = :'k'\n" |
		db_psql -v k="$1" -v v="$2"
}
mac_id() {
	printf "SELECT id FROM pureboot.nodes WHERE mac = :'m'\n" | db_psql -v m="$1"
}
tr_mac() {
	printf "SELECT pureboot.transition(id, :'t', 'test') FROM pureboot.nodes WHERE mac = :'m'\n" |
		db_psql -v m="$1" -v t="$2" >/dev/null
}
# As node_snap (lib-api.sh), for a node named by MAC.
mac_snap() {
	printf '%s\n' \
		"SELECT 'node', n::text FROM pureboot.nodes n WHERE mac = :'m';" \
		"SELECT 'token', t::text FROM pureboot.install_tokens t JOIN pureboot.nodes n ON n.id = t.node_id WHERE n.mac = :'m';" \
		"SELECT 'log', l::text FROM pureboot.node_state_log l JOIN pureboot.nodes n ON n.id = l.node_id WHERE n.mac = :'m' ORDER BY l.id;" \
		"SELECT 'event', e::text FROM pureboot.node_events e JOIN pureboot.nodes n ON n.id = e.node_id WHERE n.mac = :'m' AND e.type <> 'agent_refused' ORDER BY e.id;" \
		"SELECT 'nodes', count(*) FROM pureboot.nodes;" |
		db_psql -v m="$1"
}
mac_refusals() {
	printf "SELECT e.payload->>'endpoint', e.payload->>'addr', coalesce(e.payload->>'known_addr', '-') FROM pureboot.node_events e JOIN pureboot.nodes n ON n.id = e.node_id WHERE n.mac = :'m' AND e.type = 'agent_refused' ORDER BY e.id\n" |
		db_psql -v m="$1"
}
post() {
	printf '%s\n' "$2" >body.json &&
	op_body POST "$1" body.json
}
patch() {
	printf '%s\n' "$2" >body.json &&
	op_body PATCH "$1" body.json
}
bad() {
	printf '400 {"error":{"code":"bad_request","message":"%s"}}\n' "$1"
}

test_expect_success 'setup: an image workflow' '
	wf_add arm-img aarch64 "{\"install_method\":\"image\",\"image_url\":\"\${server}/img/\${mac}.img.xz\",\"image_sha256\":\"$SHA\",\"target_device\":\"/dev/vda\"}"
'

test_expect_success 'POST /nodes makes a U-Boot board node by MAC: 201, discovered, no serial, no known address' '
	post /api/v1/nodes "{\"mac\":\"52-54-00-44-20-01\",\"arch\":\"aarch64\",\"boot_mode\":\"uboot\",\"board\":\"qemu-arm64\"}" >out &&
	test "$(cut -d" " -f1 out)" = 201 &&
	test "$(jget out "[.mac, .arch, .boot_mode, .board, .state, .serial, .known_addr, .dtb] | @tsv")" = "$M	aarch64	uboot	qemu-arm64	discovered			" &&
	test "$(jget out .id)" = "$(mac_id $M)" &&
	db_psql -c "SELECT e.payload->>'"'"'via'"'"' FROM pureboot.node_events e WHERE e.type = '"'"'registered'"'"'" >actual &&
	echo api:nodes >expect && test_cmp expect actual
'

test_expect_success 'POST /nodes with a MAC that exists: 409, nothing made' '
	db_snapshot >before &&
	post /api/v1/nodes "{\"mac\":\"$M\",\"boot_mode\":\"uefi\"}" >actual &&
	echo "409 {\"error\":{\"code\":\"conflict\",\"message\":\"create node: mac is already used by another node\"}}" >expect &&
	test_cmp expect actual &&
	db_snapshot >after && test_cmp before after
'

test_expect_success 'POST /nodes with bad fields: 400 with a reason, nothing made' '
	db_snapshot >before &&
	post /api/v1/nodes "{\"mac\":\"52:54:00:44:20:0g\",\"boot_mode\":\"uboot\"}" >actual &&
	bad "create node: mac \\\"52:54:00:44:20:0g\\\" is not six hex pairs separated by '"'"':'"'"' or '"'"'-'"'"'" >expect &&
	test_cmp expect actual &&
	post /api/v1/nodes "{\"mac\":\"52:54:00:44:20:02\",\"boot_mode\":\"pi\"}" >actual &&
	bad "create node: boot_mode \\\"pi\\\" is not uboot or uefi" >expect &&
	test_cmp expect actual &&
	post /api/v1/nodes "{\"mac\":\"52:54:00:44:20:02\",\"boot_mode\":\"uboot\",\"board\":\"Rock Pi\"}" >actual &&
	bad "create node: board \\\"Rock Pi\\\" is not 1 to 63 of a-z 0-9 - (not starting with -)" >expect &&
	test_cmp expect actual &&
	post /api/v1/nodes "{\"mac\":\"52:54:00:44:20:02\",\"boot_mode\":\"uefi\",\"board\":\"rock-pi-4b\"}" >actual &&
	bad "create node: board names no board of the node'"'"'s boot_mode" >expect &&
	test_cmp expect actual &&
	post /api/v1/nodes "{\"mac\":\"52:54:00:44:20:02\",\"boot_mode\":\"uboot\",\"dtb\":\"../etc/passwd.dtb\"}" >actual &&
	bad "create node: dtb \\\"../etc/passwd.dtb\\\" is not a plain relative file name (A-Z a-z 0-9 . _ - /, no \\\"..\\\")" >expect &&
	test_cmp expect actual &&
	post /api/v1/nodes "{\"mac\":\"52:54:00:44:20:02\",\"boot_mode\":\"uboot\",\"dtb\":\"rockchip/a.dtbo\"}" >actual &&
	bad "create node: dtb \\\"rockchip/a.dtbo\\\" does not end in .dtb" >expect &&
	test_cmp expect actual &&
	post /api/v1/nodes "{\"mac\":\"52:54:00:44:20:02\",\"boot_mode\":\"uboot\",\"arch\":\"riscv64\"}" >actual &&
	bad "create node: arch \\\"riscv64\\\" is not aarch64 or x86_64" >expect &&
	test_cmp expect actual &&
	post /api/v1/nodes "{\"mac\":\"52:54:00:44:20:02\"}" >actual &&
	bad "create node: field \\\"boot_mode\\\" is required" >expect &&
	test_cmp expect actual &&
	post /api/v1/nodes "{\"mac\":\"52:54:00:44:20:02\",\"boot_mode\":\"uboot\",\"serial\":\"d83add36\"}" >actual &&
	bad "create node: unknown field \\\"serial\\\"" >expect &&
	test_cmp expect actual &&
	db_snapshot >after && test_cmp before after
'

test_expect_success 'POST /nodes needs an operator token' '
	printf "{\"mac\":\"52:54:00:44:20:03\",\"boot_mode\":\"uboot\"}\n" >body.json &&
	api_body POST /api/v1/nodes body.json >out &&
	test "$(cut -d" " -f1 out)" = 401 &&
	db_count nodes >n && echo 1 >one && test_cmp one n
'

test_expect_success 'PATCH sets a per-node DTB, the board and the boot mode together; bad values change nothing' '
	id=$(mac_id $M) &&
	patch "/api/v1/nodes/$id" "{\"dtb\":\"rockchip/rk3399-rock-pi-4b.dtb\"}" >out &&
	test "$(jget out .dtb)" = rockchip/rk3399-rock-pi-4b.dtb &&
	patch "/api/v1/nodes/$id" "{\"boot_mode\":\"uefi\",\"board\":\"qemu-arm64-uefi\"}" >out &&
	test "$(jget out "[.boot_mode, .board] | @tsv")" = "uefi	qemu-arm64-uefi" &&
	db_snapshot >before &&
	patch "/api/v1/nodes/$id" "{\"board\":\"rock-pi-4b\"}" >actual &&
	bad "patch node: board names no board of the node'"'"'s boot_mode" >expect &&
	test_cmp expect actual &&
	patch "/api/v1/nodes/$id" "{\"dtb\":\"/boot/x.dtb\"}" >actual &&
	bad "patch node: dtb \\\"/boot/x.dtb\\\" is not a plain relative file name (A-Z a-z 0-9 . _ - /, no \\\"..\\\")" >expect &&
	test_cmp expect actual &&
	patch "/api/v1/nodes/$id" "{\"mac\":null}" >actual &&
	bad "patch node: field \\\"mac\\\" cannot be cleared" >expect &&
	test_cmp expect actual &&
	db_snapshot >after && test_cmp before after &&
	patch "/api/v1/nodes/$id" "{\"dtb\":null,\"boot_mode\":\"uboot\",\"board\":\"qemu-arm64\"}" >out &&
	test "$(jget out "[.boot_mode, .board, .dtb] | @tsv")" = "uboot	qemu-arm64	"
'

test_expect_success 'PATCH: a DTB for a Pi is refused with a reason' '
	printf "{\"serial\":\"d83add36\",\"mac\":\"dc:a6:32:01:02:03\"}\n" >reg.json &&
	api_body POST /api/v1/nodes/register-pi reg.json >out &&
	pi=$(jget out .node_id) &&
	patch "/api/v1/nodes/$pi" "{\"dtb\":\"a.dtb\"}" >actual &&
	bad "patch node: dtb is for U-Boot and UEFI nodes only; a Pi'"'"'s device tree is its model'"'"'s" >expect &&
	test_cmp expect actual
'

test_expect_success 'boards: list, add, 409 for a taken name, 400 for bad values, remove; a board in use stays' '
	op GET /api/v1/boards >out &&
	test "$(jget out "[.boards[] | select(.name == \"qemu-arm64\") | .nodes, .boot_mode] | @tsv")" = "1	uboot" &&
	post /api/v1/boards "{\"name\":\"lab-1\",\"dtb\":\"vendor/lab-1.dtb\",\"console\":\"ttyS0,115200\",\"cmdline_extra\":\"earlycon rootwait\",\"boot_mode\":\"uboot\",\"description\":\"the lab board\"}" >out &&
	test "$(cut -d" " -f1 out)" = 201 &&
	test "$(jget out "[.name, .dtb, .console, .cmdline_extra, .boot_mode, .nodes] | @tsv")" = "lab-1	vendor/lab-1.dtb	ttyS0,115200	earlycon rootwait	uboot	0" &&
	post /api/v1/boards "{\"name\":\"lab-1\",\"console\":\"ttyS0\",\"boot_mode\":\"uboot\"}" >actual &&
	echo "409 {\"error\":{\"code\":\"conflict\",\"message\":\"add board: a board with that name exists\"}}" >expect &&
	test_cmp expect actual &&
	db_snapshot >before &&
	post /api/v1/boards "{\"name\":\"lab-2\",\"console\":\"ttyS0 init=/bin/sh\",\"boot_mode\":\"uboot\"}" >actual &&
	bad "add board: console \\\"ttyS0 init=/bin/sh\\\" contains whitespace, which is not allowed in a command-line word" >expect &&
	test_cmp expect actual &&
	post /api/v1/boards "{\"name\":\"lab-2\",\"console\":\"ttyS0\",\"cmdline_extra\":\"quiet pureboot.state=installed\",\"boot_mode\":\"uboot\"}" >actual &&
	bad "add board: cmdline_extra word \\\"pureboot.state=installed\\\" sets what the renderer owns" >expect &&
	test_cmp expect actual &&
	post /api/v1/boards "{\"name\":\"lab-2\",\"console\":\"ttyS0\",\"boot_mode\":\"bios\"}" >actual &&
	bad "add board: boot_mode \\\"bios\\\" is not uboot or uefi" >expect &&
	test_cmp expect actual &&
	op DELETE /api/v1/boards/qemu-arm64 >actual &&
	echo "409 {\"error\":{\"code\":\"conflict\",\"message\":\"remove board: board qemu-arm64 is the board of 1 node(s); give them another board or none first\"}}" >expect &&
	test_cmp expect actual &&
	op DELETE /api/v1/boards/no-such >actual &&
	echo "404 {\"error\":{\"code\":\"not_found\",\"message\":\"remove board: no such board\"}}" >expect &&
	test_cmp expect actual &&
	db_snapshot >after && test_cmp before after &&
	op DELETE /api/v1/boards/lab-1 >out &&
	test "$(cut -d" " -f1 out)" = 204 &&
	db_psql -c "SELECT count(*) FROM pureboot.boards WHERE name = '"'"'lab-1'"'"'" >n &&
	echo 0 >zero && test_cmp zero n &&
	api GET /api/v1/boards >out &&
	test "$(cut -d" " -f1 out)" = 401
'

# The trust cases of t/0480 for /boot/pi, at /boot/arm64.
test_expect_success 'boot/arm64 for the operator-made node: the first caller becomes its known address' '
	api_from $NODE GET "/api/v1/boot/arm64?mac=$M" >out &&
	test "$(jget out "[.state, .action, .node_id] | @tsv")" = "discovered	wait	$(mac_id $M)" &&
	db_psql -c "SELECT host(known_addr), created_addr IS NULL FROM pureboot.nodes WHERE mac = '"'"'$M'"'"'" >actual &&
	echo "$NODE|t" >expect && test_cmp expect actual
'

test_expect_success 'boot/arm64 from another address for a pending node: state and action only, no change' '
	printf "UPDATE pureboot.nodes SET workflow_id = '"'"'arm-img'"'"' WHERE mac = '"'"'$M'"'"'\n" | db_psql &&
	tr_mac $M pending &&
	mac_snap $M >before &&
	api_from $EVIL GET "/api/v1/boot/arm64?mac=$M" >actual &&
	printf "200 {\"state\":\"pending\",\"action\":\"wait\",\"message\":\"%s\",\"node_id\":\"%s\",\"retry_after\":30}\n" "$REFUSED" "$(mac_id $M)" >expect &&
	test_cmp expect actual &&
	api_from $EVIL GET "/api/v1/boot/arm64?mac=$M&format=env&boot_mode=uefi" >env &&
	! grep -q "PB_TOKEN\|PB_IMAGE\|PB_FILE\|PB_CALLBACK" env &&
	grep -qx "PB_ACTION='"'"'wait'"'"'" env &&
	mac_snap $M >after &&
	test_cmp before after &&
	mac_refusals $M >actual &&
	printf "boot/arm64|$EVIL|$NODE\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'boot/arm64 from the known address starts the install; the token fetches the instructions with the MAC filled in' '
	api_from $NODE GET "/api/v1/boot/arm64?mac=$M" >out &&
	test "$(jget out "[.action, .state] | @tsv")" = "install	installing" &&
	jget out .token >token &&
	grep -q "^pbi1\." token &&
	api_from $NODE GET "/api/v1/nodes/$(mac_id $M)/install" -H "Authorization: Bearer $(cat token)" >out &&
	test "$(cut -d" " -f1 out)" = 200 &&
	test "$(jget out .image_url)" = "http://127.0.0.1:8080/img/$M.img.xz"
'

test_expect_success 'outsiders during the install: no attempt counted, no token; the install token is refused to them' '
	mac_snap $M >before &&
	for i in 1 2 3; do
		api_from $EVIL GET "/api/v1/boot/arm64?mac=$M" >out &&
		test "$(jget out "[.action, .token] | @tsv")" = "wait	" || return 1
	done &&
	mac_snap $M >after &&
	test_cmp before after
'

test_expect_success 'events and installed work for a board node unchanged' '
	id=$(mac_id $M) &&
	echo "{\"type\":\"install_progress\",\"bytes\":1}" >ev.json &&
	api_body_from $NODE POST "/api/v1/nodes/$id/events" ev.json -H "Authorization: Bearer $(cat token)" >out &&
	test "$(cut -d" " -f1 out)" = 201 &&
	api_from $NODE POST "/api/v1/nodes/$id/installed" -H "Authorization: Bearer $(cat token)" >out &&
	test "$(jget out .state)" = installed &&
	api_from $NODE GET "/api/v1/boot/arm64?mac=$M" >out &&
	test "$(jget out .action)" = local_boot
'

test_expect_success 'an unknown MAC is discovered with its firmware and model, known at the caller'"'"'s address' '
	api_from $NODE GET "/api/v1/boot/arm64?mac=52:54:00:44:20:10&boot_mode=uefi&model=QEMU%20Virtual%20Machine" >out &&
	test "$(jget out "[.state, .action] | @tsv")" = "discovered	wait" &&
	db_psql -c "SELECT boot_mode, board IS NULL, serial IS NULL, host(known_addr), host(created_addr) FROM pureboot.nodes WHERE mac = '"'"'52:54:00:44:20:10'"'"'" >actual &&
	echo "uefi|t|t|$NODE|$NODE" >expect && test_cmp expect actual &&
	db_psql -c "SELECT payload->>'"'"'via'"'"', payload->>'"'"'model'"'"' FROM pureboot.node_events WHERE type = '"'"'registered'"'"' AND payload->>'"'"'mac'"'"' = '"'"'52:54:00:44:20:10'"'"'" >actual &&
	echo "boot/arm64|QEMU Virtual Machine" >expect && test_cmp expect actual &&
	api_from $NODE GET "/api/v1/boot/arm64?mac=52:54:00:44:20:11" >out &&
	db_psql -c "SELECT boot_mode FROM pureboot.nodes WHERE mac = '"'"'52:54:00:44:20:11'"'"'" >actual &&
	echo uboot >expect && test_cmp expect actual
'

test_expect_success 'boot/arm64 bad queries: 400, nothing made' '
	db_snapshot >before &&
	api GET "/api/v1/boot/arm64?mac=52:54:00:44:20:1" >out &&
	test "$(cut -d" " -f1 out)" = 400 &&
	api GET "/api/v1/boot/arm64" >actual &&
	bad "boot/arm64: query parameter \\\"mac\\\" is required" >expect &&
	test_cmp expect actual &&
	api GET "/api/v1/boot/arm64?mac=52:54:00:44:20:12&boot_mode=pi" >actual &&
	bad "boot/arm64: boot_mode \\\"pi\\\" is not uboot or uefi" >expect &&
	test_cmp expect actual &&
	api GET "/api/v1/boot/arm64?mac=52:54:00:44:20:12&model=a%0ab" >actual &&
	bad "boot/arm64: model \\\"a\\\\x0ab\\\" is not printable ASCII" >expect &&
	test_cmp expect actual &&
	api GET "/api/v1/boot/arm64?mac=52:54:00:44:20:12&serial=d83add36" >out &&
	test "$(cut -d" " -f1 out)" = 400 &&
	db_snapshot >after && test_cmp before after
'

test_expect_success 'boot/arm64 with a Pi'"'"'s MAC: 409, the Pi untouched' '
	node_snap d83add36 >before &&
	api_from $EVIL GET "/api/v1/boot/arm64?mac=dc:a6:32:01:02:03" >actual &&
	echo "409 {\"error\":{\"code\":\"conflict\",\"message\":\"boot/arm64: mac dc:a6:32:01:02:03 is the MAC of a node that boots as pi, not by MAC; a Pi asks at boot/pi, by its serial\"}}" >expect &&
	test_cmp expect actual &&
	node_snap d83add36 >after && test_cmp before after
'

test_expect_success 'a new MAC whose lease is at another address: 409, nothing made' '
	db_psql -c "INSERT INTO pureboot.leases (mac, addr, via) VALUES ('"'"'52:54:00:44:20:40'"'"', '"'"'$NODE'"'"', '"'"'dhcp'"'"')" >/dev/null &&
	db_snapshot >before &&
	api_from $EVIL GET "/api/v1/boot/arm64?mac=52:54:00:44:20:40" >actual &&
	echo "409 {\"error\":{\"code\":\"conflict\",\"message\":\"boot/arm64: mac 52:54:00:44:20:40 is leased to another address; nothing was changed\"}}" >expect &&
	test_cmp expect actual &&
	db_snapshot >after && test_cmp before after &&
	api_from $NODE GET "/api/v1/boot/arm64?mac=52:54:00:44:20:40" >out &&
	test "$(jget out .state)" = discovered
'

test_expect_success 'auto_register off: an unknown MAC is 404 and nothing is made' '
	setting auto_register off &&
	test_when_finished "setting auto_register on" &&
	db_snapshot >before &&
	api GET "/api/v1/boot/arm64?mac=52:54:00:44:20:20" >actual &&
	echo "404 {\"error\":{\"code\":\"not_found\",\"message\":\"boot/arm64: mac \\\"52:54:00:44:20:20\\\" is not registered and auto_register is off\"}}" >expect &&
	test_cmp expect actual &&
	db_snapshot >after && test_cmp before after
'

test_expect_success 'discovery_limit and discovery_per_addr bound new MACs as they bound new serials' '
	untouched=$(db_psql -c "SELECT count(*) FROM pureboot.nodes WHERE state = '"'"'discovered'"'"' AND workflow_id IS NULL AND hostname IS NULL AND created_addr IS NOT NULL") &&
	setting discovery_limit "$untouched" &&
	test_when_finished "setting discovery_limit 1000" &&
	db_snapshot >before &&
	api_from 127.0.0.23 GET "/api/v1/boot/arm64?mac=52:54:00:44:20:30" >out &&
	test "$(cut -d" " -f1 out)" = 503 &&
	test "$(jget out .error.code)" = discovery_full &&
	db_snapshot >after && test_cmp before after &&
	setting discovery_limit 1000 &&
	setting discovery_per_addr 2 &&
	test_when_finished "setting discovery_per_addr 10" &&
	api_from 127.0.0.31 GET "/api/v1/boot/arm64?mac=52:54:00:44:20:31" >out &&
	api_from 127.0.0.31 GET "/api/v1/boot/arm64?mac=52:54:00:44:20:32" >out &&
	test "$(jget out .state)" = discovered &&
	api_from 127.0.0.31 GET "/api/v1/boot/arm64?mac=52:54:00:44:20:33" >out &&
	test "$(cut -d" " -f1 out)" = 429 &&
	api_from 127.0.0.31 GET "/api/v1/boot/arm64?mac=52:54:00:44:20:31" >out &&
	test "$(jget out .state)" = discovered
'

test_expect_success 'agent_trust open: any address is the node' '
	setting agent_trust open &&
	test_when_finished "setting agent_trust address" &&
	api_from $EVIL GET "/api/v1/boot/arm64?mac=$M" >out &&
	test "$(jget out "[.action, .message] | @tsv")" = "local_boot	boot from local storage"
'

test_expect_success 'boot/pi still answers as before (one SQL body for both)' '
	printf "{\"serial\":\"0000cafe\",\"mac\":\"dc:a6:32:00:ca:fe\"}\n" >reg.json &&
	api_from $NODE GET "/api/v1/boot/pi?serial=0000cafe" >out &&
	test "$(jget out "[.state, .action] | @tsv")" = "discovered	wait" &&
	api_from $EVIL GET "/api/v1/boot/pi?serial=0000cafe" >out &&
	test "$(jget out .message)" = "$REFUSED" &&
	refusals 0000cafe >actual &&
	echo "boot/pi|$EVIL|$NODE" >expect && test_cmp expect actual
'

test_done
