#!/bin/sh
test_description='boot storm: nginx reloaded and API workers killed under load (no failed agent step, nothing doubled, each event once)'
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

test_expect_success 'the database: each Pi once, each install once, each event once' '
	storm_db_check a1 $npis >bad; cat bad; [ ! -s bad ]
'

# What a retry without a key did before sql/039: the event a second
# time.  The check above must see it.
test_expect_success 'the check sees an event recorded twice' '
	stack_psql -At -c "INSERT INTO pureboot.node_events (node_id, type, payload)
		SELECT node_id, type, payload FROM pureboot.node_events
		WHERE type = '"'install_complete'"' ORDER BY id LIMIT 1
		RETURNING id" >dup &&
	test_when_finished "stack_psql -c \"DELETE FROM pureboot.node_events WHERE id = $(cat dup)\"" &&
	storm_db_check a1 $npis >bad &&
	test "$(wc -l <bad)" = 1 &&
	grep -q "install_complete storm-a1[0-9a-f]*-4, install_complete -\", want" bad
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
