#!/bin/sh
test_description='pureboot nfs import|list|remove: base trees from tar archives, refused whole when hostile, byte-identical when good, never replaced under their nodes unless forced'
. "${0%/*}/lib.sh"
# shellcheck source=t/lib-api.sh
. "$PB_TOP/t/lib-api.sh"
db_start

[ "$(id -u)" = 0 ] || test_skip_all "a base keeps owners and device nodes: needs root"

PUREBOOT_NFS_ROOT=$TRASH/nfs
export PUREBOOT_NFS_ROOT
B=$PUREBOOT_NFS_ROOT/base
N() { "$PB_BUILD/pureboot" nfs "$@"; }

# nfs_rc ARGS...: stdout to ./out, stderr to ./err, exit code to ./rc.
nfs_rc() {
	rc=0
	N "$@" >out 2>err || rc=$?
	echo "$rc" >rc
}

# only_bases NAME...: <nfsroot>/base holds these and nothing else (no
# temporary tree), and nothing reached the outside directory.
only_bases() {
	printf '%s\n' "$@" | sed '/^$/d' >expect.bases &&
	bases_are expect.bases
}

# bases_are FILE: only_bases with the names in FILE.
bases_are() {
	ls -A "$B" >actual.bases &&
	test_cmp "$1" actual.bases &&
	ls -A "$TRASH/outside" >actual.outside &&
	echo secret >expect.outside && test_cmp expect.outside actual.outside &&
	test ! -e /etc/pb-nfs-import-test
}

# refused ARCHIVE MESSAGE: importing ARCHIVE as base "evil" fails with
# MESSAGE on stderr and leaves nothing (the bases so far are in ./kept).
refused() {
	nfs_rc import evil "$1" &&
	echo 1 >expect && test_cmp expect rc &&
	grep -F -- "$2" err &&
	test_cmp /dev/null out &&
	bases_are kept
}

# random_tree DIR BYTES SIZE: 20 directories of BYTES random bytes each,
# in files of SIZE bytes.
random_tree() {
	i=0
	while [ "$i" -lt 20 ]; do
		mkdir -p "$1/$i" &&
		head -c "$2" /dev/urandom | split -b "$3" -a 3 - "$1/$i/f" ||
		return 1
		i=$((i + 1))
	done
}

# Everything tar and find can see of a tree, to compare two trees.
meta() {
	(cd "$1" && find . -printf '%p %M %U:%G %s %T@ %l %n\n' | LC_ALL=C sort)
}

test_expect_success 'setup: the hostile archives, an outside directory, a good tree' '
	mkdir -p "$TRASH/outside" hostile && echo secret >"$TRASH/outside/secret" &&
	python3 "$PB_TOP/t/tools/nfs-tars.py" hostile "$TRASH/outside" &&
	gzip -k hostile/huge.tar &&
	: >kept &&
	mkdir -p tree/etc tree/bin tree/usr/lib tree/var/mail tree/empty &&
	printf "root:x:0:0::/root:/bin/sh\n" >tree/etc/passwd &&
	printf "secret\n" >tree/etc/shadow && chmod 0640 tree/etc/shadow &&
	chown 0:42 tree/etc/shadow &&
	printf "#!/bin/sh\necho hi\n" >tree/bin/prog && chmod 0755 tree/bin/prog &&
	ln tree/bin/prog tree/bin/prog-hard &&
	printf "data\n" >tree/usr/lib/libx.so.1 && chown 1234:5678 tree/usr/lib/libx.so.1 &&
	ln -s libx.so.1 tree/usr/lib/libx.so &&
	ln -s usr/lib tree/lib &&
	ln -s /usr/lib/missing.so tree/bin/dangling &&
	chmod 2775 tree/var/mail && chown 0:8 tree/var/mail &&
	chmod 1777 tree/empty &&
	truncate -s 64M tree/var/sparse &&
	printf middle | dd of=tree/var/sparse bs=1 seek=33554432 conv=notrunc 2>/dev/null &&
	python3 -c "import os; os.setxattr(\"tree/etc/passwd\", \"user.pb\", b\"kept\")" &&
	find tree -exec touch -h -d @1600000000 {} + &&
	tar --xattrs --xattrs-include="user.*" --numeric-owner -S -cf good.tar -C tree . &&
	gzip -k good.tar && xz -k good.tar && zstd -q -k good.tar &&
	tar --format=posix --xattrs --xattrs-include="user.*" --numeric-owner -S -cf pax.tar -C tree .
