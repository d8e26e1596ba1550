#!/bin/sh
test_description='make run syncs workflows/ into the database at start'
. "${0%/*}/lib.sh"

. "$PB_TOP/t/lib-run.sh"

wf_ids() {
	run_psql -c "SELECT id FROM pureboot.workflows ORDER BY id"
}

test_expect_success 'after make run, pureboot.workflows holds the five examples' '
	run_start &&
	grep -q "^sync: 5 workflows from .*/workflows: 5 added" run.out &&
	wf_ids >actual &&
	printf "%s\n" custom-image pi-diskless pi-k3s-worker pi-raspios-lite pi-ubuntu-server >expect &&
	test_cmp expect actual
'

test_expect_success 'GET /api/v1/workflows lists them, with the printed token' '
	curl -sf -H "Authorization: Bearer $(run_token)" \
		"http://127.0.0.1:$port/api/v1/workflows" >body &&
	jq -r ".workflows[].id" body | sort >actual &&
	test_cmp expect actual
'

test_expect_success 'a second start finds them unchanged' '
	run_stop && run_start &&
	grep -q "^sync: 5 workflows from .*/workflows: 0 added, 0 updated, 5 unchanged" run.out &&
	wf_ids >actual && test_cmp expect actual &&
	run_stop
'

test_done
