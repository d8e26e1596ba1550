/* render_cmdline.c: cmdline.txt by boot mode (pure).  One line; the
 * firmware prepends its own parameters. */
#include <stdio.h>
#include <string.h>

#include "boot/render.h"
#include "boot/render_out.h"
#include "core/board.h"
#include "core/chars.h"
#include "core/url.h"

static const char *const modes[] = {
	[PB_MODE_DISCOVERY] = "discovery", [PB_MODE_INSTALL] = "install",
	[PB_MODE_NFS] = "nfs",
};

const char *
pb_boot_mode_name(enum pb_boot_mode m)
{
	return (unsigned)m < sizeof(modes) / sizeof(modes[0]) ? modes[m] : "?";
}

static int
check_word(const char *what, const char *v, const char *set, struct pb_err *e)
{
	char q[64];

	if (v == NULL || *v == '\0' || strspn(v, set) != strlen(v) ||
	    strlen(v) > 64)
		return pb_fail(e, "cmdline.txt: %s \"%s\" is not 1 to 64 of [%s]",
		    what, (pb_quote(q, sizeof(q), v ? v : "", 40), q), set);
	return 0;
}

ssize_t
pb_render_cmdline(char *buf, size_t size, const struct pb_cmdline_in *in,
    struct pb_err *e)
{
	return pb_render_cmdline_board(buf, size, in, NULL, e);
}

ssize_t
pb_render_cmdline_board(char *buf, size_t size, const struct pb_cmdline_in *in,
    const struct pb_cmdline_board *board, struct pb_err *e)
{
	struct pb_out o = { buf, size, 0, 0 };
	struct pb_err why;

	if (size < 2)
		return pb_fail(e, "cmdline.txt: no room");
	buf[0] = '\0';
	if ((unsigned)in->mode > PB_MODE_NFS)
		return pb_fail(e, "cmdline.txt: unknown boot mode %d", in->mode);
	if (in->server == NULL)
		return pb_fail(e, "cmdline.txt: server is missing");
	if (pb_server_url_check(in->server, &why) == -1)
		return pb_fail(e, "cmdline.txt: %s", why.msg);
	if (in->mode != PB_MODE_DISCOVERY) {
		if ((in->serial == NULL && in->mac == NULL) ||
		    in->node_id == NULL)
			return pb_fail(e, "cmdline.txt: a node needs its serial "
			    "or MAC, and its id");
		if (check_word("state", in->state, "abcdefghijklmnopqrstuvwxyz_",
		    e) == -1)
			return -1;
		/* The validated types cannot hold anything else; checked
		 * again because a cmdline word is where it would hurt. */
		if ((in->serial != NULL &&
		    check_word("serial", in->serial->s, "0123456789abcdef", e) == -1) ||
		    check_word("node_id", in->node_id->s, "0123456789abcdef-", e) == -1 ||
		    (in->mac != NULL &&
		    check_word("mac", in->mac->s, "0123456789abcdef:", e) == -1) ||
		    (in->hostname != NULL &&
		    check_word("hostname", in->hostname->s,
		    "abcdefghijklmnopqrstuvwxyz0123456789-", e) == -1))
			return -1;
	}
	if (in->mode == PB_MODE_NFS &&
	    (pb_check_host("cmdline.txt: nfs_server", in->nfs_server, e) == -1 ||
	    pb_check_abspath("cmdline.txt: nfs_path", in->nfs_path, e) == -1 ||
	    pb_check_cmdword("cmdline.txt: nfs_options", in->nfs_options,
	    e) == -1))
		return -1;

	if (board != NULL && (pb_check_cmdword("cmdline.txt: console",
	    board->console, e) == -1 || pb_cmdline_extra_check("cmdline.txt: extra",
	    board->extra, e) == -1))
		return -1;

	if (board != NULL)
		pb_out_word(&o, "console=%s", board->console);
	else {
		/* serial0 is rewritten by the firmware to the UART that
		 * enable_uart=1 turned on, whichever the board has. */
		pb_out_word(&o, "console=serial0,115200");
		pb_out_word(&o, "console=tty1");
	}
	if (board != NULL && board->extra != NULL)
		pb_out_word(&o, "%s", board->extra);
	pb_out_word(&o, "pureboot.server=%s", in->server);
	pb_out_word(&o, "pureboot.mode=%s", pb_boot_mode_name(in->mode));
	if (in->mode != PB_MODE_DISCOVERY) {
		pb_out_word(&o, "pureboot.state=%s", in->state);
		if (in->serial != NULL)
			pb_out_word(&o, "pureboot.serial=%s", in->serial->s);
		pb_out_word(&o, "pureboot.node_id=%s", in->node_id->s);
		if (in->mac != NULL)
			pb_out_word(&o, "pureboot.mac=%s", in->mac->s);
		if (in->hostname != NULL)
			pb_out_word(&o, "pureboot.hostname=%s", in->hostname->s);
	}
	if (in->mode == PB_MODE_NFS) {
		pb_out_word(&o, "pureboot.nfs_server=%s", in->nfs_server);
		pb_out_word(&o, "pureboot.nfs_path=%s", in->nfs_path);
		pb_out_word(&o, "pureboot.nfs_options=%s", in->nfs_options);
	}
	if (o.full || o.len + 1 >= size)
		return pb_fail(e, "cmdline.txt: longer than %zu bytes", size - 2);
	buf[o.len++] = '\n';
	buf[o.len] = '\0';
	return (ssize_t)o.len;
}
