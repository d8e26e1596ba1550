/* token.c: make, parse, hash and check bearer tokens (pure, libsodium).
 * Used by the API (checks both kinds, makes install tokens) and by
 * `pureboot token create` (makes operator tokens the API must accept). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "core/token.h"

#define HEX "0123456789abcdef"
#define B64URL "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
	"0123456789-_"

/* "<prefix><idlen hex>.<43 base64url>" and nothing after it. */
static int
parse_body(struct pb_token *out, const char *t, size_t idlen)
{
	if (strlen(t) != idlen + 1 + PB_TOKEN_SECRET_LEN ||
	    strspn(t, HEX) != idlen || t[idlen] != '.' ||
	    strspn(t + idlen + 1, B64URL) != PB_TOKEN_SECRET_LEN)
		return -1;
	memcpy(out->id, t, idlen);
	out->id[idlen] = '\0';
	memcpy(out->secret, t + idlen + 1, PB_TOKEN_SECRET_LEN + 1);
	return 0;
}

int
pb_token_parse(struct pb_token *out, const char *header, struct pb_err *e)
{
	const char *t;

	if (header == NULL || header[0] == '\0')
		return pb_fail(e, "no Authorization header");
	if (strncasecmp(header, "Bearer ", 7) != 0)
		return pb_fail(e, "Authorization is not \"Bearer <token>\"");
	t = header + 7;
	while (*t == ' ')
		t++;
	if (strncmp(t, "pb1.", 4) == 0 && parse_body(out, t + 4, 12) == 0) {
		out->kind = PB_TOKEN_API;
		return 0;
	}
	if (strncmp(t, "pbi1.", 5) == 0 && parse_body(out, t + 5, 16) == 0) {
		out->kind = PB_TOKEN_INSTALL;
		return 0;
	}
	return pb_fail(e, "bearer token is not of the form pb1.<id>.<secret> "
	    "or pbi1.<id>.<secret>");
}

static void
hash(const char *secret, unsigned char out[crypto_hash_sha256_BYTES])
{
	crypto_hash_sha256(out, (const unsigned char *)secret, strlen(secret));
}

void
pb_token_hash_hex(const char *secret, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	hash(secret, h);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

int
pb_token_check(const char *secret, const char *stored_hex)
{
	unsigned char want[crypto_hash_sha256_BYTES], got[sizeof(want)];
	size_t n = 0;

	if (strlen(stored_hex) != 64 ||
	    sodium_hex2bin(want, sizeof(want), stored_hex, 64, NULL, &n,
	    NULL) != 0 || n != sizeof(want))
		return -1;
	hash(secret, got);
	return crypto_verify_32(want, got) == 0 ? 0 : -1;
}

/* "<prefix><hex of idlen random bytes>.<base64url of 32 more>", the id
 * and sha256(secret): the one place both kinds of token are made. */
static void
make(const char *prefix, const unsigned char *rnd, size_t idlen,
    char *text, size_t textsz, char *id, size_t idsz, char hash_hex[65])
{
	char secret[PB_TOKEN_SECRET_LEN + 1];

	sodium_bin2hex(id, idsz, rnd, idlen);
	sodium_bin2base64(secret, sizeof(secret), rnd + idlen, 32,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	pb_token_hash_hex(secret, hash_hex);
	snprintf(text, textsz, "%s%s.%s", prefix, id, secret);
	sodium_memzero(secret, sizeof(secret));
}

void
pb_install_token_make(struct pb_install_token *t, const unsigned char rnd[40])
{
	make("pbi1.", rnd, 8, t->text, sizeof(t->text), t->id, sizeof(t->id),
	    t->hash_hex);
}

void
pb_api_token_make(struct pb_api_token *t, const unsigned char rnd[38])
{
	make("pb1.", rnd, 6, t->text, sizeof(t->text), t->id, sizeof(t->id),
	    t->hash_hex);
}
