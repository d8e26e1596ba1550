/* ident.h: validated identifiers.  A struct here exists only if its
 * value is valid: parse once at the edge, pass the struct afterwards.
 * Parsers are pure (no I/O, no malloc) and say why they refuse. */
#ifndef PB_IDENT_H
#define PB_IDENT_H

#include <stdint.h>

#include "core/err.h"

/* The low 32 bits of the board serial as the bootloader prints them:
 * exactly 8 lower-case hex digits. */
struct pb_serial { char s[9]; };

/* A MAC address; text is lower-case with colons. */
struct pb_mac { uint8_t b[6]; char s[18]; };

/* An RFC 1123 label, lower-cased, 1-63 characters. */
struct pb_hostname { char s[64]; };

/* A UUID in canonical lower-case 8-4-4-4-12 form. */
struct pb_uuid { char s[37]; };

/* An IPv4 or IPv6 address in the form inet_ntop prints. */
struct pb_ip { char s[46]; };

/* A client's idempotency key of an event (sql/039): 1 to 64 of
 * A-Z a-z 0-9 . _ : - (a UUID, a counter, a host name fit). */
#define PB_EVKEY_MAX 64
struct pb_evkey { char s[PB_EVKEY_MAX + 1]; };

/* Strict: exactly 8 lower-case hex digits, nothing else. */
int pb_serial_parse(struct pb_serial *out, const char *in, struct pb_err *e);
/* As the API takes it: upper-case hex digits are lowered; still exactly
 * 8 digits, no whitespace, no trailing newline. */
int pb_serial_parse_loose(struct pb_serial *out, const char *in,
    struct pb_err *e);
/* Six hex pairs separated by all ':' or all '-'. */
int pb_mac_parse(struct pb_mac *out, const char *in, struct pb_err *e);
/* "dc-a6-32-01-02-03": dnsmasq's --tftp-unique-root=mac directory. */
void pb_mac_dir(const struct pb_mac *m, char out[18]);
int pb_hostname_parse(struct pb_hostname *out, const char *in,
    struct pb_err *e);
int pb_uuid_parse(struct pb_uuid *out, const char *in, struct pb_err *e);
int pb_ip_parse(struct pb_ip *out, const char *in, struct pb_err *e);
int pb_evkey_parse(struct pb_evkey *out, const char *in, struct pb_err *e);

#endif
