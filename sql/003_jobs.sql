-- Jobs and manifests. The job state machine lives here, not only in C: statuses are
-- CHECKed, transitions are policed by a trigger, and every status change in the code is a
-- conditional UPDATE that names the status it expects to leave.

-- RFC 3339 UTC with microseconds, the one timestamp form of the API.
CREATE FUNCTION worlds_ts(t timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

CREATE TABLE jobs (
	id uuid PRIMARY KEY,
	organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
	workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	project_id uuid,
	kind text NOT NULL CHECK (kind IN ('manifest_generation', 'trajectory_generation')),
	status text NOT NULL DEFAULT 'queued'
		CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
	progress double precision NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
	-- the resolved parameters the generator runs with (seed included)
	params jsonb NOT NULL,
	name text,
	idempotency_key text CHECK (idempotency_key ~ '^[!-~]{1,255}$'),
	request_hash text,
	resource_type text CHECK (resource_type IN ('manifest', 'trajectory', 'trajectory_batch')),
	resource_id uuid,
	result jsonb,
	error text,
	created_by uuid REFERENCES users (id) ON DELETE SET NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	started_at timestamptz,
	completed_at timestamptz,
	cancel_requested_at timestamptz,
	-- how many generators have claimed it, and which one ran it last (host:pid)
	attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
	runner text,
	CHECK (status <> 'completed' OR (resource_id IS NOT NULL AND progress = 1
		AND completed_at IS NOT NULL)),
	CHECK (status <> 'failed' OR error IS NOT NULL),
	CHECK (status NOT IN ('completed', 'failed', 'cancelled') OR completed_at IS NOT NULL),
	CHECK (status = 'queued' OR started_at IS NOT NULL OR status = 'cancelled'
		OR status = 'failed')
);

-- Listing newest first inside a workspace, and the filters that narrow it.
CREATE INDEX jobs_ws_created ON jobs (workspace_id, created_at DESC, id DESC);
CREATE INDEX jobs_ws_status_created ON jobs (workspace_id, status, created_at DESC, id DESC);
-- The scheduler's two questions: what waits (oldest first), and what claims to run.
CREATE INDEX jobs_queued ON jobs (created_at, id) WHERE status = 'queued';
CREATE INDEX jobs_running ON jobs (id) WHERE status = 'running';
CREATE INDEX jobs_active_ws ON jobs (workspace_id) WHERE status IN ('queued', 'running');
-- One job per idempotency key and workspace; keys older than 24 h are released by the
-- insert path (it clears the old row's key before reusing it).
CREATE UNIQUE INDEX jobs_idempotency ON jobs (workspace_id, idempotency_key)
	WHERE idempotency_key IS NOT NULL;

CREATE TRIGGER jobs_touch BEFORE UPDATE ON jobs
	FOR EACH ROW EXECUTE FUNCTION worlds_touch_updated_at();

CREATE FUNCTION worlds_job_transition() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF OLD.status IN ('completed', 'failed', 'cancelled') THEN
		IF NEW.status <> OLD.status OR NEW.resource_id IS DISTINCT FROM OLD.resource_id
		    OR NEW.result IS DISTINCT FROM OLD.result THEN
			RAISE EXCEPTION 'job %: % is terminal', OLD.id, OLD.status
				USING ERRCODE = 'check_violation';
		END IF;
		RETURN NEW;
	END IF;
	IF NEW.status <> OLD.status AND NOT (
	    (OLD.status = 'queued' AND NEW.status IN ('running', 'cancelled', 'failed')) OR
	    -- running -> queued is the reaper's requeue of a generator that died
	    (OLD.status = 'running' AND NEW.status IN ('completed', 'failed', 'cancelled', 'queued')))
	THEN
		RAISE EXCEPTION 'job %: % -> % is not a transition', OLD.id, OLD.status, NEW.status
			USING ERRCODE = 'check_violation';
	END IF;
	IF NEW.status = 'running' AND OLD.status = 'running' AND NEW.progress < OLD.progress THEN
		RAISE EXCEPTION 'job %: progress goes forward only', OLD.id
			USING ERRCODE = 'check_violation';
	END IF;
	RETURN NEW;
END;
$$;

CREATE TRIGGER jobs_transition BEFORE UPDATE ON jobs
	FOR EACH ROW EXECUTE FUNCTION worlds_job_transition();

CREATE TABLE manifests (
	id uuid PRIMARY KEY,
	organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
	workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	project_id uuid NOT NULL,
	-- at most one manifest per job, whatever reruns happen
	source_job_id uuid NOT NULL UNIQUE REFERENCES jobs (id),
	name text,
	manifest_kind text NOT NULL DEFAULT 'active_directory'
		CHECK (manifest_kind IN ('active_directory')),
	preset text CHECK (preset IN ('small', 'medium', 'large', 'enterprise')),
	seed bigint NOT NULL,
	generator_version text NOT NULL,
	sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
	size_bytes bigint NOT NULL CHECK (size_bytes > 0),
	stats jsonb NOT NULL,
	created_by uuid REFERENCES users (id) ON DELETE SET NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX manifests_ws_created ON manifests (workspace_id, created_at DESC, id DESC);

-- The document itself, byte for byte, apart from the record so lists stay light.
-- bytea keeps the exact bytes (jsonb would not); TOAST compresses it.
CREATE TABLE manifest_documents (
	manifest_id uuid PRIMARY KEY REFERENCES manifests (id) ON DELETE CASCADE,
	document bytea NOT NULL
);
