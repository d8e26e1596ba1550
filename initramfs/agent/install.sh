# shellcheck shell=sh
# shellcheck disable=SC2154 # pb_run, pb_re_* and friends are set by lib.sh
# install.sh: one install as the API ordered it (the PB_* variables of a
# validated boot answer): image to disk, root partition grown, first-boot
# files, callbacks.  Sourced after lib.sh and deploy.sh, never run.

# A partition of target $1, number $2, as mtools/e2fsprogs can open it:
# the partition device for a disk, FILE@@OFFSET for an image file (the
# host tests install into files).
pb_part_ref() {
	if [ -b "$1" ]; then
		pb_part "$1" "$2"
		return 0
	fi
	start=$(sfdisk -d -- "$1" 2>/dev/null | sed -n "s|^.*[^0-9]$2 : start= *\([0-9]*\),.*|\1|p")
	[ -n "$start" ] || return 1
	printf '%s@@%s\n' "$1" $((start * 512))
}

# The number of the FAT boot partition of $1: the first partition with a
# FAT type (MBR c, b, e; GPT basic data or EFI system), not "1" by
# assumption.
pb_boot_partno() {
	sfdisk -d -- "$1" 2>/dev/null | awk '
		/ : start=/ {
			n = $1; sub(/.*[^0-9]/, "", n)
			t = $0; sub(/.*type= */, "", t); sub(/[, ].*/, "", t)
			t = toupper(t)
			if (t == "C" || t == "B" || t == "E" ||
			    t == "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7" ||
			    t == "C12A7328-F81F-11D2-BA4B-00A0C93EC93B") { print n; exit }
		}'
}

