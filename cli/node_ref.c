/* node_ref.c: a node as the operator names it, and every node page by
 * page.  The API finds nodes by id only; a serial, MAC or hostname is
 * looked up in GET /nodes here, so that nothing but a UUID ever goes
 * into a node's URL. */
#include <stdio.h>
#include <string.h>

#include "core/ident.h"
#include "api.h"
#include "cmd.h"

int
api_nodes_all(struct api *a, const char *filter, json_t **nodes)
{
	char path[1024], after[64] = "";
	struct pb_uuid next;
	struct pb_err e;
	json_t *page = NULL, *arr;
	const char *n;
	int rc;

	if ((*nodes = json_array()) == NULL)
		return CMD_FAIL;
	for (;;) {
		snprintf(path, sizeof(path), "nodes?limit=1000%s%s%s",
		    filter, after[0] ? "&after=" : "", after);
		if ((rc = api_call(a, "GET", path, NULL, &page)) != CMD_OK)
			goto fail;
		arr = json_object_get(page, "nodes");
		if (!json_is_array(arr) || json_array_extend(*nodes, arr) == -1) {
			fprintf(stderr, "nodes: the API's answer has no nodes "
			    "array\n");
			rc = CMD_FAIL;
			goto fail;
		}
		n = json_string_value(json_object_get(page, "next"));
		if (n == NULL)
			break;
		/* The cursor goes back into a URL: it must be a UUID. */
		if (pb_uuid_parse(&next, n, &e) == -1) {
			fprintf(stderr, "nodes: the API's next: %s\n", e.msg);
			rc = CMD_FAIL;
			goto fail;
		}
		snprintf(after, sizeof(after), "%s", next.s);
		json_decref(page);
		page = NULL;
	}
	json_decref(page);
	return CMD_OK;
fail:
	json_decref(page);
	json_decref(*nodes);
	*nodes = NULL;
	return rc;
}

int
node_ref(struct api *a, const char *where, const char *arg, char id[37])
{
	struct pb_serial serial;
	struct pb_hostname host;
	struct pb_uuid u;
	struct pb_mac mac;
	struct pb_err e;
	const char *key, *want, *v;
	json_t *nodes = NULL, *n, *hit = NULL;
	size_t i;
	int rc, hits = 0;
	char q[80];

	if (pb_uuid_parse(&u, arg, &e) == 0) {
		memcpy(id, u.s, sizeof(u.s));
		return CMD_OK;
	}
	if (pb_serial_parse(&serial, arg, &e) == 0) {
		key = "serial";
		want = serial.s;
	} else if (pb_mac_parse(&mac, arg, &e) == 0) {
		key = "mac";
		want = mac.s;
	} else if (pb_hostname_parse(&host, arg, &e) == 0) {
		key = "hostname";
		want = host.s;
	} else {
		pb_quote(q, sizeof(q), arg, PB_QUOTE_MAX);
		fprintf(stderr, "%s: node \"%s\" is not a node id, serial (8 "
		    "hex digits), MAC or hostname\n", where, q);
		return CMD_FAIL;
	}
	if ((rc = api_nodes_all(a, "", &nodes)) != CMD_OK)
		return rc;
	json_array_foreach(nodes, i, n) {
		v = json_string_value(json_object_get(n, key));
		if (v != NULL && strcmp(v, want) == 0) {
			hit = n;
			hits++;
		}
	}
	if (hits != 1) {
		fprintf(stderr, "%s: %s \"%s\" %s\n", where, key, want,
		    hits == 0 ? "names no node" : "names more than one node: "
		    "give the node's id");
		json_decref(nodes);
		return hits == 0 ? CMD_NOTFOUND : CMD_FAIL;
	}
	v = json_string_value(json_object_get(hit, "id"));
	rc = CMD_FAIL;
	if (v == NULL || pb_uuid_parse(&u, v, &e) == -1)
		fprintf(stderr, "%s: the API's node id: %s\n", where,
		    v ? e.msg : "missing");
	else {
		memcpy(id, u.s, sizeof(u.s));
		rc = CMD_OK;
	}
	json_decref(nodes);
	return rc;
}
