#!/bin/sh
test_description='the first-boot writer puts each OS family'"'"'s files on the FAT boot partition of a disk image, and nowhere else'
. "${0%/*}/lib.sh"

FB=$PB_TOP/initramfs/agent/firstboot.sh
W() { "$PB_BUILD/pureboot" workflow "$@"; }

# The writer runs under busybox, with busybox's applets first in PATH,
# as in the deploy initramfs; only mtools comes from the host.
fb() {
	PATH="$TRASH/bbin:$PATH" busybox sh "$FB" "$@"
}
# fb_rc ARGS...: stdout to ./out, stderr to ./err, exit code to ./rc.
fb_rc() {
	rc=0
	fb "$@" >out 2>err || rc=$?
	echo "$rc" >rc
}

# mkfat FILE KIB BITS LABEL: a FAT file system in a file.
mkfat() {
	rm -f "$1" && mkfs.vfat -C -F "$3" -s 1 -n "$4" "$1" "$2" >/dev/null
}
# mkext FILE KIB: an ext4 file system holding ./root.
mkext() {
	mkfs.ext4 -q -F -d root "$1" "$2k" >/dev/null 2>&1
}
# place DISK FILE LBA: a file system into the disk image at sector LBA.
place() {
	dd if="$2" of="$1" bs=512 seek="$3" conv=notrunc 2>/dev/null
}
# region DISK LBA COUNT OUT: sectors of the disk image into OUT.
region() {
	dd if="$1" of="$4" bs=512 skip="$2" count="$3" 2>/dev/null
}
# fw_ls EXT4FILE: the names in /boot/firmware of an ext4 image, sorted.
fw_ls() {
	debugfs -R "ls /boot/firmware" "$1" 2>/dev/null | tr -s " " "\n" |
		sed "s/([0-9]*)//" | grep -v "^[0-9]*\$" | sort
}
# b64_of ENV I: file I's decoded content, as the API sent it.
b64_of() {
	sed -n "s/^PB_FILE_$2_B64='\\(.*\\)'\$/\\1/p" "$1" | base64 -d
}

test_expect_success 'setup: busybox applets, a root file system tree' '
	mkdir bbin &&
	for a in sh od dd tr sed grep head tail wc cat mktemp base64 env rm sync; do
		ln -s "$(command -v busybox)" "bbin/$a" || return 1
	done &&
	mkdir -p root/boot/firmware root/etc && echo marker >root/etc/marker
'

test_expect_success 'setup: a Raspberry Pi OS disk (bootfs FAT32, then ext4)' '
	truncate -s 64M pios.img &&
	printf "%s\n" "label: dos" "start=8192, size=81920, type=c" \
		"start=90112, size=32768, type=83" | sfdisk -q pios.img &&
	mkfat p1.img 40960 32 bootfs && mkext p2.img 16384 &&
	place pios.img p1.img 8192 && place pios.img p2.img 90112 &&
	W resolve -e -s d83add36 "$PB_TOP/workflows/pi-raspios-lite.yaml" >pios.env
'

test_expect_success 'Raspberry Pi OS: ssh, userconf.txt and custom.toml written' '
	fb_rc pios.img pios.env &&
	echo 0 >expect && test_cmp expect rc &&
	cat >expect <<-\EOF &&
	firstboot: wrote ssh (0 bytes) to the boot partition at sector 8192
	firstboot: wrote userconf.txt (5 bytes) to the boot partition at sector 8192
	EOF
	head -n 2 out >actual && test_cmp expect actual &&
	grep -q "^firstboot: wrote custom.toml ([0-9]* bytes) to the boot partition at sector 8192\$" out &&
	mdir -i "pios.img@@$((8192 * 512))" -b :: | sort >actual &&
	printf "%s\n" ::/custom.toml ::/ssh ::/userconf.txt >expect &&
	test_cmp expect actual
'

