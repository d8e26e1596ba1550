#!/bin/sh
test_description='GET /boot/pi: instructions by state, JSON and env, install tokens, bad queries'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-api.sh"
api_start

SHA=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef

# tr: move node with serial $1 to state $2 the way an operator would.
tr_sql() {
	printf "SELECT pureboot.transition(id, :'t', 'test') FROM pureboot.nodes WHERE serial = :'s'\n" |
		db_psql -v s="$1" -v t="$2" >/dev/null
}

test_expect_success 'setup: server URL and workflows' '
	db_psql -c "UPDATE pureboot.settings SET value = '"'"'http://10.9.8.7:8080'"'"' WHERE key = '"'"'server_url'"'"'" &&
	wf_add pi-img aarch64 "{\"install_method\":\"image\",\"image_url\":\"\${server}/img/\${serial}.img.xz\",\"image_sha256\":\"$SHA\",\"target_device\":\"/dev/mmcblk0\"}" &&
	wf_add pi-nfs aarch64 "{\"install_method\":\"nfs\",\"nfs_server\":\"10.9.8.7\",\"nfs_base_path\":\"/srv/nfs\",\"nfs_image\":\"base\"}" &&
	wf_add pi-bad aarch64 "{\"install_method\":\"image\",\"image_verify\":\"none\",\"image_url\":\"http://x/a'"'"'b\",\"target_device\":\"/dev/mmcblk0\"}"
'

test_expect_success 'an unknown serial is registered as discovered and told to wait' '
	api GET "/api/v1/boot/pi?serial=D83ADD36&mac=dc-a6-32-01-02-03" >actual &&
	id=$(node_id d83add36) && test -n "$id" &&
	echo "200 {\"state\":\"discovered\",\"action\":\"wait\",\"message\":\"waiting for an operator to assign a workflow and move the node to pending\",\"node_id\":\"$id\",\"retry_after\":30}" >expect &&
	test_cmp expect actual &&
	db_psql -c "SELECT mac, arch, boot_mode, state FROM pureboot.nodes" >actual &&
	echo "dc:a6:32:01:02:03|aarch64|pi|discovered" >expect &&
	test_cmp expect actual
'

test_expect_success 'format=env answers the same as KEY=value lines' '
	api GET "/api/v1/boot/pi?serial=d83add36&format=env" >actual &&
	id=$(node_id d83add36) &&
	cat >expect <<-EOF2 &&
	200 PB_STATE='"'"'discovered'"'"'
	PB_ACTION='"'"'wait'"'"'
	PB_MESSAGE='"'"'waiting for an operator to assign a workflow and move the node to pending'"'"'
	PB_NODE_ID='"'"'$id'"'"'
	PB_RETRY_AFTER='"'"'30'"'"'
	EOF2
	test_cmp expect actual &&
	grep -qi "^content-type: text/plain" headers
'

test_expect_success 'bad queries are 400 with the reason, and write nothing' '
	db_snapshot >before &&
	cat >cases <<-\EOF2 &&
	serial=d83add36%0a|boot/pi: serial \"d83add36\\x0a\" is not 8 hex digits
	serial=d83add36+|boot/pi: serial \"d83add36 \" is not 8 hex digits
	serial=d83add36%00|boot/pi: query: serial: contains a NUL byte
	serial=d83add3|boot/pi: serial \"d83add3\" is not 8 hex digits
	serial=../../etc|boot/pi: serial \"../../etc\" is not 8 hex digits
	mac=dc:a6:32:01:02:03|boot/pi: query parameter \"serial\" is required
	serial=d83add36&serial=0000beef|boot/pi: query: parameter \"serial\" given twice
	serial=d83add36&token=x|boot/pi: query: unknown parameter \"token\"
	serial=d83add36&format=yaml|boot/pi: format \"yaml\" is not json or env
	serial=d83add36&mac=dc:a6:32:01:02|boot/pi: mac \"dc:a6:32:01:02\" is not six hex pairs separated by '"'"':'"'"' or '"'"'-'"'"'
	serial=d8%zzdd36|boot/pi: query: serial: bad %-escape
	EOF2
	while IFS="|" read -r q msg; do
		api GET "/api/v1/boot/pi?$q" >actual &&
		printf "400 {\"error\":{\"code\":\"bad_request\",\"message\":\"%s\"}}\n" "$msg" >expect &&
		test_cmp expect actual || return 1
	done <cases &&
	db_snapshot >after &&
	test_cmp before after
'

