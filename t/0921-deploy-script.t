#!/bin/sh
test_description='scripts in the deploy agent under busybox sh (issue 13): install_method script with success, failure, a wrong checksum and the time limit; output as script_output events, bounded; the node variables in its environment; a post_install deploy script whose effect is on the written disk; against the real API: installed and install_failed'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/deploy-lib.sh"

www_start || { echo "Bail out! nginx for the scripts did not start"; exit 1; }

# put NAME: the script on stdin served as $WWW_URL/NAME; its sha256 in
# NAME.sha.
put() {
	cat >"$TRASH/www/$1" && sha256sum "$TRASH/www/$1" | cut -d" " -f1 >"$1.sha"
}

# script_answer NAME SHA TIMEOUT ARGS: a boot answer for install_method
# script with two node variables.
script_answer() {
	cat <<-EOF
	PB_STATE='installing'
	PB_ACTION='install'
	PB_TOKEN='pbi1.test'
	PB_INSTALL_METHOD='script'
	PB_SCRIPT_URL='$WWW_URL/$1'
	PB_SCRIPT_SHA256='$2'
	PB_SCRIPT_TIMEOUT='$3'
	PB_SCRIPT_ARGS='$4'
	PB_EVENTS_URL='$WWW_URL/events/'
	PB_CALLBACK_URL='$WWW_URL/events/installed'
	PB_VAR_SITE='lab 2'
	PB_VAR_HOSTNAME='pi-d83add36'
	EOF
}

# run_install: the checked answer in ./answer, sourced, installed; the
# agent's status in ./rc.
run_install() {
	rm -rf run
	rc=0
	ag "pb_env_check answer && . \"\$pb_env_file\" && pb_install" 2>agent.err || rc=$?
	echo "$rc" >rc
}

test_expect_success 'setup: busybox applets' '
	bb_path
'

test_expect_success 'a script install: arguments, variables in a clean environment, output as events, installed' '
	put ok.sh <<-\EOF &&
	echo "installing with $*"
	echo "site=$PB_VAR_SITE host=$PB_VAR_HOSTNAME"
	env | cut -d= -f1 | grep -v "^PWD$\|^SHLVL$\|^_$" | sort | tr "\n" " "
	echo
	EOF
	script_answer ok.sh "$(cat ok.sh.sha)" 60 "--disk /dev/vda -v" >answer &&
	PB_SECRET=leak run_install &&
	echo 0 >zero && test_cmp zero rc &&
	sed -n "s/^{\"type\":\"\([a-z_]*\)\".*/\1/p" run/events >types &&
	printf "%s\n" install_started script_output install_complete >expect &&
	test_cmp expect types &&
	grep "script_output" run/events >out.ev &&
	jq -r .text out.ev >text &&
	printf "%s\n" "installing with --disk /dev/vda -v" "site=lab 2 host=pi-d83add36" \
		"HOME PATH PB_VAR_HOSTNAME PB_VAR_SITE " >expect &&
	test_cmp expect text &&
	test "$(jq -r "[.script, .seq] | @tsv" out.ev)" = "$(printf "install\t1")" &&
	grep -q "POST /events/installed " "$TRASH/www-nginx/access.log" &&
	grep -q "script: install: exited 0" run/log
'

test_expect_success 'a failing script: install_failed with its status and last lines, no callback' '
	: >"$TRASH/www-nginx/access.log" &&
	put fail.sh <<-\EOF &&
	i=1
	while [ $i -le 8 ]; do echo "step $i"; i=$((i + 1)); done
	echo "E: no space left on /dev/vda" >&2
	exit 3
	EOF
	script_answer fail.sh "$(cat fail.sh.sha)" 60 "" >answer &&
	run_install &&
	echo 1 >one && test_cmp one rc &&
	grep "install_failed" run/events | jq -r .reason >reason &&
	echo "script install exited with status 3; last lines: step 5|step 6|step 7|step 8|E: no space left on /dev/vda|" >expect &&
	test_cmp expect reason &&
	! grep -q "install_complete" run/events &&
	! grep -q "POST /events/installed " "$TRASH/www-nginx/access.log"
'

