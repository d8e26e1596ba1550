#!/bin/sh
test_description='agent functions under busybox sh: command line, boot answer check, identity, partitions, a whole install into an image file with first-boot files; against the real API: a 409 from register-pi waited out, the instructions fetched with the token'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/deploy-lib.sh"

www_start || { echo "Bail out! nginx for the images did not start"; exit 1; }

test_expect_success 'setup: busybox applets' '
	bb_path
'

test_expect_success 'kernel command line: key by key, last wins, no eval' '
	printf "%s\n" "console=ttyAMA0 pureboot.server=http://10.0.0.1:8080 pureboot.serial=X pureboot.serial=d83add36 pureboot.shell pureboot.x=\$(reboot) quiet" >cmdline &&
	PUREBOOT_CMDLINE=$PWD/cmdline ag "
		pb_cmdline server; pb_cmdline serial; pb_cmdline shell; pb_cmdline x
		pb_cmdline missing || echo missing" >actual &&
	cat >expect <<-\EOF &&
	http://10.0.0.1:8080
	d83add36
	1
	$(reboot)
	missing
	EOF
	test_cmp expect actual
'

test_expect_success 'device-tree model strings map to the database names' '
	cat >models <<-\EOF &&
	Raspberry Pi 3 Model B Rev 1.2|pi3
	Raspberry Pi 3 Model B Plus Rev 1.3|pi3+
	Raspberry Pi Compute Module 3 Plus Rev 1.0|cm3
	Raspberry Pi 4 Model B Rev 1.4|pi4
	Raspberry Pi 400 Rev 1.0|pi400
	Raspberry Pi Compute Module 4 Rev 1.0|cm4
	Raspberry Pi 5 Model B Rev 1.0|pi5
	Raspberry Pi Compute Module 5 Rev 1.0|cm5
	Raspberry Pi 500 Rev 1.0|pi500
	linux,dummy-virt|-
	EOF
	ag "while IFS=\"|\" read -r m want; do
		got=\$(pb_model_name \"\$m\" || echo -)
		printf \"%s|%s\n\" \"\$m\" \"\$got\"
	done <models" >actual &&
	test_cmp models actual
'

test_expect_success 'partition names: p for names ending in a digit' '
	ag "pb_part /dev/mmcblk0 1; pb_part /dev/nvme0n1 2; pb_part /dev/sda 1; pb_part /dev/vda 2; pb_part /dev/loop3 1" >actual &&
	printf "%s\n" /dev/mmcblk0p1 /dev/nvme0n1p2 /dev/sda1 /dev/vda2 /dev/loop3p1 >expect &&
	test_cmp expect actual
'

test_expect_success 'JSON strings: quotes, backslashes, tabs, newlines, control bytes' '
	ag "pb_json_str \"\$(printf \"a\\\"b\\\\\\\\c\\td\\001e\\nf\")\"; echo" >actual &&
	printf "%s\n" "\"a\\\"b\\\\c\\tde\\nf\"" >expect &&
	test_cmp expect actual
'

test_expect_success 'a good boot answer passes the check and is sourced' '
	cat >answer <<-\EOF &&
	PB_STATE='"'"'installing'"'"'
	PB_ACTION='"'"'install'"'"'
	PB_MESSAGE='"'"'installing raspios-lite (attempt 1/3)'"'"'
	PB_NODE_ID='"'"'0b4e7a3c-1f2d-4c5b-9a8e-7d6c5b4a3f21'"'"'
	PB_TOKEN='"'"'pbi1.abcDEF_123-xyz'"'"'
	PB_IMAGE_URL='"'"'http://10.0.0.1/images/raspios.img.xz'"'"'
	PB_IMAGE_SHA256='"'"'0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'"'"'
	PB_IMAGE_SHA256_OF='"'"'compressed'"'"'
	PB_IMAGE_VERIFY='"'"'sha256'"'"'
	PB_TARGET_DEVICE='"'"'/dev/mmcblk0'"'"'
	PB_RESIZE_ROOTFS='"'"'1'"'"'
	PB_FILES='"'"'1'"'"'
	PB_FILE_1_PART='"'"'boot'"'"'
	PB_FILE_1_PATH='"'"'user-data'"'"'
	PB_FILE_1_MODE='"'"'0644'"'"'
	PB_FILE_1_B64='"'"'aGVsbG8K'"'"'
	PB_FUTURE_KEY='"'"'whatever'"'"'
	EOF
	ag "pb_env_check answer && . \"\$pb_env_file\" &&
		echo \"\$PB_ACTION \$PB_TARGET_DEVICE \$PB_IMAGE_VERIFY \${PB_FUTURE_KEY:-unset}\" &&
		pb_env_get PB_FILE_1_B64" >actual &&
	printf "%s\n" "install /dev/mmcblk0 sha256 unset" aGVsbG8K >expect &&
	test_cmp expect actual &&
	grep -q "unknown key PB_FUTURE_KEY ignored" run/log
'

test_expect_success 'bad boot answers are refused whole, with the line' '
	env_refused <<-\EOF
	PB_ACTION='"'"'rm -rf /'"'"'|line 2: PB_ACTION value does not match
	PB_IMAGE_URL='"'"'http://x/$(reboot)'"'"'|line 2: PB_IMAGE_URL value does not match
	PB_IMAGE_URL='"'"'http://x/a'"'"';reboot|line 2 is not PB_KEY
	PB_TARGET_DEVICE='"'"'/dev/sda; reboot'"'"'|line 2: PB_TARGET_DEVICE value does not match
	PB_IMAGE_SHA256='"'"'ABC'"'"'|line 2: PB_IMAGE_SHA256 value does not match
	PB_IMAGE_VERIFY='"'"'none;reboot'"'"'|line 2: PB_IMAGE_VERIFY value does not match
	pb_run='"'"'/tmp'"'"'|line 2 is not PB_KEY
	PB_RETRY_AFTER='"'"'10s'"'"'|line 2: PB_RETRY_AFTER value does not match
	PB_FILE_1_PATH='"'"'../../etc/passwd'"'"'|PB_FILE_1_PATH value does not match
	export PB_X=1|line 2 is not PB_KEY
	EOF
'

test_expect_success 'setup: a two-partition disk image (FAT boot, ext4 root) as xz' '
	truncate -s 40M disk.img &&
	printf "%s\n" "label: dos" "start=2048, size=16384, type=c" "start=18432, type=83" |
		sfdisk -q disk.img &&
	truncate -s 8M boot.fat && mkfs.vfat -n BOOT boot.fat >/dev/null &&
	echo "arm_64bit=1" >config.txt && MTOOLS_SKIP_CHECK=1 mcopy -i boot.fat config.txt ::config.txt &&
	truncate -s 31M root.ext4 && mkfs.ext4 -q -L root root.ext4 &&
	dd if=boot.fat of=disk.img bs=512 seek=2048 conv=notrunc 2>/dev/null &&
	dd if=root.ext4 of=disk.img bs=512 seek=18432 conv=notrunc 2>/dev/null &&
	xz -T1 -3 -c disk.img >"$TRASH/www/disk.img.xz"
'

test_expect_success 'a whole install into an image file: events, files, callback' '
	: >target.img &&
	sha=$(sha256sum "$TRASH/www/disk.img.xz" | cut -d" " -f1) &&
	cat >answer <<-EOF &&
	PB_STATE='"'"'installing'"'"'
	PB_ACTION='"'"'install'"'"'
	PB_TOKEN='"'"'pbi1.test'"'"'
	PB_INSTALL_METHOD='"'"'image'"'"'
	PB_IMAGE_URL='"'"'$WWW_URL/disk.img.xz'"'"'
	PB_IMAGE_SHA256='"'"'$sha'"'"'
	PB_IMAGE_SHA256_OF='"'"'compressed'"'"'
	PB_TARGET_DEVICE='"'"'$PWD/target.img'"'"'
	PB_EVENTS_URL='"'"'$WWW_URL/events/'"'"'
	PB_CALLBACK_URL='"'"'$WWW_URL/events/installed'"'"'
	PB_FILES='"'"'2'"'"'
	PB_FILE_1_PART='"'"'boot'"'"'
	PB_FILE_1_PATH='"'"'user-data'"'"'
	PB_FILE_1_MODE='"'"'0644'"'"'
	PB_FILE_1_B64='"'"'$(printf "#cloud-config\nhostname: pi-1\n" | base64 -w0)'"'"'
	PB_FILE_2_PART='"'"'boot'"'"'
	PB_FILE_2_PATH='"'"'ssh'"'"'
	PB_FILE_2_MODE='"'"'0644'"'"'
	PB_FILE_2_B64='"'"''"'"'
	EOF
	PUREBOOT_FILE_TARGET=1 ag "pb_env_check answer && . \"\$pb_env_file\" && pb_install" &&
	grep -v install_progress run/events | sed "s/,\"key\":\"[0-9a-f-]\{36\}\"}\$/}/" >types &&
	printf "%s\n" "{\"type\":\"install_started\"}" "{\"type\":\"install_complete\"}" >expect &&
	test_cmp expect types &&
	jq -r .key run/events | sort -u | grep -c "^[0-9a-f-]\{36\}\$" >keys &&
	wc -l <run/events >n && test_cmp n keys &&
	MTOOLS_SKIP_CHECK=1 mtype -i target.img@@1048576 ::user-data >got &&
	printf "#cloud-config\nhostname: pi-1\n" >want && test_cmp want got &&
	MTOOLS_SKIP_CHECK=1 mtype -i target.img@@1048576 ::ssh >got &&
	test_cmp /dev/null got &&
	grep -q "pureboot: firstboot: wrote user-data (29 bytes) to the boot partition at sector 2048" run/log &&
	MTOOLS_SKIP_CHECK=1 mtype -i target.img@@1048576 ::config.txt >got &&
	test_cmp config.txt got &&
	dd if=target.img of=root.back bs=512 skip=18432 2>/dev/null &&
	cmp root.ext4 root.back &&
	grep -c "POST /events/ " "$TRASH/www-nginx/access.log" >n && echo 2 >two && test_cmp two n &&
	grep -q "POST /events/installed " "$TRASH/www-nginx/access.log"
'

# install_answer SHA VERIFY URL FILES: a boot answer for target.img.
install_answer() {
	cat <<-EOF
	PB_STATE='installing'
	PB_ACTION='install'
	PB_TOKEN='pbi1.test'
	PB_INSTALL_METHOD='image'
	PB_IMAGE_URL='$3'
	PB_IMAGE_SHA256='$1'
	PB_TARGET_DEVICE='$PWD/target.img'
	PB_EVENTS_URL='$WWW_URL/events/'
	PB_CALLBACK_URL='$WWW_URL/events/installed'
	PB_FILES='$4'
	EOF
	[ -z "$2" ] || echo "PB_IMAGE_VERIFY='$2'"
	[ "$4" = 0 ] || printf "%s\n" "PB_FILE_1_PART='boot'" \
		"PB_FILE_1_PATH='ssh'" "PB_FILE_1_MODE='0644'" "PB_FILE_1_B64=''"
}

test_expect_success 'an empty checksum without image_verify none: install_failed, the disk untouched' '
	echo "the old system" >target.img && cp target.img old &&
	for v in "" sha256; do
		install_answer "" "$v" "$WWW_URL/disk.img.xz" 0 >answer &&
		rm -rf run &&
		! PUREBOOT_FILE_TARGET=1 ag "pb_env_check answer && . \"\$pb_env_file\" && pb_install" &&
		grep -q "^{\"type\":\"install_failed\",\"reason\":\"no image_sha256 for $WWW_URL/disk.img.xz and image_verify is not none: an image nobody can check is not installed\"" run/events &&
		cmp old target.img || return 1
	done
'

test_expect_success 'first-boot files fail after the image is written: install_failed, the disk wiped' '
	truncate -s 4M nofat.img &&
	echo "start=2048, type=83" | sfdisk -q nofat.img &&
	cp nofat.img "$TRASH/www/nofat.img" &&
	sha=$(sha256sum nofat.img | cut -d" " -f1) &&
	install_answer "$sha" sha256 "$WWW_URL/nofat.img" 1 >answer &&
	: >target.img && rm -rf run &&
	! PUREBOOT_FILE_TARGET=1 ag "pb_env_check answer && . \"\$pb_env_file\" && pb_install" &&
	grep -q "^{\"type\":\"install_failed\",\"reason\":\"first-boot files on $PWD/target.img failed: " run/events &&
	grep -q "install: wiped the first and last MiB of $PWD/target.img" run/log &&
	test "$(wc -c <target.img)" = 4194304 &&
	{ cmp target.img /dev/zero >cmp.out 2>&1 || :; } && grep -q "EOF on target.img" cmp.out &&
	! sfdisk -d target.img >/dev/null 2>&1
'

# The agent against the real API (127.0.0.1, where busybox wget asks
# from): a 409 from register-pi, and the second step of an install.
. "$PB_TOP/t/lib-api.sh"
api_start

test_expect_success 'register-pi refused (409): said once, asked again with backoff up to the poll bound' '
	printf "%s\n" "{\"serial\":\"0c0c0c01\",\"mac\":\"02:00:00:00:0c:01\"}" >reg.json &&
	api_body POST /api/v1/nodes/register-pi reg.json --interface 127.0.0.66 >out &&
	test "$(cut -d" " -f1 out)" = 201 &&
	rm -rf run &&
	# pb_sleep_jitter records the waits; the sixth ends the loop.
	ag "pb_sleep_jitter() { echo \"\$1\" >>waits; [ \$(wc -l <waits) -lt 6 ] || exit 0; }
		pb_register \"$PB_URL/api/v1\" \"{\\\"serial\\\":\\\"0c0c0c01\\\",\\\"mac\\\":\\\"02:00:00:00:0c:01\\\"}\" 16" &&
	printf "%s\n" 2 4 8 16 16 16 >expect &&
	test_cmp expect waits &&
	grep -c "register-pi refused by the server (409 conflict" run/log >n &&
	echo 1 >one && test_cmp one n &&
	grep -q "409 Conflict" run/log &&
	! grep -q "register-pi failed" run/log &&
	test "$(db_psql -c "SELECT host(known_addr) FROM pureboot.nodes WHERE serial = '"'"'0c0c0c01'"'"'")" = 127.0.0.66
'

test_expect_success 'register-pi with no server: each failure said, the same backoff' '
	rm -rf run waits &&
	port=$(stack_free_port) &&
	ag "pb_sleep_jitter() { echo \"\$1\" >>waits; [ \$(wc -l <waits) -lt 3 ] || exit 0; }
		pb_register \"http://127.0.0.1:$port/api/v1\" \"{}\" 60" &&
	printf "%s\n" 2 4 8 >expect &&
	test_cmp expect waits &&
	test "$(grep -c "register-pi failed" run/log)" = 3 &&
	! grep -q "refused by the server" run/log
'

test_expect_success 'an install answer: the agent fetches the instructions with its token' '
	wf_add pi-host aarch64 "{\"install_method\":\"image\",\"image_url\":\"http://10.9.8.7/i.img.xz\",\"image_sha256\":\"$(printf %064d 0)\",\"target_device\":\"/dev/mmcblk0\",\"post_install\":[\"enable_ssh\"]}" &&
	api GET "/api/v1/boot/pi?serial=0d0d0d01" >/dev/null &&
	db_psql -c "UPDATE pureboot.nodes SET workflow_id = '"'"'pi-host'"'"' WHERE serial = '"'"'0d0d0d01'"'"'" &&
	db_psql -c "SELECT pureboot.transition(id, '"'"'pending'"'"', '"'"'t'"'"') FROM pureboot.nodes WHERE serial = '"'"'0d0d0d01'"'"'" >/dev/null &&
	db_psql -c "UPDATE pureboot.settings SET value = '"'"'$PB_URL'"'"' WHERE key = '"'"'server_url'"'"'" &&
	rm -rf run &&
	ag "pb_http_get \"$PB_URL/api/v1/boot/pi?serial=0d0d0d01&format=env\" boot.answer &&
		pb_env_check boot.answer && . \"\$pb_env_file\" &&
		test -z \"\${PB_IMAGE_URL:-}\" && pb_install_fetch &&
		echo \"\$PB_IMAGE_URL \$PB_TARGET_DEVICE \$PB_FILES\" && test -n \"\$PB_TOKEN\" &&
		pb_env_get PB_FILE_1_PATH" >actual &&
	printf "%s\n" "http://10.9.8.7/i.img.xz /dev/mmcblk0 2" ssh >expect &&
	test_cmp expect actual &&
	grep -q "install: instructions fetched: install workflow pi-host, attempt 1" run/log
'

test_expect_success 'instructions refused (a replaced token): install_failed reported, nothing installed' '
	rm -rf run &&
	ag "pb_http_get \"$PB_URL/api/v1/boot/pi?serial=0d0d0d01&format=env\" boot.answer &&
		pb_env_check boot.answer && . \"\$pb_env_file\" &&
		PB_TOKEN=\${PB_TOKEN%?}x && ! pb_install_fetch" &&
	grep -q "^{\"type\":\"install_failed\",\"reason\":\"install instructions from $PB_URL/api/v1/nodes/[0-9a-f-]*/install could not be fetched (HTTP 401)\"" run/events &&
	grep -q "401 Unauthorized" run/log
'

# An answer lost after the server committed (an API worker killed, a
# timeout): wget in front of busybox's makes the real request, then
# fails the first time as if no answer came.
test_expect_success 'an event whose answer was lost: tried again with its key, recorded once' '
	mkdir -p lossy &&
	cat >lossy/wget <<-\EOF &&
	#!/bin/sh
	busybox wget "$@" || exit
	[ ! -e "$LOSSY_MARK" ] || exit 0
	: >"$LOSSY_MARK"
	echo "wget: the answer was lost" >&2
	exit 1
	EOF
	chmod +x lossy/wget &&
	wf_add pi-lossy aarch64 "{\"install_method\":\"image\",\"image_url\":\"http://10.9.8.7/i.img.xz\",\"image_verify\":\"none\",\"target_device\":\"/dev/mmcblk0\"}" &&
	api GET "/api/v1/boot/pi?serial=0e0e0e01" >/dev/null &&
	db_psql -c "UPDATE pureboot.nodes SET workflow_id = '"'"'pi-lossy'"'"' WHERE serial = '"'"'0e0e0e01'"'"'" &&
	db_psql -c "SELECT pureboot.transition(id, '"'"'pending'"'"', '"'"'t'"'"') FROM pureboot.nodes WHERE serial = '"'"'0e0e0e01'"'"'" >/dev/null &&
	rm -rf run waits &&
	LOSSY_MARK=$PWD/lossy/lost ag "pb_http_get \"$PB_URL/api/v1/boot/pi?serial=0e0e0e01&format=env\" boot.answer &&
		pb_env_check boot.answer && . \"\$pb_env_file\" &&
		pb_sleep_jitter() { echo \"\$1\" >>waits; } &&
		export LOSSY_MARK && PATH=$PWD/lossy:\$PATH &&
		pb_event install_progress \"\\\"bytes\\\":1048576\"" &&
	test -e lossy/lost &&
	echo 1 >expect && test_cmp expect waits &&
	grep -q "the answer was lost" run/log &&
	! grep -q "not delivered" run/log &&
	jq -r .key run/events >key &&
	db_psql -c "SELECT e.client_key FROM pureboot.node_events e JOIN pureboot.nodes n ON n.id = e.node_id WHERE n.serial = '"'"'0e0e0e01'"'"' AND e.type = '"'"'install_progress'"'"'" >actual &&
	test_cmp key actual
'

test_done
