#!/bin/sh
test_description='diskless end to end in QEMU: the real API answers nfs, pureboot-tftp-hook makes the node directories and the exports nfs-ganesha serves, the deploy environment mounts a read-only base (NFSv4.1 and v3) and installs the node identity, a persistent node keeps its writes in its upper.ext4 across a reboot, a second node on the same base sees none of them, a stateless node loses them, the base stays byte-identical, a missing export is retried and never panics'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/deploy-lib.sh"
# shellcheck source=t/lib-api.sh
. "$PB_TOP/t/lib-api.sh"
# shellcheck source=t/lib-nfs.sh
. "$PB_TOP/t/lib-nfs.sh"

[ -s "$DEPLOY_DIR/initramfs.img" ] || test_skip_all "no $DEPLOY_DIR/initramfs.img: run make (make initramfs)"
grep -qx 'file sbin/mount.nfs' "$DEPLOY_DIR/manifest.txt" ||
	test_skip_all "the deploy environment has no mount.nfs: run make initramfs"
[ "$(id -u)" = 0 ] || test_skip_all "the NFS server and the hook's /srv/nfsroot (unshare) need root"

# The server's tree: <nfsroot>/base/pi-base, the shared read-only base;
# pureboot-tftp-hook makes <nfsroot>/nodes/<serial> (the identity; the
# agent adds upper.ext4 on a persistent node's first boot) and the
# EXPORT blocks ganesha includes.  <nfsroot> is /srv/nfsroot for the
# hook and ganesha (each in a mount namespace where $hroot is there),
# the path of the shipped workflows/pi-diskless.yaml.
root=/srv/nfsroot
hroot=$TRASH/nfsroot
NFS_SRV_ROOT=$hroot
nfs_tiny_base "$hroot/base/pi-base" || { echo "Bail out! cannot build the test base"; exit 1; }
nfs_tree_sum "$hroot/base/pi-base" >"$TRASH/base.before"
mkdir -p "$TRASH/tftp"
api_start

# Every guest reaches ganesha from 127.0.0.1 (the guestfwd's nc): that
# is the nodes' known address (their API requests come from there too).
hook() {
	nfs_in_srv "$PB_BUILD/pureboot-tftp-hook" -n -d "$PB_DB_HOOK" -r "$TRASH/tftp" \
		--nfs-root "$root" --nfs-clients 127.0.0.1 --nfs-exports "$NFS_EXPORTS" \
		--nfs-exports-format ganesha "$@" sync
}

# node SERIAL MAC WORKFLOW: registered, assigned and moved to pending
# over HTTP; its first boot is its install (boot/pi: install; the
# instructions with the token; installed, first_boot: active).
node() {
	echo "{\"serial\":\"$1\",\"mac\":\"$2\",\"ip_address\":\"10.0.2.15\",\"model\":\"pi4\"}" >r.json &&
	api_body POST /api/v1/nodes/register-pi r.json >out &&
	case $(cat out) in 20[01]*) ;; *) cat out; false ;; esac &&
	id=$(node_id "$1") &&
	echo "{\"workflow_id\":\"$3\"}" >p.json &&
	op_body PATCH "/api/v1/nodes/$id" p.json >out &&
	test "$(jget out .workflow_id)" = "$3" &&
	echo "{\"to\":\"pending\",\"comment\":\"t/0970\"}" >t.json &&
	op_body POST "/api/v1/nodes/$id/transition" t.json >out &&
	test "$(jget out .state)" = pending
}

# A single quote, for SQL inside the test bodies' double quotes.
q="'"

# history SERIAL: the node's state log, oldest first, as from>to words.
history() {
	db_psql -c "SELECT string_agg(coalesce(l.from_state::text, '-') || '>' || l.to_state, ' ' ORDER BY l.id)
		FROM pureboot.node_state_log l JOIN pureboot.nodes n ON n.id = l.node_id WHERE n.serial = '$1'"
}

# boot NAME SERIAL MAC MARK: one power-on until the base's init powers
# off; the console is $TRASH/NAME.console.
boot() {
	start=$(date +%s) &&
	qemu_start "$1" "pureboot.serial=$2 pureboot.model=pi4 pureboot.poll=2 pureboot.nfs_upper_mb=64 pbtest.boot=$4" "" "$3" &&
	{ qemu_wait "$1" "pbbase: done" 300 || { qemu_stop "$1"; false; }; } &&
	qemu_exit "$1" 60 &&
	echo "$1: $(($(date +%s) - start)) s from power-on to power-off" >>"$TRASH/times" &&
	tr -d "\r" <"$TRASH/$1.console" | sed -n "s/^.*\(pbbase: .*\)$/\1/p" >"$1.said"
}

