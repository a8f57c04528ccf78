#!/usr/bin/env bash
# A small job runs to completion: one manifest, its document byte-identical to worlds-gen's
# offline output for the same parameters, the result per api.md, graph rows stored.
. "$(dirname "$0")/lib.sh"
jt_setup

id=$(jt_job '{"preset": "small", "seed": 7, "name": "t"}')
"$CTL" jobs start "$id"
ok $? "worldsctl jobs start (the spawn POST /manifests does)"
jt_wait_sql "SELECT status = 'completed' FROM jobs WHERE id = '$id'" 20
ok $? "the job completes"
is "$(q "SELECT progress, attempts, runner ~ ':[0-9]+$', resource_id IS NOT NULL FROM jobs WHERE id = '$id'")" \
    "1|1|t|t" "progress 1, one attempt, runner host:pid, resource_id set"
is "$(q "SELECT count(*) FROM manifests WHERE source_job_id = '$id'")" 1 "exactly one manifest"
is "$(q "SELECT (SELECT string_agg(k, ',' ORDER BY k) FROM jsonb_object_keys(result) k)
    FROM jobs WHERE id = '$id'")" "manifest_id,seed,sha256,size_bytes,stats" "result keys per api.md"
is "$(q "SELECT result->>'manifest_id' = resource_id::text AND (result->>'seed')::bigint = 7
    FROM jobs WHERE id = '$id'")" t "result names the manifest and the seed"
is "$(q "SELECT encode(sha256(d.document), 'hex') = m.sha256 AND octet_length(d.document) = m.size_bytes
    FROM manifests m JOIN manifest_documents d ON d.manifest_id = m.id WHERE m.source_job_id = '$id'")" t \
    "stored bytes match the recorded sha256 and size"
q "SELECT encode(document, 'hex') FROM manifest_documents d JOIN manifests m ON m.id = d.manifest_id
   WHERE m.source_job_id = '$id'" | xxd -r -p >"$jt_dir/stored.json"
if "$GEN" --preset small --seed 7 >"$jt_dir/offline.json" 2>"$jt_dir/offline.err"; then
	if cmp -s "$jt_dir/stored.json" "$jt_dir/offline.json"; then
		ok 0 "stored document is byte-identical to worlds-gen --preset small --seed 7"
	else
		ok 1 "stored document is byte-identical to worlds-gen --preset small --seed 7"
		diag "stored $(sha256sum <"$jt_dir/stored.json") offline $(sha256sum <"$jt_dir/offline.json")"
	fi
else
	ok 1 "worlds-gen offline runs: $(head -1 "$jt_dir/offline.err")"
fi
is "$(q "SELECT sha256 FROM manifests WHERE source_job_id = '$id'")" \
    "$(sha256sum <"$jt_dir/offline.json" | cut -d' ' -f1)" "recorded sha256 equals the offline document's"
is "$(q "SELECT (SELECT count(*) FROM manifest_nodes n WHERE n.manifest_id = m.id) > 0
    AND (SELECT count(*) FROM manifest_edges e WHERE e.manifest_id = m.id) > 0
    AND (SELECT count(*) FROM manifest_hosts h WHERE h.manifest_id = m.id) > 0
    AND (SELECT count(*) FROM manifest_principals p WHERE p.manifest_id = m.id) > 0
    FROM manifests m WHERE m.source_job_id = '$id'")" t "graph rows stored (nodes, edges, hosts, principals)"
is "$(q "SELECT count(*) FROM manifest_nodes n JOIN manifests m ON m.id = n.manifest_id
    WHERE m.source_job_id = '$id' AND n.data::jsonb ? 'data'")" \
    "$(q "SELECT count(*) FROM manifest_nodes n JOIN manifests m ON m.id = n.manifest_id WHERE m.source_job_id = '$id'")" \
    "every node row holds Cytoscape JSON"
