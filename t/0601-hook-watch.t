#!/bin/sh
test_description='pureboot-tftp-hook watch: NOTIFY re-renders one node, reconnects reconcile'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-hook.sh"

db_start
root=$TRASH/tftp
test_atexit 'kill "$(cat "$TRASH/watch.pid")" 2>/dev/null'


test_expect_success 'setup: the hook watching an empty database' '
	hook_root "$root" &&
	"$HOOK" -n -d "$PB_DB_HOOK" -r "$root" -i 3600 watch 2>"$TRASH/watch.log" &
	echo $! >"$TRASH/watch.pid" &&
	until_ok has "$TRASH/watch.log" "reconcile: 0 nodes"
'

test_expect_success 'a node inserted with psql appears' '
	node_add d83add36 dc:a6:32:01:02:03 pi4 discovered >id &&
	until_ok has "$root/d83add36/cmdline.txt" "pureboot.state=discovered"
'

test_expect_success 'a transition with psql shows in cmdline.txt' '
	db_psql -c "SELECT 1 FROM pureboot.transition(\$\$$(cat id)\$\$, \$\$pending\$\$, \$\$t\$\$)" &&
	until_ok has "$root/d83add36/cmdline.txt" "pureboot.state=pending"
'

test_expect_success 'installed: the fence and the MAC dir; back to pending: both gone' '
	for s in installing installed; do
		db_psql -c "SELECT 1 FROM pureboot.transition(\$\$$(cat id)\$\$, \$\$$s\$\$, \$\$t\$\$)" >/dev/null || return 1
	done &&
	until_ok test -d "$root/dc-a6-32-01-02-03" &&
	test -f "$root/d83add36/start4.elf" && ! test -s "$root/d83add36/start4.elf" &&
	for s in reprovision pending; do
		db_psql -c "SELECT 1 FROM pureboot.transition(\$\$$(cat id)\$\$, \$\$$s\$\$, \$\$t\$\$)" >/dev/null || return 1
	done &&
	until_ok test -L "$root/d83add36/start4.elf" &&
	until_ok test ! -e "$root/dc-a6-32-01-02-03"
'

test_expect_success 'a serial change moves the directory' '
	db_psql -c "UPDATE pureboot.nodes SET serial = \$\$d83add37\$\$ WHERE id = \$\$$(cat id)\$\$" &&
	until_ok test -d "$root/d83add37" && until_ok test ! -e "$root/d83add36"
'

test_expect_success 'two nodes swapping serials in one transaction keep both directories' '
	node_add 0000beef dc:a6:32:00:be:ef pi5 pending >id2 &&
	until_ok test -d "$root/0000beef" &&
	db_psql -c "BEGIN; UPDATE pureboot.nodes SET serial = \$\$ffffffff\$\$ WHERE id = \$\$$(cat id)\$\$;
		UPDATE pureboot.nodes SET serial = \$\$d83add37\$\$ WHERE id = \$\$$(cat id2)\$\$;
		UPDATE pureboot.nodes SET serial = \$\$0000beef\$\$ WHERE id = \$\$$(cat id)\$\$; COMMIT" &&
	until_ok has "$root/d83add37/config.txt" "(pi5)" &&
	until_ok has "$root/0000beef/config.txt" "(pi4)"
'

test_expect_success 'settings: a new server URL reaches every cmdline.txt and the root' '
	db_psql -c "UPDATE pureboot.settings SET value = \$\$http://10.9.8.7:8080\$\$ WHERE key = \$\$server_url\$\$" &&
	until_ok has "$root/cmdline.txt" "pureboot.server=http://10.9.8.7:8080 " &&
	until_ok has "$root/0000beef/cmdline.txt" "pureboot.server=http://10.9.8.7:8080 " &&
	has "$root/d83add37/cmdline.txt" "pureboot.server=http://10.9.8.7:8080 "
'

test_expect_success 'a workflow change re-renders its nodes' '
	db_psql -c "INSERT INTO pureboot.workflows (id, name, arch, definition) VALUES
		(\$\$nfs\$\$, \$\$n\$\$, \$\$aarch64\$\$, \$\${\"install_method\": \"nfs\", \"nfs_server\": \"10.0.0.5\", \"nfs_base_path\": \"/srv/\${serial}\", \"nfs_image\": \"a.tar\"}\$\$);
		UPDATE pureboot.nodes SET workflow_id = \$\$nfs\$\$ WHERE id = \$\$$(cat id)\$\$" &&
	for s in installing installed; do
		db_psql -c "SELECT 1 FROM pureboot.transition(\$\$$(cat id)\$\$, \$\$$s\$\$, \$\$t\$\$)" >/dev/null || return 1
	done &&
	until_ok has "$root/0000beef/cmdline.txt" "pureboot.mode=nfs .*pureboot.nfs_path=/srv/0000beef/a.tar " &&
	db_psql -c "UPDATE pureboot.workflows SET definition = definition || \$\${\"nfs_server\": \"10.0.0.6\"}\$\$" &&
	until_ok has "$root/0000beef/cmdline.txt" "pureboot.nfs_server=10.0.0.6 "
'

test_expect_success 'a change made while the connection is cut is caught by the reconcile after reconnecting' '
	db_psql -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = \$\$pureboot-tftp-hook\$\$;
		DELETE FROM pureboot.nodes WHERE id = \$\$$(cat id2)\$\$" >/dev/null &&
	until_ok test ! -e "$root/d83add37" &&
	until_ok has "$TRASH/watch.log" "connection lost" &&
	kill -0 "$(cat "$TRASH/watch.pid")"
'

# reconciles N: wait until the log has N reconcile lines.
reconciles() {
	wait_for "reconcile number $1 in the watch log" 60 \
		sh -c 'test "$(grep -c "^.*reconcile: [0-9]* nodes" "$1")" -ge "$2"' sh "$TRASH/watch.log" "$1"
}

test_expect_success 'a node without a model: its skip logged once, not at every reconcile; again after it was fine' '
	db_psql -c "INSERT INTO pureboot.nodes (serial, arch, boot_mode) VALUES (\$\$cafe0001\$\$, \$\$aarch64\$\$, \$\$pi\$\$) RETURNING id" >id3 &&
	until_ok has "$TRASH/watch.log" "node $(cat id3): pi_model .*: skipped" &&
	n=$(grep -c "reconcile: [0-9]* nodes" "$TRASH/watch.log") &&
	for i in 1 2 3; do
		kill -HUP "$(cat "$TRASH/watch.pid")" && n=$((n + 1)) && reconciles $n || return 1
	done &&
	grep -c "node $(cat id3): .*skipped" "$TRASH/watch.log" >count && echo 1 >expect && test_cmp expect count &&
	db_psql -c "UPDATE pureboot.nodes SET pi_model = \$\$pi4\$\$ WHERE id = \$\$$(cat id3)\$\$" &&
	until_ok test -d "$root/cafe0001" &&
	db_psql -c "UPDATE pureboot.nodes SET pi_model = NULL WHERE id = \$\$$(cat id3)\$\$" &&
	kill -HUP "$(cat "$TRASH/watch.pid")" && n=$((n + 1)) && reconciles $n &&
	grep -c "node $(cat id3): .*skipped" "$TRASH/watch.log" >count && echo 2 >expect && test_cmp expect count
'

test_expect_success 'a deleted node is removed; SIGTERM stops the hook' '
	db_psql -c "DELETE FROM pureboot.nodes" &&
	until_ok test ! -e "$root/0000beef" &&
	kill "$(cat "$TRASH/watch.pid")" &&
	until_ok has "$TRASH/watch.log" "watch: stopped"
'

test_done
