#!/bin/sh
test_description='libFuzzer harnesses (fuzz/, docs/fuzzing.md): built with clang, a few seconds each, and every regression input'
. "${0%/*}/lib.sh"

# make fuzz FUZZ_S=600 for a real run; here only long enough to find
# what a change broke in the parsers' properties.
secs=${PB_FUZZ_S:-3}
names=""
for c in "$PB_TOP"/fuzz/*.c; do
	n=${c##*/}
	n=${n%.c}
	case $n in fz*) continue ;; esac
	names="$names $n"
done

test_expect_success 'setup: the harnesses build with clang (make fuzz-build)' '
	nice -n 10 make -s -C "$PB_TOP" -j2 fuzz-build BUILD="$PB_BUILD" >build.log 2>&1 &&
	for n in $names; do test -x "$PB_BUILD/fuzz/$n" || return 1; done
'

for n in $names; do
	test_expect_success "$n: its regression inputs, then $secs s of fuzzing, find nothing" '
		FUZZ_S=$secs FUZZ_WORK="$TRASH/work" "$PB_TOP/fuzz/run" "$PB_BUILD/fuzz" '"$n"' >out 2>err &&
		grep -q "^fuzz: '"$n"': [0-9]* runs in $secs s" out &&
		if [ -d "$PB_TOP/fuzz/regress/'"$n"'" ]; then
			grep -q "^fuzz: '"$n"': [1-9][0-9]* regression input(s) pass" out
		fi
	'
done

test_expect_success 'the agent rules come from lib.sh: a narrowed rule makes workflow fail' '
	sed "s/^\(		PB_IMAGE_URL|[^)]*)\) re=.*/\1 re=nothing ;;/" \
		"$PB_TOP/initramfs/agent/lib.sh" >lib.sh &&
	! cmp -s lib.sh "$PB_TOP/initramfs/agent/lib.sh" &&
	{ FUZZ_AGENT_LIB=$TRASH/lib.sh "$PB_BUILD/fuzz/workflow" \
		"$PB_TOP/fuzz/corpus/workflow/custom-image.yaml" >out 2>&1; echo $? >rc; } &&
	! grep -qx 0 rc &&
	grep -q "property failed.*the agent refuses PB_IMAGE_URL=" out
'

test_expect_success 'a crash is reported with its reproducer and fails the run' '
	mkdir -p tree/fuzz/corpus/workflow tree/initramfs/agent &&
	cp "$PB_TOP/fuzz/run" tree/fuzz/ && cp lib.sh tree/initramfs/agent/ &&
	cp "$PB_TOP/fuzz/corpus/workflow/custom-image.yaml" tree/fuzz/corpus/workflow/ &&
	{ FUZZ_S=5 FUZZ_WORK="$TRASH/work2" tree/fuzz/run "$PB_BUILD/fuzz" workflow >out 2>err; echo $? >rc; } &&
	echo 1 >expect && test_cmp expect rc &&
	grep -q "^fuzz: workflow: reproducer: $TRASH/work2/workflow/crash-" err &&
	grep -q "run: workflow: crash" err
'

test_done