'

test_expect_success 'list and remove before there is a base directory' '
	N list >out 2>err && test_cmp /dev/null err &&
	echo "NAME                                      BYTES NODES  USED BY" >expect &&
	test_cmp expect out &&
	nfs_rc remove good && echo 1 >expect && test_cmp expect rc &&
	grep -F "pureboot nfs remove: no base \"good\": no directory $B" err
'

test_expect_success 'a bad base name is refused before anything is made' '
	for n in Bad .hidden a/b -x "" "$(printf "%065d" 0)" "a b"; do
		nfs_rc import -- "$n" good.tar &&
		echo 1 >expect && test_cmp expect rc &&
		grep -F "pureboot nfs import: base name \"" err || return 1
	done &&
	test ! -e "$PUREBOOT_NFS_ROOT"
'

test_expect_success 'setup: the base directory' '
	mkdir -p "$B" && only_bases
'

test_expect_success '../x is refused, and the entry before it is gone too' '
	refused hostile/dotdot.tar "hostile/dotdot.tar: entry \"../dotdot\" has a '"'..'"' component" &&
	test ! -e "$PUREBOOT_NFS_ROOT/dotdot" && test ! -e "$TRASH/dotdot"
'
test_expect_success 'a/../../x is refused' '
	refused hostile/dotdot-inner.tar "entry \"a/../../dotdot\" has a '"'..'"' component"
'
test_expect_success '/etc/x is refused' '
	refused hostile/etc.tar "entry \"/etc/pb-nfs-import-test\" is an absolute path"
'
test_expect_success 'an absolute path into the outside directory is refused' '
	refused hostile/absolute.tar "is an absolute path"
'
test_expect_success 'a symlink then a file through it is refused' '
	refused hostile/symlink.tar "entry \"l/through\" goes through the symlink \"l\""
'
test_expect_success 'a symlink then a file in its place is refused' '
	refused hostile/symlink-replace.tar "entry \"l\" would replace the symlink of an earlier entry" &&
	test ! -e "$TRASH/outside/replaced"
'
test_expect_success 'a directory then a symlink in its place is refused' '
	refused hostile/dir-replace.tar "entry \"d\" would replace the directory of an earlier entry"
'
test_expect_success 'a hard link to an absolute path outside is refused' '
	refused hostile/hardlink-out.tar "entry \"h\" is a hard link whose target \"" &&
	grep -F "is an absolute path" err
'
test_expect_success 'a hard link through .. is refused' '
	refused hostile/hardlink-dotdot.tar "entry \"h\" is a hard link whose target \"../outside/secret\" has a '"'..'"' component"
'
test_expect_success 'a hard link to a name not (yet) in the archive is refused' '
	refused hostile/hardlink-missing.tar "entry \"h\" is a hard link to \"etc/passwd\", which is not in the base"
'
test_expect_success 'a character device is refused without --allow-devices' '
	refused hostile/device.tar "entry \"dev/null\" is a character device (--allow-devices imports those)"
'
test_expect_success 'a block device is refused without --allow-devices' '
	refused hostile/blockdev.tar "entry \"dev/sda\" is a block device"
'
test_expect_success 'a FIFO is refused without --allow-devices' '
	refused hostile/fifo.tar "entry \"run/fifo\" is a FIFO"
'
test_expect_success 'a set-uid file is refused without --allow-setid' '
	refused hostile/setuid.tar "entry \"bin/su\" is set-uid (mode 4755; --allow-setid imports those)"
'
test_expect_success 'a set-gid file is refused without --allow-setid' '
	refused hostile/setgid.tar "entry \"bin/wall\" is set-gid (mode 2755"
'
test_expect_success 'file capabilities are refused without --allow-setid' '
	refused hostile/caps.tar "entry \"bin/ping\" has file capabilities (security.capability; --allow-setid imports those)"
