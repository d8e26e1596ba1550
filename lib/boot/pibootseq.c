/* pibootseq.c: the request sequence of each Pi model (pure engine). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot/pibootseq.h"

struct run {
	const struct pb_pimodel *pm;
	const struct pb_serial *serial;
	pb_fetch_fn *fetch;
	void *ctx;
	struct pb_bootseq *out;
	struct pb_err *e;
	char prefix[16];
	/* From config.txt, as the firmware reads it. */
	char kernel[128], initramfs[128], dtb[128];
	int has_kernel;
};

const char *
pb_bootseq_end_name(enum pb_bootseq_end end)
{
	switch (end) {
	case PB_END_BOOTED:
		return "booted";
	case PB_END_GAVE_UP:
		return "gave up";
	case PB_END_FAILED:
		return "failed";
	}
	return "?";
}

/* GPU firmware, loaders and kernels: what a fenced node must not get.
 * Not the root's bootcode.bin: the Pi 3 ROM's second stage, the same
 * for every Pi, asks for <serial>/start.elf next and boots nothing by
 * itself (a fenced Pi 3 finds the zero-length one there). */
static int
is_bootable(const char *path)
{
	const char *base = strrchr(path, '/');

	if (strcmp(path, "bootcode.bin") == 0)
		return 0;
	base = base ? base + 1 : path;
	return strncmp(base, "start", 5) == 0 || strcmp(base, "bootcode.bin") == 0 ||
	    strncmp(base, "kernel", 6) == 0 || strncmp(base, "initramfs", 9) == 0 ||
	    strncmp(base, "recover", 7) == 0;
}

/* 1 served, 0 not served, -1 transport error.  required: a miss is
 * recorded. */
static int
get(struct run *r, const char *name, int prefixed, int required,
    int want_data, struct pb_fetch *f)
{
	char path[256];
	struct pb_bootseq *o = r->out;

	snprintf(path, sizeof(path), "%s%.200s", prefixed ? r->prefix : "", name);
	memset(f, 0, sizeof(*f));
	if (r->fetch(r->ctx, path, want_data, f) == -1)
		return pb_fail(r->e, "fetch \"%s\" failed", path);
	if (f->served && f->size > 0 && is_bootable(path))
		o->bootable_served = 1;
	if (!f->served && required && o->nmissing < PB_BOOTSEQ_MAXMISS)
		snprintf(o->missing[o->nmissing++], sizeof(o->missing[0]), "%s",
		    path);
	return f->served;
}

static int
get_simple(struct run *r, const char *name, int required)
{
	struct pb_fetch f;
	int rc = get(r, name, 1, required, 0, &f);

	free(f.data);
	if (rc == 1 && required && f.size == 0) {
		/* An empty required file is as good as none. */
		if (r->out->nmissing < PB_BOOTSEQ_MAXMISS)
			snprintf(r->out->missing[r->out->nmissing++],
			    sizeof(r->out->missing[0]), "%s%.200s (empty)", r->prefix,
			    name);
		return 0;
	}
	return rc;
}

