/* wf_rules.c: the value rules of workflow files (pure).  The character
 * sets, file names, paths and hosts they share with the renderers are
 * lib/core/chars.c's; the URL host and port are lib/core/url.c's. */
#include <string.h>

#include <sodium.h>

#include "core/chars.h"
#include "core/ident.h"
#include "core/url.h"
#include "wf/wf_rules.h"

#define LOWER PB_LOWER
#define UPPER PB_UPPER
#define DIGIT PB_DIGIT
#define HEXCH PB_HEXDIGIT

/* What may follow the host of a URL.  No '$' (shell), ';' '!' '*' '('
 * ')' (shell and cmdline), no quotes, no whitespace. */
#define URL_REST LOWER UPPER DIGIT "._~:/?#@&+,=%-"
#define CMDWORD PB_CMDWORD

const char *const wf_builtin_vars[] = {
	"serial", "mac", "hostname", "node_id", "server", NULL
};

int
wf_check_id(const char *what, const char *s, struct pb_err *e)
{
	size_t n = strlen(s);

	if (n == 0 || n > 63)
		return pb_refuse(e, what, s, "is not 1 to 63 characters");
	if (strchr(LOWER DIGIT, s[0]) == NULL ||
	    strspn(s, LOWER DIGIT "-") != n)
		return pb_refuse(e, what, s, "is not lower-case letters, "
		    "digits and '-', starting with a letter or digit");
	return 0;
}

int
wf_check_name(const char *what, const char *s, struct pb_err *e)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t chars = 0;

	for (; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return pb_refuse(e, what, s, "contains control byte "
			    "0x%02x", *p);
		/* U+0080-U+009F, the C1 controls, are C2 80 - C2 9F. */
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			return pb_refuse(e, what, s, "contains a C1 control "
			    "character");
		if ((*p & 0xc0) != 0x80)
			chars++;
	}
	if (chars == 0 || chars > 200)
		return pb_refuse(e, what, s, "is not 1 to 200 characters");
	return 0;
}

int
wf_check_url(const char *what, const char *s, struct pb_err *e)
{
	struct pb_url u;
	const char *host, *end, *p;
	size_t n = strlen(s);

	if (n > WF_MAX_URL)
		return pb_refuse(e, what, s, "is longer than %d "
		    "characters", WF_MAX_URL);
	if (strncmp(s, "http://", 7) == 0)
		host = s + 7;
	else if (strncmp(s, "https://", 8) == 0)
		host = s + 8;
	else
		return pb_refuse(e, what, s, "is not an http:// or https:// "
		    "URL");
	if (pb_check_set(what, s, URL_REST "[]", "a URL", e) == -1)
		return -1;
	/* The host and port as the server URL has them (lib/core/url.c);
	 * only the path and query after them are a workflow's own. */
	if (pb_url_authority(what, s, host, &u, &end, e) == -1)
		return -1;
	/* A query needs a path before it ("http://h/?q", not "http://h?q"):
	 * the agent's pb_re_url (initramfs/agent/lib.sh) takes no other,
	 * and fuzz/workflow compares the two. */
	if (*end != '\0' && *end != '/')
		return pb_refuse(e, what, s, "has something other than a path "
		    "after the host");
	if (strchr(end, '[') != NULL || strchr(end, ']') != NULL)
		return pb_refuse(e, what, s, "contains '[' or ']' after the "
		    "host");
	for (p = end; (p = strchr(p, '%')) != NULL; p++)
		if (pb_hexval(p[1]) < 0 || pb_hexval(p[2]) < 0)
			return pb_refuse(e, what, s, "has a '%%' that is not "
			    "followed by two hex digits");
	return 0;
}

int
wf_check_sha256(const char *what, const char *s, struct pb_err *e)
{
	if (strlen(s) != 64 || strspn(s, HEXCH) != 64)
		return pb_refuse(e, what, s, "is not 64 hex digits");
	return 0;
}

