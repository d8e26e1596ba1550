/* board.c: board and board-node values (pure; board.h). */
#include <stdio.h>
#include <string.h>

#include "core/board.h"
#include "core/chars.h"
#include "core/nodestate.h"

int
pb_board_boot_mode_parse(const char **out, const char *in, struct pb_err *e)
{
	static const char *const modes[] = { "uboot", "uefi" };
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcmp(in, modes[i]) == 0) {
			*out = modes[i];
			return 0;
		}
	return pb_refuse(e, "boot_mode", in, "is not uboot or uefi");
}

int
pb_board_name_check(const char *in, struct pb_err *e)
{
	/* The workflow id's rule: the same slug. */
	if (pb_slug_ok(in))
		return 0;
	return pb_refuse(e, "board", in, "is not 1 to 63 of a-z 0-9 - (not "
	    "starting with -)");
}

int
pb_dtb_check(const char *what, const char *v, struct pb_err *e)
{
	size_t n;

	if (pb_check_relpath(what, v, e) == -1)
		return -1;
	n = strlen(v);
	if (n < 5 || strcmp(v + n - 4, ".dtb") != 0 || v[n - 5] == '/')
		return pb_refuse(e, what, v, "does not end in .dtb");
	return 0;
}

int
pb_console_check(const char *what, const char *v, struct pb_err *e)
{
	if (pb_check_cmdword(what, v, e) == -1)
		return -1;
	if (strlen(v) > 64)
		return pb_refuse(e, what, v, "is longer than 64 bytes");
	return 0;
}

int
pb_cmdline_extra_check(const char *what, const char *v, struct pb_err *e)
{
	char w[256], ww[300];
	const char *p, *sp;
	size_t n;

	if (v == NULL)
		return 0;
	if (*v == '\0' || strlen(v) > 255)
		return pb_refuse(e, what, v, "is not 1 to 255 bytes");
	snprintf(ww, sizeof(ww), "%s word", what);
	for (p = v;; p = sp + 1) {
		sp = strchr(p, ' ');
		n = sp != NULL ? (size_t)(sp - p) : strlen(p);
		memcpy(w, p, n);
		w[n] = '\0';
		if (pb_check_cmdword(ww, w, e) == -1)
			return -1;
		if (strncmp(w, "pureboot.", 9) == 0 ||
		    strncmp(w, "console=", 8) == 0)
			return pb_refuse(e, ww, w, "sets what the renderer owns");
		if (sp == NULL)
			return 0;
	}
}

int
pb_board_text_check(const char *what, const char *v, struct pb_err *e)
{
	const unsigned char *s;
	size_t n = strlen(v);

	if (n == 0 || n > 200)
		return pb_refuse(e, what, v, "is not 1 to 200 bytes");
	for (s = (const unsigned char *)v; *s != '\0'; s++)
		if (*s < 0x20 || *s == 0x7f)
			return pb_refuse(e, what, v, "contains a control "
			    "character");
	return 0;
}
