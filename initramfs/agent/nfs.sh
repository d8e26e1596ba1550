# shellcheck shell=sh
# shellcheck disable=SC2154 # pb_run and friends are set by lib.sh
# nfs.sh: a diskless node's root (docs/diskless.md).  Mounts the shared
# base read-only over NFS, puts a writable upper layer over it by mode,
# and leaves the assembled root at /newroot for /init to switch_root
# into.  Sourced after lib.sh, never run; the boot answer's PB_NFS_*
# values are set (checked by pb_env_check).
#
#   persistent  <nfsroot>/nodes/<serial>/upper.ext4 on the node's own
#               export, loop-mounted: ext4 holds upper/ and work/
#               (overlayfs refuses an upper directory on NFS) and
#               local/, bind-mounted on the local directories below
#   stateless   a tmpfs upper: nothing survives a reboot
#
# Identity: the node's directory (made by pureboot-tftp-hook) holds
# etc/hostname, etc/machine-id, etc/fstab and etc/ssh/ssh_host_*_key
# (and .pub); they are installed into the assembled root before
# switch_root, in persistent mode into the upper layer on the first
# boot (upper.ext4 keeps them, and the node may change them), in
# stateless mode on every boot (the node's directory is mounted
# read-only for it).
#
# Kernel command line:
#   pureboot.nfs_node_path=/PATH   the node's export, when it is not
#                                  the sibling nodes/<serial> of the
#                                  base directory
#   pureboot.nfs_upper_mb=N        size of a new upper.ext4 (default 4096,
#                                  sparse)

pb_nfs_dir=$pb_run/nfs
pb_newroot=${PUREBOOT_NEWROOT:-/newroot}
# Directories that must be a local-like file system, not overlayfs:
# containerd's overlayfs snapshotter (K3s) cannot put its layers on an
# overlay (nor on NFS).  Bind-mounted from the upper file system.
pb_nfs_local_dirs="/var/lib/rancher"

# Unmount what an earlier try left, innermost first.
pb_nfs_undo() {
	awk -v r="$pb_newroot" -v n="$pb_nfs_dir" \
		'$2 == r || index($2, r "/") == 1 || index($2, n "/") == 1 { print $2 }' \
		/proc/mounts | sort -r | while read -r m; do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
	done
}

# The version asked for in the options (vers= or nfsvers=), else 4
# (mount.nfs tries 4.2 first, then lower).
pb_nfs_vers() {
	v=""
	for o in $(printf '%s' "$1" | tr ',' ' '); do
		case $o in vers=*|nfsvers=*) v=${o#*=} ;; esac
	done
	printf '%s\n' "${v:-4}"
}

# pb_nfs_mount SRC DIR OPTIONS WHAT: mount.nfs, tried 5 times with
# backoff (2, 4, 8, 16 s): a server that is starting or an export that
# appears late is not a failure yet.  The reason goes to the console.
pb_nfs_mount() {
	# (sh has no local variables: these names are this function's own)
	m_src=$1 m_dir=$2 m_opts=$3 m_what=$4
	mkdir -p "$m_dir"
	m_try=1 m_wait=2
	# mount.nfs itself retries for 2 minutes by default, silently: one
	# try per call, the backoff and the messages are here.
	m_o=$m_opts
	case ",$m_o," in *,retry=*) ;; *) m_o=$m_o,retry=0 ;; esac
	while :; do
		# -v: on a failure its last lines say which step failed
		# (rpcbind, MOUNT, the kernel), not only an errno.
		if mount.nfs "$m_src" "$m_dir" -n -v -o "$m_o" >"$pb_run/nfs.err" 2>&1; then
			pb_log "nfs: mounted $m_what $m_src ($m_opts)"
			return 0
		fi
		# and the kernel's own words, when it said any
		m_why=$({ grep -v '^mount.nfs: timeout set for' "$pb_run/nfs.err" | tail -n 4
			dmesg 2>/dev/null | grep -i 'nfs\|rpc\|lockd' | tail -n 2 | sed 's/^\[[ 0-9.]*\] /kernel: /'; } |
			tr '\n' ' ' | cut -c1-500)
		if [ "$m_try" -ge 5 ]; then
			pb_log "nfs: cannot mount $m_what $m_src ($m_opts): $m_why; giving up after $m_try tries"
			printf '%s\n' "mount $m_what $m_src ($m_opts): $m_why" >"$pb_run/nfs.reason"
			return 1
		fi
		pb_log "nfs: cannot mount $m_what $m_src ($m_opts): $m_why; try $((m_try + 1)) in $m_wait s"
		sleep "$m_wait"
		m_try=$((m_try + 1)) m_wait=$((m_wait * 2))
	done
}

