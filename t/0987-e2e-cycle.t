#!/bin/sh
test_description='the whole life of a board with a real OS, no hands between steps: Debian u-boot-qemu netboots an empty disk, the agent installs the test image (make test-image) with a per-node hostname, user and key, U-Boot boots the disk, cloud-init applies the files and reports first_boot (installed -> active), ssh through a QEMU hostfwd sees hostname, key, machine-id and the grown root; the operator reprovisions, the board netboots and installs again; a second board on the same image gets its own hostname and machine-id'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/deploy-lib.sh"
. "$PB_TOP/t/lib-api.sh"

UBOOT=/usr/lib/u-boot/qemu_arm64/u-boot.bin
# The longest file of make check (three installs and three first boots
# under TCG): the Makefile starts it first, so prove -j2 runs the rest
# of the suite beside it.
[ "$(id -u)" = 0 ] || test_skip_all "network namespaces and tap devices need root"
[ -r "$UBOOT" ] || test_skip_all "no $UBOOT: run make deps (u-boot-qemu)"
command -v mkimage >/dev/null || test_skip_all "no mkimage: run make deps (u-boot-tools)"
command -v mkenvimage >/dev/null || test_skip_all "no mkenvimage: run make deps (u-boot-tools)"
IMAGE=$("$PB_TOP/scripts/test-image" path 2>/dev/null) ||
	test_skip_all "no test image for this recipe: run make test-image"
[ -s "$DEPLOY_DIR/initramfs.img" ] || test_skip_all "no $DEPLOY_DIR/initramfs.img: run make (make initramfs)"

api_start
www_start || { echo "Bail out! nginx for the images did not start"; exit 1; }
# Under TCG on a busy machine the board can stop reading the image for
# more than nginx's default 60 s send_timeout (measured: a download cut
# at 22 MB after 440 s); the wait belongs to the agent's own bounds.
sed -i "s/^\(\s*\)http {/\1http { send_timeout 1h;/" "$TRASH/www-nginx/nginx.conf"
if ! grep -q "send_timeout 1h" "$TRASH/www-nginx/nginx.conf" ||
	! nginx -q -e "$TRASH/www-nginx/error.log" -c "$TRASH/www-nginx/nginx.conf" -s reload; then
	echo "Bail out! nginx for the images did not take send_timeout"
	exit 1
fi
. "$PB_TOP/t/lib-boards.sh"
. "$PB_TOP/t/lib-board-e2e.sh"

render() { "$NETBOOT" "$root" "$1" "$2" "$API_IN" on; }
T0=$(date +%s)
# phase WHAT: seconds since the test began, into the times diag.
phase() { echo "phase: $1 at $(($(date +%s) - T0)) s" >>"$TRASH/times"; }

# vm_start NAME MAC DISK: the board, with U-Boot's environment in the
# second flash bank (boot_targets with dhcp first, as docs/boards.md
# asks of a board that is reinstalled without hands), its disk, the
# tap (netboot, API) as eth0 and a user-mode NIC with ssh forwarded
# (127.0.0.1:2222 in the namespace) as eth1.
vm_start() {
	: >"$TRASH/$1.console"
	date +%s >"$TRASH/$1.start"
	ip netns exec "$NS" qemu-system-aarch64 -M virt -cpu cortex-a72 -smp 2 -m 1024 \
		-display none -monitor none -no-reboot \
		-serial "file:$TRASH/$1.console" -bios "$UBOOT" \
		-drive "if=pflash,unit=1,format=raw,file=$TRASH/env-$2.img" \
		-netdev tap,id=n0,ifname=pbt0,script=no,downscript=no \
		-device "virtio-net-pci,netdev=n0,romfile=,mac=$2,disable-legacy=on" \
		-netdev "user,id=n1,restrict=on,hostfwd=tcp:127.0.0.1:2222-:22" \
		-device "virtio-net-pci,netdev=n1,romfile=,mac=52:54:00:99:00:01,disable-legacy=on" \
		-drive "file=$3,format=raw,if=none,id=d0" \
		-device virtio-blk-pci,drive=d0 \
		>"$TRASH/$1.qemu.log" 2>&1 &
	echo $! >"$TRASH/$1.qemu.pid"
}

