# shellcheck shell=sh
# shellcheck disable=SC2154 # pb_run, pb_re_* and friends are set by lib.sh
# install.sh: one install as the API ordered it (the PB_* variables of a
# validated boot answer): image to disk, root partition grown, first-boot
# files (firstboot.sh), deploy-time scripts and install_method script
# (script.sh), callbacks.  Sourced after lib.sh and deploy.sh.

# After the image is written: make the kernel read its partition table.
pb_reread() {
	[ -b "$1" ] || return 0
	sync
	blockdev --rereadpt "$1" 2>/dev/null || partprobe "$1" 2>/dev/null || true
	# A kernel that parses no tables, or a busy disk, leaves the old
	# partitions: partx (where there is one) updates them one by one.
	if command -v partx >/dev/null 2>&1; then
		partx -a "$1" 2>/dev/null || true
		partx -u "$1" 2>/dev/null || true
	fi
	i=0
	while [ ! -b "$(pb_part "$1" 1)" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
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

# A failure after the image was written: a half-configured system must
# not boot either, so the target is wiped as after a failed deploy.
pb_install_wiped() {
	if pb_wipe "$1"; then
		pb_log "install: wiped the first and last MiB of $1 (partition tables)"
		pb_install_failed "$2"
	else
		pb_install_failed "$2; wiping $1 failed too"
	fi
}

# The second step of an install: the boot answer said install and gave
# the token and PB_INSTRUCTIONS_URL; the instructions (image, target,
# first-boot files, which may hold secrets) come from there with the
# token, are checked as a boot answer is and sourced over it.  A few
# tries for a network hiccup; then the install is failed and reported.
# An older server put the instructions in the boot answer itself.
pb_install_fetch() {
	[ -n "${PB_INSTRUCTIONS_URL:-}" ] || return 0
	i=0
	until pb_http_get "$PB_INSTRUCTIONS_URL?format=env" "$pb_run/install.answer" "${PB_TOKEN:-}"; do
		i=$((i + 1))
		case $pb_http_status in
		401|403|404|409) i=3 ;;    # asking again cannot help
		esac
		if [ $i -ge 3 ]; then
			pb_install_failed "install instructions from $PB_INSTRUCTIONS_URL could not be fetched (HTTP $pb_http_status)"
			return 1
		fi
		pb_sleep_jitter 5
	done
	if ! pb_env_check "$pb_run/install.answer"; then
		pb_install_failed "the install instructions from $PB_INSTRUCTIONS_URL did not pass the check"
		return 1
	fi
	# shellcheck source=/dev/null
	. "$pb_env_file"
	pb_log "install: instructions fetched: ${PB_MESSAGE:-}"
}

# POST the installed callback with the install token.  The install is
# done (an image on disk, a diskless root assembled); the server did not
# hear it yet.  Failing here would count an attempt against a good
# install, so retry what a retry can mend (pb_http_retry: 6 tries, about
# 2, 4, 8, 16, 32 s apart).  0: the server heard it.
pb_installed_callback() {
	pb_http_retry 6 2 pb_http_post "$PB_CALLBACK_URL" '{}' "${PB_TOKEN:-}" >/dev/null ||
		{ pb_log "installed callback failed (HTTP $pb_http_status)"; return 1; }
}

# The whole install.  0: installed (the caller reboots); 1: failed and
# reported.
pb_install() {
	case ${PB_INSTALL_METHOD:-image} in
	image) ;;
	script) pb_install_script; return ;;
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
	# No PB_IMAGE_VERIFY (an older server): sha256, so an empty checksum
	# is refused.
	if ! pb_deploy_image "$PB_IMAGE_URL" "${PB_IMAGE_SHA256:-}" \
		"${PB_IMAGE_SHA256_OF:-compressed}" "$target" "${PB_IMAGE_VERIFY:-sha256}"; then
		pb_install_failed "$(cat "$pb_run/deploy/reason" 2>/dev/null || echo 'image deploy failed')"
		return 1
	fi
	read -r got raw fmt sha secs <"$pb_run/deploy/result"
	pb_reread "$target"
	if [ "${PB_RESIZE_ROOTFS:-0}" = 1 ] && ! pb_resize_rootfs "$target"; then
		pb_install_wiped "$target" "resize_rootfs on $target failed"
		return 1
	fi
	# firstboot.sh (the workflows issue's writer) reads the checked
	# answer itself and finds the FAT boot partition in the table.
	fb_rc=0
	"$pb_lib/firstboot.sh" "$target" "$pb_env_file" >"$pb_run/firstboot.out" 2>&1 || fb_rc=$?
	while IFS= read -r l; do pb_log "$l"; done <"$pb_run/firstboot.out"
	if [ "$fb_rc" != 0 ]; then
		pb_install_wiped "$target" "first-boot files on $target failed: $(tail -n 1 "$pb_run/firstboot.out")"
		return 1
	fi
	# post_install steps with where: deploy (script.sh), against the
	# root of the disk as written.
	if [ "${PB_DEPLOY_SCRIPTS:-0}" -gt 0 ] && ! pb_deploy_scripts "$target"; then
		pb_install_wiped "$target" "$pb_script_reason"
		return 1
	fi
	sync
	pb_log "install: $got bytes fetched, $fmt, $raw bytes image (sha256 $sha) in $secs s"
	pb_event install_complete
	pb_installed_callback || return 1
	pb_log "installed: $PB_IMAGE_URL on $target"
	return 0
}
