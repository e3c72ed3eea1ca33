-- rejects: one row per input that could not be read or parsed in a run (a quarantine log:
-- the same bad file in two runs gives two rows, one per run).
create table if not exists rejects (
    source_uri varchar not null,
    stage varchar not null,
    error varchar not null,
    run_id varchar not null,
    rejected_at timestamptz not null
);
