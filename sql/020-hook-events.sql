-- Events from dnsmasq's --dhcp-script, recorded by pureboot-tftp-hook
-- (docs/pi-boot.md, the servers).  One call per event, one round trip: dnsmasq runs its
-- script synchronously and must not wait long.

-- A lease event (add, old, del) for a MAC.  Returns the node it was
-- recorded for, or NULL when no node has that MAC (nothing is written:
-- an unknown Pi registers itself through the API).
CREATE FUNCTION pureboot.hook_dhcp_event(
	p_action text, p_mac macaddr, p_ip inet, p_vendor text, p_hostname text
) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
	n uuid;
BEGIN
	IF p_action NOT IN ('add', 'old', 'del') THEN
		RAISE EXCEPTION USING ERRCODE = 'PB400',
			MESSAGE = format('dhcp event %s is not add, old or del',
			                 pureboot.msg_quote(p_action));
	END IF;
	SELECT id INTO n FROM pureboot.nodes WHERE mac = p_mac;
	IF n IS NULL THEN
		RETURN NULL;
	END IF;
	UPDATE pureboot.nodes SET last_seen = now() WHERE id = n;
	INSERT INTO pureboot.node_events (node_id, type, payload)
	VALUES (n, 'dhcp_' || p_action, jsonb_strip_nulls(jsonb_build_object(
		'mac', p_mac::text, 'ip', host(p_ip), 'vendor_class', p_vendor,
		'hostname', p_hostname)));
	RETURN n;
END
$$;

-- A finished TFTP transfer.  The node is found by the serial or MAC
-- directory in the path, else by its last known address.  dnsmasq runs
-- the script twice for a file a Pi first probes for its size (it aborts
-- right after the OACK and asks again): the second identical event
-- within a few seconds is dropped.  p_client_mac is the client's MAC
-- from the server's neighbour table: a node found by its serial that
-- has no MAC yet gets it (a Pi is known by serial before it registers),
-- unless another node has that MAC.
CREATE FUNCTION pureboot.hook_tftp_event(
	p_size bigint, p_ip inet, p_serial text, p_mac macaddr, p_file text,
	p_client_mac macaddr DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
	n uuid;
	v_payload jsonb;
BEGIN
	IF p_serial IS NOT NULL THEN
		SELECT id INTO n FROM pureboot.nodes WHERE serial = p_serial;
		IF n IS NOT NULL AND p_client_mac IS NOT NULL
		   AND NOT EXISTS (SELECT 1 FROM pureboot.nodes WHERE mac = p_client_mac) THEN
			PERFORM set_config('pureboot.actor', 'tftp-hook', true);
			UPDATE pureboot.nodes SET mac = p_client_mac
			WHERE id = n AND mac IS NULL;
		END IF;
	END IF;
	IF n IS NULL AND p_mac IS NOT NULL THEN
		SELECT id INTO n FROM pureboot.nodes WHERE mac = p_mac;
	END IF;
	IF n IS NULL AND p_ip IS NOT NULL THEN
		SELECT id INTO n FROM pureboot.nodes WHERE ip_address = p_ip
		ORDER BY last_seen DESC NULLS LAST LIMIT 1;
	END IF;
	IF n IS NULL THEN
		RETURN NULL;
	END IF;
	v_payload := jsonb_build_object('file', p_file, 'ip', host(p_ip), 'size', p_size);
	UPDATE pureboot.nodes SET last_seen = now() WHERE id = n;
	IF NOT EXISTS (
		SELECT 1 FROM pureboot.node_events e
		WHERE e.node_id = n AND e.type = 'tftp_sent' AND e.payload = v_payload
		  AND e.created_at > now() - interval '5 seconds')
	THEN
		INSERT INTO pureboot.node_events (node_id, type, payload)
		VALUES (n, 'tftp_sent', v_payload);
	END IF;
	RETURN n;
END
$$;
