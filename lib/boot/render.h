/* render.h: config.txt and cmdline.txt for the Pi firmware (pure).
 * Renderers take a struct and a buffer, return the length written or
 * -1 with the reason in e; they do no I/O.  Every value that ends up in
 * a file is checked against a strict character set (lib/core/chars.h,
 * the server URL by lib/core/url.h): anything else is an error, never
 * quoted. */
#ifndef PB_RENDER_H
#define PB_RENDER_H

#include <stddef.h>
#include <sys/types.h>

#include "core/err.h"
#include "core/ident.h"

/* One config.txt section: "[filter]" with the kernel and DTB for it. */
struct pb_config_section {
	const char *filter;	/* "pi4", "pi3+", "0xd83add36" */
	const char *kernel;	/* kernel=; required */
	const char *dtb;	/* device_tree=; NULL: the firmware's choice */
};

struct pb_config_in {
	const char *what;	/* comment: "node d83add36 (pi4)" */
	const char *initramfs;	/* NULL: none */
	const struct pb_config_section *sections;
	size_t nsections;
};

/* A file's comment line: 0 to 100 of [A-Za-z0-9 ._-+():]; file names
 * the file in the reason ("config.txt"). */
int pb_check_comment(const char *file, const char *c, struct pb_err *e);

ssize_t pb_render_config(char *buf, size_t size, const struct pb_config_in *in,
    struct pb_err *e);

enum pb_boot_mode {
	PB_MODE_DISCOVERY,	/* unknown Pi at the discovery root */
	PB_MODE_INSTALL,	/* the deploy environment asks the API */
	PB_MODE_NFS,		/* diskless: NFS root */
};

struct pb_cmdline_in {
	enum pb_boot_mode mode;
	const char *server;		/* settings.server_url (pb_url_parse) */
	const char *state;		/* node state; NULL at the root */
	const struct pb_serial *serial;	/* NULL at the root; a board has none */
	const struct pb_uuid *node_id;	/* NULL at the root */
	const struct pb_mac *mac;	/* NULL: none */
	const struct pb_hostname *hostname;	/* NULL: none */
	/* PB_MODE_NFS only: as the workflow resolver gives them
	 * (lib/wf/wf_instructions.h) and the API serves them to the agent. */
	const char *nfs_server;
	const char *nfs_path;
	const char *nfs_options;
};

/* A board that is not a Pi (lib/boot/netboot.h): its serial console,
 * "ttyAMA0" or "ttyS2,1500000", for console=, and its own words
 * (pureboot.boards.cmdline_extra), space-separated, each a cmdline
 * word, none of ours (pureboot.*, console=); NULL: none.  Such a node
 * has no serial: the command line names it by its MAC. */
struct pb_cmdline_board {
	const char *console;
	const char *extra;
};

ssize_t pb_render_cmdline(char *buf, size_t size,
    const struct pb_cmdline_in *in, struct pb_err *e);
/* The same for a board: board NULL is the Pi's console=serial0,115200
 * console=tty1 (pb_render_cmdline). */
ssize_t pb_render_cmdline_board(char *buf, size_t size,
    const struct pb_cmdline_in *in, const struct pb_cmdline_board *board,
    struct pb_err *e);

const char *pb_boot_mode_name(enum pb_boot_mode m);

#endif
