#!/bin/sh
test_description='pureboot-tftp-hook --nfs-root: per-node directories with an identity made once, exports from the database (nfsd and ganesha forms) rewritten and reloaded on change only, removal on reprovision, deprovisioning -> retired'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-hook.sh"

db_start
root=$TRASH/tftp
nfs=$TRASH/nfsroot
ex=$TRASH/exports

# nfs_sync [FORMAT [more options]]: one reconcile with the NFS side.
nfs_sync() {
	f=${1:-exports}
	[ $# -eq 0 ] || shift
	"$HOOK" -n -d "$PB_DB_HOOK" -r "$root" --nfs-root "$nfs" \
		--nfs-clients 10.0.0.0/8 --nfs-exports "$ex" --nfs-exports-format "$f" \
		--nfs-reload "echo reload >>'$TRASH/reloads'" "$@" sync
}

# wf ID BASE_PATH: an NFS workflow on base "tiny" of BASE_PATH.
wf() {
	db_psql -c "INSERT INTO pureboot.workflows (id, name, arch, definition) VALUES ('$1', '$1', 'aarch64',
		'{\"id\":\"$1\",\"name\":\"$1\",\"arch\":\"aarch64\",\"install_method\":\"nfs\",\"nfs_server\":\"10.0.0.1\",\"nfs_base_path\":\"$2\",\"nfs_image\":\"tiny\"}')"
}

addr() {
	db_psql -c "UPDATE pureboot.nodes SET known_addr = '$2' WHERE serial = '$1'"
}

move() {
	for s in $2; do
		db_psql -c "SELECT 1 FROM pureboot.transition((SELECT id FROM pureboot.nodes WHERE serial = '$1'), '$s', 'test')" >/dev/null || return 1
	done
}

state_is() {
	test "$(db_psql -c "SELECT state FROM pureboot.nodes WHERE serial = '$1'")" = "$2"
}

ident_sum() {
	(cd "$nfs/nodes/$1" && sha256sum etc/machine-id etc/ssh/ssh_host_ed25519_key etc/ssh/ssh_host_ed25519_key.pub)
}

