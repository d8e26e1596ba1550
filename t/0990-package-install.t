#!/bin/sh
test_description='make install at FHS paths, the installed units verified, pureboot db init on a real PostgreSQL (scripts/package-test tries the Debian package as a whole: make check-package)'
. "${0%/*}/lib.sh"
db_start
dest=$TRASH/dest

test_expect_success 'make install PREFIX=/usr DESTDIR: programs, helpers, migrations, deploy environment, conf, units, man pages' '
	make -C "$PB_TOP" --no-print-directory BUILD="$PB_BUILD" PREFIX=/usr \
		UNITDIR=/lib/systemd/system DESTDIR="$dest" install >install.log 2>&1 || { cat install.log; false; } &&
	for f in usr/bin/pureboot usr/bin/pureboot-tftp-hook usr/sbin/pureboot-api \
		usr/lib/pureboot/dhcp-script usr/lib/pureboot/pureboot-tree-setup \
		usr/share/pureboot/scripts/migrate usr/share/pureboot/scripts/firmware; do
		test -x "$dest/$f" || { echo "$f is not an installed program"; return 1; }
	done &&
	for f in usr/share/pureboot/sql/001-schema.sql usr/share/pureboot/sql/037-reports.sql \
		usr/share/pureboot/sql/grants.sql usr/share/pureboot/deploy-arm64/kernel8.img \
		usr/share/pureboot/deploy-arm64/initramfs.img etc/default/pureboot \
		etc/dnsmasq.d/pureboot-pi.conf etc/nginx/sites-available/pureboot \
		lib/systemd/system/pureboot-api.service lib/systemd/system/pureboot-tftp-hook.service \
		usr/share/man/man1/pureboot.1 usr/share/man/man8/pureboot-api.8 \
		usr/share/man/man8/pureboot-tftp-hook.8; do
		test -s "$dest/$f" || { echo "$f is not installed"; return 1; }
	done &&
	test "$(ls "$dest/usr/share/pureboot/sql" | wc -l)" = "$(ls "$PB_TOP/sql" | wc -l)"
'

test_expect_success 'installed files name the installed paths, not /usr/local' '
	! grep -rl /usr/local "$dest/etc" "$dest/lib" "$dest/usr/lib/pureboot" &&
	grep -qx "ExecStart=/usr/sbin/pureboot-api -s /run/pureboot/api.sock -w 4 -d \${PUREBOOT_API_DB}" \
		"$dest/lib/systemd/system/pureboot-api.service" &&
	grep -q "exec /usr/bin/pureboot-tftp-hook" "$dest/usr/lib/pureboot/dhcp-script" &&
	grep -qx "src=/usr/share/pureboot/deploy-arm64" "$dest/usr/lib/pureboot/pureboot-tree-setup"
'

test_expect_success 'the dnsmasq drop-in is inert until enabled: every directive commented out, the tree the package'"'"'s' '
	conf=$dest/etc/dnsmasq.d/pureboot-pi.conf &&
	! grep -n "^[a-z]" "$conf" &&
	grep -qx "#pb: tftp-root=/var/lib/pureboot/tftp" "$conf" &&
	grep -qx "#pb: dhcp-script=/usr/lib/pureboot/dhcp-script" "$conf" &&
	grep -qx "#pb: dhcp-scriptuser=pureboot_dhcp" "$conf" &&
	sed "s/^#pb: //" "$conf" >on.conf &&
	test "$(grep -c "^[a-z]" on.conf)" -ge 8 &&
	dnsmasq --test --conf-file=on.conf >test.out 2>&1 || { cat test.out; false; }
'

test_expect_success 'systemd-analyze verify: both units, their commands in the installed tree' '
	cp -a "$dest" vroot &&
	cp -Rn /lib/systemd/system/. vroot/lib/systemd/system/ &&
	mkdir -p vroot/bin && cp /bin/kill vroot/bin/ &&  # ExecReload: procps, a dependency
	for u in pureboot-api.service pureboot-tftp-hook.service; do
		systemd-analyze verify --man=no --root="$TRASH/vroot" "/lib/systemd/system/$u" >verify.out 2>&1 || { cat verify.out; return 1; }
		test_cmp /dev/null verify.out || return 1
	done
'

test_expect_success 'systemd-analyze security: both units hardened (exposure below 2.5: "OK")' '
	for u in pureboot-api.service pureboot-tftp-hook.service; do
		systemd-analyze security --offline=true --root="$dest" "$u" >sec.out 2>&1 || true
		score=$(sed -n "s/.*Overall exposure level for .*: \([0-9.]*\) .*/\1/p" sec.out) &&
		echo "$u: $score" &&
		test -n "$score" &&
		awk -v s="$score" "BEGIN { exit !(s < 2.5) }" || { cat sec.out; return 1; }
	done
'

