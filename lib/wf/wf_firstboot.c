/* wf_firstboot.c: render the first-boot files of an image install
 * (pure).  Every value was validated against a character set that has
 * no quote, backslash or newline, so quoting it in TOML or YAML with
 * double quotes is exact; nothing here escapes, by design. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/sbuf.h"
#include "wf/wf_firstboot.h"

/* Append {partition, path, mode, content_b64} for text to files. */
static int
add_file(json_t *files, const char *path, const char *mode,
    const struct pb_sbuf *text, struct pb_err *e)
{
	size_t n = text->len, blen = sodium_base64_ENCODED_LEN(n,
	    sodium_base64_VARIANT_ORIGINAL);
	char *b64;
	json_t *f;
	int rc = -1;

	if (text->oom)
		return pb_fail(e, "first-boot files: out of memory");
	if ((b64 = malloc(blen)) == NULL)
		return pb_fail(e, "first-boot files: out of memory");
	sodium_bin2base64(b64, blen, (const unsigned char *)(text->s ?
	    text->s : ""), n, sodium_base64_VARIANT_ORIGINAL);
	f = json_pack("{s:s, s:s, s:s, s:s}", "partition", "boot", "path",
	    path, "mode", mode, "content_b64", b64);
	if (f == NULL || json_array_append_new(files, f) == -1)
		pb_fail(e, "first-boot files: out of memory");
	else
		rc = 0;
	free(b64);
	return rc;
}

/* Raspberry Pi OS 12: userconf-pi reads userconf.txt (user:hash) and
 * names the first user; raspberrypi-sys-mods' firstboot hands
 * custom.toml to init_config (hostname, sshd, authorized keys). */
static int
raspios(const struct wf_fb *fb, json_t *files, struct pb_err *e)
{
	struct pb_sbuf b = { NULL, 0, 0, 0 };
	size_t i;
	int rc = -1;

	if (fb->user != NULL) {
		/* "*" matches no password: key login only, and unlike "!"
		 * it does not read as a locked account to sshd. */
		pb_sbuf_printf(&b, "%s:%s\n", fb->user, fb->password_hash ?
		    fb->password_hash : "*");
		if (add_file(files, "userconf.txt", "0644", &b, e) == -1)
			goto out;
		b.len = 0;
	}
	if (fb->hostname == NULL && !fb->enable_ssh && fb->user == NULL) {
		rc = 0;
		goto out;
	}
	pb_sbuf_printf(&b, "# PureBoot-Pi: first-boot settings for node %s "
	    "(workflow %s),\n# applied once by Raspberry Pi OS's firstboot "
	    "(init_config).\nconfig_version = 1\n", fb->node_id,
	    fb->workflow_id);
	if (fb->hostname != NULL)
		pb_sbuf_printf(&b, "\n[system]\nhostname = \"%s\"\n", fb->hostname);
	if (fb->enable_ssh || fb->nkeys > 0) {
		pb_sbuf_printf(&b, "\n[ssh]\nenabled = %s\npassword_authentication "
		    "= %s\n", fb->enable_ssh ? "true" : "false",
		    fb->password_auth ? "true" : "false");
		if (fb->nkeys > 0) {
			pb_sbuf_printf(&b, "authorized_keys = [\n");
			for (i = 0; i < fb->nkeys; i++)
				pb_sbuf_printf(&b, "  \"%s\",\n", fb->keys[i]);
			pb_sbuf_printf(&b, "]\n");
		}
	}
	rc = add_file(files, "custom.toml", "0644", &b, e);
out:
	free(b.s);
	return rc;
}

/* The first-boot report, run once by cloud-init's runcmd (after the
 * workflow's own commands).  The agent left a curl config with the
 * events URL and the install token on the boot partition
 * (WF_FB_REPORT_FILE, wf_firstboot_report); FAT has no modes and is
 * readable by all, so the config moves to /run (tmpfs, mode 600 by the
 * umask) before use and is removed after, sent or not.  The token is
 * never on a command line or in a log.  A 4xx other than 408/429
 * (the token ended or expired) is final; the rest is retried for five
 * minutes.  Static text: no value of the workflow is in it. */