test_expect_success 'setup: a base, NFS nodes in several states, one on a base elsewhere' '
	hook_root "$root" &&
	mkdir -p "$nfs/base/tiny/etc" "$nfs/base/.tiny.tmp.x" "$nfs/base/bad name" "$TRASH/elsewhere" &&
	ln -s "$TRASH/elsewhere" "$nfs/base/linked" &&
	wf nfs-a "$nfs/base" && wf nfs-out /srv/other/base &&
	db_psql -c "INSERT INTO pureboot.workflows (id, name, arch, definition) VALUES (\$\$img\$\$, \$\$img\$\$, \$\$aarch64\$\$,
		\$\${\"id\":\"img\",\"name\":\"img\",\"arch\":\"aarch64\",\"install_method\":\"image\",\"image_url\":\"http://x/a.img\"}\$\$)" &&
	node_add e1000001 dc:a6:32:10:00:01 pi4 installed nfs-a >/dev/null &&
	node_add e1000002 dc:a6:32:10:00:02 pi4 active nfs-a >/dev/null &&
	node_add e1000003 dc:a6:32:10:00:03 pi4 pending nfs-a >/dev/null &&
	node_add e1000004 dc:a6:32:10:00:04 pi4 discovered nfs-a >/dev/null &&
	node_add e1000005 dc:a6:32:10:00:05 pi4 installed nfs-out >/dev/null &&
	node_add e1000006 dc:a6:32:10:00:06 pi4 installed img >/dev/null &&
	db_psql -c "UPDATE pureboot.nodes SET hostname = \$\$worker-2\$\$ WHERE serial = \$\$e1000002\$\$" &&
	addr e1000001 10.0.2.11 && addr e1000002 fd00::12 && addr e1000006 10.0.2.16 &&
	nfs_sync 2>log && cat log
'

test_expect_success 'a node on the install or run path has a directory with its identity; others have none' '
	ls "$nfs/nodes" >actual &&
	printf "%s\n" e1000001 e1000002 e1000003 >expect && test_cmp expect actual &&
	(cd "$nfs/nodes/e1000001" && find . -printf "%p %m\n" | sort) >actual &&
	cat >expect <<-\EOF &&
	. 700
	./.pureboot-node 644
	./etc 755
	./etc/fstab 644
	./etc/hostname 644
	./etc/machine-id 444
	./etc/ssh 755
	./etc/ssh/ssh_host_ed25519_key 600
	./etc/ssh/ssh_host_ed25519_key.pub 644
	EOF
	test_cmp expect actual &&
	echo pi-e1000001 >expect && test_cmp expect "$nfs/nodes/e1000001/etc/hostname" &&
	echo worker-2 >expect && test_cmp expect "$nfs/nodes/e1000002/etc/hostname" &&
	! grep -v "^#" "$nfs/nodes/e1000001/etc/fstab" &&
	grep -q "No local root" "$nfs/nodes/e1000001/etc/fstab"
'

test_expect_success 'machine-ids are 32 hex digits and unique' '
	cat "$nfs"/nodes/*/etc/machine-id >ids &&
	test "$(grep -cx "[0-9a-f]\{32\}" ids)" = 3 &&
	test "$(sort -u ids | wc -l)" = 3
'

test_expect_success 'the ssh host key is one OpenSSH reads: its public half matches .pub' '
	k=$nfs/nodes/e1000002/etc/ssh/ssh_host_ed25519_key &&
	ssh-keygen -y -f "$k" >derived &&
	cut -d" " -f1,2 "$k.pub" >expect && test_cmp expect derived &&
	grep -q " root@worker-2\$" "$k.pub" &&
	ssh-keygen -l -f "$k" | grep -q "(ED25519)\$" &&
	cmp -s "$k.pub" "$nfs/nodes/e1000001/etc/ssh/ssh_host_ed25519_key.pub" && false || true
'

test_expect_success 'a workflow whose base is not under the NFS root is skipped, and said so' '
	grep -q "node .*: workflow base \"/srv/other/base/tiny\" is not $nfs/base/<image> (nfs_base_path must be the hook.s --nfs-root followed by /base): skipped" log &&
	! test -e "$nfs/nodes/e1000005"
'

test_expect_success 'exports: bases read-only to the clients, each node read-write to its known address' '
	cat >expect <<-EOF &&
	# /etc/exports (kernel nfsd): Written by pureboot-tftp-hook from the database (docs/diskless.md); changes here are overwritten.
	# base tiny
	$nfs/base/tiny 10.0.0.0/8(ro,no_root_squash,subtree_check,sec=sys)
	# node e1000001
	$nfs/nodes/e1000001 10.0.2.11(rw,no_root_squash,subtree_check,sec=sys)
	# node e1000002
	$nfs/nodes/e1000002 fd00::12(rw,no_root_squash,subtree_check,sec=sys)
	EOF
	test_cmp expect "$ex" &&
	grep -q "node .*: no known address yet: no export for nodes/e1000003" log &&
	echo reload >expect && test_cmp expect "$TRASH/reloads"
'

test_expect_success 'a second sync: nothing rewritten, no reload, the identity unchanged' '
	ident_sum e1000001 >before &&
	stat -c "%i %Y" "$ex" "$nfs/nodes/e1000001" >st.before &&
	sleep 1 && nfs_sync 2>log2 &&
	ident_sum e1000001 >after && test_cmp before after &&
	stat -c "%i %Y" "$ex" "$nfs/nodes/e1000001" >st.after && test_cmp st.before st.after &&
	echo reload >expect && test_cmp expect "$TRASH/reloads"
'

test_expect_success 'a new known address: the export follows, one reload; a new hostname: the file follows, the keys stay' '
	ident_sum e1000001 >before &&
	addr e1000003 10.0.2.13 && addr e1000001 10.0.2.21 &&
	db_psql -c "UPDATE pureboot.nodes SET hostname = \$\$worker-1\$\$ WHERE serial = \$\$e1000001\$\$" &&
	nfs_sync 2>log &&
	grep -qx "$nfs/nodes/e1000001 10.0.2.21(rw,no_root_squash,subtree_check,sec=sys)" "$ex" &&
	grep -qx "$nfs/nodes/e1000003 10.0.2.13(rw,no_root_squash,subtree_check,sec=sys)" "$ex" &&
	! grep -q 10.0.2.11 "$ex" &&
	printf "reload\nreload\n" >expect && test_cmp expect "$TRASH/reloads" &&
	echo worker-1 >expect && test_cmp expect "$nfs/nodes/e1000001/etc/hostname" &&
	ident_sum e1000001 >after && test_cmp before after
'

test_expect_success 'only good base names are exported: not a temporary, a space or a link' '
	grep "/base/" "$ex" >bases && echo "$nfs/base/tiny 10.0.0.0/8(ro,no_root_squash,subtree_check,sec=sys)" >expect &&
	test_cmp expect bases
'

test_expect_success 'bad options are refused before anything is written' '
	! "$HOOK" -n -d "$PB_DB_HOOK" -r "$root" --nfs-root "$nfs" --nfs-clients "10.0.0.0/8 x" sync 2>err &&
	grep -q "nfs clients: client \"10.0.0.0/8 x\" is not \*, an address or an address/prefix" err &&
	! "$HOOK" -n -d "$PB_DB_HOOK" -r "$root" --nfs-root "$nfs" --nfs-clients "10.0.0.0/33" sync 2>err &&
	! "$HOOK" -n -d "$PB_DB_HOOK" -r "$root" --nfs-root "nfsroot" sync 2>err &&
	grep -q "nfs-root \"nfsroot\"" err &&
	! "$HOOK" -n -d "$PB_DB_HOOK" -r "$root" --nfs-root "$nfs" --nfs-exports "$ex" --nfs-exports-format nfsd sync 2>err &&
	grep -q "nfs exports format \"nfsd\" is not exports or ganesha" err &&
	! "$HOOK" -n -d "$PB_DB_HOOK" -r "$root" --nfs-exports "$ex" sync 2>err &&
	grep -q "need --nfs-root" err
'

test_expect_success 'ganesha form: distinct Export_Ids, stable across renders and kept per path' '
	nfs_sync ganesha 2>log &&
	grep -c "^EXPORT {" "$ex" >n && echo 4 >expect && test_cmp expect n &&
	sed -n "s/^	Export_Id = \([0-9]*\);/\1/p" "$ex" >ids1 &&
	test "$(sort -u ids1 | wc -l)" = 4 &&
	grep -q "Clients = 10.0.0.0/8;" "$ex" && grep -q "Clients = fd00::12;" "$ex" &&
	test "$(grep -c "Access_Type = RW;" "$ex")" = 3 &&
	test "$(grep -c "Access_Type = RO;" "$ex")" = 1 &&
	cp "$ex" ganesha1 &&
	nfs_sync ganesha 2>log && test_cmp ganesha1 "$ex" &&
	db_psql -c "SELECT export_id FROM pureboot.nfs_export_ids ORDER BY path COLLATE \"C\"" >ids2 &&
	sort -n ids1 >a && sort -n ids2 >b && test_cmp a b
'

test_expect_success 'reprovision, even when the hook never sees it: a new identity' '
	ident_sum e1000003 >before &&
	move e1000003 "installing installed active reprovision pending" &&
	nfs_sync 2>log &&
	grep -q "nodes/e1000003 is of node .*made again" log &&
	ident_sum e1000003 >after && ! test_cmp before after
'

test_expect_success 'leaving the NFS workflow or the path removes the directory; the export goes first' '
	move e1000003 "installing installed active reprovision" &&
	nfs_sync 2>log &&
	! test -e "$nfs/nodes/e1000003" && ! grep -q e1000003 "$ex" &&
	! ls -A "$nfs/nodes" | grep -q "^\." &&
	db_psql -c "UPDATE pureboot.nodes SET workflow_id = \$\$img\$\$ WHERE serial = \$\$e1000001\$\$" &&
	nfs_sync 2>log && ! test -e "$nfs/nodes/e1000001" &&
	db_psql -c "UPDATE pureboot.nodes SET workflow_id = \$\$nfs-a\$\$ WHERE serial = \$\$e1000001\$\$" &&
	nfs_sync 2>log && test -d "$nfs/nodes/e1000001"
'

test_expect_success 'what a node plants in its directory is never followed' '
	d=$nfs/nodes/e1000001 && echo outside >"$TRASH/outside" &&
	rm "$d/etc/hostname" && ln -s "$TRASH/outside" "$d/etc/hostname" &&
	ln -s "$TRASH/outside" "$d/link" && mkdir -p "$d/deep/er" && ln -s / "$d/deep/er/root" &&
	nfs_sync 2>log &&
	test -f "$d/etc/hostname" && ! test -L "$d/etc/hostname" &&
	echo worker-1 >expect && test_cmp expect "$d/etc/hostname" &&
	echo outside >expect && test_cmp expect "$TRASH/outside" &&
	mv "$d/etc" "$d/etc.node" && ln -s "$TRASH" "$d/etc" &&
	! nfs_sync 2>log &&
	grep -q "nodes/e1000001/etc: .*: left alone" log &&
	! test -e "$TRASH/.hostname.tmp" && test_cmp expect "$TRASH/outside" &&
	move e1000001 reprovision && nfs_sync 2>log &&
	! test -e "$d" && test_cmp expect "$TRASH/outside" && test -d /etc
'

test_expect_success 'a directory the hook did not make is left alone, and said so' '
	mkdir "$nfs/nodes/e1000003" && echo mine >"$nfs/nodes/e1000003/keep" &&
	move e1000003 pending &&
	! nfs_sync 2>log &&
	grep -q "\"nodes/e1000003\" has no .pureboot-node: not made by pureboot-tftp-hook, left alone" log &&
	echo mine >expect && test_cmp expect "$nfs/nodes/e1000003/keep" &&
	move e1000003 "installing installed active reprovision" && nfs_sync &&
	test_cmp expect "$nfs/nodes/e1000003/keep" && rm -r "$nfs/nodes/e1000003"
'

test_expect_success 'bad data in the database never becomes a path or an export line' '
	db_psql -c "ALTER TABLE pureboot.nodes DROP CONSTRAINT nodes_serial_check;
		ALTER TABLE pureboot.nodes DROP CONSTRAINT nodes_hostname_check" &&
	node_add "../x1" dc:a6:32:10:00:07 pi4 installed nfs-a >/dev/null &&
	node_add e1000008 dc:a6:32:10:00:08 pi4 installed nfs-a >/dev/null &&
	db_psql -c "UPDATE pureboot.nodes SET hostname = \$\$a b\$\$, known_addr = \$\$10.0.2.18\$\$ WHERE serial = \$\$e1000008\$\$" &&
	! nfs_sync 2>log &&
	grep -q "nfs: node .*: serial \"../x1\" is not 8 lower-case hex digits: skipped" log &&
	grep -q "nfs: node .*: hostname \"a b\" is not a lower-case RFC 1123 label: skipped" log &&
	! test -e "$nfs/x1" && ! test -e "$nfs/nodes/e1000008" &&
	! grep -q "/x1\|e1000008\|a b" "$ex" &&
	db_psql -c "DELETE FROM pureboot.nodes WHERE serial IN (\$\$../x1\$\$, \$\$e1000008\$\$)"
'

test_expect_success 'a deleted node: its directory goes' '
	node_add e1000009 dc:a6:32:10:00:09 pi4 installed nfs-a >/dev/null &&
	nfs_sync && test -d "$nfs/nodes/e1000009" &&
	db_psql -c "DELETE FROM pureboot.nodes WHERE serial = \$\$e1000009\$\$" &&
	nfs_sync && ! test -e "$nfs/nodes/e1000009"
'

test_expect_success 'watch: deprovisioning removes the data, then the hook retires the node' '
	ident_sum e1000002 >before &&
	"$HOOK" -n -d "$PB_DB_HOOK" -r "$root" --nfs-root "$nfs" --nfs-exports "$ex" \
		--nfs-reload "echo reload >>'"'$TRASH/reloads'"'" watch 2>watch.log &
	echo $! >watch.pid &&
	test_when_finished "kill \$(cat watch.pid)" &&
	wait_for "the watch to reconcile" 30 grep -q "nfs: .* nodes" watch.log &&
	ident_sum e1000002 >after && test_cmp before after &&
	move e1000002 deprovisioning &&
	wait_for "e1000002 to be retired" 30 state_is e1000002 retired &&
	! test -e "$nfs/nodes/e1000002" && ! grep -q e1000002 "$ex" &&
	db_psql -c "SELECT e.type, e.payload->>\$\$path\$\$ FROM pureboot.node_events e JOIN pureboot.nodes n ON n.id = e.node_id WHERE n.serial = \$\$e1000002\$\$ AND e.type = \$\$nfs_removed\$\$" >actual &&
	echo "nfs_removed|$nfs/nodes/e1000002" >expect && test_cmp expect actual &&
	db_psql -c "SELECT l.from_state, l.to_state, l.actor FROM pureboot.node_state_log l JOIN pureboot.nodes n ON n.id = l.node_id WHERE n.serial = \$\$e1000002\$\$ ORDER BY l.id DESC LIMIT 1" >actual &&
	echo "deprovisioning|retired|tftp-hook" >expect && test_cmp expect actual
'

# exited PID: the process is gone or a zombie (it holds no lock then).
exited() { [ ! -d "/proc/$1" ] || grep -q "^State:.*Z" "/proc/$1/status" 2>/dev/null; }

test_expect_success 'watch: a node entering the path gets its directory at once, its export when it has an address' '
	wait_for "the first watch (pid $(cat watch.pid)) to exit and free the tree" 60 exited "$(cat watch.pid)" &&
	"$HOOK" -n -d "$PB_DB_HOOK" -r "$root" --nfs-root "$nfs" --nfs-exports "$ex" watch 2>watch2.log &
	echo $! >watch2.pid &&
	test_when_finished "kill \$(cat watch2.pid)" &&
	wait_for "the watch to reconcile" 30 grep -q "nfs: .* nodes" watch2.log &&
	move e1000004 pending &&
	wait_for "nodes/e1000004" 30 test -s "$nfs/nodes/e1000004/etc/machine-id" &&
	! grep -q e1000004 "$ex" &&
	addr e1000004 10.0.2.14 &&
	wait_for "the export of nodes/e1000004" 30 grep -qx "$nfs/nodes/e1000004 10.0.2.14(rw,no_root_squash,subtree_check,sec=sys)" "$ex"
'

test_done
