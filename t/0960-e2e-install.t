#!/bin/sh
test_description='end to end in QEMU: a fresh Pi registers, the operator assigns a workflow over HTTP, the agent installs an xz image to a virtio disk with first-boot files and reports installed; a wrong sha256 ends install_failed and wipes the disk'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/deploy-lib.sh"
. "$PB_TOP/t/lib-api.sh"

[ -s "$DEPLOY_DIR/initramfs.img" ] || test_skip_all "no $DEPLOY_DIR/initramfs.img: run make (make initramfs)"
api_start
www_start || { echo "Bail out! nginx for the images did not start"; exit 1; }

# state SERIAL: the node's state, over HTTP as the operator sees it.
state() {
	op GET "/api/v1/nodes/$(node_id "$1")" >.st && jget .st .state
}

# assign SERIAL WORKFLOW: what an operator does over HTTP.
assign() {
	id=$(node_id "$1") &&
	echo "{\"workflow_id\":\"$2\"}" >p.json &&
	op_body PATCH "/api/v1/nodes/$id" p.json >out &&
	test "$(jget out .workflow_id)" = "$2" &&
	echo "{\"to\":\"pending\",\"comment\":\"e2e\"}" >t.json &&
	op_body POST "/api/v1/nodes/$id/transition" t.json >out &&
	test "$(jget out .state)" = pending
}

# The guest reaches the API as http://10.0.2.100 (qemu_start): the
# callback and events URLs in the instructions must say so.
test_expect_success 'setup: operator, server_url, a two-partition image, workflows' '
	api_operator &&
	echo "{\"server_url\":\"http://10.0.2.100\"}" >s.json &&
	op_body PATCH /api/v1/settings s.json >out &&
	test "$(jget out .server_url)" = http://10.0.2.100 &&
	truncate -s 12M disk.img &&
	printf "%s\n" "label: dos" "start=2048, size=12288, type=c" "start=14336, type=83" |
		sfdisk -q disk.img &&
	truncate -s 6M boot.fat && mkfs.vfat -n BOOT boot.fat >/dev/null &&
	echo "arm_64bit=1" >config.txt &&
	MTOOLS_SKIP_CHECK=1 mcopy -i boot.fat config.txt ::config.txt &&
	truncate -s 5M root.ext4 && mkfs.ext4 -q -L root root.ext4 &&
	dd if=boot.fat of=disk.img bs=512 seek=2048 conv=notrunc 2>/dev/null &&
	dd if=root.ext4 of=disk.img bs=512 seek=14336 conv=notrunc 2>/dev/null &&
	xz -T1 -3 -c disk.img >"$TRASH/www/disk.img.xz" &&
	sha=$(sha256sum "$TRASH/www/disk.img.xz" | cut -d" " -f1) &&
	wf_add e2e-image aarch64 "{\"id\":\"e2e-image\",\"name\":\"e2e-image\",\"arch\":\"aarch64\",\"install_method\":\"image\",\"image_url\":\"http://10.0.2.101/disk.img.xz\",\"image_sha256\":\"$sha\",\"target_device\":\"/dev/vda\",\"post_install\":[\"enable_ssh\"]}" &&
	bad=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef &&
	wf_add e2e-badsum aarch64 "{\"id\":\"e2e-badsum\",\"name\":\"e2e-badsum\",\"arch\":\"aarch64\",\"install_method\":\"image\",\"image_url\":\"http://10.0.2.101/disk.img.xz\",\"image_sha256\":\"$bad\",\"target_device\":\"/dev/vda\"}" &&
	truncate -s 32M vda.img && truncate -s 32M vdb.img
'