test_expect_success 'systemd-analyze verify fails on a unit whose command is missing' '
	rm vroot/usr/sbin/pureboot-api &&
	! systemd-analyze verify --man=no --root="$TRASH/vroot" /lib/systemd/system/pureboot-api.service >verify.out 2>&1 &&
	grep -q "pureboot-api is not executable" verify.out
'

# db init as the cluster's superuser (pureboot in the tests), on a new
# database with a new owner; the migrations from the source tree.
init() {
	PUREBOOT_SHARE=$PB_TOP "$PB_BUILD/pureboot" db init -d "host=$PB_STATE/sock user=pureboot" "$@"
}
as_owner() {
	psql -X -q -At -v ON_ERROR_STOP=1 -d "host=$PB_STATE/sock dbname=pbinit user=pbowner" "$@"
}

test_expect_success 'db init: the owner, the roles and the database made, every migration applied as the owner' '
	init --database pbinit --owner pbowner >out 2>&1 || { cat out; false; } &&
	grep -qx "db init: created role pbowner" out &&
	grep -qx "db init: created database pbinit owned by pbowner" out &&
	grep -qx "db init: role pureboot_api exists" out &&
	grep -qx "db init: role pureboot_report exists" out &&
	test "$(as_owner -c "SELECT count(*) FROM public.schema_migrations")" = "$(ls "$PB_TOP"/sql/[0-9]*.sql | wc -l)" &&
	test "$(as_owner -c "SELECT tableowner FROM pg_tables WHERE schemaname = '"'"'pureboot'"'"' GROUP BY 1")" = pbowner &&
	test "$(as_owner -c "SELECT rolsuper::text || rolcreaterole::text FROM pg_roles WHERE rolname = '"'"'pbowner'"'"'")" = falsefalse
'

test_expect_success 'db init again: nothing made, nothing applied, grants re-applied' '
	init --database pbinit --owner pbowner >out 2>&1 || { cat out; false; } &&
	! grep "created\|applying" out &&
	grep -qx "db init: database pbinit is up to date" out
'

test_expect_success 'db init applies a pending migration (an upgrade)' '
	as_owner -c "DROP VIEW pureboot.install_report" \
		-c "DELETE FROM public.schema_migrations WHERE version = '"'"'037-reports'"'"'" \
		-c "DROP VIEW pureboot.stale_nodes" -c "DROP VIEW pureboot.install_attempts" &&
	init --database pbinit --owner pbowner >out 2>&1 || { cat out; false; } &&
	grep -qx "migrate: applying 037-reports" out &&
	test "$(as_owner -c "SELECT count(*) FROM pureboot.install_report")" = 0
'

test_expect_success 'the programs'"'"' roles may connect to the database; other roles may not' '
	psql -X -q -d "host=$PB_STATE/sock dbname=postgres user=pureboot" -c "CREATE ROLE pbstranger LOGIN" &&
	psql -X -At -d "host=$PB_STATE/sock dbname=pbinit user=pureboot_report" -c "SELECT count(*) FROM pureboot.stale_nodes" >out &&
	test "$(cat out)" = 0 &&
	! psql -X -At -d "host=$PB_STATE/sock dbname=pbinit user=pbstranger" -c "SELECT 1" >out 2>&1 &&
	grep -q "permission denied for database" out
'

test_expect_success 'db init refuses a database of another owner, and bad names, changing nothing' '
	test_expect_code() { want=$1; shift; "$@"; got=$?; [ "$got" = "$want" ] || { echo "exit $got, want $want"; return 1; }; } &&
	test_expect_code 1 init --database pbinit --owner pbother >out 2>&1 &&
	grep -q "database \"pbinit\" exists and is owned by \"pbowner\", not \"pbother\"" out &&
	test_expect_code 1 init --database "Bad;Name" >out 2>&1 &&
	grep -qx "db init: database \"Bad;Name\" is not 1 to 63 of a-z 0-9 _ starting with a letter or _" out &&
	test_expect_code 1 init --owner "x y" >out 2>&1 &&
	grep -q "owner \"x y\" is not" out &&
	test_expect_code 2 init extra >out 2>&1 &&
	grep -q "^usage: pureboot db init" out &&
	test -z "$(psql -X -At -d "host=$PB_STATE/sock dbname=postgres user=pureboot" -c "SELECT rolname FROM pg_roles WHERE rolname IN ('"'"'pbother'"'"', '"'"'x y'"'"')")"
'

test_expect_success 'db migrate: as the owner, nothing pending' '
	PUREBOOT_SHARE=$PB_TOP "$PB_BUILD/pureboot" db migrate -d "host=$PB_STATE/sock dbname=pbinit user=pbowner" >out 2>&1 || { cat out; false; } &&
	! grep applying out &&
	env -u PUREBOOT_DB "$PB_BUILD/pureboot" db migrate >out 2>&1; test $? = 1 &&
	grep -qx "db migrate: no database: pass -d CONNINFO or set PUREBOOT_DB" out
'

test_done
