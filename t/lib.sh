# shellcheck shell=sh
# t/lib.sh: the test harness, the git t/ way.  Each t/NNNN-*.t sources
# this, sets test_description, runs test_expect_success cases and ends
# with test_done.  Output is TAP for prove; PB_VERBOSE=1 shows each
# case's output, which is otherwise printed only when the case fails.
#
# Services are real: api_start brings up a private PostgreSQL, the
# pureboot-api workers and nginx in the test's trash directory, on a
# free port, and stops them at exit, even on failure.

PB_TOP=$(cd "${0%/*}/.." && pwd)
PB_BUILD=${PB_BUILD:-$PB_TOP/build}
export PB_TOP PB_BUILD
test_count=0
test_failed=0
test_atexit_cmds=""

TRASH=$(mktemp -d /tmp/pb-test.XXXXXX) || exit 1
# The services run as user pureboot when we are root.
chmod 0755 "$TRASH"
cd "$TRASH" || exit 1

# shellcheck source=scripts/stack.sh
. "$PB_TOP/scripts/stack.sh"

say_indented() { sed 's/^/# /'; }

# Run $1 when the test file exits.  Call it at the top level: a test
# body runs in a subshell, where it would be forgotten at once (inside a
# body, use test_when_finished).
test_atexit() {
	test_atexit_cmds="$test_atexit_cmds
$1"
}

# Only valid inside a test body: run $1 when this case ends.
test_when_finished() {
	test_cleanup="$1 && $test_cleanup"
}

test_expect_success() {
	test_count=$((test_count + 1))
	# The body runs in a subshell: a failed case cannot leave a changed
	# directory or half-set variables behind.  State lives in files.
	if (
		test_cleanup=:
		eval "$2"
		rc=$?
		eval "$test_cleanup" || rc=1
		exit $rc
	) >"$TRASH/.out" 2>&1 </dev/null; then
		echo "ok $test_count - $1"
		[ -z "${PB_VERBOSE:-}" ] || say_indented <"$TRASH/.out"
	else
		test_failed=$((test_failed + 1))
		echo "not ok $test_count - $1"
		say_indented <"$TRASH/.out"
	fi
}

test_skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

test_cmp() {
	diff -u "$1" "$2"
}

test_run_atexit() {
	eval "$test_atexit_cmds"
	test_atexit_cmds=""
}

