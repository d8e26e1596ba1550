/* Table test: the Raspberry Pi OS first-boot files lib/wf/wf_firstboot.c
 * writes (ssh, userconf.txt, custom.toml; never firstrun.sh) against the
 * format that Raspberry Pi OS's own first-boot code parses.  No image
 * can boot here, so each rule restates, in C, what one piece of that
 * code reads, and names it:
 *
 *   SSHSWITCH  RPi-Distro/raspberrypi-sys-mods,
 *              debian/raspberrypi-sys-mods.sshswitch.service
 *   USERCONF   RPi-Distro/userconf-pi, userconf-service
 *   FIRSTBOOT  RPi-Distro/raspberrypi-sys-mods,
 *              usr/lib/raspberrypi-sys-mods/firstboot
 *   INITCONF   RPi-Distro/raspberrypi-sys-mods,
 *              usr/lib/raspberrypi-sys-mods/init_config
 *
 * The rules are checked on the files of real workflows, and each rule
 * is also shown to refuse a file that breaks it, so that none of them
 * passes by being unable to fail. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/chars.h"
#include "wf/wf_instructions.h"
#include "wf/workflow.h"
#include "tap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define ED "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKY8KN2blp860xz/mBlQaK9FcMrh8hiFsVWBj6eCdhAA"
#define HDR "id: w\nname: W\narch: aarch64\ninstall_method: image\n" \
	"image_verify: none\nimage_url: http://s/os.img.xz\ntarget_device: auto\n"

/* A rule: 0 when text (a file's content) follows it, else -1 with why. */
typedef int rule_fn(const char *text, char *why, size_t whysz);

static int
fail(char *why, size_t whysz, const char *msg)
{
	snprintf(why, whysz, "%s", msg);
	return -1;
}

/* --- userconf.txt --------------------------------------------------- */

/* USERCONF: LINE="$(head -n1 ...)": only the first line counts; a
 * second line would be ignored, so nothing may need one. */
static int
uc_one_line(const char *t, char *why, size_t n)
{
	const char *nl = strchr(t, '\n');

	if (nl == NULL || nl[1] != '\0')
		return fail(why, n, "not exactly one line ending in a newline");
	if (strchr(t, '\r') != NULL)
		return fail(why, n, "has a carriage return");
	return 0;
}

/* USERCONF validate_user: NEW_USER is cut -f1 -d: of the line, 1 to 32
 * characters, ^[a-z][a-z0-9-]*$, not root. */
static int
uc_user(const char *t, char *why, size_t n)
{
	size_t len = strcspn(t, ":\n");

	if (t[len] != ':')
		return fail(why, n, "no ':' after the user name");
	if (len == 0 || len > 32)
		return fail(why, n, "user name not 1 to 32 characters");
	if (strchr(PB_LOWER, t[0]) == NULL ||
	    strspn(t, PB_LOWER PB_DIGIT "-") < len)
		return fail(why, n, "user name not [a-z][a-z0-9-]*");
	if (len == 4 && strncmp(t, "root", 4) == 0)
		return fail(why, n, "user name is root");
	return 0;
}

/* USERCONF validate_password: NEW_PASS is cut -f2 -d:, not empty; it is
 * handed to userconf as a hash, so a third ':' field would be cut off. */
static int
uc_pass(const char *t, char *why, size_t n)
{
	const char *p = strchr(t, ':');
	size_t len;

	if (p == NULL)
		return fail(why, n, "no password field");
	len = strcspn(p + 1, ":\n");
	if (len == 0)
		return fail(why, n, "empty password field");
	if (p[1 + len] == ':')
		return fail(why, n, "a third ':' field, which cut -f2 drops");
	return 0;
}

/* --- ssh ------------------------------------------------------------- */

/* SSHSWITCH: a line of /boot/ssh starting with "ssh-" is copied to
 * /home/pi/.ssh/authorized_keys and pi's password is locked (passwd -l
 * pi): the file must hold no such line; it only switches sshd on. */
static int
ssh_no_keys(const char *t, char *why, size_t n)
{
	const char *l;

	for (l = t; l != NULL && *l != '\0'; l = strchr(l, '\n') ?
	    strchr(l, '\n') + 1 : NULL)
		if (strncmp(l, "ssh-", 4) == 0)
			return fail(why, n, "a line starting with ssh-");
	return 0;
}

