#!/bin/sh
test_description='the test OS image (make test-image): layout, boot files, cloud-init seed and first-boot state, read without booting it'
. "${0%/*}/lib.sh"

# make check and make test build the image first (make test-image); the
# image is this suite's own artefact, so a missing one is a failure.
test_expect_success 'the image of this recipe is built, its sha256 matches' '
	"$PB_TOP/scripts/test-image" path >xzpath &&
	xz=$(cat xzpath) &&
	(cd "${xz%/*}" && sha256sum -c --quiet test-image.img.xz.sha256) &&
	xz -dc "$xz" >disk.img
'
[ -s disk.img ] || test_done

test_expect_success 'sizes: raw under 400 MiB, xz under 150 MiB' '
	raw=$(wc -c <disk.img) && xzs=$(wc -c <"$(cat xzpath)") &&
	echo "# raw $raw bytes, xz $xzs bytes" &&
	[ "$raw" -lt $((400 * 1048576)) ] && [ "$xzs" -lt $((150 * 1048576)) ]
'

test_expect_success 'partition table: DOS, FAT32 bootable at 1 MiB, then Linux to the end' '
	sfdisk --json disk.img >table.json &&
	jq -r ".partitiontable | .label, (.partitions[] | \"\(.start) \(.type) \(.bootable // false)\")" \
		table.json >actual &&
	p2=$(jq -r ".partitiontable.partitions[1] | .start + .size" table.json) &&
	cat >expect <<-EOF &&
	dos
	2048 c true
	$((2048 + 64 * 2048)) 83 false
	EOF
	test_cmp expect actual &&
	[ "$p2" -eq $(($(wc -c <disk.img) / 512)) ]
'

# Byte offsets and sizes of the two partitions, and each as a file.
jq -r ".partitiontable.partitions[] | \"\(.start * 512) \(.size * 512)\"" table.json >parts 2>/dev/null || :
fat_off=$(sed -n 1p parts | cut -d" " -f1)
root_off=$(sed -n 2p parts | cut -d" " -f1)
root_size=$(sed -n 2p parts | cut -d" " -f2)
FAT=disk.img@@$fat_off

test_expect_success 'labels: vfat "system-boot" and ext4 "writable", both clean' '
	blkid -p --offset "$fat_off" -o export disk.img | grep -E "^(TYPE|LABEL)=" >actual &&
	blkid -p --offset "$root_off" -o export disk.img | grep -E "^(TYPE|LABEL)=" >>actual &&
	cat >expect <<-\EOF &&
	LABEL=system-boot
	TYPE=vfat
	LABEL=writable
	TYPE=ext4
	EOF
	test_cmp expect actual &&
	dd if=disk.img of=root.ext4 bs=1M iflag=skip_bytes,count_bytes \
		skip="$root_off" count="$root_size" conv=sparse 2>/dev/null &&
	e2fsck -fn root.ext4 >fsck.out 2>&1 || { cat fsck.out; false; }
'

# ext_cat PATH: the file PATH of the root file system; ext_ls DIR.
ext_cat() { debugfs -R "cat $1" root.ext4 2>/dev/null; }
ext_ls() { debugfs -R "ls -p $1" root.ext4 2>/dev/null | cut -d/ -f6 | sed "/^$/d"; }
# ext_size PATH: its size, or nothing when it does not exist.
ext_size() { debugfs -R "stat $1" root.ext4 2>/dev/null | sed -n "s/.*Project: .*Size: \([0-9]*\).*/\1/p"; }

test_expect_success 'extlinux/extlinux.conf on the FAT partition names files that are there' '
	mtype -i "$FAT" ::extlinux/extlinux.conf >extlinux.conf &&
	sed -n "s/^[[:space:]]*kernel[[:space:]]\{1,\}\/\{0,1\}//p" extlinux.conf >kernel &&
	sed -n "s/^[[:space:]]*initrd[[:space:]]\{1,\}\/\{0,1\}//p" extlinux.conf >initrd &&
	test "$(cat kernel)" = Image && test "$(cat initrd)" = initrd.img &&
	mcopy -i "$FAT" ::Image ::initrd.img . &&
	grep "^[[:space:]]*append " extlinux.conf >append &&
	grep -q " root=LABEL=writable " append &&
	grep -q " console=ttyAMA0" append &&
	grep -q " net.ifnames=0" append
