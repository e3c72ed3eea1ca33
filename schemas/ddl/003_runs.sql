-- runs: one row per ingest run (one flow run), written when its data is committed.
create table if not exists runs (
    run_id varchar primary key,
    flow_run_id varchar,
    flow_run_name varchar,
    started_at timestamptz not null,
    finished_at timestamptz not null,
    sources varchar not null,
    pages_read integer not null,
    pages_failed integer not null,
    threads integer not null,
    threads_new integer not null,
    comments_new integer not null,
    comments_updated integer not null,
    comments_unchanged integer not null,
    comments_removed integer not null,
    duplicates_collapsed integer not null,
    rejects integer not null,
    status varchar not null
);