# uboot_env MAC: Debian's default environment, read from u-boot.bin,
# with boot_targets "dhcp virtio0", as a 64 MiB flash image.
uboot_env() {
	off=$(grep -obUaP 'bootcmd=run distro_bootcmd\x00bootdelay=' "$UBOOT" | head -n 1 | cut -d: -f1) &&
	[ -n "$off" ] &&
	dd if="$UBOOT" bs=1 skip="$off" count=16384 2>/dev/null | tr "\000" "\n" |
		sed -n "1,/^\$/p" | sed "/^\$/d; s/^boot_targets=.*/boot_targets=dhcp virtio0/" >env.txt &&
	grep -qx "boot_targets=dhcp virtio0" env.txt &&
	mkenvimage -s 0x40000 -o "$TRASH/env-$1.img" env.txt &&
	truncate -s 64M "$TRASH/env-$1.img"
}

ssh_vm() {
	ip netns exec "$NS" ssh -q -i "$TRASH/key" -p 2222 -o BatchMode=yes \
		-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
		-o ConnectTimeout=10 pbtest@127.0.0.1 "$@"
}

# installs NAME MAC: a board's install, from its netboot to installed:
# the agent's console and the node's state.
install_done() {
	qemu_wait "$1" "action install" 600 &&
	took "$1" "install answer" &&
	qemu_exit "$1" 3600 "install failed" &&
	took "$1" "installed and rebooted" &&
	if ! grep -q "pureboot: installed: $WWW_IN/os.img.xz on /dev/vda" "$TRASH/$1.console"; then
		tail -n 40 "$TRASH/$1.console"
		return 1
	fi &&
	test "$(mac_state "$2")" = installed
}

# booted NAME MAC: the installed system, from U-Boot to cloud-init's
# end and the node active.
booted() {
	qemu_wait "$1" "Retrieving file: pxelinux.cfg/01-$(echo "$2" | tr : -)" 300 &&
	qemu_wait "$1" "PureBoot-Pi: nothing to netboot" 120 &&
	took "$1" "the local-boot file" &&
	qemu_wait "$1" "Found /extlinux/extlinux.conf" 300 &&
	qemu_wait "$1" "Booting Linux on physical CPU" 120 &&
	took "$1" "the installed kernel" &&
	qemu_wait "$1" "Cloud-init v. " 900 &&
	wait_for "cloud-init to finish on $1" 1200 has "$TRASH/$1.console" "Cloud-init v. .* finished" &&
	took "$1" "cloud-init finished" &&
	wait_for "ssh through the hostfwd" 300 ssh_vm true &&
	took "$1" "ssh in"
}

# checks NAME MAC HOST: what the booted system shows, as files.
checks() {
	ssh_vm cloud-init status --wait >ci.status &&
	grep -x "status: done" ci.status &&
	ssh_vm hostname >actual && echo "$3" >expect && test_cmp expect actual &&
	ssh_vm cat .ssh/authorized_keys >keys && grep -qF "$(cat "$TRASH/key.pub")" keys &&
	ssh_vm cat /etc/machine-id >"mid-$1" && grep -qx "[0-9a-f]\{32\}" "mid-$1" &&
	ssh_vm df -B1M --output=size / | tail -n 1 | tr -d " " >rootsize &&
	echo "# $1: root $(cat rootsize) MiB on a 1024 MiB disk, image $(($(cat raw.size) / 1048576)) MiB" &&
	[ "$(cat rootsize)" -gt 900 ] &&
	ssh_vm sudo cat /var/log/cloud-init-output.log >output.log &&
	grep -q "pureboot: first_boot reported" output.log &&
	ssh_vm sudo ls /boot/firmware /run >listed &&
	! grep -q "first-boot" listed &&
	# The pattern does not match itself: sudo logs this command line.
	if ssh_vm sudo grep -rlE "'pbi1[.][0-9a-f]{16}[.]'" /var/log /var/lib/cloud /boot/firmware >leaks; then
		cat leaks
		return 1
	fi
}

