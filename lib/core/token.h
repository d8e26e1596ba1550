/* token.h: the two bearer tokens of the API (pure).
 *
 *   pb1.<12 hex id>.<43 base64url secret>    operator API token
 *   pbi1.<16 hex id>.<43 base64url secret>   per-install token
 *
 * The id finds the row and is not secret; only sha256(secret) is
 * stored.  The secret is compared in constant time. */
#ifndef PB_TOKEN_H
#define PB_TOKEN_H

#include "core/err.h"

enum pb_token_kind { PB_TOKEN_API, PB_TOKEN_INSTALL };

#define PB_TOKEN_SECRET_LEN 43
#define PB_TOKEN_MAX 80

struct pb_token {
	enum pb_token_kind kind;
	char id[17];
	char secret[PB_TOKEN_SECRET_LEN + 1];
};

/* Parse an Authorization header value ("Bearer <token>", scheme
 * case-insensitive).  The reason never contains the token. */
int pb_token_parse(struct pb_token *out, const char *header,
    struct pb_err *e);

/* sha256(secret) as 64 lower-case hex digits. */
void pb_token_hash_hex(const char *secret, char out[65]);

/* 0 when secret hashes to stored_hex (64 hex digits), in constant time
 * for a well-formed stored_hex; -1 otherwise. */
int pb_token_check(const char *secret, const char *stored_hex);

/* A new install token from 40 random bytes (8 for the id, 32 for the
 * secret): text for the client, id and hash for the database. */
struct pb_install_token {
	char text[PB_TOKEN_MAX];
	char id[17];
	char hash_hex[65];
};
void pb_install_token_make(struct pb_install_token *t,
    const unsigned char rnd[40]);

/* A new operator token from 38 random bytes (6 for the id, 32 for the
 * secret), as `pureboot token create` stores it. */
struct pb_api_token {
	char text[PB_TOKEN_MAX];
	char id[13];
	char hash_hex[65];
};
void pb_api_token_make(struct pb_api_token *t, const unsigned char rnd[38]);

#endif
