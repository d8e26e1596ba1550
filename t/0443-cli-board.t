#!/bin/sh
test_description='pureboot board lists, adds and removes boards that the API serves, refusing bad values and boards in use'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-api.sh"
api_start
api_operator

board() { "$PB_BUILD/pureboot" board "$@"; }

test_expect_success 'list shows the shipped boards' '
	board list -d "$PUREBOOT_DB" >out &&
	grep -qx "qemu-arm64 uboot dtb=- console=ttyAMA0 nodes=0" out &&
	grep -qx "rock-pi-4b uboot dtb=rockchip/rk3399-rock-pi-4b.dtb console=ttyS2,1500000 nodes=0" out &&
	test "$(wc -l <out)" = 8
'

test_expect_success 'add: the API serves the new board' '
	board add --boot-mode uefi --console ttyS0,115200 --dtb vendor/lab-1.dtb \
		--cmdline-extra "earlycon rootwait" --description "the lab board" lab-1 >out &&
	echo "board \"lab-1\" added" >expect && test_cmp expect out &&
	op GET /api/v1/boards >out &&
	test "$(jget out "[.boards[] | select(.name == \"lab-1\") | .boot_mode, .dtb, .console, .cmdline_extra, .description] | @tsv")" = "uefi	vendor/lab-1.dtb	ttyS0,115200	earlycon rootwait	the lab board"
'

test_expect_success 'add --json prints the board as the API shows it' '
	board add --json --boot-mode uboot --console ttyS0 lab-2 >lab2.json &&
	test "$(jq -r "[.name, .boot_mode, .dtb, .nodes] | @tsv" lab2.json)" = "lab-2	uboot		0"
'

test_expect_success 'bad values and a taken name: exit 1 with the reason, nothing added' '
	db_count boards >before &&
	rc=0 && board add --boot-mode uboot --console ttyS0 lab-1 2>err || rc=$? && test "$rc" = 1 &&
	echo "pureboot board add: board \"lab-1\" exists" >expect && test_cmp expect err &&
	rc=0 && board add --boot-mode pi --console ttyS0 lab-3 2>err || rc=$? && test "$rc" = 1 &&
	echo "pureboot board add: boot_mode \"pi\" is not uboot or uefi" >expect && test_cmp expect err &&
	rc=0 && board add --boot-mode uboot --console ttyS0 --dtb ../x.dtb lab-3 2>err || rc=$? && test "$rc" = 1 &&
	grep -q "dtb \"../x.dtb\" is not a plain relative file name" err &&
	rc=0 && board add --boot-mode uboot --console "ttyS0 init=/bin/sh" lab-3 2>err || rc=$? && test "$rc" = 1 &&
	grep -q "console \"ttyS0 init=/bin/sh\" contains whitespace" err &&
	rc=0 && board add --boot-mode uboot --console ttyS0 --cmdline-extra "console=tty0" lab-3 2>err || rc=$? && test "$rc" = 1 &&
	grep -q "cmdline-extra word \"console=tty0\" sets what the renderer owns" err &&
	rc=0 && board add --boot-mode uboot --console ttyS0 "Lab 3" 2>err || rc=$? && test "$rc" = 1 &&
	grep -q "board \"Lab 3\" is not 1 to 63 of a-z 0-9 -" err &&
	db_count boards >after && test_cmp before after
'

test_expect_success 'remove: a board in use stays (exit 1), an unused one goes, a missing one is exit 1' '
	echo "{\"mac\":\"52:54:00:44:30:01\",\"boot_mode\":\"uefi\",\"board\":\"lab-1\"}" >n.json &&
	op_body POST /api/v1/nodes n.json >out &&
	test "$(cut -d" " -f1 out)" = 201 &&
	rc=0 && board remove lab-1 2>err || rc=$? && test "$rc" = 1 &&
	grep -q "board lab-1 is the board of 1 node(s)" err &&
	board list --json >list.json &&
	test "$(jq -r ".boards[] | select(.name == \"lab-1\") | .nodes" list.json)" = 1 &&
	board remove lab-2 >out &&
	echo "board \"lab-2\" removed" >expect && test_cmp expect out &&
	rc=0 && board remove lab-2 2>err || rc=$? && test "$rc" = 1 &&
	echo "pureboot board remove: no board \"lab-2\"" >expect && test_cmp expect err
'

test_expect_success 'no database: exit 1 and the reason' '
	rc=0 && board list -d "host=$TRASH/nosock dbname=x connect_timeout=2" 2>err || rc=$? &&
	test "$rc" = 1 && grep -q "^pureboot board list: database: " err
'

test_expect_success 'usage errors exit 2' '
	rc=0 && board >out 2>err || rc=$? && test "$rc" = 2 &&
	rc=0 && board add lab-4 >out 2>err || rc=$? && test "$rc" = 2 &&
	rc=0 && board add --console ttyS0 lab-4 >out 2>err || rc=$? && test "$rc" = 2 &&
	rc=0 && board remove >out 2>err || rc=$? && test "$rc" = 2 &&
	rc=0 && board remove --json lab-1 >out 2>err || rc=$? && test "$rc" = 2 &&
	rc=0 && board list --dtb x.dtb >out 2>err || rc=$? && test "$rc" = 2 &&
	rc=0 && board frobnicate >out 2>err || rc=$? && test "$rc" = 2
'

test_done
