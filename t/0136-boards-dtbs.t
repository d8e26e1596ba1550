#!/bin/sh
test_description='every DTB pureboot.boards names is in Debian'"'"'s arm64 kernel package and is a device tree pb_fdt_check takes; broken copies are refused'
. "${0%/*}/lib.sh"

deb=$(find "${PB_DEB_CACHE:-/var/cache/pureboot/debs}" -maxdepth 1 -name 'linux-image-*-arm64_*_arm64.deb' 2>/dev/null | sort -V | tail -n 1)
[ -n "$deb" ] || test_skip_all "no cached arm64 kernel .deb: run make initramfs"
CHECK=$PB_BUILD/pb-fdt-check
db_start

test_expect_success 'setup: the DTB paths of the table, the package unpacked' '
	db_psql -c "SELECT dtb FROM pureboot.boards WHERE dtb IS NOT NULL ORDER BY dtb" >paths &&
	test -s paths &&
	mkdir pkg && dpkg-deb -x "$deb" pkg &&
	dir=$(find pkg/usr/lib -maxdepth 1 -type d -name "linux-image-*" | head -n 1) &&
	test -n "$dir" && echo "$dir" >dtbdir
'

test_expect_success 'each DTB the table names is in the package' '
	dir=$(cat dtbdir) &&
	while read -r p; do
		test -f "$dir/$p" || { echo "missing from $deb: $p"; return 1; }
	done <paths
'

test_expect_success 'each is a device tree: magic, total size, version, blocks' '
	dir=$(cat dtbdir) &&
	sed "s|^|$dir/|" paths >files &&
	xargs "$CHECK" <files >actual &&
	sed "s|$|: ok|" files >expect &&
	test_cmp expect actual
'

test_expect_success 'a truncated copy, one with a byte appended and a gzip file are refused with the reason' '
	dir=$(cat dtbdir) &&
	f=$dir/$(head -n 1 paths) &&
	size=$(stat -c %s "$f") &&
	head -c $((size - 1)) "$f" >short.dtb &&
	{ cat "$f"; printf x; } >long.dtb &&
	gzip -c "$f" >gz.dtb &&
	test_must_fail_1() { "$@"; test $? = 1; } &&
	test_must_fail_1 "$CHECK" short.dtb long.dtb gz.dtb >actual &&
	cat >expect <<-EOF &&
	short.dtb: fdt: total size $size is not the file size $((size - 1))
	long.dtb: fdt: total size $size is not the file size $((size + 1))
	gz.dtb: fdt: magic 0x1f8b0808 is not 0xd00dfeed
	EOF
	test_cmp expect actual
'

test_done
