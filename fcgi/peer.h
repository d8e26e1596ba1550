/* peer.h: the address a request came from, as nginx saw it: the one
 * network identity a Pi has on the provisioning network (issue 10,
 * docs/security.md). */
#ifndef PB_PEER_H
#define PB_PEER_H

#include "core/ident.h"
#include "req.h"

/* REMOTE_ADDR as an address (pure): IPv4 or IPv6 as inet_ntop prints
 * it; an IPv4-mapped IPv6 address (::ffff:10.0.0.5, what a dual-stack
 * listener reports) is its IPv4 address, so it matches the DHCP lease.
 * Empty (nginx passes no REMOTE_ADDR) and "unix:" are refused. */
int pb_peer_parse(struct pb_ip *out, const char *remote_addr,
    struct pb_err *e);

/* r's peer address; replies 500 (the server is misconfigured, not the
 * client) and returns -1 when there is none. */
int pb_req_peer(struct pb_req *r, const char *where, struct pb_ip *out);

#endif
