#!/bin/sh
# The C unit tests (t/unit/*.c, pure functions, table-driven), one TAP
# stream: each binary's cases are re-numbered into this file's plan.
set -u
PB_TOP=$(cd "${0%/*}/.." && pwd)
PB_BUILD=${PB_BUILD:-$PB_TOP/build}
n=0
failed=0
for src in "$PB_TOP"/t/unit/*.c; do
	name=$(basename "$src" .c)
	bin=$PB_BUILD/unit/$name
	if [ ! -x "$bin" ]; then
		n=$((n + 1)); failed=1
		echo "not ok $n - unit/$name is built"
		continue
	fi
	out=$("$bin" 2>&1)
	rc=$?
	while IFS= read -r line; do
		case $line in
		"ok "*|"not ok "*)
			n=$((n + 1))
			st=${line%% [0-9]*}
			echo "$st $n - $name: ${line#* - }"
			;;
		"#"*) echo "$line" ;;
		esac
	done <<EOF2
$out
EOF2
	if [ $rc -ne 0 ]; then
		n=$((n + 1)); failed=1
		echo "not ok $n - unit/$name exits 0 (exit $rc)"
	fi
done
echo "1..$n"
exit $failed
