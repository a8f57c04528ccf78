-- Trajectories: attack-path samples over a finished manifest (job kind
-- 'trajectory_generation'). One row per trajectory, its steps kept whole as jsonb: they are
-- always read together with their trajectory and never queried one by one.

CREATE TABLE trajectories (
	id uuid PRIMARY KEY,
	organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
	workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	project_id uuid NOT NULL,
	-- a deleted manifest takes its trajectories with it, like its graph
	manifest_id uuid NOT NULL REFERENCES manifests (id) ON DELETE CASCADE,
	source_job_id uuid NOT NULL REFERENCES jobs (id),
	-- the job's batch (the job's resource when it asked for more than one)
	batch_id uuid NOT NULL,
	sequence_index integer NOT NULL CHECK (sequence_index >= 0),
	name text,
	goal text NOT NULL,
	strategy text NOT NULL CHECK (strategy IN ('random', 'greedy', 'recon-first', 'smart-random')),
	mode text NOT NULL CHECK (mode IN ('kali', 'c2')),
	seed bigint NOT NULL,
	foothold text NOT NULL,
	success boolean NOT NULL,
	termination_reason text NOT NULL CHECK (termination_reason IN
		('goal_reached', 'goal_unreachable', 'max_steps', 'no_applicable_commands')),
	step_count integer NOT NULL CHECK (step_count >= 0),
	steps jsonb NOT NULL,
	created_by uuid REFERENCES users (id) ON DELETE SET NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	-- a rerun of the job never stores a trajectory twice
	UNIQUE (source_job_id, sequence_index)
);

-- Lists newest first in a workspace, and by manifest (GET /manifests/{id}/trajectories).
CREATE INDEX trajectories_ws_created ON trajectories
	(workspace_id, created_at DESC, source_job_id, sequence_index);
CREATE INDEX trajectories_manifest_created ON trajectories
	(manifest_id, created_at DESC, source_job_id, sequence_index);
