/* Unit tests for the hook's NFS side (pure parts): which states keep a
 * node's directory (nfsplan.c), the plan of a row, the client spec and
 * the exports in both forms (exports.c), the ssh host key's OpenSSH
 * texts (sshkey.c; the expected key is the one ssh-keygen -y derives
 * from the private text, checked once by hand and in t/0610). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "exports.h"
#include "nfsplan.h"
#include "sshkey.h"
#include "tap.h"

#define ROOT "/srv/nfsroot"
#define WF(base) "{\"id\":\"w\",\"name\":\"w\",\"arch\":\"aarch64\"," \
	"\"install_method\":\"nfs\",\"nfs_server\":\"10.0.0.1\"," \
	"\"nfs_base_path\":\"" base "\",\"nfs_image\":\"tiny\"}"
#define ID "0b2c6f5e-3d4a-4c1b-9e8f-7a6b5c4d3e2f"

static void
states(void)
{
	static const struct { const char *s; int want; } cases[] = {
		{ "discovered", 0 }, { "pending", 1 }, { "installing", 1 },
		{ "install_failed", 1 }, { "installed", 1 }, { "active", 1 },
		{ "reprovision", 0 }, { "deprovisioning", 0 },
		{ "migrating", 1 }, { "serving_source", 1 },
		{ "cloning_target", 1 }, { "retired", 0 }, { "bogus", -1 },
	};
	char what[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(what, sizeof(what), "state %s: keeps %d", cases[i].s,
		    cases[i].want);
		tap_ok(nfs_state_keeps(cases[i].s) == cases[i].want, what);
	}
}

static const char *
kind_name(enum nfs_kind k)
{
	switch (k) {
	case NFS_NONE: return "none";
	case NFS_SKIP: return "skip";
	case NFS_NODE: return "node";
	case NFS_DEPROV: return "deprov";
	}
	return "?";
}

static void
plans(void)
{
	static const struct {
		const char *name, *state, *serial, *hostname, *addr, *method;
		const char *def, *epoch, *want, *host;
	} cases[] = {
		{ "installed: its directory, named after its serial", "installed",
		  "e1000001", NULL, "10.0.2.11", "nfs", WF(ROOT "/base"), "7",
		  "node", "pi-e1000001" },
		{ "a hostname of its own", "active", "e1000001", "worker-1", NULL,
		  "nfs", WF(ROOT "/base"), "7", "node", "worker-1" },
		{ "not an nfs workflow", "installed", "e1000001", NULL, NULL,
		  "image", WF(ROOT "/base"), "7", "none", NULL },
		{ "reprovision", "reprovision", "e1000001", NULL, NULL, "nfs",
		  WF(ROOT "/base"), "7", "none", NULL },
		{ "deprovisioning", "deprovisioning", "e1000001", NULL, NULL,
		  "nfs", WF(ROOT "/base"), "7", "deprov", NULL },
		{ "a base elsewhere", "installed", "e1000001", NULL, NULL, "nfs",
		  WF("/srv/other/base"), "7", "skip", NULL },
		{ "a base beside the root", "installed", "e1000001", NULL, NULL,
		  "nfs", WF(ROOT "/based"), "7", "skip", NULL },
		{ "a base deeper down", "installed", "e1000001", NULL, NULL,
		  "nfs", WF(ROOT "/base/x"), "7", "skip", NULL },
		{ "an upper-case hostname", "installed", "e1000001", "Worker",
		  NULL, "nfs", WF(ROOT "/base"), "7", "skip", NULL },
		{ "a bad serial", "installed", "E1000001", NULL, NULL, "nfs",
		  WF(ROOT "/base"), "7", "skip", NULL },
		{ "no epoch", "installed", "e1000001", NULL, NULL, "nfs",
		  WF(ROOT "/base"), NULL, "skip", NULL },
		{ "a definition that is not JSON", "installed", "e1000001", NULL,
		  NULL, "nfs", "{", "7", "skip", NULL },
	};
	struct nfs_plan p;
	struct nfs_row r;
	char what[128];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&r, 0, sizeof(r));
		r.id = ID;
		r.state = cases[i].state;
		r.serial = cases[i].serial;
		r.hostname = cases[i].hostname;
		r.addr = cases[i].addr;
		r.install_method = cases[i].method;
		r.definition = cases[i].def;
		r.epoch = cases[i].epoch;
		nfs_plan_node(ROOT, "http://10.0.0.1:8080", &r, &p);
		snprintf(what, sizeof(what), "plan: %s", cases[i].name);
		tap_is(kind_name(p.kind), cases[i].want, what);
		if (cases[i].host != NULL) {
			snprintf(what, sizeof(what), "plan: %s: hostname",
			    cases[i].name);
			tap_is(p.ni.hostname, cases[i].host, what);
		}
	}
}

static void
clients(void)
{
	static const struct { const char *spec; int ok; } cases[] = {
		{ "*", 1 }, { "10.0.0.0/8", 1 }, { "10.0.0.0/8,192.168.1.51", 1 },
		{ "fd00::/64", 1 }, { "127.0.0.1", 1 }, { "10.0.0.0/33", 0 },
		{ "10.0.0.0/08", 0 }, { "10.0.0.0/", 0 }, { "10.0.0.0/8 x", 0 },
		{ "", 0 }, { "host.lan", 0 }, { "10.0.0.1(rw)", 0 },
		{ "10.0.0.1,", 0 }, { "**", 0 }, { "1.2.3.4;", 0 },
	};
	char what[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(what, sizeof(what), "clients \"%s\" %s", cases[i].spec,
		    cases[i].ok ? "accepted" : "refused");
		tap_ok((nfs_clients_check(cases[i].spec, NULL) == 0) ==
		    cases[i].ok, what);
	}
}

static void
render(void)
{
	struct nfs_export x[2] = {
		{ ROOT "/base/tiny", "10.0.0.0/8,fd00::/64", 0, 1, "base tiny" },
		{ ROOT "/nodes/e1000001", "10.0.2.11", 1, 2, "node e1000001" },
	};
	struct pb_sbuf t;
	struct pb_err e;
	int rc;

	rc = exports_render(&t, EXPORTS_NFSD, x, 2, &e);
	tap_is(rc == 0 ? t.s : e.msg,
	    "# /etc/exports (kernel nfsd): Written by pureboot-tftp-hook from "
	    "the database (docs/diskless.md); changes here are overwritten.\n"
	    "# base tiny\n"
	    ROOT "/base/tiny 10.0.0.0/8(ro,no_root_squash,subtree_check,sec=sys)"
	    " fd00::/64(ro,no_root_squash,subtree_check,sec=sys)\n"
	    "# node e1000001\n"
	    ROOT "/nodes/e1000001 10.0.2.11(rw,no_root_squash,subtree_check,"
	    "sec=sys)\n", "exports: nfsd form");
	free(t.s);
	rc = exports_render(&t, EXPORTS_GANESHA, x + 1, 1, &e);
	tap_is(rc == 0 ? t.s : e.msg,
	    "# nfs-ganesha EXPORT blocks, for %include: Written by "
	    "pureboot-tftp-hook from the database (docs/diskless.md); changes "
	    "here are overwritten.\n\n# node e1000001\nEXPORT {\n"
	    "\tExport_Id = 2;\n\tPath = \"" ROOT "/nodes/e1000001\";\n"
	    "\tPseudo = \"" ROOT "/nodes/e1000001\";\n\tAccess_Type = None;\n"
	    "\tSquash = No_Root_Squash;\n\tSecType = sys;\n"
	    "\tProtocols = 3, 4;\n\tTransports = TCP;\n\tCLIENT {\n"
	    "\t\tClients = 10.0.2.11;\n\t\tAccess_Type = RW;\n\t}\n"
	    "\tFSAL { Name = VFS; }\n}\n", "exports: ganesha form");
	free(t.s);
	x[1].id = 1;
	tap_ok(exports_render(&t, EXPORTS_GANESHA, x, 2, &e) == -1 &&
	    strstr(e.msg, "same path or Export_Id") != NULL,
	    "exports: one Export_Id twice is refused");
	tap_ok(exports_render(&t, EXPORTS_NFSD, x, 2, &e) == 0,
	    "exports: nfsd needs no Export_Id");
	free(t.s);
	snprintf(x[1].path, sizeof(x[1].path), "%s", ROOT "/nodes/a b");
	tap_ok(exports_render(&t, EXPORTS_NFSD, x, 2, &e) == -1,
	    "exports: a path with a space never reaches the file");
	snprintf(x[1].path, sizeof(x[1].path), "%s", ROOT "/nodes/e1000001");
	snprintf(x[1].clients, sizeof(x[1].clients), "%s", "10.0.2.11(rw)");
	tap_ok(exports_render(&t, EXPORTS_NFSD, x, 2, &e) == -1,
	    "exports: a client with options never reaches the file");
	snprintf(x[1].clients, sizeof(x[1].clients), "%s", "10.0.2.11");
	snprintf(x[1].what, sizeof(x[1].what), "%s", "node\nEXPORT");
	tap_ok(exports_render(&t, EXPORTS_NFSD, x, 2, &e) == -1,
	    "exports: a newline in a comment never reaches the file");
}

static void
sshkey(void)
{
	unsigned char seed[32], pk[32], sk[64];
	char priv[SSHKEY_TEXT_MAX], pub[SSHKEY_TEXT_MAX];
	struct pb_err e;
	int i;

	for (i = 0; i < 32; i++)
		seed[i] = (unsigned char)i;
	crypto_sign_seed_keypair(pk, sk, seed);
	tap_ok(sshkey_ed25519_text(pk, sk, 0x01020304u, "root@x", priv,
	    sizeof(priv), pub, sizeof(pub), &e) == 0, "ssh key: made");
	tap_is(pub, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAOhB7/zzhC+HXDdGOdL"
	    "wJln5NYwm6UNXx3chmQSVTG4 root@x\n", "ssh key: the .pub line");
	tap_is(priv, "-----BEGIN OPENSSH PRIVATE KEY-----\n"
	    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
	    "QyNTUxOQAAACADoQe/884Qvh1w3RjnS8CZZ+TWMJulDV8d3IZkElUxuAAAAJABAgMEAQID\n"
	    "BAAAAAtzc2gtZWQyNTUxOQAAACADoQe/884Qvh1w3RjnS8CZZ+TWMJulDV8d3IZkElUxuA\n"
	    "AAAEAAAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHwOhB7/zzhC+HXDdGOdLwJln\n"
	    "5NYwm6UNXx3chmQSVTG4AAAABnJvb3RAeAECAwQFBgc=\n"
	    "-----END OPENSSH PRIVATE KEY-----\n", "ssh key: the private key text");
	tap_ok(sshkey_ed25519_text(pk, sk, 1, "root x", priv, sizeof(priv),
	    pub, sizeof(pub), &e) == -1, "ssh key: a comment with a space "
	    "is refused");
	tap_ok(sshkey_ed25519_text(pk, sk, 1, "root@x", priv, 100, pub,
	    sizeof(pub), &e) == -1, "ssh key: a buffer too small is refused");
}

int
main(void)
{
	if (sodium_init() == -1)
		return 1;
	states();
	plans();
	clients();
	render();
	sshkey();
	return tap_done();
}
