-- PureBoot-Pi schema: types and tables.
--
-- PostgreSQL is the only source of truth (docs/architecture.md), and psql is a
-- supported client beside the API, so every rule that keeps the data
-- sane is a constraint here, not only a check in C.
--
-- Regular expressions below rely on a PostgreSQL fact proved in
-- t/sql/0102-constraints.sql: in an ARE, '$' matches only at the very end
-- of the string, never before a trailing newline (unlike Perl or PCRE).

-- gen_random_bytes() for API tokens; gen_random_uuid() is built in.
-- Pinned to public and called qualified, so token_create() does not
-- depend on a caller's search_path. The cast fails this migration, not
-- a later token_create(), if pgcrypto was already installed elsewhere.
CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;
DO $$ BEGIN PERFORM 'public.gen_random_bytes(integer)'::regprocedure; END $$;

CREATE SCHEMA pureboot;

CREATE TYPE pureboot.node_state AS ENUM (
	'discovered',
	'pending',
	'installing',
	'install_failed',
	'installed',
	'active',
	'reprovision',
	'deprovisioning',
	'migrating',
	'serving_source',
	'cloning_target',
	'retired'
);

-- Kept current by a trigger so that no writer (API, hook, psql) can forget.
CREATE FUNCTION pureboot.touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.updated_at := now();
	RETURN NEW;
END
$$;

