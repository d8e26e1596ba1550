/* wf_firstboot.h: the first-boot files of an image install, as data.
 * The API sends them with the install instructions; the deploy agent
 * only writes them to the FAT boot partition (initramfs/agent/
 * firstboot.sh).  What each OS reads, and why, is in docs/workflows.md.
 * Pure: every value in here has been resolved and validated. */
#ifndef PB_WF_FIRSTBOOT_H
#define PB_WF_FIRSTBOOT_H

#include <stddef.h>

#include <jansson.h>

#include "core/err.h"

#define WF_FB_MAX_KEYS 32
#define WF_FB_MAX_PKGS 64
#define WF_FB_MAX_SCRIPTS 32

enum wf_fb_family {
	WF_FB_RASPIOS,		/* ssh, userconf.txt, custom.toml */
	WF_FB_CLOUD_INIT	/* ssh, meta-data, user-data, network-config */
};

struct wf_fb_script {
	const char *url;
	const char *args;	/* "" when none */
	const char *sha256;	/* lower-case; NULL: none (older definitions) */
};

/* The fixed shell line of a first-boot script step, as a YAML
 * single-quoted scalar holds it (no single quote inside): $1 the
 * sha256, $2 the downloaded file, then the script's arguments.  A
 * file that is missing or differs is never run. */
#define WF_FB_CHECK_AND_RUN "echo \"$1  $2\" | sha256sum -c --quiet - || " \
	"{ echo \"pureboot: $2: sha256 mismatch, not run\" >&2; exit 1; }; " \
	"f=$2; shift 2; exec sh \"$f\" \"$@\""

/* What the post_install steps ask for, resolved for one node. */
struct wf_fb {
	enum wf_fb_family family;
	const char *workflow_id, *node_id;
	const char *hostname;		/* set_hostname; NULL: not set */
	int enable_ssh, password_auth;
	const char *user;		/* ssh_keys; NULL: no user step */
	const char *password_hash;	/* NULL: password locked */
	size_t nkeys;
	const char *keys[WF_FB_MAX_KEYS];
	const char *iface, *timezone;	/* cloud_init; timezone may be NULL */
	int resize_rootfs;
	size_t npkgs;
	const char *pkgs[WF_FB_MAX_PKGS];
	size_t nscripts;
	struct wf_fb_script scripts[WF_FB_MAX_SCRIPTS];
};

/* The first-boot report (cloud-init family): user-data writes this
 * script and runs it last; it reads WF_FB_REPORT_FILE from the boot
 * partition (docs/agent-contract.md, "The first boot"). */
#define WF_FB_REPORT_SCRIPT "/usr/local/lib/pureboot/first-boot"
#define WF_FB_REPORT_FILE "pureboot-first-boot"

/* The files as a JSON array of {partition, path, mode, content_b64}
 * (a new reference), in the order they are to be written. */
json_t *wf_firstboot_files(const struct wf_fb *fb, struct pb_err *e);

/* When files are cloud-init's (a user-data among them), append
 * WF_FB_REPORT_FILE: a curl config that POSTs {"type":"first_boot"} to
 * events_url with token.  Only for the holder of the install token
 * (GET /nodes/{id}/install): the token is its own.  0 (nothing added
 * for other files), or -1 with the reason, which never holds the
 * token. */
int wf_firstboot_report(json_t *files, const char *events_url,
    const char *token, struct pb_err *e);

#endif