test_expect_success 'a script whose sha256 differs is refused before it runs' '
	put evil.sh <<-EOF &&
	touch "$PWD/evil-ran"
	EOF
	script_answer evil.sh "$(printf %064d 0 | tr 0 a)" 60 "" >answer &&
	run_install &&
	echo 1 >one && test_cmp one rc &&
	grep "install_failed" run/events | jq -r .reason >reason &&
	echo "script $WWW_URL/evil.sh: sha256 mismatch: expected $(printf %064d 0 | tr 0 a), got $(cat evil.sh.sha); not run" >expect &&
	test_cmp expect reason &&
	! grep -q script_output run/events &&
	test ! -e evil-ran && test ! -e run/script/install.sh
'

test_expect_success 'a script past its time limit is killed with what it started: install_failed' '
	put slow.sh <<-EOF &&
	echo "waiting for the network"
	( sleep 6; touch "$PWD/child-ran" ) &
	sleep 60
	EOF
	script_answer slow.sh "$(cat slow.sh.sha)" 2 "" >answer &&
	start=$(date +%s) &&
	run_install &&
	took=$(($(date +%s) - start)) &&
	echo 1 >one && test_cmp one rc &&
	grep "install_failed" run/events | jq -r .reason >reason &&
	echo "script install killed after 2 s (its time limit); last lines: waiting for the network|" >expect &&
	test_cmp expect reason &&
	{ test "$took" -lt 30 || { echo "took $took s"; false; }; } &&
	sleep 8 && test ! -e child-ran
'

test_expect_success 'output is cut at 64 KiB in chunks of at most 4000 bytes, the rest counted' '
	put loud.sh <<-\EOF &&
	i=0
	while [ $i -lt 2000 ]; do
		echo "line $i: 0123456789012345678901234567890123456789"; i=$((i + 1))
	done
	EOF
	script_answer loud.sh "$(cat loud.sh.sha)" 60 "" >answer &&
	run_install &&
	echo 0 >zero && test_cmp zero rc &&
	grep script_output run/events >out.ev &&
	jq -r ".text | length" out.ev | sort -n | tail -n 1 >max &&
	test "$(cat max)" -le 4000 &&
	jq -s "[.[].text | length] | add" out.ev >sent &&
	jq -s "[.[].dropped // 0] | add" out.ev >dropped &&
	wc -c <"$TRASH/www/loud.sh" >/dev/null &&
	total=$(ag "sh $TRASH/www/loud.sh" | wc -c) &&
	test "$(cat sent)" = 65536 &&
	test $(($(cat sent) + $(cat dropped))) -eq "$total" &&
	jq -s -r "[.[].seq] | map(tostring) | join(\" \")" out.ev >seqs &&
	seq -s " " 1 "$(wc -l <out.ev)" >want && test_cmp want seqs
'

test_expect_success 'bad answers for scripts are refused whole' '
	env_refused <<-\EOF
	PB_SCRIPT_ARGS='"'"'a $(reboot)'"'"'|PB_SCRIPT_ARGS value does not match
	PB_SCRIPT_ARGS='"'"'*'"'"'|PB_SCRIPT_ARGS value does not match
	PB_SCRIPT_SHA256='"'"'abc'"'"'|PB_SCRIPT_SHA256 value does not match
	PB_SCRIPT_TIMEOUT='"'"'1h'"'"'|PB_SCRIPT_TIMEOUT value does not match
	PB_VAR_X='"'"'a`id`'"'"'|PB_VAR_X value does not match
	PB_VAR_X='"'"'$HOME'"'"'|PB_VAR_X value does not match
	PB_DEPLOY_SCRIPT_1_URL='"'"'file:///etc/passwd'"'"'|PB_DEPLOY_SCRIPT_1_URL value does not match
	EOF
'

test_expect_success 'setup: a two-partition disk image (FAT boot, ext4 root)' '
	pi_disk 40 8 && test "$(cat root.start)" = 18432
'

