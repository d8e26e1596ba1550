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
add_file(json_t *files, const char *path, const struct pb_sbuf *text,
    struct pb_err *e)
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
	    path, "mode", "0644", "content_b64", b64);
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
		if (add_file(files, "userconf.txt", &b, e) == -1)
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
	rc = add_file(files, "custom.toml", &b, e);
out:
	free(b.s);
	return rc;
}

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
	if (add_file(files, "meta-data", &b, e) == -1)
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
	if (fb->nscripts > 0)
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
	if (add_file(files, "user-data", &b, e) == -1)
		goto out;

	b.len = 0;
	pb_sbuf_printf(&b, "version: 2\nethernets:\n  %s:\n    dhcp4: true\n"
	    "    optional: true\n", fb->iface);
	rc = add_file(files, "network-config", &b, e);
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
	if (fb->enable_ssh && add_file(files, "ssh", &empty, e) == -1)
		goto fail;
	rc = fb->family == WF_FB_CLOUD_INIT ? cloud_init(fb, files, e) :
	    raspios(fb, files, e);
	if (rc == 0)
		return files;
fail:
	json_decref(files);
	return NULL;
}
