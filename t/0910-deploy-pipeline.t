#!/bin/sh
test_description='image pipeline: fetch, decompress by magic, write, checksum and readback, each failure named'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/deploy-lib.sh"

www_start || { echo "Bail out! nginx for the images did not start"; exit 1; }

# deploy URL SHA OF [VERIFY] -> runs the pipeline into ./target; the
# reason of a failure in ./reason.  VERIFY is image_verify (sha256 when
# not given, as the agent assumes).
deploy() {
	rm -rf target reason run && : >target &&
	if agent_sh "pb_deploy_image '$1' '$2' '$3' '$PWD/target' '${4:-sha256}'"; then
		return 0
	fi
	cp run/deploy/reason reason
	return 1
}

# serve ANSWER: one connection answered with the bytes of file ANSWER,
# then closed (an HTTP/1.0 server that ends the body by closing); the
# port in $port.
serve() {
	port=$(stack_free_port) &&
	( timeout 20 busybox nc -l -p "$port" -w 2 <"$1" >/dev/null 2>&1 & ) &&
	wait_listen "$port"
}

# zero_ends FILE: its first and last MiB are zero bytes.
zero_ends() {
	head -c 1048576 /dev/zero >zero.mib &&
	head -c 1048576 "$1" | cmp - zero.mib &&
	tail -c 1048576 "$1" | cmp - zero.mib
}

test_expect_success 'setup: busybox applets and images in four formats' '
	bb_path &&
	{ head -c 1048576 /dev/urandom && head -c 2097152 /dev/zero &&
	  head -c 524288 /dev/urandom; } >"$TRASH/img" &&
	xz -T1 -1 -c "$TRASH/img" >"$TRASH/www/img.xz" &&
	gzip -1 -c "$TRASH/img" >"$TRASH/www/img.gz" &&
	zstd -q -1 -c "$TRASH/img" >"$TRASH/www/img.zst" &&
	cp "$TRASH/img" "$TRASH/www/img.raw" &&
	sha256sum "$TRASH/img" | cut -d" " -f1 >"$TRASH/img.sha"
'

for f in xz gz zst; do
	test_expect_success "$f image, sha256 of the compressed file: written and read back" '
		sha=$(sha256sum "$TRASH/www/img.'$f'" | cut -d" " -f1) &&
		deploy "$WWW_URL/img.'$f'" "$sha" compressed &&
		cmp "$TRASH/img" target &&
		grep -q "sha256 (compressed) matches" run/log &&
		grep -q "readback of 3670016 bytes verified" run/log
	'
done

test_expect_success 'raw image, sha256 of the raw image' '
	deploy "$WWW_URL/img.raw" "$(cat "$TRASH/img.sha")" raw &&
	cmp "$TRASH/img" target &&
	grep -q "format raw" run/log
'

test_expect_success 'xz image checked against the raw sha256' '
	deploy "$WWW_URL/img.xz" "$(cat "$TRASH/img.sha")" raw &&
	cmp "$TRASH/img" target
'

test_expect_success 'checksum mismatch fails with both sums in the reason, and wipes the target' '
	bad=0000000000000000000000000000000000000000000000000000000000000000 &&
	sha=$(sha256sum "$TRASH/www/img.xz" | cut -d" " -f1) &&
	! deploy "$WWW_URL/img.xz" "$bad" compressed &&
	echo "sha256 mismatch (compressed): expected $bad, got $sha" >expect &&
	test_cmp expect reason &&
	test "$(wc -c <target)" = 3670016 && zero_ends target &&
	grep -q "deploy: wiped the first and last MiB of $PWD/target" run/log
'

test_expect_success 'no checksum and image_verify not none: refused, the target untouched' '
	rm -rf run && echo "the old system" >target &&
	! agent_sh "pb_deploy_image \"\$WWW_URL/img.xz\" \"\" compressed \"$PWD/target\"" &&
	echo "no image_sha256 for $WWW_URL/img.xz and image_verify is not none: an image nobody can check is not installed" >expect &&
	test_cmp expect run/deploy/reason &&
	echo "the old system" >expect && test_cmp expect target &&
	! agent_sh "pb_deploy_image \"\$WWW_URL/img.xz\" \"\" compressed \"$PWD/target\" sha256" &&
	test_cmp expect target &&
	! agent_sh "pb_deploy_image \"\$WWW_URL/img.xz\" \"\" compressed \"$PWD/target\" md5" &&
	echo "image_verify \"md5\" is not sha256 or none" >expect &&
	test_cmp expect run/deploy/reason
'

test_expect_success 'image_verify none: an image whose Content-Length came in full is written' '
	deploy "$WWW_URL/img.xz" "" compressed none &&
	cmp "$TRASH/img" target &&
	grep -q "image_verify none: length of $WWW_URL/img.xz confirmed, its content not checked" run/log
'

test_expect_success 'image_verify none, HTTP/1.0, Content-Length 3 MiB, closed after 1 MiB: failed and wiped' '
	head -c 3145728 "$TRASH/img" >three && head -c 1048576 three >one.mib &&
	{ printf "HTTP/1.0 200 OK\r\nContent-Length: 3145728\r\n\r\n" && cat one.mib; } >answer &&
	serve answer &&
	! deploy "http://127.0.0.1:$port/img.raw" "" raw none &&
	grep -E "^download of http://127.0.0.1:$port/img.raw (truncated: 1048576 of 3145728 bytes|failed after 1048576 bytes)" reason &&
	zero_ends target
