-- Tenancy: organizations hold workspaces, users hold roles in workspaces (membership is per
-- workspace: being in one workspace of an org says nothing about its others), and revoked
-- token ids. Every rule a row must keep is a constraint here, not only a check in C.

CREATE TABLE organizations (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	slug text NOT NULL UNIQUE CONSTRAINT organizations_slug_format
		CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
	name text NOT NULL CONSTRAINT organizations_name_length
		CHECK (char_length(name) BETWEEN 1 AND 200),
	created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE workspaces (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
	slug text NOT NULL CONSTRAINT workspaces_slug_format
		CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
	name text NOT NULL CONSTRAINT workspaces_name_length
		CHECK (char_length(name) BETWEEN 1 AND 200),
	-- Jobs created without a project_id land here; every workspace has one from birth.
	default_project_id uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
	created_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT workspaces_org_slug_key UNIQUE (organization_id, slug)
);

CREATE TABLE users (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	-- Stored case-folded so that uniqueness is case-insensitive with a plain index.
	email text NOT NULL UNIQUE CONSTRAINT users_email_format
		CHECK (char_length(email) <= 254 AND email = lower(email)
		       AND email ~ '^[^@[:space:][:cntrl:]]+@[^@[:space:][:cntrl:]]+\.[^@[:space:][:cntrl:]]+$'),
	username text NOT NULL CONSTRAINT users_username_format
		CHECK (username ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
	full_name text CONSTRAINT users_full_name_length
		CHECK (char_length(full_name) BETWEEN 1 AND 200),
	disabled boolean NOT NULL DEFAULT false,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));

CREATE TABLE memberships (
	user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	role text NOT NULL CONSTRAINT memberships_role_known
		CHECK (role IN ('viewer', 'editor', 'admin')),
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, workspace_id)
);
CREATE INDEX memberships_workspace_idx ON memberships (workspace_id);

-- A revoked jti stays refused; rows whose expires_at has passed can be pruned, since no
-- token carrying them can still be within its lifetime.
CREATE TABLE revoked_tokens (
	jti text PRIMARY KEY CONSTRAINT revoked_tokens_jti_length
		CHECK (octet_length(jti) BETWEEN 1 AND 128),
	revoked_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz
);
CREATE INDEX revoked_tokens_expires_idx ON revoked_tokens (expires_at);
