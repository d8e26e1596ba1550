#!/bin/sh
test_description='health answers ok, 503 while PostgreSQL is down, ok again after'
. "${0%/*}/lib.sh"
api_start

test_expect_success 'health is ok with the database up' '
	echo "200 {\"status\":\"ok\",\"database\":\"ok\"}" >expect &&
	api GET /api/v1/health >actual &&
	test_cmp expect actual &&
	grep -qi "^content-type: application/json" headers
'

test_expect_success 'unknown route is 404 in the error shape' '
	echo "404 {\"error\":{\"code\":\"not_found\",\"message\":\"no such endpoint\"}}" >expect &&
	api GET /api/v1/no-such-thing >actual &&
	test_cmp expect actual &&
	api GET /elsewhere >actual &&
	test_cmp expect actual
'

test_expect_success 'wrong method is 405 with Allow' '
	echo "405 {\"error\":{\"code\":\"method_not_allowed\",\"message\":\"POST is not allowed here; allowed: GET\"}}" >expect &&
	api POST /api/v1/health >actual &&
	test_cmp expect actual &&
	grep -qx "Allow: GET.*" headers
'

test_expect_success 'health is 503 with Retry-After while PostgreSQL is stopped' '
	stack_pg_stop &&
	echo "503 {\"status\":\"unavailable\",\"database\":\"down\"}" >expect &&
	api GET /api/v1/health >actual &&
	test_cmp expect actual &&
	grep -qi "^Retry-After: 5" headers &&
	api GET /api/v1/health >actual &&
	test_cmp expect actual
'

test_expect_success 'health recovers after PostgreSQL restarts, on every worker' '
	stack_pg_start >/dev/null &&
	echo "200 {\"status\":\"ok\",\"database\":\"ok\"}" >expect &&
	for i in 1 2 3 4 5 6; do
		api GET /api/v1/health >actual &&
		test_cmp expect actual || return 1
	done
'

test_expect_success 'nginx answers 503 in the error shape when the API is down' '
	stack_api_stop &&
	api GET /api/v1/health >actual &&
	grep -q "^503 {\"error\":{\"code\":\"api_down\"" actual &&
	grep -qi "^Retry-After: 5" headers
'

test_expect_success 'a body over the limit is refused by nginx with 413' '
	head -c 70000 /dev/zero | tr "\0" "a" >big &&
	api POST /api/v1/health --data-binary @big >actual &&
	grep -q "^413 {\"error\":{\"code\":\"payload_too_large\"" actual
'

test_done