static const char report_script[] =
    "      #!/bin/sh\n"
    "      # PureBoot-Pi: tell the server this system booted (first_boot), once.\n"
    "      set -u\n"
    "      src=/boot/firmware/" WF_FB_REPORT_FILE "\n"
    "      cfg=/run/pureboot/first-boot\n"
    "      if [ ! -f \"$src\" ]; then\n"
    "        echo \"pureboot: no $src: first_boot not reported\"\n"
    "        exit 0\n"
    "      fi\n"
    "      umask 077\n"
    "      mkdir -p /run/pureboot\n"
    "      cp \"$src\" \"$cfg\" || exit 1\n"
    "      trap 'rm -f \"$cfg\"' EXIT\n"
    "      rm -f \"$src\"\n"
    "      i=1\n"
    "      while [ \"$i\" -le 30 ]; do\n"
    "        code=$(curl -sS -o /dev/null -w '%{http_code}' --connect-timeout 10 -m 30 -K \"$cfg\") || code=000\n"
    "        case $code in\n"
    "        2[0-9][0-9]) echo \"pureboot: first_boot reported\"; exit 0 ;;\n"
    "        000 | 408 | 429 | 5[0-9][0-9]) ;;\n"
    "        *) echo \"pureboot: first_boot refused (HTTP $code)\"; exit 1 ;;\n"
    "        esac\n"
    "        sleep 10\n"
    "        i=$((i + 1))\n"
    "      done\n"
    "      echo \"pureboot: first_boot not reported: no answer from the server\"\n"
    "      exit 1\n";

/* cloud-init's NoCloud source on the FAT partition: Ubuntu's raspi
 * images look for it by the label system-boot, Raspberry Pi OS 13 in
 * /boot/firmware; both read meta-data, user-data and network-config. */
static int
cloud_init(const struct wf_fb *fb, json_t *files, struct pb_err *e)
{
	struct pb_sbuf b = { NULL, 0, 0, 0 };
	size_t i;
	int rc = -1;

	pb_sbuf_printf(&b, "instance-id: pureboot-%s\n", fb->node_id);
	if (fb->hostname != NULL)
		pb_sbuf_printf(&b, "local-hostname: %s\n", fb->hostname);
	if (add_file(files, "meta-data", "0644", &b, e) == -1)
		goto out;

	b.len = 0;
	pb_sbuf_printf(&b, "#cloud-config\n# PureBoot-Pi: node %s, workflow %s\n",
	    fb->node_id, fb->workflow_id);
	if (fb->hostname != NULL)
		pb_sbuf_printf(&b, "hostname: %s\npreserve_hostname: false\n"
		    "manage_etc_hosts: true\n", fb->hostname);
	if (fb->user != NULL) {
		pb_sbuf_printf(&b, "users:\n  - name: %s\n    groups: [adm, dialout, "
		    "plugdev, sudo, video]\n    shell: /bin/bash\n", fb->user);
		/* Without a password, sudo could never be used. */
		if (fb->password_hash != NULL)
			pb_sbuf_printf(&b, "    sudo: \"ALL=(ALL) ALL\"\n    "
			    "lock_passwd: false\n    hashed_passwd: \"%s\"\n",
			    fb->password_hash);
		else
			pb_sbuf_printf(&b, "    sudo: \"ALL=(ALL) NOPASSWD:ALL\"\n"
			    "    lock_passwd: true\n");
		if (fb->nkeys > 0)
			pb_sbuf_printf(&b, "    ssh_authorized_keys:\n");
		for (i = 0; i < fb->nkeys; i++)
			pb_sbuf_printf(&b, "      - \"%s\"\n", fb->keys[i]);
	}
	if (fb->enable_ssh)
		pb_sbuf_printf(&b, "ssh_pwauth: %s\n", fb->password_auth ? "true" :
		    "false");
	if (fb->timezone != NULL)
		pb_sbuf_printf(&b, "timezone: \"%s\"\n", fb->timezone);
	if (fb->resize_rootfs)
		pb_sbuf_printf(&b, "growpart:\n  mode: auto\n  devices: [\"/\"]\n"
		    "resize_rootfs: true\n");
	if (fb->npkgs > 0) {
		pb_sbuf_printf(&b, "package_update: true\npackages:\n");
		for (i = 0; i < fb->npkgs; i++)
			pb_sbuf_printf(&b, "  - \"%s\"\n", fb->pkgs[i]);
	}
	/* The report is the last command: first_boot says the system came
	 * up and cloud-init ran its steps (docs/agent-contract.md). */
	pb_sbuf_printf(&b, "write_files:\n  - path: %s\n    owner: "
	    "\"root:root\"\n    permissions: \"0700\"\n    content: |\n",
	    WF_FB_REPORT_SCRIPT);
	pb_sbuf_printf(&b, "%s", report_script);
	pb_sbuf_printf(&b, "runcmd:\n");
	for (i = 0; i < fb->nscripts; i++) {
		const char *a = fb->scripts[i].args, *sp;

		/* argv lists: no value is ever parsed by a shell.  The one
		 * shell line is fixed; the checksum, file and arguments are
		 * its positional parameters.  cloud-init runs the runcmd
		 * lines one after another whatever each exits with, so the
		 * check must guard the run in the same command. */
		pb_sbuf_printf(&b, "  - [\"curl\", \"-fsSL\", \"--retry\", \"5\", "
		    "\"-o\", \"/run/pureboot-step-%zu\", \"%s\"]\n", i + 1,
		    fb->scripts[i].url);
		if (fb->scripts[i].sha256 != NULL)
			pb_sbuf_printf(&b, "  - [\"sh\", \"-c\", '%s', "
			    "\"pureboot-step\", \"%s\", \"/run/pureboot-step-%zu\"",
			    WF_FB_CHECK_AND_RUN, fb->scripts[i].sha256, i + 1);
		else
			pb_sbuf_printf(&b, "  - [\"sh\", \"/run/pureboot-step-%zu\"",
			    i + 1);
		while (*a != '\0') {
			sp = strchr(a, ' ');
			pb_sbuf_printf(&b, ", \"%.*s\"", (int)(sp ? (size_t)(sp - a) :
			    strlen(a)), a);
			a = sp ? sp + 1 : a + strlen(a);
		}
		pb_sbuf_printf(&b, "]\n");
	}
	pb_sbuf_printf(&b, "  - [\"%s\"]\n", WF_FB_REPORT_SCRIPT);
	if (add_file(files, "user-data", "0644", &b, e) == -1)
		goto out;

	b.len = 0;
	pb_sbuf_printf(&b, "version: 2\nethernets:\n  %s:\n    dhcp4: true\n"
	    "    optional: true\n", fb->iface);
	rc = add_file(files, "network-config", "0644", &b, e);
out:
	free(b.s);
	return rc;
}

