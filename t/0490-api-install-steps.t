#!/bin/sh
test_description='install in two steps (issue 10): boot/pi gives what to do and the token, GET /nodes/{id}/install gives the instructions to that token only; install token lifetime'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-api.sh"
api_start
api_operator

NODE=127.0.0.21
NODE2=127.0.0.22
EVIL=127.0.0.66
A=0a0a0001
B=0b0b0002
SHA=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ED="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKY8KN2blp860xz/mBlQaK9FcMrh8hiFsVWBj6eCdhAA"
# What must never be in an open answer: the hash, the image, the files.
HASH='$6$salt$secrethashabcdef'

unauth() {
	printf "401 {\"error\":{\"code\":\"unauthorized\",\"message\":\"%s\"}}\n" "$1"
}

tr_sql() {
	printf "SELECT pureboot.transition(id, :'t', 'test') FROM pureboot.nodes WHERE serial = :'s'\n" |
		db_psql -v s="$1" -v t="$2" >/dev/null
}

# install_get ADDR SERIAL [curl args]: GET the node's instructions.
install_get() {
	a=$1 s=$2
	shift 2
	api_from "$a" GET "/api/v1/nodes/$(node_id "$s")/install" "$@"
}

tok_of() { cat "tok.$1"; }

test_expect_success 'setup: a workflow with a password hash, two nodes installing from their addresses' '
	wf_add pi-secret aarch64 "{\"install_method\":\"image\",\"image_url\":\"http://10.9.8.7/img/\${serial}.img.xz\",\"image_sha256\":\"$SHA\",\"target_device\":\"/dev/mmcblk0\",\"post_install\":[{\"ssh_keys\":{\"user\":\"admin\",\"password_hash\":\"$HASH\",\"keys\":[\"$ED\"]}}]}" &&
	for n in "$A $NODE" "$B $NODE2"; do
		set -- $n &&
		api_from $2 GET "/api/v1/boot/pi?serial=$1" >/dev/null &&
		printf "UPDATE pureboot.nodes SET workflow_id = '"'"'pi-secret'"'"' WHERE serial = :'"'"'s'"'"'\n" | db_psql -v s=$1 &&
		tr_sql $1 pending &&
		api_from $2 GET "/api/v1/boot/pi?serial=$1" >out.$1 &&
		jget out.$1 .token >tok.$1 || return 1
	done &&
	test "$(db_psql -c "SELECT string_agg(state::text, '"'"' '"'"' ORDER BY serial) FROM pureboot.nodes")" = "installing installing"
'

test_expect_success 'the open answer says what to do: no file, image or secret' '
	id=$(node_id $A) &&
	jget out.$A "keys_unsorted | join(\" \")" >actual &&
	echo "state action message node_id token instructions_url callback_url events_url" >expect &&
	test_cmp expect actual &&
	test "$(jget out.$A .instructions_url)" = "http://127.0.0.1:8080/api/v1/nodes/$id/install" &&
	test "$(jget out.$A .message)" = "install workflow pi-secret, attempt 1" &&
	! grep -qF -e "$HASH" -e userconf -e img.xz -e "$SHA" -e ssh-ed25519 out.$A
'

test_expect_success 'the open env answer (the reboot case) carries no file, image or secret either' '
	api_from $NODE2 GET "/api/v1/boot/pi?serial=$B&format=env" >env.$B &&
	sed "1s/^200 //; s/=.*//" env.$B >actual &&
	printf "%s\n" PB_STATE PB_ACTION PB_MESSAGE PB_NODE_ID PB_TOKEN PB_INSTRUCTIONS_URL PB_CALLBACK_URL PB_EVENTS_URL >expect &&
	test_cmp expect actual &&
	! grep -qF -e "$HASH" -e PB_FILE -e PB_IMAGE env.$B &&
	sed -n "s/^PB_TOKEN='"'"'\(.*\)'"'"'\$/\1/p" env.$B >tok.$B &&
	test "$(db_psql -c "SELECT install_attempts FROM pureboot.nodes WHERE serial = '"'"'$B'"'"'")" = 1
'

