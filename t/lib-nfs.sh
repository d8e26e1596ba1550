# shellcheck shell=sh
# t/lib-nfs.sh: an NFS server for the diskless tests (t/097x), run as a
# process of the test like PostgreSQL is: nfs-ganesha with the VFS
# backend (this host's kernel may have no nfsd), and rpcbind for NFSv3.
# Sourced after t/lib.sh; call nfs_export and nfs_start at the top
# level of the test file (test_atexit does not work in a test body).
#
# Both run in a network and mount namespace of their own (unshare), so
# they use the standard ports (rpcbind 111, nfs 2049, mountd 20048) and
# rpcbind's /run/rpcbind.sock without meeting another test's server or
# the host's.  QEMU guests reach them as 10.0.2.102 through guestfwd
# commands that enter that namespace (nfs_guestfwd).
#
#   nfs_export ID PATH PSEUDO ro|rw   one export (before nfs_start)
#   NFS_EXPORTS                       the file of EXPORT blocks ganesha
#                                     includes: pureboot-tftp-hook may
#                                     write it instead (--nfs-exports)
#   nfs_reload_cmd                    the command that makes ganesha
#                                     read it again (SIGHUP)
#   NFS_SRV_ROOT=DIR                  (before nfs_start) DIR is
#                                     /srv/nfsroot in the server's mount
#                                     namespace, the path of the shipped
#                                     example workflow (workflows/)
#   nfs_in_srv CMD...                 CMD where DIR is /srv/nfsroot too
#   nfs_start                         server up and answering, or bail out
#   nfs_ls NFS-URL-PATH VERSION       nfs-ls (libnfs, no kernel client)
#   nfs_guestfwd                      the guestfwd= words for qemu_start
#   nfs_stop                          (at exit)

NFS_DIR=$TRASH/nfs-server
NFS_EXPORTS=$NFS_DIR/exports.conf
mkdir -p "$NFS_DIR"
: >"$NFS_EXPORTS"

# ganesha 4.3 re-reads its configuration on SIGHUP: exports added and
# removed, the others (and their clients' state) kept (t/0611).
nfs_reload_cmd() {
	printf 'kill -HUP "$(cat %s/ganesha.pid)"\n' "$NFS_DIR"
}

nfs_export() {
	case $4 in ro) a=RO ;; rw) a=RW ;; *) echo "nfs_export: access \"$4\" is not ro or rw" >&2; return 1 ;; esac
	# Every guest arrives from 127.0.0.1 (the guestfwd's nc), so the
	# per-node restriction of a real server (one client address per
	# export, docs/diskless.md) cannot be shown here.
	cat >>"$NFS_DIR/exports.conf" <<-EOF
	EXPORT {
		Export_Id = $1;
		Path = "$2";
		Pseudo = "$3";
		Access_Type = None;
		Squash = No_Root_Squash;
		SecType = sys;
		Protocols = 3, 4;
		Transports = TCP;
		CLIENT { Clients = 127.0.0.1; Access_Type = $a; }
		FSAL { Name = VFS; }
	}
	EOF
}

nfs_conf() {
	cat <<-EOF
	NFS_CORE_PARAM {
		Protocols = 3, 4;
		NFS_Port = 2049;
		MNT_Port = 20048;
		Enable_NLM = false;
		Enable_RQUOTA = false;
		# v3 clients mount the same paths as v4 ones.
		Mount_Path_Pseudo = true;
	}
	NFSV4 {
		Graceless = true;
		# The kernel client sends and expects numeric ids with
		# sec=sys; there is no idmapd in the initramfs.
		Only_Numeric_Owners = true;
	}
	EXPORT_DEFAULTS { Access_Type = None; }
	%include "$NFS_DIR/exports.conf"
	EOF
}

