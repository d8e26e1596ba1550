/* pibootseq.h: the TFTP requests a Raspberry Pi makes, in order, by
 * model (docs/pi-boot.md), as an engine driven by a fetch callback.  The
 * replayer (t/tools/pb-tftp) runs it over real TFTP; the hook's check
 * mode runs it against the tree on disk.  No I/O of its own. */
#ifndef PB_PIBOOTSEQ_H
#define PB_PIBOOTSEQ_H

#include <stddef.h>

#include "core/err.h"
#include "core/ident.h"
#include "boot/pimodel.h"

/* What one request got. */
struct pb_fetch {
	int served;		/* 1: the server sent the file */
	size_t size;
	char *data;		/* want_data only: malloc'd, NUL-terminated */
};

/* Fetch path (relative to the TFTP root, no leading '/').  want_data:
 * the engine needs the content (config.txt), else the size is enough.
 * Return 0 with out filled, or -1 for a transport error that ends the
 * run (a refused or missing file is served = 0, not an error). */
typedef int pb_fetch_fn(void *ctx, const char *path, int want_data,
    struct pb_fetch *out);

enum pb_bootseq_end {
	PB_END_BOOTED,		/* kernel (and initramfs if named) fetched */
	PB_END_GAVE_UP,		/* zero-length probe: next BOOT_ORDER mode */
	PB_END_FAILED,		/* a file it needs was not served */
};

#define PB_BOOTSEQ_MAXMISS 8

struct pb_bootseq {
	enum pb_bootseq_end end;
	int prefixed;		/* files came from <serial>/ */
	/* Non-empty files a fenced node must never get that it got. */
	int bootable_served;
	char kernel[256], initramfs[256], dtb[256];
	char cmdline[512];	/* as fetched, first line */
	size_t nmissing;	/* required files not served */
	char missing[PB_BOOTSEQ_MAXMISS][300];
};

/* Run the sequence of model pm with this serial.  0 when it ran to an
 * end (whatever the end), -1 on a transport error. */
int pb_bootseq_run(const struct pb_pimodel *pm, const struct pb_serial *serial,
    pb_fetch_fn *fetch, void *ctx, struct pb_bootseq *out, struct pb_err *e);

const char *pb_bootseq_end_name(enum pb_bootseq_end end);

#endif
