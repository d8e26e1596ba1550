/* pb-fdt-check: FILE...: "FILE: ok" or "FILE: <the reason>" for each,
 * from lib/boot/fdt.c's pb_fdt_check; exit 1 when any is not a device
 * tree a loader takes (t/0136-boards-dtbs.t). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/fdt.h"
#include "core/prog.h"

#define MAX (8 * 1024 * 1024)	/* Debian's largest DTB is under 300 KiB */

/* 0: good, 1: not a DTB, 2: cannot be read. */
static int
check(const char *path, unsigned char *buf)
{
	struct pb_err e;
	size_t n;
	FILE *f;
	int rc = 2;

	if ((f = fopen(path, "rb")) == NULL) {
		printf("%s: %s\n", path, strerror(errno));
		return 2;
	}
	n = fread(buf, 1, MAX, f);
	if (ferror(f))
		printf("%s: read: %s\n", path, strerror(errno));
	else if (n == MAX)
		printf("%s: larger than %d bytes\n", path, MAX - 1);
	else if (pb_fdt_check(buf, n, &e) == -1) {
		printf("%s: %s\n", path, e.msg);
		rc = 1;
	} else {
		printf("%s: ok\n", path);
		rc = 0;
	}
	fclose(f);
	return rc;
}

int
main(int argc, char **argv)
{
	unsigned char *buf;
	int i, rc = 0, r;

	pb_prog_init("pb-fdt-check");
	if (argc < 2)
		pb_usage(2, "usage: pb-fdt-check FILE...\n");
	if ((buf = malloc(MAX)) == NULL)
		pb_die(2, "malloc %d bytes: %s", MAX, strerror(errno));
	for (i = 1; i < argc; i++)
		if ((r = check(argv[i], buf)) > rc)
			rc = r;
	free(buf);
	return rc;
}
