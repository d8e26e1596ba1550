#!/bin/sh
test_description='least privilege: the API, the hook and the dhcp-script connect as roles that may do their part only (sql/031-roles.sql, sql/grants.sql)'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-api.sh"
api_start

# as ROLE SQL: run SQL as ROLE, the output (or the error) on stdout.
as() {
	psql -X -q -At -v ON_ERROR_STOP=1 -d "$(stack_conninfo "$1")" -c "$2" 2>&1
}

# denied ROLE SQL: SQL fails as ROLE with "permission denied".
denied() {
	if out=$(as "$1" "$2"); then
		echo "$1 may run: $2" >&2
		return 1
	fi
	case $out in
	*"permission denied"*) return 0 ;;
	*) echo "$1: $2: $out (not a permission error)" >&2; return 1 ;;
	esac
}

# What sql/grants.sql grants: "ROLE NAME" lines, sorted.
listed() {
	sed -n "s/^[[:space:]]*('\([a-z0-9_]*\)', *'\(pureboot_[a-z]*\)', *[a-z]*),.*/\2 \1/p;
		s/^[[:space:]]*('\([a-z0-9_]*\)', *'\(pureboot_[a-z]*\)', *[a-z]*);.*/\2 \1/p" \
		"$PB_TOP/sql/grants.sql" | sort -u
}

test_expect_success 'setup: a workflow and a pending node' '
	wf_add pi-img aarch64 "{\"install_method\":\"image\",\"image_url\":\"http://x/i.img\",\"image_verify\":\"none\",\"target_device\":\"/dev/mmcblk0\"}" &&
	node_add() {
		db_psql -c "INSERT INTO pureboot.nodes (serial, mac, arch, boot_mode, pi_model, workflow_id) VALUES ('"'"'$1'"'"', '"'"'$2'"'"', '"'"'aarch64'"'"', '"'"'pi'"'"', '"'"'pi4'"'"', '"'"'pi-img'"'"') RETURNING id"
	} &&
	node_add d83add36 dc:a6:32:01:02:03 >id &&
	test -s id
'

test_expect_success 'each role may execute exactly the functions sql/grants.sql grants it; PUBLIC none' '
	listed >expect &&
	test "$(wc -l <expect)" -gt 10 &&
	db_psql -c "SELECT r.rolname || '"'"' '"'"' || p.proname FROM pg_proc p
		CROSS JOIN pg_roles r
		WHERE p.pronamespace = '"'"'pureboot'"'"'::regnamespace
		  AND r.rolname IN ('"'"'pureboot_api'"'"', '"'"'pureboot_hook'"'"', '"'"'pureboot_dhcp'"'"')
		  AND has_function_privilege(r.oid, p.oid, '"'"'EXECUTE'"'"')
		ORDER BY 1" | sort -u >actual &&
	test_cmp expect actual &&
	db_psql -c "SELECT p.oid::regprocedure FROM pg_proc p, aclexplode(coalesce(p.proacl, acldefault('"'"'f'"'"', p.proowner))) a
		WHERE p.pronamespace = '"'"'pureboot'"'"'::regnamespace AND a.grantee = 0" >public &&
	test_cmp /dev/null public
'

test_expect_success 'the functions that write run as their owner, with a pinned search_path' '
	db_psql -c "SELECT p.proname, p.prosecdef, coalesce(array_to_string(p.proconfig, '"'"','"'"'), '"'"''"'"')
		FROM pg_proc p WHERE p.pronamespace = '"'"'pureboot'"'"'::regnamespace
		  AND p.proname IN ('"'"'register_pi'"'"', '"'"'hook_dhcp_event'"'"', '"'"'node_json'"'"')
		ORDER BY 1" >actual &&
	cat >expect <<-\EOF &&
	hook_dhcp_event|t|search_path=pureboot, pg_temp
	node_json|f|
	register_pi|t|search_path=pureboot, pg_temp
	EOF
	test_cmp expect actual
'

test_expect_success 'a function no line of sql/grants.sql names fails the migration, naming it' '
	test_when_finished "db_psql -c \"DROP FUNCTION IF EXISTS pureboot.forgotten()\"" &&
	db_psql -c "CREATE FUNCTION pureboot.forgotten() RETURNS int LANGUAGE sql AS \$\$ SELECT 1 \$\$" &&
	! "$PB_TOP/scripts/migrate" "$PUREBOOT_DB" >out 2>err &&
	grep -q "sql/grants.sql: function(s) forgotten of schema pureboot are not listed" err &&
	denied pureboot_api "SELECT pureboot.forgotten()" &&
	db_psql -c "DROP FUNCTION pureboot.forgotten()" &&
	"$PB_TOP/scripts/migrate" "$PUREBOOT_DB"
