#!/bin/sh
# firstboot.sh: write the first-boot files of an install to the FAT boot
# partition of the freshly written disk, for busybox sh.
#
#   firstboot.sh DEVICE [ENVFILE]
#
# DEVICE   the target disk (/dev/mmcblk0, ...) or a disk image file.
# ENVFILE  the API's format=env answer (PB_KEY='value' lines); without
#          it the values come from the environment (exported).
# Uses PB_FILES and PB_FILE_<i>_PART, _PATH, _MODE, _B64 (i from 1),
# see docs/agent-contract.md and docs/workflows.md.
#
# The partition table is read here, not from the kernel: right after dd
# the kernel may still hold the old table, and an image file has no
# partition devices at all.  The boot partition is the FAT partition
# (by MBR type or GPT type GUID, and a FAT boot sector) whose label is
# bootfs, system-boot, boot, firmware or RASPIFIRM, else the first FAT
# partition; never "partition 1" by assumption.  Files are written with
# mtools at the partition's byte offset: nothing is mounted.  Nothing is
# ever written to the root filesystem.
set -eu

die() { printf 'firstboot: %s\n' "$*" >&2; exit 1; }

if [ $# -lt 1 ] || [ $# -gt 2 ]; then die "usage: firstboot.sh DEVICE [ENVFILE]"; fi
dev=$1
envf=${2-}
[ -b "$dev" ] || [ -f "$dev" ] || die "device \"$dev\" is not a block device or a file"
if [ -n "$envf" ]; then
	[ -f "$envf" ] || die "env file \"$envf\" does not exist"
	if grep -qv "^PB_[A-Z0-9_]*='[^']*'\$" "$envf"; then
		die "env file \"$envf\": a line is not PB_KEY='value'"
	fi
fi

# getv NAME: the value of NAME, from ENVFILE or the environment.
getv() {
	if [ -n "$envf" ]; then
		sed -n "s/^$1='\\(.*\\)'\$/\\1/p" "$envf" | tail -n 1
	else
		# Debian's busybox has no printenv; values are one line each.
		env | sed -n "s/^$1=//p" | tail -n 1
	fi
}

n=$(getv PB_FILES)
case $n in
'' | 0) exit 0 ;;
*[!0-9]*) die "PB_FILES \"$n\" is not a number" ;;
esac
[ "$n" -le 64 ] || die "PB_FILES \"$n\" is more than 64"

tmp=$(mktemp -d) || die "cannot make a temporary directory"
trap 'rm -rf "$tmp"' EXIT

# le FILE OFF N: the N-byte little-endian unsigned integer at OFF.
le() {
	v=0 m=1
	for b in $(od -An -v -tu1 -j "$2" -N "$3" "$1"); do
		v=$((v + b * m))
		m=$((m * 256))
	done
	echo "$v"
}
# hex FILE OFF N: N bytes at OFF as lower-case hex, no spaces.
hex() { od -An -v -tx1 -j "$2" -N "$3" "$1" | tr -d ' \n'; }
# sectors LBA COUNT OUT: COUNT sectors from LBA of the device into OUT.
sectors() {
	dd if="$dev" of="$3" bs="$ss" skip="$1" count="$2" 2>/dev/null ||
		die "cannot read sector $1 of \"$dev\""
	[ "$(wc -c <"$3")" -eq $(($2 * ss)) ] || die "\"$dev\" ends before sector $(($1 + $2))"
}

ss=512
if [ -b "$dev" ]; then
	s=$(cat "/sys/class/block/${dev##*/}/queue/logical_block_size" 2>/dev/null || echo 512)
	case $s in 512 | 1024 | 2048 | 4096) ss=$s ;; esac
fi

# Candidate partitions: "start-lba" lines, in table order.
: >"$tmp/cand"
sectors 0 1 "$tmp/mbr"
[ "$(hex "$tmp/mbr" 510 2)" = 55aa ] || die "\"$dev\" has no partition table (no MBR signature)"
gpt=0
i=0
while [ $i -lt 4 ]; do
	e=$((446 + 16 * i))
	t=$(hex "$tmp/mbr" $((e + 4)) 1)
	case $t in
	ee) gpt=1 ;;
	# FAT12, FAT16 (<32M, >32M, LBA), FAT32 (CHS, LBA), EFI system
	01 | 04 | 06 | 0b | 0c | 0e | ef) le "$tmp/mbr" $((e + 8)) 4 >>"$tmp/cand" ;;
	esac
	i=$((i + 1))