# said BOOT SERIAL MARK-LINE FS: what the base's init says on a good
# boot, its identity the one the hook made for SERIAL.
said() {
	printf 'pbbase: %s\n' "up, boot $1, pid 1, root overlay" \
		"identity pi-$2 $(cat "$hroot/nodes/$2/etc/machine-id")" "$3" \
		"mark written: $1" "/var/lib/rancher on $4" "base is read-only" "done"
}

test_expect_success 'setup: workflows and nodes; the hook writes the directories and exports, ganesha serves them' '
	api_operator &&
	echo "{\"server_url\":\"http://10.0.2.100\"}" >s.json &&
	op_body PATCH /api/v1/settings s.json >out &&
	mkdir shipped && cp "$PB_TOP/workflows/pi-diskless.yaml" shipped/ &&
	"$PB_BUILD/pureboot" workflow sync -d "$PUREBOOT_DB" shipped >sync.out &&
	wf_add nfs-stateless aarch64 "{\"install_method\":\"nfs\",\"nfs_server\":\"10.0.2.102\",\"nfs_base_path\":\"$root/base\",\"nfs_image\":\"pi-base\",\"nfs_options\":\"vers=3,tcp\",\"nfs_mode\":\"stateless\"}" &&
	wf_add nfs-missing aarch64 "{\"install_method\":\"nfs\",\"nfs_server\":\"10.0.2.102\",\"nfs_base_path\":\"$root/base\",\"nfs_image\":\"missing\",\"nfs_options\":\"vers=4.1\",\"nfs_mode\":\"stateless\"}" &&
	node e97f0001 52:54:00:00:97:01 pi-diskless &&
	node e97f0002 52:54:00:00:97:02 nfs-stateless &&
	node e97f0003 52:54:00:00:97:03 nfs-missing &&
	node e97f0004 52:54:00:00:97:04 pi-diskless &&
	db_psql -c "SELECT DISTINCT host(known_addr) FROM pureboot.nodes" >addrs &&
	echo 127.0.0.1 >expect && test_cmp expect addrs &&
	hook 2>hook.log &&
	ls "$hroot/nodes" >actual &&
	printf "%s\n" e97f0001 e97f0002 e97f0003 e97f0004 >expect && test_cmp expect actual &&
	grep -c "^EXPORT {" "$NFS_EXPORTS" >n && echo 5 >expect && test_cmp expect n
'

nfs_start
QEMU_FWD=$(nfs_guestfwd)
export QEMU_FWD

test_expect_success 'the server exports the base over v4 and v3' '
	nfs_ls "$root/base/pi-base" 4 >ls4 && grep -q " sbin$" ls4 &&
	nfs_ls "$root/base/pi-base" 3 >ls3 && grep -q " sbin$" ls3
'

test_expect_success 'persistent, NFSv4.1, first boot is the install: installed, active, upper.ext4 made, the base init runs' '
	boot p1 e97f0001 52:54:00:00:97:01 p1 &&
	grep -q "pureboot: install: instructions fetched" p1.console &&
	grep -q "pureboot: installed: diskless, root 10.0.2.102:$root/base/pi-base (persistent)" p1.console &&
	echo "->discovered discovered>pending pending>installing installing>installed installed>active" >expect &&
	history e97f0001 >actual && test_cmp expect actual &&
	grep -q "pureboot: nfs: no upper.ext4 yet: making a sparse 64 MiB one" p1.console &&
	grep -q "pureboot: nfs: mounted base 10.0.2.102:$root/base/pi-base (ro,vers=4.1)" p1.console &&
	grep -q "pureboot: nfs: identity installed: pi-e97f0001, machine-id " p1.console &&
	grep -q "pureboot: nfs: root assembled: persistent, upper on ext4" p1.console &&
	grep -q "init: switch_root to /newroot, /sbin/init" p1.console &&
	said p1 e97f0001 "no mark" ext4 >expect &&
	test_cmp expect p1.said &&
	test -f "$hroot/nodes/e97f0001/upper.ext4"
'