/* --- custom.toml ------------------------------------------------------ */

/* What init_config takes (INITCONF): its supported_sections, and for
 * each the keys its config_* functions pop, with the type each is used
 * as.  Anything else is only warned about, so it would do nothing. */
enum vt { V_STR, V_BOOL, V_INT, V_STRLIST };
static const struct { const char *sec, *key; enum vt t; } toml_keys[] = {
	{ "", "config_version", V_INT },
	{ "system", "hostname", V_STR },
	{ "user", "name", V_STR },
	{ "user", "password", V_STR },
	{ "user", "password_encrypted", V_BOOL },
	{ "ssh", "ssh_import_id", V_STRLIST },
	{ "ssh", "enabled", V_BOOL },
	{ "ssh", "password_authentication", V_BOOL },
	{ "ssh", "authorized_keys", V_STRLIST },
	{ "wlan", "ssid", V_STR },
	{ "wlan", "password", V_STR },
	{ "wlan", "password_encrypted", V_BOOL },
	{ "wlan", "hidden", V_BOOL },
	{ "wlan", "country", V_STR },
	{ "locale", "keymap", V_STR },
	{ "locale", "timezone", V_STR },
};

/* One line, without its newline, into out; the rest after it. */
static const char *
line(const char *t, char *out, size_t outsz)
{
	size_t len = strcspn(t, "\n");

	snprintf(out, outsz, "%.*s", (int)len, t);
	return t[len] == '\n' ? t + len + 1 : t + len;
}

static int
is_basic_string(const char *v, size_t len)
{
	/* A TOML basic string without escapes: our values never have a
	 * quote, backslash or control byte (lib/wf/wf_rules.c). */
	return len >= 2 && v[0] == '"' && v[len - 1] == '"' &&
	    strcspn(v + 1, "\"\\") == len - 2;
}

/* The TOML that wf_firstboot.c writes, parsed strictly (comments, blank
 * lines, [section], key = string | true | false | integer | an array of
 * strings one per line), each key checked against toml_keys.  seen_v
 * is set when config_version = 1 is found at the top. */
static int
toml_walk(const char *t, int *seen_v, int *seen_user, char *why, size_t n)
{
	char l[1024], sec[32] = "", key[64];
	const char *val;
	size_t i, len;

	*seen_v = *seen_user = 0;
	while (*t != '\0') {
		t = line(t, l, sizeof(l));
		if (l[0] == '\0' || l[0] == '#')
			continue;
		if (l[0] == '[') {
			len = strlen(l);
			if (len < 3 || l[len - 1] != ']' || len - 2 >= sizeof(sec))
				return fail(why, n, "a bad [section] line");
			snprintf(sec, sizeof(sec), "%.*s", (int)(len - 2), l + 1);
			*seen_user |= strcmp(sec, "user") == 0;
			for (i = 0; i < N(toml_keys); i++)
				if (strcmp(toml_keys[i].sec, sec) == 0)
					break;
			if (i == N(toml_keys))
				return fail(why, n, "a section init_config does "
				    "not read");
			continue;
		}
		len = strspn(l, PB_LOWER "_");
		if (len == 0 || len >= sizeof(key) || strncmp(l + len, " = ", 3))
			return fail(why, n, "a line that is not key = value");
		snprintf(key, sizeof(key), "%.*s", (int)len, l);
		val = l + len + 3;
		for (i = 0; i < N(toml_keys); i++)
			if (strcmp(toml_keys[i].sec, sec) == 0 &&
			    strcmp(toml_keys[i].key, key) == 0)
				break;
		if (i == N(toml_keys))
			return fail(why, n, "a key init_config does not read");
		switch (toml_keys[i].t) {
		case V_STR:
			if (!is_basic_string(val, strlen(val)))
				return fail(why, n, "a string key without a "
				    "plain \"string\"");
			break;
		case V_BOOL:
			if (strcmp(val, "true") && strcmp(val, "false"))
				return fail(why, n, "a boolean key not true or "
				    "false");
			break;
		case V_INT:
			if (strcmp(key, "config_version") == 0 && sec[0] == '\0' &&
			    strcmp(val, "1") == 0)
				*seen_v = 1;
			else if (val[0] == '\0' || strspn(val, PB_DIGIT) !=
			    strlen(val))
				return fail(why, n, "an integer key not an "
				    "integer");
			break;
		case V_STRLIST:
			if (strcmp(val, "[") != 0)
				return fail(why, n, "a list key not opened by [");
			for (;;) {
				if (*t == '\0')
					return fail(why, n, "a list never closed");
				t = line(t, l, sizeof(l));
				if (strcmp(l, "]") == 0)
					break;
				len = strlen(l);
				if (len < 4 || strncmp(l, "  ", 2) ||
				    l[len - 1] != ',' ||
				    !is_basic_string(l + 2, len - 3))
					return fail(why, n, "a list item not "
					    "  \"string\",");
			}
			break;
		}
	}
	return 0;
}

