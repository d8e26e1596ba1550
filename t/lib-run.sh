# shellcheck shell=sh
# t/lib-run.sh: drive `make run` as an operator would, for the tests of
# make run itself.  Source after t/lib.sh.  run_start starts it in its own
# process group (as a terminal does) on a free port with its state in
# $state; run_stop is Ctrl-C to that group.

port=$(stack_free_port)
state=$TRASH/state

run_start() {
	# Truncated here, not by the background job's redirection: the wait
	# below must not see the previous run's "Press Ctrl-C".
	: >"$TRASH/run.out"
	setsid make -s -C "$PB_TOP" run STATE="$state" PORT="$port" BUILD="$PB_BUILD" \
		>>"$TRASH/run.out" 2>&1 </dev/null &
	echo $! >"$TRASH/run.pid"
	wait_for "make run to print \"Press Ctrl-C\"" 120 run_ready
}

# make run is up; 125 (wait_for gives up at once) when it has exited.
run_ready() {
	grep -q "Press Ctrl-C" "$TRASH/run.out" && return 0
	tail -n 5 "$TRASH/run.out"
	kill -0 "$(cat "$TRASH/run.pid")" 2>/dev/null || { echo "make run exited"; return 125; }
	return 1
}

run_stop() {
	kill -INT "-$(cat "$TRASH/run.pid")"
	wait_for "make run to exit after Ctrl-C" 60 run_gone
}

run_gone() {
	! kill -0 "$(cat "$TRASH/run.pid")" 2>/dev/null
}

# The operator token make run printed.
run_token() {
	sed -n "s/^ *token: *//p" "$TRASH/run.out"
}

run_psql() {
	psql -X -At -d "host=$state/sock dbname=pureboot user=pureboot" "$@"
}

test_atexit 'kill -KILL "-$(cat "$TRASH/run.pid")" 2>/dev/null; PB_STATE=$state; stack_stop'
