#!/bin/sh
test_description='boot storm: the hook killed -9 in the middle and restarted (converges, no partial files); notifications that came in during a render are not left waiting'
[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP needs root (network namespace, TFTP port 69)"; exit 0; }
[ -n "${PB_STORM_NS:-}" ] || PB_STORM_NS=1 exec unshare --net -- sh "$0" "$@"
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-storm.sh"

npis=40
storm_up || { echo "Bail out! the stack did not start"; exit 1; }

# Regression (found by bench-storm): a bulk change whose notifications
# came in while the hook was rendering waited in libpq's queue for the
# next reconcile (300 s), not rendered at once.
test_expect_success "a bulk replace of $npis nodes is rendered at once, not at the next reconcile" '
	storm_seed a0 $npis && storm_ready a0 &&
	storm_seed a1 $npis && storm_ready a1 &&
	test "$(grep -c "reconcile: " "$PB_STATE/log/hook.log")" = 1
'

installed() {
	c=$(db_psql -c "SELECT count(*) FROM pureboot.nodes WHERE state = 'installed'")
	echo "installed: $c"
	[ "$c" -ge "$1" ]
}

test_expect_success 'the hook killed -9 mid-storm, the storm goes on, the hook restarted' '
	storm_bg s a1 -r 8 -R 2 -D 150 &&
	wait_for "a first install" 90 installed 1 &&
	hp=$(cat "$PB_STATE/hook.pid") && kill -9 "$hp" &&
	wait_for "the killed hook to be gone" 30 sh -c "! kill -0 $hp" &&
	sleep 2 &&
	storm_hook_start
'

test_expect_success 'every Pi booted or was fenced' '
	storm_wait s 240
'

test_expect_success 'the database: each Pi once, each install once' '
	storm_db_check a1 $npis >bad; cat bad; [ ! -s bad ]
'

test_expect_success 'the tree converged: the installed Pis fenced, no partial file or directory' '
	storm_ready a1 after && storm_tree_check
'

test_expect_success 'killed in the middle of a bulk write: the restart removes what it left' '
	db_psql -c "UPDATE pureboot.nodes SET hostname = '"'"'h'"'"' || serial" &&
	sleep 0.3 && hp=$(cat "$PB_STATE/hook.pid") && kill -9 "$hp" &&
	wait_for "the killed hook to be gone" 30 sh -c "! kill -0 $hp" &&
	storm_hook_start &&
	wait_for "the tree checked, no temporaries" 60 storm_tree_check &&
	storm_ready a1 after
'

test_done
