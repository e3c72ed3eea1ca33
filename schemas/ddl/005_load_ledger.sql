-- load_ledger: one row per staged part committed; a part already here is never loaded again.
create table if not exists load_ledger (
    part_id varchar primary key,
    run_id varchar not null,
    committed_at timestamptz not null,
    threads integer not null,
    comments integer not null,
    rejects integer not null
);
