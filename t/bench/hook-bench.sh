#!/bin/sh
# make bench-hook: the TFTP hook's figures, each beside a ceiling
# measured in the same run on the same filesystem.
#   1. NOTIFY-to-file-visible latency, p50/p99 over 1,000 changes
#      (watch mode, fsync on), targets p99 < 20 ms;
#   2. a full reconcile of 10,000 nodes (create, unchanged, rewrite)
#      beside pb-hookbench's bare loop doing the same syscalls; targets
#      < 2 s and < 3x the loop.
# BENCH_NODES (default 10000) and BENCH_CHANGES (default 1000) scale it;
# BENCH_DIR picks the filesystem (default: under /tmp).
set -eu

PB_TOP=$(cd "$(dirname "$0")/../.." && pwd)
PB_BUILD=${PB_BUILD:-$PB_TOP/build}
N=${BENCH_NODES:-10000}
C=${BENCH_CHANGES:-1000}
base=$(mktemp -d "${BENCH_DIR:-/tmp}/pb-bench.XXXXXX")
chmod 0755 "$base"
PB_STATE=$base/stack
PB_PG_FSYNC=off
export PB_TOP PB_BUILD PB_STATE PB_PG_FSYNC
# shellcheck source=scripts/stack.sh
. "$PB_TOP/scripts/stack.sh"
HOOK=$PB_BUILD/pureboot-tftp-hook
BENCH=$PB_BUILD/pb-hookbench
root=$base/tftp
watch_pid=

cleanup() {
	[ -z "$watch_pid" ] || kill "$watch_pid" 2>/dev/null || true
	stack_pg_stop
	rm -rf "$base"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

t() { date +%s.%N; }
secs() { echo "$1 $2" | awk '{printf "%.3f", $2 - $1}'; }
ratio() { echo "$1 $2" | awk '{ if ($2 > 0) printf "%.2f", $1 / $2; else print "-" }'; }

stack_layout && stack_pg_start >/dev/null
db=$(stack_conninfo)
# The hook as it runs in make run: role pureboot_hook (sql/grants.sql).
hookdb=$(stack_conninfo pureboot_hook)
mkdir -p "$root/deploy-arm64"
"$PB_TOP/scripts/firmware" install "$root" 2>/dev/null
echo kernel >"$root/deploy-arm64/kernel8.img"
echo initrd >"$root/deploy-arm64/initramfs.img"
chmod -R a+rX "$root"
psql -X -q -d "$db" -c "INSERT INTO pureboot.nodes (serial, arch, boot_mode, pi_model)
	SELECT lpad(to_hex(i), 8, '0'), 'aarch64', 'pi', 'pi4' FROM generate_series(1, $N) i;
	UPDATE pureboot.nodes SET state = 'pending'"

echo "bench-hook: $N Pi 4 nodes (pending: 6 links + config.txt + cmdline.txt each), $(df -T "$base" | awk 'NR==2 {print $2}') at $base"
printf '%-34s %10s %12s %8s\n' "reconcile of $N nodes" "hook (s)" "bare loop (s)" "ratio"

t0=$(t); "$HOOK" -d "$hookdb" -r "$root" sync 2>/dev/null; t1=$(t)
bare=$("$BENCH" bare-write "$base/bare" "$N" sync)
printf '%-34s %10s %12s %8s\n' "create (empty tree)" "$(secs "$t0" "$t1")" "$bare" "$(ratio "$(secs "$t0" "$t1")" "$bare")"

t0=$(t); "$HOOK" -d "$hookdb" -r "$root" sync 2>/dev/null; t1=$(t)
bare=$("$BENCH" bare-compare "$base/bare" "$N")
printf '%-34s %10s %12s %8s\n' "unchanged (compare only)" "$(secs "$t0" "$t1")" "$bare" "$(ratio "$(secs "$t0" "$t1")" "$bare")"

psql -X -q -d "$db" -c "UPDATE pureboot.nodes SET state = 'installing'"
t0=$(t); "$HOOK" -d "$hookdb" -r "$root" sync 2>/dev/null; t1=$(t)
bare=$("$BENCH" bare-rewrite "$base/bare" "$N" sync)
printf '%-34s %10s %12s %8s\n' "every node changed (swap)" "$(secs "$t0" "$t1")" "$bare" "$(ratio "$(secs "$t0" "$t1")" "$bare")"

"$HOOK" -d "$hookdb" -r "$root" -i 3600 watch 2>"$base/watch.log" &
watch_pid=$!
i=0
until grep -q "reconcile: " "$base/watch.log"; do
	i=$((i + 1)); [ $i -lt 600 ] || { echo "watch did not start" >&2; exit 1; }
	sleep 0.1
done
"$BENCH" latency "$db" "$root" 00000001 "$C"
echo "targets: p99 < 20 ms; reconcile < 2 s and < 3x the bare loop"
