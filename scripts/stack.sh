# shellcheck shell=sh
# stack.sh: start and stop the PureBoot-Pi services in one state
# directory: a private PostgreSQL cluster, pureboot-api and nginx.
# Sourced by scripts/run and t/lib.sh; never run alone.
#
# Inputs (set before calling):
#   PB_TOP    the source tree            PB_BUILD  where the binaries are
#   PB_STATE  the state directory        PB_PORT   nginx port on 127.0.0.1
#   PB_WORKERS  API worker count (default 4)
#   PB_TFTP_ADDR  dnsmasq's TFTP address (default 127.0.0.69, port 69)
#   PB_TFTP_MAX   dnsmasq --tftp-max (default 512, as conf/dnsmasq/)
# Layout of PB_STATE: pg/ (cluster), sock/ (PostgreSQL and API sockets),
# log/, nginx/ (generated config, temp files, pid), api.pid, tftp/ (the
# TFTP root the hook writes), hook.pid, dnsmasq.pid, dhcp-script.

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

stack_die() { printf 'pureboot: %s\n' "$*" >&2; return 1; }

# Every service runs as an unprivileged user: PostgreSQL refuses root.
stack_user() {
	if [ "$(id -u)" = 0 ]; then echo pureboot; else id -un; fi
}

# Run a command as the stack user; exec'd, so $! is the command itself.
stack_as() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid=pureboot --regid=pureboot --init-groups -- "$@"
	else
		"$@"
	fi
}

# Copy a built program into the state directory and print its path: the
# build tree may sit below a directory user pureboot cannot enter (a
# clone in /root), the state directory never does (stack_layout checks).
stack_bin() {
	mkdir -p "$PB_STATE/bin" &&
	cp "$PB_BUILD/$1" "$PB_STATE/bin/$1.new" &&
	chmod 0755 "$PB_STATE/bin/$1.new" &&
	mv -f "$PB_STATE/bin/$1.new" "$PB_STATE/bin/$1" &&
	echo "$PB_STATE/bin/$1"
}

# stack_conninfo [ROLE]: the database as ROLE, by default the owner
# pureboot (migrations, psql, the operator's CLI).  The programs connect
# as the roles of sql/031-roles.sql: pureboot_api, pureboot_hook (sync,
# watch, check), pureboot_dhcp (the dhcp-script); sql/grants.sql says
# what each may do.  Trust auth on the 0700 socket lets the stack user
# be any of them: the roles bound what each program's SQL can do, not
# who can connect (docs/security.md).
stack_conninfo() {
	echo "host=$PB_STATE/sock dbname=pureboot user=${1:-pureboot}"
}

stack_psql() {
	psql -X -q -v ON_ERROR_STOP=1 -d "$(stack_conninfo)" "$@"
}

