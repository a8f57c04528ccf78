# Numbered migrations, applied in order by `worldsctl migrate`; one line per file.
sqldir = $(pkgdatadir)/sql
dist_sql_DATA = sql/001_core.sql
dist_sql_DATA += sql/002_tenancy.sql
dist_sql_DATA += sql/003_jobs.sql
dist_sql_DATA += sql/004_graph.sql
dist_sql_DATA += sql/005_inspect.sql
dist_sql_DATA += sql/006_trajectories.sql
dist_sql_DATA += sql/007_edges_indexes.sql
dist_sql_DATA += sql/008_active_jobs.sql
dist_sql_DATA += sql/009_edge_totals.sql
dist_sql_DATA += sql/010_bulk_store.sql
dist_sql_DATA += sql/011_tenancy_epoch.sql
dist_sql_DATA += sql/012_own_tables.sql
dist_sql_DATA += sql/013_issued_tokens.sql
dist_sql_DATA += sql/014_projects.sql
dist_sql_DATA += sql/015_cancel_notify.sql
