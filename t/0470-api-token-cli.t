#!/bin/sh
test_description='pureboot token creates, lists and revokes operator tokens that the API accepts and then refuses'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-api.sh"
api_start

tok() { "$PB_BUILD/pureboot" token "$@"; }

test_expect_success 'the API test helpers and scripts are shellcheck-clean' '
	cd "$PB_TOP" &&
	shellcheck -x scripts/bench-api t/lib-api.sh
'

test_expect_success 'create prints a token the API accepts' '
	tok create -d "$PUREBOOT_DB" alice@ops >tok &&
	grep -qx "pb1\.[0-9a-f]\{12\}\.[A-Za-z0-9_-]\{43\}" tok &&
	api GET /api/v1/settings -H "Authorization: Bearer $(cat tok)" >out &&
	test "$(cut -d" " -f1 out)" = 200
'

test_expect_success 'only the hash of the secret is stored' '
	db_psql -c "SELECT id || encode(hash, '"'hex'"') FROM pureboot.api_tokens" >stored &&
	! grep -F "$(cut -d. -f3 tok)" stored &&
	test "$(cut -c1-12 stored)" = "$(cut -d. -f2 tok)"
'

test_expect_success 'a name that is taken, or not a name, is refused with exit 1' '
	rc=0 && tok create alice@ops 2>err || rc=$? && test "$rc" = 1 &&
	grep -q "already taken" err &&
	rc=0 && tok create "a b;drop" 2>err || rc=$? && test "$rc" = 1 &&
	grep -q "is not 1 to 64 characters" err &&
	rc=0 && tok revoke "" 2>err || rc=$? && test "$rc" = 1 &&
	db_count api_tokens >n && echo 1 >one && test_cmp one n
'

test_expect_success 'create --json gives name, id and a token the API accepts' '
	tok create --json bob >bob.json &&
	test "$(jq -r .name bob.json)" = bob &&
	jq -r .token bob.json | grep -qx "pb1\.$(jq -r .id bob.json)\.[A-Za-z0-9_-]\{43\}" &&
	api GET /api/v1/settings -H "Authorization: Bearer $(jq -r .token bob.json)" >out &&
	test "$(cut -d" " -f1 out)" = 200
'

test_expect_success 'list shows it live and used' '
	tok list -d "$PUREBOOT_DB" >out &&
	grep -q "^alice@ops created=.* last_used=2.* live\$" out
'

test_expect_success 'revoke; the API refuses it; revoking again is harmless' '
	tok revoke alice@ops >out &&
	echo "token \"alice@ops\" revoked" >expect && test_cmp expect out &&
	api GET /api/v1/settings -H "Authorization: Bearer $(cat tok)" >out &&
	test "$(cut -d" " -f1 out)" = 401 &&
	tok revoke alice@ops >out &&
	grep -q "no live token" out &&
	tok list -d "$PUREBOOT_DB" >out &&
	grep -q "^alice@ops .* revoked\$" out
'

test_expect_success 'list --json: every token, revoked_at set only when revoked' '
	tok list --json >list.json &&
	jq -r ".tokens[] | [.name, (.revoked_at != null), (.last_used != null)] | @tsv" list.json >actual &&
	printf "alice@ops\ttrue\ttrue\nbob\tfalse\ttrue\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'no database: exit 1 and the reason' '
	rc=0 && tok list -d "host=$TRASH/nosock dbname=x connect_timeout=2" 2>err || rc=$? &&
	test "$rc" = 1 && grep -q "^pureboot token list: database: " err
'

test_expect_success 'usage errors exit 2' '
	rc=0 && tok >out 2>err || rc=$? && test "$rc" = 2 &&
	rc=0 && tok create >out 2>err || rc=$? && test "$rc" = 2 &&
	rc=0 && tok create a b >out 2>err || rc=$? && test "$rc" = 2 &&
	rc=0 && tok revoke --json a >out 2>err || rc=$? && test "$rc" = 2 &&
	rc=0 && tok list -x >out 2>err || rc=$? && test "$rc" = 2 &&
	rc=0 && tok frobnicate >out 2>err || rc=$? && test "$rc" = 2 &&
	grep -q "unknown command \"frobnicate\"" err
'

test_done
