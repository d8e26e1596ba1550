# shellcheck shell=sh
# t/lib-storm.sh: the fault tests (t/072x): a small boot storm
# (t/tools/pb-storm.c, the fleet of scripts/storm.sh) against the whole
# stack, in a network namespace of the test's own (each .t re-executes
# itself there first: 127/8 and TFTP port 69 are then its own).
# Source after t/lib.sh.

# shellcheck source=scripts/storm.sh
. "$PB_TOP/scripts/storm.sh"
STORM=$PB_BUILD/pb-storm
HOOK=$PB_BUILD/pureboot-tftp-hook

# The whole stack: PostgreSQL, API, nginx, the hook, dnsmasq.  Small
# deploy files: the tests are about faults, not bandwidth; no board
# files but a small Image (t/0723's small tree would not hold the raw
# 44 MB one).
storm_up() {
	ip link set lo up || return 1
	PB_BOARD_FILES=0
	export PB_BOARD_FILES
	api_start
	PB_TFTP_ADDR=127.0.0.69
	export PB_TFTP_ADDR
	root=$(stack_tftp_root)
	storm_workflow >/dev/null &&
	storm_hook_start &&
	stack_dnsmasq_start &&
	stack_pid_alive "$PB_STATE/dnsmasq.pid"
}

storm_hook_start() {
	stack_hook_start || return 1
	# Image: what the boards' root files name (PB_BOARD_FILES=0 made
	# none), for the hook's check.
	for f in kernel8.img initramfs.img Image; do
		head -c 300000 /dev/urandom >"$root/deploy-arm64/.$f.tmp" &&
		chmod 0644 "$root/deploy-arm64/.$f.tmp" &&
		mv -f "$root/deploy-arm64/.$f.tmp" "$root/deploy-arm64/$f" || return 1
	done
}

# storm_bg NAME RUN [pb-storm options]: the storm in the background; its
# figures in NAME.out, one line per Pi in NAME.res, exit status NAME.rc.
storm_bg() {
	sb_name=$1 sb_run=$2
	shift 2
	( "$STORM" -s 127.0.0.69 -a "127.0.0.1:$PB_PORT" -o "$TRASH/$sb_name.res" "$@" \
		storm "$PB_STATE/pis.$sb_run" >"$TRASH/$sb_name.out" 2>"$TRASH/$sb_name.err"
	  echo $? >"$TRASH/$sb_name.rc" ) &
	echo $! >"$TRASH/$sb_name.pid"
}

storm_done() {
	[ -s "$TRASH/$1.rc" ]
}

# storm_wait NAME SECONDS: until it ended; shows its figures and the
# Pis that did not end as they should.
storm_wait() {
	wait_for "the storm $1 to end" "$2" storm_done "$1" || return 1
	cat "$TRASH/$1.out"
	awk '$5 != "fenced" && $5 != "instructed"' "$TRASH/$1.res"
	[ "$(cat "$TRASH/$1.rc")" = 0 ]
}

# storm_ready RUN [after]: the hook wrote the tree (60 s).
storm_ready() {
	wait_for "the tree of run $1${2:+ ($2)}" 60 storm_tree_ready "$@"
}

# storm_db_check RUN COUNT: the database after a storm of run RUN: every
# Pi is one node (no registration lost, none twice), the pending ones
# installed with exactly one install (one pending -> installing, one
# installing -> installed, no failed attempt) and exactly the events
# pb-storm sent, each once and with its key (install_started, three
# install_progress, install_complete: a retried event recorded twice
# shows here), the others in the state they started in and with no
# install event.  Prints every departure; empty means right.
storm_db_check() {
	stack_psql -At -v run="$1" -v n="$2" <<'SQL'
WITH p AS (
	SELECT :'run' || lpad(to_hex(i), 6, '0') AS serial,
	       CASE WHEN i % 10 < 6 THEN 'active' WHEN i % 10 < 8 THEN 'installed'
	            ELSE 'discovered' END AS want
	FROM generate_series(0, :n - 1) i)
SELECT p.serial || ': ' || coalesce(n.state::text, 'missing') || ', want ' || p.want
FROM p LEFT JOIN pureboot.nodes n USING (serial)
WHERE n.state IS DISTINCT FROM p.want::pureboot.node_state
UNION ALL
SELECT 'nodes: ' || count(*) || ', want ' || :n FROM pureboot.nodes HAVING count(*) <> :n
UNION ALL
SELECT n.serial || ': ' || count(*) FILTER (WHERE l.to_state = 'installing') || ' installs, '
       || count(*) FILTER (WHERE l.to_state = 'installed') || ' installed, '
       || count(*) FILTER (WHERE l.to_state = 'install_failed') || ' failed, attempts '
       || n.install_attempts
FROM pureboot.nodes n JOIN pureboot.node_state_log l ON l.node_id = n.id
WHERE n.state = 'installed'
GROUP BY n.serial, n.install_attempts
HAVING count(*) FILTER (WHERE l.to_state = 'installing') <> 1
    OR count(*) FILTER (WHERE l.to_state = 'installed') <> 1
    OR count(*) FILTER (WHERE l.to_state = 'install_failed') <> 0
    OR n.install_attempts <> 0
UNION ALL
SELECT n.serial || ': ' || count(*) || ' registered events'
FROM pureboot.nodes n LEFT JOIN pureboot.node_events e ON e.node_id = n.id AND e.type = 'registered'
WHERE n.serial IN (SELECT serial FROM p) AND ('x' || substr(n.serial, 3))::bit(24)::int % 10 = 8
GROUP BY n.serial HAVING count(e.id) <> 1
UNION ALL
SELECT n.serial || ': events "' || x.got || '", want "' || x.want || '"'
FROM pureboot.nodes n
CROSS JOIN LATERAL (
	SELECT coalesce(string_agg(e.type || ' ' || coalesce(e.client_key, '-')
	           || coalesce(' ' || (e.payload->>'bytes'), ''), ', ' ORDER BY e.id), '') AS got,
	       CASE WHEN n.state <> 'installed' THEN '' ELSE format(
	           'install_started storm-%1$s-0, install_progress storm-%1$s-1 1048576, '
	           'install_progress storm-%1$s-2 2097152, install_progress storm-%1$s-3 3145728, '
	           'install_complete storm-%1$s-4', n.serial) END AS want
	FROM pureboot.node_events e
	WHERE e.node_id = n.id AND (e.type LIKE 'install%' OR e.client_key IS NOT NULL)) x
WHERE n.serial IN (SELECT serial FROM p) AND x.got <> x.want
SQL
}

# storm_tree_check: the hook's linter passes and no temporary of the
# hook's atomic writes is left anywhere in the tree.
storm_tree_check() {
	"$HOOK" -d "$PB_DB_HOOK" -r "$root" check >"$TRASH/.check" 2>&1 ||
		{ tail -n 20 "$TRASH/.check"; return 1; }
	left=$(find "$root" -name '.*.tmp.*' -o -name '.*.old.*' | head -n 5)
	[ -z "$left" ] || { echo "left behind: $left"; return 1; }
}
