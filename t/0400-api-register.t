#!/bin/sh
test_description='POST /nodes/register-pi: new, known, conflicting and bad Pis; one node under a race'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-api.sh"
# As many API workers as the race case sends requests at once: with
# fewer, the requests queue in nginx and mostly arrive one at a time,
# and the race is not run.
PB_WORKERS=20
api_start

reg() {
	printf '%s\n' "$1" >reg.json &&
	api_body POST /api/v1/nodes/register-pi reg.json
}

test_expect_success 'a new Pi is 201, discovered, aarch64, boot_mode pi' '
	reg "{\"serial\":\"D83ADD36\",\"mac\":\"DC-A6-32-01-02-03\",\"model\":\"pi3b+\",\"ip_address\":\"192.168.1.50\"}" >out &&
	test "$(cut -d" " -f1 out)" = 201 &&
	test "$(jget out .state)" = discovered &&
	test "$(jget out .node_id)" = "$(node_id d83add36)" &&
	db_psql -c "SELECT serial, mac, arch, boot_mode, pi_model, host(ip_address), state FROM pureboot.nodes" >actual &&
	echo "d83add36|dc:a6:32:01:02:03|aarch64|pi|pi3+|192.168.1.50|discovered" >expect &&
	test_cmp expect actual &&
	db_psql -c "SELECT type FROM pureboot.node_events" >actual &&
	echo registered >expect &&
	test_cmp expect actual
'

test_expect_success 'a known serial is 200 and updates MAC, model and IP' '
	reg "{\"serial\":\"d83add36\",\"mac\":\"dc:a6:32:01:02:04\",\"model\":\"pi4\",\"ip_address\":\"fe80::0:1\"}" >out &&
	test "$(cut -d" " -f1 out)" = 200 &&
	db_psql -c "SELECT count(*), min(mac::text), min(pi_model), min(host(ip_address)) FROM pureboot.nodes" >actual &&
	echo "1|dc:a6:32:01:02:04|pi4|fe80::1" >expect &&
	test_cmp expect actual
'

test_expect_success 'model and ip_address may be left out; known values stay' '
	reg "{\"serial\":\"d83add36\",\"mac\":\"dc:a6:32:01:02:04\"}" >out &&
	test "$(cut -d" " -f1 out)" = 200 &&
	db_psql -c "SELECT pi_model, host(ip_address) FROM pureboot.nodes" >actual &&
	echo "pi4|fe80::1" >expect &&
	test_cmp expect actual
'

test_expect_success 'the MAC of another node is 409 and changes nothing' '
	db_psql -c "SELECT * FROM pureboot.nodes ORDER BY id" >before &&
	reg "{\"serial\":\"0000beef\",\"mac\":\"dc:a6:32:01:02:04\"}" >actual &&
	echo "409 {\"error\":{\"code\":\"conflict\",\"message\":\"register-pi: mac is already used by another node\"}}" >expect &&
	test_cmp expect actual &&
	db_psql -c "SELECT * FROM pureboot.nodes ORDER BY id" >after &&
	test_cmp before after
'

# body | message: each is refused with 400 naming the field.
cat >cases <<'EOF2'
{"mac":"dc:a6:32:01:02:05"}|register-pi: field \"serial\" is required
{"serial":"0000beef"}|register-pi: field \"mac\" is required
{"serial":"d83add3","mac":"dc:a6:32:01:02:05"}|register-pi: serial \"d83add3\" is not 8 hex digits
{"serial":"d83add36\n","mac":"dc:a6:32:01:02:05"}|register-pi: serial \"d83add36\\x0a\" is not 8 hex digits
{"serial":"d83add36 ","mac":"dc:a6:32:01:02:05"}|register-pi: serial \"d83add36 \" is not 8 hex digits
{"serial":12345678,"mac":"dc:a6:32:01:02:05"}|register-pi: field \"serial\" must be a string
{"serial":"0000beef","mac":"dc:a6:32:01:02"}|register-pi: mac \"dc:a6:32:01:02\" is not six hex pairs separated by ':' or '-'
{"serial":"0000beef","mac":"dc:a6:32:01:02:05","model":"pi9"}|register-pi: model \"pi9\" is not one of pi3, pi3+, cm3, pi4, pi400, cm4, pi5, cm5, pi500
{"serial":"0000beef","mac":"dc:a6:32:01:02:05","ip_address":"10.0.0.256"}|register-pi: ip_address \"10.0.0.256\" is not an IPv4 or IPv6 address
{"serial":"0000beef","mac":"dc:a6:32:01:02:05","ip":"10.0.0.1"}|register-pi: unknown field \"ip\"
EOF2

test_expect_success 'bad or missing fields are 400 naming the field; nothing written' '
	while IFS="|" read -r b msg; do
		reg "$b" >actual &&
		printf "400 {\"error\":{\"code\":\"bad_request\",\"message\":\"%s\"}}\n" "$msg" >expect &&
		test_cmp expect actual || return 1
	done <cases &&
	test "$(db_count nodes)" = 1
'

test_expect_success 'twenty parallel registrations of one serial make one node' '
	printf "{\"serial\":\"0badc0de\",\"mac\":\"dc:a6:32:0a:0b:0c\",\"model\":\"pi5\"}\n" >race.json &&
	i=0 && pids="" &&
	while [ $i -lt 20 ]; do
		curl -s -o "race.$i" -w "%{http_code}\n" -H "Content-Type: application/json" \
			--data-binary @race.json "$PB_URL/api/v1/nodes/register-pi" >"race.$i.code" &
		pids="$pids $!" && i=$((i + 1))
	done &&
	for p in $pids; do wait "$p" || return 1; done &&
	cat race.*.code | sort | uniq -c | sed "s/^ *//" >codes &&
	printf "19 200\n1 201\n" >expect &&
	test_cmp expect codes &&
	echo "SELECT count(*) FROM pureboot.nodes WHERE serial = :'"'"'s'"'"'" | db_psql -v s=0badc0de >n &&
	echo 1 >one && test_cmp one n &&
	cat race.[0-9] race.[0-9][0-9] | jq -r .node_id | sort -u | wc -l >ids &&
	echo 1 >one && test_cmp one ids
'

test_done
