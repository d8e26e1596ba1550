# shellcheck shell=sh
# shellcheck disable=SC2154 # pb_run, pb_re_* and friends are set by lib.sh
# deploy.sh: write a disk image from a URL to a block device, verified.
# Sourced after lib.sh, never run.
#
#   wget URL -> tee (sha256 + byte count of what came over the wire)
#            -> decompress by magic bytes (xz, gzip, zstd, or raw)
#            -> tee (sha256 of the raw image) -> dd to the target
#
# A shell pipeline reports only its last command's status, so every
# stage writes its own status into $st/<stage>.rc: the pipefail of this
# agent, with the failing stage named in the reason.  A watcher process
# posts install_progress at most every 2 s and kills a download that
# makes no progress.  Then the target is read back and hashed.
#
# Environment: PUREBOOT_STALL (seconds without a byte before the
# download is abandoned, default 60), PUREBOOT_PROGRESS (seconds between
# progress events, default 2, never less).

pb_stall=${PUREBOOT_STALL:-60}
pb_progress_every=${PUREBOOT_PROGRESS:-2}
[ "$pb_progress_every" -ge 2 ] 2>/dev/null || pb_progress_every=2

# The partition device of disk $1, number $2: mmcblk0p1, nvme0n1p1,
# loop0p1 (the name ends in a digit) but sda1, vda1.
pb_part() {
	case $1 in
	*[0-9]) printf '%sp%s\n' "$1" "$2" ;;
	*) printf '%s%s\n' "$1" "$2" ;;
	esac
}

# Where "auto" installs: the first disk present, SD/eMMC before NVMe
# before USB/SCSI before virtio.  A workflow that means another disk
# names it.
pb_auto_target() {
	for d in mmcblk0 nvme0n1 sda vda; do
		if [ -b "/dev/$d" ]; then
			printf '/dev/%s\n' "$d"
			return 0
		fi
	done
	return 1
}

# Run stage $1 (the rest is the command) and record its exit status in
# $st/$1.rc and its messages in $st/$1.err.  Always returns 0: the
# pipeline must run to its end, the statuses are judged afterwards.
pb_stage() {
	name=$1
	shift
	if "$@" 2>"$st/$name.err"; then
		echo 0 >"$st/$name.rc"
	else
		echo $? >"$st/$name.rc"
	fi
	return 0
}

# stdin -> stdout, decompressed according to its first bytes; the format
# goes into $st/format.  The 6 bytes are read one at a time so that not
# a byte more leaves the pipe, then put back in front of the rest.
pb_decompress() {
	dd bs=1 count=6 of="$st/magic" 2>/dev/null
	m=$(od -An -tx1 "$st/magic" | tr -d ' \n')
	case $m in
	# xz-utils' xz by its path: Debian's busybox-static runs its own
	# applets before PATH (FEATURE_SH_STANDALONE), and its xz is a
	# single-threaded decoder without -T.  -T0: xz 5.4 decodes the blocks
	# of a multi-block file (xz -T) on every core.
	fd377a585a00) f=xz
		if [ -x /usr/bin/xz ]; then set -- /usr/bin/xz -T0 -dc; else set -- xz -dc; fi ;;
	1f8b*) f=gzip; set -- gzip -dc ;;
	28b52ffd*) f=zstd; set -- zstd -dcq ;;
	*) f=raw; set -- cat ;;
	esac
	echo "$f" >"$st/format"
	cat "$st/magic" - | "$@"
}

# Start the download with its pid in $st/fetch.pid (for the watcher).
pb_fetch() {
	# shellcheck disable=SC2016 # $$ and $0 belong to the inner shell
	# -S: the headers go to stderr ($st/fetch.err), which gives the
	# length without a request of its own.
	sh -c 'echo $$ >"$0"; exec wget -q -S -O - -- "$1"' "$st/fetch.pid" "$1"
}

# Bytes the download has written so far (its /proc io counter).
pb_fetched() {
	pid=$(cat "$st/fetch.pid" 2>/dev/null) || return 0
	sed -n 's/^wchar: //p' "/proc/$pid/io" 2>/dev/null || true
}

# The value of header $1 (lower case) in the last response of wget -S's
# header lines: a redirect prints one block per hop, and only the last
# one describes the bytes that came.
pb_fetch_header() {
	awk -v h="$1:" '
		{ sub(/\r$/, ""); l = tolower($0); sub(/^ +/, "", l) }
		l ~ /^http\// { v = ""; next }
		index(l, h) == 1 { v = substr(l, length(h) + 1); gsub(/^[ \t]+|[ \t]+$/, "", v) }
		END { print v }' "$st/fetch.err" 2>/dev/null || true
}

# The Content-Length of the download so far, or nothing.
pb_fetch_total() {
	v=$(pb_fetch_header content-length)
	case $v in ''|*[!0-9]*) ;; *) printf '%s\n' "$v" ;; esac
}