test_expect_success 'Raspberry Pi OS: the files read back are what the API sent' '
	i=1 && for f in ssh userconf.txt custom.toml; do
		b64_of pios.env $i >want &&
		mcopy -n -i "pios.img@@$((8192 * 512))" "::$f" got &&
		cmp want got || return 1
		i=$((i + 1))
	done &&
	mcopy -n -i "pios.img@@$((8192 * 512))" ::userconf.txt got &&
	echo "pi:*" >expect && test_cmp expect got &&
	mcopy -n -i "pios.img@@$((8192 * 512))" ::custom.toml got &&
	grep -qx "hostname = \"pi-d83add36\"" got &&
	grep -qx "enabled = true" got &&
	grep -q "^  \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKY8KN2blp860xz/mBlQaK9FcMrh8hiFsVWBj6eCdhAA operator@example.com\",\$" got
'

test_expect_success 'Raspberry Pi OS: the root file system is untouched, /boot/firmware empty' '
	region pios.img 90112 32768 p2.after && cmp p2.img p2.after &&
	fw_ls p2.after >actual &&
	printf "%s\n" . .. >expect && test_cmp expect actual &&
	debugfs -R "cat /etc/marker" p2.after 2>/dev/null >actual &&
	echo marker >expect && test_cmp expect actual
'

test_expect_success 'Raspberry Pi OS: the FAT file system is consistent' '
	region pios.img 8192 81920 p1.after && fsck.vfat -n p1.after >fsck.out
'

test_expect_success 'setup: an Ubuntu disk: ext4 first, another FAT, then system-boot' '
	truncate -s 64M ubuntu.img &&
	printf "%s\n" "label: dos" "start=2048, size=16384, type=83" \
		"start=18432, size=8192, type=e" \
		"start=26624, size=81920, type=c" | sfdisk -q ubuntu.img &&
	mkext u1.img 8192 && mkfat u2.img 4096 16 OTHER &&
	mkfat u3.img 40960 32 system-boot &&
	echo "#cloud-config (as shipped)" >stock &&
	mcopy -i u3.img stock ::user-data &&
	place ubuntu.img u1.img 2048 && place ubuntu.img u2.img 18432 &&
	place ubuntu.img u3.img 26624 &&
	W resolve -e -s d83add36 -H node-7 -u http://pb.lan:8080 \
		"$PB_TOP/workflows/pi-ubuntu-server.yaml" >ubuntu.env
'

test_expect_success 'Ubuntu: ssh, meta-data, user-data, network-config on system-boot' '
	fb_rc ubuntu.img ubuntu.env &&
	echo 0 >expect && test_cmp expect rc &&
	test "$(grep -c "at sector 26624\$" out)" = 4 &&
	mdir -i "ubuntu.img@@$((26624 * 512))" -b :: | sort >actual &&
	printf "%s\n" ::/meta-data ::/network-config ::/ssh ::/user-data >expect &&
	test_cmp expect actual &&
	i=1 && for f in ssh meta-data user-data network-config; do
		b64_of ubuntu.env $i >want &&
		mcopy -n -i "ubuntu.img@@$((26624 * 512))" "::$f" got &&
		cmp want got || return 1
		i=$((i + 1))
	done
'

test_expect_success 'Ubuntu: the shipped user-data is replaced, the content is right' '
	mcopy -n -i "ubuntu.img@@$((26624 * 512))" ::user-data got &&
	head -n 1 got >actual && echo "#cloud-config" >expect && test_cmp expect actual &&
	grep -qx "hostname: node-7" got && grep -qx "  - name: ubuntu" got &&
	grep -qx "  - \"avahi-daemon\"" got && grep -qx "resize_rootfs: true" got &&
	mcopy -n -i "ubuntu.img@@$((26624 * 512))" ::meta-data got &&
	printf "%s\n" "instance-id: pureboot-00000000-0000-0000-0000-000000000000" \
		"local-hostname: node-7" >expect && test_cmp expect got
'

test_expect_success 'Ubuntu: the other FAT and the ext4 partition are untouched' '
	region ubuntu.img 18432 8192 u2.after && cmp u2.img u2.after &&
	region ubuntu.img 2048 16384 u1.after && cmp u1.img u1.after &&
	fw_ls u1.after >actual && printf "%s\n" . .. >expect &&
	test_cmp expect actual &&
	region ubuntu.img 26624 81920 u3.after && fsck.vfat -n u3.after >fsck.out
'

