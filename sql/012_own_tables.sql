-- Big worlds get tables of their own (src/jobs/store.c).
--
-- Loading an enterprise world (about 365000 graph rows) into the shared tables cost most of
-- its completion time in index upkeep: every row entered three or four B-trees keyed on
-- (manifest_id, ...) one at a time. A table that is new in the completion transaction can be
-- filled first and indexed after, by sorting, which costs far less; and its indexes need no
-- manifest_id column, since every row has the same one.
--
-- So each graph table splits in two under its old name, which becomes a view:
--   <table>_shared  the table of before, still holding the small worlds (and every world
--                   stored before this migration), one B-tree insert per row as before;
--   <table>_own     a table partitioned by manifest_id, with one partition per big world:
--                   worlds_graph.<kind>_<manifest id without dashes>, created, filled,
--                   indexed and attached in the world's completion transaction.
-- Every reader keeps its text: a read for one manifest prunes the partitioned side to at most
-- that manifest's partition, and the shared side answers from its indexes as before.
--
-- Why not one partitioned table with a default partition for the small worlds: attaching a
-- partition then scans the default partition for rows of the new value, i.e. every small
-- world's rows, on each big completion.

CREATE SCHEMA worlds_graph;

ALTER TABLE manifest_nodes RENAME TO manifest_nodes_shared;
ALTER TABLE manifest_edge_rows RENAME TO manifest_edge_rows_shared;
ALTER TABLE manifest_hosts RENAME TO manifest_hosts_shared;
ALTER TABLE manifest_principals RENAME TO manifest_principals_shared;
ALTER TABLE manifest_credentials RENAME TO manifest_credentials_shared;
ALTER TABLE manifest_artifacts RENAME TO manifest_artifacts_shared;

CREATE TABLE manifest_nodes_own (LIKE manifest_nodes_shared) PARTITION BY LIST (manifest_id);
CREATE TABLE manifest_edge_rows_own (LIKE manifest_edge_rows_shared)
	PARTITION BY LIST (manifest_id);
CREATE TABLE manifest_hosts_own (LIKE manifest_hosts_shared) PARTITION BY LIST (manifest_id);
CREATE TABLE manifest_principals_own (LIKE manifest_principals_shared)
	PARTITION BY LIST (manifest_id);
CREATE TABLE manifest_credentials_own (LIKE manifest_credentials_shared)
	PARTITION BY LIST (manifest_id);
CREATE TABLE manifest_artifacts_own (LIKE manifest_artifacts_shared)
	PARTITION BY LIST (manifest_id);

CREATE VIEW manifest_nodes AS
SELECT * FROM manifest_nodes_shared UNION ALL SELECT * FROM manifest_nodes_own;
CREATE VIEW manifest_edge_rows AS
SELECT * FROM manifest_edge_rows_shared UNION ALL SELECT * FROM manifest_edge_rows_own;
CREATE VIEW manifest_hosts AS
SELECT * FROM manifest_hosts_shared UNION ALL SELECT * FROM manifest_hosts_own;
CREATE VIEW manifest_principals AS
SELECT * FROM manifest_principals_shared UNION ALL SELECT * FROM manifest_principals_own;
CREATE VIEW manifest_credentials AS
SELECT * FROM manifest_credentials_shared UNION ALL SELECT * FROM manifest_credentials_own;
CREATE VIEW manifest_artifacts AS
SELECT * FROM manifest_artifacts_shared UNION ALL SELECT * FROM manifest_artifacts_own;

-- manifest_edges (010) was bound to the table now called manifest_edge_rows_shared: the same
-- text again binds it to the view.
CREATE OR REPLACE VIEW manifest_edges AS
SELECT manifest_id, pos, type_pos, 'e-' || (pos + 1) AS id, source, target, edge_type, severity,
	'{"data":{"id":"e-' || (pos + 1) || '","source":' || to_json(source)::text
		|| ',"target":' || to_json(target)::text
		|| ',"edge_type":' || to_json(edge_type)::text
		|| ',"severity":' || to_json(severity)::text || '}}' AS data
FROM manifest_edge_rows;

-- The graph tables in the order the generator fills them, with the name of each one's kind.
CREATE FUNCTION worlds_graph_kinds(OUT kind text, OUT parent text) RETURNS SETOF record
LANGUAGE sql IMMUTABLE AS $$
	VALUES ('nodes', 'manifest_nodes_own'), ('edge_rows', 'manifest_edge_rows_own'),
		('hosts', 'manifest_hosts_own'), ('principals', 'manifest_principals_own'),
		('credentials', 'manifest_credentials_own'), ('artifacts', 'manifest_artifacts_own')
$$;

CREATE FUNCTION worlds_graph_table(kind text, mid uuid) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT kind || '_' || replace(mid::text, '-', '')
$$;

-- Step 1 of a big world's completion: its six empty tables, without indexes, and the
-- qualified names to COPY into (in worlds_graph_kinds order). The CHECK lets the attach of
-- step 2 skip its validating scan.
CREATE FUNCTION worlds_graph_open(mid uuid) RETURNS text[]
LANGUAGE plpgsql AS $$
DECLARE
	k record;
	names text[] := '{}';
	t text;
BEGIN
	FOR k IN SELECT * FROM worlds_graph_kinds() LOOP
		t := worlds_graph_table(k.kind, mid);
		EXECUTE format('CREATE TABLE worlds_graph.%I (LIKE %I, CHECK (manifest_id = %L))',
			t, k.parent, mid);
		names := names || format('worlds_graph.%I', t);
	END LOOP;
	RETURN names;