test_expect_success 'auto_register off: an unknown serial is 404 and nothing is written' '
	db_psql -c "UPDATE pureboot.settings SET value = '"'"'off'"'"' WHERE key = '"'"'auto_register'"'"'" &&
	test_when_finished "db_psql -c \"UPDATE pureboot.settings SET value = '"'"'on'"'"' WHERE key = '"'"'auto_register'"'"'\"" &&
	db_snapshot >before &&
	api GET "/api/v1/boot/pi?serial=0000beef" >actual &&
	echo "404 {\"error\":{\"code\":\"not_found\",\"message\":\"boot/pi: serial \\\"0000beef\\\" is not registered and auto_register is off\"}}" >expect &&
	test_cmp expect actual &&
	db_snapshot >after &&
	test_cmp before after &&
	api GET "/api/v1/boot/pi?serial=d83add36" >out &&
	test "$(jget out .action)" = wait
'

test_expect_success 'pending without a workflow waits' '
	tr_sql d83add36 pending &&
	api GET "/api/v1/boot/pi?serial=d83add36" >out &&
	test "$(jget out ".state + \" \" + .action + \" \" + .message")" = "pending wait pending without a workflow; waiting for one to be assigned"
'

test_expect_success 'pending with a workflow: what to do, a token, the URLs, and installing' '
	db_psql -c "UPDATE pureboot.nodes SET workflow_id = '"'"'pi-img'"'"'" &&
	api GET "/api/v1/boot/pi?serial=d83add36&format=env" >env &&
	id=$(node_id d83add36) &&
	sed -n "s/^200 //p; /^PB_/p" env | grep -v "^PB_TOKEN=" | sort -u >actual &&
	sort >expect <<-EOF2 &&
	PB_ACTION='"'"'install'"'"'
	PB_CALLBACK_URL='"'"'http://10.9.8.7:8080/api/v1/nodes/$id/installed'"'"'
	PB_EVENTS_URL='"'"'http://10.9.8.7:8080/api/v1/nodes/$id/events'"'"'
	PB_INSTRUCTIONS_URL='"'"'http://10.9.8.7:8080/api/v1/nodes/$id/install'"'"'
	PB_MESSAGE='"'"'install workflow pi-img, attempt 1'"'"'
	PB_NODE_ID='"'"'$id'"'"'
	PB_STATE='"'"'installing'"'"'
	EOF2
	test_cmp expect actual &&
	grep -q "^PB_TOKEN='"'"'pbi1\.[0-9a-f]\{16\}\.[A-Za-z0-9_-]\{43\}'"'"'\$" env &&
	test "$(db_psql -c "SELECT state FROM pureboot.nodes")" = installing &&
	tok=$(sed -n "s/^PB_TOKEN='"'"'\(.*\)'"'"'\$/\1/p" env) &&
	printf "%s\n" "$tok" >token &&
	printf "SELECT count(*) FROM pureboot.install_tokens WHERE node_id = :'"'"'n'"'"' AND id = split_part(:'"'"'t'"'"', '"'"'.'"'"', 2) AND hash = sha256(convert_to(split_part(:'"'"'t'"'"', '"'"'.'"'"', 3), '"'"'UTF8'"'"'))\n" |
		db_psql -v n="$id" -v t="$tok" >n && echo 1 >one && test_cmp one n
'

test_expect_success 'the instructions come from the install URL with that token' '
	id=$(node_id d83add36) &&
	api GET "/api/v1/nodes/$id/install?format=env" -H "Authorization: Bearer $(cat token)" >ienv &&
	sed -n "s/^200 //p; /^PB_/p" ienv | sort -u >actual &&
	sort >expect <<-EOF2 &&
	PB_ACTION='"'"'install'"'"'
	PB_CALLBACK_URL='"'"'http://10.9.8.7:8080/api/v1/nodes/$id/installed'"'"'
	PB_EVENTS_URL='"'"'http://10.9.8.7:8080/api/v1/nodes/$id/events'"'"'
	PB_FILES='"'"'0'"'"'
	PB_IMAGE_SHA256='"'"'$SHA'"'"'
	PB_IMAGE_SHA256_OF='"'"'compressed'"'"'
	PB_IMAGE_URL='"'"'http://10.9.8.7:8080/img/d83add36.img.xz'"'"'
	PB_IMAGE_VERIFY='"'"'sha256'"'"'
	PB_INSTALL_METHOD='"'"'image'"'"'
	PB_MESSAGE='"'"'install workflow pi-img, attempt 1'"'"'
	PB_NODE_ID='"'"'$id'"'"'
	PB_RESIZE_ROOTFS='"'"'0'"'"'
	PB_STATE='"'"'installing'"'"'
	PB_TARGET_DEVICE='"'"'/dev/mmcblk0'"'"'
	EOF2
	test_cmp expect actual
'

