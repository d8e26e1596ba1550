#!/bin/sh
test_description='kill -9 during a reconcile of 10,000 nodes: every path old or new, the next one converges'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-hook.sh"

db_start
N=10000
# tmpfs when there is one: the kernel's rename semantics are the same,
# and a loaded shared disk would make this test slow, not stronger.
if [ -w /dev/shm ]; then
	base=$(mktemp -d /dev/shm/pb-test.XXXXXX) && chmod 0755 "$base"
	test_atexit 'rm -rf "$base"'
else
	base=$TRASH
fi
root=$base/tftp

# Every node directory is complete: 8 entries, a whole config.txt, a
# whole cmdline.txt naming the hostname of the previous or this round.
H8='[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'
# tree_ok MAXROUND: hostnames r0..rMAXROUND (a killed round leaves some
# nodes at an older one).
# shellcheck disable=SC2086 # $H8 is a glob on purpose
tree_ok() {
	dirs=$(find "$root" -mindepth 1 -maxdepth 1 -name "$H8" -type d | wc -l)
	ents=$(find "$root" -mindepth 2 -maxdepth 2 -path "$root/$H8/*" | wc -l)
	if [ "$dirs" != "$N" ] || [ "$ents" != $((N * 8)) ]; then
		echo "$dirs directories, $ents entries"
		return 1
	fi
	(cd "$root" && grep -LE "^console=serial0,115200 .* pureboot.hostname=r[0-$1]\$" -- $H8/cmdline.txt) >bad
	(cd "$root" && grep -Lx "\\[all\\]" -- $H8/config.txt) >>bad
	if [ -s bad ]; then
		head bad
		return 1
	fi
}

test_expect_success "setup: $N pending Pi 4 nodes, synced" '
	hook_root "$root" &&
	db_psql -c "INSERT INTO pureboot.nodes (serial, arch, boot_mode, pi_model, hostname)
		SELECT lpad(to_hex(i), 8, \$\$0\$\$), \$\$aarch64\$\$, \$\$pi\$\$, \$\$pi4\$\$, \$\$r0\$\$
		FROM generate_series(1, $N) i" &&
	hook_sync "$root" 2>log && tree_ok 0
'

# round_split ROUND: how many nodes carry round ROUND's hostname and how
# many an older one, as "new N" and "old M" lines.  The kill landed in
# the middle of the writes only if both are there.
# shellcheck disable=SC2086 # $H8 is a glob on purpose
round_split() {
	(cd "$root" && grep -l "pureboot.hostname=r$1\$" -- $H8/cmdline.txt) >new.list
	echo "new $(wc -l <new.list)"
	echo "old $((N - $(wc -l <new.list)))"
}

# The nodes are written in serial order (00000001 first): the kill
# comes once the first node has this round's content, after a random
# further 0-90 ms, and must find the hook still writing.
round=0
while [ $round -lt 5 ]; do
	round=$((round + 1))
	test_expect_success "kill -9 at a random point of reconcile $round: no partial file, no missing path" "
		db_psql -c \"UPDATE pureboot.nodes SET hostname = 'r$round'\" &&
		\"\$HOOK\" -n -d \"\$PB_DB_HOOK\" -r \"$root\" sync 2>log &
		pid=\$! &&
		wait_for 'the first node of round $round written' 60 \\
			has \"$root/00000001/cmdline.txt\" \"pureboot.hostname=r$round\\\$\" &&
		sleep 0.0\$((\$(od -An -N1 -tu1 /dev/urandom) % 10)) &&
		kill -9 \$pid && ! wait \$pid &&
		tree_ok $round &&
		round_split $round >split && cat split &&
		grep -qx 'new [1-9][0-9]*' split && grep -qx 'old [1-9][0-9]*' split
	"
done

test_expect_success 'the next reconcile converges: all new, no leftovers, check finds nothing' '
	hook_sync "$root" 2>log &&
	tree_ok 5 && ! (cd "$root" && grep -L "hostname=r5\$" -- */cmdline.txt | grep . ) &&
	! ls -A "$root" | grep "\.tmp\." &&
	"$HOOK" -d "$PB_DB_HOOK" -r "$root" check >out &&
	tail -n 1 out >actual && echo "check: 0 problems" >expect && test_cmp expect actual
'

test_done
