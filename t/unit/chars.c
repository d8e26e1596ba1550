/* Unit tests for lib/core/chars.c, the one home of the character-set,
 * file-name, path and host checks that the renderers and the workflow
 * rules share, and of pb_refuse's grammar WHAT "VALUE" REASON. */
#include <stdio.h>
#include <string.h>

#include "core/chars.h"
#include "tap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

typedef int check_fn(const char *what, const char *v, struct pb_err *e);

/* want NULL: accepted.  what is "nfs_server" and the like, as the
 * renderers pass it; the workflow loader's "" is tested below. */
static const struct {
	check_fn *fn;
	const char *what, *in, *want;
} cases[] = {
	{ pb_check_host, "host", "192.168.1.10", NULL },
	{ pb_check_host, "host", "fd00::10", NULL },
	{ pb_check_host, "host", "nfs.example.com", NULL },
	{ pb_check_host, "host", "fd00::zz",
	  "host \"fd00::zz\" is not a valid IP address" },
	{ pb_check_host, "host", "a..b", "host \"a..b\" has a host name that is "
	  "not dot-separated labels of letters, digits and '-'" },
	{ pb_check_host, "host", "192.168.1.300", "host \"192.168.1.300\" is not "
	  "a valid IPv4 address" },
	{ pb_check_host, "host", "nfs_server.lan", "host \"nfs_server.lan\" "
	  "contains '_', which is not allowed in a host" },
	{ pb_check_host, "cmdline.txt: nfs_server", "a b", "cmdline.txt: "
	  "nfs_server \"a b\" contains whitespace, which is not allowed in a "
	  "host" },
	{ pb_check_host, "host", NULL, "host \"\" is not a host name or an IP "
	  "address" },
	{ pb_check_abspath, "abspath", "/", NULL },
	{ pb_check_abspath, "abspath", "/srv/nfs/base-1.0", NULL },
	{ pb_check_abspath, "abspath", "/srv/", "abspath \"/srv/\" has an empty "
	  "component ('//' or a trailing '/')" },
	{ pb_check_abspath, "abspath", "/srv/./x", "abspath \"/srv/./x\" has a "
	  "'.' or '..' component" },
	{ pb_check_abspath, "abspath", "/nfsroot/../etc", "abspath "
	  "\"/nfsroot/../etc\" has a '.' or '..' component" },
	{ pb_check_abspath, "abspath", "/srv/a b", "abspath \"/srv/a b\" "
	  "contains whitespace, which is not allowed in a path" },
	{ pb_check_abspath, "abspath", "nfsroot", "abspath \"nfsroot\" is not an "
	  "absolute path" },
	{ pb_check_filename, "filename", "ubuntu-24.04-arm64-base", NULL },
	{ pb_check_filename, "filename", "..", "filename \"..\" starts with "
	  "'.'" },
	{ pb_check_filename, "filename", "-rf", "filename \"-rf\" starts with "
	  "'-'" },
	{ pb_check_filename, "filename", "a/base", "filename \"a/base\" contains "
	  "'/'; it must be one file name" },
	{ pb_check_filename, "filename", "", "filename \"\" is not 1 to 128 "
	  "characters" },
	{ pb_check_relpath, "kernel", "overlays/x.dtbo", NULL },
	{ pb_check_relpath, "kernel", "../x", "kernel \"../x\" is not a plain "
	  "relative file name (A-Z a-z 0-9 . _ - /, no \"..\")" },
	{ pb_check_relpath, "kernel", NULL, "kernel \"\" is not 1 to 128 "
	  "characters" },
	{ pb_check_cmdword, "cmdword", "vers=4.2,proto=tcp", NULL },
	{ pb_check_cmdword, "cmdword", "a$b", "cmdword \"a$b\" contains '$', "
	  "which is not allowed in a command-line word" },
	{ pb_check_cmdword, "cmdword", "vers=3 tcp", "cmdword \"vers=3 tcp\" "
	  "contains whitespace, which is not allowed in a command-line word" },
	/* The workflow loader's form: its key names the value. */
	{ pb_check_cmdword, "", "a\"b", "\"a\\\"b\" contains a quote, which is "
	  "not allowed in a command-line word" },
	{ pb_check_filename, "", "a\x01", "\"a\\x01\" contains control byte "
	  "0x01, which is not allowed in a file name" },
	{ pb_check_filename, "", "\xc3\xa9", "\"\\xc3\\xa9\" contains non-ASCII "
	  "byte 0xc3, which is not allowed in a file name" },
};

int
main(void)
{
	static const char hex[] = "0123456789abcdefABCDEF";
	char name[160], big[200];
	struct pb_err e;
	size_t i;
	int ok;

	for (i = 0; i < N(cases); i++) {
		memset(&e, 0, sizeof(e));
		snprintf(name, sizeof(name), "%s \"%s\"", cases[i].what,
		    cases[i].in ? cases[i].in : "(null)");
		tap_is(cases[i].fn(cases[i].what, cases[i].in, &e) == 0 ? NULL :
		    e.msg, cases[i].want, name);
	}

	/* The value is quoted and cut at PB_QUOTE_MAX bytes. */
	memset(big, 'a', 100);
	big[100] = '\0';
	pb_check_filename("f", big, NULL);
	pb_check_set("f", big, "b", "b-only", &e);
	tap_ok(strncmp(e.msg, "f \"", 3) == 0 && e.msg[3 + PB_QUOTE_MAX] == '.' &&
	    strstr(e.msg, "...\" contains 'a', which is not allowed in "
	    "b-only") != NULL, "a long value is cut to PB_QUOTE_MAX bytes");
	tap_is(e.msg + e.reason, "contains 'a', which is not allowed in b-only",
	    "e.reason points at the reason");

	ok = 1;
	for (i = 0; i < 256; i++) {
		const char *p = i != 0 ? strchr(hex, (int)i) : NULL;
		int want = p == NULL ? -1 : p - hex < 16 ? (int)(p - hex) :
		    (int)(p - hex) - 6;

		if (pb_hexval((char)i) != want)
			ok = 0;
	}
	tap_ok(ok, "pb_hexval: 0-9 a-f A-F, -1 for every other byte and NUL");
	return tap_done();
}
