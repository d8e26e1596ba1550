/* peer.c: REMOTE_ADDR, parsed once at the edge. */
#include <string.h>

#include "peer.h"

#define MAPPED "::ffff:"

int
pb_peer_parse(struct pb_ip *out, const char *remote_addr, struct pb_err *e)
{
	struct pb_err why;
	const char *v4;

	if (remote_addr[0] == '\0')
		return pb_fail(e, "REMOTE_ADDR is empty: nginx must pass "
		    "fastcgi_param REMOTE_ADDR $remote_addr");
	if (pb_ip_parse(out, remote_addr, &why) == -1)
		return pb_fail(e, "REMOTE_ADDR: %s", why.msg);
	/* inet_ntop prints a mapped address as ::ffff:a.b.c.d. */
	if (strncmp(out->s, MAPPED, strlen(MAPPED)) == 0 &&
	    strchr(v4 = out->s + strlen(MAPPED), '.') != NULL)
		memmove(out->s, v4, strlen(v4) + 1);
	return 0;
}

int
pb_req_peer(struct pb_req *r, const char *where, struct pb_ip *out)
{
	struct pb_err e;

	if (pb_peer_parse(out, r->remote_addr, &e) == 0)
		return 0;
	pb_reply_internal(r, where, &e);
	return -1;
}
