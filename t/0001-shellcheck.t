#!/bin/sh
test_description='every shell script is shellcheck-clean'
. "${0%/*}/lib.sh"

test_expect_success 'scripts/ and .ci/ are shellcheck-clean' '
	cd "$PB_TOP" &&
	shellcheck -x scripts/deps scripts/migrate scripts/run scripts/stack.sh scripts/cycles scripts/test-image .ci/run fuzz/run
'

test_expect_success 'the package'"'"'s scripts are shellcheck-clean' '
	cd "$PB_TOP" &&
	shellcheck scripts/package-test conf/dnsmasq/dhcp-script conf/systemd/pureboot-tree-setup &&
	shellcheck -e SC1091 debian/pureboot.postinst debian/pureboot.postrm debian/pureboot.config
'

test_expect_success 't/ is shellcheck-clean' '
	cd "$PB_TOP" &&
	shellcheck t/lib.sh t/lib-api.sh t/lib-hook.sh t/lib-run.sh t/lib-boards.sh t/deploy-lib.sh t/*.t
'

test_done
