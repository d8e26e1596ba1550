/* chars.h: the character classes and the character-set and file-name
 * checks of values that end up in files, command lines and URLs
 * (pure).  This is their one home: the boot renderers (lib/boot/), the
 * workflow rules (lib/wf/wf_rules.c) and the API take them from here.
 *
 * Every check says why it refuses in one grammar, a whole sentence
 * WHAT "VALUE" REASON (pb_refuse, lib/core/err.h), e.g.
 *	cmdline.txt: nfs_path "/a/../b" has a '.' or '..' component
 *	"nfs_server.lan" contains '_', which is not allowed in a host
 * the second with what "", as the workflow loader calls them: its
 * "file:line:column: key: " names the value.  A NULL value is taken as
 * "" and refused by the length rule. */
#ifndef PB_CHARS_H
#define PB_CHARS_H

#include "core/err.h"

#define PB_LOWER "abcdefghijklmnopqrstuvwxyz"
#define PB_UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define PB_DIGIT "0123456789"
#define PB_ALNUM PB_UPPER PB_LOWER PB_DIGIT
#define PB_HEXDIGIT PB_DIGIT "abcdefABCDEF"

/* 0 to 15 for a hex digit of either case, -1 for anything else
 * (including '\0'). */
int pb_hexval(char c);

/* The first byte of s outside set, described for a message: whitespace
 * and quotes by name, control and non-ASCII bytes in hex, the rest
 * shown as 'c'; NULL when every byte is in set.  buf holds the text. */
const char *pb_bad_char(const char *s, const char *set, char buf[32]);

/* Every byte of v in set; setname says what v is ("a URL"):
 *	WHAT "a b" contains whitespace, which is not allowed in a URL */
int pb_check_set(const char *what, const char *v, const char *set,
    const char *setname, struct pb_err *e);

/* A relative path in the TFTP tree: "kernel8.img", "overlays/x.dtbo";
 * 1 to 128 of [A-Za-z0-9._/-], no "..", no leading '/' or '.', no
 * "//", "/." or trailing '/'. */
int pb_check_relpath(const char *what, const char *v, struct pb_err *e);
/* One file name: 1 to 128 of [A-Za-z0-9._-], not starting with '.' or
 * '-'. */
int pb_check_filename(const char *what, const char *v, struct pb_err *e);
/* An absolute path of [A-Za-z0-9._-] components, at most 255, no
 * empty, "." or ".." component; "/" itself is one. */
int pb_check_abspath(const char *what, const char *v, struct pb_err *e);
/* An IPv4 or IPv6 address (unbracketed) or a DNS name of RFC 1123
 * labels (lib/core/url.c's host rule). */
int pb_check_host(const char *what, const char *v, struct pb_err *e);
/* One word fit for cmdline.txt: 1 to 255 of [A-Za-z0-9._:/=,@+-]. */
int pb_check_cmdword(const char *what, const char *v, struct pb_err *e);
#define PB_CMDWORD PB_ALNUM "._:/=,@+-"

#endif
