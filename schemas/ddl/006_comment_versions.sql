-- comment_versions: one row per earlier text of a comment with a native id, kept when a
-- re-read page shows that comment (same comment_id) with a different text. The current text
-- stays in `comments`; `version` counts from 1 (the first text seen). `valid_from` is when
-- this text was first seen, `last_seen_at` the last time it was, `valid_to` when the new text
-- replaced it (the seen time of the run `replaced_by_run_id`).
create table if not exists comment_versions (
    comment_id varchar not null,
    version integer not null,
    thread_id varchar not null,
    native_id varchar not null,
    author varchar,
    posted_at timestamptz,
    text varchar not null,
    text_hash varchar not null,
    valid_from timestamptz not null,
    last_seen_at timestamptz not null,
    valid_to timestamptz not null,
    replaced_by_run_id varchar not null,
    primary key (comment_id, version)
);
