/* pb-boot-states: print the C boot table, one "state|class" line per
 * row, as psql -At prints pureboot.boot_class() over the enum
 * (t/0120-sql-boot-class.t compares the two). */
#include <stdio.h>

#include "core/boot_action.h"

int
main(void)
{
	size_t i;

	for (i = 0; i < pb_boot_nstates; i++)
		printf("%s|%s\n", pb_boot_states[i].state,
		    pb_boot_class_name(pb_boot_states[i].cls));
	return ferror(stdout) || fflush(stdout) != 0;
}
