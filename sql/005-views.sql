-- Views for operators in psql and for the API's list endpoints.

-- How many nodes of each kind are where: the first question in a boot storm.
CREATE VIEW pureboot.node_summary AS
SELECT n.state, n.pi_model, n.arch, count(*) AS nodes
FROM pureboot.nodes n
GROUP BY n.state, n.pi_model, n.arch;

-- One row per node with its latest event. LATERAL ... LIMIT 1 walks
-- node_events_node_idx backwards once per node instead of aggregating
-- the whole event table, which grows with every heartbeat.
CREATE VIEW pureboot.node_overview AS
SELECT n.id, n.serial, n.mac, n.pi_model, n.hostname, n.state,
       n.workflow_id, n.install_attempts,
       e.type AS last_event_type,
       e.created_at AS last_event_at,
       now() - e.created_at AS last_event_age,
       n.last_seen
FROM pureboot.nodes n
LEFT JOIN LATERAL (
	SELECT ev.type, ev.created_at
	FROM pureboot.node_events ev
	WHERE ev.node_id = n.id
	ORDER BY ev.id DESC
	LIMIT 1
) e ON true;
