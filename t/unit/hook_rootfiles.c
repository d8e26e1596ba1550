/* Unit test (hook_rootfiles): the hook may write every file the model table
 * (lib/boot/pimodel.c, which owns the names) says a Pi fetches from the
 * TFTP root, and a serial directory by the one serial rule
 * (pb_serial_parse).  Holds while tree.c keeps its own list and after
 * it derives the list from pb_pimodel_file. */
#include <stdio.h>

#include "boot/pimodel.h"
#include "core/ident.h"
#include "hook.h"
#include "tap.h"

int
main(void)
{
	static const char *const serials[] = {
		"d83add36", "00000000", "D83ADD36", "d83add3", "d83add366",
		"d83add3g", "",
	};
	const unsigned all = PB_PIFILE_FIRMWARE | PB_PIFILE_KERNEL |
	    PB_PIFILE_DTB;
	struct pb_serial s;
	char name[128];
	const char *f;
	size_t i;

	for (i = 0; (f = pb_pimodel_file(all, i)) != NULL; i++) {
		snprintf(name, sizeof(name), "hook may write %s", f);
		tap_is(hook_name_ok(f) ? f : "(refused)", f, name);
	}
	tap_ok(i >= 21, "the table names at least 21 root files");
	for (i = 0; i < sizeof(serials) / sizeof(serials[0]); i++) {
		snprintf(name, sizeof(name), "serial dir \"%s\": hook and "
		    "pb_serial_parse agree", serials[i]);
		tap_ok(hook_name_ok(serials[i]) ==
		    (pb_serial_parse(&s, serials[i], NULL) == 0), name);
	}
	return tap_done();
}
