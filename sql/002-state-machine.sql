-- The node state machine (docs/state-machine.md).
--
-- It lives in one place: the triggers on pureboot.nodes. The API, the
-- hook's reconciler and an operator in psql all change state with an
-- UPDATE (directly or through pureboot.transition()), so none of them
-- can skip a check or forget the log row.
--
-- Who did it travels in transaction-local settings, because a trigger
-- has no arguments:
--   pureboot.actor    text, e.g. 'api:agent'; unset: 'sql:' || session_user
--   pureboot.comment  text, optional
--   pureboot.force    'true'/'false'; unset: false
-- A setting once set in a session reads back as '' after its transaction
-- ends, not NULL, so '' counts as unset.

CREATE TABLE pureboot.allowed_transitions (
	from_state  pureboot.node_state NOT NULL,
	to_state    pureboot.node_state NOT NULL,
	PRIMARY KEY (from_state, to_state),
	CHECK (from_state <> to_state)
);

INSERT INTO pureboot.allowed_transitions (from_state, to_state) VALUES
	('discovered',     'pending'),
	('discovered',     'cloning_target'),
	('pending',        'installing'),
	('installing',     'installed'),
	('installing',     'install_failed'),
	-- Refused after 3 failed attempts unless forced: see below.
	('install_failed', 'pending'),
	('installed',      'active'),
	('installed',      'reprovision'),
	('active',         'reprovision'),
	('active',         'deprovisioning'),
	('active',         'migrating'),
	('active',         'serving_source'),
	('active',         'cloning_target'),
	('reprovision',    'pending'),
	('deprovisioning', 'retired'),
	('migrating',      'active'),
	('serving_source', 'active'),
	('cloning_target', 'installed');

-- Any state but retired may be retired: a dead board must never block.
INSERT INTO pureboot.allowed_transitions (from_state, to_state)
SELECT s, 'retired'
FROM unnest(enum_range(NULL::pureboot.node_state)) AS s
WHERE s <> 'retired'
ON CONFLICT DO NOTHING;

-- A node with a retry loop that keeps failing is usually broken hardware
-- or a broken image; after this many failures a human must say "force".
CREATE FUNCTION pureboot.max_install_attempts() RETURNS integer
LANGUAGE sql IMMUTABLE AS $$ SELECT 3 $$;

CREATE FUNCTION pureboot.current_actor() RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT coalesce(nullif(current_setting('pureboot.actor', true), ''),
	                'sql:' || session_user)
$$;

CREATE FUNCTION pureboot.current_comment() RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT nullif(current_setting('pureboot.comment', true), '')
$$;

CREATE FUNCTION pureboot.current_force() RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT coalesce(nullif(current_setting('pureboot.force', true), '')::boolean, false)
$$;

-- Every node enters the machine at the start; anything else would skip
-- the checks (and the log) of the transitions that lead there.
CREATE FUNCTION pureboot.nodes_check_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.state <> 'discovered' THEN
		RAISE EXCEPTION USING
			ERRCODE = 'PB409',
			MESSAGE = format('node %s: a new node must be in state discovered, not %s',
			                 NEW.id, NEW.state);
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER nodes_state_insert BEFORE INSERT ON pureboot.nodes
	FOR EACH ROW EXECUTE FUNCTION pureboot.nodes_check_insert();