# The node's persistent upper: its ext4 image, made when missing (first
# boot of a new node), checked (a node may have lost power), mounted.
pb_nfs_upper_ext4() {
	img=$pb_nfs_dir/node/upper.ext4 up=$pb_nfs_dir/upper
	if [ ! -e "$img" ]; then
		mb=$(pb_cmdline nfs_upper_mb || echo 4096)
		pb_match "$mb" '[0-9]{2,7}' || mb=4096
		pb_log "nfs: no upper.ext4 yet: making a sparse $mb MiB one"
		# Inode tables are left uninitialised and never zeroed over
		# the network (noinit_itable below): the group checksums
		# keep that safe.  /sbin/mke2fs is e2fsprogs': busybox's
		# mke2fs applet (earlier in PATH) makes ext2 only.
		if ! { truncate -s "${mb}M" "$img.new" 2>"$pb_run/nfs.err" &&
			/sbin/mke2fs -q -F -t ext4 -L pb-upper \
				-E lazy_itable_init=1,lazy_journal_init=1 "$img.new" \
				>"$pb_run/nfs.err" 2>&1 &&
			mv "$img.new" "$img"; }; then
			printf '%s\n' "mke2fs of $img: $(tr '\n' ' ' <"$pb_run/nfs.err")" >"$pb_run/nfs.reason"
			pb_log "nfs: $(cat "$pb_run/nfs.reason")"
			rm -f "$img.new"
			return 1
		fi
	fi
	rc=0
	e2fsck -p "$img" >"$pb_run/nfs.err" 2>&1 || rc=$?
	if [ "$rc" -ge 4 ]; then
		printf '%s\n' "e2fsck of upper.ext4 ended with status $rc: $(tail -n 3 "$pb_run/nfs.err" | tr '\n' ' ')" >"$pb_run/nfs.reason"
		pb_log "nfs: $(cat "$pb_run/nfs.reason")"
		return 1
	fi
	[ "$rc" = 0 ] || pb_log "nfs: e2fsck repaired upper.ext4 (status $rc)"
	mkdir -p "$up"
	mount -t ext4 -o loop,noinit_itable "$img" "$up" 2>"$pb_run/nfs.err" ||
		{ printf '%s\n' "mount of upper.ext4: $(tr '\n' ' ' <"$pb_run/nfs.err")" >"$pb_run/nfs.reason"
		  pb_log "nfs: $(cat "$pb_run/nfs.reason")"; return 1; }
}

# pb_nfs_install SRC DST MODE: one identity file into the new root, as
# root:root with MODE, replacing what the base has there (a link too).
pb_nfs_install() {
	mkdir -p "${2%/*}" &&
		cat "$1" >"$2.pb-new" && chmod "$3" "$2.pb-new" && mv -f "$2.pb-new" "$2"
}

# pb_nfs_identity MODE: the node's identity from its directory into
# $pb_newroot (see the top of this file).
pb_nfs_identity() {
	src=$pb_nfs_dir/node/etc mark=$pb_nfs_dir/upper/pureboot-identity
	if [ ! -s "$src/machine-id" ]; then
		pb_log "nfs: the node directory has no etc/machine-id: the base's identity is used"
		return 0
	fi
	if [ "$1" = persistent ] && [ -s "$mark" ]; then
		pb_log "nfs: identity installed on the first boot ($(cat "$mark")): kept"
		return 0
	fi
	for p in "$src/hostname" "$src/machine-id" "$src/fstab" \
		"$src"/ssh/ssh_host_*_key "$src"/ssh/ssh_host_*_key.pub; do
		[ -f "$p" ] || continue
		f=${p#"$src"/}
		case $f in
		*_key) m=0600 ;;
		machine-id) m=0444 ;;
		*) m=0644 ;;
		esac
		pb_nfs_install "$p" "$pb_newroot/etc/$f" "$m" ||
			{ pb_log "nfs: cannot install etc/$f into the root"; return 1; }
	done
	[ "$1" != persistent ] || cat "$src/machine-id" >"$mark"
	pb_log "nfs: identity installed: $(cat "$pb_newroot/etc/hostname"), machine-id $(cat "$pb_newroot/etc/machine-id")"
}