stack_layout() {
	mkdir -p "$PB_STATE" || return 1
	PB_STATE=$(cd "$PB_STATE" && pwd) || return 1
	# A unix socket path holds at most 107 bytes (sun_path).
	if [ ${#PB_STATE} -gt 80 ]; then
		stack_die "state directory \"$PB_STATE\" is too long for a unix socket path (at most 80 characters); use a shorter STATE="
		return 1
	fi
	mkdir -p "$PB_STATE/pg" "$PB_STATE/sock" "$PB_STATE/log" \
		"$PB_STATE/nginx/tmp" || return 1
	chmod 0700 "$PB_STATE/pg"
	chmod 0755 "$PB_STATE" "$PB_STATE/sock" "$PB_STATE/log"
	if [ "$(id -u)" = 0 ]; then
		chown -R pureboot:pureboot "$PB_STATE/pg" "$PB_STATE/sock" \
			"$PB_STATE/log" "$PB_STATE/nginx/tmp" || return 1
		# The services run as pureboot: every directory above the
		# state directory must let that user through.
		setpriv --reuid=pureboot --regid=pureboot --init-groups -- \
			test -x "$PB_STATE/sock" ||
			stack_die "state directory \"$PB_STATE\" is not reachable by user pureboot (a parent directory is not world-searchable); use STATE=/some/other/dir"
	fi
}

# A pid file is either ours and alive, or stale and removed.
stack_pid_alive() {
	[ -s "$1" ] || return 1
	pid=$(cat "$1")
	case $pid in *[!0-9]*|'') rm -f "$1"; return 1;; esac
	if kill -0 "$pid" 2>/dev/null; then return 0; fi
	echo "pureboot: removing stale pid file $1 (process $pid is gone)" >&2
	rm -f "$1"
	return 1
}

# Stop the process of a pid file: TERM, up to 10 s for it to go, then
# KILL, so that a stop (Ctrl-C of make run) never leaves it behind.
stack_pid_stop() {
	stack_pid_alive "$1" 2>/dev/null || return 0
	pid=$(cat "$1")
	kill "$pid" 2>/dev/null || true
	start=$(date +%s)
	while kill -0 "$pid" 2>/dev/null && [ $(($(date +%s) - start)) -lt 10 ]; do sleep 0.05; done
	kill -9 "$pid" 2>/dev/null || true
	rm -f "$1"
}

# stack_wait SECONDS DESC PIDFILE CMD...: poll CMD every 0.05 s until it
# succeeds; fail when the process of PIDFILE is gone or SECONDS of wall
# time have passed (bounded by time, not tries: a loaded machine makes
# each try slower), saying what was awaited.
stack_wait() {
	sw_secs=$1 sw_desc=$2 sw_pidf=$3
	shift 3
	sw_start=$(date +%s)
	until "$@"; do
		if ! kill -0 "$(cat "$sw_pidf" 2>/dev/null)" 2>/dev/null; then
			echo "pureboot: gave up waiting for $sw_desc: the process exited" >&2
			return 1
		fi
		if [ $(($(date +%s) - sw_start)) -ge "$sw_secs" ]; then
			echo "pureboot: gave up after ${sw_secs}s waiting for $sw_desc" >&2
			return 1
		fi
		sleep 0.05
	done
}

# A free TCP port on 127.0.0.1, picked at random so that parallel test
# files and benchmarks do not collide, and below the kernel's ephemeral
# range (32768 and up by default), where any outgoing connection may
# hold it without listening.  Racy by nature: t/lib.sh's api_start
# retries when nginx cannot bind.
stack_free_port() {
	i=0
	while [ $i -lt 50 ]; do
		p=$((10000 + $(od -An -N2 -tu2 /dev/urandom) % 22000))
		[ -n "$(ss -Htan "sport = :$p")" ] || { echo "$p"; return 0; }
		i=$((i + 1))
	done
	return 1
}

stack_port_free() {
	if [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]; then
		stack_die "port $1 on 127.0.0.1 is already in use (another 'make run'? set PORT=...)"
		return 1
	fi
}

stack_pg_start() {
	if [ ! -s "$PB_STATE/pg/PG_VERSION" ]; then
		stack_as "$PG_BIN/initdb" -D "$PB_STATE/pg" -U pureboot -A trust \
			-E UTF8 --locale=C.UTF-8 >"$PB_STATE/log/initdb.log" 2>&1 ||
			{ cat "$PB_STATE/log/initdb.log" >&2; stack_die "initdb failed"; return 1; }
	fi
	# pg_ctl itself sees a stale postmaster.pid and starts anyway; a live
	# one means this state directory is in use.
	if stack_as "$PG_BIN/pg_ctl" -D "$PB_STATE/pg" status >/dev/null 2>&1; then
		stack_die "PostgreSQL in $PB_STATE/pg is already running (another 'make run' with this STATE?)"
		return 1
	fi
	# Only a unix socket inside the state directory, 0700: the stack
	# user and root may connect, nobody else (trust auth relies on it).
	stack_as "$PG_BIN/pg_ctl" -D "$PB_STATE/pg" -w -t 30 -l "$PB_STATE/log/postgresql.log" \
		-o "-c listen_addresses='' -k $PB_STATE/sock -c unix_socket_permissions=0700 -c fsync=${PB_PG_FSYNC:-on}" \
		start >/dev/null ||
		{ tail -n 20 "$PB_STATE/log/postgresql.log" >&2; stack_die "PostgreSQL did not start"; return 1; }
	if ! psql -X -At -d "host=$PB_STATE/sock dbname=postgres user=pureboot" \
		-c "SELECT 1 FROM pg_database WHERE datname = 'pureboot'" | grep -q 1; then
		psql -X -q -d "host=$PB_STATE/sock dbname=postgres user=pureboot" \
			-c "CREATE DATABASE pureboot" || return 1
	fi
	"$PB_TOP/scripts/migrate" "$(stack_conninfo)"
}

stack_pg_stop() {
	[ -s "$PB_STATE/pg/postmaster.pid" ] || return 0
	stack_as "$PG_BIN/pg_ctl" -D "$PB_STATE/pg" -w -m fast stop >/dev/null 2>&1 || true
}

stack_api_start() {
	if stack_pid_alive "$PB_STATE/api.pid"; then
		stack_die "pureboot-api is already running (pid $(cat "$PB_STATE/api.pid")) for $PB_STATE"
		return 1
	fi
	rm -f "$PB_STATE/sock/api.sock"
	bin=$(stack_bin pureboot-api) || return 1
	# Not through stack_as: a backgrounded function is a subshell, and
	# $! must be the API itself so that the pid file can stop it.
	set --
	[ "$(id -u)" != 0 ] || set -- setpriv --reuid=pureboot --regid=pureboot --init-groups --
	"$@" "$bin" -s "$PB_STATE/sock/api.sock" \
		-d "$(stack_conninfo pureboot_api)" -w "${PB_WORKERS:-4}" \
		>>"$PB_STATE/log/api.log" 2>&1 &
	echo $! >"$PB_STATE/api.pid"
	if ! stack_wait 60 "the API socket $PB_STATE/sock/api.sock" \
		"$PB_STATE/api.pid" test -S "$PB_STATE/sock/api.sock"; then
		tail -n 20 "$PB_STATE/log/api.log" >&2
		stack_die "pureboot-api did not start"
		return 1
	fi
}

stack_api_stop() {
	stack_pid_stop "$PB_STATE/api.pid"
}

stack_nginx_conf() {
	user_line=""
	[ "$(id -u)" = 0 ] && user_line="user pureboot pureboot;"
	t=$PB_STATE/nginx/tmp
	{
		printf '%s\n' "# generated by scripts/stack.sh from conf/nginx/pureboot.conf" \
			"$user_line" "worker_processes 1;" "daemon on;" \
			"pid $PB_STATE/nginx/nginx.pid;" \
			"error_log $PB_STATE/log/nginx-error.log warn;" \
			"events { worker_connections 1024; }" "http {" \
			"access_log $PB_STATE/log/nginx-access.log;" \
			"client_body_temp_path $t/body; proxy_temp_path $t/proxy;" \
			"fastcgi_temp_path $t/fastcgi; uwsgi_temp_path $t/uwsgi;" \
			"scgi_temp_path $t/scgi;"
		sed -e "s|listen 127.0.0.1:8080;|listen 127.0.0.1:$PB_PORT;|" \
			-e "s|unix:/run/pureboot/api.sock|unix:$PB_STATE/sock/api.sock|" \
			"$PB_TOP/conf/nginx/pureboot.conf"
		echo "}"
	} >"$PB_STATE/nginx/nginx.conf"
}

stack_nginx_start() {
	if stack_pid_alive "$PB_STATE/nginx/nginx.pid"; then
		stack_die "nginx is already running (pid $(cat "$PB_STATE/nginx/nginx.pid")) for $PB_STATE"
		return 1
	fi
	stack_port_free "$PB_PORT" || return 1
	stack_nginx_conf
	nginx -q -e "$PB_STATE/log/nginx-error.log" -c "$PB_STATE/nginx/nginx.conf" ||
		{ tail -n 5 "$PB_STATE/log/nginx-error.log" >&2; stack_die "nginx did not start"; return 1; }
}

stack_nginx_stop() {
	stack_pid_alive "$PB_STATE/nginx/nginx.pid" 2>/dev/null || return 0
	pid=$(cat "$PB_STATE/nginx/nginx.pid")
	kill -TERM "$pid" 2>/dev/null || true
	start=$(date +%s)
	while kill -0 "$pid" 2>/dev/null && [ $(($(date +%s) - start)) -lt 10 ]; do sleep 0.05; done
}

stack_tftp_root() {
	echo "${PB_TFTP_ROOT:-$PB_STATE/tftp}"
}

# pureboot-tftp-hook watch on the state's TFTP root.  The firmware comes
# from scripts/firmware's cache when it is there (`make firmware` fills
# it); the deploy kernel and initramfs from `make initramfs`.
stack_hook_start() {
	if stack_pid_alive "$PB_STATE/hook.pid"; then
		stack_die "pureboot-tftp-hook is already running (pid $(cat "$PB_STATE/hook.pid")) for $PB_STATE"
		return 1
	fi
	root=$(stack_tftp_root)
	mkdir -p "$root/deploy-arm64" && chmod 0755 "$root" "$root/deploy-arm64" || return 1
	fwc=$("$PB_TOP/scripts/firmware" path)
	if [ -e "$fwc/.complete" ]; then
		"$PB_TOP/scripts/firmware" install "$root" 2>>"$PB_STATE/log/firmware.log" ||
			stack_die "firmware install failed; see $PB_STATE/log/firmware.log"
	elif [ ! -d "$root/rpi-firmware" ]; then
		echo "pureboot: note: no Raspberry Pi firmware in $root/rpi-firmware yet: run 'make firmware' (or scripts/firmware import)" >&2
	fi
	# The deploy environment as built (make initramfs), refreshed when it
	# changed; temp name + rename: a Pi never reads half a kernel.
	for f in kernel8.img initramfs.img; do
		src=$PB_BUILD/deploy-arm64/$f
		[ -e "$src" ] || continue
		! cmp -s "$src" "$root/deploy-arm64/$f" || continue
		cp "$src" "$root/deploy-arm64/.$f.tmp" &&
			chmod 0644 "$root/deploy-arm64/.$f.tmp" &&
			mv -f "$root/deploy-arm64/.$f.tmp" "$root/deploy-arm64/$f" || return 1
	done
	stack_boards_files "$root" || return 1
	hook=$(stack_bin pureboot-tftp-hook) || return 1
	[ "$(id -u)" != 0 ] || chown pureboot:pureboot "$root" || return 1
	set --
	[ "$(id -u)" != 0 ] || set -- setpriv --reuid=pureboot --regid=pureboot --init-groups --
	"$@" "$hook" -d "$(stack_conninfo pureboot_hook)" -r "$root" watch \
		>>"$PB_STATE/log/hook.log" 2>&1 &
	echo $! >"$PB_STATE/hook.pid"
	if ! stack_wait 120 "the hook's first \"reconcile: \" line in $PB_STATE/log/hook.log" \
		"$PB_STATE/hook.pid" grep -qs "reconcile: " "$PB_STATE/log/hook.log"; then
		tail -n 20 "$PB_STATE/log/hook.log" >&2
		stack_die "pureboot-tftp-hook did not start"
		return 1
	fi
}

# stack_put SRC DST: DST becomes a copy of SRC (0644) when it differs,
# by a temp name and a rename: a board never reads half a file.
stack_put() {
	! cmp -s "$1" "$2" || return 0
	cp "$1" "$2.pb-tmp" && chmod 0644 "$2.pb-tmp" && mv -f "$2.pb-tmp" "$2"
}

# What U-Boot and UEFI boards read beside the hook's files
# (docs/boards.md): deploy-arm64/Image, the raw kernel U-Boot's booti
# and GRUB's linux take (kernel8.img gunzipped); grubnetaa64.efi.signed
# from Debian's grub-efi-arm64-signed, the UEFI boot file; the DTB
# store dtbs/ from the cached Debian arm64 kernel package, only the
# DTBs that pass pb_fdt_check, added and updated file by file (operator
# imports beside them stay).  PB_BOARD_FILES=0 leaves them out (the
# storm tests: Pis only, and t/0723's tree is a tmpfs smaller than the
# 44 MB Image).
stack_boards_files() {
	root=$1
	[ "${PB_BOARD_FILES:-1}" = 1 ] || return 0
	if [ -e "$root/deploy-arm64/kernel8.img" ]; then
		gunzip -c "$root/deploy-arm64/kernel8.img" >"$PB_STATE/Image.tmp" &&
			stack_put "$PB_STATE/Image.tmp" "$root/deploy-arm64/Image" &&
			rm -f "$PB_STATE/Image.tmp" || return 1
	fi
	grub=/usr/lib/grub/arm64-efi-signed/grubnetaa64.efi.signed
	if [ -e "$grub" ]; then
		stack_put "$grub" "$root/grubnetaa64.efi.signed" || return 1
	else
		echo "pureboot: note: no $grub (grub-efi-arm64-signed): UEFI boards cannot netboot" >&2
	fi
	deb=$(find "${PB_DEB_CACHE:-/var/cache/pureboot/debs}" -maxdepth 1 \
		-name 'linux-image-*-arm64_*_arm64.deb' 2>/dev/null | sort -V | tail -n 1)
	check=$PB_BUILD/pb-fdt-check
	if [ -z "$deb" ] || [ ! -x "$check" ]; then
		echo "pureboot: note: no DTB store from Debian's kernel (make initramfs caches the package)" >&2
		return 0
	fi
	stamp=$root/dtbs/.pureboot-from
	[ "$(cat "$stamp" 2>/dev/null)" != "${deb##*/}" ] || return 0
	tmp=$PB_STATE/dtbs.tmp
	rm -rf "$tmp" && mkdir -p "$tmp" "$root/dtbs" &&
		dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards './usr/lib/linux-image-*/*' || return 1
	src=$(echo "$tmp"/usr/lib/linux-image-*)
	(cd "$src" && find . -name '*.dtb' -type f) | while read -r f; do
		f=${f#./}
		if ! "$check" "$src/$f" >/dev/null 2>&1; then
			echo "pureboot: note: $f from ${deb##*/} is not a device tree a loader takes: left out" >&2
			continue
		fi
		mkdir -p "$root/dtbs/${f%/*}" && stack_put "$src/$f" "$root/dtbs/$f" || exit 1
	done || return 1
	chmod -R a+rX "$root/dtbs" && echo "${deb##*/}" >"$stamp" && rm -rf "$tmp"
}

stack_hook_stop() {
	stack_pid_stop "$PB_STATE/hook.pid"
}

# dnsmasq serving the tree over TFTP on a private loopback address (no
# DNS, no DHCP: on a real network the drop-in in conf/dnsmasq/ adds
# proxy-DHCP).  TFTP's port 69 is fixed in dnsmasq, so this needs root;
# without it make run goes on without TFTP.  Its --dhcp-script records
# TFTP transfers as node events.
stack_dnsmasq_start() {
	PB_TFTP_ADDR=${PB_TFTP_ADDR:-127.0.0.69}
	if [ "$(id -u)" != 0 ]; then
		echo "pureboot: note: not root: no dnsmasq (TFTP needs port 69)" >&2
		return 0
	fi
	if stack_pid_alive "$PB_STATE/dnsmasq.pid"; then
		stack_die "dnsmasq is already running (pid $(cat "$PB_STATE/dnsmasq.pid")) for $PB_STATE"
		return 1
	fi
	if [ -n "$(ss -Hlun "src $PB_TFTP_ADDR:69" 2>/dev/null)" ]; then
		stack_die "UDP $PB_TFTP_ADDR:69 is already in use (another 'make run'? set TFTP_ADDR=127.0.0.N)"
		return 1
	fi
	root=$(stack_tftp_root)
	hook=$(stack_bin pureboot-tftp-hook) || return 1
	cat >"$PB_STATE/dhcp-script" <<-EOF
	#!/bin/sh
	# generated by scripts/stack.sh: dnsmasq passes only its own arguments
	PUREBOOT_DB='$(stack_conninfo pureboot_dhcp)' PUREBOOT_TFTP_ROOT='$root' exec '$hook' "\$@"
	EOF
	chmod 0755 "$PB_STATE/dhcp-script"
	# The script runs as pureboot, not as root (dnsmasq's default): the
	# user that may reach the 0700 database socket, and no more.
	dnsmasq --conf-file=/dev/null --keep-in-foreground --port=0 \
		--listen-address="$PB_TFTP_ADDR" --bind-interfaces \
		--enable-tftp --tftp-root="$root" --tftp-unique-root=mac --tftp-max="${PB_TFTP_MAX:-512}" \
		--dhcp-script="$PB_STATE/dhcp-script" --dhcp-scriptuser=pureboot --pid-file= \
		--log-facility="$PB_STATE/log/dnsmasq.log" >>"$PB_STATE/log/dnsmasq.log" 2>&1 &
	echo $! >"$PB_STATE/dnsmasq.pid"
	if ! stack_wait 30 "dnsmasq's TFTP socket on $PB_TFTP_ADDR:69" \
		"$PB_STATE/dnsmasq.pid" stack_tftp_listening; then
		# Not fatal: the API and the tree work without it.
		tail -n 3 "$PB_STATE/log/dnsmasq.log" >&2
		echo "pureboot: note: dnsmasq did not start, no TFTP (another TFTP server on port 69? Debian's tftpd-hpa service: systemctl disable --now tftpd-hpa)" >&2
		kill "$(cat "$PB_STATE/dnsmasq.pid")" 2>/dev/null || true
		rm -f "$PB_STATE/dnsmasq.pid"
		return 0
	fi
}

stack_tftp_listening() {
	[ -n "$(ss -Hlun "src $PB_TFTP_ADDR:69" 2>/dev/null)" ]
}

stack_dnsmasq_stop() {
	stack_pid_stop "$PB_STATE/dnsmasq.pid"
}

stack_start() {
	stack_layout && stack_pg_start && stack_api_start && stack_nginx_start &&
	stack_hook_start && stack_dnsmasq_start
}

# Stops whatever of the stack is running; safe to call twice.
stack_stop() {
	stack_dnsmasq_stop
	stack_hook_stop
	stack_nginx_stop
	stack_api_stop
	stack_pg_stop
}
