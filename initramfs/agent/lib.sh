# shellcheck shell=sh
# lib.sh: what every part of the deploy agent uses: logging, the kernel
# command line, JSON strings, HTTP calls, events.  Sourced, never run.
# POSIX sh for busybox ash; callers run under set -eu.
#
# Agent variables are lower-case (pb_*); upper-case PB_* names belong to
# the API's boot answer only, so an answer can never redirect the agent.
#
# Environment (tests and debugging):
#   PUREBOOT_RUN      state directory (default /run/pureboot)
#   PUREBOOT_CMDLINE  file read instead of /proc/cmdline
#   PUREBOOT_LIB      the agent's scripts (default /usr/lib/pureboot)

pb_run=${PUREBOOT_RUN:-/run/pureboot}
# where the agent's scripts are (firstboot.sh is run, not sourced)
pb_lib=${pb_lib:-${PUREBOOT_LIB:-/usr/lib/pureboot}}
pb_cmdline_file=${PUREBOOT_CMDLINE:-/proc/cmdline}
pb_log_file=$pb_run/log
pb_http_timeout=30

pb_now() { date +%H:%M:%S 2>/dev/null || echo '--:--:--'; }

# Logs go to stderr (the console) and to the log buffer that a failure
# event carries; stdout is for data.
pb_log() {
	line="$(pb_now) pureboot: $*"
	printf '%s\n' "$line" >&2
	printf '%s\n' "$line" >>"$pb_log_file" 2>/dev/null || true
}

# Keep the log buffer in bounds (it lives in RAM): the last 500 lines
# once it passes 256 KiB.
pb_log_trim() {
	[ "$(wc -c <"$pb_log_file" 2>/dev/null || echo 0)" -gt 262144 ] || return 0
	tail -n 500 "$pb_log_file" >"$pb_log_file.tmp" && mv "$pb_log_file.tmp" "$pb_log_file"
}

# seconds since boot (monotonic enough for intervals)
pb_uptime() { cut -d. -f1 /proc/uptime; }

# A random integer in [0, $1).
pb_random() {
	r=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
	echo $((r % $1))
}

# Sleep $1 seconds, give or take a quarter, so that Pis powered on
# together do not keep asking in step.
pb_sleep_jitter() {
	s=$1
	j=$((s / 4))
	if [ "$j" -gt 0 ]; then
		s=$((s - j + $(pb_random $((2 * j + 1)))))
	fi
	[ "$s" -ge 1 ] || s=1
	sleep "$s"
}

# --- kernel command line ------------------------------------------------------

# The value of pureboot.KEY=VALUE on the kernel command line, or nothing.
# Word by word, no eval; the last occurrence wins (the firmware prepends
# its own words, the operator's come later).
pb_cmdline() {
	want=$1 val="" found=1
	set -f
	# shellcheck disable=SC2013 # words, not lines, on purpose
	for w in $(cat "$pb_cmdline_file" 2>/dev/null); do
		case $w in
		"pureboot.$want="*) val=${w#*=}; found=0 ;;
		"pureboot.$want") val=1; found=0 ;;
		esac
	done
	set +f
	[ "$found" = 0 ] || return 1
	printf '%s\n' "$val"
}

# Does $1 match the extended regular expression $2 as a whole?
pb_match() {
	printf '%s\n' "$1" | grep -Eqx -- "($2)" && [ "$(printf '%s\n' "$1" | wc -l)" -eq 1 ]
}

pb_re_url='https?://[][A-Za-z0-9.:-]+(/[]A-Za-z0-9._~:/?#@!&*+,;=%[-]*)?'
pb_re_sha='[0-9a-f]{64}'
pb_re_dev='/dev/[A-Za-z0-9_/-]+'
# a relative path whose parts do not start with a dot (no .., no escape)
pb_re_relpath='[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*'

# --- JSON ---------------------------------------------------------------------

# $1 as a JSON string, quotes included.  Bytes that are not printable
# ASCII, tab or newline are dropped: the API refuses invalid UTF-8, and a
# log line is worth more than a rejected event.
pb_json_str() {
	printf '%s' "$1" | tr -cd '\11\12\40-\176' |
		awk 'BEGIN { ORS = ""; printf "\"" }
		{ gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); gsub(/\t/, "\\t")
		  if (NR > 1) printf "\\n"; printf "%s", $0 }
		END { printf "\"" }'
}

# --- HTTP ---------------------------------------------------------------------

