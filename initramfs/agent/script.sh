# shellcheck shell=sh
# shellcheck disable=SC2154 # pb_run, pb_env_file and friends are set by lib.sh
# script.sh: scripts the workflow names (issue 13), fetched, checked
# against their sha256 before anything runs them, run in the deploy
# environment with the node's variables, their output sent as
# script_output events.  install_method script (pb_install_script) and
# post_install steps with where: deploy (pb_deploy_scripts, against the
# written disk's root mounted here).  Sourced after lib.sh, deploy.sh
# and install.sh, never run.
#
# Environment (tests): PUREBOOT_SCRIPT_EVERY (seconds between output
# events, default 2, never less), PUREBOOT_DEPLOY_TIMEOUT (the time
# limit of a deploy step, default 1800 s).

pb_script_every=${PUREBOOT_SCRIPT_EVERY:-2}
[ "$pb_script_every" -ge 2 ] 2>/dev/null || pb_script_every=2
pb_deploy_timeout=${PUREBOOT_DEPLOY_TIMEOUT:-1800}
# One event carries at most this many bytes (the API takes 4096), and
# one script's events at most pb_script_cap in all: a script that
# prints without end cannot flood the event table.
pb_script_chunk=4000
pb_script_cap=65536
pb_script_reason=""

# pb_script_fetch URL SHA256 FILE: the script into FILE, or 1 with the
# reason in pb_script_reason and no FILE.  Nothing runs a file whose
# checksum was not compared.
pb_script_fetch() {
	rm -f "$3"
	if ! pb_http_get "$1" "$3.part"; then
		pb_script_reason="script $1 could not be fetched (HTTP $pb_http_status)"
		return 1
	fi
	have=$(sha256sum "$3.part" | cut -d' ' -f1)
	if [ "$have" != "$2" ]; then
		rm -f "$3.part"
		pb_script_reason="script $1: sha256 mismatch: expected $2, got $have; not run"
		return 1
	fi
	mv "$3.part" "$3"
	pb_log "script: $1 fetched, sha256 matches"
}

# Send what $1's output file ($2) holds beyond what was sent (in
# $2.sent), a chunk at a time; past pb_script_cap only count it.
pb_script_flush() {
	sent=$(cat "$2.sent" 2>/dev/null || echo 0)
	seq=$(cat "$2.seq" 2>/dev/null || echo 0)
	size=$(wc -c <"$2" | tr -d ' ')
	while [ "$size" -gt "$sent" ]; do
		if [ "$sent" -ge "$pb_script_cap" ]; then
			echo $((size - sent)) >"$2.dropped"
			return 0
		fi
		n=$((size - sent))
		[ "$n" -le "$pb_script_chunk" ] || n=$pb_script_chunk
		[ "$n" -le $((pb_script_cap - sent)) ] || n=$((pb_script_cap - sent))
		seq=$((seq + 1))
		text=$(tail -c +$((sent + 1)) "$2" | head -c "$n")
		pb_event script_output "\"script\":\"$1\",\"seq\":$seq,\"text\":$(pb_json_str "$text")"
		sent=$((sent + n))
		echo "$sent" >"$2.sent"
		echo "$seq" >"$2.seq"
	done
}

# The forwarder: flushes every pb_script_every seconds until killed.
pb_script_forward() {
	while :; do
		sleep "$pb_script_every"
		pb_script_flush "$1" "$2"
	done
}

# pb_script_run NAME FILE SECONDS ARGS [NAME=VALUE...]: run FILE with sh
# in a clean environment: PATH, HOME, the extra assignments, and the
# answer's PB_VAR_* lines (names and values checked by pb_env_check),
# with ARGS split at spaces (pb_env_check allows no quote or glob in
# them).  Its own session, so that the time limit kills what it
# started too.  Returns its exit status; 0 or 1 with the reason in
# pb_script_reason.
pb_script_run() {
	sr_name=$1 sr_file=$2 sr_secs=$3 sr_args=$4
	shift 4
	sd=$pb_run/script
	sr_out=$sd/$sr_name.out
	mkdir -p "$sd"
	rm -f "$sr_out" "$sr_out".* "$sd/$sr_name.timedout"
	: >"$sr_out"
	set -- env -i "PATH=$PATH" HOME=/ "$@"
	while IFS= read -r line; do
		case $line in
		PB_VAR_*=*) v=${line#*=\'}; set -- "$@" "${line%%=*}=${v%\'}" ;;
		esac
	done <"$pb_env_file"
	set -- "$@" sh "$sr_file"
	set -f
	for a in $sr_args; do set -- "$@" "$a"; done
	set +f
	pb_log "script: $sr_name: running, at most $sr_secs s"
	setsid "$@" >"$sr_out" 2>&1 </dev/null &
	sr_pid=$!
	# The watchdog ends within a second of the script.
	(
		i=0
		while [ "$i" -lt "$sr_secs" ]; do
			sleep 1
			kill -0 "$sr_pid" 2>/dev/null || exit 0
			i=$((i + 1))
		done
		: >"$sd/$sr_name.timedout"
		kill -KILL -- "-$sr_pid" 2>/dev/null || kill -KILL "$sr_pid" 2>/dev/null || true
	) &
	sr_dog=$!
	pb_script_forward "$sr_name" "$sr_out" &
	sr_fwd=$!
	sr_rc=0
	wait "$sr_pid" || sr_rc=$?
	kill "$sr_fwd" 2>/dev/null || true
	wait "$sr_dog" 2>/dev/null || true
	wait "$sr_fwd" 2>/dev/null || true
	pb_script_flush "$sr_name" "$sr_out"
	if [ -s "$sr_out.dropped" ]; then
		pb_event script_output "\"script\":\"$sr_name\",\"seq\":$(($(cat "$sr_out.seq" 2>/dev/null || echo 0) + 1)),\"text\":\"\",\"dropped\":$(cat "$sr_out.dropped")"
	fi
	last=$(tail -n 5 "$sr_out" | tr -cd '\11\12\40-\176' | tr '\n' '|' | tail -c 300)
	if [ -e "$sd/$sr_name.timedout" ]; then
		pb_script_reason="script $sr_name killed after $sr_secs s (its time limit); last lines: $last"
		return 1
	fi
	if [ "$sr_rc" != 0 ]; then
		pb_script_reason="script $sr_name exited with status $sr_rc; last lines: $last"
		return 1
	fi
	pb_log "script: $sr_name: exited 0"
	return 0
}

