#!/bin/sh
test_description='no include or call cycle in the C code (scripts/cycles)'
. "${0%/*}/lib.sh"

test_expect_success 'the tree as built has no include or call cycle' '
	"$PB_TOP/scripts/cycles" "$PB_BUILD" >out 2>err &&
	echo "cycles: no include or call cycle" >expect &&
	test_cmp expect out
'

test_expect_success 'a cycle of two headers is found and named' '
	mkdir -p tree/lib/core tree/scripts tree/fcgi tree/tftp-hook tree/cli &&
	cp "$PB_TOP/scripts/cycles" tree/scripts/ &&
	printf "#include \"b.h\"\n" >tree/lib/core/a.h &&
	printf "#include \"a.h\"\n" >tree/lib/core/b.h &&
	{ tree/scripts/cycles "$PB_BUILD" >out 2>err; echo $? >rc; } &&
	echo 1 >expect && test_cmp expect rc &&
	grep -qx "lib/core/a.h" err && grep -qx "lib/core/b.h" err &&
	grep -q "cycles: a cycle among the include edges" err
'

test_done