'
test_expect_success 'a trusted.* xattr is refused' '
	refused hostile/trusted.tar "entry \"etc/opaque\" has the extended attribute \"trusted.overlay.opaque\", which an import never restores"
'
test_expect_success 'a header claiming 10 GiB in a small archive is refused' '
	refused hostile/huge.tar "entry \"huge\" claims 10737418240 bytes of data, more than the " &&
	grep -F "within the size of hostile/huge.tar (not compressed)" err
'
test_expect_success 'a sparse header whose map claims 10 GiB is refused' '
	refused hostile/sparse-claim.tar "entry \"sparse\" claims 10737418240 bytes of data"
'
test_expect_success 'the 10 GiB claim compressed: refused when the data runs out' '
	refused hostile/huge.tar.gz "hostile/huge.tar.gz"
'
test_expect_success 'a file that is not there is refused' '
	refused nonexistent.tar "\"nonexistent.tar\": No such file or directory"
'

test_expect_success 'SIGTERM in the middle: the temporary tree is removed' '
	{ python3 -c "import tarfile, sys; t = tarfile.TarInfo(\"zeros\"); t.size = 8 << 30; sys.stdout.buffer.write(t.tobuf(tarfile.GNU_FORMAT))" &&
	  head -c $(((8 << 30) + 10240)) /dev/zero; } | zstd -1 -q -T2 -o zeros.tar.zst &&
	# 8 GiB of zeros in 300 kB: seconds of work (holes, not writes),
	# which the signal lands in the middle of.
	{ "$PB_BUILD/pureboot" nfs import evil zeros.tar.zst >out 2>err & echo $! >pid; } &&
	test_when_finished "kill \"\$(cat pid)\" 2>/dev/null || :" &&
	wait_for "the temporary tree" 60 sh -c "ls -d \"\$1\"/.evil.tmp-* 2>/dev/null" sh "$B" &&
	kill -TERM "$(cat pid)" &&
	rc=0 && wait "$(cat pid)" || rc=$? &&
	test "$rc" = 1 &&
	grep -F "pureboot nfs import: interrupted by signal 15" err &&
	bases_are kept && rm zeros.tar.zst
'

test_expect_success 'devices and FIFOs with --allow-devices, set-uid with --allow-setid' '
	nfs_rc import --allow-devices devs hostile/device.tar &&
	echo 0 >expect && test_cmp expect rc &&
	stat -c "%F %t:%T %a" "$B/devs/dev/null" >actual &&
	echo "character special file 1:3 666" >expect && test_cmp expect actual &&
	nfs_rc import --allow-devices fifo hostile/fifo.tar &&
	test -p "$B/fifo/run/fifo" &&
	nfs_rc import --allow-setid suid hostile/setuid.tar &&
	echo 0 >expect && test_cmp expect rc &&
	stat -c %a "$B/suid/bin/su" >actual && echo 4755 >expect && test_cmp expect actual &&
	N remove devs && N remove fifo && N remove suid && only_bases
'

test_expect_success 'without the database import refuses and leaves nothing' '
	rc=0 &&
	PUREBOOT_DB="host=/nonexistent dbname=none" N import good good.tar >out 2>err || rc=$? &&
	test "$rc" = 1 &&
	grep -F "pureboot nfs import: database: " err &&
	only_bases
'

test_expect_success 'a good tree is imported byte-identical' '
	nfs_rc import good good.tar &&
	echo 0 >expect && test_cmp expect rc &&
	grep "^imported base \"good\" into .*/base/good: 1[0-9] entries" out &&
	test_cmp /dev/null err &&
	tar --compare --numeric-owner --xattrs -f good.tar -C "$B/good" &&
	meta tree >expect && meta "$B/good" >actual && test_cmp expect actual &&
	python3 -c "import os; print(os.getxattr(\"$B/good/etc/passwd\", \"user.pb\"))" >actual &&
	echo "b'"'kept'"'" >expect && test_cmp expect actual &&
	test "$(stat -c %i "$B/good/bin/prog")" = "$(stat -c %i "$B/good/bin/prog-hard")" &&
	test "$(stat -c %b "$B/good/var/sparse")" -lt 1024 &&
	cmp tree/var/sparse "$B/good/var/sparse" &&
	echo good >kept && only_bases good
