/* workflow.c: load a workflow file, validate a stored definition, print
 * the errors.  The only I/O is reading the file. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wf/wf_load.h"
#include "wf/workflow.h"

json_t *
pb_wf_load_yaml(const char *buf, size_t len, struct pb_wf_diag *d)
{
	struct wf_marks m = { NULL, 0, 0 };
	json_t *j;

	memset(d, 0, sizeof(*d));
	if (len > PB_WF_MAX_BYTES) {
		wf_diag_add(d, 0, 0, "file", "is larger than %d bytes",
		    PB_WF_MAX_BYTES);
		return NULL;
	}
	if (memchr(buf, '\0', len) != NULL) {
		wf_diag_add(d, 0, 0, "file", "contains a NUL byte; a workflow "
		    "is UTF-8 text");
		return NULL;
	}
	if ((j = wf_yaml_to_json(buf, len, &m, d)) != NULL &&
	    wf_validate(j, &m, d, 0) == -1) {
		json_decref(j);
		j = NULL;
	}
	wf_marks_free(&m);
	return j;
}

json_t *
pb_wf_load_file(const char *path, struct pb_wf_diag *d)
{
	struct stat st;
	char *buf = NULL;
	json_t *j = NULL;
	size_t got = 0;
	ssize_t r;
	int fd;

	memset(d, 0, sizeof(*d));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		wf_diag_add(d, 0, 0, "file", "cannot open: %s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1) {
		wf_diag_add(d, 0, 0, "file", "cannot stat: %s", strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		wf_diag_add(d, 0, 0, "file", "is not a regular file");
		goto out;
	}
	/* One byte more than allowed, so that an oversize file is told
	 * apart from one that fits exactly. */
	if ((buf = malloc(PB_WF_MAX_BYTES + 1)) == NULL) {
		wf_diag_add(d, 0, 0, "file", "out of memory");
		goto out;
	}
	while (got < PB_WF_MAX_BYTES + 1) {
		r = read(fd, buf + got, PB_WF_MAX_BYTES + 1 - got);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			wf_diag_add(d, 0, 0, "file", "cannot read: %s",
			    strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	j = pb_wf_load_yaml(buf, got, d);
out:
	free(buf);
	close(fd);
	return j;
}

int
pb_wf_check_json(const json_t *def, struct pb_wf_diag *d)
{
	memset(d, 0, sizeof(*d));
	return wf_validate(def, NULL, d, 0);
}

void
pb_wf_error_format(char *out, size_t outsz, const char *file,
    const struct pb_wf_error *err)
{
	if (err->line > 0)
		snprintf(out, outsz, "%s:%d:%d: %s: %s", file, err->line,
		    err->col, err->key, err->reason);
	else
		snprintf(out, outsz, "%s: %s: %s", file, err->key, err->reason);
}

void
pb_wf_diag_print(FILE *f, const char *file, const struct pb_wf_diag *d)
{
	size_t order[PB_WF_MAX_ERRORS], i, j, t;
	const struct pb_wf_error *a, *b;
	char line[512];

	/* Stable insertion sort by position: file order for people. */
	for (i = 0; i < d->n; i++) {
		order[i] = i;
		for (j = i; j > 0; j--) {
			a = &d->e[order[j - 1]];
			b = &d->e[order[j]];
			if (a->line < b->line || (a->line == b->line &&
			    a->col <= b->col))
				break;
			t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	}
	for (i = 0; i < d->n; i++) {
		pb_wf_error_format(line, sizeof(line), file, &d->e[order[i]]);
		fprintf(f, "%s\n", line);
	}
	if (d->dropped > 0)
		fprintf(f, "%s: and %zu more errors\n", file, d->dropped);
}