# pb_nfs_assemble SERIAL: the root at $pb_newroot; 0 when it is ready.
pb_nfs_assemble() {
	serial=$1
	mode=${PB_NFS_MODE:-persistent}
	opts=${PB_NFS_OPTIONS:-}
	vers=$(pb_nfs_vers "$opts")
	[ -n "$opts" ] || opts=vers=$vers
	case $vers in
	3*)	# No rpc.statd here: locks stay local to the node (its root is
		# its own; the base is read-only anyway).
		case ",$opts," in *,lock,*|*,nolock,*|*,local_lock=*) ;; *) opts=$opts,nolock ;; esac ;;
	esac
	server=$PB_NFS_SERVER
	base=$PB_NFS_PATH
	node=$(pb_cmdline nfs_node_path || true)
	if [ -z "$node" ]; then
		b=${base%/*}
		node=${b%/*}/nodes/$serial
	fi
	pb_match "$node" '/[A-Za-z0-9._/-]*' ||
		{ pb_log "nfs: node path \"$node\" is not an absolute path"; return 1; }
	pb_log "nfs: root $server:$base, mode $mode, options $opts"
	: >"$pb_run/nfs.reason"
	pb_nfs_undo
	for m in nfs nfsv3 nfsv4 overlay loop ext4 crc32c_generic; do
		[ -d "/sys/module/$m" ] || modprobe "$m" 2>"$pb_run/nfs.err" ||
			pb_log "nfs: modprobe $m: $(tr '\n' ' ' <"$pb_run/nfs.err")"
	done
	mkdir -p "$pb_nfs_dir" "$pb_newroot"
	pb_nfs_mount "$server:$base" "$pb_nfs_dir/base" "ro,$opts" base || return 1
	case $mode in
	persistent)
		pb_nfs_mount "$server:$node" "$pb_nfs_dir/node" "rw,$opts" "node directory" &&
			pb_nfs_upper_ext4 || return 1
		;;
	stateless)
		pb_nfs_mount "$server:$node" "$pb_nfs_dir/node" "ro,$opts" "node directory" || return 1
		mkdir -p "$pb_nfs_dir/upper"
		mount -t tmpfs -o mode=0755 tmpfs "$pb_nfs_dir/upper" || return 1
		;;
	esac
	up=$pb_nfs_dir/upper
	mkdir -p "$up/upper" "$up/work" "$up/local"
	if ! mount -t overlay overlay \
		-o "lowerdir=$pb_nfs_dir/base,upperdir=$up/upper,workdir=$up/work" \
		"$pb_newroot" 2>"$pb_run/nfs.err"; then
		printf '%s\n' "overlay: $(tr '\n' ' ' <"$pb_run/nfs.err") $(dmesg | grep overlayfs | tail -n 2 | tr '\n' ' ')" >"$pb_run/nfs.reason"
		pb_log "nfs: $(cat "$pb_run/nfs.reason")"
		return 1
	fi
	for d in $pb_nfs_local_dirs; do
		if ! { mkdir -p "$up/local$d" "$pb_newroot$d" &&
			mount --bind "$up/local$d" "$pb_newroot$d"; }; then
			pb_log "nfs: cannot bind $d from the upper file system"
			return 1
		fi
	done
	pb_nfs_identity "$mode" || return 1
	# Stateless: the identity was all the node's directory is for.
	[ "$mode" != stateless ] || umount "$pb_nfs_dir/node" 2>/dev/null || true
	pb_log "nfs: root assembled: $mode, upper on $(awk -v u="$up" '$2 == u { print $3 }' /proc/mounts)"
}

# pb_nfs_handoff: the assembled root goes to /init (the caller exits
# with status 12): the first_boot event (an install's moves the node
# installed -> active and ends its token; a later boot has no token and
# keeps it locally), then the init /init is to run.
pb_nfs_handoff() {
	pb_event first_boot "\"method\":\"nfs\",\"mode\":$(pb_json_str "${PB_NFS_MODE:-persistent}"),\"root\":$(pb_json_str "$PB_NFS_SERVER:$PB_NFS_PATH")"
	init=/sbin/init
	# shellcheck disable=SC2013 # words, not lines
	for w in $(cat "$pb_cmdline_file" 2>/dev/null); do
		case $w in init=/*) init=${w#init=} ;; esac
	done
	printf '%s\n' "$init" >"$pb_run/switch_root"
	pb_log "nfs: handing $pb_newroot to /init (switch_root, then $init)"
}

# pb_nfs_boot SERIAL: assemble the root and hand it to /init (the caller
# exits with status 12: /init switches root).  On failure the reason is
# logged and sent as an event; the caller asks the API again.
pb_nfs_boot() {
	if pb_nfs_assemble "$1"; then
		pb_nfs_handoff
		return 0
	fi
	pb_event nfs_failed "\"reason\":$(pb_json_str "$(cat "$pb_run/nfs.reason" 2>/dev/null)"),\"log\":$(pb_log_tail_json)"
	pb_nfs_undo
	return 1
}

# pb_install_nfs SERIAL: the install of a diskless node (install_method
# nfs, from the instructions of an install answer): nothing goes to a
# disk.  The root is assembled as on every NFS boot, the server hears
# installed, and the first_boot of pb_nfs_handoff makes the node active
# on this, its first NFS boot.  0: the root is ready (the caller exits
# 12); 1: failed and reported (install_failed, with the reason).
pb_install_nfs() {
	pb_event install_started
	if ! pb_nfs_assemble "$1"; then
		pb_install_failed "nfs root $PB_NFS_SERVER:$PB_NFS_PATH: $(cat "$pb_run/nfs.reason" 2>/dev/null)"
		pb_nfs_undo
		return 1
	fi
	pb_event install_complete
	if ! pb_installed_callback; then
		pb_nfs_undo
		return 1
	fi
	pb_log "installed: diskless, root $PB_NFS_SERVER:$PB_NFS_PATH (${PB_NFS_MODE:-persistent})"
	pb_nfs_handoff
}