'

test_expect_success 'the kernel is a raw arm64 Image (booti), the initrd has the disk and fs modules' '
	test "$(od -An -c -j56 -N4 Image | tr -d " ")" = ARMd &&
	kver=$(sed -n "s/.*menu label Debian bookworm (\(.*\))/\1/p" extlinux.conf) &&
	test -n "$kver" &&
	echo "$kver" >kver &&
	# initramfs-tools on arm64: one compressed newc archive (zstd).
	zstd -dc initrd.img | cpio -it --quiet >initrd.list &&
	for m in virtio_blk virtio_pci virtio_net ext4 vfat; do
		grep -q "^usr/lib/modules/$kver/kernel/.*/$m\.ko\$" initrd.list ||
		grep -q "^lib/modules/$kver/kernel/.*/$m\.ko\$" initrd.list || {
			echo "$m is not in the initrd"; return 1; }
	done
'

test_expect_success 'the NoCloud seed: user-data, meta-data, network-config on system-boot' '
	mdir -i "$FAT" -b :: | sed "s|^::/||" | sort >files &&
	cat >expect <<-\EOF &&
	Image
	extlinux/
	initrd.img
	meta-data
	network-config
	user-data
	EOF
	test_cmp expect files &&
	mtype -i "$FAT" ::user-data | head -n 1 >actual &&
	echo "#cloud-config" >expect && test_cmp expect actual &&
	mtype -i "$FAT" ::meta-data | grep -q "^instance-id: " &&
	mtype -i "$FAT" ::network-config | grep -q "^version: 2" &&
	dd if=disk.img of=boot.vfat bs=1M iflag=skip_bytes skip="$fat_off" count=64 2>/dev/null &&
	fsck.vfat -n boot.vfat >fsck.out 2>&1 || { cat fsck.out; false; }
'

test_expect_success 'cloud-init: NoCloud on the FAT label system-boot, as Ubuntu raspi images' '
	ext_cat /etc/cloud/cloud.cfg.d/99-fake_cloud.cfg >actual &&
	cat >expect <<-\EOF &&
	# configure cloud-init for NoCloud
	datasource_list: [ NoCloud, None ]
	datasource:
	  NoCloud:
	    fs_label: system-boot
	EOF
	test_cmp expect actual &&
	test -n "$(ext_size /usr/bin/cloud-init)" &&
	ext_ls /etc/systemd/system/cloud-init.target.wants | sort >actual &&
	cat >expect <<-\EOF &&
	.
	..
	cloud-config.service
	cloud-final.service
	cloud-init-hotplugd.socket
	cloud-init-local.service
	cloud-init.service
	EOF
	test_cmp expect actual
'

test_expect_success 'fstab mounts both by LABEL; the kernel modules match the kernel' '
	ext_cat /etc/fstab | awk "{ print \$1, \$2, \$3 }" >actual &&
	cat >expect <<-\EOF &&
	LABEL=writable / ext4
	LABEL=system-boot /boot/firmware vfat
	EOF
	test_cmp expect actual &&
	test -n "$(ext_size "/usr/lib/modules/$(cat kver)/modules.dep")"
'

test_expect_success 'sshd and systemd-networkd start at boot' '
	ext_ls /etc/systemd/system/multi-user.target.wants >wants &&
	grep -qx ssh.service wants &&
	grep -qx systemd-networkd.service wants
'

test_expect_success 'first-boot state: empty machine-id, no ssh host keys, sshd and sudo there' '
	test "$(ext_size /etc/machine-id)" = 0 &&
	ext_ls /etc/ssh >ssh.ls &&
	grep -qx sshd_config ssh.ls &&
	! grep "^ssh_host_" ssh.ls &&
	test -n "$(ext_size /usr/sbin/sshd)" &&
	test -n "$(ext_size /usr/bin/sudo)" &&
	test -z "$(ext_size /var/lib/dbus/machine-id)"
'

test_done