CREATE TABLE pureboot.workflows (
	-- The id names files and appears in URLs: keep it to a safe slug.
	id          text PRIMARY KEY
	            CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
	name        text NOT NULL
	            CHECK (char_length(name) BETWEEN 1 AND 200
	                   AND name !~ '[\u0001-\u001f\u007f-\u009f]'),
	arch        text NOT NULL CHECK (arch IN ('aarch64', 'x86_64')),
	definition  jsonb NOT NULL CHECK (jsonb_typeof(definition) = 'object'),
	created_at  timestamptz NOT NULL DEFAULT now(),
	updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TRIGGER workflows_touch BEFORE UPDATE ON pureboot.workflows
	FOR EACH ROW EXECUTE FUNCTION pureboot.touch_updated_at();

CREATE TABLE pureboot.nodes (
	id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	-- The low 8 hex digits the Pi bootloader uses as its TFTP prefix; the
	-- hook makes a directory of it, so one stray byte is a path problem.
	serial      text UNIQUE CHECK (serial ~ '^[0-9a-f]{8}$'),
	-- macaddr normalises case and separators, so UNIQUE really is unique.
	mac         macaddr UNIQUE,
	arch        text NOT NULL CHECK (arch IN ('aarch64', 'x86_64')),
	boot_mode   text NOT NULL CHECK (boot_mode IN ('bios', 'uefi', 'pi', 'uboot')),
	pi_model    text CHECK (pi_model IN ('pi3', 'pi3+', 'cm3', 'pi4', 'pi400',
	                                     'cm4', 'pi5', 'cm5', 'pi500')),
	-- One RFC 1123 label, lower case: it ends up in cmdline.txt.
	hostname    text CHECK (hostname ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
	ip_address  inet,
	state       pureboot.node_state NOT NULL DEFAULT 'discovered',
	workflow_id text REFERENCES pureboot.workflows (id)
	            ON UPDATE CASCADE ON DELETE RESTRICT,
	install_attempts integer NOT NULL DEFAULT 0 CHECK (install_attempts >= 0),
	created_at  timestamptz NOT NULL DEFAULT now(),
	updated_at  timestamptz NOT NULL DEFAULT now(),
	last_seen   timestamptz,

	-- Without either the node cannot be found again when it boots.
	CONSTRAINT nodes_serial_or_mac CHECK (serial IS NOT NULL OR mac IS NOT NULL),
	-- A Pi's TFTP directory is named after its serial.
	CONSTRAINT nodes_pi_has_serial CHECK (boot_mode <> 'pi' OR serial IS NOT NULL),
	CONSTRAINT nodes_pi_model_arch CHECK (pi_model IS NULL OR arch = 'aarch64')
);

CREATE INDEX nodes_state_idx ON pureboot.nodes (state);
CREATE INDEX nodes_workflow_id_idx ON pureboot.nodes (workflow_id);
CREATE INDEX nodes_pi_model_idx ON pureboot.nodes (pi_model);

CREATE TRIGGER nodes_touch BEFORE UPDATE ON pureboot.nodes
	FOR EACH ROW EXECUTE FUNCTION pureboot.touch_updated_at();

-- A workflow installs one architecture; a node of the other one would be
-- served a kernel it cannot run. A foreign key cannot say this, so the
-- two triggers below do, from both sides.
CREATE FUNCTION pureboot.nodes_check_workflow_arch() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	wf_arch text;
BEGIN
	IF NEW.workflow_id IS NULL THEN
		RETURN NEW;
	END IF;
	-- FOR SHARE waits for a concurrent change of the workflow's arch, so
	-- the two triggers cannot both pass in racing transactions.
	SELECT w.arch INTO wf_arch FROM pureboot.workflows w
	WHERE w.id = NEW.workflow_id
	FOR SHARE;
	-- A missing workflow is the foreign key's error to report.
	IF FOUND AND wf_arch <> NEW.arch THEN
		RAISE EXCEPTION USING
			ERRCODE = 'PB409',
			MESSAGE = format('node %s: workflow %s is for %s, the node is %s',
			                 NEW.id, NEW.workflow_id, wf_arch, NEW.arch);
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER nodes_workflow_arch
	BEFORE INSERT OR UPDATE OF workflow_id, arch ON pureboot.nodes
	FOR EACH ROW EXECUTE FUNCTION pureboot.nodes_check_workflow_arch();

CREATE FUNCTION pureboot.workflows_check_node_arch() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	n_id uuid;
	n_arch text;
BEGIN
	SELECT n.id, n.arch INTO n_id, n_arch
	FROM pureboot.nodes n
	WHERE n.workflow_id = OLD.id AND n.arch <> NEW.arch
	ORDER BY n.id
	LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING
			ERRCODE = 'PB409',
			MESSAGE = format('workflow %s: cannot change arch to %s, node %s is %s',
			                 OLD.id, NEW.arch, n_id, n_arch);
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER workflows_node_arch
	BEFORE UPDATE OF arch ON pureboot.workflows
	FOR EACH ROW WHEN (OLD.arch IS DISTINCT FROM NEW.arch)
	EXECUTE FUNCTION pureboot.workflows_check_node_arch();

-- Written only by the triggers in 002-state-machine.sql.
CREATE TABLE pureboot.node_state_log (
	id          bigserial PRIMARY KEY,
	node_id     uuid NOT NULL REFERENCES pureboot.nodes (id) ON DELETE CASCADE,
	from_state  pureboot.node_state,        -- NULL: the node was created
	to_state    pureboot.node_state NOT NULL,
	actor       text NOT NULL,
	comment     text,
	forced      boolean NOT NULL DEFAULT false,
	created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX node_state_log_node_idx ON pureboot.node_state_log (node_id, id);

CREATE TABLE pureboot.node_events (
	id          bigserial PRIMARY KEY,
	node_id     uuid NOT NULL REFERENCES pureboot.nodes (id) ON DELETE CASCADE,
	type        text NOT NULL CHECK (type IN (
	                'boot_started', 'install_started', 'install_progress',
	                'install_failed', 'install_complete', 'first_boot',
	                'heartbeat', 'registered', 'dhcp_add', 'dhcp_old',
	                'dhcp_del', 'tftp_sent', 'install_timeout')),
	payload     jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(payload) = 'object'),
	created_at  timestamptz NOT NULL DEFAULT now()
);

-- "Latest event of a node" (node_overview) walks this backwards.
CREATE INDEX node_events_node_idx ON pureboot.node_events (node_id, id);

-- A closed set of keys, each with its own syntax: the hook and the API
-- read these without re-validating.
CREATE TABLE pureboot.settings (
	key         text PRIMARY KEY
	            CHECK (key IN ('server_url', 'auto_register', 'discovery')),
	value       text NOT NULL,
	CONSTRAINT settings_value_check CHECK (CASE key
		-- Replaced by sql/021-server-url.sql (lib/core/url.c's rule).
		WHEN 'server_url' THEN
			value ~ '^https?://[A-Za-z0-9.:\[\]-]+(/[A-Za-z0-9._~/-]*)?$'
		WHEN 'auto_register' THEN value IN ('on', 'off')
		WHEN 'discovery' THEN value IN ('on', 'off')
		ELSE false
	END)
);

-- Only the SHA-256 of the secret is kept: a dump of this table grants
-- nothing. The id is public (it is in the token) and finds the row.
CREATE TABLE pureboot.api_tokens (
	id          text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{12}$'),
	name        text NOT NULL UNIQUE
	            CHECK (name ~ '^[A-Za-z0-9._@-]{1,64}$'),
	hash        bytea NOT NULL CHECK (octet_length(hash) = 32),
	created_at  timestamptz NOT NULL DEFAULT now(),
	last_used   timestamptz,
	revoked_at  timestamptz
);
