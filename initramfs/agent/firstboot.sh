# shellcheck shell=sh
# shellcheck disable=SC2154 # pb_run, pb_re_* and friends are set by lib.sh
# firstboot.sh: the first-boot files of an install (lib/wf_firstboot.c
# makes them: ssh, userconf.txt, custom.toml, user-data, meta-data,
# network-config...) written to the FAT boot partition of the disk just
# written.  mtools: no mount, no vfat module, and the same code works on
# an image file in the host tests.  Sourced after lib.sh, never run.

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

