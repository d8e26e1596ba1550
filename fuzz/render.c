/* render.c: cmdline.txt and config.txt (lib/boot/render_cmdline.c,
 * render_config.c) for any input.  Input: one byte (bit 0: config.txt,
 * else cmdline.txt; then the boot mode or section count), then fields
 * separated by NUL bytes.  Identifiers go through their own parsers
 * first, as they do in the hook: a renderer gets only validated types.
 * Properties: whenever the validators accept the values (server URL,
 * state, NFS host/path/options; relative paths, filters, comment), the
 * renderer renders, and what it renders holds each value as a word or
 * line of its own: cmdline.txt is one line of printable ASCII with
 * exactly the expected words, each pureboot.KEY=VALUE word carrying
 * its value unchanged; config.txt has exactly the expected lines, each
 * of a known shape. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/render.h"
#include "core/chars.h"
#include "core/ident.h"
#include "core/url.h"
#include "fz.h"

#define NF 12

/* The number of words of s, split at single spaces; no empty word. */
static size_t
words(const char *s)
{
	size_t n = 1;

	FZ_ASSERT(*s != ' ' && s[strlen(s) - 1] != ' ' && strstr(s, "  ") == NULL,
	    "cmdline.txt with an empty word: %s", s);
	for (; *s != '\0'; s++)
		n += *s == ' ';
	return n;
}

static void
has_word(const char *line, const char *key, const char *v)
{
	char w[1024];
	size_t n;

	n = (size_t)snprintf(w, sizeof(w), " %s=%s", key, v);
	FZ_ASSERT(n < sizeof(w), "word too long");
	/* " word " or " word" at the end: the line has a leading word. */
	FZ_ASSERT(strstr(line, w) != NULL && (line[strstr(line, w) - line + n] ==
	    ' ' || line[strstr(line, w) - line + n] == '\0'), "cmdline.txt "
	    "lacks%s: %s", w, line);
}

static int
state_ok(const char *s)
{
	return s != NULL && *s != '\0' && strlen(s) <= 64 &&
	    fz_in_set(s, PB_LOWER "_");
}

static void
cmdline(unsigned mode, char **f, size_t nf)
{
	struct pb_cmdline_in in;
	struct pb_serial s;
	struct pb_uuid id;
	struct pb_mac m;
	struct pb_hostname h;
	struct pb_err e;
	char buf[4096];
	ssize_t len;
	size_t want;
	int valid;

	if (nf < 9)
		return;
	memset(&in, 0, sizeof(in));
	in.mode = (enum pb_boot_mode)mode;
	in.server = f[0];
	in.state = f[1];
	in.serial = pb_serial_parse(&s, f[2], NULL) == 0 ? &s : NULL;
	in.node_id = pb_uuid_parse(&id, f[3], NULL) == 0 ? &id : NULL;
	in.mac = pb_mac_parse(&m, f[4], NULL) == 0 ? &m : NULL;
	in.hostname = pb_hostname_parse(&h, f[5], NULL) == 0 ? &h : NULL;
	in.nfs_server = f[6];
	in.nfs_path = f[7];
	in.nfs_options = f[8];
	valid = mode <= PB_MODE_NFS && pb_server_url_check(f[0], &e) == 0 &&
	    (mode == PB_MODE_DISCOVERY || ((in.serial != NULL ||
	    in.mac != NULL) && in.node_id != NULL && state_ok(f[1]))) &&
	    (mode != PB_MODE_NFS || (pb_check_host("", f[6], &e) == 0 &&
	    pb_check_abspath("", f[7], &e) == 0 &&
	    pb_check_cmdword("", f[8], &e) == 0));
	len = pb_render_cmdline(buf, sizeof(buf), &in, &e);
	if (len == -1) {
		fz_check_refusal(&e, "cmdline.txt");
		FZ_ASSERT(!valid, "valid values refused: %s", e.msg);
		return;
	}
	FZ_ASSERT(valid, "cmdline.txt rendered from values the validators "
	    "refuse: %s", buf);
	FZ_ASSERT((size_t)len == strlen(buf) && len > 1 && buf[len - 1] == '\n' &&
	    strchr(buf, '\n') == buf + len - 1, "not one line: %s", buf);
	buf[len - 1] = '\0';
	FZ_ASSERT(fz_printable(buf), "cmdline.txt: %s", buf);
	want = 4;
	if (mode != PB_MODE_DISCOVERY)
		want += 2 + (in.serial != NULL) + (in.mac != NULL) +
		    (in.hostname != NULL);
	if (mode == PB_MODE_NFS)
		want += 3;
	FZ_ASSERT(words(buf) == want, "%zu words, not %zu: %s", words(buf),
	    want, buf);
	has_word(buf, "pureboot.server", f[0]);
	if (mode != PB_MODE_DISCOVERY) {
		has_word(buf, "pureboot.state", f[1]);
		if (in.serial != NULL)
			has_word(buf, "pureboot.serial", s.s);
		has_word(buf, "pureboot.node_id", id.s);
	}
	if (mode == PB_MODE_NFS) {
		has_word(buf, "pureboot.nfs_server", f[6]);
		has_word(buf, "pureboot.nfs_path", f[7]);
		has_word(buf, "pureboot.nfs_options", f[8]);
	}
}