# The watcher: progress events and the stall guard.  Runs until killed.
pb_watch() {
	last=-1 still=0 total=""
	while :; do
		sleep "$pb_progress_every"
		b=$(pb_fetched)
		[ -n "$b" ] || continue    # not started yet, or already done
		[ -n "$total" ] || total=$(pb_fetch_total)
		if [ "$b" = "$last" ]; then
			still=$((still + pb_progress_every))
			if [ "$still" -ge "$pb_stall" ]; then
				echo "no data for ${still} s" >"$st/stalled"
				if pid=$(cat "$st/fetch.pid" 2>/dev/null); then
					kill "$pid" 2>/dev/null || true
				fi
			fi
			continue
		fi
		still=0 last=$b
		if [ -n "$total" ] && [ "$total" -gt 0 ]; then
			pct=$((b * 100 / total))
			[ "$pct" -le 100 ] || pct=100
			pb_event install_progress "\"bytes\":$b,\"total\":$total,\"percent\":$pct"
		else
			pb_event install_progress "\"bytes\":$b"
		fi
	done
}

pb_fail_reason() { printf '%s\n' "$*" >"$st/reason"; pb_log "deploy: $*"; }

# Read back the first $2 bytes of target $1 and print their sha256.
pb_readback() {
	if [ -b "$1" ]; then
		# Drop the kernel's cached copy, so the bytes come from the device.
		blockdev --flushbufs "$1" 2>/dev/null || true
	fi
	head -c "$2" -- "$1" | sha256sum | cut -d' ' -f1
}

# Make TARGET unbootable after a failed deploy: zero its first and last
# MiB, which hold the MBR, the primary GPT and the backup GPT, so that
# neither the Pi firmware (nor another boot order) finds a partition of
# a half-written or unverified image.  Best effort on a disk that may
# just have failed a write: 1 when it could not.
pb_wipe() {
	t=$1 mib=1048576
	if [ -b "$t" ]; then
		size=$(blockdev --getsize64 "$t") || return 1
	else
		size=$(wc -c <"$t" | tr -d ' ') || return 1    # the host tests' image files
	fi
	if [ "$size" -le $((2 * mib)) ]; then
		dd if=/dev/zero of="$t" bs=512 count=$(((size + 511) / 512)) conv=notrunc,fsync 2>/dev/null || return 1
	else
		dd if=/dev/zero of="$t" bs=$mib count=1 conv=notrunc,fsync 2>/dev/null || return 1
		# In sectors from the last whole one before the end: a disk's
		# size is a multiple of 512, a file's may not be.
		from=$(((size - mib) / 512))
		dd if=/dev/zero of="$t" bs=512 seek="$from" count=$(((size - from * 512 + 511) / 512)) \
			conv=notrunc,fsync 2>/dev/null || return 1
	fi
	if [ -b "$t" ]; then
		# The kernel drops the partitions of the table that is gone.
		blockdev --flushbufs "$t" 2>/dev/null || true
		blockdev --rereadpt "$t" 2>/dev/null || true
	else
		truncate -s "$size" "$t" || return 1    # the last sector may have grown a file
	fi
	return 0
}

# pb_deploy_image URL SHA256|"" compressed|raw TARGET [sha256|none]
# 0 when the image is on TARGET and reads back right; otherwise 1 with
# the reason in $st/reason (st=$pb_run/deploy).  The fifth argument is
# the workflow's image_verify (default sha256): without a checksum
# nothing is installed unless it is none, and then only a download
# whose length is confirmed.  Once the pipeline has started, a failure
# wipes TARGET (pb_wipe): the disk then holds neither the old system
# nor part of the new one.
pb_deploy_image() {
	url=$1 want=$2 of=$3 target=$4 verify=${5:-sha256}
	st=$pb_run/deploy
	rm -rf "$st"
	mkdir -p "$st"
	case $of in compressed|raw) ;; *) pb_fail_reason "image_sha256_of \"$of\" is not compressed or raw"; return 1 ;; esac
	case $verify in
	sha256)
		if [ -z "$want" ]; then
			pb_fail_reason "no image_sha256 for $url and image_verify is not none: an image nobody can check is not installed"
			return 1
		fi ;;
	none) ;;
	*) pb_fail_reason "image_verify \"$verify\" is not sha256 or none"; return 1 ;;
	esac
	if pb_deploy_write; then
		return 0
	fi
	if pb_wipe "$target"; then
		pb_log "deploy: wiped the first and last MiB of $target (partition tables)"
	else
		pb_fail_reason "$(cat "$st/reason"); wiping $target failed too"
	fi
	return 1
}

