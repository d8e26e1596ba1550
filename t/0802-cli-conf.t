#!/bin/sh
test_description='pureboot cli.conf and PUREBOOT_URL/PUREBOOT_TOKEN: a conf others may read is refused, bad keys and values named by line, the environment wins, the token never printed; usage of the new commands'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-api.sh"
api_start
. "$PB_TOP/t/lib-cli.sh"

test_expect_success 'setup: an operator token, a cli.conf of mode 600' '
	cli_conf &&
	pb_rc 0 node list
'

test_expect_success 'a world-readable cli.conf is refused, exit 1, and nothing is asked' '
	chmod 644 "$PUREBOOT_CONF" &&
	test_when_finished "chmod 600 \"$PUREBOOT_CONF\"" &&
	pb_rc 1 node list &&
	echo "pureboot node list: config \"$PUREBOOT_CONF\" is mode 0644: it holds a token, so others must not read it and only its owner may write it (chmod 600 or 640)" >expect &&
	test_cmp expect err && test ! -s out &&
	pb_rc 1 status && grep -q "is mode 0644" err &&
	PUREBOOT_TOKEN=$(op_token) pb_rc 1 events &&
	chmod 604 "$PUREBOOT_CONF" && pb_rc 1 node list &&
	chmod 620 "$PUREBOOT_CONF" && pb_rc 1 node list &&
	chmod 640 "$PUREBOOT_CONF" && pb_rc 0 node list
'

test_expect_success 'a conf that is a symlink or missing is refused' '
	ln -s "$PUREBOOT_CONF" link.conf &&
	PUREBOOT_CONF=$PWD/link.conf pb_rc 1 node list &&
	grep -q "config \".*link.conf\": Too many levels of symbolic links" err &&
	PUREBOOT_CONF=$PWD/none.conf pb_rc 1 node list &&
	grep -q "config \".*none.conf\": No such file or directory" err
'

# conf_bad TEXT WANT: a conf holding TEXT is refused with WANT.
conf_bad() {
	printf "%s\n" "$1" >bad.conf && chmod 600 bad.conf &&
	PUREBOOT_CONF=$PWD/bad.conf pb_rc 1 node list &&
	echo "pureboot node list: $PWD/bad.conf:$2" >expect &&
	test_cmp expect err
}

test_expect_success 'bad keys and values are named with the file and line' '
	conf_bad "urll = http://x" "1: unknown key \"urll\" (url, token)" &&
	conf_bad "# c
url = http://127.0.0.1:1
url = http://127.0.0.1:2" "3: key \"url\" is given twice" &&
	conf_bad "url http://x" "1: \"url\" is not key = value" &&
	conf_bad "url = ftp://x" "1: url: server_url \"ftp://x\" does not start with http:// or https://" &&
	conf_bad "token = pbi1.0123456789abcdef.KHp48K94IWlemHnvEAql6nPP7dZF8WGRH-Iv9CP-Amg" "1: token: token is an install token, not an operator token (pb1....)" &&
	conf_bad "token = secret-value-xyz" "1: token: bearer token is not of the form pb1.<id>.<secret> or pbi1.<id>.<secret>" &&
	! grep -q secret-value-xyz err
'

test_expect_success 'no url, no token: said what to set' '
	printf "token = %s\n" "$(op_token)" >t.conf && chmod 600 t.conf &&
	PUREBOOT_CONF=$PWD/t.conf pb_rc 1 node list &&
	grep -qx "pureboot node list: no server URL: set url in $PWD/t.conf or PUREBOOT_URL" err &&
	PUREBOOT_CONF=$PWD/t.conf PUREBOOT_URL=$PB_URL/ pb_rc 0 node list &&
	printf "url = %s\n" "$PB_URL" >u.conf && chmod 600 u.conf &&
	PUREBOOT_CONF=$PWD/u.conf pb_rc 1 node list &&
	grep -q "no operator token: set token in .*u.conf or PUREBOOT_TOKEN" err
'

test_expect_success 'the environment wins over the file; a revoked token is the API refusal, exit 1' '
	"$PB" token create other >other.tok &&
	"$PB" token revoke test-operator >/dev/null &&
	test_when_finished "db_psql -c \"UPDATE pureboot.api_tokens SET revoked_at = NULL WHERE name = '"'test-operator'"'\"" &&
	pb_rc 1 node list &&
	grep -q "^pureboot node list: 401 " err &&
	! grep -qF "$(cut -d. -f3 "$TRASH/.op-token")" err &&
	PUREBOOT_TOKEN=$(cat other.tok) pb_rc 0 node list &&
	PUREBOOT_URL=http://127.0.0.1:1 PUREBOOT_TOKEN=$(cat other.tok) pb_rc 1 node list &&
	grep -q "^pureboot node list: API http://127.0.0.1:1: " err
'

test_expect_success 'without PUREBOOT_CONF the default path is read (skipped when this host has one)' '
	if test -e /etc/pureboot/cli.conf; then
		echo "# /etc/pureboot/cli.conf exists: not tested"
	else
		rc=0 && env -u PUREBOOT_CONF PUREBOOT_URL="$PB_URL" "$PB" node list >out 2>err || rc=$? &&
		test "$rc" = 1 &&
		grep -q "no operator token: set token in /etc/pureboot/cli.conf or PUREBOOT_TOKEN" err &&
		rc=0 && env -u PUREBOOT_CONF PUREBOOT_URL="$PB_URL" PUREBOOT_TOKEN="$(op_token)" "$PB" node list >out 2>err || rc=$? &&
		test "$rc" = 0
	fi
'

test_expect_success 'every new subcommand: --help and help print its usage, exit 0' '
	for c in "node list" "node show" "node assign" "node transition" \
		"node retire" "node history" events "tree check" status; do
		# shellcheck disable=SC2086 # words on purpose
		"$PB" $c --help >a && "$PB" help $c >b && test_cmp a b &&
		grep -q "^usage: pureboot $c" a || return 1
	done &&
	pb_rc 2 node && grep -q "^  transition " err &&
	pb_rc 2 node frob && grep -q "unknown command \"frob\"" err &&
	pb_rc 2 tree && pb_rc 2 events --frob && pb_rc 2 events a b &&
	pb_rc 2 events -n 0 && pb_rc 2 events -i 99999 && pb_rc 2 status x
'

test_done
