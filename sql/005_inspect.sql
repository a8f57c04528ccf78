-- Manifest inspection: what the read routes need beyond the graph rows of 004.
--
-- * Principal search: a case-insensitive substring over sam, UPN, display name and e-mail.
--   One folded text per principal (fields joined by a newline, so a match never spans two
--   fields) under a trigram GIN index that also holds the manifest id (btree_gin), so a
--   search reads only the candidates of its own world.
-- * Edges of a node in edge order (subgraph, details).
-- * The overview: counts by type, per domain, per subnet, and the document's attack paths,
--   computed once per world (by the job runner's completion transaction, or by the first
--   read of a world stored before) and kept as ready JSON text.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE FUNCTION worlds_principal_text(sam text, upn text, display_name text, email text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT lower(sam || chr(10) || coalesce(upn, '') || chr(10) || display_name || chr(10)
		|| coalesce(email, ''))
$$;

-- The LIKE pattern for a search text: folded like the column, wildcards taken literally.
CREATE FUNCTION worlds_like_pattern(q text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT '%' || replace(replace(replace(lower(q), '\', '\\'), '%', '\%'), '_', '\_') || '%'
$$;

CREATE INDEX manifest_principals_search ON manifest_principals USING gin
	(manifest_id, worlds_principal_text(sam, upn, display_name, email) gin_trgm_ops);

-- A node's edges in edge order, straight from the index: the subgraph reads at most a few
-- thousand edges of a hub (Domain Users has one per user) without sorting all of them.
-- (They make 004's manifest_edges_source / _target, their prefixes, redundant.)
CREATE INDEX manifest_edges_source_pos ON manifest_edges (manifest_id, source, pos);
CREATE INDEX manifest_edges_target_pos ON manifest_edges (manifest_id, target, pos);

CREATE TABLE manifest_overviews (
	manifest_id uuid PRIMARY KEY REFERENCES manifests (id) ON DELETE CASCADE,
	data text NOT NULL
);

-- Computes the overview of a stored world (once: a second call returns the first result).
-- Edges are counted per domain by the domain of their source node; subnets list their
-- hosts (Contains edges from the subnet) by role. Nested loops are off: with statistics
-- from before the world was stored, the planner takes the new manifest for one row and a
-- nested loop over 200000 edges would run for minutes; hash joins are linear whatever the
-- estimates say.
CREATE FUNCTION worlds_overview(mid uuid) RETURNS text
LANGUAGE plpgsql SET enable_nestloop = off AS $$
DECLARE
	result text;
	doc bytea;
	at integer;
BEGIN
	SELECT data INTO result FROM manifest_overviews WHERE manifest_id = mid;
	IF FOUND THEN
		RETURN result;
	END IF;
	-- The attack paths are in the document only. Parsing all of it (tens of MB) would cost
	-- seconds; in canonical JSON the bytes "attack_paths": can only be that top-level key
	-- (inside a string its quotes would be escaped), so '{' + the rest of the document from
	-- there is a small object holding it and the keys after it.
	SELECT document INTO doc FROM manifest_documents WHERE manifest_id = mid;
	at := coalesce(position(convert_to('"attack_paths":', 'UTF8') IN doc), 0);
	WITH
	nodes_by_type AS (
		SELECT coalesce(jsonb_object_agg(node_type, n), '{}') AS j FROM (
			SELECT node_type, count(*) AS n FROM manifest_nodes
			WHERE manifest_id = mid GROUP BY node_type) t),
	edges_by_type AS (
		SELECT coalesce(jsonb_object_agg(edge_type, n), '{}') AS j FROM (
			SELECT edge_type, count(*) AS n FROM manifest_edges
			WHERE manifest_id = mid GROUP BY edge_type) t),
	dom_nodes AS (
		SELECT domain, jsonb_object_agg(node_type, n) AS j, sum(n) AS total FROM (
			SELECT domain, node_type, count(*) AS n FROM manifest_nodes
			WHERE manifest_id = mid AND domain <> '' GROUP BY domain, node_type) t
		GROUP BY domain),
	dom_edges AS (
		SELECT domain, jsonb_object_agg(edge_type, n) AS j, sum(n) AS total FROM (
			SELECT s.domain, e.edge_type, count(*) AS n
			FROM manifest_edges e
			JOIN manifest_nodes s ON s.manifest_id = e.manifest_id AND s.id = e.source
			WHERE e.manifest_id = mid AND s.domain <> ''
			GROUP BY s.domain, e.edge_type) t
		GROUP BY domain),
	domains AS (
		SELECT coalesce(jsonb_agg(jsonb_build_object(
			'domain', n.domain,
			'nodes', n.total,
			'edges', coalesce(e.total, 0),
			'nodes_by_type', n.j,
			'edges_by_type', coalesce(e.j, '{}')) ORDER BY n.domain), '[]') AS j
		FROM dom_nodes n LEFT JOIN dom_edges e ON e.domain = n.domain),
	subnet_hosts AS (
		SELECT e.source AS subnet, h.role, count(*) AS n
		FROM manifest_edges e
		JOIN manifest_hosts h ON h.manifest_id = e.manifest_id AND h.id = e.target
		WHERE e.manifest_id = mid AND e.edge_type = 'Contains' AND e.source IN (
			SELECT id FROM manifest_nodes WHERE manifest_id = mid AND node_type = 'subnet')
		GROUP BY e.source, h.role),
	subnets AS (
		SELECT coalesce(jsonb_agg(jsonb_build_object(
			'id', s.id,
			'cidr', s.label,
			'properties', s.data::jsonb #> '{data,properties}',
			'hosts', coalesce((SELECT sum(n) FROM subnet_hosts x WHERE x.subnet = s.id), 0),
			'hosts_by_role', coalesce((SELECT jsonb_object_agg(role, n) FROM subnet_hosts x
				WHERE x.subnet = s.id), '{}')) ORDER BY s.type_pos), '[]') AS j
		FROM manifest_nodes s
		WHERE s.manifest_id = mid AND s.node_type = 'subnet'),
	paths AS (
		SELECT CASE WHEN at > 0 THEN
			(('{' || convert_from(substring(doc FROM at), 'UTF8'))::json
				-> 'attack_paths')::jsonb END AS j)
	SELECT jsonb_build_object(
		'manifest_id', mid,
		'nodes', (SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM manifest_nodes
			WHERE manifest_id = mid) t),
		'edges', (SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM manifest_edges
			WHERE manifest_id = mid) t),
		'nodes_by_type', (SELECT j FROM nodes_by_type),
		'edges_by_type', (SELECT j FROM edges_by_type),
		'domains', (SELECT j FROM domains),
		'subnets', (SELECT j FROM subnets),
		'attack_paths', coalesce((SELECT j FROM paths), '[]'))::text
	INTO result;
	INSERT INTO manifest_overviews (manifest_id, data) VALUES (mid, result)
	ON CONFLICT (manifest_id) DO NOTHING;
	SELECT data INTO result FROM manifest_overviews WHERE manifest_id = mid;
	RETURN result;
END;
$$;

-- Called by the job runner in the completion transaction, after the COPY of the graph
-- rows: fresh statistics first (so that the very first reads of a big world are planned on
-- its real size, not on what the tables held before), then the overview.
CREATE FUNCTION worlds_graph_stored(mid uuid) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	ANALYZE manifest_nodes, manifest_edges, manifest_hosts, manifest_principals,
		manifest_credentials, manifest_artifacts;
	PERFORM worlds_overview(mid);
END;
$$;