# The namespace's first process: lo up, a private /run (rpcbind.sock)
# and /var/lib/nfs (ganesha's v4 recovery state), rpcbind, then ganesha
# in its place, so $! of the unshare is ganesha's pid.
nfs_server_sh() {
	cat <<-\EOF
	set -eu
	d=$1
	ip link set lo up
	mount -t tmpfs -o mode=0755 tmpfs /run
	mkdir -p /var/lib/nfs
	mount -t tmpfs tmpfs /var/lib/nfs
	if [ -n "$2" ]; then
		mount -t tmpfs -o mode=0755 tmpfs /srv
		mkdir /srv/nfsroot
		mount --bind "$2" /srv/nfsroot
	fi
	rpcbind -f -w >"$d/rpcbind.log" 2>&1 &
	echo $! >"$d/rpcbind.pid"
	i=0
	until [ -S /run/rpcbind.sock ]; do
		i=$((i + 1))
		[ $i -le 100 ] || { echo "rpcbind made no socket in 10 s" >>"$d/rpcbind.log"; exit 1; }
		sleep 0.1
	done
	exec ganesha.nfsd -F -f "$d/ganesha.conf" -L "$d/ganesha.log" -p "$d/ganesha.pid"
	EOF
}

nfs_in_ns() {
	nsenter --net="/proc/$(cat "$NFS_DIR/ns.pid")/ns/net" "$@"
}

nfs_ls() {
	nfs_in_ns nfs-ls "nfs://127.0.0.1$1?version=$2"
}

nfs_log() {
	echo "# ganesha log:" && sed 's/^/#   /' "$NFS_DIR/ganesha.log" 2>/dev/null | grep -v ':DBUS :\|krb5\|principal' | tail -n 30
	echo "# rpcbind log:" && sed 's/^/#   /' "$NFS_DIR/rpcbind.log" 2>/dev/null
}

# until every export answers nfs-ls over v4 and v3 (60 s)
nfs_wait_ready() {
	i=0
	sed -n 's/^[[:space:]]*Pseudo = "\(.*\)";$/\1/p' "$NFS_DIR/exports.conf" >"$NFS_DIR/pseudo"
	while read -r p; do
		for v in 4 3; do
			until nfs_ls "$p" "$v" >/dev/null 2>"$NFS_DIR/ls.err"; do
				i=$((i + 1))
				if [ $i -gt 300 ] || ! kill -0 "$(cat "$NFS_DIR/ns.pid")" 2>/dev/null; then
					echo "# waited 60 s for the NFS server to answer nfs-ls $p over v$v: $(cat "$NFS_DIR/ls.err")"
					nfs_log
					return 1
				fi
				sleep 0.2
			done
		done
	done <"$NFS_DIR/pseudo"
}

nfs_start() {
	for c in ganesha.nfsd rpcbind nfs-ls; do
		command -v "$c" >/dev/null ||
			{ echo "Bail out! $c is not installed (nfs-ganesha, rpcbind, libnfs-utils: scripts/deps)"; exit 1; }
	done
	[ "$(id -u)" = 0 ] || test_skip_all "the NFS server (ganesha, unshare) needs root"
	nfs_conf >"$NFS_DIR/ganesha.conf"
	nfs_server_sh >"$NFS_DIR/server.sh"
	test_atexit nfs_stop
	unshare --net --mount --propagation private sh "$NFS_DIR/server.sh" "$NFS_DIR" "${NFS_SRV_ROOT:-}" \
		>"$NFS_DIR/server.out" 2>&1 &
	echo $! >"$NFS_DIR/ns.pid"
	nfs_wait_ready || { cat "$NFS_DIR/server.out"; echo "Bail out! the NFS server did not start"; exit 1; }
}

nfs_in_srv() {
	# shellcheck disable=SC2016 # for the inner sh
	unshare --mount --propagation private sh -c 'mount -t tmpfs -o mode=0755 tmpfs /srv &&
		mkdir /srv/nfsroot && mount --bind "$0" /srv/nfsroot && exec "$@"' "$NFS_SRV_ROOT" "$@"
}

