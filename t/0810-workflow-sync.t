#!/bin/sh
test_description='pureboot workflow sync: a directory into pureboot.workflows, all or nothing'
. "${0%/*}/lib.sh"
db_start

W() { "$PB_BUILD/pureboot" workflow "$@"; }

# The table as text, to prove that a refused sync changed nothing.
dump() {
	db_psql -c "SELECT id, name, arch, definition::text, updated_at
		FROM pureboot.workflows ORDER BY id"
}

# sync_rc ARGS...: stdout to ./out, stderr to ./err, exit code to ./rc.
sync_rc() {
	rc=0
	W sync "$@" >out 2>err || rc=$?
	echo "$rc" >rc
}

# One NOTIFY on pureboot_changes into ./heard, in the background.
listen_bg() {
	"$PB_BUILD/pb-listen" "$PUREBOOT_DB" pureboot_changes 1 10000 >heard 2>lerr &
	echo $! >lpid
}

test_expect_success 'setup: a copy of the examples' '
	mkdir wf && cp "$PB_TOP"/workflows/*.yaml wf/ &&
	cp "$PB_TOP"/workflows/README.md wf/ &&
	db_count workflows >n && echo 0 >zero && test_cmp zero n
'

test_expect_success 'the examples are added, each from its file' '
	sync_rc wf &&
	echo 0 >expect && test_cmp expect rc &&
	cat >expect <<-EOF &&
	added custom-image (wf/custom-image.yaml)
	added pi-diskless (wf/pi-diskless.yaml)
	added pi-k3s-worker (wf/pi-k3s-worker.yaml)
	added pi-raspios-lite (wf/pi-raspios-lite.yaml)
	added pi-ubuntu-server (wf/pi-ubuntu-server.yaml)
	sync: 5 workflows from wf: 5 added, 0 updated, 0 unchanged, 0 removed
	EOF
	test_cmp expect out && test_cmp /dev/null err &&
	db_psql -c "SELECT id, arch, name FROM pureboot.workflows ORDER BY id" >actual &&
	cat >expect <<-\EOF &&
	custom-image|aarch64|Custom disk image
	pi-diskless|aarch64|Diskless node (NFS root, persistent)
	pi-k3s-worker|aarch64|K3s worker (diskless, NFS root)
	pi-raspios-lite|aarch64|Raspberry Pi OS Lite (64-bit)
	pi-ubuntu-server|aarch64|Ubuntu 24.04 LTS Server (preinstalled, arm64)
	EOF
	test_cmp expect actual
'

test_expect_success 'the stored definition is the JSON form of the file' '
	db_psql -c "SELECT definition FROM pureboot.workflows
		WHERE id = \$\$pi-k3s-worker\$\$" | jq -S . >actual &&
	cat >expect.json <<-\EOF &&
	{"id": "pi-k3s-worker", "name": "K3s worker (diskless, NFS root)",
	 "arch": "aarch64", "install_method": "nfs",
	 "variables": {"k3s_server": "https://k3s-server:6443"},
	 "nfs_server": "192.168.1.10", "nfs_base_path": "/srv/nfsroot/base",
	 "nfs_image": "ubuntu-24.04-arm64-base", "nfs_options": "vers=3,tcp",
	 "nfs_mode": "persistent",
	 "post_install": [{"script": "${server}/scripts/install-k3s-agent.sh",
	   "args": "--server ${k3s_server} --node-name ${hostname}"}]}
	EOF
	jq -S . expect.json >expect && test_cmp expect actual &&
	db_psql -c "SELECT (definition->>\$\$install_method\$\$) || \$\$ \$\$ ||
		coalesce(definition->>\$\$nfs_server\$\$, \$\$\$\$)
		FROM pureboot.workflows ORDER BY id" >actual &&
	printf "%s\n" "image " "nfs 10.0.2.102" "nfs 192.168.1.10" "image " "image " >expect &&
	test_cmp expect actual
'

test_expect_success 'a second sync changes nothing, not even updated_at' '
	dump >before &&
	sync_rc wf && echo 0 >expect && test_cmp expect rc &&
	tail -n 1 out >last &&
	echo "sync: 5 workflows from wf: 0 added, 0 updated, 5 unchanged, 0 removed" >expect &&
	test_cmp expect last && dump >after && test_cmp before after
'

test_expect_success 'an edited file updates its workflow only' '
	sed -i "s/^name: Custom disk image\$/name: My own image/" wf/custom-image.yaml &&
	sync_rc wf && echo 0 >expect && test_cmp expect rc &&
	grep -x "updated custom-image (wf/custom-image.yaml)" out &&
	grep -x "sync: 5 workflows from wf: 0 added, 1 updated, 4 unchanged, 0 removed" out &&
	db_psql -c "SELECT name, definition->>\$\$name\$\$ FROM pureboot.workflows
		WHERE id = \$\$custom-image\$\$" >actual &&
	echo "My own image|My own image" >expect && test_cmp expect actual
'

test_expect_success 'one invalid file: every error printed, nothing changes' '
	dump >before &&
	sed -i "s/^name: My own image\$/name: Changed again/" wf/custom-image.yaml &&
	printf "%s\n" "id: broken" "name: Broken" "arch: aarch64" \
		"install_method: image" "image_url: ftp://x/y.img" \
		"target_device: /dev/sda1" "image_verify: none" >wf/broken.yaml &&
	sync_rc wf && echo 1 >expect && test_cmp expect rc &&
	cat >expect <<-\EOF &&
	wf/broken.yaml:5:12: image_url: "ftp://x/y.img" is not an http:// or https:// URL
	wf/broken.yaml:6:16: target_device: "/dev/sda1" is not /dev/mmcblkN, /dev/nvmeNnN, /dev/sdX, /dev/vdX (a whole disk) or auto
	pureboot workflow sync: invalid workflow files; the database was not changed
	EOF
	test_cmp expect err && test_cmp /dev/null out &&
	dump >after && test_cmp before after
'

test_expect_success 'an invalid edit of a working workflow keeps the working one' '
	rm wf/broken.yaml && dump >before &&
	sed -i "s|^target_device: /dev/mmcblk0\$|target_device: /dev/mmcblk0p2|" wf/pi-raspios-lite.yaml &&
	sync_rc wf && echo 1 >expect && test_cmp expect rc &&
	grep -q "^wf/pi-raspios-lite.yaml:[0-9]*:16: target_device: " err &&
	dump >after && test_cmp before after &&
	sed -i "s|^target_device: /dev/mmcblk0p2\$|target_device: /dev/mmcblk0|" wf/pi-raspios-lite.yaml
'

test_expect_success 'two files with one id: refused, nothing changes' '
	dump >before &&
	sed "s/^name: .*/name: Copy/" wf/custom-image.yaml >wf/zz-copy.yaml &&
	sync_rc wf && echo 1 >expect && test_cmp expect rc &&
	grep -x "wf/zz-copy.yaml: id: \"custom-image\" is also the id of wf/custom-image.yaml" err &&
	dump >after && test_cmp before after && rm wf/zz-copy.yaml
