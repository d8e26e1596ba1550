# shellcheck shell=sh
# t/deploy-lib.sh: helpers for the deploy-agent tests (t/09NN-*.t),
# sourced after t/lib.sh.
#
# www_start: a static nginx on a free port serving $TRASH/www, the
#   images the agent downloads.  /slow/ is the same tree at 512 KiB/s (a
#   download that can be cut in the middle).  Sets WWW_PORT, WWW_URL.
# bb_path: $TRASH/bb, busybox applets for every command the agent uses,
#   with the real xz and zstd in front, as in the initramfs; agent code
#   runs as PATH="$TRASH/bb:$PATH" busybox sh.

www_conf() {
	user_line=""
	[ "$(id -u)" = 0 ] && user_line="user pureboot pureboot;"
	t=$TRASH/www-nginx
	cat <<-EOF
	$user_line
	worker_processes 1;
	daemon on;
	pid $t/nginx.pid;
	error_log $t/error.log warn;
	events { worker_connections 64; }
	http {
		access_log $t/access.log;
		client_body_temp_path $t/tmp/body; proxy_temp_path $t/tmp/proxy;
		fastcgi_temp_path $t/tmp/fastcgi; uwsgi_temp_path $t/tmp/uwsgi;
		scgi_temp_path $t/tmp/scgi;
		types { application/octet-stream img xz gz zst; }
		server {
			listen 127.0.0.1:$WWW_PORT;
			root $TRASH/www;
			location /slow/ {
				alias $TRASH/www/;
				limit_rate 512k;
			}
			location /events/ { return 204; }
		}
	}
	EOF
}

www_start() {
	WWW_PORT=$(stack_free_port) || return 1
	WWW_URL=http://127.0.0.1:$WWW_PORT
	export WWW_PORT WWW_URL
	mkdir -p "$TRASH/www" "$TRASH/www-nginx/tmp" || return 1
	[ "$(id -u)" != 0 ] || chown pureboot:pureboot "$TRASH/www-nginx/tmp"
	www_conf >"$TRASH/www-nginx/nginx.conf" || return 1
	test_atexit www_stop
	nginx -q -e "$TRASH/www-nginx/error.log" -c "$TRASH/www-nginx/nginx.conf"
}

www_stop() {
	[ -s "$TRASH/www-nginx/nginx.pid" ] || return 0
	pid=$(cat "$TRASH/www-nginx/nginx.pid")
	kill -TERM "$pid" 2>/dev/null || return 0
	wait_for "the test nginx (pid $pid) to exit" 60 pid_gone "$pid"
}

pid_gone() { ! kill -0 "$1" 2>/dev/null; }

# wait_listen PORT: until something listens on 127.0.0.1:PORT.
wait_listen() {
	wait_for "something to listen on 127.0.0.1:$1" 60 listening "$1"
}
listening() { [ -n "$(ss -Hltn "sport = :$1")" ]; }

bb_path() {
	mkdir -p "$TRASH/bb" || return 1
	for a in $(busybox --list); do
		case $a in
		xz|unxz|xzcat) ;;    # the initramfs has the real xz
		*) ln -sf "$(command -v busybox)" "$TRASH/bb/$a" || return 1 ;;
		esac
	done
	for p in xz zstd; do ln -sf "$(command -v $p)" "$TRASH/bb/$p" || return 1; done
}

# agent_sh 'commands': run commands in busybox sh with the agent's
# libraries loaded, as in the initramfs (set -eu, busybox applets).
agent_sh() {
	PATH="$TRASH/bb:$PATH" PUREBOOT_RUN=${PUREBOOT_RUN:-$TRASH/run} \
		PUREBOOT_LIB=$PB_TOP/initramfs/agent \
		busybox sh -c 'set -eu
		mkdir -p "$PUREBOOT_RUN"
		. "$PB_TOP/initramfs/agent/lib.sh"
		. "$PB_TOP/initramfs/agent/deploy.sh"
		eval "$1"' agent_sh "$1"
}

# ag 'commands': agent_sh with node.sh, install.sh and script.sh loaded
# too: the whole agent but its main loop.
ag() {
	agent_sh ". \"\$PB_TOP/initramfs/agent/node.sh\"
		. \"\$PB_TOP/initramfs/agent/install.sh\"
		. \"\$PB_TOP/initramfs/agent/script.sh\"
		$1"
}

# env_refused: for each "LINE|WHY" on stdin, an answer of PB_ACTION
# wait and LINE must fail pb_env_check with WHY in its complaint.
env_refused() {
	while IFS="|" read -r line why; do
		printf "%s\n" "PB_ACTION='wait'" "$line" >answer || return 1
		if ag "pb_env_check answer" 2>err; then
			echo "accepted: $line"; return 1
		fi
		grep -qF "$why" err || { echo "want \"$why\" for $line:"; cat err; return 1; }
	done
}

