/* stmts.c: every SQL statement the API runs, prepared once per
 * connection.  Parameters only; no SQL is ever built from input.
 * JSON answers are built by PostgreSQL (json_build_object keeps key
 * order); hutil.c re-prints them compact with jansson. */
#include <stddef.h>

#include "db.h"

/* One page of a node's log: rows after $2 (an id), at most $3, and the
 * id to ask for next when the page is full. */
#define PAGE(list, tbl, obj) \
	"SELECT json_build_object('node_id', n.id, '" list "', " \
	"coalesce(json_agg(" obj " ORDER BY l.id) FILTER (WHERE l.id IS NOT " \
	"NULL), '[]'::json), 'next', CASE WHEN count(l.id) = $3::int " \
	"THEN max(l.id) END) " \
	"FROM pureboot.nodes n LEFT JOIN LATERAL (SELECT * FROM pureboot." \
	tbl " l WHERE l.node_id = n.id AND l.id > coalesce($2::bigint, 0) " \
	"ORDER BY l.id LIMIT $3::int) l ON true WHERE n.id = $1::uuid " \
	"GROUP BY n.id"

const struct pb_stmt pb_stmts[] = {
	{ "health", "SELECT 1", 0 },

	/* auth.c */
	{ "api_token", "SELECT name, encode(hash, 'hex'), revoked_at IS NOT NULL "
	  "FROM pureboot.api_tokens WHERE id = $1", 1 },
	{ "api_token_used", "UPDATE pureboot.api_tokens SET last_used = now() "
	  "WHERE id = $1", 1 },
	{ "install_token", "SELECT o_node, o_hash, o_ended "
	  "FROM pureboot.install_token_get($1)", 1 },

	/* h_register.c, h_boot.c */
	{ "register_pi", "SELECT o_node, o_state, o_created, o_refused FROM "
	  "pureboot.register_pi($1, $2::macaddr, $3, $4::inet, $5, $6::inet)",
	  6 },
	/* The first nine columns in the order of instr.h's PB_IC_*. */
	{ "boot_pi", "SELECT o_node, o_state, o_serial, o_mac, o_hostname, "
	  "o_workflow, o_definition, o_server, o_attempts, o_issued, "
	  "o_registered, o_refused FROM pureboot.boot_pi($1, $2::macaddr, $3, "
	  "decode($4, 'hex'), $5::inet)", 5 },
	{ "boot_arm64", "SELECT o_node, o_state, o_serial, o_mac, o_hostname, "
	  "o_workflow, o_definition, o_server, o_attempts, o_issued, "
	  "o_registered, o_refused FROM pureboot.boot_arm64($1::macaddr, $2, "
	  "$3, $4, decode($5, 'hex'), $6::inet)", 6 },
	/* h_install.c: as boot_pi's first nine columns. */
	{ "node_install", "SELECT o_node, o_state, o_serial, o_mac, "
	  "o_hostname, o_workflow, o_definition, o_server, o_attempts "
	  "FROM pureboot.node_install($1::uuid)", 1 },
	{ "boot_fail", "SELECT (pureboot.transition($1::uuid, 'install_failed', "
	  "'api:boot', $2)).state", 2 },

	/* h_nodes.c, h_node_patch.c */
	{ "nodes_list",
	  "SELECT json_build_object('nodes', coalesce(json_agg("
	  "pureboot.node_json(x.n) ORDER BY (x.n).id), '[]'::json), 'next', "
	  "CASE WHEN count(*) = $6::int THEN (array_agg((x.n).id "
	  "ORDER BY (x.n).id DESC))[1] END) "
	  "FROM (SELECT n FROM pureboot.nodes n "
	  "WHERE ($1::text IS NULL OR n.arch = $1) "
	  "AND ($2::pureboot.node_state IS NULL OR n.state = $2) "
	  "AND ($3::text IS NULL OR n.pi_model = $3) "
	  "AND ($4::text IS NULL OR n.workflow_id = $4) "
	  "AND ($5::uuid IS NULL OR n.id > $5) "
	  "ORDER BY n.id LIMIT $6::int) x(n)", 6 },
	{ "node_get", "SELECT pureboot.node_json(n) FROM pureboot.nodes n "
	  "WHERE n.id = $1::uuid", 1 },
	/* Functions, not statements: pureboot_api may not write the table
	 * (sql/grants.sql). */
	{ "node_delete", "SELECT * FROM pureboot.node_delete($1::uuid)", 1 },
	{ "node_patch", "SELECT * FROM pureboot.node_patch($1::uuid, "
	  "$2::boolean, $3::text, $4::boolean, $5::text, $6::boolean, $7::text, "
	  "$8::boolean, $9::macaddr, $10::boolean, $11::text, $12::boolean, "
	  "$13::text, $14::boolean, $15::text, $16::boolean, $17::text)", 17 },
	/* With "vars" (fcgi/nodevars.c, sql/038): the same patch, then the
	 * checked values, in one statement and so one transaction. */
	{ "node_patch_vars", "SELECT pureboot.node_set_vars($1::uuid, $18::jsonb) "
	  "FROM pureboot.node_patch($1::uuid, "
	  "$2::boolean, $3::text, $4::boolean, $5::text, $6::boolean, $7::text, "
	  "$8::boolean, $9::macaddr, $10::boolean, $11::text, $12::boolean, "
	  "$13::text, $14::boolean, $15::text, $16::boolean, $17::text) p(j) "
	  "WHERE p.j IS NOT NULL", 18 },
	{ "node_vars", "SELECT o_vars, o_definition FROM pureboot.node_vars("
	  "$1::uuid, $2)", 2 },
	/* h_node_create.c */
	{ "node_create", "SELECT * FROM pureboot.node_create($1::macaddr, $2, "
	  "$3, $4, $5, $6, $7, $8)", 8 },

	/* h_boards.c */
	{ "boards_list", "SELECT json_build_object('boards', coalesce(json_agg("
	  "pureboot.board_json(b) ORDER BY b.name), '[]'::json)) "
	  "FROM pureboot.boards b", 0 },
	{ "board_add", "SELECT * FROM pureboot.board_add($1, $2, $3, $4, $5, "
	  "$6)", 6 },
	{ "board_remove", "SELECT * FROM pureboot.board_remove($1)", 1 },

	/* h_transition.c, h_installed.c, h_event.c */
	{ "transition", "SELECT pureboot.node_json(pureboot.transition("
	  "$1::uuid, $2::pureboot.node_state, $3, $4, $5::boolean))", 5 },
	{ "installed", "SELECT pureboot.node_installed($1::uuid, $2)", 2 },
	{ "node_event", "SELECT o_event, o_state, o_duplicate FROM "
	  "pureboot.node_event_keyed($1::uuid, $2, $3::jsonb, $4, "
	  "$5::boolean, $6)", 6 },

	/* h_logs.c */
	{ "history", PAGE("history", "node_state_log",
	  "json_build_object('id', l.id, 'from', l.from_state, 'to', "
	  "l.to_state, 'actor', l.actor, 'comment', l.comment, 'forced', "
	  "l.forced, 'at', l.created_at)"), 3 },
	{ "events", PAGE("events", "node_events",
	  "json_build_object('id', l.id, 'type', l.type, 'payload', "
	  "l.payload, 'at', l.created_at)"), 3 },

	/* h_site_events.c: the last $2 events, or the first $2 after $1. */
	{ "site_events", "SELECT json_build_object('events', "
	  "coalesce(json_agg(json_build_object('id', l.id, 'node_id', "
	  "l.node_id, 'serial', n.serial, 'hostname', n.hostname, 'type', "
	  "l.type, 'payload', l.payload, 'at', l.created_at) ORDER BY l.id) "
	  "FILTER (WHERE l.id IS NOT NULL), '[]'::json), 'cursor', "
	  "coalesce(max(l.id), $1::bigint, 0)) "
	  "FROM (SELECT * FROM pureboot.node_events WHERE $1::bigint IS NULL "
	  "OR id > $1::bigint ORDER BY CASE WHEN $1::bigint IS NULL THEN -id "
	  "ELSE id END LIMIT $2::int) l "
	  "LEFT JOIN pureboot.nodes n ON n.id = l.node_id", 2 },

	/* h_workflows.c */
	{ "workflows_list", "SELECT json_build_object('workflows', "
	  "coalesce(json_agg(json_build_object('id', w.id, 'name', w.name, "
	  "'arch', w.arch, 'install_method', w.definition->>'install_method', "
	  "'updated_at', w.updated_at) ORDER BY w.id), '[]'::json)) "
	  "FROM pureboot.workflows w", 0 },
	{ "workflow_get", "SELECT json_build_object('id', w.id, 'name', w.name, "
	  "'arch', w.arch, 'definition', w.definition, 'created_at', "
	  "w.created_at, 'updated_at', w.updated_at) "
	  "FROM pureboot.workflows w WHERE w.id = $1", 1 },

	/* h_settings.c */
	{ "settings_get", "SELECT pureboot.settings_json()", 0 },
	{ "settings_set", "INSERT INTO pureboot.settings (key, value) "
	  "SELECT v.key, v.value FROM (VALUES ('server_url', $1::text), "
	  "('auto_register', $2::text), ('discovery', $3::text), "
	  "('agent_trust', $4::text), ('discovery_limit', $5::text), "
	  "('discovery_per_addr', $6::text), ('events_per_minute', $7::text), "
	  "('install_token_ttl', $8::text)) "
	  "v(key, value) WHERE v.value IS NOT NULL "
	  "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", 8 },

	{ NULL, NULL, 0 },
};
