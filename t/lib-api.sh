# shellcheck shell=sh
# t/lib-api.sh: helpers for the API tests (t/04xx, t/05xx).  Source it
# after t/lib.sh and api_start.

# An operator token in $TRASH/.op-token (test bodies run in subshells:
# state lives in files); op_token prints it.
api_operator() {
	db_psql -c "SELECT pureboot.token_create('test-operator')" >"$TRASH/.op-token"
}
op_token() {
	cat "$TRASH/.op-token"
}

# op METHOD PATH [curl args] and op_body METHOD PATH FILE [curl args]:
# api and api_body with the operator token.
op() {
	m=$1 p=$2
	shift 2
	api "$m" "$p" -H "Authorization: Bearer $(op_token)" "$@"
}
op_body() {
	m=$1 p=$2 f=$3
	shift 3
	api_body "$m" "$p" "$f" -H "Authorization: Bearer $(op_token)" "$@"
}

# The body of an api reply file, without the status.
body() {
	sed 's/^[0-9]* //' "$1"
}

# jget FILE FILTER: jq -r FILTER on the body of an api reply file.  A
# missing or empty file is an error, not an empty answer (which a
# "! jget ... | grep" would take for a pass).
jget() {
	[ -s "$1" ] || { echo "jget: no reply in \"$1\"" >&2; return 1; }
	body "$1" | jq -r "$2"
}

# The id of the node with serial $1 (a test constant).
node_id() {
	printf "SELECT id FROM pureboot.nodes WHERE serial = :'s'\n" |
		db_psql -v s="$1"
}

# node_state SERIAL: the node's state, over HTTP as the operator sees it.
node_state() {
	op GET "/api/v1/nodes/$(node_id "$1")" >.st && jget .st .state
}

# node_assign SERIAL BODY: what an operator does over HTTP: PATCH the
# node with BODY (its workflow, its vars), then move it to pending.
node_assign() {
	printf "%s\n" "$2" >.assign.json &&
	op_body PATCH "/api/v1/nodes/$(node_id "$1")" .assign.json >.assign.out &&
	test "$(cut -d" " -f1 .assign.out)" = 200 &&
	echo "{\"to\":\"pending\",\"comment\":\"e2e\"}" >.assign.json &&
	op_body POST "/api/v1/nodes/$(node_id "$1")/transition" .assign.json >.assign.out &&
	test "$(jget .assign.out .state)" = pending
}

# wf_add ID ARCH DEFINITION-JSON: a workflow row, as the loader would
# store it.
wf_add() {
	# The stored definition is a whole workflow (what pureboot workflow
	# sync writes): id, name and arch are part of it.
	printf "INSERT INTO pureboot.workflows (id, name, arch, definition) VALUES (:'i', :'i', :'a', :'d'::jsonb || jsonb_build_object('id', :'i', 'name', :'i', 'arch', :'a'))\n" |
		db_psql -v i="$1" -v a="$2" -v d="$3"
}

# Everything a client could change, as text to compare before and after
# (the hostile test).  A token's last_used changes with every use.
db_snapshot() {
	for t in nodes node_state_log node_events workflows settings install_tokens \
		"(SELECT id, name, hash, revoked_at FROM pureboot.api_tokens)"; do
		case $t in "("*) ;; *) t=pureboot.$t ;; esac
		echo "== $t" &&
		db_psql -c "SELECT count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM $t x" ||
		return 1
	done
}

# api_from ADDR METHOD PATH [curl args] and api_body_from ADDR METHOD
# PATH FILE [curl args]: api and api_body from source address ADDR, so
# that the API sees REMOTE_ADDR=ADDR.  Any 127.0.0.N works: Linux puts
# all of 127/8 on lo, and nginx listens on 127.0.0.1.
api_from() {
	a=$1 m=$2 p=$3
	shift 3
	api "$m" "$p" --interface "$a" "$@"
}
api_body_from() {
	a=$1 m=$2 p=$3 f=$4
	shift 4
	api_body "$m" "$p" "$f" --interface "$a" "$@"
}

# node_snap SERIAL: everything an agent request could change about one
# node, as text to compare before and after: its row (state, attempts,
# MAC, model, ip, known address, last_seen, updated_at), its install
# token, its state log, and its events other than agent_refused (a
# refusal is recorded; the test checks those apart).
node_snap() {
	printf '%s\n' \
		"SELECT 'node', n::text FROM pureboot.nodes n WHERE serial = :'s';" \
		"SELECT 'token', t::text FROM pureboot.install_tokens t JOIN pureboot.nodes n ON n.id = t.node_id WHERE n.serial = :'s';" \
		"SELECT 'log', l::text FROM pureboot.node_state_log l JOIN pureboot.nodes n ON n.id = l.node_id WHERE n.serial = :'s' ORDER BY l.id;" \
		"SELECT 'event', e::text FROM pureboot.node_events e JOIN pureboot.nodes n ON n.id = e.node_id WHERE n.serial = :'s' AND e.type <> 'agent_refused' ORDER BY e.id;" \
		"SELECT 'nodes', count(*) FROM pureboot.nodes;" |
		db_psql -v s="$1"
}

# refusals SERIAL: the node's agent_refused events, one line each:
# endpoint, caller's address, known address.
refusals() {
	printf "SELECT e.payload->>'endpoint', e.payload->>'addr', coalesce(e.payload->>'known_addr', '-') FROM pureboot.node_events e JOIN pureboot.nodes n ON n.id = e.node_id WHERE n.serial = :'s' AND e.type = 'agent_refused' ORDER BY e.id\n" |
		db_psql -v s="$1"
}