'

test_expect_success 'dry run (-n) shows the change and makes none' '
	dump >before &&
	sync_rc -n wf && echo 0 >expect && test_cmp expect rc &&
	grep -x "updated custom-image (wf/custom-image.yaml)" out &&
	grep -q "(dry run: nothing was changed)\$" out &&
	dump >after && test_cmp before after
'

test_expect_success 'a workflow without a file stays, unless -p prunes it' '
	sync_rc wf &&
	mkdir wf2 && cp wf/pi-k3s-worker.yaml wf/custom-image.yaml wf2/ &&
	sync_rc wf2 && echo 0 >expect && test_cmp expect rc &&
	db_count workflows >n && echo 5 >expect && test_cmp expect n &&
	sync_rc -p wf2 && echo 0 >expect && test_cmp expect rc &&
	printf "%s\n" "removed pi-diskless" "removed pi-raspios-lite" "removed pi-ubuntu-server" >expect &&
	grep "^removed" out >actual && test_cmp expect actual &&
	db_psql -c "SELECT id FROM pureboot.workflows ORDER BY id" >actual &&
	printf "%s\n" custom-image pi-k3s-worker >expect && test_cmp expect actual
'

test_expect_success 'pruning a workflow that a node uses fails the whole sync' '
	sync_rc wf && echo 0 >expect && test_cmp expect rc &&
	db_psql -c "INSERT INTO pureboot.nodes (serial, arch, boot_mode, workflow_id)
		VALUES (\$\$d83add36\$\$, \$\$aarch64\$\$, \$\$pi\$\$, \$\$pi-ubuntu-server\$\$)" &&
	dump >before &&
	sed -i "s/^name: .*/name: Renamed K3s/" wf2/pi-k3s-worker.yaml &&
	sync_rc -p wf2 && echo 1 >expect && test_cmp expect rc &&
	grep -q "^prune: database: .*violates foreign key constraint" err &&
	grep -qx "pureboot workflow sync: nothing was changed" err &&
	dump >after && test_cmp before after