'

test_expect_success 'a replaced function gets SECURITY DEFINER back at the next migration' '
	db_psql -c "ALTER FUNCTION pureboot.hook_dhcp_event(text, macaddr, inet, text, text) SECURITY INVOKER RESET search_path" &&
	denied pureboot_dhcp "SELECT pureboot.hook_dhcp_event('"'"'add'"'"', '"'"'dc:a6:32:01:02:03'"'"', '"'"'10.0.0.9'"'"', NULL, NULL)" &&
	"$PB_TOP/scripts/migrate" "$PUREBOOT_DB" &&
	as pureboot_dhcp "SELECT pureboot.hook_dhcp_event('"'"'add'"'"', '"'"'dc:a6:32:01:02:03'"'"', '"'"'10.0.0.9'"'"', NULL, NULL)" >out &&
	test "$(cat out)" = "$(cat id)"
'

test_expect_success 'pureboot_api may not write nodes, nor call the hook, operator or internal functions' '
	db_snapshot >before &&
	denied pureboot_api "UPDATE pureboot.nodes SET mac = NULL" &&
	denied pureboot_api "DELETE FROM pureboot.nodes" &&
	denied pureboot_api "INSERT INTO pureboot.nodes (serial, arch, boot_mode) VALUES ('"'"'0000beef'"'"', '"'"'aarch64'"'"', '"'"'pi'"'"')" &&
	denied pureboot_api "INSERT INTO pureboot.node_events (node_id, type) SELECT id, '"'"'heartbeat'"'"' FROM pureboot.nodes" &&
	denied pureboot_api "UPDATE pureboot.workflows SET name = '"'"'x'"'"'" &&
	denied pureboot_api "INSERT INTO pureboot.install_tokens (id, node_id, hash) SELECT '"'"'x'"'"', id, '"'"'\\x00'"'"' FROM pureboot.nodes" &&
	denied pureboot_api "UPDATE pureboot.api_tokens SET revoked_at = now()" &&
	denied pureboot_api "INSERT INTO pureboot.leases (mac, addr, via) VALUES ('"'"'02:00:00:00:00:66'"'"', '"'"'127.0.0.66'"'"', '"'"'dhcp'"'"')" &&
	denied pureboot_api "SELECT pureboot.hook_dhcp_event('"'"'add'"'"', '"'"'02:00:00:00:00:66'"'"', '"'"'127.0.0.66'"'"', NULL, NULL)" &&
	denied pureboot_api "SELECT pureboot.hook_tftp_event(1, '"'"'127.0.0.66'"'"', '"'"'d83add36'"'"', NULL, '"'"'x'"'"')" &&
	denied pureboot_api "SELECT pureboot.token_create('"'"'evil'"'"')" &&
	denied pureboot_api "SELECT pureboot.agent_learn('"'"'$(cat id)'"'"', '"'"'127.0.0.66'"'"', '"'"'x'"'"')" &&
	denied pureboot_api "SELECT pureboot.lease_seen('"'"'02:00:00:00:00:66'"'"', '"'"'127.0.0.66'"'"', '"'"'dhcp'"'"')" &&
	denied pureboot_api "SELECT * FROM pureboot.node_overview" &&
	db_snapshot >after &&
	test_cmp before after
'

test_expect_success 'pureboot_api reads what it serves and writes through its functions' '
	as pureboot_api "SELECT serial FROM pureboot.nodes" >out &&
	echo d83add36 >expect && test_cmp expect out &&
	as pureboot_api "SELECT o_created FROM pureboot.register_pi('"'"'0000cafe'"'"', '"'"'02:00:00:00:ca:fe'"'"', '"'"'pi4'"'"', NULL, '"'"'test'"'"', '"'"'127.0.0.12'"'"')" >out &&
	echo t >expect && test_cmp expect out &&
	as pureboot_api "SELECT count(*) FROM pureboot.node_delete((SELECT id FROM pureboot.nodes WHERE serial = '"'"'0000cafe'"'"'))" >out &&
	echo 1 >expect && test_cmp expect out
'

