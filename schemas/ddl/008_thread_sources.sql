-- thread_sources: one row per (thread, source) - every file, archive record or URL a thread was
-- read from. A thread's comment pages saved as separate files, its page and its blog's export,
-- its page fetched and saved: each is a row, with the fingerprint of its last read, so that a
-- re-run skips every unchanged file of the thread, not only the one read last.
--   source_uri    the page read: a file, a record of a container (`<file>#<n>`) or a URL
--   source_file   what a run reads as a whole: the file (a container's path for each of its
--                 records), or the URL
--   source_fingerprint  size, modification time and parser version of source_file at its
--                 last read (null for URLs: the raw store decides what to fetch again)
--   removed_at    when a read of source_file no longer gave this thread (a post gone from an
--                 export, a page whose canonical URL changed); the comments it last showed
--                 are marked removed then too
create table if not exists thread_sources (
    thread_id varchar not null,
    source_uri varchar not null,
    source_file varchar not null,
    source_fingerprint varchar,
    comment_count_parsed integer not null,
    first_seen_at timestamptz not null,
    last_seen_at timestamptz not null,
    removed_at timestamptz,
    last_run_id varchar not null,
    primary key (thread_id, source_uri)
);