# The overview stored by the completion transaction (counted in C) is the text the SQL
# function of sql/005 computes from the stored rows, for this world and for one with
# several domains given out of order (domains are listed in the database's order).
overview_same() { # job id, label
	local mid stored again
	mid=$(q "SELECT id FROM manifests WHERE source_job_id = '$1'")
	stored=$(q "SELECT data FROM manifest_overviews WHERE manifest_id = '$mid'")
	q "DELETE FROM manifest_overviews WHERE manifest_id = '$mid'"
	again=$(q "SELECT worlds_overview('$mid')")
	if [ -n "$stored" ] && [ "$stored" = "$again" ]; then
		ok 0 "$2: stored overview equals worlds_overview() over the rows"
	else
		ok 1 "$2: stored overview equals worlds_overview() over the rows"
		diag "stored: ${stored:0:300}"
		diag "sql:    ${again:0:300}"
	fi
}
is "$(q "SELECT jsonb_array_length(data::jsonb -> 'attack_paths') > 0
    AND jsonb_array_length(data::jsonb -> 'subnets') > 0 FROM manifest_overviews o
    JOIN manifests m ON m.id = o.manifest_id WHERE m.source_job_id = '$id'")" t \
    "the small world's overview has attack paths and subnets (so the comparison covers them)"
overview_same "$id" "small world"
multi=$(jt_job '{"num_users": 400, "num_hosts": 90, "seed": 3, "domains": ["zeta.example", "Alpha.example", "mid.example"]}')
"$CTL" jobs start "$multi"
jt_wait_sql "SELECT status IN ('completed', 'failed') FROM jobs WHERE id = '$multi'" 30
is "$(q "SELECT status || coalesce(': ' || error, '') FROM jobs WHERE id = '$multi'")" completed \
    "a three-domain job completes"
is "$(q "SELECT jsonb_array_length(data::jsonb -> 'domains') FROM manifest_overviews o
    JOIN manifests m ON m.id = o.manifest_id WHERE m.source_job_id = '$multi'")" 3 "its overview lists 3 domains"
overview_same "$multi" "three domains"
q "DELETE FROM manifests WHERE source_job_id = '$multi'"
is "$(q "SELECT count(*) FROM manifest_nodes_shared n JOIN manifests m ON m.id = n.manifest_id
    WHERE m.source_job_id = '$id'")" "$(jq '[.domains, .ous, .gpos, .subnets, .principals, .hosts]
    | map(length) | add' "$jt_dir/offline.json")" "a small world's nodes are in the shared table"
# A world of 10000 graph rows or more gets tables of its own (sql/012_own_tables.sql): filled
# first, indexed after, attached; read through the same views; dropped with its manifest.
own=$(jt_job '{"preset": "small", "num_users": 2200, "num_hosts": 80, "seed": 11}')
"$CTL" jobs start "$own"
jt_wait_sql "SELECT status IN ('completed', 'failed') FROM jobs WHERE id = '$own'" 60
is "$(q "SELECT status || coalesce(': ' || error, '') FROM jobs WHERE id = '$own'")" completed \
    "a 2200-user job completes"
