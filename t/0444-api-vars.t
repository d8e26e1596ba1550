#!/bin/sh
test_description='per-node workflow variables (issue 13): PATCH /nodes/{id} "vars" set, shown, resolved by pureboot workflow resolve, rendered into the install instructions and first-boot files; refused values (type, characters, undefined name, no workflow) are 400 and change nothing'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-api.sh"
api_start

W() { "$PB_BUILD/pureboot" workflow "$@"; }
SHA=c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ff

test_expect_success 'setup: token, two workflows from files, a node' '
	api_operator &&
	mkdir wf &&
	cat >wf/vars.yaml <<-EOF &&
	id: vars
	name: With variables
	arch: aarch64
	install_method: image
	image_verify: none
	image_url: http://images.lan/\${flavour}.img.xz
	target_device: auto
	variables:
	  flavour: lite
	  name: {type: hostname}
	  port: {type: integer, default: "6443"}
	  debug: {type: boolean, default: "false"}
	post_install:
	  - set_hostname:
	      hostname: \${name}
	  - script: http://images.lan/setup.sh
	    sha256: $SHA
	    where: deploy
	    args: --port \${port} --debug \${debug}
	EOF
	cat >wf/plain.yaml <<-\EOF &&
	id: plain
	name: Without variables
	arch: aarch64
	install_method: image
	image_verify: none
	image_url: http://images.lan/plain.img.xz
	target_device: auto
	EOF
	W sync -d "$PUREBOOT_DB" wf >/dev/null &&
	db_psql -c "UPDATE pureboot.settings SET value = '"'"'http://pb.lan'"'"' WHERE key = '"'"'server_url'"'"'" &&
	db_psql -c "INSERT INTO pureboot.nodes (serial, arch, boot_mode) VALUES ('"'"'0a0a0a01'"'"', '"'"'aarch64'"'"', '"'"'pi'"'"')"
'

# patch_refused BODY MESSAGE: PATCH is 400 with MESSAGE, nothing changes.
patch_refused() {
	db_snapshot >before &&
	printf "%s\n" "$1" >p.json &&
	op_body PATCH "/api/v1/nodes/$(node_id 0a0a0a01)" p.json >actual &&
	printf "400 {\"error\":{\"code\":\"bad_request\",\"message\":\"%s\"}}\n" "$2" >expect &&
	test_cmp expect actual &&
	db_snapshot >after &&
	test_cmp before after
}

test_expect_success 'vars of a node without a workflow: 400, nothing changes' '
	patch_refused "{\"vars\":{\"name\":\"web-1\"}}" "patch node: vars: the node has no workflow; assign one (workflow_id) before setting its variables"
'

test_expect_success 'set with the workflow: typed values kept as strings, shown by GET' '
	id=$(node_id 0a0a0a01) &&
	printf "%s\n" "{\"workflow_id\":\"vars\",\"vars\":{\"name\":\"Web-1\",\"port\":8443,\"debug\":true}}" >p.json &&
	op_body PATCH "/api/v1/nodes/$id" p.json >out &&
	test "$(cut -d" " -f1 out)" = 200 &&
	jget out ".vars" | jq -cS . >got &&
	echo "{\"debug\":\"true\",\"name\":\"Web-1\",\"port\":\"8443\"}" >want &&
	test_cmp want got &&
	op GET "/api/v1/nodes/$id" >out &&
	jget out ".vars" | jq -cS . >got && test_cmp want got
'

test_expect_success 'refused: bad type, bad characters, an undefined name, not an object; nothing changes' '
	patch_refused "{\"vars\":{\"port\":\"64k\"}}" "patch node: vars.port \\\"64k\\\" is not an integer" &&
	patch_refused "{\"vars\":{\"port\":1.5}}" "patch node: vars.port: must be a string (or null to remove it), for a variable of type integer" &&
	patch_refused "{\"vars\":{\"debug\":\"yes\"}}" "patch node: vars.debug \\\"yes\\\" is not true or false" &&
	patch_refused "{\"vars\":{\"name\":\"web_1\"}}" "patch node: vars.name \\\"web_1\\\" is not a host name (one label of letters, digits and '"'"'-'"'"', at most 63)" &&
	patch_refused "{\"vars\":{\"flavour\":\"lite;reboot\"}}" "patch node: vars.flavour \\\"lite;reboot\\\" contains a character outside [A-Za-z0-9._~:/?#@&+,=% -]" &&
	patch_refused "{\"vars\":{\"flavour\":\"\${serial}\"}}" "patch node: vars.flavour \\\"\${serial}\\\" contains a character outside [A-Za-z0-9._~:/?#@&+,=% -]" &&
	patch_refused "{\"vars\":{\"flavor\":\"full\"}}" "patch node: vars: \\\"flavor\\\" is not a variable of the node'"'"'s workflow" &&
	patch_refused "{\"vars\":[\"flavour\"]}" "patch node: vars: must be an object of variable names to values, or null" &&
	patch_refused "{\"hostname\":\"n1\",\"vars\":{\"port\":\"x\"}}" "patch node: vars.port \\\"x\\\" is not an integer"