'

test_expect_success 'an arch change the nodes cannot follow is refused by the database' '
	dump >before &&
	sed -i "s/^arch: aarch64\$/arch: x86_64/" wf/pi-ubuntu-server.yaml &&
	sync_rc wf && echo 1 >expect && test_cmp expect rc &&
	grep -q "^wf/pi-ubuntu-server.yaml: database: workflow pi-ubuntu-server: cannot change arch to x86_64" err &&
	dump >after && test_cmp before after &&
	sed -i "s/^arch: x86_64\$/arch: aarch64/" wf/pi-ubuntu-server.yaml
'

# The listener is up (ready in heard), or has failed (exit 125: for good).
listener_ready() {
	grep -qsx ready heard && return 0
	if [ -s lerr ]; then cat lerr; return 125; fi
	return 1
}

test_expect_success 'a changed definition notifies the nodes that use it' '
	id=$(db_psql -c "SELECT id FROM pureboot.nodes") &&
	sed -i "s/^name: .*/name: Ubuntu, renamed/" wf/pi-ubuntu-server.yaml &&
	listen_bg &&
	wait_for "the listener to say ready in heard" 60 listener_ready &&
	sync_rc wf && echo 0 >expect && test_cmp expect rc &&
	wait "$(cat lpid)" &&
	printf "%s\n" ready "$id" >expect && test_cmp expect heard
'

test_expect_success 'missing or empty directory, unreachable database' '
	sync_rc nowhere && echo 1 >expect && test_cmp expect rc &&
	grep -q "^pureboot workflow sync: directory \"nowhere\": No such file or directory" err &&
	mkdir empty && sync_rc empty && test_cmp expect rc &&
	grep -qx "pureboot workflow sync: no \*.yaml files in \"empty\"; nothing changed" err &&
	sync_rc -d "host=$TRASH/nosock dbname=x connect_timeout=2" wf &&
	test_cmp expect rc && grep -q "^pureboot workflow sync: database: " err
'

test_expect_success 'two syncs at once both succeed' '
	sed -i "s/^name: .*/name: Race/" wf/custom-image.yaml &&
	{ W sync wf >o1 2>e1; echo $? >r1; } &
	{ W sync wf >o2 2>e2; echo $? >r2; } &
	wait &&
	echo 0 >expect && test_cmp expect r1 && test_cmp expect r2 &&
	cat o1 o2 | grep -c "^updated custom-image" >n && echo 1 >expect &&
	test_cmp expect n
'

test_expect_success 'usage errors exit 2' '
	sync_rc -x && echo 2 >expect && test_cmp expect rc &&
	sync_rc a b && test_cmp expect rc
'

test_done