END;
$$;

-- Step 2, after the COPYs, one call per step so the generator can look for a cancel between
-- them: the B-trees the shared tables have (004, 007), without their manifest_id column,
-- built by sorting the filled tables; then, as the last step, the attach, which makes the
-- rows readable through the views once the transaction commits. Returns how many steps
-- are left after this one.
-- The pages by type (node_type, edge_type, principal_type, then type_pos) are indexed on
-- hashtext() of the type: sorting 217000 edges on a handful of type names compares whole
-- strings for nearly every pair (the same few names), and the hash made that index build
-- about 2.5 times faster. The readers (src/api) ask for the type and for its hash, so
-- either index serves them; the type itself is still compared, so a collision could only
-- cost time. Not UNIQUE, for the same reason.
CREATE FUNCTION worlds_graph_close(mid uuid, step integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	idx constant text[] := ARRAY[
		'nodes', 'UNIQUE', 'pos', 'nodes', '', '(hashtext(node_type)), type_pos',
		'nodes', 'UNIQUE', 'id',
		'edge_rows', 'UNIQUE', 'pos', 'edge_rows', '', '(hashtext(edge_type)), type_pos',
		'edge_rows', '', 'source, pos', 'edge_rows', '', 'target, pos',
		'hosts', 'UNIQUE', 'id', 'hosts', 'UNIQUE', 'pos',
		'principals', 'UNIQUE', 'id', 'principals', 'UNIQUE', 'pos',
		'principals', '', '(hashtext(principal_type)), type_pos',
		'credentials', 'UNIQUE', 'pos', 'credentials', '', 'principal_id',
		'credentials', '', 'host_id',
		'artifacts', 'UNIQUE', 'pos', 'artifacts', '', 'host_id'];
	n constant integer := array_length(idx, 1) / 3;
	k record;
BEGIN
	IF step < 0 OR step > n THEN
		RAISE EXCEPTION 'worlds_graph_close: no step %', step;
	END IF;
	IF step < n THEN
		EXECUTE format('CREATE %s INDEX ON worlds_graph.%I (%s)', idx[step * 3 + 2],
			worlds_graph_table(idx[step * 3 + 1], mid), idx[step * 3 + 3]);
		RETURN n - step;
	END IF;
	FOR k IN SELECT * FROM worlds_graph_kinds() LOOP
		EXECUTE format('ALTER TABLE %I ATTACH PARTITION worlds_graph.%I FOR VALUES IN (%L)',
			k.parent, worlds_graph_table(k.kind, mid), mid);
	END LOOP;
	RETURN 0;
END;
$$;

-- After the commit: the principal search index (005) of every own table still without one,
-- which is the world just committed and any whose generator died before this step. It is
-- the costliest index of a world (about a second for an enterprise world) and only speeds
-- up searches: until it exists, a search of that world reads its table, slower but exact.
-- Building it takes a SHARE lock, which reads do not wait for; a world's tables are never
-- written after their commit. The advisory lock keeps two generators from building the same.
CREATE FUNCTION worlds_graph_search_indexes() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	t record;
	n integer := 0;
BEGIN
	FOR t IN
		SELECT c.relname, replace(c.relname, 'principals_', 'principals_search_') AS idx
		FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		WHERE i.inhparent = 'manifest_principals_own'::regclass
	LOOP
		CONTINUE WHEN to_regclass(format('worlds_graph.%I', t.idx)) IS NOT NULL
			OR NOT pg_try_advisory_xact_lock(hashtext('worlds-search:' || t.relname));
		EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON worlds_graph.%I USING gin'
			' (worlds_principal_text(sam, upn, display_name, email) gin_trgm_ops)',
			t.idx, t.relname);
		n := n + 1;
	END LOOP;
	RETURN n;
END;
$$;

-- A manifest's graph leaves with it: its rows in the shared tables, or its own tables.
CREATE OR REPLACE FUNCTION worlds_manifest_graph_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	k record;
BEGIN
	IF to_regclass(format('worlds_graph.%I', worlds_graph_table('nodes', OLD.id))) IS NULL THEN
		DELETE FROM manifest_nodes_shared WHERE manifest_id = OLD.id;
		DELETE FROM manifest_edge_rows_shared WHERE manifest_id = OLD.id;
		DELETE FROM manifest_hosts_shared WHERE manifest_id = OLD.id;
		DELETE FROM manifest_principals_shared WHERE manifest_id = OLD.id;
		DELETE FROM manifest_credentials_shared WHERE manifest_id = OLD.id;
		DELETE FROM manifest_artifacts_shared WHERE manifest_id = OLD.id;
		RETURN OLD;
	END IF;
	-- Dropping a partition locks its parent; taking all six parents first, in one order,
	-- keeps two deletes from deadlocking on them.
	LOCK TABLE manifest_nodes_own, manifest_edge_rows_own, manifest_hosts_own,
		manifest_principals_own, manifest_credentials_own, manifest_artifacts_own
		IN ACCESS EXCLUSIVE MODE;
	FOR k IN SELECT * FROM worlds_graph_kinds() LOOP
		EXECUTE format('DROP TABLE IF EXISTS worlds_graph.%I',
			worlds_graph_table(k.kind, OLD.id));
	END LOOP;
	RETURN OLD;
END;
$$;

-- Reads went through worlds_graph_stored() once (005); it analyzed the tables, which views
-- cannot be. Nothing calls it any more.
DROP FUNCTION worlds_graph_stored(uuid);