static int
filter_ok(const char *f)
{
	struct pb_serial s;
	size_t n = strlen(f);

	if (n > 2 && strncmp(f, "0x", 2) == 0 && pb_serial_parse(&s, f + 2,
	    NULL) == 0)
		return 1;
	return n >= 1 && n <= 16 && fz_in_set(f, PB_LOWER PB_DIGIT "+");
}

static void
config(size_t nsec, char **f, size_t nf)
{
	struct pb_config_section sec[3];
	struct pb_config_in in;
	struct pb_err e;
	char buf[8192], *line, *save;
	size_t i, lines = 0, want;
	ssize_t len;
	int valid;

	if (nf < 2 + 3 * nsec)
		return;
	in.what = f[0];
	in.initramfs = f[1][0] != '\0' ? f[1] : NULL;
	in.sections = sec;
	in.nsections = nsec;
	/* The comment's rule is render.h's own (pb_check_comment, shared
	 * with the board files); what is asserted is that config.txt is
	 * rendered exactly when every value passes its check. */
	valid = nsec > 0 && pb_check_comment("config.txt", f[0], NULL) == 0 &&
	    (in.initramfs == NULL || pb_check_relpath("", f[1], &e) == 0);
	/* Two comments, arm_64bit, enable_uart, [all]; then initramfs. */
	want = 5 + (in.initramfs != NULL);
	for (i = 0; i < nsec; i++) {
		sec[i].filter = f[2 + 3 * i];
		sec[i].kernel = f[3 + 3 * i];
		sec[i].dtb = f[4 + 3 * i][0] != '\0' ? f[4 + 3 * i] : NULL;
		valid = valid && filter_ok(sec[i].filter) &&
		    pb_check_relpath("", sec[i].kernel, &e) == 0 &&
		    (sec[i].dtb == NULL || pb_check_relpath("", sec[i].dtb, &e) == 0);
		want += 2 + (sec[i].dtb != NULL);
	}
	len = pb_render_config(buf, sizeof(buf), &in, &e);
	if (len == -1) {
		fz_check_refusal(&e, "config.txt");
		FZ_ASSERT(!valid, "valid values refused: %s", e.msg);
		return;
	}
	FZ_ASSERT(valid, "config.txt rendered from values the validators "
	    "refuse");
	FZ_ASSERT((size_t)len == strlen(buf) && buf[len - 1] == '\n',
	    "config.txt does not end a line");
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save), lines++) {
		FZ_ASSERT(fz_printable(line), "config.txt line: %s", line);
		FZ_ASSERT(line[0] == '#' || strncmp(line, "kernel=", 7) == 0 ||
		    strncmp(line, "device_tree=", 12) == 0 ||
		    strcmp(line, "arm_64bit=1") == 0 ||
		    strcmp(line, "enable_uart=1") == 0 ||
		    (line[0] == '[' && line[strlen(line) - 1] == ']') ||
		    (strncmp(line, "initramfs ", 10) == 0 &&
		    strcmp(line + strlen(line) - 13, " followkernel") == 0),
		    "config.txt line of no known shape: %s", line);
	}
	FZ_ASSERT(lines == want, "config.txt has %zu lines, not %zu", lines,
	    want);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *f[NF], *buf;
	size_t n;

	if (size < 1)
		return 0;
	n = fz_split(data + 1, size - 1, '\0', f, NF, &buf);
	if (data[0] & 1)
		config((size_t)(data[0] >> 1) % 4, f, n);
	else
		cmdline((unsigned)(data[0] >> 1) % 4, f, n);
	free(buf);
	return 0;
}
