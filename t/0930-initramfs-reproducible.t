#!/bin/sh
test_description='initramfs/build is reproducible: the same packages, sources and SOURCE_DATE_EPOCH give the same bytes'
. "${0%/*}/lib.sh"

built=$PB_BUILD/deploy-arm64
[ -s "$built/manifest.txt" ] || test_skip_all "no $built: run make (make initramfs)"

# Two builds here, not one against build/: build/ may come from an
# uncommitted tree whose build id ("-modified") has changed since.
test_expect_success 'two builds from the cache are equal, byte for byte' '
	for d in one two; do
		SOURCE_DATE_EPOCH=1700000000 "$PB_TOP/initramfs/build" "$TRASH/$d" >build.out 2>&1 ||
		{ cat build.out; return 1; }
	done &&
	cmp "$TRASH/one/initramfs.img" "$TRASH/two/initramfs.img" &&
	cmp "$TRASH/one/kernel8.img" "$TRASH/two/kernel8.img" &&
	test_cmp "$TRASH/one/manifest.txt" "$TRASH/two/manifest.txt" &&
	grep -qx "source_date_epoch 1700000000" "$TRASH/one/manifest.txt"
'

test_expect_success 'the archive has /dev/console, /init and no file owned by anyone but root' '
	zstd -dc "$built/initramfs.img" >cpio &&
	# GNU cpio stops at the first trailer; /dev/console is in the second
	# archive, after the first one'"'"'s 512-byte blocks.
	cpio -itv <cpio >list 2>blocks &&
	n=$(sed -n "s/^\([0-9]*\) blocks\$/\1/p" blocks) &&
	tail -c +$((n * 512 + 1)) cpio | cpio -itv >>list 2>/dev/null &&
	grep -E "^crw------- +1 root +root +5, +1 .* dev/console$" list &&
	grep -E "^-rwxr-xr-x +1 root +root .* init$" list &&
	! grep -Ev "^[-a-z]{10} +[0-9]+ root +root " list
'

test_expect_success 'the initramfs is under 16 MiB' '
	test "$(wc -c <"$built/initramfs.img")" -lt 16777216
'

test_done