/* INITCONF: toml.load() must succeed (else "Error parsing" and exit 1),
 * every key must be one it pops (else "Unknown key": ignored). */
static int
toml_parses(const char *t, char *why, size_t n)
{
	int v, u;

	return toml_walk(t, &v, &u, why, n);
}

/* INITCONF: config_version = 1, else "Unsupported config version". */
static int
toml_version(const char *t, char *why, size_t n)
{
	int v, u;

	if (toml_walk(t, &v, &u, why, n) == -1)
		return -1;
	return v ? 0 : fail(why, n, "no top-level config_version = 1");
}

/* Ours, after raspberrypi-sys-mods' changelog of 20220915: a [user]
 * section runs userconf a second time after userconf.txt did, and the
 * second run loses the rename; the user comes from userconf.txt. */
static int
toml_no_user(const char *t, char *why, size_t n)
{
	int v, u;

	if (toml_walk(t, &v, &u, why, n) == -1)
		return -1;
	return u ? fail(why, n, "a [user] section") : 0;
}

/* INITCONF config_ssh: authorized_keys go to imager_custom enable_ssh as
 * arguments; each must be a whole OpenSSH public key line. */
static int
toml_keys_whole(const char *t, char *why, size_t n)
{
	const char *k = strstr(t, "authorized_keys = [\n");
	char l[1024];

	if (k == NULL)
		return 0;
	k = line(k, l, sizeof(l));
	while (*k != '\0') {
		k = line(k, l, sizeof(l));
		if (strcmp(l, "]") == 0)
			return 0;
		if (strncmp(l, "  \"ssh-", 7) && strncmp(l, "  \"ecdsa-", 9) &&
		    strncmp(l, "  \"sk-", 6))
			return fail(why, n, "a key that is not a public key line");
		if (strchr(l + 3, ' ') == NULL)
			return fail(why, n, "a key without its base64 part");
	}
	return fail(why, n, "authorized_keys never closed");
}

/* --- the table -------------------------------------------------------- */

static const struct rule {
	const char *file, *src, *what;
	rule_fn *fn;
	const char *bad;	/* a content that breaks it */
} rules[] = {
	{ "userconf.txt", "USERCONF: head -n1", "one line", uc_one_line,
	  "pi:*\nsecond:*\n" },
	{ "userconf.txt", "USERCONF: validate_user", "user [a-z][a-z0-9-]*, "
	  "1-32, not root", uc_user, "root:*\n" },
	{ "userconf.txt", "USERCONF: validate_password", "a non-empty "
	  "second field, no third", uc_pass, "pi:\n" },
	{ "ssh", "SSHSWITCH: grep ^ssh- /boot/ssh", "no key lines (they "
	  "would lock pi)", ssh_no_keys, ED "\n" },
	{ "custom.toml", "INITCONF: toml.load, config_* pops", "parses; only "
	  "keys init_config reads, of their types", toml_parses,
	  "config_version = 1\n[system]\nhost_name = \"x\"\n" },
	{ "custom.toml", "INITCONF: config_version != 1", "config_version = 1",
	  toml_version, "[system]\nhostname = \"x\"\n" },
	{ "custom.toml", "raspberrypi-sys-mods changelog 20220915", "no [user] "
	  "section (userconf.txt names the user)", toml_no_user,
	  "config_version = 1\n[user]\nname = \"pi\"\n" },
	{ "custom.toml", "INITCONF: config_ssh -> imager_custom enable_ssh",
	  "authorized_keys are whole key lines", toml_keys_whole,
	  "config_version = 1\n[ssh]\nauthorized_keys = [\n  \"AAAA\",\n]\n" },
};

