/*
 * pb-hookbench: the measuring side of `make bench-hook`.
 *
 *   pb-hookbench latency CONNINFO ROOT SERIAL N
 *       N times: change the node's hostname in one transaction, then
 *       poll ROOT/SERIAL/cmdline.txt until it names the new hostname.
 *       Prints p50/p99/max in ms of COMMIT-returned to file-visible.
 *   pb-hookbench bare-write DIR N [sync]
 *   pb-hookbench bare-rewrite DIR N [sync]
 *   pb-hookbench bare-compare DIR N
 *       The ceiling: a plain loop doing the syscalls the hook does for
 *       N node directories (8 links, 2 small files; build under a temp
 *       name, swap in, remove the old one; or read them all back), with
 *       none of the hook's work around them.  Prints seconds.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
latency(const char *conninfo, const char *root, const char *serial, int n)
{
	char path[4096], want[64], buf[2048], sql[256];
	double *lat, t0, t;
	PGconn *c = PQconnectdb(conninfo);
	PGresult *r;
	ssize_t len;
	int i, fd;

	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "pb-hookbench: %s", PQerrorMessage(c));
		return 1;
	}
	if ((lat = calloc((size_t)n, sizeof(*lat))) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/%s/cmdline.txt", root, serial);
	for (i = 0; i < n; i++) {
		snprintf(sql, sizeof(sql), "UPDATE pureboot.nodes SET hostname = "
		    "'bench-%d' WHERE serial = '%s'", i, serial);
		snprintf(want, sizeof(want), "pureboot.hostname=bench-%d\n", i);
		r = PQexec(c, sql);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			fprintf(stderr, "pb-hookbench: %s", PQerrorMessage(c));
			return 1;
		}
		PQclear(r);
		t0 = now();
		for (;;) {
			if ((fd = open(path, O_RDONLY)) != -1) {
				len = read(fd, buf, sizeof(buf) - 1);
				close(fd);
				buf[len > 0 ? len : 0] = '\0';
				if (strstr(buf, want) != NULL)
					break;
			}
			t = now();
			if (t - t0 > 10) {
				fprintf(stderr, "pb-hookbench: change %d not visible "
				    "after 10 s\n", i);
				return 1;
			}
			usleep(50);
		}
		lat[i] = (now() - t0) * 1000;
	}
	qsort(lat, (size_t)n, sizeof(*lat), cmp_d);
	printf("notify-to-file p50 %.2f ms  p99 %.2f ms  max %.2f ms  (%d changes)\n",
	    lat[n / 2], lat[(n * 99) / 100], lat[n - 1], n);
	PQfinish(c);
	free(lat);
	return 0;
}

#define NLINKS 6	/* a pending Pi 4 */
static const char *const links[8][2] = {
	{ "start4.elf", "../rpi-firmware/start4.elf" },
	{ "fixup4.dat", "../rpi-firmware/fixup4.dat" },
	{ "bcm2711-rpi-4-b.dtb", "../rpi-firmware/bcm2711-rpi-4-b.dtb" },
	{ "overlays", "../rpi-firmware/overlays" },
	{ "kernel8.img", "../deploy-arm64/kernel8.img" },
	{ "initramfs.img", "../deploy-arm64/initramfs.img" },
	{ "start.elf", "../rpi-firmware/start.elf" },
	{ "fixup.dat", "../rpi-firmware/fixup.dat" },
};
static const char cfg[] = "# PureBoot-Pi: node 00000000 (pi4)\narm_64bit=1\n"
    "initramfs initramfs.img followkernel\nenable_uart=1\n[pi4]\n"
    "kernel=kernel8.img\ndevice_tree=bcm2711-rpi-4-b.dtb\n[all]\n";
static const char cmdl[] = "console=serial0,115200 console=tty1 "
    "pureboot.server=http://127.0.0.1:8080 pureboot.mode=install "
    "pureboot.state=pending pureboot.serial=00000000 "
    "pureboot.node_id=00000000-0000-0000-0000-000000000000\n";

