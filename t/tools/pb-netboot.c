/* pb-netboot: write the U-Boot and GRUB files of one board node and the
 * roots into a TFTP tree with the lib/boot renderers, as the hook will
 * (t/0980-e2e-uboot.t boots them under QEMU):
 *	ROOT/pxelinux.cfg/01-<mac>	ROOT/pxelinux.cfg/default
 *	ROOT/grub/grub.cfg-01-<mac>	ROOT/grub/grub.cfg
 * The kernel is deploy-arm64/Image, the initramfs
 * deploy-arm64/initramfs.img.  Each file by a temp name and rename.
 * With -l uboot|grub MAC IP: print the loader's lookup order instead
 * (pb_netboot_lookup, arch "arm" for U-Boot as QEMU's build has it). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot/netboot.h"
#include "core/prog.h"

#define USAGE "usage: pb-netboot [-c console] [-d dtb] [-x extra] ROOT MAC " \
	"STATE SERVER on|off\n       pb-netboot -l uboot|grub MAC IP\n"

/* The lookup order, one name a line. */
static int
lookup(int argc, char **argv)
{
	char out[PB_LOOKUP_MAX][PB_LOOKUP_LEN];
	enum pb_loader l;
	struct pb_mac mac;
	struct pb_err e;
	int n, i;

	if (argc != 4)
		pb_usage(2, USAGE);
	if (strcmp(argv[1], "uboot") == 0)
		l = PB_LOADER_UBOOT;
	else if (strcmp(argv[1], "grub") == 0)
		l = PB_LOADER_GRUB;
	else
		pb_usage(2, USAGE);
	if (pb_mac_parse(&mac, argv[2], &e) == -1 ||
	    (n = pb_netboot_lookup(l, &mac, argv[3], l == PB_LOADER_UBOOT ?
	    "arm" : NULL, NULL, NULL, out, &e)) == -1)
		pb_die(2, "%s", e.msg);
	for (i = 0; i < n; i++)
		printf("%s\n", out[i]);
	return fflush(stdout) != 0;
}

/* ROOT/dir/name holds len bytes of text, or the program dies. */
static void
put(const char *root, const char *dir, const char *name, const char *text,
    ssize_t len)
{
	char path[512], tmp[520];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, dir);
	if (mkdir(path, 0755) == -1 && errno != EEXIST)
		pb_die(1, "mkdir \"%s\": %s", path, strerror(errno));
	snprintf(path, sizeof(path), "%s/%s/%s", root, dir, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1)
		pb_die(1, "open \"%s\": %s", tmp, strerror(errno));
	if (write(fd, text, (size_t)len) != len || close(fd) == -1)
		pb_die(1, "write \"%s\": %s", tmp, strerror(errno));
	if (rename(tmp, path) == -1)
		pb_die(1, "rename \"%s\": %s", tmp, strerror(errno));
}

int
main(int argc, char **argv)
{
	struct pb_cmdline_board board = { "ttyAMA0", NULL };
	struct pb_cmdline_in node, disc;
	struct pb_netboot_in nin, root;
	struct pb_uuid id;
	struct pb_mac mac;
	struct pb_err e;
	char buf[4096], name[32], what[64];
	const char *dtb = NULL;
	ssize_t n;
	int c;

	pb_prog_init("pb-netboot");
	if (argc > 1 && strcmp(argv[1], "-l") == 0)
		return lookup(argc - 1, argv + 1);
	while ((c = getopt(argc, argv, "c:d:x:")) != -1)
		switch (c) {
		case 'c': board.console = optarg; break;
		case 'd': dtb = optarg; break;
		case 'x': board.extra = optarg; break;
		default: pb_usage(2, USAGE);
		}
	argc -= optind;
	argv += optind;
	if (argc != 5 || (strcmp(argv[4], "on") != 0 &&
	    strcmp(argv[4], "off") != 0))
		pb_usage(2, USAGE);
	if (pb_mac_parse(&mac, argv[1], &e) == -1)
		pb_die(2, "%s", e.msg);
	/* A fixed node id: the test has no database. */
	(void)pb_uuid_parse(&id, "0b8e2c1a-1234-4abc-8def-0123456789ab", NULL);

	memset(&node, 0, sizeof(node));
	node.mode = PB_MODE_INSTALL;
	node.server = argv[3];
	node.state = argv[2];
	node.node_id = &id;
	node.mac = &mac;
	memset(&disc, 0, sizeof(disc));
	disc.mode = PB_MODE_DISCOVERY;
	disc.server = argv[3];

	snprintf(what, sizeof(what), "node %s state %.20s", mac.s, argv[2]);
	memset(&nin, 0, sizeof(nin));
	nin.what = what;
	nin.kind = pb_netboot_kind(argv[2], 0);
	nin.kernel = "deploy-arm64/Image";
	nin.initrd = "deploy-arm64/initramfs.img";
	nin.fdt = dtb;
	nin.cmdline = &node;
	nin.board = &board;
	root = nin;
	root.cmdline = &disc;
	root.fdt = NULL;
	if (strcmp(argv[4], "on") == 0) {
		root.what = "discovery";
		root.kind = PB_NB_DEPLOY;
	} else {
		root.what = "discovery is off";
		root.kind = PB_NB_LOCAL;
	}

	pb_pxelinux_name(&mac, name);
	if ((n = pb_render_pxelinux(buf, sizeof(buf), &nin, &e)) < 0)
		pb_die(1, "%s", e.msg);
	put(argv[0], "pxelinux.cfg", name, buf, n);
	if ((n = pb_render_pxelinux(buf, sizeof(buf), &root, &e)) < 0)
		pb_die(1, "%s", e.msg);
	put(argv[0], "pxelinux.cfg", "default", buf, n);
	pb_grub_name(&mac, name);
	if ((n = pb_render_grub(buf, sizeof(buf), &nin, &e)) < 0)
		pb_die(1, "%s", e.msg);
	put(argv[0], "grub", name, buf, n);
	if ((n = pb_render_grub_root(buf, sizeof(buf), &root, &e)) < 0)
		pb_die(1, "%s", e.msg);
	put(argv[0], "grub", "grub.cfg", buf, n);
	return 0;
}