# Services write crash and sanitizer reports to their logs; a report is
# a failure even when every request looked right.
test_check_logs() {
	[ -d "$TRASH/stack/log" ] || return 0
	# shellcheck disable=SC2016 # test bodies are eval'd later
	test_expect_success 'no crash or sanitizer report in service logs' '
		! grep -E "AddressSanitizer|LeakSanitizer|runtime error:|exited \(status|signal 11" \
			"$TRASH"/stack/log/*.log
	'
}

test_done() {
	test_check_logs
	test_run_atexit
	echo "1..$test_count"
	if [ "$test_failed" -eq 0 ] && [ -z "${PB_KEEP:-}" ]; then
		cd / && rm -rf "$TRASH"
		exit 0
	fi
	echo "# trash directory kept: $TRASH"
	[ "$test_failed" -eq 0 ] || exit 1
	exit 0
}

trap 'test_run_atexit' EXIT
trap 'exit 130' INT TERM

# PostgreSQL only, migrated: for SQL-level tests.
db_start() {
	PB_STATE=$TRASH/stack
	PB_PG_FSYNC=off
	export PB_STATE PB_PG_FSYNC
	test_atexit stack_stop
	if ! { stack_layout && stack_pg_start >"$TRASH/.db-start" 2>&1; }; then
		cat "$TRASH/.db-start" >&2
		echo "Bail out! PostgreSQL did not start"
		exit 1
	fi
	# The owner for the tests' own SQL; each program under test connects
	# as its role (sql/grants.sql), as make run does.
	PUREBOOT_DB=$(stack_conninfo)
	PB_DB_API=$(stack_conninfo pureboot_api)
	PB_DB_HOOK=$(stack_conninfo pureboot_hook)
	PB_DB_DHCP=$(stack_conninfo pureboot_dhcp)
	export PUREBOOT_DB PB_DB_API PB_DB_HOOK PB_DB_DHCP
}

# PostgreSQL, pureboot-api and nginx.
api_start() {
	db_start
	PB_WORKERS=${PB_WORKERS:-2}
	export PB_WORKERS
	stack_api_start || { echo "Bail out! the API did not start"; exit 1; }
	# Another process may take the port between stack_free_port and nginx's
	# bind: try a few.
	n=0
	until PB_PORT=$(stack_free_port) && export PB_PORT && stack_nginx_start; do
		n=$((n + 1))
		[ $n -lt 5 ] || { echo "Bail out! nginx did not start (5 ports tried)"; exit 1; }
	done
	PB_URL=http://127.0.0.1:$PB_PORT
	export PB_URL
}

# wait_for DESC SECONDS CMD...: run CMD until it succeeds, for up to
# SECONDS of wall-clock time.  Waits are bounded by time, not by a
# number of tries: on a loaded machine each try is slower, and a count
# that is ample when idle gave up early there (issue 9).  Pick SECONDS
# for what is awaited, generously (a NOTIFY takes milliseconds; 60 s
# costs nothing when it arrives).  CMD's output is kept; on success the
# last try's output is passed on, on giving up it is shown with DESC.
# CMD exits 125 to say it can never succeed (what would do it is gone):
# then wait_for gives up at once.
wait_for() {
	wf_desc=$1 wf_secs=$2
	shift 2
	wf_out=$(mktemp "$TRASH/.wait.XXXXXX") || return 1
	wf_start=$(date +%s)
	while :; do
		wf_rc=0
		"$@" >"$wf_out" 2>&1 || wf_rc=$?
		[ "$wf_rc" -ne 0 ] || break
		wf_now=$(date +%s)
		if [ "$wf_rc" -eq 125 ] || [ $((wf_now - wf_start)) -ge "$wf_secs" ]; then
			echo "# gave up after $((wf_now - wf_start))s waiting for $wf_desc"
			echo "# the command: $*"
			echo "# its last output:"
			sed 's/^/#   /' "$wf_out"
			rm -f "$wf_out"
			return 1
		fi >&2
		sleep 0.1
	done
	cat "$wf_out"
	rm -f "$wf_out"
}

# until_ok CMD...: wait_for with a 60 s bound, for a condition CMD
# names itself (has FILE PATTERN, test -d DIR).
until_ok() {
	wait_for "$*" 60 "$@"
}

# has FILE PATTERN: FILE exists and holds PATTERN.  When it does not,
# the end of FILE goes to stderr, for wait_for to show on giving up.
has() {
	grep -q -- "$2" "$1" 2>/dev/null && return 0
	if [ -e "$1" ]; then
		echo "no line of $1 matches $2; its last lines:" >&2
		tail -n 5 -- "$1" >&2
	else
		echo "$1 does not exist" >&2
	fi
	return 1
}

db_psql() {
	psql -X -q -At -v ON_ERROR_STOP=1 -d "$PUREBOOT_DB" "$@"
}

db_count() {
	db_psql -c "SELECT count(*) FROM pureboot.$1"
}

# api METHOD PATH [extra curl args]: prints "STATUS BODY" on one line;
# the response headers go to ./headers.
api() {
	m=$1 p=$2
	shift 2
	code=$(curl -s -o .api-body -D headers -w '%{http_code}' -X "$m" \
		"$@" "$PB_URL$p") || return 1
	printf '%s %s\n' "$code" "$(cat .api-body)"
}

# api_body METHOD PATH FILE [extra curl args]: as api, with a JSON body.
api_body() {
	m=$1 p=$2 f=$3
	shift 3
	api "$m" "$p" -H 'Content-Type: application/json' --data-binary "@$f" "$@"
}

# Run one pgTAP file as this test's whole TAP stream: a fresh migrated
# database, the extension, the file.  The file prints its own plan.
test_pgtap() {
	db_start
	db_psql -c "CREATE EXTENSION IF NOT EXISTS pgtap SCHEMA public" >/dev/null 2>&1 ||
		{ echo "Bail out! cannot create extension pgtap"; exit 1; }
	psql -X -q -At -v ON_ERROR_STOP=1 -d "$PUREBOOT_DB" -f "$PB_TOP/t/sql/$1"
	rc=$?
	test_run_atexit
	[ $rc -ne 0 ] || { cd / && rm -rf "$TRASH"; }
	exit $rc
}
