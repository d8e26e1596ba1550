/* Unit tests for lib/core/token.c: bearer header parsing, hashing, the
 * constant-time check and install-token making. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/token.h"
#include "tap.h"

#define SECRET "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"	/* 43 */

static const struct {
	const char *name, *header;
	int ok, kind;
	const char *id;
} cases[] = {
	{ "api token", "Bearer pb1.0123456789ab." SECRET, 1, PB_TOKEN_API,
	  "0123456789ab" },
	{ "scheme is case-insensitive", "bearer pb1.0123456789ab." SECRET, 1,
	  PB_TOKEN_API, "0123456789ab" },
	{ "install token", "Bearer pbi1.0123456789abcdef." SECRET, 1,
	  PB_TOKEN_INSTALL, "0123456789abcdef" },
	{ "no header", "", 0, 0, NULL },
	{ "basic auth", "Basic dXNlcjpwYXNz", 0, 0, NULL },
	{ "api id too short", "Bearer pb1.0123456789a." SECRET, 0, 0, NULL },
	{ "upper-case id", "Bearer pb1.0123456789AB." SECRET, 0, 0, NULL },
	{ "secret too short", "Bearer pb1.0123456789ab.AAAA", 0, 0, NULL },
	{ "trailing space", "Bearer pb1.0123456789ab." SECRET " ", 0, 0, NULL },
	{ "trailing newline", "Bearer pb1.0123456789ab." SECRET "\n", 0, 0,
	  NULL },
	{ "padding in secret", "Bearer pb1.0123456789ab."
	  "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", 0, 0, NULL },
	{ "install prefix with api id length",
	  "Bearer pbi1.0123456789ab." SECRET, 0, 0, NULL },
	{ "unknown version", "Bearer pb2.0123456789ab." SECRET, 0, 0, NULL },
};

int
main(void)
{
	struct pb_install_token t;
	struct pb_token tok;
	struct pb_err e;
	unsigned char rnd[40];
	char hex[65];
	size_t i;
	int rc;

	if (sodium_init() < 0)
		return 1;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&e, 0, sizeof(e));
		rc = pb_token_parse(&tok, cases[i].header, &e);
		tap_ok(cases[i].ok ? rc == 0 && (int)tok.kind == cases[i].kind &&
		    strcmp(tok.id, cases[i].id) == 0 : rc == -1 &&
		    strstr(e.msg, SECRET) == NULL, cases[i].name);
	}
	/* sha256("abc"), FIPS 180-2 */
	pb_token_hash_hex("abc", hex);
	tap_is(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	    "hash is sha256 of the secret");
	tap_ok(pb_token_check("abc", hex) == 0, "check accepts the secret");
	tap_ok(pb_token_check("abd", hex) == -1, "check refuses another secret");
	tap_ok(pb_token_check("abc", "ba78") == -1, "check refuses a short hash");
	tap_ok(pb_token_check("abc", "zz7816bf8f01cfea414140de5dae2223b00361a3"
	    "96177a9cb410ff61f20015ad") == -1, "check refuses a non-hex hash");

	for (i = 0; i < sizeof(rnd); i++)
		rnd[i] = (unsigned char)i;
	pb_install_token_make(&t, rnd);
	tap_is(t.id, "0001020304050607", "install token id is the first 8 bytes");
	tap_is(t.text, "pbi1.0001020304050607.CAkKCwwNDg8QERITFBUWFxgZGhscHR4fICEiIyQlJic",
	    "install token text: id, base64url secret");
	{
		char hdr[120];

		snprintf(hdr, sizeof(hdr), "Bearer %s", t.text);
		tap_ok(pb_token_parse(&tok, hdr, &e) == 0 &&
		    tok.kind == PB_TOKEN_INSTALL &&
		    pb_token_check(tok.secret, t.hash_hex) == 0,
		    "a made install token parses and checks against its hash");
	}
	{
		struct pb_api_token a;
		char hdr[120];

		pb_api_token_make(&a, rnd);
		tap_is(a.id, "000102030405", "api token id is the first 6 bytes");
		tap_is(a.text, "pb1.000102030405.BgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCU",
		    "api token text: id, base64url secret");
		snprintf(hdr, sizeof(hdr), "Bearer %s", a.text);
		tap_ok(pb_token_parse(&tok, hdr, &e) == 0 &&
		    tok.kind == PB_TOKEN_API && strcmp(tok.id, a.id) == 0 &&
		    pb_token_check(tok.secret, a.hash_hex) == 0,
		    "a made api token parses and checks against its hash");
	}
	return tap_done();
}
