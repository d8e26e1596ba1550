/* tmpname.c: temporary names in the TFTP root, for the tree's atomic
 * swaps and the manifest's rewrite. */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "tmpname.h"

/* ".<name>.tmp.XXXXXX": a name no reader asks for and no other program
 * makes. */
void
tree_tmpname(char *out, size_t size, const char *name, const char *kind)
{
	static const char al[] =
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	static unsigned long ctr;
	struct timespec ts;
	unsigned long v;
	char sfx[7];
	int i;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	v = (unsigned long)ts.tv_nsec ^ ((unsigned long)getpid() << 16) ^
	    (++ctr * 2654435761UL);
	for (i = 0; i < 6; i++, v /= 62)
		sfx[i] = al[v % 62];
	sfx[6] = '\0';
	snprintf(out, size, ".%s.%s.%s", name, kind, sfx);
}
