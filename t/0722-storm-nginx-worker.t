#!/bin/sh
test_description='boot storm: nginx reloaded and API workers killed under load (no failed agent step, nothing doubled)'
[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP needs root (network namespace, TFTP port 69)"; exit 0; }
[ -n "${PB_STORM_NS:-}" ] || PB_STORM_NS=1 exec unshare --net -- sh "$0" "$@"
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-storm.sh"

npis=60
storm_up || { echo "Bail out! the stack did not start"; exit 1; }

test_expect_success "setup: $npis Pis of every kind, the tree written" '
	storm_seed a1 $npis && storm_ready a1
'


test_expect_success 'mid-storm: nginx reloaded 5 times, 3 API workers killed -9, each replaced' '
	storm_bg s a1 -r 10 -R 1 -D 150 &&
	sleep 2 && i=0 &&
	while [ $i -lt 5 ] && ! storm_done s; do
		nginx -c "$PB_STATE/nginx/nginx.conf" -s reload || return 1
		if [ $i -lt 3 ]; then
			w=$(pgrep -P "$(cat "$PB_STATE/api.pid")" | head -n 1) &&
			kill -9 "$w" || return 1
		fi
		i=$((i + 1))
		sleep 1
	done &&
	[ $i -ge 3 ] &&
	wait_for "$PB_WORKERS API workers again" 30 sh -c "test \"\$(pgrep -P $(cat "$PB_STATE/api.pid") | wc -l)\" = $PB_WORKERS"
'

test_expect_success 'every Pi booted or was fenced: no agent step failed' '
	storm_wait s 240
'

test_expect_success 'the database: each Pi once, each install once' '
	storm_db_check a1 $npis >bad; cat bad; [ ! -s bad ]
'

test_expect_success 'the tree: the installed Pis fenced' '
	storm_ready a1 after && storm_tree_check
'

# The three kills are ours: counted here, then taken out of the log
# that the crash check below reads.
test_expect_success 'the API logged each killed worker and started another' '
	test "$(grep -c "exited (status 9); starting another" "$PB_STATE/log/api.log")" = 3 &&
	sed -i "/exited (status 9); starting another/d" "$PB_STATE/log/api.log"
'

test_done