json_t *
wf_firstboot_files(const struct wf_fb *fb, struct pb_err *e)
{
	struct pb_sbuf empty = { NULL, 0, 0, 0 };
	json_t *files;
	int rc;

	if ((files = json_array()) == NULL) {
		pb_fail(e, "first-boot files: out of memory");
		return NULL;
	}
	/* An empty "ssh" turns sshd on in Raspberry Pi OS (sshswitch)
	 * whichever way the rest is configured; other systems ignore it. */
	if (fb->enable_ssh && add_file(files, "ssh", "0644", &empty, e) == -1)
		goto fail;
	rc = fb->family == WF_FB_CLOUD_INIT ? cloud_init(fb, files, e) :
	    raspios(fb, files, e);
	if (rc == 0)
		return files;
fail:
	json_decref(files);
	return NULL;
}

/* A curl config value in double quotes: no quote, backslash, control
 * byte or non-ASCII byte, so nothing needs escaping. */
static int
curl_value_ok(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20 ||
		    (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

int
wf_firstboot_report(json_t *files, const char *events_url,
    const char *token, struct pb_err *e)
{
	struct pb_sbuf b = { NULL, 0, 0, 0 };
	const char *path;
	json_t *f;
	size_t i;
	int cloud = 0, rc;

	json_array_foreach(files, i, f) {
		path = json_string_value(json_object_get(f, "path"));
		if (path != NULL && strcmp(path, "user-data") == 0)
			cloud = 1;
	}
	if (!cloud)
		return 0;
	if (!curl_value_ok(events_url) || !curl_value_ok(token))
		return pb_fail(e, "first-boot report: the events URL or the "
		    "token has a byte a curl config cannot hold");
	pb_sbuf_printf(&b, "# PureBoot-Pi: the first_boot report of this "
	    "node (a secret: the install token)\nurl = \"%s\"\nrequest = "
	    "\"POST\"\nheader = \"Authorization: Bearer %s\"\nheader = "
	    "\"Content-Type: application/json\"\ndata = "
	    "\"{\\\"type\\\":\\\"first_boot\\\"}\"\n", events_url, token);
	rc = add_file(files, WF_FB_REPORT_FILE, "0600", &b, e);
	sodium_memzero(b.s, b.cap);
	free(b.s);
	return rc;
}
