/* Unit tests for lib/boot/render_cmdline.c and the value checks of
 * lib/core/chars.c, table-driven.  want NULL: must be refused. */
#include <stdio.h>

#include "boot/render.h"
#include "core/chars.h"
#include "tap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static struct pb_serial ser;
static struct pb_uuid id;
static struct pb_mac mac;
static struct pb_hostname host, badhost;

#define NODE(st) st, &ser, &id

int
main(void)
{
	const struct {
		const char *name;
		struct pb_cmdline_in in;
		const char *want;
	} cases[] = {
		{ "discovery root", { PB_MODE_DISCOVERY, "http://10.0.0.1:8080",
		    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
		  "console=serial0,115200 console=tty1 pureboot.server=http://10.0.0.1:8080 "
		  "pureboot.mode=discovery\n" },
		{ "discovered node", { PB_MODE_INSTALL, "http://10.0.0.1:8080",
		    NODE("discovered"), &mac, NULL, NULL, NULL, NULL },
		  "console=serial0,115200 console=tty1 pureboot.server=http://10.0.0.1:8080 "
		  "pureboot.mode=install pureboot.state=discovered pureboot.serial=d83add36 "
		  "pureboot.node_id=0b8e2c1a-1234-4abc-8def-0123456789ab "
		  "pureboot.mac=dc:a6:32:01:02:03\n" },
		{ "installing node with hostname", { PB_MODE_INSTALL,
		    "https://pb.example.org/x", NODE("installing"), NULL, &host,
		    NULL, NULL, NULL },
		  "console=serial0,115200 console=tty1 pureboot.server=https://pb.example.org/x "
		  "pureboot.mode=install pureboot.state=installing pureboot.serial=d83add36 "
		  "pureboot.node_id=0b8e2c1a-1234-4abc-8def-0123456789ab "
		  "pureboot.hostname=node-01\n" },
		{ "nfs node", { PB_MODE_NFS, "http://[fd00::1]:8080",
		    NODE("active"), &mac, NULL, "192.168.1.10",
		    "/nfsroot/ubuntu-arm64-base", "vers=3,tcp" },
		  "console=serial0,115200 console=tty1 pureboot.server=http://[fd00::1]:8080 "
		  "pureboot.mode=nfs pureboot.state=active pureboot.serial=d83add36 "
		  "pureboot.node_id=0b8e2c1a-1234-4abc-8def-0123456789ab "
		  "pureboot.mac=dc:a6:32:01:02:03 pureboot.nfs_server=192.168.1.10 "
		  "pureboot.nfs_path=/nfsroot/ubuntu-arm64-base pureboot.nfs_options=vers=3,tcp\n" },
		{ "server with a space", { PB_MODE_DISCOVERY, "http://a b", NULL,
		    NULL, NULL, NULL, NULL, NULL, NULL, NULL }, NULL },
		{ "server with a newline", { PB_MODE_DISCOVERY,
		    "http://a\ninit=/bin/sh", NULL, NULL, NULL, NULL, NULL, NULL,
		    NULL, NULL }, NULL },
		{ "ftp server", { PB_MODE_DISCOVERY, "ftp://a", NULL, NULL, NULL,
		    NULL, NULL, NULL, NULL, NULL }, NULL },
		{ "server with a quote", { PB_MODE_DISCOVERY, "http://a'b", NULL,
		    NULL, NULL, NULL, NULL, NULL, NULL, NULL }, NULL },
		{ "no server", { PB_MODE_DISCOVERY, NULL, NULL, NULL, NULL, NULL,
		    NULL, NULL, NULL, NULL }, NULL },
		{ "node without serial", { PB_MODE_INSTALL, "http://a", "pending",
		    NULL, &id, NULL, NULL, NULL, NULL, NULL }, NULL },
		{ "bad state word", { PB_MODE_INSTALL, "http://a",
		    NODE("pending init=/bin/sh"), NULL, NULL, NULL, NULL, NULL },
		  NULL },
		{ "hostname struct forged with a space", { PB_MODE_INSTALL,
		    "http://a", NODE("pending"), NULL, &badhost, NULL, NULL, NULL },
		  NULL },
		{ "nfs server with a space", { PB_MODE_NFS, "http://a",
		    NODE("active"), NULL, NULL, "a b", "/nfsroot", "vers=3" }, NULL },
		{ "nfs path with ..", { PB_MODE_NFS, "http://a", NODE("active"),
		    NULL, NULL, "nfs", "/nfsroot/../etc", "vers=3" }, NULL },
		{ "relative nfs path", { PB_MODE_NFS, "http://a", NODE("active"),
		    NULL, NULL, "nfs", "nfsroot", "vers=3" }, NULL },
		{ "nfs options with a space", { PB_MODE_NFS, "http://a",
		    NODE("active"), NULL, NULL, "nfs", "/nfsroot", "vers=3 init=/x" },
		  NULL },
		{ "nfs options missing", { PB_MODE_NFS, "http://a", NODE("active"),
		    NULL, NULL, "nfs", "/nfsroot", NULL }, NULL },
		{ "nfs with a variable left", { PB_MODE_NFS, "http://a",
		    NODE("active"), NULL, NULL, "nfs", "/nfsroot/${serial}",
		    "vers=3" }, NULL },
	};
	const struct {
		const char *name;
		struct pb_cmdline_in in;
		struct pb_cmdline_board b;
		const char *want;
	} boards[] = {
		{ "board node named by MAC, its console and words", {
		    PB_MODE_INSTALL, "http://a", "pending", NULL, &id, &mac, NULL,
		    NULL, NULL, NULL }, { "ttyS2,1500000", "earlycon rootwait" },
		  "console=ttyS2,1500000 earlycon rootwait pureboot.server=http://a "
		  "pureboot.mode=install pureboot.state=pending "
		  "pureboot.node_id=0b8e2c1a-1234-4abc-8def-0123456789ab "
		  "pureboot.mac=dc:a6:32:01:02:03\n" },
		{ "board at discovery, no words", { PB_MODE_DISCOVERY, "http://a",
		    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
		  { "ttyAMA0", NULL },
		  "console=ttyAMA0 pureboot.server=http://a pureboot.mode=discovery\n" },
		{ "board words with two spaces", { PB_MODE_DISCOVERY, "http://a",
		    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
		  { "ttyAMA0", "a  b" }, NULL },
		{ "board words setting console=", { PB_MODE_DISCOVERY, "http://a",
		    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
		  { "ttyAMA0", "console=tty0" }, NULL },
		{ "board words setting pureboot.state", { PB_MODE_DISCOVERY,
		    "http://a", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
		  { "ttyAMA0", "quiet pureboot.state=installed" }, NULL },
		{ "board console with a quote", { PB_MODE_DISCOVERY, "http://a",
		    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
		  { "tty'S0", NULL }, NULL },
		{ "board without a console", { PB_MODE_DISCOVERY, "http://a",
		    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
		  { NULL, NULL }, NULL },
		{ "node with neither serial nor MAC", { PB_MODE_INSTALL,
		    "http://a", "pending", NULL, &id, NULL, NULL, NULL, NULL, NULL },
		  { "ttyAMA0", NULL }, NULL },
	};
	static const struct { const char *v; int ok; } files[] = {
		{ "kernel8.img", 1 }, { "overlays/x.dtbo", 1 }, { "a..b", 0 },
		{ "../x", 0 }, { "x/", 0 }, { "a//b", 0 }, { "a/.b", 0 },
		{ "a b", 0 }, { "", 0 }, { "a\tb", 0 },
	};
	struct pb_err e;
	char buf[1024], name[128];
	size_t i;
	ssize_t n;

	pb_serial_parse(&ser, "d83add36", NULL);
	pb_uuid_parse(&id, "0b8e2c1a-1234-4abc-8def-0123456789ab", NULL);
	pb_mac_parse(&mac, "dc:a6:32:01:02:03", NULL);
	pb_hostname_parse(&host, "node-01", NULL);
	snprintf(badhost.s, sizeof(badhost.s), "a b");

	for (i = 0; i < N(cases); i++) {
		e.msg[0] = '\0';
		n = pb_render_cmdline(buf, sizeof(buf), &cases[i].in, &e);
		tap_is(n < 0 ? NULL : buf, cases[i].want, cases[i].name);
		if (n >= 0)
			tap_ok((size_t)n == strlen(buf) &&
			    strchr(buf, '\n') == buf + n - 1, "  one line");
		else {
			tap_ok(strncmp(e.msg, "cmdline.txt: ", 13) == 0,
			    "  the reason says cmdline.txt");
			printf("# %s\n", e.msg);
		}
	}
	for (i = 0; i < N(boards); i++) {
		n = pb_render_cmdline_board(buf, sizeof(buf), &boards[i].in,
		    &boards[i].b, &e);
		tap_is(n < 0 ? NULL : buf, boards[i].want, boards[i].name);
		if (n < 0)
			printf("# %s\n", e.msg);
	}
	n = pb_render_cmdline(buf, 40, &cases[1].in, &e);
	tap_ok(n == -1, "a buffer too small is an error, not a cut line");
	for (i = 0; i < N(files); i++) {
		snprintf(name, sizeof(name), "file name \"%s\" %s", files[i].v,
		    files[i].ok ? "accepted" : "refused");
		tap_ok((pb_check_relpath("f", files[i].v, NULL) == 0) ==
		    files[i].ok, name);
	}
	return tap_done();
}
