/*
 * pb-storm: the load generator of `make bench-storm` and the fault tests
 * (t/072x): N Raspberry Pis powered on at once, each from its own
 * source address.
 *
 *   pb-storm [options] storm NODES
 *   pb-storm [options] bound NODES
 *
 * NODES has one Pi a line: "ADDR MODEL SERIAL MAC" (ADDR a local IPv4
 * address to send from: any 127.x.y.z works on lo).
 *
 * storm: each Pi, in its own thread, first makes its model's TFTP
 * requests (lib/boot/pibootseq.c) with its transfer habits: the Pi 3
 * ROM plain 512-byte blocks, the Pi 4 and 5 blksize 1468 with a tsize
 * probe aborted after the OACK and asked again; each file within the
 * bootloader's per-file timeout (-T, 30 s) or the boot fails, with no
 * second try.  A Pi that booted the deploy environment then makes the
 * agent's calls through the API (-a): health, register-pi, boot/pi and,
 * for an install, GET /nodes/{id}/install with the token, the events
 * install_started, install_progress (3: bytes 1, 2 and 3 MiB),
 * install_complete, each with its key "storm-SERIAL-N" (N 0 to 4), and
 * POST installed.  Like initramfs/agent, each call is tried again on a
 * transport error, 429, 502, 503 or 504, after Retry-After (at most
 * -R s), until -D s after power-on.  A Pi that was refused network boot
 * (zero-length start4.elf: its fence) is done: it boots from its SD card.
 *
 * bound: the same client and block size, no sequence: each Pi fetches
 * the file -f (default "bound.bin") once, stopping after the number of
 * bytes in NODES' fifth column: the TFTP bandwidth alone.
 *
 * hold: bad clients, for -H s: the Pis of even lines ask for the file
 * -f and never acknowledge a block (dead), those of odd lines
 * acknowledge one a second (slow); each also holds a connection to the
 * API, sending one header line every 2 s and never ending the request.
 *
 * Options: -s TFTP_IP (127.0.0.69), -p TFTP_PORT (69), -a API as
 * HOST:PORT (127.0.0.1:8080), -r RAMP_S (0: all at once; else Pi i
 * starts at i*RAMP/N), -T FILE_TIMEOUT_S (30), -D DEADLINE_S (300), -R
 * RETRY_MAX_S (5), -o RESULTS (one line per Pi), -k stack KiB (256).
 *
 * Prints "key value" lines: counts, per phase seconds and throughput,
 * p50/p99/max of power-on to instructions.  Exit 0 when every Pi ended
 * as its state says it should (booted and instructed, or fenced), 1 when
 * any failed, 2 on bad usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "boot/pibootseq.h"
#include "tftpc.h"

struct opts {
	struct sockaddr_in tftp, api;
	char api_host[64];
	double ramp_s;
	int file_timeout_ms, deadline_s, retry_max_s;
	const char *bound_file;
	int hold_s;
};

enum outcome {
	OUT_NONE,
	OUT_FENCED,		/* refused network boot: boots from SD */
	OUT_INSTRUCTED,		/* the agent got its answer (and installed) */
	OUT_TFTP_TIMEOUT,	/* a file did not come within the timeout */
	OUT_TFTP_FAILED,	/* a file it needs was not served */
	OUT_API_FAILED,		/* an agent call failed for good */
	OUT_BOUND_OK,
};

static const char *const outcome_names[] = {
	"none", "fenced", "instructed", "tftp_timeout", "tftp_failed",
	"api_failed", "fetched",
};

struct pi {
	const struct opts *o;
	char addr[32], model[16], serial[16], mac[24];
	size_t bound_bytes;
	double start, t_tftp, t_instr, t_end;	/* seconds since t0 */
	struct tftpc tc;
	enum outcome out;
	char action[32], why[160];
	size_t bytes;
	unsigned files, retries, timeouts, http_calls, http_retries;
	pthread_t th;
};