# pi_disk MIB BOOT_MIB: disk.img of MIB MiB laid out as the Pi images
# are: a FAT32 partition (label BOOT, BOOT_MIB MiB) at 1 MiB, then an
# ext4 root (label root, the rest) whose file system is kept as
# root.ext4; written xz-compressed to $TRASH/www/disk.img.xz.  The
# root's first sector is in ./root.start.
pi_disk() {
	rs=$((2048 + $2 * 2048))
	truncate -s "$1M" disk.img &&
	printf "%s\n" "label: dos" "start=2048, size=$(($2 * 2048)), type=c" "start=$rs, type=83" |
		sfdisk -q disk.img &&
	truncate -s "$2M" boot.fat && mkfs.vfat -n BOOT boot.fat >/dev/null &&
	truncate -s "$(($1 - 1 - $2))M" root.ext4 && mkfs.ext4 -q -L root root.ext4 &&
	dd if=boot.fat of=disk.img bs=512 seek=2048 conv=notrunc 2>/dev/null &&
	dd if=root.ext4 of=disk.img bs=512 seek="$rs" conv=notrunc 2>/dev/null &&
	echo "$rs" >root.start &&
	xz -T1 -3 -c disk.img >"$TRASH/www/disk.img.xz"
}

# --- QEMU ---------------------------------------------------------------------

DEPLOY_DIR=${PB_BUILD}/deploy-arm64

# qemu_start NAME 'extra kernel args' [DISK [MAC]]: boot the deploy kernel and
# initramfs in qemu-system-aarch64 (TCG), in the background.  The guest
# reaches only 10.0.2.100:80 (the API's nginx) and 10.0.2.101:80 (the
# image server, when www_start ran).  Console in $TRASH/NAME.console.
# -no-reboot: the guest's reboot (its last act after an install) ends
# QEMU.
qemu_start() {
	name=$1 args=$2 disk=${3:-} mac=${4:-52:54:00:12:34:56}
	# guestfwd to a tcp: chardev is one connection made at QEMU start,
	# shared by whatever the guest opens: the second request hangs.  A
	# cmd: forward runs its command for each guest connection.
	fwd="guestfwd=tcp:10.0.2.100:80-cmd:busybox nc 127.0.0.1 $PB_PORT"
	[ -z "${WWW_PORT:-}" ] || fwd="$fwd,guestfwd=tcp:10.0.2.101:80-cmd:busybox nc 127.0.0.1 $WWW_PORT"
	# more forwards (t/lib-nfs.sh: the NFS server as 10.0.2.102)
	[ -z "${QEMU_FWD:-}" ] || fwd="$fwd,$QEMU_FWD"
	set -- -M virt -cpu cortex-a72 -smp 2 -m 512 -display none -monitor none \
		-no-reboot -serial "file:$TRASH/$name.console" \
		-kernel "$DEPLOY_DIR/kernel8.img" -initrd "$DEPLOY_DIR/initramfs.img" \
		-append "console=ttyAMA0 quiet pureboot.server=http://10.0.2.100 $args" \
		-netdev "user,id=n0,restrict=on,$fwd" \
		-device "virtio-net-pci,netdev=n0,romfile=,mac=$mac"
	[ -z "$disk" ] || set -- "$@" -drive "if=none,id=d0,format=raw,file=$disk" \
		-device virtio-blk-pci,drive=d0
	: >"$TRASH/$name.console"
	qemu-system-aarch64 "$@" >"$TRASH/$name.qemu.log" 2>&1 &
	echo $! >"$TRASH/$name.qemu.pid"
}

qemu_stop() {
	[ -s "$TRASH/$1.qemu.pid" ] || return 0
	kill "$(cat "$TRASH/$1.qemu.pid")" 2>/dev/null || true
	rm -f "$TRASH/$1.qemu.pid"
}

# Test bodies run in subshells, where test_atexit cannot register
# anything: every QEMU of the file is stopped at exit from its pid file.
qemu_stop_all() {
	for f in "$TRASH"/*.qemu.pid; do
		[ -e "$f" ] || continue
		kill "$(cat "$f")" 2>/dev/null || true
		rm -f "$f"
	done
}
test_atexit qemu_stop_all

qemu_running() { [ -s "$TRASH/$1.qemu.pid" ] && kill -0 "$(cat "$TRASH/$1.qemu.pid")" 2>/dev/null; }

# qemu_wait NAME 'fixed string' SECONDS: until the console shows it.
# On a timeout (or QEMU gone) the console is printed and it fails.
qemu_wait() {
	wait_for "\"$2\" on the console of $1" "$3" qemu_shows "$1" "$2"
}
# 0 once the console shows the string; 125 when QEMU is gone.
qemu_shows() {
	grep -qF -- "$2" "$TRASH/$1.console" && return 0
	rc=1
	if ! qemu_running "$1"; then
		echo "QEMU $1 is gone: $(cat "$TRASH/$1.qemu.log")"
		rc=125
	fi
	echo "the console of $1:"
	cat "$TRASH/$1.console"
	return "$rc"
}

# qemu_exit NAME SECONDS ['fixed string']: until QEMU ends by itself
# (the guest rebooted); fails at once when the console shows the string.
qemu_exit() {
	if ! wait_for "QEMU $1 to exit by itself" "$2" qemu_ended "$1" "${3:-}"; then
		qemu_stop "$1"
		return 1
	fi
	rm -f "$TRASH/$1.qemu.pid"
}
# 0 once QEMU has exited; 125 when the console shows the string.
qemu_ended() {
	qemu_running "$1" || return 0
	echo "the console of $1:"
	cat "$TRASH/$1.console"
	if [ -n "$2" ] && grep -qF -- "$2" "$TRASH/$1.console"; then
		echo "the console shows \"$2\""
		return 125
	fi
	return 1
}