static const struct {
	const char *name, *yaml, *serial;
	const char *want_files;	/* the names written, in order */
} cases[] = {
	{ "ssh, hostname and a key-only user", HDR "post_install:\n"
	  "  - enable_ssh\n  - set_hostname\n  - ssh_keys:\n"
	  "      keys: [\"" ED " op@x\"]\n", "d83add36",
	  "ssh userconf.txt custom.toml" },
	{ "a named user with a password hash, two keys, sshd left off",
	  HDR "post_install:\n  - ssh_keys:\n      user: admin-2\n"
	  "      password_hash: $6$salt$abcdefghijk\n"
	  "      keys: [\"" ED "\", \"" ED " second\"]\n", "d83add36",
	  "userconf.txt custom.toml" },
	{ "password login and a hostname from a variable",
	  HDR "variables:\n  site: lab\npost_install:\n"
	  "  - enable_ssh:\n      password_authentication: true\n"
	  "  - set_hostname:\n      hostname: ${site}-${serial}\n", "0000abcd",
	  "ssh custom.toml" },
	{ "ssh alone", HDR "post_install: [enable_ssh]\n", "d83add36",
	  "ssh custom.toml" },
};

static void
check_file(const char *cname, const char *path, const char *text)
{
	char name[400], why[128];
	size_t i;
	int any = 0;

	for (i = 0; i < N(rules); i++) {
		if (strcmp(rules[i].file, path) != 0)
			continue;
		any = 1;
		why[0] = '\0';
		snprintf(name, sizeof(name), "%s: %s: %s (%s)", cname, path,
		    rules[i].what, rules[i].src);
		tap_is(rules[i].fn(text, why, sizeof(why)) == 0 ? "" : why, "",
		    name);
	}
	/* FIRSTBOOT runs init_config on /boot/custom.toml only; firstrun.sh
	 * needs systemd.run= in cmdline.txt, which the API cannot write
	 * (it holds the image's PARTUUID): neither may appear. */
	snprintf(name, sizeof(name), "%s: %s is a file Raspberry Pi OS reads "
	    "(SSHSWITCH, USERCONF, FIRSTBOOT)", cname, path);
	tap_ok(any, name);
}

int
main(void)
{
	unsigned char bin[8192];
	struct pb_wf_node node;
	struct pb_wf_diag d;
	struct pb_err e;
	json_t *def, *out, *f;
	char names[200], name[300], why[128];
	const char *b64, *path;
	size_t i, j, binlen;

	for (i = 0; i < N(rules); i++) {
		snprintf(name, sizeof(name), "rule %s / %s refuses a file that "
		    "breaks it", rules[i].file, rules[i].what);
		tap_ok(rules[i].fn(rules[i].bad, why, sizeof(why)) == -1, name);
	}
	for (i = 0; i < N(cases); i++) {
		def = pb_wf_load_yaml(cases[i].yaml, strlen(cases[i].yaml), &d);
		memset(&node, 0, sizeof(node));
		if (def == NULL || pb_uuid_parse(&node.id,
		    "0b8e2c1a-1234-4abc-8def-0123456789ab", NULL) == -1 ||
		    pb_serial_parse(&node.serial, cases[i].serial, NULL) == -1 ||
		    (out = pb_wf_instructions_new(def, &node, &e)) == NULL) {
			tap_ok(0, cases[i].name);
			json_decref(def);
			continue;
		}
		names[0] = '\0';
		json_array_foreach(json_object_get(out, "files"), j, f) {
			path = json_string_value(json_object_get(f, "path"));
			snprintf(names + strlen(names), sizeof(names) -
			    strlen(names), "%s%s", j ? " " : "", path);
			b64 = json_string_value(json_object_get(f, "content_b64"));
			if (sodium_base642bin(bin, sizeof(bin) - 1, b64,
			    strlen(b64), NULL, &binlen, NULL,
			    sodium_base64_VARIANT_ORIGINAL) != 0)
				binlen = 0;
			bin[binlen] = '\0';
			check_file(cases[i].name, path, (const char *)bin);
		}
		snprintf(name, sizeof(name), "%s: the files written", cases[i].name);
		tap_is(names, cases[i].want_files, name);
		json_decref(out);
		json_decref(def);
	}
	return tap_done();
}