# After a failed pb_http_get or pb_http_post: the HTTP status the server
# answered (busybox wget says "server returned error: HTTP/1.1 409
# Conflict"), or 0 when there was no answer (no connection, timeout).
pb_http_status=0
pb_http_status_of() {
	pb_http_status=$(sed -n 's/.*server returned error: HTTP\/[0-9.]* \([0-9][0-9][0-9]\).*/\1/p' \
		"$pb_run/http.err" 2>/dev/null | head -n 1)
	[ -n "$pb_http_status" ] || pb_http_status=0
}

# pb_http_get URL FILE [TOKEN]: the body into FILE; 0 on a 2xx answer,
# else 1 with pb_http_status set.  Busybox wget has no timeout of its
# own: every call is bounded here.
pb_http_get() {
	hg_url=$1 hg_out=$2 hg_tok=${3:-}
	set --
	[ -z "$hg_tok" ] || set -- --header "Authorization: Bearer $hg_tok"
	rm -f "$hg_out"
	pb_http_status=200
	if timeout "$pb_http_timeout" wget -q -O "$hg_out" "$@" -- "$hg_url" 2>"$pb_run/http.err"; then
		return 0
	fi
	pb_http_status_of
	pb_log "GET $hg_url: $(tr '\n' ' ' <"$pb_run/http.err")"
	rm -f "$hg_out"
	return 1
}

# pb_http_post URL JSON [TOKEN]: the answer body on stdout; 0 on a 2xx
# answer, else 1 with pb_http_status set and wget's complaint logged
# (unless pb_http_quiet is set: the caller says it).
pb_http_post() {
	url=$1 body=$2 tok=${3:-}
	set -- --header 'Content-Type: application/json'
	[ -z "$tok" ] || set -- "$@" --header "Authorization: Bearer $tok"
	pb_http_status=200
	if timeout "$pb_http_timeout" wget -q -O "$pb_run/post.out" "$@" \
		--post-data "$body" -- "$url" 2>"$pb_run/http.err"; then
		cat "$pb_run/post.out"
		return 0
	fi
	pb_http_status_of
	[ -n "${pb_http_quiet:-}" ] ||
		pb_log "POST $url: $(tr '\n' ' ' <"$pb_run/http.err")"
	return 1
}

# pb_http_retry TRIES WAIT CMD...: run CMD (a pb_http_get or
# pb_http_post) until it succeeds, at most TRIES times, as long as its
# failure is one a retry can mend: no answer (a timeout, a refused or
# reset connection: pb_http_status 0), 429, 502, 503 or 504.  Any other
# answer is final.  Busybox wget stops at an error's status line, before
# the headers, so a Retry-After is never seen: the waits double from
# WAIT s instead (WAIT, 2 WAIT, 4 WAIT ...), with jitter.  A call tried
# again must be one the server takes twice (an event with its key).
pb_http_retry() {
	hr_left=$1 hr_wait=$2
	shift 2
	until "$@"; do
		case $pb_http_status in
		0|429|502|503|504) ;;
		*) return 1 ;;
		esac
		hr_left=$((hr_left - 1))
		[ "$hr_left" -gt 0 ] || return 1
		pb_sleep_jitter "$hr_wait"
		hr_wait=$((hr_wait * 2))
	done
}

# An event's key (docs/agent-contract.md): a fresh random UUID per
# event, so unique per boot and event without a counter, which the
# watcher (pb_watch, a background subshell) could not share.  Empty
# when the kernel gives none: the event goes without.
pb_event_key() {
	tr -cd 'A-Za-z0-9._:-' </proc/sys/kernel/random/uuid 2>/dev/null | cut -c1-64
}

# pb_event TYPE [JSON-MEMBERS]: POST {"type": TYPE, MEMBERS, "key": KEY}
# to the events URL with the install token; also kept in $pb_run/events,
# so a console user (and the host tests) can see what was sent.  Each
# try sends the same key, so the server records the event once however
# many answers were lost (5 tries, about 1, 2, 4, 8 s apart).  An event
# that cannot be delivered is logged, never fatal: the install goes on.
pb_event() {
	ev_key=$(pb_event_key) || ev_key=""
	ev="{\"type\":\"$1\"${2:+,$2}${ev_key:+,\"key\":\"$ev_key\"}}"
	printf '%s\n' "$ev" >>"$pb_run/events"
	if [ -z "${PB_EVENTS_URL:-}" ]; then
		pb_log "event $1: no events URL, kept locally"
		return 0
	fi
	pb_http_retry 5 1 pb_http_post "$PB_EVENTS_URL" "$ev" "${PB_TOKEN:-}" >/dev/null ||
		pb_log "event $1 not delivered"
	return 0
}

