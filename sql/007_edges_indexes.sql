-- 005 added (manifest_id, source, pos) and (manifest_id, target, pos) for the inspection
-- reads; they serve every lookup the two-column indexes of 004 did, so those only cost
-- time in the completion transaction's COPY (two index insertions per edge). Measured on
-- an enterprise-maximum world: see the commit that adds this file.
DROP INDEX IF EXISTS manifest_edges_source;
DROP INDEX IF EXISTS manifest_edges_target;
