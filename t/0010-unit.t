#!/bin/sh
# The C unit tests (t/unit/*.c, pure functions, table-driven), one TAP
# stream: each binary's cases are re-numbered into this file's plan.
#
# A unit binary prints its plan after running (t/unit/tap.h), so a case
# that is never reached (an early return, a table cut short) would pass
# unseen: each binary's number of cases is checked against
# t/unit/counts, which lists them.  PB_UNIT_COUNTS=update rewrites that
# file from this run instead.
set -u
PB_TOP=$(cd "${0%/*}/.." && pwd)
PB_BUILD=${PB_BUILD:-$PB_TOP/build}
counts=$PB_TOP/t/unit/counts
n=0
failed=0
new=$(mktemp "${TMPDIR:-/tmp}/pb-unit-counts.XXXXXX") || exit 1
trap 'rm -f "$new"' EXIT
sed -n '/^#/p' "$counts" >"$new"

# The count t/unit/counts lists for $1, or nothing.
want_count() {
	awk -v n="$1" '$1 == n { print $2 }' "$counts"
}

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
	cases=0 plan=""
	while IFS= read -r line; do
		case $line in
		"ok "*|"not ok "*)
			n=$((n + 1)) cases=$((cases + 1))
			st=${line%% [0-9]*}
			echo "$st $n - $name: ${line#* - }"
			;;
		1..*) plan=${line#1..} ;;
		"#"*) echo "$line" ;;
		esac
	done <<EOF2
$out
EOF2
	if [ $rc -ne 0 ]; then
		n=$((n + 1)); failed=1
		echo "not ok $n - unit/$name exits 0 (exit $rc)"
	fi
	echo "$name $cases" >>"$new"
	want=$(want_count "$name")
	n=$((n + 1))
	if [ "$plan" = "$cases" ] && [ "$want" = "$cases" ]; then
		echo "ok $n - unit/$name ran its $cases cases (t/unit/counts)"
	else
		[ "${PB_UNIT_COUNTS:-}" = update ] || failed=1
		echo "not ok $n - unit/$name ran its ${want:-?} cases (t/unit/counts)"
		echo "# it ran $cases, its plan says ${plan:-nothing}, t/unit/counts says ${want:-nothing}"
		echo "# if that change is meant, set the line \"$name $cases\" in t/unit/counts"
		echo "# (or regenerate it: PB_UNIT_COUNTS=update prove t/0010-unit.t)"
	fi
done
# A line for a binary that is gone is a count nobody checks.
awk '!/^#/ { print $1 }' "$counts" | while IFS= read -r name; do
	[ -e "$PB_TOP/t/unit/$name.c" ] || echo "$name"
done >"$new.gone"
n=$((n + 1))
if [ -s "$new.gone" ]; then
	[ "${PB_UNIT_COUNTS:-}" = update ] || failed=1
	echo "not ok $n - t/unit/counts lists only binaries that exist"
	sed 's|.*|# no t/unit/&.c: remove its line from t/unit/counts|' "$new.gone"
else
	echo "ok $n - t/unit/counts lists only binaries that exist"
fi
rm -f "$new.gone"
if [ "${PB_UNIT_COUNTS:-}" = update ]; then
	cp "$new" "$counts" && echo "# wrote $counts"
fi
echo "1..$n"
exit $failed
