#!/bin/sh
# agent.sh: the deploy agent.  /init runs it (and runs it again when it
# ends: it only ends on an error).  Network, identity, register, then
# ask the API what to do until told to install, boot or power off.
# A Pi is named by its serial (register-pi, then boot/pi); any other
# board (no Pi serial: U-Boot or UEFI, docs/boards.md) by the MAC of the
# interface it got its lease on, at boot/arm64, which registers it.
# Ends with status 12 when a diskless root is ready at /newroot (nfs.sh).
#
# Kernel command line (all optional but server):
#   pureboot.server=http://HOST[:PORT]   the API (…/api/v1 is added)
#   pureboot.serial=8HEX  pureboot.model=pi4   for boards without them (QEMU)
#   pureboot.poll=SECONDS    longest wait between two questions (default 60)
#   pureboot.net_timeout=SECONDS   DHCP bound (default 120)
set -eu

pb_lib=${PUREBOOT_LIB:-${0%/*}}
# shellcheck source=initramfs/agent/lib.sh
. "$pb_lib/lib.sh"
# shellcheck source=initramfs/agent/node.sh
. "$pb_lib/node.sh"
# shellcheck source=initramfs/agent/deploy.sh
. "$pb_lib/deploy.sh"
# shellcheck source=initramfs/agent/install.sh
. "$pb_lib/install.sh"
# shellcheck source=initramfs/agent/script.sh
. "$pb_lib/script.sh"
# shellcheck source=initramfs/agent/nfs.sh
. "$pb_lib/nfs.sh"

mkdir -p "$pb_run"

pb_reboot() {
	pb_log "rebooting"
	sync
	${PUREBOOT_REBOOT:-reboot -f}
}

pb_poweroff() {
	pb_log "powering off"
	sync
	${PUREBOOT_POWEROFF:-poweroff -f}
}

server=$(pb_cmdline server || true)
pb_match "$server" "$pb_re_url" ||
	{ pb_log "pureboot.server=\"$server\" on the kernel command line is not an http(s) URL"; exit 1; }
api=${server%/}
case $api in */api/v1) ;; *) api=$api/api/v1 ;; esac
poll_max=$(pb_cmdline poll || echo 60)
pb_match "$poll_max" '[0-9]{1,4}' || poll_max=60

pb_net_up
mac=$(pb_mac)
ip=$(pb_ip)
if pb_is_pi; then
	serial=$(pb_serial)
	model=$(pb_model || true)
	pb_log "node: serial $serial, mac $mac, model ${model:-unknown}, ip $ip, server $api"
	boot_url="$api/boot/pi?serial=$serial&mac=$mac&format=env"
else
	serial=""
	model=$(pb_board_model)
	fw=$(pb_board_boot_mode)
	pb_log "node: board by mac $mac ($fw), model ${model:-unknown}, ip $ip, server $api"
	boot_url="$api/boot/arm64?mac=$mac&boot_mode=$fw&format=env"
	[ -z "$model" ] || boot_url="$boot_url&model=$(pb_query_escape "$model")"
fi
# Not required, but the first line to look for on a stuck board's console.
if pb_http_get "$api/health" "$pb_run/health"; then
	pb_log "server: $(tr -d '\n' <"$pb_run/health" | cut -c1-200)"
fi

# Registering is idempotent on the server: a known node just answers.
# A refusal (409) is waited out with backoff (pb_register, node.sh).  A
# board registers with its first boot/arm64 question.
if [ -n "$serial" ]; then
	body="{\"serial\":\"$serial\",\"mac\":\"$mac\",\"ip_address\":\"$ip\""
	[ -z "$model" ] || body="$body,\"model\":\"$model\""
	body="$body}"
	pb_register "$api" "$body" "$poll_max"
	pb_log "registered"
fi

# Ask, act, ask again.  Each answer is checked before it is sourced, in
# a subshell, so nothing of one answer survives into the next.
backoff=2
while :; do
	if ! pb_http_get "$boot_url" "$pb_run/boot.answer" ||
		! pb_env_check "$pb_run/boot.answer"; then
		pb_log "no usable boot answer, next try in about $backoff s"
		pb_sleep_jitter "$backoff"
		[ "$backoff" -ge "$poll_max" ] || backoff=$((backoff * 2))
		continue
	fi
	backoff=2
	pb_log_trim
	rc=0
	(
		# shellcheck source=/dev/null
		. "$pb_env_file"
		# A waiting board asks every few seconds for hours: say it
		# once, and again when the answer changes.
		said="state ${PB_STATE:-?}, action ${PB_ACTION:-?}: ${PB_MESSAGE:-}"
		if [ "$said" != "$(cat "$pb_run/said" 2>/dev/null)" ]; then
			pb_log "$said"
			printf '%s\n' "$said" >"$pb_run/said"
		fi
		case ${PB_ACTION:-wait} in
		wait)
			w=${PB_RETRY_AFTER:-15}
			[ "$w" -le "$poll_max" ] || w=$poll_max
			pb_sleep_jitter "$w"
			;;
		install)
			# The boot answer has the token; the instructions
			# (image, files, secrets) come with it, checked as the
			# boot answer was.
			# A diskless node's install is its first NFS boot: 12
			# as for action nfs, no reboot.
			if pb_install_fetch; then
				case ${PB_INSTALL_METHOD:-image} in
				nfs) if pb_install_nfs "$serial"; then exit 12; fi ;;
				*) if pb_install; then exit 10; fi ;;
				esac
			fi
			pb_sleep_jitter 5
			;;
		nfs)
			# 12: /init switches root into /newroot.
			if pb_nfs_boot "$serial"; then exit 12; fi
			pb_sleep_jitter "$poll_max"
			;;
		local_boot) exit 10 ;;
		poweroff) exit 11 ;;
		esac
	) || rc=$?
	case $rc in
	0) ;;
	10) pb_reboot ;;
	11) pb_poweroff ;;
	12) exit 12 ;;
	*) exit "$rc" ;;
	esac
done
