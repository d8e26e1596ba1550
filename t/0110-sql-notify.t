#!/bin/sh
# NOTIFY pureboot_changes, seen from a second session as the TFTP hook
# sees it: a node id for each change of a column the tree is rendered
# from, 'settings' for settings, nothing for heartbeats or rollbacks.
#
# Runs against its own fresh migrated database (t/lib.sh db_start) and
# the built t/tools/pb-listen.
. "${0%/*}/lib.sh"
db_start
PB_TEST_CONNINFO=$PUREBOOT_DB
PB_LISTEN=$PB_BUILD/pb-listen
set -eu

LC_ALL=C
export LC_ALL

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pb-notify.XXXXXX")
lpid=
n=0
a='' b='' c='' server_url=''
# ms; pb-listen returns as soon as all payloads are in, and a case that
# wants none ends on a marker (see expect): no case waits this long
# unless it fails.
ok_wait=60000

sql() {
	psql -X -q -At -v ON_ERROR_STOP=1 -d "$PB_TEST_CONNINFO" -c "$1"
}

cleanup() {
	if [ -n "$lpid" ]; then
		kill "$lpid" 2>/dev/null || :
	fi
	if [ -n "$a" ]; then
		sql "DELETE FROM pureboot.nodes WHERE id IN ('$a', '$b', '$c');
		     DELETE FROM pureboot.workflows WHERE id = 'notify-test';
		     UPDATE pureboot.settings SET value = '$server_url' WHERE key = 'server_url'" \
			>/dev/null 2>&1 || :
	fi
	rm -rf -- "$tmp"
}
trap 'cleanup; test_run_atexit; cd / && rm -rf "$TRASH"' EXIT
trap 'exit 1' HUP INT TERM

# listen COUNT TIMEOUT_MS: start pb-listen, return once its LISTEN holds.
listen() {
	"$PB_LISTEN" "$PB_TEST_CONNINFO" pureboot_changes "$1" "$2" \
		>"$tmp/out" 2>"$tmp/err" &
	lpid=$!
	wait_for "pb-listen to print ready" 60 listen_ready
}
# pb-listen says why on stderr whenever it exits before "ready".
listen_ready() {
	grep -qx ready "$tmp/out" && return 0
	if [ -s "$tmp/err" ]; then cat "$tmp/err"; return 125; fi
	return 1
}

# expect DESC COUNT TIMEOUT_MS WANT_EXIT SQL [PAYLOAD...]: run SQL in its
# own session while pb-listen waits for COUNT payloads; pass if pb-listen
# exits WANT_EXIT (0: got COUNT, 1: timed out) having printed exactly the
# PAYLOADs, in any order.
#
# WANT_EXIT 1 (COUNT is one more than the PAYLOADs: no other may come)
# is checked without racing a timer, which a loaded machine loses: a
# marker NOTIFY sent after SQL's COMMIT is delivered after every
# notification of that COMMIT (PostgreSQL delivers in commit order), so
# the marker stands for the one more; pb-listen gets COUNT and exits 0
# with the PAYLOADs and the marker, or with an unwanted payload instead
# of the marker.
marker=end-of-case
expect() {
	desc=$1 count=$2 timeout=$3 want_exit=$4 stmt=$5
	shift 5
	n=$((n + 1))
	if [ "$#" -gt 0 ]; then
		printf '%s\n' "$@" | sort >"$tmp/want"
	else
		: >"$tmp/want"
	fi
	then_marker=:
	if [ "$want_exit" = 1 ]; then
		want_exit=0
		printf '%s\n' "$@" "$marker" | sed '/^$/d' | sort >"$tmp/want"
		then_marker="sql"
	fi
	: >"$tmp/got"
	: >"$tmp/sqlerr"
	got_exit=none
	if listen "$count" "$timeout" && sql "$stmt" >/dev/null 2>"$tmp/sqlerr" &&
		"$then_marker" "NOTIFY pureboot_changes, '$marker'" >/dev/null 2>>"$tmp/sqlerr"; then
		got_exit=0
		wait "$lpid" || got_exit=$?
		lpid=
		sed 1d "$tmp/out" | sort >"$tmp/got"
	elif [ -n "$lpid" ]; then
		kill "$lpid" 2>/dev/null || :
		wait "$lpid" || :
		lpid=
	fi
	if [ "$got_exit" = "$want_exit" ] && cmp -s "$tmp/want" "$tmp/got"; then
		printf 'ok %d - %s\n' "$n" "$desc"
		return 0
	fi
	printf 'not ok %d - %s\n' "$n" "$desc"
	printf '# pb-listen exit: %s, want %s\n' "$got_exit" "$want_exit"
	sed 's/^/# want: /' "$tmp/want"
	sed 's/^/# got:  /' "$tmp/got"
	sed 's/^/# pb-listen: /' "$tmp/err"
	sed 's/^/# psql: /' "$tmp/sqlerr"
}

