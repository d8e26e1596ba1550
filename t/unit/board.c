/* Unit tests for lib/core/board.c: the values of a board and a board
 * node, as sql/035-boards.sql checks them (t/0135 holds the SQL side
 * to the same cases). */
#include <stdio.h>
#include <string.h>

#include "core/board.h"
#include "tap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

typedef int check_fn(const char *what, const char *v, struct pb_err *e);

static int
name_check(const char *what, const char *v, struct pb_err *e)
{
	(void)what;
	return pb_board_name_check(v, e);
}

static int
mode_check(const char *what, const char *v, struct pb_err *e)
{
	const char *out = NULL;

	(void)what;
	if (pb_board_boot_mode_parse(&out, v, e) == -1)
		return -1;
	return strcmp(out, v) == 0 ? 0 : pb_fail(e, "got \"%s\"", out);
}

/* want NULL: accepted. */
static const struct {
	check_fn *fn;
	const char *what, *in, *want;
} cases[] = {
	{ mode_check, "", "uboot", NULL },
	{ mode_check, "", "uefi", NULL },
	{ mode_check, "", "pi", "boot_mode \"pi\" is not uboot or uefi" },
	{ mode_check, "", "UEFI", "boot_mode \"UEFI\" is not uboot or uefi" },
	{ name_check, "", "rock-pi-4b", NULL },
	{ name_check, "", "Rock Pi", "board \"Rock Pi\" is not 1 to 63 of a-z "
	  "0-9 - (not starting with -)" },
	{ name_check, "", "-x", "board \"-x\" is not 1 to 63 of a-z 0-9 - (not "
	  "starting with -)" },
	{ name_check, "", "", "board \"\" is not 1 to 63 of a-z 0-9 - (not "
	  "starting with -)" },
	{ pb_dtb_check, "dtb", "rockchip/rk3399-rock-pi-4b.dtb", NULL },
	{ pb_dtb_check, "dtb", "virt.dtb", NULL },
	{ pb_dtb_check, "dtb", "../etc/passwd.dtb", "dtb \"../etc/passwd.dtb\" "
	  "is not a plain relative file name (A-Z a-z 0-9 . _ - /, no \"..\")" },
	{ pb_dtb_check, "dtb", "/boot/a.dtb", "dtb \"/boot/a.dtb\" is not a "
	  "plain relative file name (A-Z a-z 0-9 . _ - /, no \"..\")" },
	{ pb_dtb_check, "dtb", "rockchip/.a.dtb", "dtb \"rockchip/.a.dtb\" is "
	  "not a plain relative file name (A-Z a-z 0-9 . _ - /, no \"..\")" },
	{ pb_dtb_check, "dtb", "rockchip/a.dtbo", "dtb \"rockchip/a.dtbo\" "
	  "does not end in .dtb" },
	{ pb_dtb_check, "dtb", ".dtb", "dtb \".dtb\" is not a plain relative "
	  "file name (A-Z a-z 0-9 . _ - /, no \"..\")" },
	{ pb_dtb_check, "dtb", "a/.dtb", "dtb \"a/.dtb\" is not a plain "
	  "relative file name (A-Z a-z 0-9 . _ - /, no \"..\")" },
	{ pb_dtb_check, "dtb", "a\nb.dtb", "dtb \"a\\x0ab.dtb\" is not a plain "
	  "relative file name (A-Z a-z 0-9 . _ - /, no \"..\")" },
	{ pb_console_check, "console", "ttyS2,1500000", NULL },
	{ pb_console_check, "console", "ttyS0 init=/bin/sh", "console \"ttyS0 "
	  "init=/bin/sh\" contains whitespace, which is not allowed in a "
	  "command-line word" },
	{ pb_console_check, "console", "ttyS0-1234567890123456789012345678901"
	  "23456789012345678901234567890", "console \"ttyS0-12345678901234567"
	  "8901234567890123456789012345678901234...\" is longer than 64 "
	  "bytes" },
	{ pb_cmdline_extra_check, "extra", NULL, NULL },
	{ pb_cmdline_extra_check, "extra", "earlycon=uart8250,mmio32,0xff1a0000 "
	  "rootwait", NULL },
	{ pb_cmdline_extra_check, "extra", "", "extra \"\" is not 1 to 255 "
	  "bytes" },
	{ pb_cmdline_extra_check, "extra", "a  b", "extra word \"\" is not 1 to "
	  "255 characters" },
	{ pb_cmdline_extra_check, "extra", "quiet pureboot.state=installed",
	  "extra word \"pureboot.state=installed\" sets what the renderer owns" },
	{ pb_cmdline_extra_check, "extra", "console=tty0", "extra word "
	  "\"console=tty0\" sets what the renderer owns" },
	{ pb_cmdline_extra_check, "extra", "a;b", "extra word \"a;b\" contains "
	  "';', which is not allowed in a command-line word" },
	{ pb_board_text_check, "description", "Radxa ROCK Pi 4B (RK3399)", NULL },
	{ pb_board_text_check, "description", "a\tb", "description \"a\\x09b\" "
	  "contains a control character" },
	{ pb_board_text_check, "description", "", "description \"\" is not 1 to "
	  "200 bytes" },
};

int
main(void)
{
	char name[200];
	struct pb_err e;
	size_t i;

	for (i = 0; i < N(cases); i++) {
		memset(&e, 0, sizeof(e));
		snprintf(name, sizeof(name), "%s \"%s\"", cases[i].what,
		    cases[i].in ? cases[i].in : "(null)");
		tap_is(cases[i].fn(cases[i].what, cases[i].in, &e) == 0 ? NULL :
		    e.msg, cases[i].want, name);
	}
	/* The refusals are pb_refuse's: e.reason points at the reason. */
	pb_dtb_check("dtb", "a.dtbo", &e);
	tap_ok(strcmp(e.msg + e.reason, "does not end in .dtb") == 0,
	    "e.reason points at the reason");
	return tap_done();
}