omid=$(q "SELECT id FROM manifests WHERE source_job_id = '$own'")
ohex=${omid//-/}
is "$(q "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables
    WHERE schemaname = 'worlds_graph'")" "artifacts_$ohex,credentials_$ohex,edge_rows_$ohex,hosts_$ohex,nodes_$ohex,principals_$ohex" \
    "it has six tables of its own"
is "$(q "SELECT count(*) FROM pg_inherits WHERE inhrelid::regclass::text LIKE 'worlds_graph.%$ohex'")" 6 \
    "each attached as a partition"
is "$(q "SELECT count(*) FROM pg_indexes WHERE schemaname = 'worlds_graph'
    AND indexname NOT LIKE 'principals_search_%'")" 17 "with the shared tables' 17 B-trees"
# The search index is built by the generator right after its commit.
jt_wait_sql "SELECT to_regclass('worlds_graph.principals_search_$ohex') IS NOT NULL" 20
ok $? "and, soon after the commit, the principal search index"
# A generator that died before building it: the next big world's generator builds it.
q "DROP INDEX worlds_graph.principals_search_$ohex"
is "$(q "SELECT worlds_graph_search_indexes()")|$(q "SELECT worlds_graph_search_indexes()")" "1|0" \
    "worlds_graph_search_indexes() builds a missing search index, once"
is "$(q "SELECT (SELECT count(*) FROM manifest_nodes_shared WHERE manifest_id = '$omid')
    + (SELECT count(*) FROM manifest_edge_rows_shared WHERE manifest_id = '$omid')")" 0 \
    "and nothing of it in the shared tables"
if "$GEN" --preset small --users 2200 --hosts 80 --seed 11 >"$jt_dir/own.json" 2>/dev/null; then
	is "$(q "SELECT sha256 FROM manifests WHERE id = '$omid'")" \
	    "$(sha256sum <"$jt_dir/own.json" | cut -d' ' -f1)" "its document equals worlds-gen's offline"
	is "$(q "SELECT (SELECT count(*) FROM manifest_nodes WHERE manifest_id = '$omid') || ' '
	    || (SELECT count(*) FROM manifest_edges WHERE manifest_id = '$omid') || ' '
	    || (SELECT count(*) FROM manifest_principals WHERE manifest_id = '$omid') || ' '
	    || (SELECT count(*) FROM manifest_hosts WHERE manifest_id = '$omid') || ' '
	    || (SELECT count(*) FROM manifest_credentials WHERE manifest_id = '$omid') || ' '
	    || (SELECT count(*) FROM manifest_artifacts WHERE manifest_id = '$omid')")" \
	    "$(jq -r '[([.domains, .ous, .gpos, .subnets, .principals, .hosts] | map(length) | add),
	    (.edges, .principals, .hosts, .credentials, .artifacts | length)] | map(tostring)
	    | join(" ")' "$jt_dir/own.json")" \
	    "the views count the document's nodes, edges, principals, hosts, credentials, artifacts"
else
	ok 1 "worlds-gen offline runs for the 2200-user world"
fi
is "$(q "SELECT count(*) FROM manifest_principals WHERE manifest_id = '$omid'
    AND worlds_principal_text(sam, upn, display_name, email) LIKE '%administrator%'")" \
    "$(q "SELECT count(*) FROM worlds_graph.principals_$ohex
    WHERE worlds_principal_text(sam, upn, display_name, email) LIKE '%administrator%'")" \
    "a principal search reads its own table"
overview_same "$own" "own tables"
q "DELETE FROM manifests WHERE source_job_id = '$own'"
is "$(q "SELECT count(*) FROM pg_tables WHERE schemaname = 'worlds_graph'")" 0 \
    "deleting the manifest drops its own tables"
# Delete cascades to the graph rows.
q "DELETE FROM manifests WHERE source_job_id = '$id'"
is "$(q "SELECT (SELECT count(*) FROM manifest_nodes) + (SELECT count(*) FROM manifest_edges)
    + (SELECT count(*) FROM manifest_principals) + (SELECT count(*) FROM manifest_documents)")" 0 \
    "deleting the manifest removes its document and graph rows"
# A job the generator cannot run fails with a one-line message.
bad=$(jt_job '{"preset": "huge", "seed": 1}')
"$CTL" jobs start "$bad"
jt_wait_sql "SELECT status = 'failed' FROM jobs WHERE id = '$bad'" 20
ok $? "a job with parameters the generator refuses fails"
is "$(q "SELECT error ~ 'parameters' AND position(E'\n' in error) = 0 FROM jobs WHERE id = '$bad'")" t \
    "with a one-line error naming the parameters"
jt_done