int
wf_check_device(const char *what, const char *s, struct pb_err *e)
{
	static const char *const pats[] = {
		"/dev/mmcblk#", "/dev/nvme#n#", "/dev/sd@", "/dev/vd@", "auto",
		NULL
	};
	const char *const *p;
	size_t i;

	for (p = pats; *p != NULL; p++) {
		for (i = 0; (*p)[i] != '\0' && s[i] != '\0'; i++) {
			if ((*p)[i] == '#' ? !(s[i] >= '0' && s[i] <= '9') :
			    (*p)[i] == '@' ? !(s[i] >= 'a' && s[i] <= 'z') :
			    (*p)[i] != s[i])
				break;
		}
		if ((*p)[i] == '\0' && s[i] == '\0')
			return 0;
	}
	return pb_refuse(e, what, s, "is not /dev/mmcblkN, /dev/nvmeNnN, "
	    "/dev/sdX, /dev/vdX (a whole disk) or auto");
}

int
wf_check_args(const char *what, const char *s, struct pb_err *e)
{
	size_t n = strlen(s);

	if (n > 512)
		return pb_refuse(e, what, s, "is longer than 512 characters");
	if (pb_check_set(what, s, CMDWORD " ", "arguments", e) == -1)
		return -1;
	if (n > 0 && (s[0] == ' ' || s[n - 1] == ' ' || strstr(s, "  ")))
		return pb_refuse(e, what, s, "has a leading, trailing or "
		    "double space");
	return 0;
}

int
wf_check_hostname(const char *what, const char *s, struct pb_err *e)
{
	struct pb_hostname h;
	struct pb_err why;

	if (pb_hostname_parse(&h, s, &why) == -1)
		return pb_refuse(e, what, s, "is not a host name (one label "
		    "of letters, digits and '-', at most 63)");
	return 0;
}

int
wf_check_user(const char *what, const char *s, struct pb_err *e)
{
	size_t n = strlen(s);

	if (n == 0 || n > 32 || strchr(LOWER, s[0]) == NULL ||
	    strspn(s, LOWER DIGIT "-") != n)
		return pb_refuse(e, what, s, "is not a user name (a lower-case "
		    "letter, then up to 31 lower-case letters, digits, '-')");
	if (strcmp(s, "root") == 0)
		return pb_refuse(e, what, s, "is root; name an ordinary user");
	return 0;
}

/* Split an SSH wire blob into strings: their count, the first one,
 * the length of the last; -1 unless the blob is exactly that. */
static int
ssh_strings(const unsigned char *b, size_t n, size_t *count,
    const unsigned char **first, size_t *firstlen, size_t *lastlen)
{
	size_t o = 0, l;

	*count = 0;
	while (o < n) {
		if (n - o < 4)
			return -1;
		l = (size_t)b[o] << 24 | (size_t)b[o + 1] << 16 |
		    (size_t)b[o + 2] << 8 | b[o + 3];
		if (l > n - o - 4)
			return -1;
		if (*count == 0) {
			*first = b + o + 4;
			*firstlen = l;
		}
		*lastlen = l;
		(*count)++;
		o += 4 + l;
	}
	return *count > 0 ? 0 : -1;
}

/* How many strings a public key blob of this type holds. */
static size_t
want_strings(const char *type, size_t tlen)
{
	if (strncmp(type, "ssh-ed25519", tlen) == 0)
		return 2;	/* type, key */
	if (strncmp(type, "sk-ssh-ed25519@openssh.com", tlen) == 0)
		return 3;	/* type, key, application */
	if (strncmp(type, "sk-ecdsa-sha2-nistp256@openssh.com", tlen) == 0)
		return 4;	/* type, curve, point, application */
	return 3;		/* rsa: type, e, n; ecdsa: type, curve, point */
}