test_expect_success 'an active diskless node: boot/pi answers nfs with the server, path, options and mode, and no token' '
	api GET "/api/v1/boot/pi?serial=e97f0001&mac=52:54:00:00:97:01&format=env" >out &&
	body out | grep "^PB_\(ACTION\|NFS_[A-Z]*\)=" >actual &&
	q="'"'"'" &&
	printf "%s\n" "PB_ACTION=${q}nfs$q" "PB_NFS_SERVER=${q}10.0.2.102$q" \
		"PB_NFS_PATH=$q$root/base/pi-base$q" "PB_NFS_OPTIONS=${q}vers=4.1$q" \
		"PB_NFS_MODE=${q}persistent$q" >expect &&
	test_cmp expect actual &&
	! body out | grep -q "^PB_TOKEN="
'

test_expect_success 'persistent, second boot: the mark of the first is there' '
	boot p2 e97f0001 52:54:00:00:97:01 p2 &&
	grep -q "state active, action nfs" p2.console &&
	grep -q "event first_boot: no events URL, kept locally" p2.console &&
	! grep -q "no upper.ext4 yet" p2.console &&
	grep -q "pureboot: nfs: identity installed on the first boot" p2.console &&
	said p2 e97f0001 "mark found: p1" ext4 >expect &&
	test_cmp expect p2.said &&
	debugfs -R "cat /upper/var/pbtest/mark" "$hroot/nodes/e97f0001/upper.ext4" >mark 2>/dev/null &&
	echo p2 >expect && test_cmp expect mark
'

test_expect_success 'a second persistent node on the same base: none of the first one'"'"'s writes, an identity of its own' '
	boot q1 e97f0004 52:54:00:00:97:04 q1 &&
	said q1 e97f0004 "no mark" ext4 >expect &&
	test_cmp expect q1.said &&
	! cmp -s "$hroot/nodes/e97f0001/etc/machine-id" "$hroot/nodes/e97f0004/etc/machine-id" &&
	debugfs -R "cat /upper/var/pbtest/mark" "$hroot/nodes/e97f0001/upper.ext4" >mark 2>/dev/null &&
	echo p2 >expect && test_cmp expect mark
'

test_expect_success 'stateless, NFSv3: written on the first boot, gone on the second' '
	boot s1 e97f0002 52:54:00:00:97:02 s1 &&
	grep -q "pureboot: nfs: mounted base 10.0.2.102:$root/base/pi-base (ro,vers=3,tcp,nolock)" s1.console &&
	boot s2 e97f0002 52:54:00:00:97:02 s2 &&
	said s1 e97f0002 "no mark" tmpfs >expect &&
	test_cmp expect s1.said &&
	said s2 e97f0002 "no mark" tmpfs >expect &&
	test_cmp expect s2.said &&
	! test -e "$hroot/nodes/e97f0002/upper.ext4" &&
	db_psql -c "SELECT serial || ${q} ${q} || state FROM pureboot.nodes WHERE serial IN (${q}e97f0001${q}, ${q}e97f0002${q}, ${q}e97f0004${q}) ORDER BY serial" >states &&
	printf "%s active\n" e97f0001 e97f0002 e97f0004 >expect && test_cmp expect states
'

test_expect_success 'the base is byte-identical after five boots' '
	nfs_tree_sum "$hroot/base/pi-base" >base.after &&
	test_cmp "$TRASH/base.before" base.after &&
	ls "$hroot/nodes/e97f0001" >files && printf "etc\nupper.ext4\n" >expect && test_cmp expect files
'

test_expect_success 'a missing export: retried with backoff, said on the console, no panic' '
	qemu_start miss "pureboot.serial=e97f0003 pureboot.model=pi4 pureboot.poll=2" "" 52:54:00:00:97:03 &&
	qemu_wait miss "pureboot: nfs: cannot mount base 10.0.2.102:$root/base/missing (ro,vers=4.1): " 240 &&
	qemu_wait miss "giving up after 5 tries" 120 &&
	qemu_wait miss "state install_failed, action wait" 30 &&
	qemu_running miss &&
	qemu_stop miss &&
	db_psql -c "SELECT n.state || ${q} ${q} || (l.comment LIKE ${q}agent: nfs root 10.0.2.102:$root/base/missing: mount base %${q})
		FROM pureboot.nodes n JOIN pureboot.node_state_log l ON l.node_id = n.id
		WHERE n.serial = ${q}e97f0003${q} AND l.to_state = ${q}install_failed${q}" >failed &&
	echo "install_failed true" >expect && test_cmp expect failed &&
	! grep -q "Kernel panic" miss.console &&
	grep "pureboot: nfs: cannot mount base" miss.console | tr -d "\r" | sed "s/^.*pureboot: //" | head -n 1
'

# The boot times, for docs/diskless.md.
[ ! -s "$TRASH/times" ] || sed 's/^/# /' "$TRASH/times"
test_done
