#!/bin/sh
test_description='the deploy environment scripts are shellcheck-clean'
. "${0%/*}/lib.sh"

test_expect_success 'initramfs/ build, /init and the agent are shellcheck-clean' '
	cd "$PB_TOP" &&
	shellcheck -x initramfs/build initramfs/init initramfs/agent/*.sh
'

test_expect_success 'the deploy tests and their helpers are shellcheck-clean' '
	cd "$PB_TOP" &&
	shellcheck -x t/deploy-lib.sh t/09*.t
'

test_done