static void
trim(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

/* The subset of config.txt the firmware's file loading obeys. */
static void
parse_config(struct run *r, char *txt)
{
	char *line, *save = NULL, *p, *v;
	int active = 1;

	for (line = strtok_r(txt, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		while (*line == ' ' || *line == '\t')
			line++;
		trim(line);
		if (*line == '#' || *line == '\0')
			continue;
		if (*line == '[') {
			if ((p = strchr(line, ']')) == NULL)
				continue;
			*p = '\0';
			active = pb_pimodel_filter_applies(r->pm, r->serial,
			    line + 1);
			continue;
		}
		if (!active)
			continue;
		if (strncmp(line, "initramfs", 9) == 0 &&
		    (line[9] == ' ' || line[9] == '\t')) {
			v = line + 10;
			while (*v == ' ' || *v == '\t')
				v++;
			if ((p = strpbrk(v, " \t")) != NULL)
				*p = '\0';
			snprintf(r->initramfs, sizeof(r->initramfs), "%s", v);
			continue;
		}
		if ((v = strchr(line, '=')) == NULL)
			continue;
		*v++ = '\0';
		trim(line);
		if (strcmp(line, "kernel") == 0) {
			snprintf(r->kernel, sizeof(r->kernel), "%s", v);
			r->has_kernel = 1;
		} else if (strcmp(line, "device_tree") == 0)
			snprintf(r->dtb, sizeof(r->dtb), "%s", v);
	}
}

static int
get_config(struct run *r)
{
	struct pb_fetch f;
	int rc = get(r, "config.txt", 1, 1, 1, &f);

	if (rc == 1 && f.data != NULL) {
		r->has_kernel = 0;
		r->kernel[0] = r->initramfs[0] = r->dtb[0] = '\0';
		parse_config(r, f.data);
	}
	free(f.data);
	return rc;
}

/* The probe that decides the prefix: 1 prefixed, 0 root, 2 gave up,
 * -1 error. */
static int
probe(struct run *r, const char *name)
{
	struct pb_fetch f;
	char path[64];
	int rc;

	snprintf(path, sizeof(path), "%s%s", r->prefix, name);
	memset(&f, 0, sizeof(f));
	if (r->fetch(r->ctx, path, 0, &f) == -1)
		return pb_fail(r->e, "fetch \"%s\" failed", path);
	free(f.data);
	if (!f.served)
		return 0;
	/* A zero-length start4.elf makes the bootloader give up network
	 * boot and go on to the next BOOT_ORDER mode. */
	rc = f.size == 0 ? 2 : 1;
	if (rc == 1 && is_bootable(path))
		r->out->bootable_served = 1;
	return rc;
}

static int
tail(struct run *r)
{
	struct pb_bootseq *o = r->out;
	struct pb_fetch f;
	const char *dtb, *kernel;
	int rc;

	dtb = r->dtb[0] != '\0' ? r->dtb : r->pm->fw_dtb;
	snprintf(o->dtb, sizeof(o->dtb), "%s", dtb);
	if (get_simple(r, dtb, 1) == -1 ||
	    get_simple(r, "overlays/overlay_map.dtb", 0) == -1)
		return -1;
	rc = get(r, "cmdline.txt", 1, 1, 1, &f);
	if (rc == 1 && f.data != NULL) {
		snprintf(o->cmdline, sizeof(o->cmdline), "%s", f.data);
		o->cmdline[strcspn(o->cmdline, "\n")] = '\0';
	}
	free(f.data);
	if (rc == -1)
		return -1;
	if (r->has_kernel) {
		kernel = r->kernel;
		rc = get_simple(r, kernel, 1);
	} else if (r->pm->loader == PB_LOADER_EEPROM5) {
		/* Without kernel=, a Pi 5 tries kernel_2712.img, then
		 * kernel8.img. */
		kernel = "kernel_2712.img";
		if ((rc = get_simple(r, kernel, 0)) == 0) {
			kernel = "kernel8.img";
			rc = get_simple(r, kernel, 1);
		}
	} else {
		kernel = r->pm->kernel;
		rc = get_simple(r, kernel, 1);
	}
	if (rc == -1)
		return -1;
	snprintf(o->kernel, sizeof(o->kernel), "%s%s", r->prefix, kernel);
	if (r->pm->loader == PB_LOADER_ROM &&
	    get_simple(r, "armstub8.bin", 0) == -1)
		return -1;
	if (r->initramfs[0] != '\0') {
		snprintf(o->initramfs, sizeof(o->initramfs), "%s%s", r->prefix,
		    r->initramfs);
		if (get_simple(r, r->initramfs, 1) == -1)
			return -1;
	}
	return 0;
}

int
pb_bootseq_run(const struct pb_pimodel *pm, const struct pb_serial *serial,
    pb_fetch_fn *fetch, void *ctx, struct pb_bootseq *out, struct pb_err *e)
{
	struct run r;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	r.pm = pm;
	r.serial = serial;
	r.fetch = fetch;
	r.ctx = ctx;
	r.out = out;
	r.e = e;
	snprintf(r.prefix, sizeof(r.prefix), "%s/", serial->s);

	if (pm->loader == PB_LOADER_ROM) {
		/* The ROM asks for bootcode.bin without a prefix. */
		r.prefix[0] = '\0';
		if ((rc = get_simple(&r, "bootcode.bin", 1)) <= 0)
			goto end;
		snprintf(r.prefix, sizeof(r.prefix), "%s/", serial->s);
		rc = probe(&r, "start.elf");
	} else {
		rc = probe(&r, "start4.elf");
		if (rc == 0 && pm->loader == PB_LOADER_EEPROM4)
			rc = probe(&r, "start.elf");
	}
	if (rc == -1)
		return -1;
	if (rc == 2) {
		out->end = PB_END_GAVE_UP;
		out->prefixed = 1;
		return 0;
	}
	out->prefixed = rc == 1;
	if (rc == 0)
		r.prefix[0] = '\0';

	switch (pm->loader) {
	case PB_LOADER_ROM:
		if (get_simple(&r, "autoboot.txt", 0) == -1 ||
		    get_config(&r) == -1 ||
		    get_simple(&r, "recovery.elf", 0) == -1 ||
		    get_simple(&r, "start.elf", 1) == -1 ||
		    get_simple(&r, "fixup.dat", 1) == -1 ||
		    get_simple(&r, "dt-blob.bin", 0) == -1)
			return -1;
		break;
	case PB_LOADER_EEPROM4:
		if (get_config(&r) == -1 ||
		    get_simple(&r, "pieeprom.sig", 0) == -1 ||
		    get_simple(&r, "vl805.sig", 0) == -1 ||
		    get_simple(&r, "recover4.elf", 0) == -1 ||
		    get_simple(&r, "start4.elf", 1) == -1 ||
		    get_simple(&r, "fixup4.dat", 1) == -1 ||
		    /* start4.elf reads config.txt again. */
		    get_config(&r) == -1)
			return -1;
		break;
	case PB_LOADER_EEPROM5:
		if (get_config(&r) == -1 ||
		    get_simple(&r, "pieeprom.sig", 0) == -1)
			return -1;
		break;
	}
	if (tail(&r) == -1)
		return -1;
	rc = 1;
end:
	if (rc == -1)
		return -1;
	out->end = out->nmissing == 0 ? PB_END_BOOTED : PB_END_FAILED;
	return 0;
}
