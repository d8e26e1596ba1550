#!/bin/sh
test_description='scripts/token creates, lists and revokes operator tokens that the API accepts and then refuses'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-api.sh"
api_start

test_expect_success 'the API test helpers and scripts are shellcheck-clean' '
	cd "$PB_TOP" &&
	shellcheck -x scripts/token scripts/bench-api t/lib-api.sh
'

test_expect_success 'create prints a token the API accepts' '
	"$PB_TOP/scripts/token" -d "$PB_DB" create alice@ops >tok &&
	grep -qx "pb1\.[0-9a-f]\{12\}\.[A-Za-z0-9_-]\{43\}" tok &&
	api GET /api/v1/settings -H "Authorization: Bearer $(cat tok)" >out &&
	test "$(cut -d" " -f1 out)" = 200
'

test_expect_success 'a name that is taken, or not a name, is refused' '
	! "$PB_TOP/scripts/token" -d "$PB_DB" create alice@ops 2>err &&
	grep -q "already taken" err &&
	! "$PB_TOP/scripts/token" -d "$PB_DB" create "a b;drop" 2>err &&
	grep -q "is not 1 to 64 characters" err
'

test_expect_success 'list shows it live and used' '
	"$PB_TOP/scripts/token" -d "$PB_DB" list >out &&
	grep -q "^alice@ops created=.* last_used=2.* live\$" out
'

test_expect_success 'revoke; the API refuses it; revoking again is harmless' '
	PUREBOOT_DB=$PB_DB "$PB_TOP/scripts/token" revoke alice@ops >out &&
	echo "token \"alice@ops\" revoked" >expect && test_cmp expect out &&
	api GET /api/v1/settings -H "Authorization: Bearer $(cat tok)" >out &&
	test "$(cut -d" " -f1 out)" = 401 &&
	PUREBOOT_DB=$PB_DB "$PB_TOP/scripts/token" revoke alice@ops >out &&
	grep -q "no live token" out &&
	"$PB_TOP/scripts/token" -d "$PB_DB" list >out &&
	grep -q "^alice@ops .* revoked\$" out
'

test_done
