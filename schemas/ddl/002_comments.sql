-- comments: one row per unique comment (exact copies on one page collapse into one row,
-- counted in `duplicates`), keyed by comment_id, stable across runs.
create table if not exists comments (
    comment_id varchar primary key,
    thread_id varchar not null,
    parent_id varchar,
    depth integer not null,
    position integer not null,
    author varchar,
    author_url varchar,
    posted_at timestamptz,
    text varchar not null,
    kind varchar not null,
    status varchar not null,
    native_id varchar,
    duplicates integer not null,
    is_orphan boolean not null,
    content_hash varchar not null,
    first_seen_at timestamptz not null,
    last_seen_at timestamptz not null,
    updated_at timestamptz not null,
    removed_at timestamptz,
    last_run_id varchar not null
);