test_expect_success 'pureboot_hook may read the tree sources and LISTEN, and write nothing' '
	as pureboot_hook "SELECT count(*) FROM pureboot.nodes n LEFT JOIN pureboot.workflows w ON w.id = n.workflow_id" >out &&
	echo 1 >expect && test_cmp expect out &&
	as pureboot_hook "SELECT count(*) > 0 FROM pureboot.settings" >out &&
	echo t >expect && test_cmp expect out &&
	as pureboot_hook "LISTEN pureboot_changes" &&
	db_snapshot >before &&
	for t in nodes node_events node_state_log workflows settings install_tokens api_tokens leases; do
		denied pureboot_hook "DELETE FROM pureboot.$t" || return 1
	done &&
	denied pureboot_hook "UPDATE pureboot.nodes SET hostname = '"'"'evil'"'"'" &&
	denied pureboot_hook "UPDATE pureboot.settings SET value = '"'"'open'"'"' WHERE key = '"'"'agent_trust'"'"'" &&
	denied pureboot_hook "SELECT * FROM pureboot.api_tokens" &&
	denied pureboot_hook "SELECT * FROM pureboot.install_tokens" &&
	denied pureboot_hook "SELECT pureboot.register_pi('"'"'0000beef'"'"', '"'"'02:00:00:00:be:ef'"'"', NULL, NULL, NULL, '"'"'127.0.0.66'"'"')" &&
	denied pureboot_hook "SELECT pureboot.boot_pi('"'"'d83add36'"'"', NULL, '"'"'x'"'"', '"'"'\\x00'"'"', '"'"'127.0.0.66'"'"')" &&
	denied pureboot_hook "SELECT pureboot.transition('"'"'$(cat id)'"'"', '"'"'retired'"'"', '"'"'evil'"'"')" &&
	denied pureboot_hook "SELECT pureboot.node_event('"'"'$(cat id)'"'"', '"'"'heartbeat'"'"', NULL, '"'"'evil'"'"', false)" &&
	denied pureboot_hook "SELECT pureboot.node_patch('"'"'$(cat id)'"'"', true, '"'"'evil'"'"', false, NULL, false, NULL, false, NULL, false, NULL, false, NULL, false, NULL, false, NULL)" &&
	denied pureboot_hook "SELECT pureboot.node_delete('"'"'$(cat id)'"'"')" &&
	denied pureboot_hook "SELECT pureboot.hook_dhcp_event('"'"'add'"'"', '"'"'dc:a6:32:01:02:03'"'"', '"'"'127.0.0.66'"'"', NULL, NULL)" &&
	db_snapshot >after &&
	test_cmp before after
'

test_expect_success 'pureboot_dhcp may record DHCP and TFTP events and nothing else' '
	as pureboot_dhcp "SELECT pureboot.hook_dhcp_event('"'"'old'"'"', '"'"'dc:a6:32:01:02:03'"'"', '"'"'10.0.0.9'"'"', NULL, NULL)" >out &&
	test "$(cat out)" = "$(cat id)" &&
	as pureboot_dhcp "SELECT pureboot.hook_tftp_event(1, '"'"'10.0.0.9'"'"', '"'"'d83add36'"'"', NULL, '"'"'d83add36/config.txt'"'"')" >out &&
	test "$(cat out)" = "$(cat id)" &&
	db_psql -c "SELECT type FROM pureboot.node_events WHERE node_id = '"'"'$(cat id)'"'"' AND type IN ('"'"'dhcp_old'"'"', '"'"'tftp_sent'"'"') ORDER BY id" >actual &&
	printf "dhcp_old\ntftp_sent\n" >expect && test_cmp expect actual &&
	db_snapshot >before &&
	for t in nodes node_events node_state_log workflows settings install_tokens api_tokens leases; do
		denied pureboot_dhcp "SELECT 1 FROM pureboot.$t LIMIT 1" || return 1
	done &&
	denied pureboot_dhcp "UPDATE pureboot.nodes SET known_addr = '"'"'127.0.0.66'"'"'" &&
	denied pureboot_dhcp "SELECT pureboot.register_pi('"'"'0000beef'"'"', '"'"'02:00:00:00:be:ef'"'"', NULL, NULL, NULL, '"'"'127.0.0.66'"'"')" &&
	denied pureboot_dhcp "SELECT pureboot.transition('"'"'$(cat id)'"'"', '"'"'retired'"'"', '"'"'evil'"'"')" &&
	denied pureboot_dhcp "SELECT pureboot.node_json(n) FROM pureboot.nodes n" &&
	denied pureboot_dhcp "SELECT pureboot.lease_seen('"'"'dc:a6:32:01:02:03'"'"', '"'"'127.0.0.66'"'"', '"'"'dhcp'"'"')" &&
	db_snapshot >after &&
	test_cmp before after
'

test_expect_success 'the running API connects as pureboot_api' '
	api GET /api/v1/health >out &&
	test "$(cut -d" " -f1 out)" = 200 &&
	db_psql -c "SELECT DISTINCT usename FROM pg_stat_activity WHERE usename LIKE '"'"'pureboot%'"'"' AND backend_type = '"'"'client backend'"'"' AND pid <> pg_backend_pid() ORDER BY 1" >actual &&
	echo pureboot_api >expect && test_cmp expect actual
'

test_done
