-- The graph rows of each manifest, for the inspection routes: written once by the
-- generator's completion transaction (COPY), read many times, deleted with the manifest.
--
-- Every table keeps the element's ready JSON in `data` (what the routes answer, built by
-- the generator from the same world as the document), plus the few columns the routes
-- filter on. Positions are dense ordinals: `pos` over the whole table of the manifest,
-- `type_pos` among the elements of one type. A page is then an index range
-- (`pos >= offset ... LIMIT n`, or `type = $t AND type_pos >= offset`) instead of an
-- OFFSET that reads and throws away every row before it.
--
-- No foreign keys from these rows to manifests: a per-row RI check would dominate the
-- COPY of an enterprise world (hundreds of thousands of rows). The rows are only ever
-- written in the same transaction as their manifest, and the trigger at the end removes
-- them with it (ON DELETE CASCADE by hand).

CREATE TABLE manifest_nodes (
	manifest_id uuid NOT NULL,
	pos integer NOT NULL,
	type_pos integer NOT NULL,
	id text NOT NULL,
	node_type text NOT NULL,
	label text NOT NULL,
	domain text NOT NULL,
	data text NOT NULL,
	PRIMARY KEY (manifest_id, pos),
	UNIQUE (manifest_id, node_type, type_pos),
	UNIQUE (manifest_id, id)
);

CREATE TABLE manifest_edges (
	manifest_id uuid NOT NULL,
	pos integer NOT NULL,
	type_pos integer NOT NULL,
	id text NOT NULL,
	source text NOT NULL,
	target text NOT NULL,
	edge_type text NOT NULL,
	severity text NOT NULL,
	data text NOT NULL,
	PRIMARY KEY (manifest_id, pos),
	UNIQUE (manifest_id, edge_type, type_pos)
);
-- Neighbours in both directions (subgraph, inbound/outbound edges of a host or principal).
CREATE INDEX manifest_edges_source ON manifest_edges (manifest_id, source);
CREATE INDEX manifest_edges_target ON manifest_edges (manifest_id, target);

CREATE TABLE manifest_hosts (
	manifest_id uuid NOT NULL,
	pos integer NOT NULL,
	id text NOT NULL,
	hostname text NOT NULL,
	fqdn text NOT NULL,
	domain text NOT NULL,
	ip text NOT NULL,
	role text NOT NULL,
	data text NOT NULL,
	PRIMARY KEY (manifest_id, id),
	UNIQUE (manifest_id, pos)
);

CREATE TABLE manifest_principals (
	manifest_id uuid NOT NULL,
	pos integer NOT NULL,
	type_pos integer NOT NULL,
	id text NOT NULL,
	principal_type text NOT NULL,
	sam text NOT NULL,
	upn text,
	display_name text NOT NULL,
	email text,
	domain text NOT NULL,
	data text NOT NULL,
	PRIMARY KEY (manifest_id, id),
	UNIQUE (manifest_id, pos),
	UNIQUE (manifest_id, principal_type, type_pos)
);

CREATE TABLE manifest_credentials (
	manifest_id uuid NOT NULL,
	pos integer NOT NULL,
	id text NOT NULL,
	principal_id text NOT NULL,
	host_id text,
	data text NOT NULL,
	PRIMARY KEY (manifest_id, pos)
);
CREATE INDEX manifest_credentials_principal ON manifest_credentials (manifest_id, principal_id);
CREATE INDEX manifest_credentials_host ON manifest_credentials (manifest_id, host_id);

CREATE TABLE manifest_artifacts (
	manifest_id uuid NOT NULL,
	pos integer NOT NULL,
	id text NOT NULL,
	host_id text NOT NULL,
	data text NOT NULL,
	PRIMARY KEY (manifest_id, pos)
);
CREATE INDEX manifest_artifacts_host ON manifest_artifacts (manifest_id, host_id);

CREATE FUNCTION worlds_manifest_graph_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM manifest_nodes WHERE manifest_id = OLD.id;
	DELETE FROM manifest_edges WHERE manifest_id = OLD.id;
	DELETE FROM manifest_hosts WHERE manifest_id = OLD.id;
	DELETE FROM manifest_principals WHERE manifest_id = OLD.id;
	DELETE FROM manifest_credentials WHERE manifest_id = OLD.id;
	DELETE FROM manifest_artifacts WHERE manifest_id = OLD.id;
	RETURN OLD;
END;
$$;

CREATE TRIGGER manifests_graph_delete AFTER DELETE ON manifests
	FOR EACH ROW EXECUTE FUNCTION worlds_manifest_graph_delete();

-- The document is stored as the exact bytes (bytea); lz4 compresses an enterprise world
-- several times faster than the default pglz at a similar ratio. Servers built without
-- lz4 keep pglz.
DO $$
BEGIN
	ALTER TABLE manifest_documents ALTER COLUMN document SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
	RAISE NOTICE 'lz4 not available; the document keeps pglz compression';
END;
$$;
