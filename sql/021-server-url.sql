-- The server URL rule, SQL's copy.  lib/core/url.c (pb_url_parse) owns
-- it; this is as close as a regular expression gets, and
-- t/sql/0102-constraints.sql refuses the examples t/unit/url.c does.
-- It replaces 001's check, which took a 3,000-byte host, "http://-" or
-- "http://a:99999" for the hook to refuse later.  A stored value that
-- breaks the rule makes this migration fail: fix it, then migrate.
--
-- Looser than C in one place only: a bracketed IPv6 address is checked
-- to be hex digits and ':' here, and parsed by inet_pton in C
-- ("[:::]" passes here and is refused by the API and the hook).
CREATE FUNCTION pureboot.server_url_ok(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT AS $$
	SELECT length(v) <= 200
	AND v ~ ('^https?://('
		-- [IPv6]
		|| '\[[0-9A-Fa-f:]+\]'
		-- RFC 1123 labels of 1 to 63, no trailing dot; this takes a
		-- dotted IPv4 address too
		|| '|[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?'
		|| '(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*'
		-- port 1 to 65535, no leading zero
		|| ')(:([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}'
		|| '|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?'
		|| '(/[A-Za-z0-9._~/-]*)?$')
	-- A host of digits and dots only is an IPv4 address or nothing.
	AND (substring(v FROM '^https?://([^:/]*)') !~ '^[0-9.]+$'
	     OR substring(v FROM '^https?://([^:/]*)') ~
	        '^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$')
$$;

ALTER TABLE pureboot.settings DROP CONSTRAINT settings_value_check;
ALTER TABLE pureboot.settings ADD CONSTRAINT settings_value_check CHECK (CASE key
	WHEN 'server_url' THEN pureboot.server_url_ok(value)
	WHEN 'auto_register' THEN value IN ('on', 'off')
	WHEN 'discovery' THEN value IN ('on', 'off')
	ELSE false
END);
