#!/bin/sh
test_description='initramfs/build is reproducible: the same packages, sources and SOURCE_DATE_EPOCH give the same bytes'
. "${0%/*}/lib.sh"

built=$PB_BUILD/deploy-arm64
[ -s "$built/manifest.txt" ] || test_skip_all "no $built: run make (make initramfs)"

test_expect_success 'a second build from the cache equals the first, byte for byte' '
	sde=$(sed -n "s/^source_date_epoch //p" "$built/manifest.txt") &&
	SOURCE_DATE_EPOCH=$sde "$PB_TOP/initramfs/build" "$TRASH/again" >build.out 2>&1 ||
	{ cat build.out; false; } &&
	cmp "$built/initramfs.img" "$TRASH/again/initramfs.img" &&
	cmp "$built/kernel8.img" "$TRASH/again/kernel8.img" &&
	test_cmp "$built/manifest.txt" "$TRASH/again/manifest.txt"
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