test_expect_success 'GPT: the EFI system partition is found by its type GUID' '
	truncate -s 32M gpt.img &&
	printf "%s\n" "label: gpt" \
		"start=2048, size=8192, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4" \
		"start=10240, size=40960, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B" |
		sfdisk -q gpt.img &&
	rm -f g2.img && mkfs.vfat -C -F 16 g2.img 20480 >/dev/null &&
	place gpt.img g2.img 10240 &&
	fb_rc gpt.img pios.env && echo 0 >expect && test_cmp expect rc &&
	mdir -i "gpt.img@@$((10240 * 512))" -b :: | sort >actual &&
	printf "%s\n" ::/custom.toml ::/ssh ::/userconf.txt >expect &&
	test_cmp expect actual
'

test_expect_success 'values from the environment instead of a file' '
	cp pios.img env.img &&
	(
		export PB_FILES=1 PB_FILE_1_PART=boot PB_FILE_1_PATH=hello.txt \
			PB_FILE_1_MODE=0444 PB_FILE_1_B64=aGVsbG8K &&
		fb env.img
	) >out &&
	mcopy -n -i "env.img@@$((8192 * 512))" ::hello.txt got &&
	echo hello >expect && test_cmp expect got &&
	mattrib -i "env.img@@$((8192 * 512))" ::hello.txt >attr &&
	tr -s " " <attr >actual &&
	echo " A R ::/hello.txt" >expect && test_cmp expect actual
'

test_expect_success 'no files: nothing is read or written' '
	echo "PB_FILES='"'"'0'"'"'" >none.env && : >empty.img &&
	fb_rc empty.img none.env && echo 0 >expect && test_cmp expect rc &&
	test_cmp /dev/null out
'

# Every refusal writes nothing: the disk image is compared byte for byte.
refused() {
	cp pios.img before.img &&
	fb_rc pios.img "$1" && echo 1 >expect && test_cmp expect rc &&
	echo "firstboot: $2" >expect && test_cmp expect err &&
	cmp before.img pios.img
}
bad_env() {
	sed "$1" pios.env >bad.env
}

test_expect_success 'refused: a path that is not a plain file name' '
	bad_env "s|^PB_FILE_2_PATH=.*|PB_FILE_2_PATH='"'"'../etc/passwd'"'"'|" &&
	refused bad.env "file 2: path \"../etc/passwd\" is not a plain file name"
'

test_expect_success 'refused: a partition other than boot' '
	bad_env "s|^PB_FILE_3_PART=.*|PB_FILE_3_PART='"'"'root'"'"'|" &&
	refused bad.env "file 3: partition \"root\" is not boot"
'

test_expect_success 'refused: content that is not base64' '
	bad_env "s|^PB_FILE_3_B64=.*|PB_FILE_3_B64='"'"'a\$b'"'"'|" &&
	refused bad.env "file 3: content of \"custom.toml\" is not base64"
'

test_expect_success 'refused: a bad mode, a bad count, a line that is not PB_KEY' '
	bad_env "s|^PB_FILE_1_MODE=.*|PB_FILE_1_MODE='"'"'644'"'"'|" &&
	refused bad.env "file 1: mode \"644\" is not 0NNN" &&
	bad_env "s|^PB_FILES=.*|PB_FILES='"'"'3;'"'"'|" &&
	refused bad.env "PB_FILES \"3;\" is not a number" &&
	bad_env "1i rm -rf /" &&
	refused bad.env "env file \"bad.env\": a line is not PB_KEY='"'"'value'"'"'"
'

test_expect_success 'refused: a disk without a FAT partition, or without a table' '
	truncate -s 16M nofat.img &&
	printf "%s\n" "label: dos" "start=2048, size=16384, type=83" | sfdisk -q nofat.img &&
	place nofat.img u1.img 2048 && cp nofat.img before.img &&
	fb_rc nofat.img pios.env && echo 1 >expect && test_cmp expect rc &&
	echo "firstboot: \"nofat.img\" has no FAT boot partition" >expect &&
	test_cmp expect err && cmp before.img nofat.img &&
	truncate -s 1M blank.img &&
	fb_rc blank.img pios.env && echo 1 >expect && test_cmp expect rc &&
	echo "firstboot: \"blank.img\" has no partition table (no MBR signature)" >expect &&
	test_cmp expect err
'

test_expect_success 'the writer is shellcheck-clean' '
	shellcheck "$FB"
'

test_done
