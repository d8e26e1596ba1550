/* loaderrefs.c: the kernel, initrd and DTB a loader file names (pure). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "loaderrefs.h"

static const struct { const char *word; enum ref_kind kind; } words[] = {
	{ "kernel", REF_KERNEL }, { "linux", REF_KERNEL },
	{ "initrd", REF_INITRD }, { "fdt", REF_FDT },
	{ "devicetree", REF_FDT }, { "fdtdir", REF_FDTDIR },
};

/* The keyword of a line [s, end) and its first argument. */
static int
one_line(const char *s, const char *end, struct loader_ref *r)
{
	const char *w, *a;
	size_t wl, al, i;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	for (w = s; s < end && !isspace((unsigned char)*s); s++)
		;
	wl = (size_t)(s - w);
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	for (a = s; s < end && !isspace((unsigned char)*s); s++)
		;
	al = (size_t)(s - a);
	if (wl == 0 || al == 0)
		return 0;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i].word) == wl &&
		    strncasecmp(words[i].word, w, wl) == 0)
			break;
	if (i == sizeof(words) / sizeof(words[0]))
		return 0;
	while (al > 1 && *a == '/') {	/* grub: from the root */
		a++;
		al--;
	}
	r->kind = words[i].kind;
	snprintf(r->path, sizeof(r->path), "%.*s", (int)al, a);
	return 1;
}

size_t
loader_refs(const char *text, struct loader_ref *out, size_t max,
    int *bootable)
{
	const char *s = text, *end;
	struct loader_ref r;
	size_t n = 0;

	*bootable = 0;
	while (*s != '\0') {
		if ((end = strchr(s, '\n')) == NULL)
			end = s + strlen(s);
		if (one_line(s, end, &r)) {
			*bootable |= r.kind == REF_KERNEL;
			if (n < max)
				out[n++] = r;
		}
		s = *end == '\0' ? end : end + 1;
	}
	return n;
}