# image_answer SCRIPT SHA: an image install of disk.img.xz into
# target.img with one deploy-time script.
image_answer() {
	cat <<-EOF
	PB_STATE='installing'
	PB_ACTION='install'
	PB_TOKEN='pbi1.test'
	PB_INSTALL_METHOD='image'
	PB_IMAGE_URL='$WWW_URL/disk.img.xz'
	PB_IMAGE_SHA256='$(sha256sum "$TRASH/www/disk.img.xz" | cut -d" " -f1)'
	PB_TARGET_DEVICE='$PWD/target.img'
	PB_EVENTS_URL='$WWW_URL/events/'
	PB_CALLBACK_URL='$WWW_URL/events/installed'
	PB_FILES='0'
	PB_DEPLOY_SCRIPTS='1'
	PB_DEPLOY_SCRIPT_1_URL='$WWW_URL/$1'
	PB_DEPLOY_SCRIPT_1_SHA256='$2'
	PB_DEPLOY_SCRIPT_1_ARGS='--motd'
	PB_VAR_SITE='lab-2'
	EOF
}

test_expect_success 'a post_install deploy script writes into the installed root file system' '
	put post.sh <<-\EOF &&
	set -eu
	[ "$1" = --motd ]
	mkdir -p "$PB_TARGET_ROOT/etc"
	echo "site $PB_VAR_SITE, disk $PB_TARGET_DEVICE" >"$PB_TARGET_ROOT/etc/pureboot-site"
	echo "wrote /etc/pureboot-site"
	EOF
	image_answer post.sh "$(cat post.sh.sha)" >answer &&
	: >target.img &&
	PUREBOOT_FILE_TARGET=1 run_install &&
	echo 0 >zero && test_cmp zero rc &&
	sed -n "s/^{\"type\":\"\([a-z_]*\)\".*/\1/p" run/events | grep -v install_progress >types &&
	printf "%s\n" install_started script_output install_complete >expect &&
	test_cmp expect types &&
	grep script_output run/events | jq -r "[.script, .text] | @tsv" >got &&
	printf "deploy_1\twrote /etc/pureboot-site\n" >want && test_cmp want got &&
	dd if=target.img of=root.back bs=512 skip=18432 2>/dev/null &&
	debugfs -R "cat /etc/pureboot-site" root.back >site 2>/dev/null &&
	echo "site lab-2, disk $PWD/target.img" >expect && test_cmp expect site &&
	e2fsck -fn root.back >/dev/null 2>&1 &&
	! grep -q " $PWD/run/target " /proc/mounts
'

test_expect_success 'a failing deploy script: install_failed, the disk wiped and unmounted' '
	put postfail.sh <<-\EOF &&
	echo "cannot configure"; exit 2
	EOF
	image_answer postfail.sh "$(cat postfail.sh.sha)" >answer &&
	: >target.img &&
	PUREBOOT_FILE_TARGET=1 run_install &&
	echo 1 >one && test_cmp one rc &&
	grep "install_failed" run/events | jq -r .reason >reason &&
	echo "script deploy_1 exited with status 2; last lines: cannot configure|" >expect &&
	test_cmp expect reason &&
	grep -q "install: wiped the first and last MiB of $PWD/target.img" run/log &&
	! sfdisk -d target.img >/dev/null 2>&1 &&
	! grep -q " $PWD/run/target " /proc/mounts
'

# The agent against the real API: the instructions come from the
# workflow and the node's own variables; the events land in the table.
. "$PB_TOP/t/lib-api.sh"
api_start
api_operator

# api_install SERIAL: the agent's two steps and its install.
api_install() {
	rm -rf run
	rc=0
	ag "pb_http_get \"$PB_URL/api/v1/boot/pi?serial=$1&format=env\" boot.answer &&
		pb_env_check boot.answer && . \"\$pb_env_file\" &&
		pb_install_fetch && pb_install" 2>agent.err || rc=$?
	echo "$rc" >rc
}