# name_assign MAC HOST: the operator names the node and assigns it the
# workflow cycle.
name_assign() {
	echo "{\"hostname\":\"$2\"}" >h.json &&
	op_body PATCH "/api/v1/nodes/$(mac_node "$1")" h.json >out &&
	test "$(jget out .hostname)" = "$2" &&
	assign_mac "$1" cycle
}

# active MAC [N]: the node is active after N (1) first_boot events, its
# install token ended by the first boot.
state_is() { test "$(mac_state "$1")" = "$2"; }
active() {
	wait_for "node $1 to be active" 180 state_is "$1" active &&
	id=$(mac_node "$1") &&
	printf "SELECT count(*) FROM pureboot.node_events WHERE node_id = :'n' AND type = 'first_boot'\n" |
		db_psql -v n="$id" >n &&
	echo "${2:-1}" >expect && test_cmp expect n &&
	printf "SELECT ended_why FROM pureboot.install_tokens WHERE node_id = :'n'\n" |
		db_psql -v n="$id" >why &&
	grep -q "first boot of the installed system" why
}

test_expect_success 'setup: the test image on the image server, its workflow, a key, U-Boot env, tree, dnsmasq, forwarders' '
	api_operator &&
	echo "{\"server_url\":\"$API_IN\"}" >s.json &&
	op_body PATCH /api/v1/settings s.json >out &&
	test "$(jget out .server_url)" = "$API_IN" &&
	cp "$IMAGE" "$TRASH/www/os.img.xz" &&
	xz -l --robot "$IMAGE" | sed -n "s/^totals\t[0-9]*\t[0-9]*\t[0-9]*\t\([0-9]*\).*/\1/p" >raw.size &&
	[ "$(cat raw.size)" -gt 100000000 ] &&
	sha=$(sha256sum "$TRASH/www/os.img.xz" | cut -d" " -f1) &&
	ssh-keygen -q -t ed25519 -N "" -C pureboot-cycle -f "$TRASH/key" &&
	printf "%s\n" "#!/bin/sh" "# eth1: the NIC QEMU forwards ssh to" "set -eu" \
		"printf \"[Match]\\nName=eth1\\n\\n[Network]\\nDHCP=ipv4\\n\" >/etc/systemd/network/20-eth1.network" \
		"networkctl reload" "networkctl reconfigure eth1 || :" >"$TRASH/www/eth1.sh" &&
	esha=$(sha256sum "$TRASH/www/eth1.sh" | cut -d" " -f1) &&
	cat >wf.json <<-EOF &&
	{"install_method":"image","image_url":"$WWW_IN/os.img.xz","image_sha256":"$sha",
	 "target_device":"/dev/vda","post_install":[
	  {"cloud_init":{"interface":"eth0"}}, "set_hostname", "resize_rootfs",
	  {"ssh_keys":{"user":"pbtest","keys":["$(cat "$TRASH/key.pub")"]}},
	  {"script":"$WWW_IN/eth1.sh","sha256":"$esha","where":"first_boot"}]}
	EOF
	wf_add cycle aarch64 "$(cat wf.json)" &&
	uboot_env "$MAC" &&
	truncate -s 1G "$TRASH/vda-one.img" &&
	boards_tree &&
	mkimage -A arm64 -O linux -T script -C none -d "$PB_TOP/conf/u-boot/boot.cmd" \
		"$root/boot.scr.uimg" >/dev/null &&
	render "$OTHER" installed && rm -f "$root/pxelinux.cfg/01-52-54-00-ab-cd-ef" &&
	grep -q "pureboot.mode=discovery" "$root/pxelinux.cfg/default" &&
	boards_net_up &&
	board_e2e_fwd &&
	phase "setup done"
'

test_expect_success 'an empty disk: U-Boot netboots the discovery default, the agent registers by MAC' '
	vm_start one "$MAC" "$TRASH/vda-one.img" &&
	qemu_wait one "Loading Environment from Flash... OK" 120 &&
	qemu_wait one "Retrieving file: pxelinux.cfg/default" 300 &&
	qemu_wait one "state discovered, action wait" 600 &&
	took one "registered at boot/arm64" &&
	test "$(mac_state "$MAC")" = discovered &&
	phase "registered"