# install_method script: the workflow's installer does the install.
# 0: installed and the server told; 1: failed and reported.
pb_install_script() {
	set --
	if [ -n "${PB_TARGET_DEVICE:-}" ]; then
		t=$PB_TARGET_DEVICE
		if [ "$t" = auto ]; then
			t=$(pb_auto_target) || { pb_install_failed "target_device auto: no disk found"; return 1; }
		fi
		set -- "PB_TARGET_DEVICE=$t"
	fi
	pb_log "install: script $PB_SCRIPT_URL"
	pb_event install_started
	mkdir -p "$pb_run/script"
	if ! pb_script_fetch "$PB_SCRIPT_URL" "${PB_SCRIPT_SHA256:-}" "$pb_run/script/install.sh" ||
		! pb_script_run install "$pb_run/script/install.sh" "${PB_SCRIPT_TIMEOUT:-3600}" \
			"${PB_SCRIPT_ARGS:-}" "$@"; then
		pb_install_failed "$pb_script_reason"
		return 1
	fi
	sync
	pb_event install_complete
	pb_installed_callback || return 1
	pb_log "installed: script $PB_SCRIPT_URL"
	return 0
}

# The root file system of the disk just written: the last partition
# (where the images put it, and what resize grows), ext4 (what the
# images use), mounted at $2.  An
# image file (the host tests) is mounted through a loop device at the
# partition's offset.
pb_mount_root() {
	line=$(sfdisk -d -- "$1" 2>/dev/null | grep ' : start=' | tail -n 1)
	n=$(printf '%s\n' "$line" | sed -n 's|^[^ ]*[^0-9]\([0-9][0-9]*\) : start=.*|\1|p')
	start=$(printf '%s\n' "$line" | sed -n 's|.* : start= *\([0-9][0-9]*\),.*|\1|p')
	if [ -z "$n" ] || [ -z "$start" ]; then
		pb_script_reason="no partition on $1 to mount"
		return 1
	fi
	mkdir -p "$2"
	# The deploy kernel has ext4 (and loop) as modules, and busybox's
	# mount without -t only tries what /proc/filesystems lists.
	for m in loop crc32c_generic ext4; do
		[ -d "/sys/module/$m" ] || modprobe "$m" 2>/dev/null || true
	done
	if [ -b "$1" ]; then
		mount -t ext4 -- "$(pb_part "$1" "$n")" "$2" 2>"$pb_run/mount.err"
	else
		mount -t ext4 -o "loop,offset=$((start * 512))" -- "$1" "$2" 2>"$pb_run/mount.err"
	fi || { pb_script_reason="mounting partition $n of $1 failed: $(cat "$pb_run/mount.err")"; return 1; }
	pb_log "script: partition $n of $1 mounted at $2"
}

# post_install steps with where: deploy, after the image and the
# first-boot files are on $1: each fetched, checked, run with
# PB_TARGET_ROOT (the mounted root) and PB_TARGET_DEVICE.  0, or 1 with
# the reason in pb_script_reason (the caller wipes the disk).
pb_deploy_scripts() {
	mnt=$pb_run/target
	pb_mount_root "$1" "$mnt" || return 1
	i=1 du_rc=0
	while [ "$i" -le "${PB_DEPLOY_SCRIPTS:-0}" ]; do
		du_url=$(pb_env_get "PB_DEPLOY_SCRIPT_${i}_URL")
		f=$pb_run/script/deploy_$i.sh
		mkdir -p "$pb_run/script"
		if ! pb_script_fetch "$du_url" "$(pb_env_get "PB_DEPLOY_SCRIPT_${i}_SHA256")" "$f" ||
			! pb_script_run "deploy_$i" "$f" "$pb_deploy_timeout" \
				"$(pb_env_get "PB_DEPLOY_SCRIPT_${i}_ARGS")" \
				"PB_TARGET_ROOT=$mnt" "PB_TARGET_DEVICE=$1"; then
			du_rc=1
			break
		fi
		i=$((i + 1))
	done
	sync
	umount -d "$mnt" 2>/dev/null || umount "$mnt" 2>/dev/null ||
		{ [ "$du_rc" != 0 ] || pb_script_reason="unmounting $mnt failed"; du_rc=1; }
	return "$du_rc"
}