# The pipeline and its checks, for pb_deploy_image (its variables).
pb_deploy_write() {
	pb_log "deploy: $url -> $target"
	mkfifo "$st/wire.fifo" "$st/wirecount.fifo" "$st/raw.fifo" "$st/rawcount.fifo"
	sha256sum <"$st/wire.fifo" >"$st/wire.sha" &
	wc -c <"$st/wirecount.fifo" >"$st/wire.count" &
	sha256sum <"$st/raw.fifo" >"$st/raw.sha" &
	wc -c <"$st/rawcount.fifo" >"$st/raw.count" &
	pb_watch &
	watcher=$!
	t0=$(pb_uptime)
	pb_stage fetch pb_fetch "$url" |
		pb_stage wiretee tee "$st/wire.fifo" "$st/wirecount.fifo" |
		pb_stage decompress pb_decompress |
		pb_stage rawtee tee "$st/raw.fifo" "$st/rawcount.fifo" |
		pb_stage write dd of="$target" bs=4M conv=fsync
	kill "$watcher" 2>/dev/null || true
	wait
	t1=$(pb_uptime)
	fmt=$(cat "$st/format" 2>/dev/null || echo unknown)
	total=$(pb_fetch_total)
	got=$(tr -d ' ' <"$st/wire.count" 2>/dev/null || echo 0)
	raw=$(tr -d ' ' <"$st/raw.count" 2>/dev/null || echo 0)
	pb_log "deploy: $got bytes fetched, format $fmt, ${raw:-?} bytes written in $((t1 - t0)) s"

	# The first stage that failed is the cause; the later ones only saw
	# its broken stream.  A stage killed by SIGPIPE (status 141) only
	# saw a later one stop reading: that later one is named, when it
	# failed too.
	later=""
	for s in write rawtee decompress wiretee fetch; do
		rc=$(cat "$st/$s.rc" 2>/dev/null || echo missing)
		case $rc in 0|141) ;; *) later=$s ;; esac
	done
	for s in fetch wiretee decompress rawtee write; do
		rc=$(cat "$st/$s.rc" 2>/dev/null || echo missing)
		[ "$rc" = 0 ] && continue
		[ "$rc" = 141 ] && [ -n "$later" ] && [ "$s" != "$later" ] && continue
		err=$(grep -v '^  ' "$st/$s.err" 2>/dev/null | tr '\n' ' ' | cut -c1-300)
		case $s in
		fetch)
			if [ -s "$st/stalled" ]; then
				pb_fail_reason "download of $url stalled ($(cat "$st/stalled")) after $got bytes"
			else
				pb_fail_reason "download of $url failed after $got bytes (wget status $rc): $err"
			fi ;;
		decompress) pb_fail_reason "$fmt decompression failed (status $rc): $err" ;;
		write) pb_fail_reason "writing $target failed (status $rc): $err" ;;
		*) pb_fail_reason "pipeline stage $s failed (status $rc): $err" ;;
		esac
		return 1
	done
	if [ -n "$total" ] && [ "$got" != "$total" ]; then
		pb_fail_reason "download of $url truncated: $got of $total bytes"
		return 1
	fi
	# Without a checksum, only the length says that all of the image
	# came: a server that closes the connection early looks like the
	# end of the file.  wget exits 0 on a chunked body only after its
	# last (empty) chunk.
	if [ -z "$want" ] && [ -z "$total" ]; then
		case $(pb_fetch_header transfer-encoding) in
		*chunked*) ;;
		*) pb_fail_reason "download of $url: $got bytes, length not confirmed (no Content-Length, not chunked) and no image_sha256 to check it"
			return 1 ;;
		esac
	fi
	case $raw in
	''|0) pb_fail_reason "image from $url is empty"; return 1 ;;
	esac
	wire_sha=$(cut -d' ' -f1 "$st/wire.sha")
	raw_sha=$(cut -d' ' -f1 "$st/raw.sha")
	pb_match "$raw_sha" "$pb_re_sha" || { pb_fail_reason "no sha256 of the raw image"; return 1; }
	if [ -n "$want" ]; then
		if [ "$of" = compressed ]; then have=$wire_sha; else have=$raw_sha; fi
		if [ "$have" != "$want" ]; then
			pb_fail_reason "sha256 mismatch ($of): expected $want, got $have"
			return 1
		fi
		pb_log "deploy: sha256 ($of) matches"
	else
		pb_log "deploy: image_verify none: length of $url confirmed, its content not checked"
	fi
	back=$(pb_readback "$target" "$raw")
	if [ "$back" != "$raw_sha" ]; then
		pb_fail_reason "readback of $target differs: wrote sha256 $raw_sha, read $back"
		return 1
	fi
	pb_log "deploy: readback of $raw bytes verified"
	printf '%s %s %s %s %s\n' "$got" "$raw" "$fmt" "$raw_sha" "$((t1 - t0))" >"$st/result"
	return 0
}
