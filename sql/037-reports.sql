-- Reports for operators in psql (issue 15; docs/reports.md has example
-- queries): how installs go per workflow, and which nodes went quiet.
-- Beside node_summary and node_overview (sql/005-views.sql).
--
-- pureboot_report: a role that may read these views (and 005's two) and nothing
-- else, for a monitoring check that must not be the owner
-- (sql/grants.sql grants it).  LOGIN without a password, as in 031.
DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pureboot_report') THEN
		CREATE ROLE pureboot_report LOGIN NOSUPERUSER NOCREATEDB
		    NOCREATEROLE NOINHERIT;
	END IF;
END
$$;

-- stale_after: seconds without contact (last_seen: any API call, lease
-- or TFTP event of the node) after which stale_nodes lists a node;
-- 60 to 31536000 (a year), default 86400 (a day).
ALTER TABLE pureboot.settings DROP CONSTRAINT settings_key_check;
ALTER TABLE pureboot.settings ADD CONSTRAINT settings_key_check CHECK (key IN (
	'server_url', 'auto_register', 'discovery', 'agent_trust',
	'discovery_limit', 'discovery_per_addr', 'events_per_minute',
	'install_token_ttl', 'stale_after'));
ALTER TABLE pureboot.settings DROP CONSTRAINT settings_value_check;
ALTER TABLE pureboot.settings ADD CONSTRAINT settings_value_check CHECK (CASE key
	WHEN 'server_url' THEN pureboot.server_url_ok(value)
	WHEN 'auto_register' THEN value IN ('on', 'off')
	WHEN 'discovery' THEN value IN ('on', 'off')
	WHEN 'agent_trust' THEN value IN ('address', 'open')
	-- 0 refuses every new node the agent would make
	WHEN 'discovery_limit' THEN value ~ '^(0|[1-9][0-9]{0,6})$'
	WHEN 'discovery_per_addr' THEN value ~ '^[1-9][0-9]{0,5}$'
	WHEN 'events_per_minute' THEN value ~ '^[1-9][0-9]{0,5}$'
	-- seconds, 1 to 2592000 (30 days)
	WHEN 'install_token_ttl' THEN value ~ '^[1-9][0-9]{0,6}$'
	                              AND value::integer <= 2592000
	WHEN 'stale_after' THEN value ~ '^[1-9][0-9]{1,7}$'
	                        AND value::integer BETWEEN 60 AND 31536000
	ELSE false
END);

-- One install attempt per entry into installing; its outcome is the
-- node's next transition (installed, install_failed, or retired), its
-- reason that transition's comment ("agent: <reason>", "install token
-- expired", ...).  Counted under the node's workflow of today: a node
-- moved to another workflow takes its history along.
CREATE VIEW pureboot.install_attempts AS
SELECT s.node_id, n.workflow_id, s.created_at AS started_at,
       o.to_state AS outcome, o.comment AS reason, o.created_at AS ended_at,
       o.created_at - s.created_at AS duration
FROM pureboot.node_state_log s
JOIN pureboot.nodes n ON n.id = s.node_id
LEFT JOIN LATERAL (
	SELECT l.to_state, l.comment, l.created_at
	FROM pureboot.node_state_log l
	WHERE l.node_id = s.node_id AND l.id > s.id
	ORDER BY l.id
	LIMIT 1
) o ON true
WHERE s.to_state = 'installing';

-- Per workflow (every one, with or without installs): attempts,
-- successes, failures, those still running, the failures counted by
-- reason ({"reason": count}) and the median duration of the successful
-- ones (NULL before the first).
CREATE VIEW pureboot.install_report AS
SELECT w.id AS workflow_id,
       count(a.started_at) AS installs,
       count(*) FILTER (WHERE a.outcome = 'installed') AS succeeded,
       count(*) FILTER (WHERE a.outcome = 'install_failed') AS failed,
       count(*) FILTER (WHERE a.started_at IS NOT NULL AND a.outcome IS NULL) AS running,
       coalesce((SELECT jsonb_object_agg(r.reason, r.n)
                 FROM (SELECT coalesce(f.reason, 'no reason given') AS reason,
                              count(*) AS n
                       FROM pureboot.install_attempts f
                       WHERE f.workflow_id = w.id AND f.outcome = 'install_failed'
                       GROUP BY 1) r), '{}') AS failures_by_reason,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY a.duration)
           FILTER (WHERE a.outcome = 'installed') AS median_duration
FROM pureboot.workflows w
LEFT JOIN pureboot.install_attempts a ON a.workflow_id = w.id
GROUP BY w.id;

-- Nodes not retired that nothing has heard from for longer than
-- stale_after seconds; a node never seen counts from its creation.
-- The setting is read inline, not through pureboot.setting(): a view
-- runs its functions as the caller, and pureboot_report may run none.
CREATE VIEW pureboot.stale_nodes AS
SELECT n.id, n.serial, n.mac, n.hostname, n.state, n.workflow_id,
       n.last_seen,
       now() - coalesce(n.last_seen, n.created_at) AS silent_for
FROM pureboot.nodes n
WHERE n.state <> 'retired'
  AND coalesce(n.last_seen, n.created_at) < now()
      - make_interval(secs => coalesce((SELECT s.value::integer
                                        FROM pureboot.settings s
                                        WHERE s.key = 'stale_after'), 86400));
