-- threads: one row per thread page (an article and its comment section), keyed by thread_id,
-- a stable hash of the canonical URL (or of site + title / export id when there is no URL).
create table if not exists threads (
    thread_id varchar primary key,
    site varchar not null,
    url varchar,
    source_uri varchar not null,
    title varchar,
    published_at timestamptz,
    article_text varchar,
    comment_count_declared integer,
    comment_count_parsed integer not null,
    parser varchar not null,
    parser_version varchar not null,
    notes varchar,
    content_hash varchar not null,
    source_fingerprint varchar,
    first_seen_at timestamptz not null,
    last_seen_at timestamptz not null,
    updated_at timestamptz not null,
    last_run_id varchar not null,
    -- when the last of the thread's sources (thread_sources) stopped giving it (a post deleted
    -- from its export): the thread and its comments stay, marked; null while any source gives it
    removed_at timestamptz
);
