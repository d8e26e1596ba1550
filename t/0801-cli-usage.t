#!/bin/sh
test_description='pureboot: help, SUB --help, usage exit codes, resolve for people and as JSON; the services share its usage and exit'
. "${0%/*}/lib.sh"

P=$PB_BUILD/pureboot

test_expect_success 'no command: the list on stderr, exit 2' '
	rc=0 && "$P" >out 2>err || rc=$? && test "$rc" = 2 &&
	test ! -s out && grep -q "^  workflow " err && grep -q "^  token " err &&
	grep -q "^  nfs " err
'

test_expect_success 'help and --help: the list on stdout, exit 0' '
	"$P" help >help && grep -q "^  workflow " help && grep -q "^  token " help &&
	"$P" --help >h2 && test_cmp help h2
'

test_expect_success 'SUB --help and help SUB print the same usage, exit 0' '
	for c in "workflow validate" "workflow sync" "workflow resolve" \
		"token create" "token revoke" "token list" \
		"nfs import" "nfs list" "nfs remove"; do
		# shellcheck disable=SC2086 # two words on purpose
		"$P" $c --help >a && "$P" help $c >b && test_cmp a b &&
		grep -q "^usage: pureboot $c" a || return 1
	done &&
	"$P" workflow --help >a && grep -q "^  sync " a &&
	"$P" help token >b && grep -q "^  revoke " b
'

test_expect_success 'an unknown command is named, exit 2' '
	rc=0 && "$P" frobnicate >out 2>err || rc=$? && test "$rc" = 2 &&
	grep -q "^pureboot: unknown command \"frobnicate\"" err
'

test_expect_success 'resolve: key: value lines by default, the API JSON with --json' '
	f=$PB_TOP/workflows/pi-raspios-lite.yaml &&
	"$P" workflow resolve -s d83add36 "$f" >human &&
	grep -q "^install_method: image\$" human &&
	grep -q "^files\[0\]\.path: " human &&
	"$P" workflow resolve --json -s d83add36 "$f" >json &&
	test "$(jq -r .install_method json)" = image &&
	rc=0 && "$P" workflow resolve --json -e "$f" >out 2>err || rc=$? &&
	test "$rc" = 2
'

test_expect_success 'pureboot-api and pureboot-tftp-hook: usage on stderr, exit 2' '
	rc=0 && "$PB_BUILD/pureboot-api" >out 2>err || rc=$? && test "$rc" = 2 &&
	grep -q "^usage: pureboot-api -s SOCKET" err &&
	rc=0 && "$PB_BUILD/pureboot-tftp-hook" -r . frob >out 2>err || rc=$? &&
	test "$rc" = 2 && grep -q "^usage: pureboot-tftp-hook " err
'

test_expect_success 'a bad number option is named, with the program, exit 2' '
	rc=0 && "$PB_BUILD/pureboot-api" -s sock -d x -w 0 2>err || rc=$? &&
	test "$rc" = 2 &&
	echo "pureboot-api: workers \"0\" is not a number from 1 to 64" >expect &&
	test_cmp expect err &&
	rc=0 && "$PB_BUILD/pureboot-tftp-hook" -r . -i abc sync 2>err || rc=$? &&
	test "$rc" = 2 &&
	echo "pureboot-tftp-hook: interval \"abc\" is not a number from 1 to 86400" >expect &&
	test_cmp expect err
'

test_done
