#!/bin/sh
test_description='pureboot workflow validate: the examples pass, every malformed file gives exactly its errors'
. "${0%/*}/lib.sh"

W() { "$PB_BUILD/pureboot" workflow "$@"; }

# validate_rc FILE...: run validate, stderr to ./actual, exit code to ./rc.
validate_rc() {
	rc=0
	W validate "$@" >out 2>actual || rc=$?
	echo "$rc" >rc
}

for f in "$PB_TOP"/workflows/*.yaml; do
	b=${f##*/}
	test_expect_success "example $b is valid" '
		validate_rc "$f" &&
		echo 0 >expect && test_cmp expect rc &&
		test_cmp /dev/null actual && test_cmp /dev/null out
	'
done

# Each file of the corpus ends with (or, where a comment would change
# the error, starts with) "# error: line:column: key: reason" lines:
# exactly what validate must print for it, in that order.
for f in "$PB_TOP"/t/data/workflows/bad/*.yaml; do
	b=${f##*/}
	test_expect_success "bad/$b: its exact error lines, exit 1" '
		cp "$f" "$b" &&
		sed -n "s|^# error: |$b:|p" "$b" >expect &&
		test -s expect &&
		validate_rc "$b" &&
		echo 1 >one && test_cmp one rc &&
		test_cmp expect actual && test_cmp /dev/null out
	'
done

test_expect_success 'an image without a checksum loads when it says image_verify: none' '
	cat >noverify.yaml <<-\EOF &&
	id: t
	name: Test
	arch: aarch64
	install_method: image
	image_url: http://server/x.img.xz
	# no checksum published: the agent still refuses a short download
	image_verify: none
	target_device: /dev/mmcblk0
	EOF
	validate_rc noverify.yaml &&
	echo 0 >expect && test_cmp expect rc && test_cmp /dev/null actual &&
	sed "/^image_verify:/d" noverify.yaml >missing.yaml &&
	validate_rc missing.yaml &&
	echo "missing.yaml:1:1: image_sha256: is required for install_method image unless image_verify is none" >expect &&
	test_cmp expect actual && echo 1 >one && test_cmp one rc
'

test_expect_success 'image_verify: none resolves to a null checksum and "none"' '
	"$PB_BUILD/pureboot" workflow resolve --json -s d83add36 noverify.yaml >json &&
	jq -c "[.image_sha256, .image_verify]" json >actual &&
	echo "[null,\"none\"]" >expect && test_cmp expect actual &&
	"$PB_BUILD/pureboot" workflow resolve --json -s d83add36 "$PB_TOP/workflows/custom-image.yaml" >json &&
	jq -r .image_verify json >actual &&
	echo sha256 >expect && test_cmp expect actual
'

test_expect_success 'the corpus has at least 60 malformed files' '
	ls "$PB_TOP"/t/data/workflows/bad/*.yaml >list &&
	test "$(wc -l <list)" -ge 60
'

test_expect_success 'several files: errors of each, valid ones silent, exit 1' '
	cp "$PB_TOP"/t/data/workflows/bad/*-unknown-key.yaml u.yaml &&
	cp "$PB_TOP"/t/data/workflows/bad/*-arch-unknown.yaml a.yaml &&
	cp "$PB_TOP"/workflows/custom-image.yaml ok.yaml &&
	validate_rc u.yaml ok.yaml a.yaml &&
	cat >expect <<-\EOF &&
	u.yaml:7:1: imge_url: unknown key
	a.yaml:3:7: arch: "armhf" is not one of aarch64, x86_64
	EOF
	test_cmp expect actual && echo 1 >one && test_cmp one rc
'

test_expect_success 'a file over 64 KiB is refused unread' '
	cp "$PB_TOP"/workflows/custom-image.yaml big.yaml &&
	i=0 && while [ $i -lt 1300 ]; do
		echo "# padding padding padding padding padding padding pad" || return 1
		i=$((i + 1))
	done >>big.yaml &&
	validate_rc big.yaml &&
	echo "big.yaml: file: is larger than 65536 bytes" >expect &&
	test_cmp expect actual
'

test_expect_success 'a file of exactly 64 KiB is read' '
	cp "$PB_TOP"/workflows/custom-image.yaml fit.yaml &&
	n=$((65536 - $(wc -c <fit.yaml))) &&
	head -c "$n" /dev/zero | tr "\0" "#" | fold -w 64 >>fit.yaml &&
	truncate -s 65536 fit.yaml && test "$(wc -c <fit.yaml)" = 65536 &&
	validate_rc fit.yaml &&
	echo 0 >expect && test_cmp expect rc && test_cmp /dev/null actual
'

test_expect_success 'missing file, directory and NUL bytes are reported' '
	mkdir dir.yaml && printf "id: t\0\n" >nul.yaml &&
	validate_rc none.yaml dir.yaml nul.yaml &&
	cat >expect <<-\EOF &&
	none.yaml: file: cannot open: No such file or directory
	dir.yaml: file: is not a regular file
	nul.yaml: file: contains a NUL byte; a workflow is UTF-8 text
	EOF
	test_cmp expect actual
'

test_expect_success 'more than 32 errors: the first 32, then a count' '
	{
		echo "id: t" && echo "name: n" && echo "arch: aarch64" &&
		echo "install_method: script" && echo "script_url: http://s/x" &&
		echo "script_sha256: abababababababababababababababababababababababababababababababab" &&
		i=0 && while [ $i -lt 40 ]; do
			echo "k$i: v" || return 1
			i=$((i + 1))
		done
	} >many.yaml &&
	validate_rc many.yaml &&
	test "$(grep -c ": unknown key\$" actual)" = 32 &&
	tail -n 1 actual >last &&
	echo "many.yaml: and 8 more errors" >expect && test_cmp expect last
'

test_expect_success 'usage errors exit 2' '
	rc=0 && W >out 2>err || rc=$? && test "$rc" = 2 &&
	rc=0 && W validate >out 2>err || rc=$? && test "$rc" = 2 &&
	rc=0 && W frobnicate >out 2>err || rc=$? && test "$rc" = 2 &&
	grep -q "unknown command \"frobnicate\"" err
'

test_done