'

test_expect_success '.tar.gz, .tar.xz and .tar.zst are imported the same' '
	for z in gz xz zst; do
		N import "good-$z" "good.tar.$z" >out &&
		tar --compare --numeric-owner --xattrs -f good.tar -C "$B/good-$z" &&
		meta "$B/good-$z" >actual && meta tree >expect &&
		test_cmp expect actual || return 1
	done &&
	only_bases good good-gz good-xz good-zst
'

test_expect_success 'a POSIX (pax) archive, sparse map 1.0 and xattrs in its headers, the same' '
	N import good-pax pax.tar >out &&
	tar --compare --numeric-owner --xattrs -f pax.tar -C "$B/good-pax" &&
	meta "$B/good-pax" >actual && meta tree >expect && test_cmp expect actual &&
	test "$(stat -c %b "$B/good-pax/var/sparse")" -lt 1024 &&
	N remove good-pax >out && only_bases good good-gz good-xz good-zst
'

test_expect_success 'a refused replacement leaves the base as it was' '
	nfs_rc import good-zst hostile/symlink.tar &&
	echo 1 >expect && test_cmp expect rc &&
	tar --compare --numeric-owner --xattrs -f good.tar -C "$B/good-zst" &&
	only_bases good good-gz good-xz good-zst
'

test_expect_success 'setup: d83add36 boots base good; d83add37 boots good-${serial}' '
	wf_add nfs-good aarch64 "{\"install_method\":\"nfs\",\"nfs_server\":\"10.0.0.1\",\"nfs_base_path\":\"/srv/nfsroot/base\",\"nfs_image\":\"good\"}" &&
	wf_add nfs-per aarch64 "{\"install_method\":\"nfs\",\"nfs_server\":\"10.0.0.1\",\"nfs_base_path\":\"/srv/nfsroot/base\",\"nfs_image\":\"good-\${serial}\"}" &&
	db_psql -c "INSERT INTO pureboot.nodes (serial, arch, boot_mode, workflow_id)
		VALUES ('"'d83add36'"', '"'aarch64'"', '"'pi'"', '"'nfs-good'"'),
		       ('"'d83add37'"', '"'aarch64'"', '"'pi'"', '"'nfs-per'"'),
		       ('"'d83add38'"', '"'aarch64'"', '"'pi'"', '"'nfs-good'"')" &&
	db_psql -c "UPDATE pureboot.nodes SET state = '"'retired'"' WHERE serial = '"'d83add38'"'" &&
	db_psql -c "SELECT serial, state FROM pureboot.nodes ORDER BY serial" >actual &&
	cat >expect <<-\EOF &&
	d83add36|discovered
	d83add37|discovered
	d83add38|retired
	EOF
	test_cmp expect actual
'

test_expect_success 'list: each base, its size on disk, the nodes using it' '
	nfs_rc list --json && echo 0 >expect && test_cmp expect rc &&
	jq -c ".usage_known, [.bases[] | [.name, .nodes, .users]]" out >actual &&
	cat >expect <<-\EOF &&
	true
	[["good",1,["d83add36"]],["good-gz",0,[]],["good-xz",0,[]],["good-zst",0,[]]]
	EOF
	test_cmp expect actual &&
	jq ".bases[0].bytes" out >bytes &&
	du -s -B1 "$B/good" | cut -f1 >expect && test_cmp expect bytes &&
	nfs_rc list && test_cmp /dev/null err &&
	sed -n "1p" out | grep "^NAME  *BYTES  *NODES  USED BY$" &&
	grep "^good  *[0-9][0-9]*  *1  d83add36$" out &&
	grep "^good-gz  *[0-9][0-9]*  *0  -$" out
'

test_expect_success 'list: a base named by a variable counts for its node' '
	N import good-d83add37 good.tar >/dev/null &&
	N list --json >out &&
	jq -r ".bases[] | select(.name == \"good-d83add37\") | .users[]" out >actual &&
	echo d83add37 >expect && test_cmp expect actual &&
	N remove --force good-d83add37 >out 2>err &&
	grep -F "warning: removing base \"good-d83add37\" used by 1 node (d83add37)" err
