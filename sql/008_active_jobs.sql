-- The per-workspace count of active (queued or running) jobs, kept by triggers, so that
-- admitting a job reads one row instead of counting the queue: the quota check no longer
-- grows with a workspace's backlog. The row is also what creators of one workspace lock
-- (FOR UPDATE) to serialise their quota and idempotency checks; the count can only change
-- under that lock or in a transaction that changes a job's status, which takes the same
-- row lock in its trigger just before committing.
CREATE TABLE workspace_active_jobs (
	workspace_id uuid PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
	active integer NOT NULL DEFAULT 0 CHECK (active >= 0)
);

INSERT INTO workspace_active_jobs (workspace_id, active)
SELECT w.id, count(j.id) FILTER (WHERE j.status IN ('queued', 'running'))
  FROM workspaces w LEFT JOIN jobs j ON j.workspace_id = w.id
 GROUP BY w.id;

CREATE FUNCTION worlds_workspace_counter() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO workspace_active_jobs (workspace_id) VALUES (NEW.id);
	RETURN NULL;
END $$;

CREATE TRIGGER workspaces_counter AFTER INSERT ON workspaces
	FOR EACH ROW EXECUTE FUNCTION worlds_workspace_counter();

CREATE FUNCTION worlds_job_active() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'DELETE' AND NEW.status IN ('queued', 'running') THEN
		UPDATE workspace_active_jobs SET active = active + 1
		 WHERE workspace_id = NEW.workspace_id;
	END IF;
	IF TG_OP <> 'INSERT' AND OLD.status IN ('queued', 'running') THEN
		UPDATE workspace_active_jobs SET active = active - 1
		 WHERE workspace_id = OLD.workspace_id;
	END IF;
	RETURN NULL;
END $$;

-- Only when a job enters or leaves the active set: progress writes and requeues
-- (running -> queued) never touch the counter row.
CREATE TRIGGER jobs_active_insert AFTER INSERT ON jobs
	FOR EACH ROW WHEN (NEW.status IN ('queued', 'running'))
	EXECUTE FUNCTION worlds_job_active();
CREATE TRIGGER jobs_active_update AFTER UPDATE OF status, workspace_id ON jobs
	FOR EACH ROW WHEN ((OLD.status IN ('queued', 'running')) IS DISTINCT FROM
	                   (NEW.status IN ('queued', 'running'))
	                   OR OLD.workspace_id IS DISTINCT FROM NEW.workspace_id)
	EXECUTE FUNCTION worlds_job_active();
CREATE TRIGGER jobs_active_delete AFTER DELETE ON jobs
	FOR EACH ROW WHEN (OLD.status IN ('queued', 'running'))
	EXECUTE FUNCTION worlds_job_active();

-- The count above replaces the only reader of this index (the quota's count); one index
-- less to maintain on every insert and status change.
DROP INDEX IF EXISTS jobs_active_ws;

-- Nothing ever filters on these jsonb columns, and autovacuum's ANALYZE of a busy jobs
-- table spent most of its time sorting them.
ALTER TABLE jobs ALTER COLUMN params SET STATISTICS 0;
ALTER TABLE jobs ALTER COLUMN result SET STATISTICS 0;