'

test_expect_success 'another workflow that lacks the kept variables: 400 unless they go too' '
	patch_refused "{\"workflow_id\":\"plain\"}" "patch node: vars: \\\"name\\\" is not a variable of the node'"'"'s workflow" &&
	id=$(node_id 0a0a0a01) &&
	printf "%s\n" "{\"workflow_id\":\"plain\",\"vars\":null}" >p.json &&
	op_body PATCH "/api/v1/nodes/$id" p.json >out &&
	test "$(jget out ".workflow_id + \" \" + (.vars | tostring)")" = "plain {}" &&
	printf "%s\n" "{\"workflow_id\":\"vars\",\"vars\":{\"name\":\"web-1\",\"flavour\":\"full\"}}" >p.json &&
	op_body PATCH "/api/v1/nodes/$id" p.json >out &&
	printf "%s\n" "{\"vars\":{\"flavour\":null,\"port\":\"9000\"}}" >p.json &&
	op_body PATCH "/api/v1/nodes/$id" p.json >out &&
	jget out ".vars" | jq -cS . >got &&
	echo "{\"name\":\"web-1\",\"port\":\"9000\"}" >want && test_cmp want got &&
	printf "%s\n" "{\"workflow_id\":null}" >p.json &&
	op_body PATCH "/api/v1/nodes/$id" p.json >out &&
	test "$(jget out ".vars | tostring")" = "{}"
'

test_expect_success 'rendered: the install instructions and first-boot files use the node values, as resolve shows them' '
	id=$(node_id 0a0a0a01) &&
	printf "%s\n" "{\"workflow_id\":\"vars\",\"vars\":{\"name\":\"Web-1\",\"flavour\":\"full\",\"debug\":\"true\"}}" >p.json &&
	op_body PATCH "/api/v1/nodes/$id" p.json >out &&
	db_psql -c "SELECT pureboot.transition(id, '"'"'pending'"'"', '"'"'t'"'"') FROM pureboot.nodes WHERE serial = '"'"'0a0a0a01'"'"'" >/dev/null &&
	api GET "/api/v1/boot/pi?serial=0a0a0a01" >boot &&
	test "$(jget boot .action)" = install &&
	api GET "/api/v1/nodes/$id/install" -H "Authorization: Bearer $(jget boot .token)" >inst &&
	test "$(cut -d" " -f1 inst)" = 200 &&
	body inst | jq -S "del(.state, .action, .message, .node_id, .callback_url, .events_url)" >api.json &&
	W resolve --json -s 0a0a0a01 -i "$id" -u http://pb.lan -V name=Web-1 -V flavour=full -V debug=true wf/vars.yaml >resolve.out &&
	jq -S . resolve.out >cli.json &&
	test_cmp cli.json api.json &&
	test "$(jq -r .image_url api.json)" = http://images.lan/full.img.xz &&
	test "$(jq -r ".deploy_scripts[0].args" api.json)" = "--port 6443 --debug true" &&
	test "$(jq -r .vars.name api.json)" = Web-1 &&
	jq -r ".files[] | select(.path == \"custom.toml\") | .content_b64" api.json | base64 -d >toml &&
	grep -qx "hostname = \"web-1\"" toml &&
	api GET "/api/v1/nodes/$id/install?format=env" -H "Authorization: Bearer $(jget boot .token)" >env &&
	grep -q "PB_VAR_NAME='"'"'Web-1'"'"'" env &&
	grep -q "PB_DEPLOY_SCRIPT_1_ARGS='"'"'--port 6443 --debug true'"'"'" env
'

test_expect_success 'resolve -V refuses what PATCH refuses' '
	! W resolve -V port=64k wf/vars.yaml >out 2>err &&
	echo "pureboot workflow resolve: vars.port \"64k\" is not an integer" >expect &&
	test_cmp expect err &&
	! W resolve -V nope=1 wf/vars.yaml >out 2>err &&
	echo "pureboot workflow resolve: vars: \"nope\" is not a variable of the node'"'"'s workflow" >expect &&
	test_cmp expect err
'

test_done
