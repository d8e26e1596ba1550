/* sshkey.c: an ed25519 key pair in OpenSSH's formats (PROTOCOL.key of
 * OpenSSH: "openssh-key-v1", cipher and KDF "none"), so that sshd reads
 * the host key the hook made without ssh-keygen on the server.  Pure. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/chars.h"
#include "sshkey.h"

#define KEYTYPE "ssh-ed25519"
#define MAGIC "openssh-key-v1"	/* written with its NUL */

/* A byte buffer with the format's big-endian uint32 and string. */
struct wbuf {
	unsigned char b[512];
	size_t n;
	int over;
};

static void
put_u32(struct wbuf *w, uint32_t v)
{
	if (w->n + 4 > sizeof(w->b)) {
		w->over = 1;
		return;
	}
	w->b[w->n++] = (unsigned char)(v >> 24);
	w->b[w->n++] = (unsigned char)(v >> 16);
	w->b[w->n++] = (unsigned char)(v >> 8);
	w->b[w->n++] = (unsigned char)v;
}

static void
put_raw(struct wbuf *w, const void *p, size_t len)
{
	if (w->n + len > sizeof(w->b)) {
		w->over = 1;
		return;
	}
	memcpy(w->b + w->n, p, len);
	w->n += len;
}

static void
put_str(struct wbuf *w, const void *p, size_t len)
{
	put_u32(w, (uint32_t)len);
	put_raw(w, p, len);
}

/* The public key blob: string "ssh-ed25519", string pk. */
static void
put_pubblob(struct wbuf *w, const unsigned char pk[32])
{
	put_str(w, KEYTYPE, strlen(KEYTYPE));
	put_str(w, pk, 32);
}

int
sshkey_ed25519_text(const unsigned char pk[32], const unsigned char sk[64],
    uint32_t checkint, const char *comment, char *priv, size_t privsz,
    char *pub, size_t pubsz, struct pb_err *e)
{
	static const char begin[] = "-----BEGIN OPENSSH PRIVATE KEY-----\n";
	static const char end[] = "-----END OPENSSH PRIVATE KEY-----\n";
	struct wbuf blob = { .n = 0 }, sec = { .n = 0 }, all = { .n = 0 };
	char b64[1024];
	size_t len, off, o, i;
	int n, rc = -1;

	len = strlen(comment);
	if (len == 0 || len > 80 || strspn(comment, PB_ALNUM "@._-") != len)
		return pb_refuse(e, "ssh key: comment", comment,
		    "is not 1 to 80 of [A-Za-z0-9@._-]");
	put_pubblob(&blob, pk);

	/* The private section: the check word twice (a wrong passphrase
	 * shows as a mismatch), the key, the comment, then padding 1, 2,
	 * 3... to the cipher's block size (8 for "none"). */
	put_u32(&sec, checkint);
	put_u32(&sec, checkint);
	put_str(&sec, KEYTYPE, strlen(KEYTYPE));
	put_str(&sec, pk, 32);
	put_str(&sec, sk, 64);
	put_str(&sec, comment, len);
	for (i = 1; sec.n % 8 != 0; i++) {
		unsigned char c = (unsigned char)i;

		put_raw(&sec, &c, 1);
	}

	put_raw(&all, MAGIC, sizeof(MAGIC));
	put_str(&all, "none", 4);
	put_str(&all, "none", 4);
	put_str(&all, "", 0);
	put_u32(&all, 1);
	put_str(&all, blob.b, blob.n);
	put_str(&all, sec.b, sec.n);
	if (blob.over || sec.over || all.over) {
		pb_fail(e, "ssh key: the key does not fit its buffer");
		goto out;
	}

	/* Base64 in lines of 70, as ssh-keygen writes it. */
	sodium_bin2base64(b64, sizeof(b64), all.b, all.n,
	    sodium_base64_VARIANT_ORIGINAL);
	len = strlen(b64);
	if (privsz < sizeof(begin) + len + len / 70 + 1 + sizeof(end)) {
		pb_fail(e, "ssh key: the private key text does not fit");
		goto out;
	}
	memcpy(priv, begin, sizeof(begin) - 1);
	o = sizeof(begin) - 1;
	for (off = 0; off < len; off += 70) {
		size_t k = len - off < 70 ? len - off : 70;

		memcpy(priv + o, b64 + off, k);
		o += k;
		priv[o++] = '\n';
	}
	memcpy(priv + o, end, sizeof(end));

	sodium_bin2base64(b64, sizeof(b64), blob.b, blob.n,
	    sodium_base64_VARIANT_ORIGINAL);
	n = snprintf(pub, pubsz, KEYTYPE " %s %s\n", b64, comment);
	if (n < 0 || (size_t)n >= pubsz) {
		pb_fail(e, "ssh key: the public key text does not fit");
		goto out;
	}
	rc = 0;
out:
	/* The secret key is in both. */
	sodium_memzero(&sec, sizeof(sec));
	sodium_memzero(&all, sizeof(all));
	sodium_memzero(b64, sizeof(b64));
	return rc;
}
