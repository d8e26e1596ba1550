#!/bin/sh
test_description='make run starts everything, prints URL and token, Ctrl-C stops all of it'
. "${0%/*}/lib.sh"

port=$(free_port)
state=$TRASH/state

# make run in its own process group, as a terminal would run it, so
# that "Ctrl-C" is a SIGINT to the whole group.
run_start() {
	setsid make -s -C "$PB_TOP" run STATE="$state" PORT="$port" BUILD="$PB_BUILD" \
		>"$TRASH/run.out" 2>&1 </dev/null &
	echo $! >"$TRASH/run.pid"
	i=0
	until grep -q "Press Ctrl-C" "$TRASH/run.out"; do
		i=$((i + 1))
		[ "$i" -lt 1200 ] && kill -0 "$(cat "$TRASH/run.pid")" 2>/dev/null || return 1
		sleep 0.1
	done
}
run_interrupt() {
	kill -INT "-$(cat "$TRASH/run.pid")"
	i=0
	while kill -0 "$(cat "$TRASH/run.pid")" 2>/dev/null; do
		i=$((i + 1)); [ "$i" -lt 300 ] || return 1; sleep 0.1
	done
}
test_atexit 'kill -KILL "-$(cat "$TRASH/run.pid")" 2>/dev/null; PB_STATE=$state; stack_stop'

test_expect_success 'make run prints the API URL, a token and the psql line' '
	run_start &&
	grep -q "API: *http://127.0.0.1:$port/api/v1" run.out &&
	grep -Eq "token: *pb1\.[0-9a-f]{12}\.[A-Za-z0-9_-]{43}\$" run.out &&
	grep -q "psql: *psql .host=$state/sock dbname=pureboot" run.out
'

test_expect_success 'the printed URL answers health' '
	echo "{\"status\":\"ok\",\"database\":\"ok\"}" >expect &&
	curl -sf "http://127.0.0.1:$port/api/v1/health" >actual &&
	test_cmp expect actual
'

test_expect_success 'the printed token is stored hashed, not in clear' '
	tok=$(sed -n "s/^ *token: *//p" run.out) &&
	secret=${tok##*.} &&
	psql -X -At -d "host=$state/sock dbname=pureboot user=pureboot" \
		-c "SELECT count(*) FROM pureboot.api_tokens WHERE encode(hash, \$\$hex\$\$) LIKE \$\$%$secret%\$\$" >n &&
	echo 0 >zero && test_cmp zero n
'

test_expect_success 'a plain UPDATE of state obeys the transition table' '
	psql -X -At -d "host=$state/sock dbname=pureboot user=pureboot" -c \
		"INSERT INTO pureboot.nodes (serial, mac, arch, boot_mode, pi_model) VALUES (\$\$d83add36\$\$, \$\$dc:a6:32:01:02:03\$\$, \$\$aarch64\$\$, \$\$pi\$\$, \$\$pi4\$\$)" &&
	! psql -X -At -d "host=$state/sock dbname=pureboot user=pureboot" -c \
		"UPDATE pureboot.nodes SET state = \$\$active\$\$" 2>err &&
	grep "discovered" err | grep -q "active"
'

test_expect_success 'a second make run on the same port is refused with a clear message' '
	! make -s -C "$PB_TOP" run STATE="$TRASH/other" PORT="$port" BUILD="$PB_BUILD" >out2 2>&1 </dev/null &&
	grep -q "port $port on 127.0.0.1 is already in use" out2
'

test_expect_success 'Ctrl-C stops everything it started' '
	run_interrupt &&
	grep -q "pureboot: stopped" run.out &&
	! pgrep -f "$state" >left &&
	! pgrep -f "$TRASH/other" >>left
'

test_expect_success 'a second make run reuses the state and keeps the data' '
	run_start &&
	psql -X -At -d "host=$state/sock dbname=pureboot user=pureboot" \
		-c "SELECT serial FROM pureboot.nodes" >actual &&
	echo d83add36 >expect && test_cmp expect actual &&
	run_interrupt && ! pgrep -f "$state"
'

test_expect_success 'a stale pid file is reported and removed' '
	echo 999999 >"$state/api.pid" &&
	run_start &&
	grep -q "removing stale pid file $state/api.pid" run.out &&
	run_interrupt
'

test_done
