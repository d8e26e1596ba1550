#!/bin/sh
test_description='make run syncs workflows/ into the database at start'
. "${0%/*}/lib.sh"

port=$(free_port)
state=$TRASH/state

run_start() {
	setsid make -s -C "$PB_TOP" run STATE="$state" PORT="$port" BUILD="$PB_BUILD" \
		>"$TRASH/run.out" 2>&1 </dev/null &
	echo $! >"$TRASH/run.pid"
	i=0
	until grep -q "Press Ctrl-C" "$TRASH/run.out"; do
		i=$((i + 1))
		[ "$i" -lt 600 ] && kill -0 "$(cat "$TRASH/run.pid")" 2>/dev/null || return 1
		sleep 0.1
	done
}
run_stop() {
	kill -INT "-$(cat "$TRASH/run.pid")"
	i=0
	while kill -0 "$(cat "$TRASH/run.pid")" 2>/dev/null; do
		i=$((i + 1)); [ "$i" -lt 300 ] || return 1; sleep 0.1
	done
}
wf_ids() {
	psql -X -At -d "host=$state/sock dbname=pureboot user=pureboot" \
		-c "SELECT id FROM pureboot.workflows ORDER BY id"
}
test_atexit 'kill -KILL "-$(cat "$TRASH/run.pid")" 2>/dev/null; PB_STATE=$state; stack_stop'

test_expect_success 'after make run, pureboot.workflows holds the four examples' '
	run_start &&
	grep -q "^sync: 4 workflows from .*/workflows: 4 added" run.out &&
	wf_ids >actual &&
	printf "%s\n" custom-image pi-k3s-worker pi-raspios-lite pi-ubuntu-server >expect &&
	test_cmp expect actual
'

test_expect_success 'a second start finds them unchanged' '
	run_stop && run_start &&
	grep -q "^sync: 4 workflows from .*/workflows: 0 added, 0 updated, 4 unchanged" run.out &&
	wf_ids >actual && test_cmp expect actual &&
	run_stop
'

test_done