'

test_expect_success 'the operator names it and assigns the workflow; the agent installs the test image' '
	name_assign "$MAC" cycle-one &&
	install_done one "$MAC" &&
	grep -q "firstboot: wrote pureboot-first-boot" "$TRASH/one.console" &&
	! grep -q "pbi1\." "$TRASH/one.console" &&
	phase "installed"
'

test_expect_success 'first boot: LOCALBOOT, U-Boot boots the disk, cloud-init applies the files, first_boot makes it active' '
	render "$MAC" installed &&
	! grep -q KERNEL "$root/pxelinux.cfg/01-52-54-00-12-34-56" &&
	vm_start two "$MAC" "$TRASH/vda-one.img" &&
	booted two "$MAC" &&
	phase "first boot: ssh in" &&
	active "$MAC" &&
	phase "active"
'

test_expect_success 'the booted system: hostname, key, machine-id, grown root; the token file is gone and in no log' '
	checks two "$MAC" cycle-one
'

test_expect_success 'reprovision: the operator moves it, it reboots, netboots, waits, is made pending and installs again' '
	id=$(mac_node "$MAC") &&
	echo "{\"to\":\"reprovision\",\"comment\":\"e2e cycle\"}" >t.json &&
	op_body POST "/api/v1/nodes/$id/transition" t.json >out &&
	test "$(jget out .state)" = reprovision &&
	render "$MAC" reprovision &&
	grep -q KERNEL "$root/pxelinux.cfg/01-52-54-00-12-34-56" &&
	{ ssh_vm sudo systemctl reboot || :; } &&
	qemu_exit two 300 &&
	vm_start three "$MAC" "$TRASH/vda-one.img" &&
	qemu_wait three "state reprovision, action wait" 600 &&
	took three "reprovision: the agent waits" &&
	phase "reprovision: netbooted" &&
	echo "{\"to\":\"pending\",\"comment\":\"e2e cycle\"}" >t.json &&
	op_body POST "/api/v1/nodes/$id/transition" t.json >out &&
	test "$(jget out .state)" = pending &&
	render "$MAC" pending &&
	install_done three "$MAC" &&
	phase "installed again"
'

test_expect_success 'after the reinstall: active again with a new machine-id' '
	render "$MAC" installed &&
	vm_start four "$MAC" "$TRASH/vda-one.img" &&
	booted four "$MAC" &&
	active "$MAC" 2 &&
	phase "active again" &&
	checks four "$MAC" cycle-one &&
	! test_cmp mid-two mid-four &&
	{ ssh_vm sudo systemctl poweroff || :; } &&
	qemu_exit four 300 &&
	phase "powered off"
'

MAC2=52:54:00:12:34:57
test_expect_success 'a second board, same image and workflow: discovered, named, installed, booted, active' '
	uboot_env "$MAC2" &&
	truncate -s 1G "$TRASH/vda-b.img" &&
	vm_start b1 "$MAC2" "$TRASH/vda-b.img" &&
	qemu_wait b1 "state discovered, action wait" 600 &&
	took b1 "registered at boot/arm64" &&
	name_assign "$MAC2" cycle-two &&
	install_done b1 "$MAC2" &&
	phase "second board installed" &&
	render "$MAC2" installed &&
	vm_start b2 "$MAC2" "$TRASH/vda-b.img" &&
	booted b2 "$MAC2" &&
	active "$MAC2" &&
	phase "second board active"
'

test_expect_success 'the second board: its own hostname and machine-id, the first board untouched' '
	checks b2 "$MAC2" cycle-two &&
	! test_cmp mid-four mid-b2 &&
	! test_cmp mid-two mid-b2 &&
	test "$(mac_state "$MAC")" = active &&
	{ ssh_vm sudo systemctl poweroff || :; } &&
	qemu_exit b2 300
'

boards_diag
test_done
