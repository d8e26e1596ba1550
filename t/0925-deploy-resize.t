#!/bin/sh
test_description='on a loop device: resize_rootfs grows the last partition and its ext4; a failed deploy wipes both partition tables'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/deploy-lib.sh"

[ "$(id -u)" = 0 ] || test_skip_all "loop devices need root"
losetup -f >/dev/null 2>&1 || test_skip_all "no free loop device"

test_expect_success 'setup: busybox applets, a 12 MiB image with FAT and ext4' '
	bb_path &&
	truncate -s 12M disk.img &&
	printf "%s\n" "label: dos" "start=2048, size=12288, type=c" "start=14336, type=83" |
		sfdisk -q disk.img &&
	truncate -s 5M root.ext4 && mkfs.ext4 -q -L root root.ext4 &&
	echo hello >hello && debugfs -w -R "write hello hello" root.ext4 >/dev/null 2>&1 &&
	dd if=root.ext4 of=disk.img bs=512 seek=14336 conv=notrunc 2>/dev/null
'

test_expect_success 'on a 32 MiB disk the root partition and filesystem fill it' '
	cp disk.img disk32.img && truncate -s 32M disk32.img &&
	dev=$(losetup -f --show -P disk32.img) &&
	test_when_finished "losetup -d $dev" &&
	agent_sh ". \"\$PB_TOP/initramfs/agent/install.sh\"; pb_resize_rootfs $dev" &&
	sfdisk -d "$dev" | sed -n "s|^$dev.*2 : start= *\([0-9]*\), size= *\([0-9]*\),.*|\1 \2|p" >actual &&
	echo "14336 51200" >expect &&
	test_cmp expect actual &&
	dumpe2fs -h "${dev}p2" 2>/dev/null | sed -n "s/^Block count: *//p" >blocks &&
	dumpe2fs -h "${dev}p2" 2>/dev/null | sed -n "s/^Block size: *//p" >bsize &&
	test $(($(cat blocks) * $(cat bsize))) -eq $((51200 * 512)) &&
	debugfs -R "cat hello" "${dev}p2" 2>/dev/null >got &&
	test_cmp hello got &&
	grep -q "resize: partition 2 grown to the end of $dev" run/log
'

test_expect_success 'a failed deploy over an old GPT system: first and last MiB zero, no table left' '
	www_start && cp disk.img "$TRASH/www/disk.img" &&
	truncate -s 32M old.img &&
	printf "%s\n" "label: gpt" "start=2048, size=20480, type=uefi" "type=linux" |
		sfdisk -q old.img &&
	dev=$(losetup -f --show -P old.img) &&
	test_when_finished "losetup -d $dev" &&
	sfdisk -d "$dev" >/dev/null &&
	bad=0000000000000000000000000000000000000000000000000000000000000000 &&
	! agent_sh "pb_deploy_image \"\$WWW_URL/disk.img\" $bad raw $dev" &&
	grep -q "^sha256 mismatch (raw): expected $bad" run/deploy/reason &&
	grep -q "deploy: wiped the first and last MiB of $dev" run/log &&
	head -c 1048576 /dev/zero >zero.mib &&
	head -c 1048576 "$dev" | cmp - zero.mib &&
	tail -c 1048576 "$dev" | cmp - zero.mib &&
	! sfdisk -d "$dev" >sfdisk.out 2>&1 &&
	grep -q "does not contain a recognized partition table" sfdisk.out &&
	! test -b "${dev}p1"
'

test_done