test_expect_success 'the instructions need the token: none, wrong, another node'"'"'s, an operator'"'"'s format: 401, nothing changed' '
	db_snapshot >before &&
	tok=$(tok_of $A) && wrong=${tok%?}A &&
	if [ "$wrong" = "$tok" ]; then wrong=${tok%?}B; fi &&
	for from in $NODE $EVIL; do
		install_get $from $A >actual &&
		unauth "no Authorization header" >expect && test_cmp expect actual &&
		grep -qi "^WWW-Authenticate: Bearer" headers &&
		install_get $from $A -H "Authorization: Bearer $wrong" >actual &&
		unauth "the install token is unknown, wrong or replaced by a newer install" >expect && test_cmp expect actual &&
		install_get $from $A -H "Authorization: Bearer pbi1.0000000000000000.${tok##*.}" >actual &&
		test_cmp expect actual &&
		install_get $from $A -H "Authorization: Bearer $(tok_of $B)" >actual &&
		unauth "the install token belongs to another node" >expect && test_cmp expect actual &&
		install_get $from $A -H "Authorization: Bearer nonsense" >actual &&
		test "$(cut -d" " -f1 actual)" = 401 || return 1
	done &&
	db_snapshot >after &&
	test_cmp before after
'

test_expect_success 'with its token: the instructions, files and secret included; nothing changed' '
	db_snapshot >before &&
	install_get $NODE $A -H "Authorization: Bearer $(tok_of $A)" >out &&
	test "$(cut -d" " -f1 out)" = 200 &&
	id=$(node_id $A) &&
	test "$(jget out "[.state, .action, .node_id, .image_url, .image_sha256, .target_device] | @tsv")" = "installing	install	$id	http://10.9.8.7/img/$A.img.xz	$SHA	/dev/mmcblk0" &&
	test "$(jget out ".files[] | select(.path == \"userconf.txt\") | .content_b64" | base64 -d)" = "admin:$HASH" &&
	test "$(jget out .callback_url)" = "http://127.0.0.1:8080/api/v1/nodes/$id/installed" &&
	test "$(jget out "has(\"token\")")" = false &&
	install_get $NODE $A -H "Authorization: Bearer $(tok_of $A)" "-G" -d format=env >env &&
	grep -qx "PB_IMAGE_URL='"'"'http://10.9.8.7/img/$A.img.xz'"'"'" env &&
	grep -q "^PB_FILE_1_PATH=" env &&
	db_snapshot >after &&
	test_cmp before after
'

test_expect_success 'the token is the credential, not the address: served to it from anywhere' '
	install_get $EVIL $A -H "Authorization: Bearer $(tok_of $A)" >out &&
	test "$(cut -d" " -f1 out)" = 200
'

test_expect_success 'bad query or node id: 400' '
	install_get $NODE $A -H "Authorization: Bearer $(tok_of $A)" -G -d format=xml >actual &&
	echo "400 {\"error\":{\"code\":\"bad_request\",\"message\":\"install: format \\\"xml\\\" is not json or env\"}}" >expect &&
	test_cmp expect actual &&
	api_from $NODE GET "/api/v1/nodes/nope/install" -H "Authorization: Bearer $(tok_of $A)" >out &&
	test "$(cut -d" " -f1 out)" = 400
'

test_expect_success 'cloud-init: the instructions add the first-boot report with the caller'"'"'s own token; an operator gets none' '
	wf_add ci-report aarch64 "{\"install_method\":\"image\",\"image_url\":\"http://10.9.8.7/u.img.xz\",\"image_sha256\":\"$SHA\",\"target_device\":\"/dev/mmcblk0\",\"post_install\":[\"cloud_init\"]}" &&
	test_when_finished "db_psql -c \"UPDATE pureboot.nodes SET workflow_id = '"'"'pi-secret'"'"' WHERE serial = '"'"'$A'"'"'\"" &&
	db_psql -c "UPDATE pureboot.nodes SET workflow_id = '"'"'ci-report'"'"' WHERE serial = '"'"'$A'"'"'" &&
	id=$(node_id $A) && tok=$(tok_of $A) &&
	install_get $NODE $A -H "Authorization: Bearer $tok" >out &&
	test "$(cut -d" " -f1 out)" = 200 &&
	jget out "[.files[].path] | join(\" \")" >actual &&
	echo "meta-data user-data network-config pureboot-first-boot" >expect &&
	test_cmp expect actual &&
	test "$(jget out ".files[3].mode")" = 0600 &&
	jget out ".files[3].content_b64" | base64 -d >cfg &&
	cat >expect <<-EOF &&
	# PureBoot-Pi: the first_boot report of this node (a secret: the install token)
	url = "http://127.0.0.1:8080/api/v1/nodes/$id/events"
	request = "POST"
	header = "Authorization: Bearer $tok"
	header = "Content-Type: application/json"
	data = "{\"type\":\"first_boot\"}"
	EOF
	test_cmp expect cfg &&
	jget out ".files[1].content_b64" | base64 -d >ud &&
	grep -qx "  - \[\"/usr/local/lib/pureboot/first-boot\"\]" ud &&
	! grep -qF "$tok" ud &&
	op GET "/api/v1/nodes/$id/install" >out &&
	test "$(cut -d" " -f1 out)" = 200 &&
	jget out "[.files[].path] | join(\" \")" >actual &&
	echo "meta-data user-data network-config" >expect &&
	test_cmp expect actual &&
	! grep -qF "pbi1." out
