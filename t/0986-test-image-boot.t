#!/bin/sh
test_description='the test OS image boots in QEMU under U-Boot: extlinux.conf, the kernel, cloud-init from the NoCloud seed on system-boot, ssh in'
. "${0%/*}/lib.sh"

UBOOT=/usr/lib/u-boot/qemu_arm64/u-boot.bin
HOST=pb-image-test
# Each phase's time, in seconds since QEMU started, into ./phases
# (printed at the end as TAP comments).
phase() { echo "$1 at $(($(date +%s) - $(cat t0))) s" >>phases; }

test_expect_success 'setup: the image, 256 MiB more disk, a key and a NoCloud seed' '
	xz=$("$PB_TOP/scripts/test-image" path) &&
	xz -dc "$xz" >disk.img &&
	raw=$(wc -c <disk.img) && echo "$raw" >raw.size &&
	truncate -s $((raw + 256 * 1048576)) disk.img &&
	ssh-keygen -q -t ed25519 -N "" -C pureboot-test -f key &&
	cat >user-data <<-EOF &&
	#cloud-config
	hostname: $HOST
	users:
	  - name: pbtest
	    shell: /bin/bash
	    lock_passwd: true
	    sudo: ALL=(ALL) NOPASSWD:ALL
	    ssh_authorized_keys:
	      - $(cat key.pub)
	ssh_pwauth: false
	growpart:
	  mode: auto
	  devices: [ "/" ]
	resize_rootfs: true
	EOF
	printf "instance-id: pureboot-test-1\nlocal-hostname: %s\n" "$HOST" >meta-data &&
	mcopy -o -i disk.img@@1M user-data meta-data ::
'

port=$(stack_free_port)
test_atexit 'qemu_kill'
qemu_kill() { [ ! -s qemu.pid ] || kill "$(cat qemu.pid)" 2>/dev/null || :; }

test_expect_success 'U-Boot finds extlinux/extlinux.conf on system-boot and boots the kernel' '
	qemu-system-aarch64 -M virt -cpu cortex-a72 -smp 2 -m 1024 \
		-bios "$UBOOT" -display none -monitor none -serial file:console.log \
		-drive if=none,file=disk.img,format=raw,id=hd -device virtio-blk-pci,drive=hd \
		-netdev "user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:$port-:22" \
		-device virtio-net-pci,netdev=net0,romfile= \
		-pidfile qemu.pid -daemonize &&
	date +%s >t0 &&
	cp qemu.pid qemu.pid.kept &&
	wait_for "U-Boot to find extlinux.conf" 120 has console.log "Found /extlinux/extlinux.conf" &&
	phase "extlinux.conf found" &&
	wait_for "the kernel to start" 120 has console.log "Booting Linux on physical CPU" &&
	phase "kernel started"
'

ssh_vm() {
	ssh -q -i key -p "$port" -o BatchMode=yes -o StrictHostKeyChecking=no \
		-o UserKnownHostsFile=/dev/null -o ConnectTimeout=10 pbtest@127.0.0.1 "$@"
}

test_expect_success 'cloud-init runs from the seed and ssh lets the seeded key in' '
	wait_for "cloud-init to finish" 600 has console.log "Cloud-init v. .* finished" &&
	phase "cloud-init finished" &&
	wait_for "ssh with the seeded key" 120 ssh_vm true &&
	phase "ssh in" &&
	ssh_vm cloud-init status --wait >status &&
	grep -x "status: done" status &&
	ssh_vm systemd-analyze | head -n 1 | sed "s/^/systemd-analyze: /" >>phases
'

test_expect_success 'the booted system: hostname, NoCloud on the FAT partition, a machine-id, host keys, the grown root' '
	ssh_vm hostname >actual && echo "$HOST" >expect && test_cmp expect actual &&
	ssh_vm cat /run/cloud-init/result.json >result.json &&
	jq -r ".v1.datasource" result.json >ds &&
	grep -q "DataSourceNoCloud \[seed=/dev/vda1\]" ds &&
	jq -c ".v1.errors" result.json >errors && echo "[]" >expect && test_cmp expect errors &&
	ssh_vm cat /etc/machine-id >mid &&
	grep -qx "[0-9a-f]\{32\}" mid &&
	ssh_vm ls /etc/ssh >ls && grep -q "^ssh_host_ed25519_key.pub$" ls &&
	ssh_vm findmnt -no SOURCE,FSTYPE /boot/firmware >bootfw &&
	echo "/dev/vda1 vfat" >expect && test_cmp expect bootfw &&
	ssh_vm df -B1M --output=size / | tail -n 1 | tr -d " " >rootsize &&
	echo "# root file system $(cat rootsize) MiB, image $(($(cat raw.size) / 1048576)) MiB" &&
	[ "$(cat rootsize)" -gt $(($(cat raw.size) / 1048576)) ]
'

test_expect_success 'it powers off' '
	ssh_vm sudo systemctl poweroff || :
	wait_for "QEMU to exit" 120 sh -c "! kill -0 \$(cat qemu.pid.kept) 2>/dev/null" &&
	phase "powered off"
'

[ ! -s phases ] || sed 's/^/# /' phases
test_done
