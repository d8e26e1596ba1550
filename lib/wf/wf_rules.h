/* wf_rules.h: the value rules of workflow files, shared by the loader
 * (lib/wf_schema.c) and the per-node resolver (lib/wf/wf_instructions.c),
 * so that a value is checked the same way in the file and once its
 * variables are filled in.  Pure.
 *
 * Each check returns 0, or -1 with a whole sentence in e, the one
 * grammar of lib/core/err.h (pb_refuse): WHAT "VALUE" REASON.  The
 * loader passes what "" (its "file:line:column: key: " names the
 * value): "\"ftp://x\" is not an http:// or https:// URL".
 *
 * Hosts, paths, file names and command-line words are checked by
 * lib/core/chars.h (pb_check_host, pb_check_abspath, pb_check_filename,
 * pb_check_cmdword), the same functions the renderers use. */
#ifndef PB_WF_RULES_H
#define PB_WF_RULES_H

#include <stddef.h>

#include "core/chars.h"
#include "core/err.h"

#define WF_MAX_URL 1024
#define WF_MAX_VARS 32
/* install_method script: script_timeout, seconds */
#define WF_SCRIPT_TIMEOUT_MAX 86400
#define WF_SCRIPT_TIMEOUT_DEFAULT 3600

int wf_check_id(const char *what, const char *s, struct pb_err *e);
int wf_check_name(const char *what, const char *s, struct pb_err *e);
/* http:// or https://, a host, an optional port, then a path and query
 * of [A-Za-z0-9._~:/?#@&+,=%-] only: no whitespace, quote, '$', ';'. */
int wf_check_url(const char *what, const char *s, struct pb_err *e);
/* 64 hex digits, either case. */
int wf_check_sha256(const char *what, const char *s, struct pb_err *e);
/* /dev/mmcblk[0-9], /dev/nvme[0-9]n[0-9], /dev/sd[a-z], /dev/vd[a-z], auto */
int wf_check_device(const char *what, const char *s, struct pb_err *e);
/* Words of PB_CMDWORD separated by single spaces (script arguments). */
int wf_check_args(const char *what, const char *s, struct pb_err *e);
/* An RFC 1123 label (pb_hostname_parse, which lower-cases). */
int wf_check_hostname(const char *what, const char *s, struct pb_err *e);
/* A login name: [a-z][a-z0-9-]{0,31}, not root. */
int wf_check_user(const char *what, const char *s, struct pb_err *e);
/* An OpenSSH public key line: known type, base64 blob of that type,
 * optional comment of [A-Za-z0-9._@:+=,/ -]. */
int wf_check_ssh_key(const char *what, const char *s, struct pb_err *e);
/* A crypt(3) hash: $id$... of [A-Za-z0-9./$]. */
int wf_check_password_hash(const char *what, const char *s, struct pb_err *e);
/* A Debian package name. */
int wf_check_package(const char *what, const char *s, struct pb_err *e);
/* NFS mount options: 1 to 255 of [A-Za-z0-9.,=_:/-], the set the
 * agent takes as PB_NFS_OPTIONS (docs/agent-contract.md), which is
 * also a cmdline.txt word.  Not pb_check_cmdword: its '@' and '+'
 * passed the loader, then had no env form, so the API could not
 * serve such a node its boot answer (found by fuzz/workflow.c). */
int wf_check_nfs_options(const char *what, const char *s, struct pb_err *e);
/* A network interface name. */
int wf_check_iface(const char *what, const char *s, struct pb_err *e);
/* A tz database name (Europe/Berlin, UTC). */
int wf_check_timezone(const char *what, const char *s, struct pb_err *e);
/* A workflow variable name: [a-z][a-z0-9_]{0,31}. */
int wf_check_varname(const char *what, const char *s, struct pb_err *e);

/* The variables every node has. */
extern const char *const wf_builtin_vars[];	/* NULL-terminated */
int wf_is_builtin_var(const char *name);

/* Variable values for one expansion: names and values are borrowed. */
struct wf_vars {
	size_t n;
	const char *name[WF_MAX_VARS + 8];
	const char *value[WF_MAX_VARS + 8];
};

/* Check the ${name} references in tmpl: well-formed, and each names a
 * builtin, or (when allow_user) a key of vars.  Only the syntax and
 * the names are checked, never the values. */
int wf_refs_check(const char *what, const char *tmpl,
    const struct wf_vars *vars, int allow_user, struct pb_err *e);
/* 1 if tmpl contains a "${". */
int wf_has_refs(const char *tmpl);
/* Substitute every ${name} of tmpl from vars into out.  A name without
 * a value, or a result that does not fit, is an error. */
int wf_expand(const char *what, const char *tmpl, const struct wf_vars *vars,
    char *out, size_t outsz, struct pb_err *e);

#endif