int
wf_check_ssh_key(const char *what, const char *s, struct pb_err *e)
{
	static const char *const types[] = {
		"ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256",
		"ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
		"sk-ssh-ed25519@openssh.com",
		"sk-ecdsa-sha2-nistp256@openssh.com", NULL
	};
	unsigned char blob[3072];
	const char *const *t;
	const char *b64, *sp;
	const unsigned char *first = NULL;
	size_t tlen, blen, binlen, nstr, firstlen = 0, last = 0;

	if (strlen(s) > 4096)
		return pb_refuse(e, what, s, "is longer than 4096 characters");
	if (pb_check_set(what, s, LOWER UPPER DIGIT "._@:+=,/ -",
	    "an SSH public key", e) == -1)
		return -1;
	tlen = strcspn(s, " ");
	for (t = types; *t != NULL; t++)
		if (strlen(*t) == tlen && strncmp(*t, s, tlen) == 0)
			break;
	if (*t == NULL)
		return pb_refuse(e, what, s, "is not an SSH public key of type "
		    "ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256/384/521 or sk-*");
	if (s[tlen] != ' ')
		return pb_refuse(e, what, s, "has no key data after the type");
	b64 = s + tlen + 1;
	sp = strchr(b64, ' ');
	blen = sp != NULL ? (size_t)(sp - b64) : strlen(b64);
	if (blen == 0 || sodium_base642bin(blob, sizeof(blob), b64, blen,
	    NULL, &binlen, NULL, sodium_base64_VARIANT_ORIGINAL) != 0)
		return pb_refuse(e, what, s, "has key data that is not base64");
	/* The blob is a list of SSH strings: its own type first, then the
	 * key's parts, so that a truncated or pasted-together key is
	 * caught here rather than by sshd on the node. */
	if (ssh_strings(blob, binlen, &nstr, &first, &firstlen, &last) == -1 ||
	    firstlen != tlen || memcmp(first, s, tlen) != 0)
		return pb_refuse(e, what, s, "has key data that is not a %.*s "
		    "key", (int)tlen, s);
	if (nstr != want_strings(s, tlen) ||
	    (strncmp(s, "ssh-ed25519", tlen) == 0 && last != 32) ||
	    (strncmp(s, "ssh-rsa", tlen) == 0 && last < 128))
		return pb_refuse(e, what, s, "has key data that is not a "
		    "complete %.*s key", (int)tlen, s);
	return 0;
}

int
wf_check_password_hash(const char *what, const char *s, struct pb_err *e)
{
	size_t n = strlen(s), id;

	if (n > 256)
		return pb_refuse(e, what, s, "is longer than 256 characters");
	id = s[0] == '$' ? strspn(s + 1, LOWER DIGIT) : 0;
	if (s[0] != '$' || id == 0 || id > 2 || s[1 + id] != '$' ||
	    strspn(s, LOWER UPPER DIGIT "./$") != n || n < 8)
		return pb_refuse(e, what, s, "is not a crypt(3) hash such as "
		    "$6$salt$hash or $y$...");
	return 0;
}

int
wf_check_package(const char *what, const char *s, struct pb_err *e)
{
	size_t n = strlen(s);

	if (n < 2 || n > 64 || strchr(LOWER DIGIT, s[0]) == NULL ||
	    strspn(s, LOWER DIGIT "+.-") != n)
		return pb_refuse(e, what, s, "is not a Debian package name "
		    "(lower-case letters, digits, '+', '.', '-')");
	return 0;
}

int
wf_check_nfs_options(const char *what, const char *s, struct pb_err *e)
{
	size_t n = strlen(s);

	if (n == 0 || n > 255)
		return pb_refuse(e, what, s, "is not 1 to 255 characters");
	return pb_check_set(what, s, PB_ALNUM ".,=_:/-", "NFS mount options", e);
}

int
wf_check_iface(const char *what, const char *s, struct pb_err *e)
{
	size_t n = strlen(s);

	if (n == 0 || n > 15 || strchr(LOWER, s[0]) == NULL ||
	    strspn(s, LOWER DIGIT) != n)
		return pb_refuse(e, what, s, "is not an interface name (a "
		    "letter, then letters and digits, at most 15)");
	return 0;
}

int
wf_check_timezone(const char *what, const char *s, struct pb_err *e)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64 || strchr(UPPER LOWER, s[0]) == NULL ||
	    strspn(s, UPPER LOWER DIGIT "_+/-") != n || strstr(s, ".."))
		return pb_refuse(e, what, s, "is not a time zone name such as "
		    "Europe/Berlin or UTC");
	return 0;
}

int
wf_check_varname(const char *what, const char *s, struct pb_err *e)
{
	size_t n = strlen(s);

	if (n == 0 || n > 32 || strchr(LOWER, s[0]) == NULL ||
	    strspn(s, LOWER DIGIT "_") != n)
		return pb_refuse(e, what, s, "is not a variable name (a "
		    "lower-case letter, then up to 31 lower-case letters, "
		    "digits, '_')");
	return 0;
}

int
wf_is_builtin_var(const char *name)
{
	const char *const *b;

	for (b = wf_builtin_vars; *b != NULL; b++)
		if (strcmp(*b, name) == 0)
			return 1;
	return 0;
}

static const char *
lookup(const struct wf_vars *v, const char *name)
{
	size_t i;

	for (i = 0; v != NULL && i < v->n; i++)
		if (strcmp(v->name[i], name) == 0)
			return v->value[i];
	return NULL;
}