nfs_stop() {
	[ -s "$NFS_DIR/ns.pid" ] || return 0
	pid=$(cat "$NFS_DIR/ns.pid")
	kill -TERM "$pid" 2>/dev/null
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.1; done
	kill -KILL "$pid" 2>/dev/null
	[ ! -s "$NFS_DIR/rpcbind.pid" ] || kill -TERM "$(cat "$NFS_DIR/rpcbind.pid")" 2>/dev/null
	rm -f "$NFS_DIR/ns.pid"
	return 0
}

# The guest's 10.0.2.102: rpcbind, nfs and mountd, one nc per connection
# inside the server's namespace.
nfs_guestfwd() {
	ns=/proc/$(cat "$NFS_DIR/ns.pid")/ns/net
	for p in 111 2049 20048; do
		printf 'guestfwd=tcp:10.0.2.102:%s-cmd:nsenter --net=%s busybox nc 127.0.0.1 %s,' "$p" "$ns" "$p"
	done | sed 's/,$//'
}

# nfs_tiny_base DIR: a root file system in DIR to serve as the base:
# arm64 busybox-static (from the deploy build's .deb cache) and an
# /sbin/init that reports on the console what it finds (its identity:
# /etc/hostname and /etc/machine-id), leaves a mark under /var, and
# powers off.
nfs_tiny_base() {
	d=$1
	deb=$(find "${PB_DEB_CACHE:-/var/cache/pureboot/debs}" -maxdepth 1 -name 'busybox-static_*_arm64.deb' | sort -V | tail -n 1)
	[ -n "$deb" ] || { echo "# no busybox-static arm64 .deb in the cache: run make initramfs"; return 1; }
	mkdir -p "$d.x" "$d/bin" "$d/sbin" "$d/etc" "$d/dev" "$d/proc" "$d/sys" \
		"$d/run" "$d/tmp" "$d/var" "$d/root" &&
	dpkg-deb -x "$deb" "$d.x" &&
	cp "$d.x/bin/busybox" "$d/bin/busybox" &&
	rm -rf "$d.x" || return 1
	for a in sh cat echo mkdir sync awk sed grep poweroff mount touch rm sleep head tr; do
		ln -s busybox "$d/bin/$a" || return 1
	done
	echo pbbase >"$d/etc/hostname" &&
	cat >"$d/sbin/init" <<-\EOF &&
	#!/bin/sh
	# The test base's init: what it sees, on the console, then off.
	PATH=/bin
	export PATH
	say() { echo "pbbase: $*"; }
	boot=$(sed -n 's/.*pbtest\.boot=\([a-z0-9]*\).*/\1/p' /proc/cmdline)
	say "up, boot $boot, pid $$, root $(awk '$2 == "/" { t = $3 } END { print t }' /proc/mounts)"
	say "identity $(cat /etc/hostname) $(cat /etc/machine-id 2>/dev/null || echo none)"
	if [ -f /var/pbtest/mark ]; then say "mark found: $(cat /var/pbtest/mark)"; else say "no mark"; fi
	mkdir -p /var/pbtest /root/pbtest
	echo "$boot" >/var/pbtest/mark
	echo "$boot" >"/root/pbtest/$boot"
	sync
	say "mark written: $(cat /var/pbtest/mark)"
	say "/var/lib/rancher on $(awk '$2 == "/var/lib/rancher" { print $3 }' /proc/mounts)"
	touch /run/pureboot/nfs/base/pbtest 2>/dev/null && say "base is writable" || say "base is read-only"
	say "done"
	poweroff -f
	EOF
	chmod 0755 "$d/sbin/init"
}

# nfs_tree_sum DIR: every path with its type, mode, owner, size, mtime
# and content checksum, to show the base unchanged.
nfs_tree_sum() {
	(cd "$1" && find . -printf '%p %y %m %U:%G %s %T@ %l\n' | sort &&
		find . -type f -print0 | sort -z | xargs -0 sha256sum)
}