done
if [ $gpt = 1 ]; then
	: >"$tmp/cand"
	sectors 1 1 "$tmp/gpt"
	[ "$(hex "$tmp/gpt" 0 8)" = 4546492050415254 ] || die "\"$dev\": protective MBR but no GPT header"
	elba=$(le "$tmp/gpt" 72 8)
	num=$(le "$tmp/gpt" 80 4)
	esz=$(le "$tmp/gpt" 84 4)
	if [ "$num" -gt 256 ] || [ "$esz" -lt 128 ] || [ "$esz" -gt 1024 ]; then
		die "\"$dev\": GPT header with $num entries of $esz bytes"
	fi
	sectors "$elba" $(((num * esz + ss - 1) / ss)) "$tmp/ents"
	i=0
	while [ "$i" -lt "$num" ]; do
		e=$((i * esz))
		case $(hex "$tmp/ents" "$e" 16) in
		# EFI system partition, Microsoft basic data (FAT)
		28732ac11ff8d211ba4b00a0c93ec93b | a2a0d0ebe5b9334487c068b6b72699c7)
			le "$tmp/ents" $((e + 32)) 8 >>"$tmp/cand" ;;
		esac
		i=$((i + 1))
	done
fi

# Of the candidates with a FAT boot sector, pick by label.
boot='' first=''
while read -r lba; do
	[ "$lba" -gt 0 ] || continue
	dd if="$dev" of="$tmp/bs" bs="$ss" skip="$lba" count=1 2>/dev/null || continue
	[ "$(wc -c <"$tmp/bs")" -eq "$ss" ] || continue
	[ "$(hex "$tmp/bs" 510 2)" = 55aa ] || continue
	if [ "$(dd if="$tmp/bs" bs=1 skip=82 count=5 2>/dev/null)" = FAT32 ]; then
		lab=$(dd if="$tmp/bs" bs=1 skip=71 count=11 2>/dev/null)
	elif [ "$(dd if="$tmp/bs" bs=1 skip=54 count=4 2>/dev/null)" = FAT1 ]; then
		lab=$(dd if="$tmp/bs" bs=1 skip=43 count=11 2>/dev/null)
	else
		continue
	fi
	[ -n "$first" ] || first=$lba
	lab=$(printf '%s' "$lab" | tr '[:upper:]' '[:lower:]' | sed 's/ *$//')
	case $lab in
	bootfs | system-boot | boot | firmware | raspifirm) boot=$lba; break ;;
	esac
done <"$tmp/cand"
[ -n "$boot" ] || boot=$first
[ -n "$boot" ] || die "\"$dev\" has no FAT boot partition"
img="$dev@@$((boot * ss))"

# Check every file before writing any, so that bad data writes nothing.
i=1
while [ $i -le "$n" ]; do
	part=$(getv "PB_FILE_${i}_PART")
	path=$(getv "PB_FILE_${i}_PATH")
	mode=$(getv "PB_FILE_${i}_MODE")
	b64=$(getv "PB_FILE_${i}_B64")
	[ "$part" = boot ] || die "file $i: partition \"$part\" is not boot"
	printf '%s\n' "$path" | grep -qx '[A-Za-z0-9][A-Za-z0-9._-]\{0,63\}' ||
		die "file $i: path \"$path\" is not a plain file name"
	printf '%s\n' "$mode" | grep -qx '0[0-7][0-7][0-7]' ||
		die "file $i: mode \"$mode\" is not 0NNN"
	if [ -n "$b64" ]; then
		printf '%s\n' "$b64" | grep -qx '[A-Za-z0-9+/]*=\{0,2\}' ||
			die "file $i: content of \"$path\" is not base64"
		printf '%s' "$b64" | base64 -d >"$tmp/f$i" 2>/dev/null ||
			die "file $i: content of \"$path\" does not decode"
	else
		: >"$tmp/f$i"
	fi
	i=$((i + 1))
done

# FAT has no modes; a file without any write bit becomes read-only.
export MTOOLS_SKIP_CHECK=1
i=1
while [ $i -le "$n" ]; do
	path=$(getv "PB_FILE_${i}_PATH")
	mode=$(getv "PB_FILE_${i}_MODE")
	mcopy -o -i "$img" "$tmp/f$i" "::$path" ||
		die "cannot write \"$path\" to the boot partition of \"$dev\""
	if [ $((0$mode & 0222)) -eq 0 ]; then
		mattrib -i "$img" +r "::$path" || die "cannot make \"$path\" read-only"
	fi
	printf 'firstboot: wrote %s (%s bytes) to the boot partition at sector %s\n' \
		"$path" "$(wc -c <"$tmp/f$i" | tr -d ' ')" "$boot"
	i=$((i + 1))
done
sync
