#!/bin/sh
test_description='the deploy kernel and initramfs boot in QEMU, get a lease and reach the real API'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/deploy-lib.sh"

[ -s "$DEPLOY_DIR/initramfs.img" ] || test_skip_all "no $DEPLOY_DIR/initramfs.img: run make (make initramfs)"
api_start

test_expect_success 'the guest boots, DHCPs and asks the API for its health' '
	qemu_start boot "pureboot.serial=d83add36 pureboot.model=pi4 pureboot.poll=2" &&
	qemu_wait boot "network: eth0 is 10.0.2.15" 60 &&
	qemu_wait boot "server: {\"status\":\"ok\",\"database\":\"ok\"}" 60 &&
	qemu_wait boot "node: serial d83add36, mac 52:54:00:12:34:56, model pi4, ip 10.0.2.15" 60 &&
	grep -q "GET /api/v1/health HTTP/1.1\" 200" "$TRASH/stack/log/nginx-access.log"
'

test_expect_success 'PID 1 is our /init, the agent registers and asks what to do' '
	qemu_wait boot "init: PureBoot-Pi deploy environment, kernel 6.12" 60 &&
	qemu_wait boot "pureboot: registered" 60 &&
	qemu_wait boot "state discovered, action wait: " 60 &&
	grep "POST /api/v1/nodes/register-pi" "$TRASH/stack/log/nginx-access.log" >posts ||
	{ cat "$TRASH/stack/log/nginx-access.log"; false; }
'

qemu_stop boot
test_done
