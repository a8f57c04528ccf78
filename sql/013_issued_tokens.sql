-- Every token `worldsctl token issue` signs is recorded here before it is printed, so that
-- `token revoke` can tell a jti this installation issued from a typo, and `token list`
-- can show who holds what until when. Nothing on the request path reads this table: the
-- API still trusts any valid signature and refuses only what revoked_tokens names.
CREATE TABLE issued_tokens (
	jti text PRIMARY KEY CONSTRAINT issued_tokens_jti_length
		CHECK (octet_length(jti) BETWEEN 1 AND 128),
	user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kid text NOT NULL,
	audience text NOT NULL,
	issued_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL,
	CONSTRAINT issued_tokens_lifetime CHECK (expires_at > issued_at)
);
CREATE INDEX issued_tokens_user_idx ON issued_tokens (user_id);
CREATE INDEX issued_tokens_expires_idx ON issued_tokens (expires_at);