static double t0;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
sleep_s(double s)
{
	struct timespec ts;

	if (s <= 0)
		return;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* --- TFTP -------------------------------------------------------- */

static int
pi_fetch(void *ctx, const char *path, int want_data, struct pb_fetch *out)
{
	struct pi *p = ctx;
	struct tftpc_xfer x;
	int rc = -1;

	memset(&x, 0, sizeof(x));
	x.discard = !want_data;
	if (p->tc.abort_after_oack) {
		if (tftpc_fetch(&p->tc, path, 1, p->tc.blksize, 1, &x) == -1)
			goto fail;
		if (!x.served) {
			out->served = 0;
			rc = 0;
			goto done;
		}
	}
	if (tftpc_fetch(&p->tc, path, p->tc.tsize, p->tc.blksize, 0, &x) == -1)
		goto fail;
	out->served = x.served;
	out->size = x.len;
	if (x.served) {
		p->files++;
		p->bytes += x.len;
		if (want_data) {
			out->data = x.data;
			x.data = NULL;
		}
	}
	rc = 0;
	goto done;
fail:
	if (x.timed_out) {
		p->timeouts++;
		snprintf(p->why, sizeof(p->why), "tftp: %.100s: no whole file "
		    "within %d s", path, p->o->file_timeout_ms / 1000);
	} else
		snprintf(p->why, sizeof(p->why), "tftp: %.100s: transport error",
		    path);
done:
	p->retries += x.retries;
	free(x.data);
	return rc;
}

/* --- HTTP -------------------------------------------------------- */

struct resp {
	int status;		/* 0: no answer */
	int retry_after;
	char body[16384];
};

/* One request from the Pi's address, Connection: close. */
static int
http1(struct pi *p, const char *method, const char *path, const char *token,
    const char *body, struct resp *r)
{
	char req[4096], buf[sizeof(r->body) + 4096], clen[96] = "", *hdr_end, *h;
	struct sockaddr_in a;
	struct timeval tv = { 15, 0 };
	size_t len = 0;
	ssize_t n;
	int s, rc = -1, reqlen;

	r->status = 0;
	r->retry_after = -1;
	r->body[0] = '\0';
	if ((s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	(void)setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	(void)setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	if (inet_pton(AF_INET, p->addr, &a.sin_addr) != 1 ||
	    bind(s, (struct sockaddr *)&a, sizeof(a)) == -1 ||
	    connect(s, (const struct sockaddr *)&p->o->api,
	    sizeof(p->o->api)) == -1)
		goto out;
	if (body != NULL || strcmp(method, "POST") == 0)
		snprintf(clen, sizeof(clen), "Content-Type: application/json\r\n"
		    "Content-Length: %zu\r\n", body ? strlen(body) : 0);
	reqlen = snprintf(req, sizeof(req), "%s /api/v1%s HTTP/1.0\r\n"
	    "Host: %s\r\nConnection: close\r\n%s%s%s%s\r\n%s", method, path,
	    p->o->api_host, token ? "Authorization: Bearer " : "",
	    token ? token : "", token ? "\r\n" : "", clen, body ? body : "");
	if (reqlen < 0 || (size_t)reqlen >= sizeof(req) ||
	    send(s, req, (size_t)reqlen, MSG_NOSIGNAL) != reqlen)
		goto out;
	while (len < sizeof(buf) - 1 &&
	    (n = recv(s, buf + len, sizeof(buf) - 1 - len, 0)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	if (len < 12 || strncmp(buf, "HTTP/1.", 7) != 0)
		goto out;
	r->status = atoi(buf + 9);
	if ((hdr_end = strstr(buf, "\r\n\r\n")) == NULL)
		goto out;
	*hdr_end = '\0';
	if ((h = strcasestr(buf, "\r\nRetry-After:")) != NULL)
		r->retry_after = atoi(h + 14);
	snprintf(r->body, sizeof(r->body), "%s", hdr_end + 4);
	rc = 0;
out:
	close(s);
	return rc;
}

/* As the agent calls: again on a transport error, 429 and 5xx but 500
 * (a 500 is an answer: the install was recorded as failed), until the
 * deadline.  Returns the final status, 0 if none came. */
static int
agent_call(struct pi *p, const char *method, const char *path,
    const char *token, const char *body, struct resp *r)
{
	double deadline = p->start + p->o->deadline_s, wait;

	for (;;) {
		p->http_calls++;
		if (http1(p, method, path, token, body, r) == 0 &&
		    r->status != 429 && r->status != 502 && r->status != 503 &&
		    r->status != 504)
			return r->status;
		wait = r->retry_after >= 0 ? r->retry_after : 1;
		if (wait > p->o->retry_max_s)
			wait = p->o->retry_max_s;
		if (wait < 0.2)
			wait = 0.2;
		if (now() - t0 + wait > deadline)
			return r->status;
		p->http_retries++;
		sleep_s(wait);
	}
}

static int
json_str(const char *body, const char *key, char *out, size_t size)
{
	json_t *root = json_loads(body, 0, NULL);
	const char *v;
	int rc = -1;

	if (root != NULL && (v = json_string_value(json_object_get(root, key))) != NULL &&
	    strlen(v) < size) {
		memcpy(out, v, strlen(v) + 1);
		rc = 0;
	}
	json_decref(root);
	return rc;
}

static int
api_fail(struct pi *p, const char *step, const struct resp *r)
{
	char *c;

	p->out = OUT_API_FAILED;
	snprintf(p->why, sizeof(p->why), "api: %s: status %d: %.100s", step,
	    r->status, r->body);
	for (c = p->why; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20)
			*c = ' ';
	return -1;
}

static int
agent(struct pi *p)
{
	static const char *const evs[] = { "install_started", "install_progress",
	    "install_progress", "install_progress", "install_complete" };
	struct resp *r;
	char path[256], body[512], id[64], token[160];
	size_t i;
	int st, rc = -1;

	if ((r = malloc(sizeof(*r))) == NULL)
		return -1;
	if (agent_call(p, "GET", "/health", NULL, NULL, r) != 200)
		goto fail_health;
	snprintf(body, sizeof(body), "{\"serial\":\"%s\",\"mac\":\"%s\","
	    "\"model\":\"%s\",\"ip_address\":\"%s\"}", p->serial, p->mac,
	    p->model, p->addr);
	st = agent_call(p, "POST", "/nodes/register-pi", NULL, body, r);
	if (st != 200 && st != 201) {
		api_fail(p, "register-pi", r);
		goto out;
	}
	snprintf(path, sizeof(path), "/boot/pi?serial=%s&mac=%s", p->serial,
	    p->mac);
	if (agent_call(p, "GET", path, NULL, NULL, r) != 200 ||
	    json_str(r->body, "action", p->action, sizeof(p->action)) == -1) {
		api_fail(p, "boot/pi", r);
		goto out;
	}
	if (strcmp(p->action, "install") != 0) {
		p->t_instr = now() - t0;
		p->out = OUT_INSTRUCTED;
		rc = 0;
		goto out;
	}
	if (json_str(r->body, "node_id", id, sizeof(id)) == -1 ||
	    json_str(r->body, "token", token, sizeof(token)) == -1) {
		api_fail(p, "boot/pi: no node_id or token", r);
		goto out;
	}
	snprintf(path, sizeof(path), "/nodes/%s/install", id);
	if (agent_call(p, "GET", path, token, NULL, r) != 200) {
		api_fail(p, "install", r);
		goto out;
	}
	p->t_instr = now() - t0;
	snprintf(path, sizeof(path), "/nodes/%s/events", id);
	for (i = 0; i < sizeof(evs) / sizeof(evs[0]); i++) {
		/* The key names the event, so each try of it sends the
		 * same one and the API records it once (sql/039). */
		if (strcmp(evs[i], "install_progress") == 0)
			snprintf(body, sizeof(body), "{\"type\":\"install_progress\","
			    "\"key\":\"storm-%s-%zu\",\"bytes\":%zu,"
			    "\"total\":3145728}", p->serial, i, i * 1048576);
		else
			snprintf(body, sizeof(body), "{\"type\":\"%s\","
			    "\"key\":\"storm-%s-%zu\"}", evs[i], p->serial, i);
		if (agent_call(p, "POST", path, token, body, r) != 201) {
			api_fail(p, evs[i], r);
			goto out;
		}
	}
	snprintf(path, sizeof(path), "/nodes/%s/installed", id);
	if (agent_call(p, "POST", path, token, NULL, r) != 200) {
		api_fail(p, "installed", r);
		goto out;
	}
	p->out = OUT_INSTRUCTED;
	rc = 0;
	goto out;
fail_health:
	api_fail(p, "health", r);
out:
	free(r);
	return rc;
}

/* --- one Pi ------------------------------------------------------ */

static void *
pi_storm(void *arg)
{
	struct pi *p = arg;
	struct pb_serial serial;
	struct pb_bootseq seq;
	struct pb_err e;
	enum pb_model m;
	const struct pb_pimodel *pm;

	sleep_s(t0 + p->start - now());
	if (pb_model_parse(&m, p->model, &e) == -1 ||
	    pb_serial_parse(&serial, p->serial, &e) == -1) {
		p->out = OUT_TFTP_FAILED;
		snprintf(p->why, sizeof(p->why), "%.150s", e.msg);
		goto out;
	}
	pm = pb_pimodel(m);
	if (pm->loader != PB_LOADER_ROM) {
		p->tc.blksize = 1468;
		p->tc.tsize = 1;
		p->tc.abort_after_oack = 1;
	}
	if (pb_bootseq_run(pm, &serial, pi_fetch, p, &seq, &e) == -1) {
		p->out = p->timeouts > 0 ? OUT_TFTP_TIMEOUT : OUT_TFTP_FAILED;
		p->t_tftp = now() - t0;
		goto out;
	}
	p->t_tftp = now() - t0;
	if (seq.end == PB_END_GAVE_UP) {
		p->out = OUT_FENCED;
		p->t_instr = p->t_tftp;
		goto out;
	}
	if (seq.end != PB_END_BOOTED) {
		p->out = OUT_TFTP_FAILED;
		snprintf(p->why, sizeof(p->why), "tftp: not served: %.100s",
		    seq.nmissing > 0 ? seq.missing[0] : "?");
		goto out;
	}
	(void)agent(p);
out:
	p->t_end = now() - t0;
	return NULL;
}

static void *
pi_bound(void *arg)
{
	struct pi *p = arg;
	struct tftpc_xfer x;

	sleep_s(t0 + p->start - now());
	memset(&x, 0, sizeof(x));
	x.discard = 1;
	x.stop_after = p->bound_bytes;
	p->tc.blksize = 1468;
	if (p->bound_bytes == 0)
		p->out = OUT_BOUND_OK;
	else if (tftpc_fetch(&p->tc, p->o->bound_file, 1, 1468, 0, &x) == -1) {
		p->out = x.timed_out ? OUT_TFTP_TIMEOUT : OUT_TFTP_FAILED;
		p->timeouts += (unsigned)x.timed_out;
	} else if (!x.served || x.len < p->bound_bytes) {
		p->out = OUT_TFTP_FAILED;
		snprintf(p->why, sizeof(p->why), "bound: %zu of %zu bytes: %.100s",
		    x.len, p->bound_bytes, x.errmsg);
	} else
		p->out = OUT_BOUND_OK;
	p->bytes = x.len;
	p->files = x.served;
	p->retries = x.retries;
	p->t_end = p->t_tftp = now() - t0;
	return NULL;
}

/* A dead or slow TFTP client and a slow HTTP one, for o->hold_s. */
static void *
pi_hold(void *arg)
{
	struct pi *p = arg;
	unsigned char req[600], pkt[2048];
	struct sockaddr_in a, peer;
	socklen_t sl;
	double end = t0 + p->o->hold_s, next_ack, next_hdr;
	int u = -1, t = -1, slow = p->bound_bytes & 1;
	size_t n = 2;
	ssize_t r;
	unsigned blk = 0;

	sleep_s(t0 - now());
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	if (inet_pton(AF_INET, p->addr, &a.sin_addr) != 1)
		goto out;
	if ((u = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1 ||
	    bind(u, (struct sockaddr *)&a, sizeof(a)) == -1)
		goto out;
	if ((t = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    bind(t, (struct sockaddr *)&a, sizeof(a)) == -1 ||
	    connect(t, (const struct sockaddr *)&p->o->api, sizeof(p->o->api)) == -1 ||
	    send(t, "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n", 40,
	    MSG_NOSIGNAL) != 40) {
		snprintf(p->why, sizeof(p->why), "hold: http: %s", strerror(errno));
		goto out;
	}
	req[0] = 0;
	req[1] = 1;
	n += (size_t)snprintf((char *)req + n, sizeof(req) - n, "%s", p->o->bound_file) + 1;
	memcpy(req + n, "octet\0blksize\0" "1468", 19);
	n += 19;
	if (sendto(u, req, n, 0, (const struct sockaddr *)&p->o->tftp,
	    sizeof(p->o->tftp)) == -1)
		goto out;
	next_ack = next_hdr = now() + 1;
	while (now() < end) {
		struct timeval tv = { 0, 200000 };

		(void)setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		sl = sizeof(peer);
		r = recvfrom(u, pkt, sizeof(pkt), 0, (struct sockaddr *)&peer, &sl);
		if (r >= 4 && pkt[1] == 6)		/* OACK: block 0 */
			blk = 0, p->files = 1;
		else if (r >= 4 && pkt[1] == 3)
			blk = (unsigned)pkt[2] << 8 | pkt[3], p->files = 1;
		if (slow && p->files && now() >= next_ack) {
			unsigned char ack[4] = { 0, 4, (unsigned char)(blk >> 8),
			    (unsigned char)blk };

			(void)sendto(u, ack, 4, 0, (struct sockaddr *)&peer, sl);
			p->bytes += 1468;
			next_ack = now() + 1;
		}
		if (now() >= next_hdr) {
			if (send(t, "X-Slow: 1\r\n", 11, MSG_NOSIGNAL) == 11)
				p->http_calls++;
			next_hdr = now() + 2;
		}
	}
	p->out = OUT_BOUND_OK;
out:
	if (u != -1)
		close(u);
	if (t != -1)
		close(t);
	p->t_end = now() - t0;
	return NULL;
}

/* --- the fleet --------------------------------------------------- */

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
pct(const double *v, size_t n, double q)
{
	size_t i;

	if (n == 0)
		return 0;
	i = (size_t)(q * (double)(n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}

static struct pi *
nodes_load(const char *file, const struct opts *o, size_t *np)
{
	FILE *f = fopen(file, "r");
	struct pi *v = NULL, *nv;
	size_t n = 0, cap = 0;
	char line[512];

	if (f == NULL) {
		fprintf(stderr, "pb-storm: open \"%s\": %s\n", file, strerror(errno));
		return NULL;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		struct pi *p;
		int k;

		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL)
				goto fail;
			v = nv;
		}
		p = &v[n];
		memset(p, 0, sizeof(*p));
		k = sscanf(line, "%31s %15s %15s %23s %zu", p->addr, p->model,
		    p->serial, p->mac, &p->bound_bytes);
		if (k < 4) {
			fprintf(stderr, "pb-storm: %s:%zu: want \"ADDR MODEL "
			    "SERIAL MAC [BYTES]\"\n", file, n + 1);
			goto fail;
		}
		n++;
	}
	fclose(f);
	/* Pointers into v only now: realloc moves it. */
	for (cap = 0; cap < n; cap++) {
		v[cap].o = o;
		v[cap].tc.server = o->tftp;
		v[cap].tc.bind_ip = v[cap].addr;
		v[cap].tc.file_timeout_ms = o->file_timeout_ms;
		v[cap].tc.quiet = 1;
	}
	*np = n;
	return v;
fail:
	fclose(f);
	free(v);
	return NULL;
}

static int
report(struct pi *v, size_t n, const char *mode, const char *results)
{
	size_t i, ninstr = 0, counts[OUT_BOUND_OK + 1] = { 0 }, bytes = 0;
	unsigned retries = 0, timeouts = 0, calls = 0, hretries = 0;
	double tftp_end = 0, end = 0, api_s = 0, *lat;
	FILE *f = NULL;
	int bad = 0;

	if ((lat = calloc(n ? n : 1, sizeof(*lat))) == NULL)
		return 1;
	if (results != NULL && (f = fopen(results, "w")) == NULL) {
		fprintf(stderr, "pb-storm: open \"%s\": %s\n", results,
		    strerror(errno));
		free(lat);
		return 1;
	}
	for (i = 0; i < n; i++) {
		struct pi *p = &v[i];

		counts[p->out]++;
		bytes += p->bytes;
		retries += p->retries;
		timeouts += p->timeouts;
		calls += p->http_calls;
		hretries += p->http_retries;
		if (p->t_tftp > tftp_end)
			tftp_end = p->t_tftp;
		if (p->t_end > end)
			end = p->t_end;
		if (p->out == OUT_INSTRUCTED && p->t_end - p->t_tftp > api_s)
			api_s = p->t_end - p->t_tftp;
		if (p->out == OUT_INSTRUCTED || p->out == OUT_FENCED ||
		    p->out == OUT_BOUND_OK)
			lat[ninstr++] = (p->out == OUT_BOUND_OK ? p->t_end :
			    p->t_instr) - p->start;
		else
			bad++;
		if (f != NULL)
			fprintf(f, "%s %s %s %s %s %.3f %.3f %.3f %zu %u %u %u %u %s %s\n",
			    p->addr, p->model, p->serial, p->mac,
			    outcome_names[p->out], p->t_tftp - p->start,
			    p->t_instr > 0 ? p->t_instr - p->start : -1.0,
			    p->t_end - p->start, p->bytes, p->files, p->retries,
			    p->timeouts, p->http_retries,
			    p->action[0] ? p->action : "-",
			    p->why[0] ? p->why : "-");
	}
	qsort(lat, ninstr, sizeof(*lat), cmp_d);
	printf("mode %s\n", mode);
	printf("pis %zu\n", n);
	for (i = 1; i <= OUT_BOUND_OK; i++)
		if (counts[i] > 0 || i < OUT_BOUND_OK)
			printf("%s %zu\n", outcome_names[i], counts[i]);
	printf("failures %d\n", bad);
	printf("tftp_bytes %zu\n", bytes);
	printf("tftp_retries %u\n", retries);
	printf("tftp_timeouts %u\n", timeouts);
	printf("tftp_phase_s %.2f\n", tftp_end);
	printf("tftp_mbps %.1f\n", tftp_end > 0 ? (double)bytes / 1e6 / tftp_end : 0);
	printf("http_calls %u\n", calls);
	printf("http_retries %u\n", hretries);
	printf("api_calls_per_s %.1f\n", end > 0 ? (double)calls / end : 0);
	printf("api_phase_max_s %.2f\n", api_s);
	printf("total_s %.2f\n", end);
	printf("instr_p50_s %.2f\n", pct(lat, ninstr, 0.50));
	printf("instr_p99_s %.2f\n", pct(lat, ninstr, 0.99));
	printf("instr_max_s %.2f\n", ninstr ? lat[ninstr - 1] : 0);
	if (f != NULL && fclose(f) == EOF)
		bad++;
	free(lat);
	return bad > 0;
}

static int
addr_parse(struct sockaddr_in *a, const char *ip, int port)
{
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)port);
	return port > 0 && port < 65536 && inet_pton(AF_INET, ip, &a->sin_addr) == 1
	    ? 0 : -1;
}

static void
usage(void)
{
	fprintf(stderr, "usage: pb-storm [-s TFTP_IP] [-p PORT] [-a HOST:PORT] "
	    "[-r RAMP_S] [-T FILE_TIMEOUT_S] [-D DEADLINE_S] [-R RETRY_MAX_S] "
	    "[-f FILE] [-o RESULTS] [-k STACK_KIB] [-H HOLD_S] storm|bound|hold NODES\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct pi *v;
	struct rlimit rl;
	pthread_attr_t at;
	const char *tftp_ip = "127.0.0.69", *api = "127.0.0.1:8080";
	const char *results = NULL;
	char *colon;
	size_t n, i, started = 0;
	void *(*fn)(void *);
	int ch, port = 69, stack_kib = 256, bound, hold, rc;

	memset(&o, 0, sizeof(o));
	o.file_timeout_ms = 30000;
	o.deadline_s = 300;
	o.retry_max_s = 5;
	o.bound_file = "bound.bin";
	o.hold_s = 60;
	while ((ch = getopt(argc, argv, "s:p:a:r:T:D:R:f:o:k:H:")) != -1) {
		switch (ch) {
		case 's': tftp_ip = optarg; break;
		case 'p': port = atoi(optarg); break;
		case 'a': api = optarg; break;
		case 'r': o.ramp_s = atof(optarg); break;
		case 'T': o.file_timeout_ms = atoi(optarg) * 1000; break;
		case 'D': o.deadline_s = atoi(optarg); break;
		case 'R': o.retry_max_s = atoi(optarg); break;
		case 'f': o.bound_file = optarg; break;
		case 'o': results = optarg; break;
		case 'k': stack_kib = atoi(optarg); break;
		case 'H': o.hold_s = atoi(optarg); break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 2 || o.file_timeout_ms <= 0 || o.deadline_s <= 0 ||
	    stack_kib < 128 || o.ramp_s < 0)
		usage();
	bound = strcmp(argv[0], "bound") == 0;
	hold = strcmp(argv[0], "hold") == 0;
	if (!bound && !hold && strcmp(argv[0], "storm") != 0)
		usage();
	fn = bound ? pi_bound : hold ? pi_hold : pi_storm;
	snprintf(o.api_host, sizeof(o.api_host), "%s", api);
	if ((colon = strchr(o.api_host, ':')) == NULL)
		usage();
	*colon = '\0';
	if (addr_parse(&o.tftp, tftp_ip, port) == -1 ||
	    addr_parse(&o.api, o.api_host, atoi(colon + 1)) == -1)
		usage();
	*colon = ':';
	/* Each Pi holds a UDP socket and at times a TCP one. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
	if ((v = nodes_load(argv[1], &o, &n)) == NULL)
		return 2;
	pthread_attr_init(&at);
	pthread_attr_setstacksize(&at, (size_t)stack_kib * 1024);
	/* Every thread exists before the first Pi powers on. */
	t0 = now() + 0.5 + (double)n / 4000;
	for (i = 0; i < n; i++) {
		v[i].start = n > 1 ? o.ramp_s * (double)i / (double)n : 0;
		if (hold)
			v[i].bound_bytes = i;	/* odd: slow, even: dead */
		if ((errno = pthread_create(&v[i].th, &at, fn, &v[i])) != 0) {
			fprintf(stderr, "pb-storm: thread %zu: %s\n", i, strerror(errno));
			break;
		}
		started++;
	}
	for (i = 0; i < started; i++)
		pthread_join(v[i].th, NULL);
	pthread_attr_destroy(&at);
	rc = report(v, started, bound ? "bound" : hold ? "hold" : "storm", results);
	if (started < n)
		rc = 1;
	free(v);
	return rc;
}
