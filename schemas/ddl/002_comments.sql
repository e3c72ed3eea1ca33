-- comments: one row per unique comment (exact copies on one page collapse into one row,
-- counted in `duplicates`), keyed by comment_id, stable across runs.
-- comment_id is unique without a PRIMARY KEY index: ids are unique within a thread by
-- construction (transforms.dedup), a staged part holds each thread once, and the loader inserts
-- only ids it has not stored. The index cost 40% of a large load's commit time and stays in
-- memory; tests check the uniqueness after every kind of load.
create table if not exists comments (
    comment_id varchar not null,
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
    last_run_id varchar not null,
    -- the source (file path or URL) that last showed the comment: a read of that source
    -- without it marks it removed; a read of another source of the same thread does not
    source_uri varchar not null
);