test_expect_success 'the busybox agent can source both answers as they are' '
	sed "1s/^200 //" env >env.sh &&
	sed "1s/^200 //" ienv >ienv.sh &&
	! grep -qv "^PB_[A-Z0-9_]*='"'"'[^'"'"']*'"'"'\$" env.sh ienv.sh &&
	busybox sh -euc ". ./env.sh && test \"\$PB_ACTION\" = install && test -n \"\$PB_TOKEN\" && test -z \"\${PB_FILES:-}\" && . ./ienv.sh && test \"\$PB_FILES\" = 0"
'

test_expect_success 'a token never reaches a log' '
	tok=$(cat token) && secret=${tok##*.} &&
	! grep -rF -- "$secret" "$TRASH/stack/log/"
'

test_expect_success 'asking again while installing: a new token, counted as a failed attempt' '
	api GET "/api/v1/boot/pi?serial=d83add36" >out &&
	test "$(jget out .action)" = install &&
	test "$(jget out .message)" = "install workflow pi-img, attempt 2" &&
	test "$(jget out .token)" != "$(cat token)" &&
	db_psql -c "SELECT state, install_attempts FROM pureboot.nodes" >actual &&
	echo "installing|1" >expect && test_cmp expect actual &&
	db_psql -c "SELECT from_state || '"'"'>'"'"' || to_state || '"'"' '"'"' || actor FROM pureboot.node_state_log ORDER BY id DESC LIMIT 3" >actual &&
	cat >expect <<-\EOF2 &&
	pending>installing api:boot
	install_failed>pending api:boot
	installing>install_failed api:boot
	EOF2
	test_cmp expect actual
'

test_expect_success 'after the third failed attempt the node stays install_failed and waits' '
	api GET "/api/v1/boot/pi?serial=d83add36" >out &&
	test "$(jget out .message)" = "install workflow pi-img, attempt 3" &&
	api GET "/api/v1/boot/pi?serial=d83add36" >out &&
	test "$(jget out ".state + \" \" + .action")" = "install_failed wait" &&
	test "$(db_psql -c "SELECT install_attempts FROM pureboot.nodes")" = 3 &&
	test "$(db_count install_tokens)" = 1 &&
	test "$(db_psql -c "SELECT ended_why FROM pureboot.install_tokens")" = "it ended when its node went from installing to install_failed"
'

test_expect_success 'installed/active: local_boot; NFS workflow: nfs with its server' '
	db_psql -c "SELECT pureboot.transition(id, '"'"'pending'"'"', '"'"'t'"'"', NULL, true) FROM pureboot.nodes" >/dev/null &&
	test "$(db_psql -c "SELECT count(*) FROM pureboot.install_tokens WHERE ended_at IS NULL")" = 0 &&
	tr_sql d83add36 installing && tr_sql d83add36 installed &&
	api GET "/api/v1/boot/pi?serial=d83add36" >out &&
	test "$(jget out ".state + \" \" + .action")" = "installed local_boot" &&
	tr_sql d83add36 active &&
	db_psql -c "UPDATE pureboot.nodes SET workflow_id = '"'"'pi-nfs'"'"'" &&
	api GET "/api/v1/boot/pi?serial=d83add36&format=env" >out &&
	grep -qx "200 PB_STATE='"'"'active'"'"'" out &&
	grep -qx "PB_ACTION='"'"'nfs'"'"'" out &&
	grep -qx "PB_NFS_SERVER='"'"'10.9.8.7'"'"'" out &&
	grep -q "^PB_NFS_PATH='"'"'/" out &&
	! grep -q "^PB_TOKEN" out
'

test_expect_success 'retired: poweroff' '
	tr_sql d83add36 retired &&
	api GET "/api/v1/boot/pi?serial=d83add36" >out &&
	test "$(jget out ".state + \" \" + .action")" = "retired poweroff"
'

test_expect_success 'a value env cannot carry: 500, reason logged, install counted as failed' '
	api GET "/api/v1/boot/pi?serial=0badc0de" >/dev/null &&
	db_psql -c "UPDATE pureboot.nodes SET workflow_id = '"'"'pi-bad'"'"' WHERE serial = '"'"'0badc0de'"'"'" &&
	tr_sql 0badc0de pending &&
	api GET "/api/v1/boot/pi?serial=0badc0de&format=env" >actual &&
	grep -q "^500 {\"error\":{\"code\":\"internal\",\"message\":\"boot/pi: the install instructions of workflow pi-bad could not be made" actual &&
	grep -q "workflow pi-bad: " "$TRASH/stack/log/api.log" &&
	db_psql -c "SELECT state, install_attempts FROM pureboot.nodes WHERE serial = '"'"'0badc0de'"'"'" >actual &&
	echo "install_failed|1" >expect && test_cmp expect actual
'

test_done
