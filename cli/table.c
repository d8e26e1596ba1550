/* table.c: text columns for people.  Cells are cleaned of control bytes
 * here, once, because every value shown came over the network. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

#define CELL_MAX 256

void
table_cell(char *out, size_t outsz, const json_t *v, int max, int time)
{
	const char *s;
	char *d = NULL;
	size_t i, n, lim = (size_t)max < outsz - 1 ? (size_t)max : outsz - 1;

	if (v == NULL || json_is_null(v))
		s = "-";
	else if (json_is_string(v))
		s = json_string_value(v);
	else
		s = d = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	if (s == NULL)
		s = "?";
	n = strlen(s);
	/* 2026-01-02T03:04:05.123456+00:00: to the second, UTC as given. */
	if (time && n >= 19 && s[10] == 'T')
		n = 19;
	for (i = 0; i < n && i < lim; i++)
		out[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	if (n > lim && lim >= 3)
		memcpy(out + lim - 3, "...", 3);
	out[i] = '\0';
	if (time && i >= 11 && out[10] == 'T')
		out[10] = ' ';
	free(d);
}

static void
row_out(FILE *f, const struct table_col *cols, const json_t *row,
    const int *w)
{
	char cell[CELL_MAX];
	int c;

	for (c = 0; cols[c].head != NULL; c++) {
		table_cell(cell, sizeof(cell), json_object_get(row,
		    cols[c].key), cols[c].max, cols[c].time);
		if (cols[c + 1].head == NULL)
			fprintf(f, "%s\n", cell);
		else
			fprintf(f, "%-*s  ", w[c], cell);
	}
}

static void
head_out(FILE *f, const struct table_col *cols, const int *w)
{
	int c;

	for (c = 0; cols[c].head != NULL; c++) {
		if (cols[c + 1].head == NULL)
			fprintf(f, "%s\n", cols[c].head);
		else
			fprintf(f, "%-*s  ", w[c], cols[c].head);
	}
}

void
table_print(FILE *f, const struct table_col *cols, const json_t *rows)
{
	char cell[CELL_MAX];
	const json_t *row;
	int w[32], c, n;
	size_t i;

	if (json_array_size(rows) == 0) {
		fprintf(f, "(none)\n");
		return;
	}
	for (c = 0; cols[c].head != NULL && c < 32; c++) {
		w[c] = (int)strlen(cols[c].head);
		json_array_foreach(rows, i, row) {
			table_cell(cell, sizeof(cell), json_object_get(row,
			    cols[c].key), cols[c].max, cols[c].time);
			if ((n = (int)strlen(cell)) > w[c])
				w[c] = n;
		}
	}
	head_out(f, cols, w);
	json_array_foreach(rows, i, row)
		row_out(f, cols, row, w);
}

static void
fixed(const struct table_col *cols, int *w)
{
	int c;

	for (c = 0; cols[c].head != NULL && c < 32; c++)
		w[c] = cols[c].time ? 19 : cols[c].max;
}

void
table_head(FILE *f, const struct table_col *cols)
{
	int w[32];

	fixed(cols, w);
	head_out(f, cols, w);
}

void
table_line(FILE *f, const struct table_col *cols, const json_t *row)
{
	int w[32];

	fixed(cols, w);
	row_out(f, cols, row, w);
}