test_expect_success 'setup: a script workflow with a per-node variable, a node assigned to it' '
	put api.sh <<-\EOF &&
	echo "installing $PB_VAR_HOSTNAME at $PB_VAR_SITE with $*"
	[ "$PB_VAR_SITE" != broken ] || { echo "site is broken" >&2; exit 5; }
	EOF
	wf_add script-wf aarch64 "{\"install_method\":\"script\",\"script_url\":\"$WWW_URL/api.sh\",\"script_sha256\":\"$(cat api.sh.sha)\",\"script_args\":\"--id \${node_id}\",\"script_timeout\":120,\"variables\":{\"site\":{\"type\":\"word\"}}}" &&
	db_psql -c "UPDATE pureboot.settings SET value = '"'"'$PB_URL'"'"' WHERE key = '"'"'server_url'"'"'" &&
	api GET "/api/v1/boot/pi?serial=0e0e0e01" >/dev/null &&
	id=$(node_id 0e0e0e01) && echo "$id" >id &&
	printf "%s\n" "{\"workflow_id\":\"script-wf\",\"vars\":{\"site\":\"rack-7\"}}" >p.json &&
	op_body PATCH "/api/v1/nodes/$id" p.json >out &&
	test "$(cut -d" " -f1 out)" = 200 &&
	test "$(jget out .vars.site)" = rack-7 &&
	db_psql -c "SELECT pureboot.transition(id, '"'"'pending'"'"', '"'"'t'"'"') FROM pureboot.nodes WHERE serial = '"'"'0e0e0e01'"'"'" >/dev/null
'

test_expect_success 'the agent runs the script install against the API: installed, its output in the events' '
	api_install 0e0e0e01 &&
	echo 0 >zero && test_cmp zero rc &&
	test "$(db_psql -c "SELECT state FROM pureboot.nodes WHERE serial = '"'"'0e0e0e01'"'"'")" = installed &&
	db_psql -c "SELECT payload->>'"'"'text'"'"' FROM pureboot.node_events WHERE node_id = '"'"'$(cat id)'"'"' AND type = '"'"'script_output'"'"'" >text &&
	echo "installing pi-0e0e0e01 at rack-7 with --id $(cat id)" >expect &&
	test_cmp expect text
'

test_expect_success 'a failing script against the API: install_failed with its last lines in the state log' '
	api GET "/api/v1/boot/pi?serial=0e0e0e02" >/dev/null &&
	id2=$(node_id 0e0e0e02) &&
	printf "%s\n" "{\"workflow_id\":\"script-wf\",\"vars\":{\"site\":\"broken\"}}" >p.json &&
	op_body PATCH "/api/v1/nodes/$id2" p.json >out &&
	test "$(cut -d" " -f1 out)" = 200 &&
	db_psql -c "SELECT pureboot.transition(id, '"'"'pending'"'"', '"'"'t'"'"') FROM pureboot.nodes WHERE serial = '"'"'0e0e0e02'"'"'" >/dev/null &&
	api_install 0e0e0e02 &&
	echo 1 >one && test_cmp one rc &&
	test "$(db_psql -c "SELECT state FROM pureboot.nodes WHERE serial = '"'"'0e0e0e02'"'"'")" = install_failed &&
	db_psql -c "SELECT comment FROM pureboot.node_state_log WHERE node_id = '"'"'$id2'"'"' AND to_state = '"'"'install_failed'"'"' ORDER BY id DESC LIMIT 1" >comment &&
	echo "agent: script install exited with status 5; last lines: installing pi-0e0e0e02 at broken with --id $id2|site is broken|" >expect &&
	test_cmp expect comment
'

test_expect_success 'the API refuses a script_output chunk over 4096 bytes and an unknown script name' '
	head -c 4097 /dev/zero | tr "\0" a >big &&
	printf "{\"type\":\"script_output\",\"script\":\"install\",\"seq\":1,\"text\":\"%s\"}\n" "$(cat big)" >ev.json &&
	op_body POST "/api/v1/nodes/$(cat id)/events" ev.json >out &&
	echo "400 {\"error\":{\"code\":\"bad_request\",\"message\":\"event: text: 4097 bytes, more than 4096\"}}" >expect &&
	test_cmp expect out &&
	printf "%s\n" "{\"type\":\"script_output\",\"script\":\"../x\",\"seq\":1,\"text\":\"\"}" >ev.json &&
	op_body POST "/api/v1/nodes/$(cat id)/events" ev.json >out &&
	echo "400 {\"error\":{\"code\":\"bad_request\",\"message\":\"event: script \\\"../x\\\" is not a script name (install, post_install[N])\"}}" >expect &&
	test_cmp expect out
'

test_done