# The log buffer's tail, as a JSON string, for failure events.
pb_log_tail_json() {
	pb_json_str "$(tail -n 60 "$pb_log_file" 2>/dev/null | tail -c 6000)"
}

# --- the boot answer ------------------------------------------------------------

pb_env_file=$pb_run/boot.env

# Check the API's KEY='value' answer in $1 line by line and write the
# lines that may be sourced to $pb_env_file.  Any line of another shape
# or a value outside its key's character set refuses the whole answer:
# it is sourced by a root shell.  Unknown PB_ keys (a newer
# API) are left out, so they can never shadow anything.
pb_env_check() {
	: >"$pb_env_file.tmp"
	n=0
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		pb_match "$line" "PB_[A-Z0-9_]+='[^']*'" ||
			{ pb_log "boot answer line $n is not PB_KEY='value'"; return 1; }
		k=${line%%=*}
		v=${line#*=\'}
		v=${v%\'}
		case $k in
		PB_ACTION) re='wait|install|nfs|local_boot|poweroff' ;;
		PB_STATE|PB_INSTALL_METHOD|PB_IMAGE_SHA256_OF) re='[a-z_]+' ;;
		PB_MESSAGE) re="[ -&(-~]*" ;;
		PB_NODE_ID) re='[0-9a-f-]{36}' ;;
		PB_RETRY_AFTER|PB_FILES) re='[0-9]{1,5}' ;;
		PB_RESIZE_ROOTFS) re='[01]' ;;
		PB_TOKEN) re='[A-Za-z0-9._-]{1,200}' ;;
		PB_IMAGE_URL|PB_CALLBACK_URL|PB_EVENTS_URL|PB_INSTRUCTIONS_URL) re=$pb_re_url ;;
		PB_IMAGE_SHA256) re="($pb_re_sha)?" ;;
		PB_IMAGE_VERIFY) re='[a-z0-9]+' ;;    # sha256|none: deploy.sh judges
		PB_TARGET_DEVICE) re="auto|$pb_re_dev"
			# the host tests install into image files
			[ -z "${PUREBOOT_FILE_TARGET:-}" ] || re="$re|/[A-Za-z0-9_./-]+" ;;
		PB_FILE_[0-9]*_PART) re='[A-Za-z0-9_-]{1,32}' ;;
		PB_FILE_[0-9]*_PATH) re=$pb_re_relpath ;;
		PB_FILE_[0-9]*_MODE) re='0?[0-7]{3}' ;;
		PB_FILE_[0-9]*_B64) re='[A-Za-z0-9+/=]*' ;;
		PB_NFS_SERVER) re='[][A-Za-z0-9.:-]+' ;;
		PB_NFS_PATH) re='/[A-Za-z0-9._/-]*' ;;
		PB_NFS_OPTIONS) re='[A-Za-z0-9.,=_:/-]*' ;;
		PB_NFS_MODE) re='persistent|stateless' ;;
		# install_method script and post_install scripts (script.sh):
		# arguments are split at spaces, variables go into a script's
		# environment, so neither has a quote, '$' or glob character.
		PB_SCRIPT_URL|PB_DEPLOY_SCRIPT_[0-9]*_URL) re=$pb_re_url ;;
		PB_SCRIPT_SHA256|PB_DEPLOY_SCRIPT_[0-9]*_SHA256) re=$pb_re_sha ;;
		PB_SCRIPT_ARGS|PB_DEPLOY_SCRIPT_[0-9]*_ARGS) re='[A-Za-z0-9 ._/=:,@+-]*' ;;
		PB_SCRIPT_TIMEOUT|PB_DEPLOY_SCRIPTS) re='[0-9]{1,5}' ;;
		PB_VAR_[A-Z]*) re='[A-Za-z0-9._~:/?#@&+,=% -]*'
			pb_match "$k" 'PB_VAR_[A-Z][A-Z0-9_]{0,31}' ||
				{ pb_log "boot answer line $n: $k is not a variable name"; return 1; } ;;
		*) pb_log "boot answer line $n: unknown key $k ignored"; continue ;;
		esac
		pb_match "$v" "$re" ||
			{ pb_log "boot answer line $n: $k value does not match $re"; return 1; }
		printf '%s\n' "$line" >>"$pb_env_file.tmp"
	done <"$1"
	[ "$n" -gt 0 ] || { pb_log "boot answer is empty"; return 1; }
	mv "$pb_env_file.tmp" "$pb_env_file"
}

# The value of KEY in the checked answer (no eval, no indirection).
pb_env_get() {
	sed -n "s/^$1='\\(.*\\)'\$/\\1/p" "$pb_env_file"
}
