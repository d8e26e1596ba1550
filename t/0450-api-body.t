#!/bin/sh
test_description='request bodies (413, 415, malformed JSON with position, duplicates, shapes) and PostgreSQL down (503, recovery)'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-api.sh"
api_start

REG=/api/v1/nodes/register-pi

bad_json() {
	printf "400 {\"error\":{\"code\":\"bad_json\",\"message\":\"register-pi: body: %s\"}}\n" "$1"
}

test_expect_success 'a body over 64 KiB is 413' '
	{ printf "{\"serial\":\"" && head -c 70000 /dev/zero | tr "\0" a && printf "\"}"; } >big.json &&
	api_body POST $REG big.json >actual &&
	grep -q "^413 {\"error\":{\"code\":\"payload_too_large\"" actual &&
	test "$(db_count nodes)" = 0
'

test_expect_success 'a body that is not application/json is 415' '
	echo "{\"serial\":\"d83add36\",\"mac\":\"dc:a6:32:01:02:03\"}" >ok.json &&
	api POST $REG -H "Content-Type: text/plain" --data-binary @ok.json >actual &&
	echo "415 {\"error\":{\"code\":\"unsupported_media_type\",\"message\":\"register-pi: the body must be Content-Type: application/json\"}}" >expect &&
	test_cmp expect actual &&
	api POST $REG --data-binary @ok.json >actual &&
	test_cmp expect actual &&
	test "$(db_count nodes)" = 0
'

test_expect_success 'application/json with a charset is fine' '
	api POST $REG -H "Content-Type: application/json; charset=utf-8" --data-binary @ok.json >out &&
	test "$(cut -d" " -f1 out)" = 201
'

test_expect_success 'malformed JSON is 400 with line and column' '
	printf "{\"serial\": \"d83add36\",\n  \"mac\" \"x\"}" >b.json &&
	api_body POST $REG b.json >actual &&
	bad_json "line 2 column 11: '"'"':'"'"' expected near '"'"'\\\"x\\\"'"'"'" >expect &&
	test_cmp expect actual
'

test_expect_success 'duplicate keys, NUL escapes, bad UTF-8, huge numbers, deep nesting: 400' '
	printf "{\"serial\":\"d83add36\",\"serial\":\"0000beef\",\"mac\":\"dc:a6:32:01:02:03\"}" >b.json &&
	api_body POST $REG b.json >out &&
	grep -q "^400 {\"error\":{\"code\":\"bad_json\",\"message\":\"register-pi: body: line 1 column [0-9]*: duplicate object key" out &&
	printf "{\"serial\":\"d83add36\\\\u0000\",\"mac\":\"dc:a6:32:01:02:03\"}" >b.json &&
	api_body POST $REG b.json >out &&
	grep -q "^400 {\"error\":{\"code\":\"bad_json\".*u0000 is not allowed" out &&
	printf "{\"serial\":\"d83a\\377\\376\"}" >b.json &&
	api_body POST $REG b.json >out &&
	grep -q "^400 {\"error\":{\"code\":\"bad_json\".*unable to decode byte 0xff" out &&
	printf "{\"serial\":123456789012345678901234567890}" >b.json &&
	api_body POST $REG b.json >out &&
	grep -q "^400 {\"error\":{\"code\":\"bad_json\".*too big integer" out &&
	{ head -c 3000 /dev/zero | tr "\0" "["; } >b.json &&
	api_body POST $REG b.json >out &&
	grep -q "^400 {\"error\":{\"code\":\"bad_json\".*maximum parsing depth" out &&
	test "$(db_count nodes)" = 1
'

test_expect_success 'a body that is not an object is 400; an empty body names the field' '
	echo "[\"d83add36\"]" >b.json &&
	api_body POST $REG b.json >actual &&
	echo "400 {\"error\":{\"code\":\"bad_request\",\"message\":\"register-pi: body must be a JSON object\"}}" >expect &&
	test_cmp expect actual &&
	api POST $REG >actual &&
	echo "400 {\"error\":{\"code\":\"bad_request\",\"message\":\"register-pi: field \\\"serial\\\" is required\"}}" >expect &&
	test_cmp expect actual
'

test_expect_success 'PostgreSQL down: 503 with Retry-After on agent and operator endpoints' '
	api_operator &&
	stack_pg_stop &&
	api GET "/api/v1/boot/pi?serial=d83add36" >actual &&
	echo "503 {\"error\":{\"code\":\"database_down\",\"message\":\"the database is not reachable; try again shortly\"}}" >expect &&
	test_cmp expect actual &&
	grep -qi "^Retry-After: 5" headers &&
	op GET /api/v1/nodes >actual &&
	test_cmp expect actual &&
	api_body POST $REG ok.json >actual &&
	test_cmp expect actual
'

test_expect_success 'PostgreSQL back: every worker answers again' '
	stack_pg_start >/dev/null &&
	for i in 1 2 3 4 5 6; do
		api GET "/api/v1/boot/pi?serial=d83add36" >out &&
		test "$(cut -d" " -f1 out)" = 200 || return 1
	done &&
	op GET /api/v1/nodes >out &&
	test "$(jget out ".nodes | length")" = 1
'

test_done
