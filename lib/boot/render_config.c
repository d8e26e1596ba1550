/* render_config.c: config.txt for one node or the discovery root (pure). */
#include <stdio.h>
#include <string.h>

#include "boot/render.h"
#include "boot/render_out.h"
#include "core/chars.h"


static int
check_filter(const char *f, struct pb_err *e)
{
	struct pb_serial s;
	char q[64];
	size_t n = f ? strlen(f) : 0;

	if (n > 2 && strncmp(f, "0x", 2) == 0 &&
	    pb_serial_parse(&s, f + 2, NULL) == 0)
		return 0;
	if (n == 0 || n > 16 || strspn(f, "abcdefghijklmnopqrstuvwxyz0123456789+") != n)
		return pb_fail(e, "config.txt: section \"%s\" is not a model "
		    "or serial filter", (pb_quote(q, sizeof(q), f ? f : "", 40), q));
	return 0;
}

int
pb_check_comment(const char *file, const char *c, struct pb_err *e)
{
	char q[64];

	if (c == NULL || strspn(c, PB_ALNUM " ._-+():") != strlen(c) ||
	    strlen(c) > 100)
		return pb_fail(e, "%s: comment \"%s\" has characters "
		    "outside A-Z a-z 0-9 space . _ - + ( ) :", file,
		    (pb_quote(q, sizeof(q), c ? c : "", 40), q));
	return 0;
}

ssize_t
pb_render_config(char *buf, size_t size, const struct pb_config_in *in,
    struct pb_err *e)
{
	struct pb_out o = { buf, size, 0, 0 };
	const struct pb_config_section *s;
	size_t i;

	if (size == 0)
		return pb_fail(e, "config.txt: no room");
	if (in->nsections == 0)
		return pb_fail(e, "config.txt: no model section");
	if (pb_check_comment("config.txt", in->what, e) == -1)
		return -1;
	if (in->initramfs != NULL &&
	    pb_check_relpath("config.txt: initramfs", in->initramfs, e) == -1)
		return -1;
	for (i = 0; i < in->nsections; i++) {
		s = &in->sections[i];
		if (check_filter(s->filter, e) == -1 ||
		    pb_check_relpath("config.txt: kernel", s->kernel, e) == -1 ||
		    (s->dtb != NULL &&
		    pb_check_relpath("config.txt: device_tree", s->dtb, e) == -1))
			return -1;
	}

	pb_out_printf(&o, "# PureBoot-Pi: %s\n", in->what);
	pb_out_printf(&o, "# Written by pureboot-tftp-hook from the database; "
	    "changes here are overwritten.\n");
	pb_out_printf(&o, "arm_64bit=1\n");
	/* 'initramfs' takes no '=': "initramfs=x" is silently ignored. */
	if (in->initramfs != NULL)
		pb_out_printf(&o, "initramfs %s followkernel\n", in->initramfs);
	pb_out_printf(&o, "enable_uart=1\n");
	for (i = 0; i < in->nsections; i++) {
		s = &in->sections[i];
		pb_out_printf(&o, "[%s]\n", s->filter);
		pb_out_printf(&o, "kernel=%s\n", s->kernel);
		/* The Debian kernel's DTBs carry mainline names the firmware
		 * would not look for: name the one we link. */
		if (s->dtb != NULL)
			pb_out_printf(&o, "device_tree=%s\n", s->dtb);
	}
	pb_out_printf(&o, "[all]\n");
	if (o.full)
		return pb_fail(e, "config.txt: longer than %zu bytes", size - 1);
	return (ssize_t)o.len;
}
