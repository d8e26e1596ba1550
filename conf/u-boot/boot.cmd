# PureBoot-Pi: the U-Boot boot script, served at the TFTP root as
# boot.scr.uimg, the name U-Boot's distro boot fetches over DHCP and
# TFTP (boot_script_dhcp).  Made with
#   mkimage -A arm64 -O linux -T script -C none -d boot.cmd boot.scr.uimg
# It names no node and nothing bootable: it only runs U-Boot's
# pxelinux lookup (pxelinux.cfg/01-<mac>, ..., pxelinux.cfg/default),
# whose files pureboot-tftp-hook writes.  When that boots nothing (a
# node that must boot locally), the script ends and U-Boot goes on to
# its next boot target.  See docs/boards.md.
echo PureBoot-Pi: pxe get
pxe get && pxe boot
echo PureBoot-Pi: nothing to netboot
