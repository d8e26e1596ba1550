/* evkey.c: the event idempotency key (POST /nodes/{id}/events "key",
 * pb_evkey_parse in lib/core/ident.c), the one parser the API, sql/039's
 * CHECK and the agent's keys must agree on.  Properties: an accepted key
 * is its input unchanged, 1 to PB_EVKEY_MAX bytes of the key set, and
 * parses again to itself; a refusal is a printable, bounded message. */
#include <stdlib.h>
#include <string.h>

#include "core/ident.h"
#include "fz.h"

#define KEYSET "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
	"0123456789._:-"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pb_evkey k, k2;
	struct pb_err e;
	char *in = fz_strndup(data, size);
	size_t n = strlen(in);

	if (pb_evkey_parse(&k, in, &e) == -1) {
		fz_check_refusal(&e, "key");
		FZ_ASSERT(n == 0 || n > PB_EVKEY_MAX || !fz_in_set(in, KEYSET),
		    "key \"%s\" of the set refused", in);
	} else {
		FZ_ASSERT(n >= 1 && n <= PB_EVKEY_MAX && fz_in_set(k.s, KEYSET),
		    "key %s accepted outside the set", k.s);
		FZ_ASSERT(strcmp(k.s, in) == 0, "key %s is not its input", k.s);
		FZ_ASSERT(pb_evkey_parse(&k2, k.s, &e) == 0 &&
		    strcmp(k2.s, k.s) == 0, "key %s does not parse again", k.s);
	}
	free(in);
	return 0;
}
