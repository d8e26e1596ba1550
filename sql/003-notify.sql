-- NOTIFY pureboot_changes: what the TFTP hook listens to (docs/architecture.md).
--
-- Payload: a node id (re-render that node) or 'settings' (re-render
-- everything). Notifications are sent at commit and only then, so the
-- hook never reads a change that is later rolled back; identical
-- payloads within one transaction are folded into one by PostgreSQL.
-- The hook also reconciles on a timer, so a missed notification costs
-- latency, not correctness; a spurious one costs a re-render.

CREATE FUNCTION pureboot.notify_node() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		PERFORM pg_notify('pureboot_changes', OLD.id::text);
	END IF;
	-- An UPDATE of the id itself leaves a directory under the old id.
	IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.id <> OLD.id) THEN
		PERFORM pg_notify('pureboot_changes', NEW.id::text);
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER nodes_notify_insert_delete AFTER INSERT OR DELETE ON pureboot.nodes
	FOR EACH ROW EXECUTE FUNCTION pureboot.notify_node();

-- Only the columns the hook renders from; last_seen, ip_address and the
-- timestamps change on every heartbeat and must not wake the hook.
CREATE TRIGGER nodes_notify_update AFTER UPDATE ON pureboot.nodes
	FOR EACH ROW WHEN (
		OLD.id IS DISTINCT FROM NEW.id
		OR OLD.state IS DISTINCT FROM NEW.state
		OR OLD.workflow_id IS DISTINCT FROM NEW.workflow_id
		OR OLD.pi_model IS DISTINCT FROM NEW.pi_model
		OR OLD.mac IS DISTINCT FROM NEW.mac
		OR OLD.serial IS DISTINCT FROM NEW.serial
		OR OLD.hostname IS DISTINCT FROM NEW.hostname
		OR OLD.arch IS DISTINCT FROM NEW.arch
		OR OLD.boot_mode IS DISTINCT FROM NEW.boot_mode)
	EXECUTE FUNCTION pureboot.notify_node();

CREATE FUNCTION pureboot.notify_settings() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('pureboot_changes', 'settings');
	RETURN NULL;
END
$$;

CREATE TRIGGER settings_notify AFTER INSERT OR UPDATE OR DELETE ON pureboot.settings
	FOR EACH ROW EXECUTE FUNCTION pureboot.notify_settings();

CREATE TRIGGER settings_notify_truncate AFTER TRUNCATE ON pureboot.settings
	FOR EACH STATEMENT EXECUTE FUNCTION pureboot.notify_settings();

-- What a node boots comes from its workflow, so a changed workflow is a
-- change of each node that uses it. (A DELETE is refused by the foreign
-- key while nodes use it; the notification then dies with the
-- transaction, and stays correct if the key is ever relaxed.)
CREATE FUNCTION pureboot.notify_workflow_nodes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('pureboot_changes', n.id::text)
	FROM pureboot.nodes n
	WHERE n.workflow_id = OLD.id;
	RETURN NULL;
END
$$;

CREATE TRIGGER workflows_notify_update AFTER UPDATE OF definition, arch ON pureboot.workflows
	FOR EACH ROW WHEN (OLD.definition IS DISTINCT FROM NEW.definition
	                   OR OLD.arch IS DISTINCT FROM NEW.arch)
	EXECUTE FUNCTION pureboot.notify_workflow_nodes();

CREATE TRIGGER workflows_notify_delete AFTER DELETE ON pureboot.workflows
	FOR EACH ROW EXECUTE FUNCTION pureboot.notify_workflow_nodes();
