-- thread_summary: one row per thread, with its comment statistics. `missing_comments` is the
-- declared count minus the parsed count (partial or paginated pages show up here);
-- `new_comments_last_run` counts comments first seen by the thread's most recent run (the run
-- that last saw the thread: a re-fetch that found nothing new shows 0), and
-- `edited_last_run` / `removed_last_run` the comments that run found edited (text replaced,
-- kept in comment_versions) or gone; `edited_comments` counts comments ever edited. `sources`
-- counts the files, records and URLs that still give the thread (thread_sources without
-- removed_at): 0 when every source read since no longer does (a post deleted from an export),
-- and `removed_at` says since when.
create or replace view thread_summary as
with stats as (
    select
        c.thread_id,
        count(*) filter (where c.removed_at is null) as comments,
        count(*) filter (where c.kind = 'comment' and c.removed_at is null) as reader_comments,
        count(*) filter (where c.kind <> 'comment' and c.removed_at is null) as pings,
        count(*) filter (where c.removed_at is not null) as removed_comments,
        count(distinct c.author) as distinct_authors,
        max(c.depth) as max_depth,
        min(c.posted_at) as first_comment_at,
        max(c.posted_at) as last_comment_at,
        cast(sum(c.duplicates) as bigint) as duplicates_collapsed
    from comments as c
    group by c.thread_id
),
fresh as (
    select c.thread_id, count(*) as new_comments_last_run
    from comments as c
    join threads as t on t.thread_id = c.thread_id and c.first_seen_at = t.last_seen_at
    group by c.thread_id
),
gone as (
    select c.thread_id, count(*) as removed_last_run
    from comments as c
    join threads as t on t.thread_id = c.thread_id and c.removed_at = t.last_seen_at
    group by c.thread_id
),
sources as (
    select thread_id, count(*) filter (where removed_at is null) as sources
    from thread_sources
    group by thread_id
),
edits as (
    select
        v.thread_id,
        count(distinct v.comment_id) as edited_comments,
        count(distinct v.comment_id) filter (where v.valid_to = t.last_seen_at) as edited_last_run
    from comment_versions as v
    join threads as t on t.thread_id = v.thread_id
    group by v.thread_id
)
select
    t.thread_id,
    t.site,
    t.url,
    t.title,
    t.published_at,
    coalesce(s.comments, 0) as comments,
    coalesce(s.reader_comments, 0) as reader_comments,
    coalesce(s.pings, 0) as pings,
    coalesce(s.removed_comments, 0) as removed_comments,
    coalesce(s.distinct_authors, 0) as distinct_authors,
    s.max_depth,
    s.first_comment_at,
    s.last_comment_at,
    coalesce(s.duplicates_collapsed, 0) as duplicates_collapsed,
    t.comment_count_declared,
    t.comment_count_parsed,
    t.comment_count_declared - t.comment_count_parsed as missing_comments,
    coalesce(f.new_comments_last_run, 0) as new_comments_last_run,
    t.parser,
    t.first_seen_at,
    t.last_seen_at,
    coalesce(e.edited_last_run, 0) as edited_last_run,
    coalesce(g.removed_last_run, 0) as removed_last_run,
    coalesce(e.edited_comments, 0) as edited_comments,
    coalesce(src.sources, 0) as sources,
    t.removed_at
from threads as t
left join stats as s on s.thread_id = t.thread_id
left join fresh as f on f.thread_id = t.thread_id
left join gone as g on g.thread_id = t.thread_id
left join edits as e on e.thread_id = t.thread_id
left join sources as src on src.thread_id = t.thread_id;

-- reply_edges: one row per reply (a comment with a parent): child → parent with both authors.
create or replace view reply_edges as
select
    child.thread_id,
    child.comment_id as child_id,
    child.author as child_author,
    child.posted_at as child_posted_at,
    parent.comment_id as parent_id,
    parent.author as parent_author,
    parent.posted_at as parent_posted_at,
    child.depth as child_depth
from comments as child
join comments as parent on parent.comment_id = child.parent_id;

-- author_activity: one row per (site, author): how much and when they comment.
create or replace view author_activity as
select
    t.site,
    c.author,
    count(*) as comments,
    count(distinct c.thread_id) as threads,
    min(c.posted_at) as first_comment_at,
    max(c.posted_at) as last_comment_at
from comments as c
join threads as t on t.thread_id = c.thread_id
where c.author is not null and c.kind = 'comment'
group by t.site, c.author;

-- comment_volume_daily: one row per (site, day): comments posted that day.
create or replace view comment_volume_daily as
select
    t.site,
    cast(c.posted_at as date) as day,
    count(*) as comments
from comments as c
join threads as t on t.thread_id = c.thread_id
where c.posted_at is not null
group by t.site, cast(c.posted_at as date);
