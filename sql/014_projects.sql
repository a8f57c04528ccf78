-- Which workspace each project id belongs to. A project is a grouping the API names only
-- by id: every workspace has its default one, and POST /manifests may name another, which
-- becomes the workspace's on first use. A project id already the workspace of another is
-- refused (422), as POST /trajectories refuses a project other than its manifest's, so
-- that a workspace never files its work under somebody else's project.
CREATE TABLE projects (
	id uuid PRIMARY KEY,
	workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX projects_workspace_idx ON projects (workspace_id);

-- What the workspaces already know: their default projects first, then the projects
-- their jobs, manifests and trajectories used, the earliest use winning a project that
-- two workspaces named before this check existed (their rows stay as they are).
INSERT INTO projects (id, workspace_id, created_at)
	SELECT default_project_id, id, created_at FROM workspaces;
INSERT INTO projects (id, workspace_id, created_at)
	SELECT DISTINCT ON (project_id) project_id, workspace_id, created_at
	FROM (SELECT project_id, workspace_id, created_at FROM jobs WHERE project_id IS NOT NULL
	      UNION ALL SELECT project_id, workspace_id, created_at FROM manifests
	      UNION ALL SELECT project_id, workspace_id, created_at FROM trajectories) used
	ORDER BY project_id, created_at
	ON CONFLICT (id) DO NOTHING;

-- A new workspace's default project is its own from birth, whoever inserts the row.
CREATE FUNCTION worlds_workspace_default_project() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO projects (id, workspace_id) VALUES (NEW.default_project_id, NEW.id);
	RETURN NULL;
END $$;
CREATE TRIGGER workspaces_default_project AFTER INSERT ON workspaces
	FOR EACH ROW EXECUTE FUNCTION worlds_workspace_default_project();
