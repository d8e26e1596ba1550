#!/bin/sh
test_description='the TFTP tree on a full filesystem: the hook keeps the old tree, logs the cause, catches up when space returns'
[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP needs root (network and mount namespaces, tmpfs)"; exit 0; }
# A mount namespace too: the small tmpfs goes away with the test.
[ -n "${PB_STORM_NS:-}" ] || PB_STORM_NS=1 exec unshare --net --mount --propagation private -- sh "$0" "$@"
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-storm.sh"

npis=20
mkdir -p "$TRASH/fs"
if ! mount -t tmpfs -o size=64m,mode=0755 pbtree "$TRASH/fs"; then
	echo "Bail out! cannot mount a tmpfs"
	exit 1
fi
test_atexit "umount -l '$TRASH/fs'"
PB_TFTP_ROOT=$TRASH/fs/tftp
export PB_TFTP_ROOT
storm_up || { echo "Bail out! the stack did not start"; exit 1; }

# Every file and link of the tree with its content, as text.
snap() {
	(cd "$root" && find . \( -type f -o -type l \) ! -name .pureboot-manifest | sort |
		while read -r f; do
			if [ -L "$f" ]; then echo "$f -> $(readlink "$f")"; else echo "$f $(md5sum <"$f")"; fi
		done)
}

test_expect_success "setup: $npis Pis on a 64 MB tmpfs tree, then the filesystem filled" '
	storm_seed a1 $npis && storm_ready a1 && sleep 1 &&
	snap >before &&
	{ dd if=/dev/zero of="$TRASH/fs/filler" bs=64k 2>/dev/null || :; } &&
	test "$(df --output=avail "$TRASH/fs" | tail -n 1)" -lt 64
'

test_expect_success 'changes while full: the hook logs the cause and keeps the old tree whole' '
	: >"$TRASH/mark" && wc -l <"$PB_STATE/log/hook.log" >hook.mark &&
	db_psql -c "UPDATE pureboot.nodes SET hostname = '"'"'h'"'"' || serial WHERE state = '"'"'discovered'"'"'" &&
	db_psql -c "INSERT INTO pureboot.nodes (serial, mac, arch, boot_mode, pi_model, known_addr) VALUES ('"'"'a1ffffff'"'"', '"'"'02:5b:a1:ff:ff:ff'"'"', '"'"'aarch64'"'"', '"'"'pi'"'"', '"'"'pi4'"'"', '"'"'127.10.9.9'"'"')" &&
	wait_for "No space left on device in the hook log" 60 has "$PB_STATE/log/hook.log" "No space left on device" &&
	sleep 2 &&
	snap >during && test_cmp before during &&
	! find "$root" -name ".*.tmp.*" | grep . &&
	storm_tree_ready a1
'

test_expect_success 'space back: the hook catches up by itself (retry in 5 s), nothing left behind' '
	rm -f "$TRASH/fs/filler" &&
	wait_for "the new node a1ffffff in the tree" 60 test -s "$root/a1ffffff/config.txt" &&
	wait_for "the hostnames in cmdline.txt" 60 sh -c "grep -l hostname=ha1 \"$root\"/a1*/cmdline.txt | grep ." &&
	storm_tree_ready a1 && storm_tree_check
'

test_done