-- Its trigger has no WHEN clause on purpose: "SET state = <current>" is a
-- transition to the current state, which the table does not allow, and
-- the caller is told rather than silently getting a no-op.
CREATE FUNCTION pureboot.nodes_check_transition() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM FROM pureboot.allowed_transitions t
	WHERE t.from_state = OLD.state AND t.to_state = NEW.state;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING
			ERRCODE = 'PB409',
			MESSAGE = format('node %s: transition from %s to %s is not allowed',
			                 OLD.id, OLD.state, NEW.state);
	END IF;

	IF OLD.state = 'install_failed' AND NEW.state = 'pending'
	   AND OLD.install_attempts >= pureboot.max_install_attempts()
	   AND NOT pureboot.current_force() THEN
		RAISE EXCEPTION USING
			ERRCODE = 'PB409',
			MESSAGE = format('node %s: transition from %s to %s refused after %s failed install attempts, use force',
			                 OLD.id, OLD.state, NEW.state, OLD.install_attempts),
			HINT = 'pureboot.transition(node, ''pending'', actor, comment, p_force => true)';
	END IF;

	-- The counter belongs to the machine: derived from OLD, whatever the
	-- UPDATE tried to write into it alongside the state.
	IF OLD.state = 'installing' AND NEW.state = 'install_failed' THEN
		NEW.install_attempts := OLD.install_attempts + 1;
	ELSIF NEW.state = 'installed'
	      OR (OLD.state = 'reprovision' AND NEW.state = 'pending') THEN
		NEW.install_attempts := 0;
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER nodes_state_check BEFORE UPDATE OF state ON pureboot.nodes
	FOR EACH ROW EXECUTE FUNCTION pureboot.nodes_check_transition();

CREATE FUNCTION pureboot.nodes_log_state() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO pureboot.node_state_log
			(node_id, from_state, to_state, actor, comment, forced)
		VALUES (NEW.id, NULL, NEW.state, pureboot.current_actor(),
		        pureboot.current_comment(), false);
	ELSE
		INSERT INTO pureboot.node_state_log
			(node_id, from_state, to_state, actor, comment, forced)
		VALUES (NEW.id, OLD.state, NEW.state, pureboot.current_actor(),
		        pureboot.current_comment(), pureboot.current_force());
	END IF;
	RETURN NULL;
END
$$;

CREATE TRIGGER nodes_state_log_insert AFTER INSERT ON pureboot.nodes
	FOR EACH ROW EXECUTE FUNCTION pureboot.nodes_log_state();

CREATE TRIGGER nodes_state_log_update AFTER UPDATE OF state ON pureboot.nodes
	FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state)
	EXECUTE FUNCTION pureboot.nodes_log_state();

-- The one call for the API and for operators. The triggers do the
-- checking and the logging; this only carries actor, comment and force
-- to them and turns "no such node" into an error of its own.
CREATE FUNCTION pureboot.transition(
	p_node uuid,
	p_to pureboot.node_state,
	p_actor text,
	p_comment text DEFAULT NULL,
	p_force boolean DEFAULT false
) RETURNS pureboot.nodes
LANGUAGE plpgsql AS $$
DECLARE
	n pureboot.nodes;
	-- Restored afterwards, so a caller's own settings for later
	-- statements of its transaction survive this call.
	prev_actor text := coalesce(current_setting('pureboot.actor', true), '');
	prev_comment text := coalesce(current_setting('pureboot.comment', true), '');
	prev_force text := coalesce(current_setting('pureboot.force', true), '');
BEGIN
	-- The row lock orders concurrent transitions of one node: the second
	-- waits, then is checked against the state the first left behind.
	PERFORM FROM pureboot.nodes WHERE id = p_node FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING
			ERRCODE = 'PB404',
			MESSAGE = format('node %s not found', coalesce(p_node::text, 'NULL'));
	END IF;

	PERFORM set_config('pureboot.actor', coalesce(p_actor, ''), true);
	PERFORM set_config('pureboot.comment', coalesce(p_comment, ''), true);
	PERFORM set_config('pureboot.force', coalesce(p_force, false)::text, true);

	UPDATE pureboot.nodes SET state = p_to WHERE id = p_node RETURNING * INTO n;

	PERFORM set_config('pureboot.actor', prev_actor, true);
	PERFORM set_config('pureboot.comment', prev_comment, true);
	PERFORM set_config('pureboot.force', prev_force, true);
	RETURN n;
END
$$;