'

test_expect_success 'image_verify none, no Content-Length, closed after 1 MiB: length not confirmed, failed and wiped' '
	{ printf "HTTP/1.0 200 OK\r\n\r\n" && cat one.mib one.mib one.mib; } >answer &&
	serve answer &&
	! deploy "http://127.0.0.1:$port/img.raw" "" raw none &&
	echo "download of http://127.0.0.1:$port/img.raw: 3145728 bytes, length not confirmed (no Content-Length, not chunked) and no image_sha256 to check it" >expect &&
	test_cmp expect reason &&
	test "$(wc -c <target)" = 3145728 && zero_ends target
'

test_expect_success 'no Content-Length but a checksum: the checksum confirms it' '
	{ printf "HTTP/1.0 200 OK\r\n\r\n" && cat three; } >answer &&
	serve answer &&
	deploy "http://127.0.0.1:$port/img.raw" "$(sha256sum three | cut -d" " -f1)" raw &&
	cmp three target
'

test_expect_success 'image_verify none, chunked with its last chunk: written' '
	{ printf "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" &&
	  for i in 1 2 3; do printf "100000\r\n" && cat one.mib && printf "\r\n" || return 1; done &&
	  printf "0\r\n\r\n"; } >chunked &&
	cp chunked answer && serve answer &&
	deploy "http://127.0.0.1:$port/img.raw" "" raw none &&
	cat one.mib one.mib one.mib >expect && cmp expect target
'

test_expect_success 'image_verify none, chunked without its last chunk: failed and wiped' '
	head -c $(($(wc -c <chunked) - 5)) chunked >answer && serve answer &&
	! deploy "http://127.0.0.1:$port/img.raw" "" raw none &&
	grep "^download of http://127.0.0.1:$port/img.raw failed after 3145728 bytes (wget status 1): " reason &&
	zero_ends target
'

test_expect_success 'a corrupt xz stream is a decompressor error' '
	cp "$TRASH/www/img.xz" "$TRASH/www/bad.xz" &&
	printf "XXXXXXXX" | dd of="$TRASH/www/bad.xz" bs=1 seek=2000 conv=notrunc 2>/dev/null &&
	! deploy "$WWW_URL/bad.xz" "" compressed none &&
	grep "^xz decompression failed (status 1): " reason
'

test_expect_success 'a file cut short (complete download) is a decompressor error' '
	head -c 100000 "$TRASH/www/img.gz" >"$TRASH/www/short.gz" &&
	! deploy "$WWW_URL/short.gz" "" compressed none &&
	grep "^gzip decompression failed" reason
'

test_expect_success 'a missing image is a download error with the HTTP status' '
	! deploy "$WWW_URL/nothing.xz" "" compressed none &&
	grep "^download of $WWW_URL/nothing.xz failed after 0 bytes (wget status 1): .*404 Not Found" reason
'

test_expect_success 'an empty image is refused' '
	: >"$TRASH/www/empty.img" &&
	! deploy "$WWW_URL/empty.img" "" compressed none &&
	echo "image from $WWW_URL/empty.img is empty" >expect &&
	test_cmp expect reason
'

test_expect_success 'a server that sends less than its Content-Length: truncated' '
	port=$(stack_free_port) &&
	head -c 200000 "$TRASH/img" >part &&
	{ printf "HTTP/1.0 200 OK\r\nContent-Length: 3670016\r\n\r\n" && cat part; } >answer &&
	( timeout 20 busybox nc -l -p "$port" -w 2 <answer >/dev/null 2>&1 & ) &&
	wait_listen "$port" &&
	! deploy "http://127.0.0.1:$port/img.raw" "" raw none &&
	grep -E "^download of http://127.0.0.1:$port/img.raw (truncated: 200000 of 3670016 bytes|failed after 200000 bytes)" reason
'

test_expect_success 'a server that stops sending: stalled, abandoned' '
	port=$(stack_free_port) &&
	{ printf "HTTP/1.0 200 OK\r\nContent-Length: 3670016\r\n\r\n" && head -c 1000 "$TRASH/img"; } >answer &&
	( { cat answer; sleep 20; } | timeout 25 busybox nc -l -p "$port" >/dev/null 2>&1 & ) &&
	wait_listen "$port" &&
	! PUREBOOT_STALL=4 deploy "http://127.0.0.1:$port/img.raw" "" raw none &&
	grep "^download of http://127.0.0.1:$port/img.raw stalled (no data for [0-9]* s) after 1000 bytes" reason
'

test_expect_success 'server down in the middle of the stream: failed, with progress events before' '
	head -c 3145728 /dev/urandom >"$TRASH/www/big.raw" &&
	rm -rf run &&
	# Stop the server after the first progress event (2 s into a 6 s
	# download).
	# The server stops even when the wait gives up: a deploy that then
	# runs to the end fails this case.
	{ ( wait_for "the first install_progress event" 60 grep -qs install_progress run/events
	    www_stop ) & } &&
	! deploy "$WWW_URL/slow/big.raw" "" raw none &&
	wait &&
	grep -E "^download of $WWW_URL/slow/big.raw (failed after|truncated: )" reason &&
	grep "^{\"type\":\"install_progress\",\"bytes\":[0-9]*,\"total\":3145728,\"percent\":[0-9]*,\"key\":\"[0-9a-f-]\{36\}\"}\$" run/events >progress &&
	test $(wc -l <progress) -ge 1 &&
	! grep "\"percent\":100" progress
'

test_done
