#!/bin/sh
test_description='boot storm beside slow and dead clients holding TFTP transfers and HTTP connections: the rest still boot'
[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP needs root (network namespace, TFTP port 69)"; exit 0; }
[ -n "${PB_STORM_NS:-}" ] || PB_STORM_NS=1 exec unshare --net -- sh "$0" "$@"
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-storm.sh"

npis=40 nbad=100
storm_up || { echo "Bail out! the stack did not start"; exit 1; }

test_expect_success "setup: $npis Pis, and $nbad bad clients on addresses of their own" '
	storm_seed a1 $npis && storm_ready a1 &&
	i=0 && : >"$PB_STATE/pis.bad" &&
	while [ $i -lt $nbad ]; do
		echo "127.20.0.$((i + 1)) pi4 00000000 02:00:00:00:00:00" >>"$PB_STATE/pis.bad"
		i=$((i + 1))
	done
'

test_expect_success 'with 50 dead and 50 slow TFTP transfers and 100 unfinished HTTP requests held, every Pi boots' '
	( "$STORM" -s 127.0.0.69 -a "127.0.0.1:$PB_PORT" -f deploy-arm64/kernel8.img -H 90 \
		-o "$TRASH/bad.res" hold "$PB_STATE/pis.bad" >"$TRASH/bad.out" 2>&1; echo $? >"$TRASH/bad.rc" ) &
	sleep 3 &&
	storm_bg s a1 -R 2 -D 120 &&
	storm_wait s 200 &&
	! storm_done bad
'

test_expect_success 'the bad clients were really holding: transfers open, requests unfinished' '
	wait_for "the bad clients to let go" 150 storm_done bad &&
	cat "$TRASH/bad.out" &&
	test "$(sed -n "s/^fetched //p" "$TRASH/bad.out")" = $nbad &&
	test "$(awk "\$10 > 0" "$TRASH/bad.res" | wc -l)" = $nbad
'

test_expect_success 'the database: each Pi once, each install once; the tree: installed Pis fenced' '
	storm_db_check a1 $npis >bad; cat bad; [ ! -s bad ] &&
	storm_ready a1 after && storm_tree_check
'

test_done
