-- Cheaper storage of a world in the completion transaction (src/jobs/store.c).
--
-- An edge's stored JSON and id were pure functions of its other columns
-- ({"data":{"id":"e-<pos + 1>","source":...,"target":...,"edge_type":...,"severity":...}}),
-- yet they were most of each row's bytes: an enterprise world COPYs about 217000 edges in
-- its completion transaction. The table now keeps the columns only, and `manifest_edges`
-- becomes a view with the same columns as before, building id and data at read time, so
-- every read of 004/005 answers the same text.
--
-- The columns hold generated ids, type and severity names (ASCII without quotes or
-- backslashes), which to_json() spells exactly as the generator's JSON writer does.

ALTER TABLE manifest_edges RENAME TO manifest_edge_rows;
ALTER TABLE manifest_edge_rows DROP COLUMN data;
ALTER TABLE manifest_edge_rows DROP COLUMN id;

CREATE VIEW manifest_edges AS
SELECT manifest_id, pos, type_pos, 'e-' || (pos + 1) AS id, source, target, edge_type, severity,
	'{"data":{"id":"e-' || (pos + 1) || '","source":' || to_json(source)::text
		|| ',"target":' || to_json(target)::text
		|| ',"edge_type":' || to_json(edge_type)::text
		|| ',"severity":' || to_json(severity)::text || '}}' AS data
FROM manifest_edge_rows;

CREATE OR REPLACE FUNCTION worlds_manifest_graph_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM manifest_nodes WHERE manifest_id = OLD.id;
	DELETE FROM manifest_edge_rows WHERE manifest_id = OLD.id;
	DELETE FROM manifest_hosts WHERE manifest_id = OLD.id;
	DELETE FROM manifest_principals WHERE manifest_id = OLD.id;
	DELETE FROM manifest_credentials WHERE manifest_id = OLD.id;
	DELETE FROM manifest_artifacts WHERE manifest_id = OLD.id;
	RETURN OLD;
END;
$$;

-- Principal search (005): the trigram index gets each world's entries through its pending
-- list, merged into the tree by the generator right after its commit
-- (gin_clean_pending_list), instead of by the inserting COPY itself each time the list
-- passes the default 4 MB: merging once, after the job is already completed, takes that
-- work out of the completion transaction. 128 MB holds the entries of more than one
-- enterprise-size world; searches stay exact meanwhile (they read the pending list too).
ALTER INDEX manifest_principals_search SET (gin_pending_list_limit = 131072);
