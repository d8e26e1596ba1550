-- Settings defaults and API tokens.
--
-- Token format: pb1.<id>.<secret>
--   id      12 lower-case hex digits (6 random bytes): finds the row, not secret
--   secret  43 characters, unpadded base64url of 32 random bytes
-- Stored: sha256 of the secret's UTF-8 bytes. The whole token is shown
-- once, by token_create(), and can never be read back.

INSERT INTO pureboot.settings (key, value) VALUES
	('server_url', 'http://127.0.0.1:8080'),
	('auto_register', 'on'),
	('discovery', 'on');

-- An untrusted value fit for an error message: cut short, control bytes
-- shown as '?', so a message stays one readable line.
CREATE FUNCTION pureboot.msg_quote(p text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN p IS NULL THEN 'NULL' ELSE
		'"' || regexp_replace(left(p, 64), '[\u0001-\u001f\u007f-\u009f]', '?', 'g')
		    || CASE WHEN char_length(p) > 64 THEN '"...' ELSE '"' END
	END
$$;

CREATE FUNCTION pureboot.token_secret_hash(p_secret text) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT AS $$
	SELECT sha256(convert_to(p_secret, 'UTF8'))
$$;

-- Returns the whole token. Callers must not log it.
CREATE FUNCTION pureboot.token_create(p_name text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_id text;
	v_secret text;
	v_constraint text;
BEGIN
	IF p_name IS NULL OR p_name !~ '^[A-Za-z0-9._@-]{1,64}$' THEN
		RAISE EXCEPTION USING
			ERRCODE = 'PB400',
			MESSAGE = format('token name %s is not 1 to 64 characters of A-Z a-z 0-9 . _ @ -',
			                 pureboot.msg_quote(p_name));
	END IF;

	-- Two random ids collide once in 2^48; a few draws make it moot.
	FOR attempt IN 1..5 LOOP
		v_id := encode(public.gen_random_bytes(6), 'hex');
		-- encode() wraps base64 at 76 characters; 32 bytes do not reach
		-- that, but a newline in a token would be a silent disaster.
		v_secret := translate(rtrim(replace(encode(public.gen_random_bytes(32), 'base64'),
		                                    E'\n', ''), '='),
		                      '+/', '-_');
		BEGIN
			INSERT INTO pureboot.api_tokens (id, name, hash)
			VALUES (v_id, p_name, pureboot.token_secret_hash(v_secret));
			RETURN 'pb1.' || v_id || '.' || v_secret;
		EXCEPTION WHEN unique_violation THEN
			-- Caught here rather than checked before, so that two racing
			-- creators of one name get the same clear message.
			GET STACKED DIAGNOSTICS v_constraint = CONSTRAINT_NAME;
			IF v_constraint = 'api_tokens_name_key' THEN
				RAISE EXCEPTION USING
					ERRCODE = 'PB409',
					MESSAGE = format('token name %s is already taken (revoked names stay taken)',
					                 pureboot.msg_quote(p_name));
			END IF;
		END;
	END LOOP;
	RAISE EXCEPTION 'token %: no free id after 5 random draws', pureboot.msg_quote(p_name);
END
$$;

-- True if a live token of that name was revoked now; false if there is
-- none or it was revoked already, so a repeated revoke is harmless.
CREATE FUNCTION pureboot.token_revoke(p_name text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE pureboot.api_tokens SET revoked_at = now()
	WHERE name = p_name AND revoked_at IS NULL;
	RETURN FOUND;
END
$$;

-- The name of the live token p_token is, or NULL for anything else
-- (malformed, unknown, wrong secret, revoked); the caller answers 401
-- without saying which. Records last_used.
CREATE FUNCTION pureboot.token_verify(p_token text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	m text[];
	v_name text;
BEGIN
	m := regexp_match(p_token, '^pb1\.([0-9a-f]{12})\.([A-Za-z0-9_-]{43})$');
	IF m IS NULL THEN
		RETURN NULL;
	END IF;
	UPDATE pureboot.api_tokens SET last_used = now()
	WHERE id = m[1] AND revoked_at IS NULL
	  AND hash = pureboot.token_secret_hash(m[2])
	RETURNING name INTO v_name;
	RETURN v_name;
END
$$;
