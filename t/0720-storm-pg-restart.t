#!/bin/sh
test_description='boot storm: PostgreSQL restarted in the middle (503 + Retry-After, agents retry, nothing lost or doubled, the hook reconciles)'
[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP needs root (network namespace, TFTP port 69)"; exit 0; }
[ -n "${PB_STORM_NS:-}" ] || PB_STORM_NS=1 exec unshare --net -- sh "$0" "$@"
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-storm.sh"

npis=40
storm_up || { echo "Bail out! the stack did not start"; exit 1; }

test_expect_success "setup: $npis Pis of every kind, the tree written" '
	storm_seed a1 $npis && storm_ready a1
'

installed() {
	c=$(db_psql -c "SELECT count(*) FROM pureboot.nodes WHERE state = 'installed'")
	echo "installed: $c"
	[ "$c" -ge "$1" ]
}

test_expect_success 'mid-storm, with PostgreSQL down the API says 503 database_down with Retry-After' '
	storm_bg s a1 -r 8 -R 2 -D 150 &&
	wait_for "a first install" 90 installed 1 &&
	stack_pg_stop &&
	api GET /api/v1/health >health &&
	grep "^503 " health && grep -i "^Retry-After: [0-9]" headers &&
	api GET "/api/v1/boot/pi?serial=a1000006" --interface 127.10.0.7 >boot &&
	grep "^503 .*database_down" boot && grep -i "^Retry-After: [0-9]" headers &&
	sleep 4 &&
	stack_pg_start >/dev/null
'

test_expect_success 'every Pi booted or was fenced; the agents retried through the outage' '
	storm_wait s 240 >out; rc=$?; cat out; [ $rc = 0 ] &&
	r=$(sed -n "s/^http_retries //p" out) && [ "$r" -gt 0 ] &&
	grep " 503 " "$PB_STATE/log/nginx-access.log" >/dev/null
'

test_expect_success 'no registration lost or made twice; each install exactly once' '
	storm_db_check a1 $npis >bad; cat bad; [ ! -s bad ]
'

test_expect_success 'the hook reconnected and reconciled: the installed Pis are fenced' '
	storm_ready a1 after && storm_tree_check &&
	grep "database: connection lost\|retrying" "$PB_STATE/log/hook.log"
'

test_done
