# shellcheck shell=sh
# t/lib-run.sh: drive `make run` as an operator would, for the tests of
# make run itself.  Source after t/lib.sh.  run_start starts it in its own
# process group (as a terminal does) on a free port with its state in
# $state; run_stop is Ctrl-C to that group.

port=$(free_port)
state=$TRASH/state

run_start() {
	# Truncated here, not by the background job's redirection: the wait
	# below must not see the previous run's "Press Ctrl-C".
	: >"$TRASH/run.out"
	setsid make -s -C "$PB_TOP" run STATE="$state" PORT="$port" BUILD="$PB_BUILD" \
		>>"$TRASH/run.out" 2>&1 </dev/null &
	echo $! >"$TRASH/run.pid"
	i=0
	until grep -q "Press Ctrl-C" "$TRASH/run.out"; do
		i=$((i + 1))
		[ "$i" -lt 1200 ] && kill -0 "$(cat "$TRASH/run.pid")" 2>/dev/null || return 1
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

# The operator token make run printed.
run_token() {
	sed -n "s/^ *token: *//p" "$TRASH/run.out"
}

run_psql() {
	psql -X -At -d "host=$state/sock dbname=pureboot user=pureboot" "$@"
}

test_atexit 'kill -KILL "-$(cat "$TRASH/run.pid")" 2>/dev/null; PB_STATE=$state; stack_stop'
