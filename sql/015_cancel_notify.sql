-- A cancel request wakes the generator's cancel watcher (src/jobs/watch.c) at once: the
-- moment cancel_requested_at is first set, the job's id is sent on channel
-- worlds_job_cancel (delivered when the request commits). The watcher still reads the row
-- now and then, so a lost notification only costs time.
CREATE FUNCTION worlds_job_cancel_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('worlds_job_cancel', NEW.id::text);
	RETURN NULL;
END;
$$;

CREATE TRIGGER jobs_cancel_notify
	AFTER UPDATE OF cancel_requested_at ON jobs
	FOR EACH ROW
	WHEN (OLD.cancel_requested_at IS NULL AND NEW.cancel_requested_at IS NOT NULL)
	EXECUTE FUNCTION worlds_job_cancel_notify();
