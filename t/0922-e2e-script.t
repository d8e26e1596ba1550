#!/bin/sh
test_description='end to end in QEMU (issue 13): the agent in the real deploy initramfs runs a post_install deploy script against the written disk (a node variable in its environment, the file on the disk afterwards), and a script install whose effect is on the target disk; both installed, with script_output events'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/deploy-lib.sh"
. "$PB_TOP/t/lib-api.sh"

[ -s "$DEPLOY_DIR/initramfs.img" ] || test_skip_all "no $DEPLOY_DIR/initramfs.img: run make (make initramfs)"
api_start
www_start || { echo "Bail out! nginx for the images did not start"; exit 1; }

test_expect_success 'setup: operator, server_url, an image, two scripts, two workflows' '
	api_operator &&
	echo "{\"server_url\":\"http://10.0.2.100\"}" >s.json &&
	op_body PATCH /api/v1/settings s.json >out &&
	pi_disk 12 6 && test "$(cat root.start)" = 14336 &&
	sha=$(sha256sum "$TRASH/www/disk.img.xz" | cut -d" " -f1) &&
	cat >"$TRASH/www/post.sh" <<-\EOF &&
	set -eu
	mkdir -p "$PB_TARGET_ROOT/etc"
	echo "site $PB_VAR_SITE on $PB_VAR_HOSTNAME" >"$PB_TARGET_ROOT/etc/pureboot-site"
	echo "post: wrote /etc/pureboot-site for $1"
	EOF
	post=$(sha256sum "$TRASH/www/post.sh" | cut -d" " -f1) &&
	cat >"$TRASH/www/inst.sh" <<-\EOF &&
	set -eu
	printf "installed-by-script %s\n" "$PB_VAR_SITE" | dd of="$PB_TARGET_DEVICE" bs=512 conv=fsync 2>/dev/null
	echo "inst: marked $PB_TARGET_DEVICE"
	EOF
	inst=$(sha256sum "$TRASH/www/inst.sh" | cut -d" " -f1) &&
	wf_add e2e-post aarch64 "{\"install_method\":\"image\",\"image_url\":\"http://10.0.2.101/disk.img.xz\",\"image_sha256\":\"$sha\",\"target_device\":\"/dev/vda\",\"variables\":{\"site\":{\"type\":\"word\"}},\"post_install\":[{\"script\":\"http://10.0.2.101/post.sh\",\"sha256\":\"$post\",\"where\":\"deploy\",\"args\":\"\${serial}\"}]}" &&
	wf_add e2e-inst aarch64 "{\"install_method\":\"script\",\"script_url\":\"http://10.0.2.101/inst.sh\",\"script_sha256\":\"$inst\",\"script_timeout\":120,\"target_device\":\"/dev/vda\",\"variables\":{\"site\":\"lab\"}}" &&
	truncate -s 32M vda.img && truncate -s 32M vdb.img
'

test_expect_success 'a deploy script in QEMU: the image, then the script against its root; installed' '
	start=$(date +%s) &&
	qemu_start one "pureboot.serial=e2e00021 pureboot.model=pi4 pureboot.poll=2" "$TRASH/vda.img" &&
	qemu_wait one "pureboot: registered" 90 &&
	node_assign e2e00021 "{\"workflow_id\":\"e2e-post\",\"vars\":{\"site\":\"rack-7\"}}" &&
	qemu_wait one "action install" 60 &&
	qemu_exit one 300 "install failed" &&
	echo "# deploy-script install: $(($(date +%s) - start)) s from power-on to reboot" &&
	test "$(node_state e2e00021)" = installed &&
	dd if=vda.img of=root.back bs=512 skip=14336 count=10240 2>/dev/null &&
	debugfs -R "cat /etc/pureboot-site" root.back >site 2>/dev/null &&
	echo "site rack-7 on pi-e2e00021" >expect && test_cmp expect site &&
	op GET "/api/v1/nodes/$(node_id e2e00021)/events" >out &&
	jget out ".events[] | select(.type == \"script_output\") | .payload.script + \" \" + .payload.text" >text &&
	echo "deploy_1 post: wrote /etc/pureboot-site for e2e00021" >expect && test_cmp expect text
'

test_expect_success 'a script install in QEMU: its effect on the target, installed' '
	start=$(date +%s) &&
	qemu_start two "pureboot.serial=e2e00022 pureboot.model=pi4 pureboot.poll=2" "$TRASH/vdb.img" 52:54:00:12:34:57 &&
	qemu_wait two "pureboot: registered" 90 &&
	node_assign e2e00022 "{\"workflow_id\":\"e2e-inst\"}" &&
	qemu_wait two "action install" 60 &&
	qemu_exit two 240 "install failed" &&
	echo "# script install: $(($(date +%s) - start)) s from power-on to reboot" &&
	test "$(node_state e2e00022)" = installed &&
	head -c 24 vdb.img >mark &&
	printf "installed-by-script lab\n" >expect && test_cmp expect mark &&
	op GET "/api/v1/nodes/$(node_id e2e00022)/events" >out &&
	jget out ".events[].type" | grep -v install_progress >types &&
	printf "%s\n" registered install_started script_output install_complete >expect &&
	test_cmp expect types
'

test_done
