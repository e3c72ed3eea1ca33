"""Scheduled runs over a local site: rows, rejects and downloads across runs — unchanged pages
are not downloaded again (304) nor parsed again; edits, deletions and new replies show up."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from tests.fetch.conftest import FAST
from tests.fetch.pages import C, older_newer, wp_page
from tests.fetch.runs import run_urls
from tests.fetch.server import (
    Page,
    TestServer,
    drip,
    robots,
    sequence,
    serve,
    status,
)
from transforms.acquire import stored_reader
from transforms.rawstore import RawStore

T0 = datetime(2026, 5, 1, 6, tzinfo=UTC)
T1, T2, T3 = (T0 + timedelta(hours=6 * i) for i in (1, 2, 3))

A_COMMENTS = [
    C(1, "Ann", "First!"),
    C(2, "Bob", "Second thoughts."),
    C(3, "Cid", "Spam-ish remark."),
    C(4, "Dee", "Reply to Ann.", parent=1),
]
LATIN = [
    C(1, "Müller", "Très café. Déjà vu à la fenêtre, où l’été était chaud; Noël à Zürich."),
    C(2, "Zoë", "Ça c’est génial, merci beaucoup, élève."),
]
B_COMMENTS = [C(i, f"user{i}", f"comment number {i}") for i in range(1, 8)] + [
    C(8, "user8", "reply to seven", parent=7)
]


@dataclasses.dataclass
class Site:
    server: TestServer
    a: Page
    b_pages: dict[str, Page]
    c: Page

    def url(self, path: str) -> str:
        return self.server.url(path)


def b_page_html(page_no: int, comments: list[C], base: str, *, last: int = 3) -> bytes:
    """Page ``page_no`` of thread B: top-level comments 3 a page with their replies, oldest
    first; the thread URL shows the last page (WordPress's default)."""
    older = f"{base}comment-page-{page_no - 1}/#comments" if page_no > 1 else None
    newer = f"{base}comment-page-{page_no + 1}/#comments" if page_no < last else None
    top = {c.id for c in comments if c.parent is None and (c.id - 1) // 3 + 1 == page_no}
    chunk = [c for c in comments if c.id in top or c.parent in top]
    url = base if page_no == last else f"{base}comment-page-{page_no}/"
    # The header count stays 8, so a new comment on the last page leaves pages 1-2 unchanged.
    return wp_page("Thread B", chunk, canonical=url, nav=older_newer(older, newer),
                   declared=8).encode()  # fmt: skip


def set_b(site: Site, comments: list[C]) -> None:
    base = site.url("/blog/b/")
    site.b_pages["/blog/b/"].set(b_page_html(3, comments, base))
    for n in (1, 2, 3):
        site.b_pages[f"/blog/b/comment-page-{n}/"].set(b_page_html(n, comments, base))


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with serve() as server:
        server.route("/robots.txt", robots("User-agent: *\nDisallow: /private/\n"))
        a = Page(wp_page("Thread A", A_COMMENTS, canonical=server.url("/blog/a/")).encode())
        server.route("/blog/a/", a)
        b_pages = {
            p: Page(b"") for p in ["/blog/b/"] + [f"/blog/b/comment-page-{n}/" for n in (1, 2, 3)]
        }
        for path, page in b_pages.items():
            server.route(path, page)
        # C: a server that sends no validators (no ETag/Last-Modified): downloaded every run,
        # but a body with the same hash is not parsed again.
        c = Page(wp_page("Thread C", [C(1, "Eve", "Only one.")]).encode(), etag=False)
        server.route("/blog/c/", c)
        built = Site(server, a, b_pages, c)
        set_b(built, B_COMMENTS)
        # D: ?cpage=N pagination (paginate_comments_links markup), the thread URL is page 1.
        d_base = server.url("/blog/d/?p=4")
        numbers = (
            '<div class="comment-navigation"><span aria-current="page" class="page-numbers '
            'current">{cur}</span> <a class="page-numbers" href="{href}">{other}</a></div>'
        )
        server.route("/blog/d/?p=4", Page(wp_page(
            "Thread D", [C(11, "Fay", "page one comment")], canonical=d_base,
            nav=numbers.format(cur=1, href="?p=4&cpage=2", other=2)).encode()))  # fmt: skip
        server.route("/blog/d/?p=4&cpage=2", Page(wp_page(
            "Thread D", [C(12, "Gus", "page two comment")], canonical=d_base,
            nav=numbers.format(cur=2, href="?p=4&cpage=1", other=1)).encode()))  # fmt: skip
        server.route("/blog/d/?p=4&cpage=1", Page(wp_page(
            "Thread D", [C(11, "Fay", "page one comment")], canonical=d_base,
            nav=numbers.format(cur=1, href="?p=4&cpage=2", other=2)).encode()))  # fmt: skip
        # Charsets: a wrong header (says utf-8, bytes are windows-1252) and none at all.
        latin = wp_page("Thread L", LATIN, charset=None)
        wrong = Page(latin.encode("cp1252"), "text/html; charset=utf-8")
        server.route("/blog/wrong-charset/", wrong)
        missing = Page(latin.replace("Thread L", "Thread M").encode("cp1252"), "text/html")
        server.route("/blog/no-charset/", missing)
        # Failures.
        server.route("/blog/broken/", status(500))
        server.route("/blog/gone/", status(404))
        server.route("/private/secret/", Page(b"<html>secret</html>"))
        server.route("/blog/drip/", drip(b"<html>" + b" " * 500, interval=0.02))
        server.route("/blog/huge/", status(200, b"<html>" + b"x" * 2_000_000))
        older = older_newer(server.url("/blog/b-broken/comment-page-1/"), None)
        broken = wp_page("Thread X", [C(1, "Hal", "x")], nav=older)
        server.route("/blog/b-broken/", Page(broken.encode()))
        server.route("/blog/b-broken/comment-page-1/", status(503))
        yield built


GOOD = ["/blog/a/", "/blog/b/", "/blog/c/", "/blog/d/?p=4", "/blog/wrong-charset/",
        "/blog/no-charset/"]  # fmt: skip
BAD = ["/blog/broken/", "/blog/gone/", "/private/secret/", "/blog/drip/", "/blog/huge/",
       "/blog/b-broken/"]  # fmt: skip


def q(tmp: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(tmp / "t.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_runs_track_changes_and_skip_unchanged_pages(site: Site, tmp_path: Path) -> None:
    server = site.server
    urls = [site.url(p) for p in GOOD + BAD] + ["http://no-such-host.invalid/post/"]
    set_b(site, B_COMMENTS)
    site.a.set(wp_page("Thread A", A_COMMENTS, canonical=site.url("/blog/a/")).encode())
    server.reset_log()

    # Run 1: everything new; failures are rejects, the rest is committed.
    first = run_urls(urls, tmp_path, "r1", T0)
    assert first.counts.threads_new == 6
    titles = dict(q(tmp_path, "select title, comment_count_parsed from threads"))
    assert titles == {"Thread A": 4, "Thread B": 8, "Thread C": 1, "Thread D": 2,
                      "Thread L": 2, "Thread M": 2}  # fmt: skip
    b_order = q(tmp_path, "select c.native_id from comments c join threads t using (thread_id) "
                          "where t.title = 'Thread B' order by c.position")  # fmt: skip
    assert [r[0] for r in b_order] == [str(i) for i in range(1, 9)]  # 3 pages, one thread
    assert q(tmp_path, "select count(distinct thread_id) from comments") == [(6,)]
    latin = q(tmp_path, "select title, author, text from comments join threads using (thread_id) "
                        "where title in ('Thread L', 'Thread M') order by all")  # fmt: skip
    assert latin == sorted((t, c.author, c.text) for t in ("Thread L", "Thread M") for c in LATIN)
    rejects = dict(q(tmp_path, "select source_uri, error from rejects where run_id = 'r1'"))
    reasons = {uri.removeprefix(site.url("")): err.split(":")[0] for uri, err in rejects.items()}
    assert reasons == {
        "/blog/broken/": "status", "/blog/gone/": "status", "/private/secret/": "robots",
        "/blog/drip/": "timeout", "/blog/huge/": "too_large", "/blog/b-broken/": "status",
        "http://no-such-host.invalid/post/": "dns",
    }  # fmt: skip
    assert "comment page" in rejects[site.url("/blog/b-broken/")]
    assert q(tmp_path, "select status, rejects from runs") == [("completed", 7)]
    # One download per page: B is the thread URL, pages 2 and 1 (older links) and page 3
    # (page 2's newer link); D is the thread URL, cpage=2 and cpage=1.
    pages = [*GOOD, *(f"/blog/b/comment-page-{n}/" for n in (1, 2, 3)),
             "/blog/d/?p=4&cpage=2", "/blog/d/?p=4&cpage=1"]  # fmt: skip
    assert {p: server.downloads(p) for p in pages} == dict.fromkeys(pages, 1)
    assert sum(server.downloads(p) for p in pages) == 11
    assert server.requests("/private/secret/") == 0 and server.requests("/robots.txt") == 1

    # Run 2: nothing changed. Conditional GETs → 304; only C (no validators) is downloaded,
    # and nothing is parsed: the staged part holds no thread rows.
    server.reset_log()
    second = run_urls(urls, tmp_path, "r2", T1)
    assert sum(p.threads for p in second.parts) == 0
    ok_paths = [p for p in server.settle() if p.path not in BAD and p.path != "/robots.txt"]
    assert {h.path for h in ok_paths if h.full_body} == {"/blog/c/"}
    assert sum(1 for h in ok_paths if h.status == 304) == 10  # every other page: 304
    assert (second.counts.threads, second.counts.comments_new, second.counts.comments_updated,
            second.counts.comments_unchanged) == (6, 0, 0, 19)  # fmt: skip
    assert q(tmp_path, "select distinct last_seen_at from threads") == [(T1,)]
    assert q(tmp_path, "select distinct last_seen_at from comments") == [(T1,)]
    news = q(tmp_path, "select sum(new_comments_last_run), sum(edited_last_run), "
                       "sum(removed_last_run) from thread_summary")  # fmt: skip
    assert news == [(0, 0, 0)]

    # Run 3: A edits comment 2, deletes 3, gets a new reply; B gets a new comment on its last
    # page (the thread URL); everything else unchanged.
    site.a.set(wp_page("Thread A", [A_COMMENTS[0], C(2, "Bob", "Second thoughts (edited)."),
                                    A_COMMENTS[3], C(5, "Ida", "Late reply.", parent=1)],
                       canonical=site.url("/blog/a/")).encode())  # fmt: skip
    set_b(site, [*B_COMMENTS, C(9, "user9", "comment number 9")])
    server.reset_log()
    third = run_urls(urls, tmp_path, "r3", T2)
    assert sum(p.threads for p in third.parts) == 2  # A and B parsed again, nothing else
    # Pages 1-2 of B answer 304 and are parsed from the raw store with the new page 3.
    hits = [h for h in server.settle() if h.path not in (*BAD, "/robots.txt")]
    assert {h.path for h in hits if h.status == 304} == {
        "/blog/b/comment-page-1/", "/blog/b/comment-page-2/", "/blog/d/?p=4",
        "/blog/d/?p=4&cpage=1", "/blog/d/?p=4&cpage=2", "/blog/wrong-charset/",
        "/blog/no-charset/",
    }  # fmt: skip
    downloaded = {h.path for h in hits if h.full_body}
    assert downloaded == {"/blog/a/", "/blog/b/", "/blog/b/comment-page-3/", "/blog/c/"}
    assert third.counts.comments_new == 2 and third.counts.comments_removed == 1
    a = q(tmp_path, "select native_id, text, c.removed_at from comments c join threads t "
                    "using (thread_id) where t.title = 'Thread A' order by native_id")  # fmt: skip
    assert a == [("1", "First!", None), ("2", "Second thoughts (edited).", None),
                 ("3", "Spam-ish remark.", T2), ("4", "Reply to Ann.", None),
                 ("5", "Late reply.", None)]  # fmt: skip
    versions = q(tmp_path, "select native_id, version, text, valid_from, valid_to "
                           "from comment_versions")  # fmt: skip
    assert versions == [("2", 1, "Second thoughts.", T0, T2)]
    rows = q(tmp_path, "select title, new_comments_last_run, edited_last_run, "
                       "removed_last_run, comments from thread_summary")  # fmt: skip
    summary = {row[0]: row[1:] for row in rows}
    assert summary["Thread A"] == (1, 1, 1, 4)
    assert summary["Thread B"] == (1, 0, 0, 9)
    assert summary["Thread C"] == (0, 0, 0, 1)

    # Run 4 after a parser upgrade: pages are still 304, but parsed again from the raw store.
    server.reset_log()
    monkey = pytest.MonkeyPatch()
    monkey.setattr("transforms.acquire.PARSER_VERSION", "9.9.9")
    try:
        fourth = run_urls(urls, tmp_path, "r4", T3)
    finally:
        monkey.undo()
    assert sum(p.threads for p in fourth.parts) == 6
    downloaded = {h.path for h in server.settle() if h.full_body and h.path not in BAD}
    assert downloaded == {"/blog/c/", "/robots.txt"}
    assert fourth.counts.comments_new == 0 and fourth.counts.comments_updated == 0


def test_reparse_from_the_raw_store_needs_no_server(site: Site, tmp_path: Path) -> None:
    urls = [site.url(p) for p in GOOD]
    run_urls(urls, tmp_path, "r1", T0)
    before = q(tmp_path, "select * exclude (last_seen_at, last_run_id) from comments order by 1")
    store = RawStore(tmp_path / "raw")
    states = store.threads()
    assert sorted(s.url for s in states) == sorted(urls)
    assert sum(len(s.pages) for s in states) == 1 + 4 + 1 + 3 + 1 + 1  # B: 4 pages, D: 3
    site.server.reset_log()
    again = run_urls(urls, tmp_path, "rp", T1, reader=stored_reader(states, tmp_path / "raw"))
    assert site.server.requests() == 0
    assert sum(p.threads for p in again.parts) == 6
    assert (again.counts.comments_new, again.counts.comments_updated) == (0, 0)
    after = q(tmp_path, "select * exclude (last_seen_at, last_run_id) from comments order by 1")
    assert after == before


def test_failed_commit_leaves_thread_state_unconfirmed(site: Site, tmp_path: Path) -> None:
    """Pages read by a run that never committed are parsed again next run (not trusted)."""
    url = site.url("/blog/a/")
    from tests.fetch.conftest import make_fetcher
    from transforms.acquire import acquire_batch
    from transforms.sources import SourceRef

    with make_fetcher() as fetcher:
        acquire_batch([SourceRef(url, "url")], fetcher, tmp_path / "raw", "crashed")
    assert RawStore(tmp_path / "raw").thread(url) is None  # staged, never confirmed
    site.server.reset_log()
    rerun = run_urls([url], tmp_path, "r2", T1)
    assert site.server.statuses("/blog/a/") == [304]  # the body is in the raw store
    assert sum(p.threads for p in rerun.parts) == 1 and rerun.counts.threads_new == 1
    assert RawStore(tmp_path / "raw").thread(url) is not None  # confirmed after the commit


def test_flaky_server_recovers_within_a_run(tmp_path: Path) -> None:
    with serve() as server:
        page = Page(wp_page("Flaky", [C(1, "Ann", "hi")]).encode())
        url = server.route("/t/", sequence(status(500), status(429, headers={"Retry-After": "0"}),
                                          page))  # fmt: skip
        result = run_urls(
            [url],
            tmp_path,
            "r1",
            T0,
            policy=dataclasses.replace(FAST, retries=3, deadline=10.0, read_timeout=5.0),
        )
        assert result.counts.threads_new == 1 and result.counts.rejects == 0
        assert server.statuses("/t/") == [500, 429, 200]
