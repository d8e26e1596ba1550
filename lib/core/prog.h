/* prog.h: what every PureBoot program's main() does the same way: its
 * name in messages, usage and exit, die, numeric options. */
#ifndef PB_PROG_H
#define PB_PROG_H

/* Set once, first thing in main(): "pureboot-api", "pureboot", ... */
void pb_prog_init(const char *name);
const char *pb_prog_name(void);

/* Print text (whole usage lines) and exit with code: 0 (asked for
 * help) goes to stdout, anything else (2: a usage error) to stderr. */
_Noreturn void pb_usage(int code, const char *text);

/* "name: message" on stderr, then exit with code. */
_Noreturn void pb_die(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* An integer option in [lo, hi]; anything else dies with exit 2 and a
 * reason naming what. */
int pb_opt_int(const char *s, int lo, int hi, const char *what);

#endif