test_expect_success 'install: register, assign over HTTP, deploy, first-boot files, installed, reboot' '
	start=$(date +%s) &&
	qemu_start one "pureboot.serial=e2e00001 pureboot.model=pi4 pureboot.poll=2" "$TRASH/vda.img" &&
	qemu_wait one "pureboot: registered" 90 &&
	test "$(state e2e00001)" = discovered &&
	assign e2e00001 e2e-image &&
	qemu_wait one "action install" 60 &&
	qemu_exit one 240 "install failed" &&
	echo "# install run: $(($(date +%s) - start)) s from power-on to reboot" &&
	grep -q "pureboot: install: instructions fetched: install workflow e2e-image, attempt 1" "$TRASH/one.console" &&
	grep -q "pureboot: installed: http://10.0.2.101/disk.img.xz on /dev/vda" "$TRASH/one.console" ||
	{ cat "$TRASH/one.console"; false; }
'

test_expect_success 'the node is installed, with the events of the install' '
	test "$(state e2e00001)" = installed &&
	op GET "/api/v1/nodes/$(node_id e2e00001)/events" >out &&
	jget out ".events[].type" | grep -v install_progress | sort >types &&
	printf "%s\n" install_complete install_started registered >expect &&
	test_cmp expect types &&
	jget out ".events[].type" >alltypes && ! grep -q install_failed alltypes
'

test_expect_success 'the disk holds the image byte for byte, but for the first-boot files' '
	cmp -n 1048576 disk.img vda.img &&
	dd if=vda.img of=root.back bs=512 skip=14336 count=10240 2>/dev/null &&
	cmp root.ext4 root.back &&
	MTOOLS_SKIP_CHECK=1 mtype -i vda.img@@1048576 ::config.txt >got &&
	test_cmp config.txt got &&
	# Every byte that differs lies in the FAT partition (1 MiB + 6 MiB),
	# where the first-boot files went.
	{ cmp -l -n 12582912 disk.img vda.img >diff || test $? = 1; } &&
	awk "\$1 <= 1048576 || \$1 > 7340032" diff >outside &&
	test_cmp /dev/null outside
'

test_expect_success 'the first-boot files the agent wrote are on the FAT partition' '
	# (the serial console ends its lines with CR LF)
	tr -d "\r" <"$TRASH/one.console" |
		sed -n "s/^.* pureboot: firstboot: wrote \([^ ]*\) (.*) to the boot partition at sector 2048\$/\1/p" \
		>written &&
	test -s written &&
	# The workflow resolver (lib/wf/wf_firstboot.c) turns enable_ssh
	# into an "ssh" file.
	grep -qx ssh written &&
	while read -r f; do
		MTOOLS_SKIP_CHECK=1 mtype -i vda.img@@1048576 "::$f" >/dev/null || return 1
	done <written
'

test_expect_success 'a wrong sha256 ends install_failed with the reason, the disk wiped, and the agent waits' '
	printf "%s\n" "label: gpt" "start=2048, size=20480, type=uefi" "type=linux" |
		sfdisk -q vdb.img &&
	qemu_start two "pureboot.serial=e2e00002 pureboot.model=pi4 pureboot.poll=2" "$TRASH/vdb.img" 52:54:00:12:34:57 &&
	qemu_wait two "pureboot: registered" 90 &&
	assign e2e00002 e2e-badsum &&
	qemu_wait two "install failed: sha256 mismatch (compressed)" 120 &&
	qemu_wait two "state install_failed, action wait" 60 &&
	qemu_stop two &&
	test "$(state e2e00002)" = install_failed &&
	op GET "/api/v1/nodes/$(node_id e2e00002)/events" >out &&
	jget out ".events[] | select(.type == \"install_failed\") | .payload.reason" >reason &&
	grep "^sha256 mismatch (compressed): expected 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, got " reason &&
	jget out ".events[] | select(.type == \"install_failed\") | .payload.log" >log &&
	grep -q "deploy: http://10.0.2.101/disk.img.xz -> /dev/vda" log &&
	grep -q "deploy: wiped the first and last MiB of /dev/vda" log &&
	head -c 1048576 /dev/zero >zero.mib &&
	head -c 1048576 vdb.img | cmp - zero.mib &&
	tail -c 1048576 vdb.img | cmp - zero.mib &&
	! sfdisk -d vdb.img >/dev/null 2>&1
'

test_done
