# shellcheck shell=sh
# t/lib-cli.sh: helpers for the pureboot CLI tests against the API
# (t/0802-t/0806).  Source it after t/lib.sh, t/lib-api.sh and
# api_start.

PB=$PB_BUILD/pureboot

# cli_conf: an operator token and $TRASH/cli.conf (mode 600) naming it
# and the API; PUREBOOT_CONF points at it, so no test reads
# /etc/pureboot/cli.conf.
cli_conf() {
	api_operator &&
	umask 077 &&
	printf '# the test stack\nurl = %s\ntoken = %s\n' "$PB_URL" "$(op_token)" >"$TRASH/cli.conf" &&
	chmod 600 "$TRASH/cli.conf"
}
PUREBOOT_CONF=$TRASH/cli.conf
export PUREBOOT_CONF
unset PUREBOOT_URL PUREBOOT_TOKEN

# pb_rc WANT ARGS...: run pureboot ARGS with stdout in ./out and stderr
# in ./err; fails unless it exits WANT (the exit code is the contract).
pb_rc() {
	want=$1
	shift
	rc=0
	"$PB" "$@" >out 2>err || rc=$?
	[ "$rc" = "$want" ] && return 0
	echo "pureboot $*: exit $rc, want $want; stderr:" >&2
	cat err >&2
	return 1
}

# register SERIAL MAC [MODEL]: a node as the agent makes one.
register() {
	printf '{"serial":"%s","mac":"%s","model":"%s"}\n' "$1" "$2" "${3:-pi4}" >.reg &&
	api_body POST /api/v1/nodes/register-pi .reg >.reg.out &&
	case $(cut -d" " -f1 .reg.out) in 200|201) ;; *) cat .reg.out >&2; return 1 ;; esac
}