'

test_expect_success 'list without the database: sizes, and usage unknown' '
	rc=0 &&
	PUREBOOT_DB="host=/nonexistent dbname=none" N list >out 2>err || rc=$? &&
	test "$rc" = 0 &&
	grep -F "pureboot nfs list: node usage unknown (no database)" err &&
	grep "^good  *[0-9][0-9]*  *?  unknown$" out &&
	PUREBOOT_DB="host=/nonexistent dbname=none" N list --json >out 2>/dev/null &&
	jq -c ".usage_known, .bases[0].nodes" out >actual &&
	printf "false\nnull\n" >expect && test_cmp expect actual
'

test_expect_success 'replacing a base a node uses is refused without --force' '
	echo new >tree/etc/new &&
	tar --numeric-owner -S -cf good2.tar -C tree . &&
	ino=$(stat -c %i "$B/good") &&
	nfs_rc import good good2.tar &&
	echo 1 >expect && test_cmp expect rc &&
	grep -F "pureboot nfs import: base \"good\" is used by 1 node (d83add36): --force replaces it under them" err &&
	test "$(stat -c %i "$B/good")" = "$ino" &&
	test ! -e "$B/good/etc/new" &&
	tar --compare --numeric-owner -f good.tar -C "$B/good" &&
	only_bases good good-gz good-xz good-zst
'

test_expect_success '--force swaps the new tree in, the old one is removed' '
	ino=$(stat -c %i "$B/good") &&
	nfs_rc import --force good good2.tar &&
	echo 0 >expect && test_cmp expect rc &&
	grep -F "warning: replacing base \"good\" used by 1 node (d83add36)" err &&
	test "$(stat -c %i "$B/good")" != "$ino" &&
	tar --compare --numeric-owner -f good2.tar -C "$B/good" &&
	only_bases good good-gz good-xz good-zst
'

test_expect_success 'an unused base is replaced without --force' '
	nfs_rc import good-gz good2.tar && echo 0 >expect && test_cmp expect rc &&
	test -f "$B/good-gz/etc/new" && only_bases good good-gz good-xz good-zst
'

test_expect_success 'remove: refused while a node uses it, forced, unused, missing' '
	nfs_rc remove good && echo 1 >expect && test_cmp expect rc &&
	grep -F "pureboot nfs remove: base \"good\" is used by 1 node (d83add36): --force removes it under them" err &&
	test -d "$B/good" &&
	rc=0 && PUREBOOT_DB="host=/nonexistent dbname=none" N remove good-xz 2>err || rc=$? &&
	test "$rc" = 1 && grep -F "pureboot nfs remove: database: " err && test -d "$B/good-xz" &&
	nfs_rc remove good-xz && echo 0 >expect && test_cmp expect rc &&
	grep -F "removed base \"good-xz\" from " out &&
	nfs_rc remove --force good && echo 0 >expect && test_cmp expect rc &&
	nfs_rc remove good && echo 1 >expect && test_cmp expect rc &&
	grep -F "pureboot nfs remove: no base \"good\" in " err &&
	nfs_rc remove ../x && echo 1 >expect && test_cmp expect rc &&
	grep -F "base name \"../x\"" err &&
	only_bases good-gz good-zst
'

test_expect_success 'import speed: 200 MB in 2000 files' '
	random_tree big 10000000 100000 &&
	tar -cf big.tar -C big . &&
	N import bench big.tar >bench.out &&
	tar --compare -f big.tar -C "$B/bench" &&
	zstd -q -1 big.tar &&
	N import bench big.tar.zst >>bench.out &&
	N remove bench && rm -rf big big.tar big.tar.zst
'

test_expect_success 'import speed: 20000 files of 4 kB' '
	random_tree small 4096000 4096 &&
	tar -cf small.tar -C small . &&
	N import bench small.tar >>bench.out &&
	tar --compare -f small.tar -C "$B/bench" &&
	N remove bench && rm -rf small small.tar
'
sed "s/^/# /" bench.out 2>/dev/null || :

test_done
