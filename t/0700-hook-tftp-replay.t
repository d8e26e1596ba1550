#!/bin/sh
test_description='every state of every Pi model, replayed over real TFTP from dnsmasq and tftp-hpa'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-hook.sh"

[ "$(id -u)" = 0 ] || test_skip_all "network namespaces need root"
db_start
net_atexit
root=$TRASH/tftp
fw=$root/rpi-firmware

# Node i of model mi in state si: serial mmssbeef, MAC dc:a6:32:00:mm:ss.
serial_of() { printf '%02x%02xbeef' "$1" "$2"; }
mac_of() { printf 'dc:a6:32:00:%02x:%02x' "$1" "$2"; }

test_expect_success 'setup: a node in every state for every model, synced, served' '
	hook_root "$root" &&
	db_psql -c "INSERT INTO pureboot.workflows (id, name, arch, definition) VALUES
		(\$\$diskless\$\$, \$\$NFS\$\$, \$\$aarch64\$\$,
		 \$\${\"install_method\": \"nfs\", \"nfs_server\": \"10.66.0.9\",
		    \"nfs_base_path\": \"/nfsroot\", \"nfs_image\": \"base-arm64.tar.gz\"}\$\$)" &&
	: >nodes.sql && mi=0 &&
	for m in $ALL_MODELS; do
		mi=$((mi + 1)) si=0
		for s in $ALL_STATES; do
			si=$((si + 1))
			echo "INSERT INTO pureboot.nodes (serial, mac, arch, boot_mode, pi_model) VALUES (\$\$$(serial_of $mi $si)\$\$, \$\$$(mac_of $mi $si)\$\$, \$\$aarch64\$\$, \$\$pi\$\$, \$\$$m\$\$);" >>nodes.sql
			for t in $(state_path "$s"); do
				echo "SELECT 1 FROM pureboot.transition((SELECT id FROM pureboot.nodes WHERE serial = \$\$$(serial_of $mi $si)\$\$), \$\$$t\$\$, \$\$test\$\$);" >>nodes.sql
			done
		done
	done &&
	db_psql -f nodes.sql >/dev/null &&
	n1=$(node_add 0a0a0a0a dc:a6:32:0a:0a:0a pi4 active diskless) &&
	n2=$(node_add 0b0b0b0b dc:a6:32:0b:0b:0b pi5 installed diskless) &&
	db_count nodes >count && echo 110 >expect && test_cmp expect count &&
	hook_sync "$root" &&
	net_up && dnsmasq_start "$root" && tftpd_start "$root" &&
	mi=0 &&
	for m in $ALL_MODELS; do
		mi=$((mi + 1)) si=0
		for s in $ALL_STATES; do
			si=$((si + 1))
			client_add $((mi * 12 + si)) "$(mac_of $mi $si)" || return 1
		done
	done &&
	client_add 240 dc:a6:32:0a:0a:0a && client_add 241 dc:a6:32:0b:0b:0b
'

size() { stat -L -c %s "$1"; }

# The exact sequence of a Pi 4, a Pi 3B+ and a Pi 5 that netboot: every
# probe, the ones expected to fail, sizes from the firmware on disk.
test_expect_success 'pi4, pending: the exact request sequence, same on both servers' '
	s=$(serial_of 4 2) &&
	cat >expect <<-EOF &&
	get $s/start4.elf: $(size "$fw/start4.elf") bytes
	get $s/config.txt: $(size "$root/$s/config.txt") bytes
	get $s/pieeprom.sig: not served
	get $s/vl805.sig: not served
	get $s/recover4.elf: not served
	get $s/start4.elf: $(size "$fw/start4.elf") bytes
	get $s/fixup4.dat: $(size "$fw/fixup4.dat") bytes
	get $s/config.txt: $(size "$root/$s/config.txt") bytes
	get $s/bcm2711-rpi-4-b.dtb: $(size "$fw/bcm2711-rpi-4-b.dtb") bytes
	get $s/overlays/overlay_map.dtb: not served
	get $s/cmdline.txt: $(size "$root/$s/cmdline.txt") bytes
	get $s/kernel8.img: $(size "$root/deploy-arm64/kernel8.img") bytes
	get $s/initramfs.img: $(size "$root/deploy-arm64/initramfs.img") bytes
	end: booted kernel=$s/kernel8.img initramfs=$s/initramfs.img dtb=bcm2711-rpi-4-b.dtb
	cmdline: $(cat "$root/$s/cmdline.txt")
	bootable files served
	EOF
	client 50 10.66.0.1 replay pi4 "$s" >actual 2>err && test_cmp expect actual &&
	client 50 10.66.0.2 replay pi4 "$s" >actual 2>err && test_cmp expect actual
'

test_expect_success 'pi3+, pending: bootcode.bin from the root, then the serial prefix' '
	s=$(serial_of 2 2) &&
	cat >expect <<-EOF &&
	get bootcode.bin: $(size "$fw/bootcode.bin") bytes
	get $s/start.elf: $(size "$fw/start.elf") bytes
	get $s/autoboot.txt: not served
	get $s/config.txt: $(size "$root/$s/config.txt") bytes
	get $s/recovery.elf: not served
	get $s/start.elf: $(size "$fw/start.elf") bytes
	get $s/fixup.dat: $(size "$fw/fixup.dat") bytes
	get $s/dt-blob.bin: not served
	get $s/bcm2837-rpi-3-b-plus.dtb: $(size "$fw/bcm2837-rpi-3-b-plus.dtb") bytes
	get $s/overlays/overlay_map.dtb: not served
	get $s/cmdline.txt: $(size "$root/$s/cmdline.txt") bytes
	get $s/kernel8.img: $(size "$root/deploy-arm64/kernel8.img") bytes
	get $s/armstub8.bin: not served
	get $s/initramfs.img: $(size "$root/deploy-arm64/initramfs.img") bytes
	end: booted kernel=$s/kernel8.img initramfs=$s/initramfs.img dtb=bcm2837-rpi-3-b-plus.dtb
	cmdline: $(cat "$root/$s/cmdline.txt")
	bootable files served
	EOF
	client 26 10.66.0.1 replay pi3+ "$s" >actual 2>err && test_cmp expect actual &&
	client 26 10.66.0.2 replay pi3+ "$s" >actual 2>err && test_cmp expect actual
'

test_expect_success 'pi5, installing: the start4.elf probe, then kernel_2712.img' '
	s=$(serial_of 7 3) &&
	cat >expect <<-EOF &&
	get $s/start4.elf: $(size "$fw/start4.elf") bytes
	get $s/config.txt: $(size "$root/$s/config.txt") bytes
	get $s/pieeprom.sig: not served
	get $s/bcm2712-rpi-5-b.dtb: $(size "$fw/bcm2712-rpi-5-b.dtb") bytes
	get $s/overlays/overlay_map.dtb: not served
	get $s/cmdline.txt: $(size "$root/$s/cmdline.txt") bytes
	get $s/kernel_2712.img: $(size "$root/deploy-arm64/kernel8.img") bytes
	get $s/initramfs.img: $(size "$root/deploy-arm64/initramfs.img") bytes
	end: booted kernel=$s/kernel_2712.img initramfs=$s/initramfs.img dtb=bcm2712-rpi-5-b.dtb
	cmdline: $(cat "$root/$s/cmdline.txt")
	bootable files served
	EOF
	client 87 10.66.0.1 replay pi5 "$s" >actual 2>err && test_cmp expect actual &&
	client 87 10.66.0.2 replay pi5 "$s" >actual 2>err && test_cmp expect actual
'

test_expect_success 'block sizes 512 and 1468, abort after the tsize OACK then restart' '
	s=$(serial_of 4 2) &&
	size "$fw/start4.elf" >expect &&
	{ echo "aborted after the OACK: tsize $(size "$fw/start4.elf")" && cat expect; } >expect.abort &&
	for srv in 10.66.0.1 10.66.0.2; do
		rm -f got512 got1468 &&
		client 50 $srv get "$s/start4.elf" got512 >actual &&
		test_cmp expect actual && cmp got512 "$fw/start4.elf" &&
		client 50 $srv -B 1468 -t -a get "$s/start4.elf" got1468 >actual &&
		test_cmp expect.abort actual && cmp got1468 "$fw/start4.elf" ||
		return 1
	done
'

# Files that must come byte for byte from the firmware or deploy-arm64.
bytes_ok() { # DIR SERIAL MODEL
	for f in "$1"/*; do
		b=${f##*/} b=${b#"$2"%}
		case $b in
		config.txt|cmdline.txt) cmp "$f" "$root/$2/$b" ;;
		kernel8.img|kernel_2712.img) cmp "$f" "$root/deploy-arm64/kernel8.img" ;;
		initramfs.img) cmp "$f" "$root/deploy-arm64/initramfs.img" ;;
		bootcode.bin) cmp "$f" "$fw/bootcode.bin" ;;
		*) cmp "$f" "$fw/$b" ;;
		esac || { echo "$f differs"; return 1; }
	done
}

