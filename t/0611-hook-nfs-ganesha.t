#!/bin/sh
test_description='pureboot-tftp-hook --nfs-exports-format ganesha against a real nfs-ganesha: the hook writes the EXPORT blocks ganesha includes, SIGHUP adds and removes exports, and a client in the middle of a read keeps reading'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-hook.sh"
# shellcheck source=t/lib-nfs.sh
. "$PB_TOP/t/lib-nfs.sh"

db_start
root=$TRASH/tftp
nfs=$TRASH/nfsroot

# hook [more options]: one reconcile writing ganesha's exports.
hook() {
	"$HOOK" -n -d "$PB_DB_HOOK" -r "$root" --nfs-root "$nfs" \
		--nfs-clients 127.0.0.1 --nfs-exports "$NFS_EXPORTS" \
		--nfs-exports-format ganesha "$@" sync
}

move() {
	for s in $2; do
		db_psql -c "SELECT 1 FROM pureboot.transition((SELECT id FROM pureboot.nodes WHERE serial = '$1'), '$s', 'test')" >/dev/null || return 1
	done
}

# Everything ganesha needs exists before it starts (nfs_start waits
# for each export to answer).
mkdir -p "$nfs/base/tiny" "$root"
dd if=/dev/urandom of="$nfs/base/tiny/big" bs=1M count=48 2>/dev/null
db_psql -c "INSERT INTO pureboot.workflows (id, name, arch, definition) VALUES ('nfs', 'nfs', 'aarch64',
	'{\"id\":\"nfs\",\"name\":\"nfs\",\"arch\":\"aarch64\",\"install_method\":\"nfs\",\"nfs_server\":\"10.0.2.102\",\"nfs_base_path\":\"$nfs/base\",\"nfs_image\":\"tiny\"}')"
node_add e1100001 dc:a6:32:11:00:01 pi4 installed nfs >/dev/null
db_psql -c "UPDATE pureboot.nodes SET known_addr = '127.0.0.1'"
hook -n 2>"$TRASH/hook0.log" || { cat "$TRASH/hook0.log"; echo "Bail out! the hook did not write the exports"; exit 1; }
nfs_start

test_expect_success 'ganesha serves what the hook wrote: the base and the node over v4 and v3' '
	grep -c "^EXPORT {" "$NFS_EXPORTS" >n && echo 2 >expect && test_cmp expect n &&
	nfs_ls "$nfs/base/tiny" 4 | grep -q " big$" &&
	nfs_ls "$nfs/base/tiny" 3 | grep -q " big$" &&
	nfs_ls "$nfs/nodes/e1100001" 4 | grep -q " etc$" &&
	nfs_ls "$nfs/nodes/e1100001" 3 | grep -q " etc$"
'

test_expect_success 'SIGHUP after a change: the new node is exported, the removed one is not, a reader keeps reading' '
	sha256sum <"$nfs/base/tiny/big" >expect &&
	# The reader stalls on a full pipe for 5 s, its file open on the
	# server, while the exports change under it.
	{ nfs_in_ns nfs-cat "nfs://127.0.0.1$nfs/base/tiny/big?version=4" 2>cat.err | { sleep 5; sha256sum; } >actual; echo $? >cat.rc; } &
	sleep 1 &&
	node_add e1100002 dc:a6:32:11:00:02 pi4 installed nfs >/dev/null &&
	db_psql -c "UPDATE pureboot.nodes SET known_addr = \$\$127.0.0.1\$\$ WHERE serial = \$\$e1100002\$\$" &&
	move e1100001 "active reprovision" &&
	hook --nfs-reload "$(nfs_reload_cmd)" 2>hook.log &&
	grep -q "exports written" hook.log &&
	! test -e cat.rc &&
	wait_for "ganesha to export nodes/e1100002" 30 sh -c "nsenter --net=/proc/\$(cat \"\$1\")/ns/net nfs-ls \"nfs://127.0.0.1\$2?version=4\" | grep -q \" etc\$\"" sh "$NFS_DIR/ns.pid" "$nfs/nodes/e1100002" &&
	! nfs_ls "$nfs/nodes/e1100001" 4 >/dev/null 2>&1 &&
	wait_for "the reader to finish" 60 test -s cat.rc &&
	echo 0 >zero && test_cmp zero cat.rc &&
	test_cmp expect actual &&
	nfs_ls "$nfs/base/tiny" 3 | grep -q " big$" &&
	{ grep -i "reload\|export" "$NFS_DIR/ganesha.log" | grep -vi "dbus" | tail -n 5 | sed "s/^/# /" || true; }
'

test_done