/* Walk the references of tmpl: each literal run and each name in turn.
 * fn gets (literal, len, NULL) or (NULL, 0, name); returns -1 to stop. */
typedef int ref_fn(void *ctx, const char *what, const char *tmpl,
    const char *lit, size_t len, const char *name, struct pb_err *e);

static int
walk(const char *what, const char *tmpl, ref_fn *fn, void *ctx,
    struct pb_err *e)
{
	const char *p = tmpl, *d, *close;
	char name[40], q[4 * sizeof(name) + 4];
	size_t n;

	while ((d = strchr(p, '$')) != NULL) {
		if (d > p &&
		    fn(ctx, what, tmpl, p, (size_t)(d - p), NULL, e) == -1)
			return -1;
		if (d[1] != '{')
			return pb_refuse(e, what, tmpl, "has a '$' not "
			    "followed by '{'; variables are written ${name}");
		close = strchr(d + 2, '}');
		if (close == NULL)
			return pb_refuse(e, what, tmpl, "has an unterminated "
			    "'${'");
		n = (size_t)(close - d - 2);
		if (n == 0 || n >= sizeof(name))
			return pb_refuse(e, what, tmpl, "has an empty or "
			    "overlong variable name in '${...}'");
		memcpy(name, d + 2, n);
		name[n] = '\0';
		/* Quoted: the name is any bytes of the file but '}'. */
		if (wf_check_varname("", name, NULL) == -1) {
			pb_quote(q, sizeof(q), name, sizeof(name));
			return pb_refuse(e, what, tmpl, "has '${%s}', which is "
			    "not a variable name", q);
		}
		if (fn(ctx, what, tmpl, NULL, 0, name, e) == -1)
			return -1;
		p = close + 1;
	}
	if (*p != '\0' && fn(ctx, what, tmpl, p, strlen(p), NULL, e) == -1)
		return -1;
	return 0;
}

struct refs_ctx { const struct wf_vars *vars; int allow_user; };

static int
refs_one(void *vctx, const char *what, const char *tmpl, const char *lit,
    size_t len, const char *name, struct pb_err *e)
{
	struct refs_ctx *c = vctx;

	(void)lit;
	(void)len;
	if (name == NULL || wf_is_builtin_var(name))
		return 0;
	if (!c->allow_user)
		return pb_refuse(e, what, tmpl, "uses ${%s}; only ${serial}, "
		    "${mac}, ${hostname}, ${node_id} and ${server} may be used "
		    "here", name);
	if (lookup(c->vars, name) == NULL)
		return pb_refuse(e, what, tmpl, "uses ${%s}, which is neither "
		    "a built-in variable nor defined under variables", name);
	return 0;
}

int
wf_refs_check(const char *what, const char *tmpl, const struct wf_vars *vars,
    int allow_user, struct pb_err *e)
{
	struct refs_ctx c = { vars, allow_user };

	return walk(what, tmpl, refs_one, &c, e);
}

int
wf_has_refs(const char *tmpl)
{
	return strstr(tmpl, "${") != NULL;
}

struct exp_ctx { const struct wf_vars *vars; char *out; size_t sz, o; };

static int
exp_one(void *vctx, const char *what, const char *tmpl, const char *lit,
    size_t len, const char *name, struct pb_err *e)
{
	struct exp_ctx *c = vctx;
	const char *v = lit;

	if (name != NULL) {
		if ((v = lookup(c->vars, name)) == NULL)
			return pb_refuse(e, what, tmpl, "uses ${%s}, which has "
			    "no value for this node", name);
		len = strlen(v);
	}
	if (c->o + len >= c->sz)
		return pb_refuse(e, what, tmpl, "is longer than %zu characters "
		    "once its variables are filled in", c->sz - 1);
	memcpy(c->out + c->o, v, len);
	c->o += len;
	c->out[c->o] = '\0';
	return 0;
}

int
wf_expand(const char *what, const char *tmpl, const struct wf_vars *vars,
    char *out, size_t outsz, struct pb_err *e)
{
	struct exp_ctx c = { vars, out, outsz, 0 };

	if (outsz == 0)
		return pb_refuse(e, what, tmpl, "has no room");
	out[0] = '\0';
	return walk(what, tmpl, exp_one, &c, e);
}