'

test_expect_success 'installed: the token is still good for events, no instructions any more (409)' '
	id=$(node_id $A) &&
	api_from $NODE POST "/api/v1/nodes/$id/installed" -H "Authorization: Bearer $(tok_of $A)" >out &&
	test "$(jget out .state)" = installed &&
	install_get $NODE $A -H "Authorization: Bearer $(tok_of $A)" >actual &&
	echo "409 {\"error\":{\"code\":\"conflict\",\"message\":\"install: node $id is installed; install instructions are served only while it is installing\"}}" >expect &&
	test_cmp expect actual &&
	echo "{\"type\":\"heartbeat\"}" >hb.json &&
	api_body_from $NODE POST "/api/v1/nodes/$id/events" hb.json -H "Authorization: Bearer $(tok_of $A)" >out &&
	test "$(cut -d" " -f1 out)" = 201
'

test_expect_success 'installed again with the same token (a lost answer): 200, duplicate, nothing changed; an operator: 409' '
	id=$(node_id $A) &&
	db_snapshot >before &&
	api_from $NODE POST "/api/v1/nodes/$id/installed" -H "Authorization: Bearer $(tok_of $A)" >out &&
	test "$(cut -d" " -f1 out)" = 200 &&
	test "$(jget out .state)" = installed &&
	test "$(jget out .duplicate)" = true &&
	db_snapshot >after &&
	test_cmp before after &&
	test "$(db_psql -c "SELECT count(*) FROM pureboot.node_state_log WHERE node_id = '"'"'$id'"'"' AND to_state = '"'"'installed'"'"'")" = 1 &&
	op POST "/api/v1/nodes/$id/installed" >out &&
	test "$(cut -d" " -f1 out)" = 409 &&
	db_snapshot >after &&
	test_cmp before after
'

test_expect_success 'first_boot ends the token: 401 says so, nothing more is recorded' '
	id=$(node_id $A) &&
	echo "{\"type\":\"first_boot\"}" >fb.json &&
	api_body_from $NODE POST "/api/v1/nodes/$id/events" fb.json -H "Authorization: Bearer $(tok_of $A)" >out &&
	test "$(jget out .state)" = active &&
	db_snapshot >before &&
	api_body_from $NODE POST "/api/v1/nodes/$id/events" hb.json -H "Authorization: Bearer $(tok_of $A)" >actual &&
	unauth "the install token is no longer good: it ended at the first boot of the installed system (installed -> active)" >expect &&
	test_cmp expect actual &&
	install_get $NODE $A -H "Authorization: Bearer $(tok_of $A)" >actual &&
	test_cmp expect actual &&
	db_snapshot >after &&
	test_cmp before after
'

