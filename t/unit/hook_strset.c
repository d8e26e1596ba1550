/* Unit tests for the hook's string set and map (tftp-hook/strset.c):
 * adds, deletes with tombstones, growth, iteration. */
#include <stdio.h>

#include "strset.h"
#include "tap.h"

int
main(void)
{
	struct strset s = { 0 };
	struct strmap m = { 0 };
	char name[32];
	const char *v;
	size_t it, n;
	int i, ok;

	ok = 1;
	for (i = 0; i < 20000; i++) {
		snprintf(name, sizeof(name), "%08x", i);
		ok &= strset_add(&s, name) == 1;
	}
	tap_ok(ok && s.n == 20000, "20000 names added, each new");
	tap_ok(strset_add(&s, "00000007") == 0, "adding a name twice says so");
	ok = 1;
	for (i = 0; i < 20000; i += 2) {
		snprintf(name, sizeof(name), "%08x", i);
		ok &= strset_del(&s, name) == 1;
	}
	tap_ok(ok && s.n == 10000, "every other name deleted");
	tap_ok(!strset_has(&s, "00000000") && strset_has(&s, "00000001") &&
	    strset_has(&s, "00004e1f"), "lookups after deletes");
	tap_ok(strset_del(&s, "00000000") == 0, "deleting a missing name says so");
	/* Churn: tombstones must not fill the table. */
	ok = 1;
	for (i = 0; i < 200000; i++) {
		snprintf(name, sizeof(name), "c%07d", i);
		ok &= strset_add(&s, name) == 1 && strset_del(&s, name) == 1;
	}
	tap_ok(ok && s.n == 10000, "200000 add/delete pairs leave the set as it was");
	tap_ok(s.cap <= 65536, "and the table did not grow with the churn");
	it = 0;
	n = 0;
	while ((v = strset_next(&s, &it)) != NULL)
		n++;
	tap_ok(n == 10000, "iteration sees each live name once");
	tap_ok(strset_add(&s, "") == -1, "an empty name is refused");
	tap_ok(strset_add(&s, "0123456789012345678901234567890123456789") == -1,
	    "a name of HOOK_NAME_MAX characters is refused");
	strset_free(&s);

	tap_ok(strmap_get(&m, "x") == NULL, "empty map: no value");
	strmap_set(&m, "id-1", "d83add36 dc-a6-32-01-02-03");
	strmap_set(&m, "id-2", "0000beef ");
	strmap_set(&m, "id-1", "d83add37 ");
	tap_is(strmap_get(&m, "id-1"), "d83add37 ", "a second set replaces the value");
	tap_is(strmap_get(&m, "id-2"), "0000beef ", "other keys keep theirs");
	strmap_del(&m, "id-1");
	tap_ok(strmap_get(&m, "id-1") == NULL && m.n == 1, "deleted");
	for (i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "k%d", i);
		strmap_set(&m, name, name);
	}
	tap_is(strmap_get(&m, "k4999"), "k4999", "values survive growth");
	tap_is(strmap_get(&m, "id-2"), "0000beef ", "old values survive growth");
	strmap_free(&m);
	return tap_done();
}
