#!/bin/sh
test_description='image pipeline: fetch, decompress by magic, write, checksum and readback, each failure named'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/deploy-lib.sh"

www_start || { echo "Bail out! nginx for the images did not start"; exit 1; }

# deploy URL SHA OF -> runs the pipeline into ./target; the reason of a
# failure in ./reason.
deploy() {
	rm -rf target reason run && : >target &&
	if agent_sh "pb_deploy_image '$1' '$2' '$3' '$PWD/target'"; then
		return 0
	fi
	cp run/deploy/reason reason
	return 1
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

test_expect_success 'checksum mismatch fails with both sums in the reason' '
	bad=0000000000000000000000000000000000000000000000000000000000000000 &&
	sha=$(sha256sum "$TRASH/www/img.xz" | cut -d" " -f1) &&
	! deploy "$WWW_URL/img.xz" "$bad" compressed &&
	echo "sha256 mismatch (compressed): expected $bad, got $sha" >expect &&
	test_cmp expect reason
'

test_expect_success 'a corrupt xz stream is a decompressor error' '
	cp "$TRASH/www/img.xz" "$TRASH/www/bad.xz" &&
	printf "XXXXXXXX" | dd of="$TRASH/www/bad.xz" bs=1 seek=2000 conv=notrunc 2>/dev/null &&
	! deploy "$WWW_URL/bad.xz" "" compressed &&
	grep "^xz decompression failed (status 1): " reason
'

test_expect_success 'a file cut short (complete download) is a decompressor error' '
	head -c 100000 "$TRASH/www/img.gz" >"$TRASH/www/short.gz" &&
	! deploy "$WWW_URL/short.gz" "" compressed &&
	grep "^gzip decompression failed" reason
'

test_expect_success 'a missing image is a download error with the HTTP status' '
	! deploy "$WWW_URL/nothing.xz" "" compressed &&
	grep "^download of $WWW_URL/nothing.xz failed after 0 bytes (wget status 1): .*404 Not Found" reason
'

test_expect_success 'an empty image is refused' '
	: >"$TRASH/www/empty.img" &&
	! deploy "$WWW_URL/empty.img" "" compressed &&
	echo "image from $WWW_URL/empty.img is empty" >expect &&
	test_cmp expect reason
'

test_expect_success 'a server that sends less than its Content-Length: truncated' '
	port=$(free_port) &&
	head -c 200000 "$TRASH/img" >part &&
	{ printf "HTTP/1.0 200 OK\r\nContent-Length: 3670016\r\n\r\n" && cat part; } >answer &&
	( timeout 20 busybox nc -l -p "$port" -w 2 <answer >/dev/null 2>&1 & ) &&
	wait_listen "$port" &&
	! deploy "http://127.0.0.1:$port/img.raw" "" raw &&
	grep -E "^download of http://127.0.0.1:$port/img.raw (truncated: 200000 of 3670016 bytes|failed after 200000 bytes)" reason
'

test_expect_success 'a server that stops sending: stalled, abandoned' '
	port=$(free_port) &&
	{ printf "HTTP/1.0 200 OK\r\nContent-Length: 3670016\r\n\r\n" && head -c 1000 "$TRASH/img"; } >answer &&
	( { cat answer; sleep 20; } | timeout 25 busybox nc -l -p "$port" >/dev/null 2>&1 & ) &&
	wait_listen "$port" &&
	! PUREBOOT_STALL=4 deploy "http://127.0.0.1:$port/img.raw" "" raw &&
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
	! deploy "$WWW_URL/slow/big.raw" "" raw &&
	wait &&
	grep -E "^download of $WWW_URL/slow/big.raw (failed after|truncated: )" reason &&
	grep "^{\"type\":\"install_progress\",\"bytes\":[0-9]*,\"total\":3145728,\"percent\":[0-9]*}\$" run/events >progress &&
	test $(wc -l <progress) -ge 1 &&
	! grep "\"percent\":100" progress
'

test_done