static void
put(int dfd, const char *name, const char *data)
{
	int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL, 0644);

	if (fd == -1 || write(fd, data, strlen(data)) < 0 || fchmod(fd, 0644) < 0)
		perror(name);
	close(fd);
}

static void
rm_flat(int rootfd, const char *name)
{
	int i, dfd = openat(rootfd, name, O_RDONLY | O_DIRECTORY);

	for (i = 0; i < NLINKS; i++)
		unlinkat(dfd, links[i][0], 0);
	unlinkat(dfd, "config.txt", 0);
	unlinkat(dfd, "cmdline.txt", 0);
	close(dfd);
	unlinkat(rootfd, name, AT_REMOVEDIR);
}

static int
bare_write(const char *dir, int n, int exchange, int dosync)
{
	char name[32], tmp[48];
	double t0 = now();
	int rootfd, dfd, i, j, pending = 0;

	mkdir(dir, 0755);
	if ((rootfd = open(dir, O_RDONLY | O_DIRECTORY)) == -1) {
		perror(dir);
		return 1;
	}
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%08x", i);
		snprintf(tmp, sizeof(tmp), ".%s.tmp.AAAAAA", name);
		mkdirat(rootfd, tmp, 0755);
		if (fchmodat(rootfd, tmp, 0755, 0) == -1)
			perror(tmp);
		dfd = openat(rootfd, tmp, O_RDONLY | O_DIRECTORY);
		for (j = 0; j < NLINKS; j++)
			if (symlinkat(links[j][1], dfd, links[j][0]) == -1)
				perror(links[j][0]);
		put(dfd, "config.txt", cfg);
		put(dfd, "cmdline.txt", cmdl);
		close(dfd);
		if (++pending == 256 || i == n - 1) {
			if (dosync)
				syncfs(rootfd);
			pending = 0;
		}
		if (exchange) {
			renameat2(rootfd, tmp, rootfd, name, RENAME_EXCHANGE);
			rm_flat(rootfd, tmp);
		} else
			renameat2(rootfd, tmp, rootfd, name, RENAME_NOREPLACE);
	}
	printf("%.3f\n", now() - t0);
	close(rootfd);
	return 0;
}

static int
bare_compare(const char *dir, int n)
{
	char name[32], buf[1024];
	double t0 = now();
	struct dirent *de;
	int rootfd, dfd, fd, i, j;
	DIR *d;

	if ((rootfd = open(dir, O_RDONLY | O_DIRECTORY)) == -1) {
		perror(dir);
		return 1;
	}
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%08x", i);
		dfd = openat(rootfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
		d = fdopendir(dfd);
		while ((de = readdir(d)) != NULL)
			;
		for (j = 0; j < NLINKS; j++)
			if (readlinkat(dfd, links[j][0], buf, sizeof(buf)) < 0)
				perror(links[j][0]);
		fd = openat(dfd, "config.txt", O_RDONLY | O_NOFOLLOW);
		if (read(fd, buf, sizeof(buf)) < 0)
			perror("read");
		close(fd);
		fd = openat(dfd, "cmdline.txt", O_RDONLY | O_NOFOLLOW);
		if (read(fd, buf, sizeof(buf)) < 0)
			perror("read");
		close(fd);
		closedir(d);
	}
	printf("%.3f\n", now() - t0);
	close(rootfd);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 6 && strcmp(argv[1], "latency") == 0)
		return latency(argv[2], argv[3], argv[4], atoi(argv[5]));
	if (argc >= 4 && strcmp(argv[1], "bare-write") == 0)
		return bare_write(argv[2], atoi(argv[3]), 0, argc > 4);
	if (argc >= 4 && strcmp(argv[1], "bare-rewrite") == 0)
		return bare_write(argv[2], atoi(argv[3]), 1, argc > 4);
	if (argc == 4 && strcmp(argv[1], "bare-compare") == 0)
		return bare_compare(argv[2], atoi(argv[3]));
	fprintf(stderr, "usage: pb-hookbench latency CONNINFO ROOT SERIAL N | "
	    "bare-write|bare-rewrite DIR N [sync] | bare-compare DIR N\n");
	return 2;
}
