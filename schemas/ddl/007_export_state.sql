-- export_changes: one row per (table, site) of the Parquet export whose rows changed; changed_at
-- is the commit that last changed them. Tables: threads, comments, thread_seen. Moving only
-- last_seen_at/last_run_id (and a thread's source_fingerprint) changes only thread_seen (the
-- threads and comments exports carry none of them), so re-reading unchanged pages rewrites only
-- its small partitions.
create table if not exists export_changes (
    table_name varchar not null,
    site varchar not null,
    changed_at timestamptz not null,
    primary key (table_name, site)
);

-- parquet_exports: one row per (export folder, table, site): the change it was last written at.
create table if not exists parquet_exports (
    parquet_dir varchar not null,
    table_name varchar not null,
    site varchar not null,
    exported_at timestamptz not null,
    primary key (parquet_dir, table_name, site)
);
