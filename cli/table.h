/* table.h: API answers as text columns for people (table.c). */
#ifndef PB_CLI_TABLE_H
#define PB_CLI_TABLE_H

#include <stdio.h>

#include <jansson.h>

struct table_col {
	const char *head;	/* NULL ends a table */
	const char *key;	/* of each row object */
	int max;		/* widest cell; longer ones end in "..." */
	int time;		/* a timestamp: "2026-01-02 03:04:05" */
};

/* v as one cell of at most max bytes: a string with every byte outside
 * printable ASCII as '?' (an API value never moves the terminal), null
 * or missing as "-", anything else as compact JSON. */
void table_cell(char *out, size_t outsz, const json_t *v, int max,
    int time);

/* rows (an array of objects) under a header line, each column as wide
 * as its widest cell; nothing but "(none)" for no rows. */
void table_print(FILE *f, const struct table_col *cols, const json_t *rows);

/* The header line of table_line's rows. */
void table_head(FILE *f, const struct table_col *cols);

/* One row at fixed widths (each column's max), for a stream. */
void table_line(FILE *f, const struct table_col *cols, const json_t *row);

#endif