# replay_one MODEL STATE N SERIAL SERVER: one node on one server.  The
# Pi 3 ROM's 512-byte blocks are covered above; here 1468, for time.
replay_one() {
	m=$1 s=$2 n=$3 ser=$4 srv=$5 d=got-$5
	rm -rf "$d" && mkdir "$d" || return 1
	if ! client "$n" "$srv" -B 1468 -o "$d" replay "$m" "$ser" >"$d.out" 2>"$d.err"; then
		cat "$d.out" "$d.err"
		return 1
	fi
	out=$d.out
	if state_fenced "$s"; then
		# The fence: nothing non-empty but the ROM's shared
		# bootcode.bin, which tftp-hpa (no per-MAC root) serves to
		# any Pi 3.
		if grep -E ": [1-9][0-9]* bytes\$" "$out" | grep -v "^get bootcode.bin:"; then
			echo "$m $s $srv: fenced node got a bootable file"; cat "$out"; return 1
		fi
		if [ "$srv" = 10.66.0.1 ]; then
			grep -q "^end: failed" "$out"
		else
			grep -qx "end: gave up" "$out" && grep -qx "get $ser/start4*.elf: 0 bytes" "$out"
		fi || { echo "$m $s $srv:"; cat "$out"; return 1; }
		return 0
	fi
	if ! case $m in
	cm5|pi500)
		# Debian 6.12 ships no DTB for these boards.
		grep -q "^end: failed missing=$ser/bcm2712-rpi-" "$out" ;;
	*)
		grep -q "^end: booted kernel=$ser/kernel" "$out" &&
		grep -q "^cmdline: .* pureboot.mode=install pureboot.state=$s pureboot.serial=$ser " "$out" ;;
	esac || ! bytes_ok "$d" "$ser" "$m"; then
		echo "$m $s $srv:"
		cat "$out"
		return 1
	fi
}

