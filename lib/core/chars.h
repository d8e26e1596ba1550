/* chars.h: the character classes and the character-set and file-name
 * checks of values that end up in files, command lines and URLs
 * (pure).  This is their one home: the boot renderers (lib/boot/), the
 * workflow rules (lib/wf/wf_rules.c) and the API take them from here.
 *
 * Every check says why it refuses in one grammar, a whole sentence
 * WHAT "VALUE" REASON, e.g.
 *	config.txt: kernel "a b" is not a plain relative file name (...)
 * with the value quoted by pb_quote. */
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

#endif
