/* err.h: error reasons that name the thing and what is wrong. */
#ifndef PB_ERR_H
#define PB_ERR_H

#include <stddef.h>

struct pb_err {
	char msg[512];
	size_t reason;	/* pb_refuse: where REASON starts in msg; else 0 */
};

/* How much of an untrusted value a refusal quotes. */
#define PB_QUOTE_MAX 60

/* Format a reason into e (may be NULL) and return -1, so that
 * "return pb_fail(e, ...)" reads as the failure it is. */
int pb_fail(struct pb_err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The one grammar of a refused value, a whole sentence:
 *	WHAT "VALUE" REASON
 * e.g. config.txt: kernel "a b" contains whitespace, which is not
 * allowed in a file name.  v is quoted (pb_quote, PB_QUOTE_MAX bytes).
 * what "" leaves WHAT out, for a caller whose position already names
 * the value (a workflow key at line:column): "\"a b\" contains ...".
 * e->reason points at REASON, for a caller that reports the value in
 * another spelling (a workflow template before its variables were
 * filled in).  Returns -1. */
int pb_refuse(struct pb_err *e, const char *what, const char *v,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Copy at most max bytes of untrusted s into out (size outsz) with
 * quotes and backslashes escaped and every byte outside printable ASCII
 * (control bytes, DEL, >= 0x80: UTF-8 or not) as \xNN, so that a value
 * from the network can be quoted in a message, a log line or a JSON
 * reply, which stays valid UTF-8 wherever the value is cut.  Always
 * NUL-terminates; appends "..." when cut. */
void pb_quote(char *out, size_t outsz, const char *s, size_t max);

#endif