# After the image is written: make the kernel read its partition table.
pb_reread() {
	[ -b "$1" ] || return 0
	sync
	blockdev --rereadpt "$1" 2>/dev/null || partprobe "$1" 2>/dev/null || true
	i=0
	while [ ! -b "$(pb_part "$1" 1)" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
}

# PB_FILE_<i>_* -> the FAT boot partition (or partition number PART),
# written with mtools: no mount, no vfat module, works on image files.
pb_files_write() {
	target=$1 n=${PB_FILES:-0}
	[ "$n" -gt 0 ] || return 0
	i=1
	while [ "$i" -le "$n" ]; do
		part=$(pb_env_get "PB_FILE_${i}_PART")
		path=$(pb_env_get "PB_FILE_${i}_PATH")
		b64=$(pb_env_get "PB_FILE_${i}_B64")
		case $part in
		boot) no=$(pb_boot_partno "$target") ;;
		[1-9]|[1-9][0-9]) no=$part ;;
		*) pb_log "file $i: partition \"$part\" is not boot or a number"; return 1 ;;
		esac
		[ -n "$no" ] || { pb_log "file $i: no FAT boot partition on $target"; return 1; }
		ref=$(pb_part_ref "$target" "$no") || { pb_log "file $i: no partition $no on $target"; return 1; }
		pb_match "$path" "$pb_re_relpath" ||
			{ pb_log "file $i: path \"$path\" is not a plain relative path"; return 1; }
		printf '%s' "$b64" | base64 -d >"$pb_run/file.$i" ||
			{ pb_log "file $i: content is not base64"; return 1; }
		d=${path%/*}
		if [ "$d" != "$path" ]; then
			MTOOLS_SKIP_CHECK=1 mmd -D s -i "$ref" "::$d" 2>/dev/null || true
		fi
		if ! MTOOLS_SKIP_CHECK=1 mcopy -o -i "$ref" "$pb_run/file.$i" "::$path" 2>"$pb_run/mcopy.err"; then
			pb_log "file $i: mcopy to partition $no: $(tr '\n' ' ' <"$pb_run/mcopy.err")"
			return 1
		fi
		pb_log "file $i: $path written to partition $no ($(wc -c <"$pb_run/file.$i") bytes)"
		i=$((i + 1))
	done
}

# Grow the last partition to the end of the disk and its ext4 with it.
pb_resize_rootfs() {
	target=$1
	[ -b "$target" ] || { pb_log "resize: $target is not a disk, skipped"; return 0; }
	n=$(sfdisk -d -- "$target" | sed -n 's|^.*[^0-9]\([0-9][0-9]*\) : start=.*|\1|p' | tail -n 1)
	[ -n "$n" ] || { pb_log "resize: no partition on $target"; return 1; }
	p=$(pb_part "$target" "$n")
	echo ', +' | sfdisk -q --no-reread -N "$n" -- "$target" >/dev/null 2>"$pb_run/resize.err" ||
		{ pb_log "resize: sfdisk: $(cat "$pb_run/resize.err")"; return 1; }
	pb_reread "$target"
	# e2fsck exits 1 when it fixed something; 4 and up is a failure.
	e2fsck -f -p "$p" >/dev/null 2>&1 || [ $? -lt 4 ] ||
		{ pb_log "resize: e2fsck $p failed"; return 1; }
	resize2fs "$p" >/dev/null 2>"$pb_run/resize.err" ||
		{ pb_log "resize: resize2fs $p: $(cat "$pb_run/resize.err")"; return 1; }
	pb_log "resize: partition $n grown to the end of $target"
}

# The API takes a reason of up to 500 characters; the log has the rest.
pb_install_failed() {
	pb_log "install failed: $1"
	pb_event install_failed "\"reason\":$(pb_json_str "$(printf '%s' "$1" | cut -c1-480)"),\"log\":$(pb_log_tail_json)"
}

# The whole install.  0: installed (the caller reboots); 1: failed and
# reported.
pb_install() {
	case ${PB_INSTALL_METHOD:-image} in
	image) ;;
	*) pb_install_failed "install_method \"$PB_INSTALL_METHOD\" is not supported by this agent"; return 1 ;;
	esac
	target=${PB_TARGET_DEVICE:-auto}
	if [ "$target" = auto ]; then
		target=$(pb_auto_target) || { pb_install_failed "target_device auto: no disk found"; return 1; }
	fi
	if [ ! -b "$target" ] && [ -z "${PUREBOOT_FILE_TARGET:-}" ]; then
		pb_install_failed "target $target is not a block device"
		return 1
	fi
	# The events carry only the contract's fields; the details are in the
	# log, which install_failed carries.
	pb_log "install: $PB_IMAGE_URL -> $target"
	pb_event install_started
	if ! pb_deploy_image "$PB_IMAGE_URL" "${PB_IMAGE_SHA256:-}" \
		"${PB_IMAGE_SHA256_OF:-compressed}" "$target"; then
		pb_install_failed "$(cat "$pb_run/deploy/reason" 2>/dev/null || echo 'image deploy failed')"
		return 1
	fi
	read -r got raw fmt sha secs <"$pb_run/deploy/result"
	pb_reread "$target"
	if [ "${PB_RESIZE_ROOTFS:-0}" = 1 ] && ! pb_resize_rootfs "$target"; then
		pb_install_failed "resize_rootfs on $target failed"
		return 1
	fi
	if ! pb_files_write "$target"; then
		pb_install_failed "first-boot files on $target failed"
		return 1
	fi
	sync
	pb_log "install: $got bytes fetched, $fmt, $raw bytes image (sha256 $sha) in $secs s"
	pb_event install_complete
	if ! pb_http_post "$PB_CALLBACK_URL" '{}' "${PB_TOKEN:-}" >/dev/null; then
		# The image is on disk; the server did not hear it.  Failing here
		# would count an attempt against a good install, so retry.
		i=0
		while [ $i -lt 5 ]; do
			pb_sleep_jitter 5
			pb_http_post "$PB_CALLBACK_URL" '{}' "${PB_TOKEN:-}" >/dev/null && break
			i=$((i + 1))
		done
		[ $i -lt 5 ] || { pb_log "installed callback failed 6 times"; return 1; }
	fi
	pb_log "installed: $PB_IMAGE_URL on $target"
	return 0
}