# replay_all MODEL MI: every state of one model, both servers at once.
replay_all() {
	si=0
	for s in $ALL_STATES; do
		si=$((si + 1))
		replay_one "$1" "$s" $(($2 * 12 + si)) "$(serial_of "$2" "$si")" 10.66.0.1 >r1.log 2>&1 &
		p1=$!
		replay_one "$1" "$s" $(($2 * 12 + si)) "$(serial_of "$2" "$si")" 10.66.0.2 >r2.log 2>&1 &
		p2=$!
		r1=0 r2=0
		wait "$p1" || r1=1
		wait "$p2" || r2=1
		cat r1.log r2.log
		[ "$r1$r2" = 00 ] || return 1
	done
}

mi=0
for m in $ALL_MODELS; do
	mi=$((mi + 1))
	test_expect_success "$m: every state over dnsmasq (unique root by MAC) and tftp-hpa (--secure)" "
		replay_all '$m' $mi
	"
done

test_expect_success 'NFS workflow: installed and active nodes boot with the NFS words' '
	for srv in 10.66.0.1 10.66.0.2; do
		client 240 $srv replay pi4 0a0a0a0a >out 2>err &&
		grep -q "^end: booted kernel=0a0a0a0a/kernel8.img" out &&
		grep -q "pureboot.mode=nfs pureboot.state=active .* pureboot.nfs_server=10.66.0.9 pureboot.nfs_path=/nfsroot/base-arm64.tar.gz pureboot.nfs_options=vers=3,tcp\$" out &&
		client 241 $srv replay pi5 0b0b0b0b >out 2>err &&
		grep -q "^end: booted kernel=0b0b0b0b/kernel_2712.img" out &&
		grep -q "pureboot.mode=nfs pureboot.state=installed " out || return 1
	done
'

test_expect_success 'an unknown Pi boots the discovery root with no serial on its command line' '
	client_add 242 dc:a6:32:ff:ff:01 &&
	for srv in 10.66.0.1 10.66.0.2; do
		client 242 $srv replay pi4 feedf00d >out 2>err &&
		grep -q "^end: booted kernel=kernel8.img initramfs=initramfs.img dtb=bcm2711-rpi-4-b.dtb" out &&
		grep -qx "cmdline: console=serial0,115200 console=tty1 pureboot.server=http://127.0.0.1:8080 pureboot.mode=discovery" out &&
		client 242 $srv replay pi5 feedf00d >out 2>err &&
		grep -q "^end: booted kernel=kernel_2712.img initramfs=initramfs.img dtb=bcm2712-rpi-5-b.dtb" out &&
		client 242 $srv replay pi3+ feedf00d >out 2>err &&
		grep -q "^end: booted kernel=kernel8.img initramfs=initramfs.img dtb=bcm2837-rpi-3-b-plus.dtb" out ||
		return 1
	done
'

test_expect_success 'dnsmasq never serves what is outside the root (".." refused)' '
	! client 50 10.66.0.1 get "../etc/passwd" >out &&
	grep -q "not served" out
'

test_done
