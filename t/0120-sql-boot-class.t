#!/bin/sh
test_description='the boot table in C and pureboot.boot_class() agree on every node state'
. "${0%/*}/lib.sh"
db_start

# One definition (lib/core/boot_action.c), one SQL copy: a state added
# to the enum, the C table or boot_class() alone fails here.
test_expect_success 'C table rows are the enum values, in order, with the same class' '
	"$PB_BUILD/pb-boot-states" >expect &&
	db_psql -c "SELECT s, coalesce(pureboot.boot_class(s), '\''(none)'\'')
		FROM unnest(enum_range(NULL::pureboot.node_state)) AS s" >actual &&
	test_cmp expect actual
'

test_expect_success 'the install-token trigger and boot_pi() use boot_class()' '
	db_psql -c "SELECT count(*) FROM pg_trigger
		WHERE tgname = '\''nodes_install_token_expire'\''
		AND pg_get_triggerdef(oid) LIKE '\''%boot_class(new.state)%'\''" >actual &&
	echo 1 >expect && test_cmp expect actual
'
test_done
