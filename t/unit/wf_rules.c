/* Unit tests for lib/wf/wf_rules.c: every value rule of workflow files
 * (those shared with the renderers: t/unit/chars.c), and
 * variable references, table-driven.  ok 0: must be refused, with the
 * sentence RULE "VALUE" WHY (pb_refuse's grammar). */
#include <stdio.h>

#include "core/err.h"
#include "wf/wf_rules.h"
#include "tap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

typedef int rule_fn(const char *what, const char *s, struct pb_err *e);

#define ED "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKY8KN2blp860xz/mBlQaK9FcMrh8hiFsVWBj6eCdhAA"
#define RSA "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCowQ5xhZtjw68KJFR+dPNF"

static const struct rcase {
	const char *rule;
	rule_fn *fn;
	const char *in;
	int ok;
	const char *why;	/* the reason, when refused */
} cases[] = {
	{ "id", wf_check_id, "pi-raspios-lite", 1, NULL },
	{ "id", wf_check_id, "0abc", 1, NULL },
	{ "id", wf_check_id, "-abc", 0, "is not lower-case letters, digits and '-', starting with a letter or digit" },
	{ "id", wf_check_id, "", 0, "is not 1 to 63 characters" },
	{ "name", wf_check_name, "Ubuntu 24.04 \xc3\xbc", 1, NULL },
	{ "name", wf_check_name, "a\xc2\x85" "b", 0, "contains a C1 control character" },
	{ "name", wf_check_name, "a\nb", 0, "contains control byte 0x0a" },
	{ "url", wf_check_url, "http://server/images/x.img.xz", 1, NULL },
	{ "url", wf_check_url, "https://192.168.1.10:8443/a/b?c=d&e=f#g", 1, NULL },
	{ "url", wf_check_url, "http://[fe80::1]:80/x", 1, NULL },
	{ "url", wf_check_url, "http://server", 1, NULL },
	{ "url", wf_check_url, "http://a:8080?x=1", 0, "has something other than a path after the host" },
	{ "url", wf_check_url, "http://a/ubuntu-24.04.3-preinstalled-server-arm64+raspi.img.xz", 1, NULL },
	{ "url", wf_check_url, "http://[fe80::1/x", 0, "has an unterminated [IPv6] host" },
	{ "url", wf_check_url, "http://[1.2.3.4]/x", 0, "has an invalid [IPv6] host" },
	{ "url", wf_check_url, "http://-a/x", 0, "has a host name that is not dot-separated labels of letters, digits and '-'" },
	{ "url", wf_check_url, "http://a./x", 0, "has a host name ending in '.'" },
	{ "url", wf_check_url, "http://a:0/x", 0, "has a port that is not 1 to 65535" },
	{ "url", wf_check_url, "http://a/x\ty", 0, "contains whitespace, which is not allowed in a URL" },
	{ "url", wf_check_url, "http://a/x\\y", 0, "contains '\\', which is not allowed in a URL" },
	{ "url", wf_check_url, "http://a/x;y", 0, "contains ';', which is not allowed in a URL" },
	{ "url", wf_check_url, "http://a/x%2", 0, "has a '%' that is not followed by two hex digits" },
	{ "url", wf_check_url, "http://a/x%2f", 1, NULL },
	{ "url", wf_check_url, "HTTP://a/x", 0, "is not an http:// or https:// URL" },
	{ "url", wf_check_url, "http://a/\xc3\xa9", 0, "contains non-ASCII byte 0xc3, which is not allowed in a URL" },
	{ "sha256", wf_check_sha256, "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", 1, NULL },
	{ "sha256", wf_check_sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85", 0, "is not 64 hex digits" },
	{ "device", wf_check_device, "/dev/mmcblk0", 1, NULL },
	{ "device", wf_check_device, "/dev/nvme0n1", 1, NULL },
	{ "device", wf_check_device, "/dev/sdz", 1, NULL },
	{ "device", wf_check_device, "/dev/vda", 1, NULL },
	{ "device", wf_check_device, "auto", 1, NULL },
	{ "device", wf_check_device, "/dev/mmcblk", 0, "is not /dev/mmcblkN, /dev/nvmeNnN, /dev/sdX, /dev/vdX (a whole disk) or auto" },
	{ "device", wf_check_device, "/dev/nvme0n1p1", 0, "is not /dev/mmcblkN, /dev/nvmeNnN, /dev/sdX, /dev/vdX (a whole disk) or auto" },
	{ "device", wf_check_device, "/dev/sdA", 0, "is not /dev/mmcblkN, /dev/nvmeNnN, /dev/sdX, /dev/vdX (a whole disk) or auto" },
	{ "device", wf_check_device, "/dev/sda\n", 0, "is not /dev/mmcblkN, /dev/nvmeNnN, /dev/sdX, /dev/vdX (a whole disk) or auto" },
	{ "args", wf_check_args, "", 1, NULL },
	{ "args", wf_check_args, "--server https://k3s:6443 --node-name pi-1", 1, NULL },
	{ "args", wf_check_args, " --x", 0, "has a leading, trailing or double space" },
	{ "args", wf_check_args, "--x  --y", 0, "has a leading, trailing or double space" },
	{ "args", wf_check_args, "a|b", 0, "contains '|', which is not allowed in arguments" },
	{ "args", wf_check_args, "a>b", 0, "contains '>', which is not allowed in arguments" },
	{ "hostname", wf_check_hostname, "Node-01", 1, NULL },
	{ "hostname", wf_check_hostname, "node.lan", 0, "is not a host name (one label of letters, digits and '-', at most 63)" },
	{ "user", wf_check_user, "pi", 1, NULL },
	{ "user", wf_check_user, "1pi", 0, "is not a user name (a lower-case letter, then up to 31 lower-case letters, digits, '-')" },
	{ "ssh key", wf_check_ssh_key, ED, 1, NULL },
	{ "ssh key", wf_check_ssh_key, ED " op@example.com", 1, NULL },
	{ "ssh key", wf_check_ssh_key, ED " a comment, with: punctuation", 1, NULL },
	{ "ssh key", wf_check_ssh_key, "ssh-ed25519", 0, "has no key data after the type" },
	{ "ssh key", wf_check_ssh_key, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKY8", 0, "has key data that is not a ssh-ed25519 key" },
	{ "ssh key", wf_check_ssh_key, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAHwABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4=", 0, "has key data that is not a complete ssh-ed25519 key" },
	{ "ssh key", wf_check_ssh_key, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKY8=KN2b", 0, "has key data that is not base64" },
	{ "ssh key", wf_check_ssh_key, RSA, 0, "has key data that is not a ssh-rsa key" },
	{ "ssh key", wf_check_ssh_key, ED " $(id)", 0, "contains '$', which is not allowed in an SSH public key" },
	{ "ssh key", wf_check_ssh_key, ED "\nssh-rsa", 0, "contains control byte 0x0a, which is not allowed in an SSH public key" },
	{ "password hash", wf_check_password_hash, "$6$saltsalt$Zs2Qb9m7yN0B1qTz5yZxW.", 1, NULL },
	{ "password hash", wf_check_password_hash, "$y$j9T$abc$def", 1, NULL },
	{ "password hash", wf_check_password_hash, "$6$a:b$c", 0, "is not a crypt(3) hash such as $6$salt$hash or $y$..." },
	{ "package", wf_check_package, "libc6-dev", 1, NULL },
	{ "package", wf_check_package, "g++", 1, NULL },
	{ "package", wf_check_package, "-y", 0, "is not a Debian package name (lower-case letters, digits, '+', '.', '-')" },
	{ "nfs_options", wf_check_nfs_options, "vers=4.2,proto=tcp,port=2049", 1, NULL },
	{ "nfs_options", wf_check_nfs_options, "vers@=3,tcp", 0, "contains '@', which is not allowed in NFS mount options" },
	{ "nfs_options", wf_check_nfs_options, "a+b", 0, "contains '+', which is not allowed in NFS mount options" },
	{ "nfs_options", wf_check_nfs_options, "", 0, "is not 1 to 255 characters" },
	{ "iface", wf_check_iface, "end0", 1, NULL },
	{ "iface", wf_check_iface, "eth0.10", 0, "is not an interface name (a letter, then letters and digits, at most 15)" },
	{ "timezone", wf_check_timezone, "America/Argentina/Buenos_Aires", 1, NULL },
	{ "timezone", wf_check_timezone, "Etc/GMT+1", 1, NULL },
	{ "timezone", wf_check_timezone, "/etc/shadow", 0, "is not a time zone name such as Europe/Berlin or UTC" },
	{ "varname", wf_check_varname, "k3s_server", 1, NULL },
	{ "varname", wf_check_varname, "k3s-server", 0, "is not a variable name (a lower-case letter, then up to 31 lower-case letters, digits, '_')" },
};

static const char *const names[] = { "serial", "mac", "hostname", "node_id",
	"server", "image" };
static const char *const values[] = { "d83add36", "dc:a6:32:01:02:03",
	"node-7", "0b8e2c1a-1234-4abc-8def-0123456789ab", "http://pb:8080",
	"disk.img.zst" };

static const struct xcase {
	const char *in;
	int allow_user;
	const char *want;	/* expanded, or the reason */
	int ok;
} xcases[] = {
	{ "${server}/images/${image}", 1, "http://pb:8080/images/disk.img.zst", 1 },
	{ "pi-${serial}", 0, "pi-d83add36", 1 },
	{ "no variables", 0, "no variables", 1 },
	{ "${image}", 0, "uses ${image}; only ${serial}, ${mac}, ${hostname}, ${node_id} and ${server} may be used here", 0 },
	{ "${nope}", 1, "uses ${nope}, which is neither a built-in variable nor defined under variables", 0 },
	{ "${server", 1, "has an unterminated '${'", 0 },
	{ "${}", 1, "has an empty or overlong variable name in '${...}'", 0 },
	{ "${Server}", 1, "has '${Server}', which is not a variable name", 0 },
	/* found by fuzz/workflow.c: the name went into the reason as it was */
	{ "${a\tb}", 1, "has '${a\\x09b}', which is not a variable name", 0 },
	{ "cost: $5", 1, "has a '$' not followed by '{'; variables are written ${name}", 0 },
};

int
main(void)
{
	struct wf_vars v;
	struct pb_err e;
	char name[400], out[256], want[600], q[256];
	size_t i;
	int rc;

	for (i = 0; i < N(cases); i++) {
		e.msg[0] = '\0';
		rc = cases[i].fn(cases[i].rule, cases[i].in, &e);
		pb_quote(out, sizeof(out), cases[i].in, 60);
		snprintf(name, sizeof(name), "%s \"%s\" %s", cases[i].rule,
		    out, cases[i].ok ? "accepted" : "refused");
		snprintf(want, sizeof(want), "%s \"%s\" %s", cases[i].rule,
		    out, cases[i].why ? cases[i].why : "");
		if (cases[i].ok)
			tap_ok(rc == 0, name);
		else
			tap_is(rc == -1 ? e.msg : "(accepted)", want, name);
	}
	v.n = N(names);
	for (i = 0; i < v.n; i++) {
		v.name[i] = names[i];
		v.value[i] = values[i];
	}
	for (i = 0; i < N(xcases); i++) {
		snprintf(name, sizeof(name), "variables in \"%s\"", xcases[i].in);
		rc = wf_refs_check("", xcases[i].in, &v, xcases[i].allow_user,
		    &e);
		if (rc == 0)
			rc = wf_expand("", xcases[i].in, &v, out, sizeof(out), &e);
		pb_quote(q, sizeof(q), xcases[i].in, 60);
		snprintf(want, sizeof(want), "\"%s\" %s", q, xcases[i].want);
		tap_is(rc == 0 ? out : e.msg, xcases[i].ok ? xcases[i].want :
		    want, name);
		if (!xcases[i].ok)
			tap_ok(rc == -1, "  ... and refused");
	}
	rc = wf_expand("", "${server}/${server}/${server}", &v, out, 20, &e);
	tap_is(rc == -1 ? e.msg : out, "\"${server}/${server}/${server}\" is "
	    "longer than 19 characters once its variables are filled in",
	    "expansion that does not fit is refused");
	tap_is(rc == -1 ? e.msg + e.reason : out, "is longer than 19 "
	    "characters once its variables are filled in",
	    "  ... and e.reason points at the reason");
	v.n = 4;	/* no server */
	rc = wf_expand("image_url", "${server}/x", &v, out, sizeof(out), &e);
	tap_is(rc == -1 ? e.msg : out, "image_url \"${server}/x\" uses "
	    "${server}, which has no value for this node",
	    "a variable without a value is refused");
	return tap_done();
}