echo '1..16'

# Setup, without a listener: a workflow with node b on it, node c beside.
n=$((n + 1))
if server_url=$(sql "SELECT value FROM pureboot.settings WHERE key = 'server_url'") &&
   a=$(sql 'SELECT gen_random_uuid()') &&
   b=$(sql 'SELECT gen_random_uuid()') &&
   c=$(sql 'SELECT gen_random_uuid()') &&
   sql "DELETE FROM pureboot.nodes WHERE serial IN ('f0110a00', 'f0110b00', 'f0110c00');
        INSERT INTO pureboot.workflows (id, name, arch, definition)
        VALUES ('notify-test', 'notify test', 'aarch64', '{\"v\": 1}');
        INSERT INTO pureboot.nodes (id, serial, arch, boot_mode, pi_model, workflow_id)
        VALUES ('$b', 'f0110b00', 'aarch64', 'pi', 'pi4', 'notify-test'),
               ('$c', 'f0110c00', 'aarch64', 'uboot', NULL, NULL)" >/dev/null
then
	printf 'ok %d - setup: workflow notify-test, nodes b and c\n' "$n"
else
	printf 'not ok %d - setup: workflow notify-test, nodes b and c\n' "$n"
fi

expect 'insert: the new node id' 1 "$ok_wait" 0 \
	"INSERT INTO pureboot.nodes (id, serial, arch, boot_mode, pi_model)
	 VALUES ('$a', 'f0110a00', 'aarch64', 'pi', 'pi4')" \
	"$a"
expect 'state change through transition(): the node id' 1 "$ok_wait" 0 \
	"SELECT pureboot.transition('$a', 'pending', 'test')" \
	"$a"
expect 'workflow assignment: the node id' 1 "$ok_wait" 0 \
	"UPDATE pureboot.nodes SET workflow_id = 'notify-test' WHERE id = '$a'" \
	"$a"
expect 'model change: the node id' 1 "$ok_wait" 0 \
	"UPDATE pureboot.nodes SET pi_model = 'cm4' WHERE id = '$a'" \
	"$a"
expect 'MAC change: the node id' 1 "$ok_wait" 0 \
	"UPDATE pureboot.nodes SET mac = 'dc:a6:32:01:10:0a' WHERE id = '$a'" \
	"$a"
expect 'serial change: the node id' 1 "$ok_wait" 0 \
	"UPDATE pureboot.nodes SET serial = 'f0110a01' WHERE id = '$a'" \
	"$a"
expect 'hostname change: the node id' 1 "$ok_wait" 0 \
	"UPDATE pureboot.nodes SET hostname = 'notify-a' WHERE id = '$a'" \
	"$a"
expect 'boot_mode change: the node id' 1 "$ok_wait" 0 \
	"UPDATE pureboot.nodes SET boot_mode = 'uefi' WHERE id = '$c'" \
	"$c"
expect 'last_seen and ip_address change (a heartbeat): nothing' 1 "$ok_wait" 1 \
	"UPDATE pureboot.nodes SET last_seen = now(), ip_address = '192.0.2.10' WHERE id = '$a'"
expect 'a rolled-back state change: nothing' 1 "$ok_wait" 1 \
	"BEGIN; SELECT pureboot.transition('$a', 'installing', 'test'); ROLLBACK"
expect 'two changes of one node in one transaction: its id once' 2 "$ok_wait" 1 \
	"BEGIN;
	 SELECT pureboot.transition('$a', 'installing', 'test');
	 UPDATE pureboot.nodes SET hostname = 'notify-a2' WHERE id = '$a';
	 COMMIT" \
	"$a"
expect 'settings update: settings' 1 "$ok_wait" 0 \
	"UPDATE pureboot.settings SET value = 'http://192.0.2.1:8080' WHERE key = 'server_url'" \
	settings
# Waits for one more than it should get, so a notification for c fails.
expect 'workflow definition update: the ids of its nodes, no other' 3 "$ok_wait" 1 \
	"UPDATE pureboot.workflows SET definition = '{\"v\": 2}' WHERE id = 'notify-test'" \
	"$a" "$b"
expect 'workflow name change: nothing' 1 "$ok_wait" 1 \
	"UPDATE pureboot.workflows SET name = 'renamed' WHERE id = 'notify-test'"
expect 'delete: the node id' 1 "$ok_wait" 0 \
	"DELETE FROM pureboot.nodes WHERE id = '$a'" \
	"$a"