# Lifetime: install_token_ttl seconds after issue or the last event.
# The clock is moved by rewriting the token's times, so no test waits.
test_expect_success 'install_token_ttl: an event within the lifetime keeps the token, after it 401' '
	id=$(node_id $B) &&
	echo "{\"install_token_ttl\":600}" >s.json &&
	op_body PATCH /api/v1/settings s.json >out &&
	test "$(jget out .install_token_ttl)" = 600 &&
	db_psql -c "UPDATE pureboot.install_tokens SET issued_at = now() - interval '"'"'20 minutes'"'"', used_at = now() - interval '"'"'9 minutes'"'"' WHERE node_id = '"'"'$id'"'"'" &&
	echo "{\"type\":\"install_progress\",\"bytes\":1}" >ev.json &&
	api_body_from $NODE2 POST "/api/v1/nodes/$id/events" ev.json -H "Authorization: Bearer $(tok_of $B)" >out &&
	test "$(cut -d" " -f1 out)" = 201 &&
	test "$(db_psql -c "SELECT used_at > now() - interval '"'"'1 minute'"'"' FROM pureboot.install_tokens WHERE node_id = '"'"'$id'"'"'")" = t &&
	db_psql -c "UPDATE pureboot.install_tokens SET used_at = now() - interval '"'"'11 minutes'"'"' WHERE node_id = '"'"'$id'"'"'" &&
	db_snapshot >before &&
	unauth "the install token is no longer good: it expired 600 s after it was issued or last used for an event (install_token_ttl)" >expect &&
	api_body_from $NODE2 POST "/api/v1/nodes/$id/events" ev.json -H "Authorization: Bearer $(tok_of $B)" >actual &&
	test_cmp expect actual &&
	api_from $NODE2 POST "/api/v1/nodes/$id/installed" -H "Authorization: Bearer $(tok_of $B)" >actual &&
	test_cmp expect actual &&
	install_get $NODE2 $B -H "Authorization: Bearer $(tok_of $B)" >actual &&
	test_cmp expect actual &&
	db_snapshot >after &&
	test_cmp before after &&
	test "$(db_psql -c "SELECT state FROM pureboot.nodes WHERE serial = '"'"'$B'"'"'")" = installing
'

test_expect_success 'the default lifetime is 2 hours; the reboot case makes a fresh token' '
	echo "{\"install_token_ttl\":7200}" >s.json &&
	op_body PATCH /api/v1/settings s.json >/dev/null &&
	id=$(node_id $B) &&
	db_psql -c "UPDATE pureboot.install_tokens SET issued_at = now() - interval '"'"'119 minutes'"'"', used_at = NULL WHERE node_id = '"'"'$id'"'"'" &&
	install_get $NODE2 $B -H "Authorization: Bearer $(tok_of $B)" >out &&
	test "$(cut -d" " -f1 out)" = 200 &&
	db_psql -c "UPDATE pureboot.install_tokens SET issued_at = now() - interval '"'"'121 minutes'"'"' WHERE node_id = '"'"'$id'"'"'" &&
	install_get $NODE2 $B -H "Authorization: Bearer $(tok_of $B)" >out &&
	test "$(cut -d" " -f1 out)" = 401 &&
	api_from $NODE2 GET "/api/v1/boot/pi?serial=$B" >out &&
	jget out .token >tok.$B &&
	install_get $NODE2 $B -H "Authorization: Bearer $(tok_of $B)" >out &&
	test "$(cut -d" " -f1 out)" = 200
'

test_expect_success 'install_failed ends the token, and so does retiring' '
	id=$(node_id $B) &&
	echo "{\"type\":\"install_failed\",\"reason\":\"disk full\"}" >f.json &&
	api_body_from $NODE2 POST "/api/v1/nodes/$id/events" f.json -H "Authorization: Bearer $(tok_of $B)" >out &&
	test "$(jget out .state)" = install_failed &&
	install_get $NODE2 $B -H "Authorization: Bearer $(tok_of $B)" >actual &&
	unauth "the install token is no longer good: it ended when its node went from installing to install_failed" >expect &&
	test_cmp expect actual &&
	db_psql -c "UPDATE pureboot.install_tokens SET ended_at = NULL, ended_why = NULL WHERE node_id = '"'"'$id'"'"'" &&
	tr_sql $B retired &&
	install_get $NODE2 $B -H "Authorization: Bearer $(tok_of $B)" >actual &&
	unauth "the install token is no longer good: it ended when its node went from install_failed to retired" >expect &&
	test_cmp expect actual
'

test_expect_success 'no token or secret reaches a log' '
	for t in "$(tok_of $A)" "$(tok_of $B)"; do
		! grep -rF -- "${t##*.}" "$TRASH/stack/log/" || return 1
	done &&
	! grep -rF -- "$HASH" "$TRASH/stack/log/"
'

test_done
