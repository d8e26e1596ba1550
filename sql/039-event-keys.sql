-- 039: agent events exactly once (issue 14).
--
-- An event whose transaction committed but whose answer never reached
-- the client (an API worker killed, nginx reloaded) was recorded a
-- second time when the client tried again.  A client may now name each
-- event with a key of its own (POST /nodes/{id}/events {"key": ...}):
-- a key the node already used records nothing new and changes no state,
-- and the answer is the first one's (same event id).  The agent's keys
-- are unique per boot and event (initramfs/agent/lib.sh pb_event).
--
-- The character set is the API's (fcgi/h_event.c checks it first and
-- says why); this CHECK is for psql.  Keys are per node: two nodes may
-- use the same one.
ALTER TABLE pureboot.node_events ADD COLUMN client_key text
	CONSTRAINT node_events_client_key_check
	CHECK (client_key ~ '^[A-Za-z0-9._:-]{1,64}$');
CREATE UNIQUE INDEX node_events_client_key_idx
	ON pureboot.node_events (node_id, client_key)
	WHERE client_key IS NOT NULL;

-- POST /nodes/{id}/events, with or without a key (p_key NULL: as
-- before).  node_event() stays the one owner of the event rule (the
-- node's lock, the events_per_minute limit, install_failed and
-- first_boot's transitions, the row): this only answers a repeat of a
-- key, and names the row node_event() made with it.  Setting the key
-- on that row in the same transaction, rather than restating
-- node_event() with a sixth parameter, keeps the list of agent event
-- types in one place (restated whole in 030, 032 and 038).
--
-- A repeat is answered before the limit: it writes nothing.  The same
-- key with another type or other fields is not a repeat but a client
-- bug (409), never silently taken for the first event.  o_state is the
-- node's state now.
CREATE FUNCTION pureboot.node_event_keyed(p_node uuid, p_type text,
	p_payload jsonb, p_actor text, p_limited boolean, p_key text)
RETURNS TABLE (o_event bigint, o_state pureboot.node_state,
	o_duplicate boolean)
LANGUAGE plpgsql AS $$
DECLARE
	ev pureboot.node_events;
BEGIN
	o_duplicate := false;
	IF p_key IS NOT NULL THEN
		-- node_event()'s lock, taken first: a second try that arrives
		-- while the first runs waits for it, then sees its row.
		SELECT n.state INTO o_state FROM pureboot.nodes n
		WHERE n.id = p_node FOR UPDATE;
		SELECT * INTO ev FROM pureboot.node_events e
		WHERE e.node_id = p_node AND e.client_key = p_key;
		IF FOUND THEN
			IF ev.type <> p_type OR
			    ev.payload <> coalesce(p_payload, '{}') THEN
				RAISE EXCEPTION USING ERRCODE = 'PB409',
					MESSAGE = format('node %s: key %s is already '
					    'event %s, of type %s%s', p_node,
					    pureboot.msg_quote(p_key), ev.id, ev.type,
					    CASE WHEN ev.type = p_type
					    THEN ' with other fields'
					    ELSE ', not ' || p_type END);
			END IF;
			o_event := ev.id;
			o_duplicate := true;
			RETURN NEXT;
			RETURN;
		END IF;
	END IF;
	SELECT e.o_event, e.o_state INTO o_event, o_state
	FROM pureboot.node_event(p_node, p_type, p_payload, p_actor,
	    p_limited) e;
	IF p_key IS NOT NULL THEN
		UPDATE pureboot.node_events SET client_key = p_key
		WHERE id = o_event;
	END IF;
	RETURN NEXT;
END
$$;
