-- Edge totals for the details routes (src/api/inspect_entities.c). Details list at most
-- edge_limit edges per direction beside the direction's total. A list shorter than the
-- limit is its own total; a hub's is not, and counting Domain Users' edges (one per user,
-- 27000 in an enterprise world) was half the time of its details. A world's edges never
-- change, so a hub's totals are counted on the first details call that needs them and kept
-- here; the manifest takes them with it.
--
-- `ids` is the entity's ids joined by commas (a host's edges are those of the host and of
-- its computer account).

CREATE TABLE manifest_edge_totals (
	manifest_id uuid NOT NULL REFERENCES manifests (id) ON DELETE CASCADE,
	ids text NOT NULL,
	inbound bigint NOT NULL,
	outbound bigint NOT NULL,
	PRIMARY KEY (manifest_id, ids)
);

CREATE FUNCTION worlds_edge_totals(mid uuid, ids text[], OUT inbound bigint,
	OUT outbound bigint)
LANGUAGE plpgsql AS $$
DECLARE
	k text := array_to_string(ids, ',');
BEGIN
	SELECT t.inbound, t.outbound INTO inbound, outbound FROM manifest_edge_totals t
	WHERE t.manifest_id = mid AND t.ids = k;
	IF FOUND THEN
		RETURN;
	END IF;
	SELECT count(*) INTO inbound FROM manifest_edges e
	WHERE e.manifest_id = mid AND e.target = ANY (ids);
	SELECT count(*) INTO outbound FROM manifest_edges e
	WHERE e.manifest_id = mid AND e.source = ANY (ids);
	BEGIN
		INSERT INTO manifest_edge_totals VALUES (mid, k, inbound, outbound)
		ON CONFLICT DO NOTHING;
	EXCEPTION WHEN foreign_key_violation THEN
		-- The manifest went away meanwhile: nothing to keep.
		NULL;
	END;
END;
$$;
