#!/usr/bin/env python3
"""nfs-tars.py DIR OUTSIDE: the hostile archives of t/0840-nfs-import.t
in DIR, each named after what it tries; OUTSIDE is a directory an
archive must never write into (the absolute-path, symlink and hard-link
cases aim there)."""
import io
import os
import sys
import tarfile

out, outside = sys.argv[1], sys.argv[2]


def mk(name, members, fmt=tarfile.GNU_FORMAT):
    with tarfile.open(os.path.join(out, name), "w", format=fmt) as t:
        for ti, data in members:
            t.addfile(ti, io.BytesIO(data) if data is not None else None)


def reg(path, data=b"x\n", mode=0o644):
    ti = tarfile.TarInfo(path)
    ti.size, ti.mode = len(data), mode
    return ti, data


def typed(path, kind, **kw):
    ti = tarfile.TarInfo(path)
    ti.type = kind
    for k, v in kw.items():
        setattr(ti, k, v)
    return ti, None


mk("dotdot.tar", [reg("ok"), reg("../dotdot")])
mk("dotdot-inner.tar", [reg("a/../../dotdot")])
mk("absolute.tar", [reg(outside + "/absolute")])
mk("etc.tar", [reg("/etc/pb-nfs-import-test")])
mk("symlink.tar", [typed("l", tarfile.SYMTYPE, linkname=outside),
                   reg("l/through")])
mk("symlink-replace.tar", [typed("l", tarfile.SYMTYPE, linkname=outside +
                                 "/replaced"), reg("l")])
mk("dir-replace.tar", [typed("d", tarfile.DIRTYPE, mode=0o755),
                       typed("d", tarfile.SYMTYPE, linkname=outside)])
mk("hardlink-out.tar", [typed("h", tarfile.LNKTYPE,
                              linkname=outside + "/secret")])
mk("hardlink-missing.tar", [typed("h", tarfile.LNKTYPE,
                                  linkname="etc/passwd")])
mk("hardlink-dotdot.tar", [typed("h", tarfile.LNKTYPE,
                                 linkname="../outside/secret")])
mk("device.tar", [typed("dev/null", tarfile.CHRTYPE, devmajor=1,
                        devminor=3, mode=0o666)])
mk("blockdev.tar", [typed("dev/sda", tarfile.BLKTYPE, devmajor=8,
                          devminor=0, mode=0o660)])
mk("fifo.tar", [typed("run/fifo", tarfile.FIFOTYPE, mode=0o644)])
mk("setuid.tar", [reg("bin/su", b"#!/bin/sh\n", 0o4755)])
mk("setgid.tar", [reg("bin/wall", b"#!/bin/sh\n", 0o2755)])


def pax(path, key, value):
    ti, data = reg(path)
    ti.pax_headers = {key: value}
    return ti, data


mk("caps.tar", [pax("bin/ping", "SCHILY.xattr.security.capability",
                    "\x01\x00\x00\x02")], tarfile.PAX_FORMAT)
mk("trusted.tar", [pax("etc/opaque", "SCHILY.xattr.trusted.overlay.opaque",
                       "y")], tarfile.PAX_FORMAT)

# A header that claims 10 GiB of data with a few bytes behind it (GNU
# base-256 size field).
ti = tarfile.TarInfo("huge")
ti.size = 10 << 30
with open(os.path.join(out, "huge.tar"), "wb") as f:
    f.write(ti.tobuf(tarfile.GNU_FORMAT))
    f.write(b"\0" * 512 * 4)


def b256(n, width):
    return bytes([0x80]) + n.to_bytes(width - 1, "big")


def octal(n, width):
    return ("%0*o" % (width - 1, n)).encode() + b"\0"


# An old-GNU sparse header ('S') whose map claims 10 GiB of data in a
# file of 10 GiB: a sparse-claim header.
h = bytearray(512)
h[0:6] = b"sparse"
h[100:108] = octal(0o644, 8)
h[108:116] = octal(0, 8)
h[116:124] = octal(0, 8)
h[124:136] = b256(10 << 30, 12)
h[136:148] = octal(0, 12)
h[156:157] = b"S"
h[257:265] = b"ustar  \0"
h[386:398] = octal(0, 12)
h[398:410] = b256(10 << 30, 12)
h[483:495] = b256(10 << 30, 12)
h[148:156] = b" " * 8
h[148:156] = ("%06o\0 " % sum(h)).encode()
with open(os.path.join(out, "sparse-claim.tar"), "wb") as f:
    f.write(bytes(h))
    f.write(b"\0" * 512 * 4)
