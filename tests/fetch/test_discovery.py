"""URL discovery (lists, sitemaps, feeds, filters, bounds), comment-page links, page merging,
and the raw store's blobs and confirmation rules."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.fetch.conftest import make_fetcher
from tests.fetch.server import Page, TestServer, status
from transforms.discovery import (
    UrlFilter,
    UrlSources,
    discover_urls,
    parse_feed,
    parse_sitemap,
    read_url_list,
)
from transforms.paginate import comment_page_links, merge_pages, page_number
from transforms.rawstore import PageRecord, RawStore, ThreadState
from transforms.records import ParsedComment, ParsedThread
from transforms.sources import SourceRef

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def urlset(*locs: str) -> bytes:
    body = "".join(f"<url><loc>{loc}</loc><lastmod>2024-01-01</lastmod></url>" for loc in locs)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset {NS}>{body}</urlset>'.encode()


def index(*locs: str) -> bytes:
    body = "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in locs)
    return f'<?xml version="1.0"?><sitemapindex {NS}>{body}</sitemapindex>'.encode()


def test_url_list_skips_blanks_and_comments() -> None:
    text = "# threads\nhttps://a.example/1/\n\n  https://a.example/2/  trailing note\n#x\n"
    assert read_url_list(text) == ["https://a.example/1/", "https://a.example/2/"]


def test_sitemap_and_index() -> None:
    assert parse_sitemap(urlset("https://a.example/p/")) == (["https://a.example/p/"], [])
    assert parse_sitemap(index("https://a.example/s1.xml")) == ([], ["https://a.example/s1.xml"])
    assert parse_sitemap(gzip.compress(urlset("https://a.example/z/")))[0] == [
        "https://a.example/z/"
    ]
    with pytest.raises(ValueError, match="not a sitemap"):
        parse_sitemap(b"<html><body>hi</body></html>")


def test_feeds_rss_atom_and_wordpress_comment_feed() -> None:
    rss = (
        b'<?xml version="1.0"?><rss version="2.0" xmlns:wfw="http://wellformedweb.org/CommentAPI/">'
        b"<channel><link>https://b.example/</link>"
        b"<item><link>https://b.example/post-1/#comment-7</link></item>"
        b"<item><link>https://b.example/post-2/?replytocom=3</link></item>"
        b"</channel></rss>"
    )
    assert parse_feed(rss) == [
        "https://b.example/post-1/",
        "https://b.example/post-2/?replytocom=3",
    ]
    atom = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
        b'<link rel="replies" href="https://c.example/p/feed"/>'
        b'<link rel="alternate" href="https://c.example/p/"/></entry>'
        b'<entry><link href="https://c.example/q/"/></entry></feed>'
    )
    assert parse_feed(atom) == ["https://c.example/p/", "https://c.example/q/"]
    with pytest.raises(ValueError, match="not an RSS or Atom feed"):
        parse_feed(urlset("https://x.example/"))


def test_filter() -> None:
    keep = UrlFilter.of(include=[r"/20\d\d/"], exclude=[r"/tag/", r"\?amp"])
    assert keep.accepts("https://a.example/2024/07/post/")
    assert not keep.accepts("https://a.example/about/")
    assert not keep.accepts("https://a.example/2024/tag/x/")


def test_discover_urls_from_files(tmp_path: Path) -> None:
    (tmp_path / "urls.txt").write_text(
        "https://a.example/2024/one/\nhttps://a.example/2024/one/comment-page-2/\n"
        "ftp://a.example/x\nhttps://a.example/2024/two/\n"
    )
    (tmp_path / "posts.xml.gz").write_bytes(
        gzip.compress(urlset("https://a.example/2024/three/", "https://a.example/about/"))
    )
    (tmp_path / "sitemap.xml").write_bytes(
        index(str(tmp_path / "posts.xml.gz"), str(tmp_path / "missing.xml"))
    )
    (tmp_path / "feed.xml").write_bytes(
        b"<rss><channel><item><link>https://a.example/2024/four/#comment-1</link></item>"
        b"<item><link>https://a.example/2024/one/#comment-9</link></item></channel></rss>"
    )
    file_ref = SourceRef(str(tmp_path / "page.html"), "file")
    sources = UrlSources(
        url_lists=(str(tmp_path / "urls.txt"), str(tmp_path / "nope.txt")),
        sitemaps=(str(tmp_path / "sitemap.xml"),),
        feeds=(str(tmp_path / "feed.xml"),),
        include=(r"/2024/",),
    )
    refs, rejects = discover_urls([file_ref, SourceRef("https://a.example/2024/zero/", "url")],
                                  sources, None)  # fmt: skip
    assert refs == [
        file_ref,
        *(SourceRef(f"https://a.example/2024/{n}/", "url")
          for n in ("zero", "one", "two", "three", "four")),
    ]  # fmt: skip
    assert {(Path(r.source_uri).name, r.error.split(":")[0]) for r in rejects} == {
        ("nope.txt", "URL list"), ("missing.xml", "sitemap"), ("x", "not an http(s) URL")
    }  # fmt: skip
    bounded, _ = discover_urls([], UrlSources(url_lists=(str(tmp_path / "urls.txt"),),
                                              max_pages=1), None)  # fmt: skip
    assert bounded == [SourceRef("https://a.example/2024/one/", "url")]


def test_sitemaps_over_http_and_index_loops(fresh: TestServer) -> None:
    fresh.route("/robots.txt", status(404))
    fresh.route("/s.xml", Page(index(fresh.url("/a.xml"), fresh.url("/s.xml")), "text/xml"))
    fresh.route("/a.xml", Page(urlset(*(fresh.url(f"/p{i}/") for i in range(5))), "text/xml"))
    with make_fetcher() as fetcher:
        refs, rejects = discover_urls([], UrlSources(sitemaps=(fresh.url("/s.xml"),),
                                                     max_pages=3), fetcher.fetch)  # fmt: skip
    assert [r.uri for r in refs] == [fresh.url(f"/p{i}/") for i in range(3)]
    assert rejects == []
    assert fresh.requests("/s.xml") == 1  # an index listing itself is read once


def test_page_numbers_and_links() -> None:
    assert page_number("https://a.example/post/comment-page-3/") == 3
    assert page_number("https://a.example/?p=4&cpage=2") == 2
    assert page_number("https://a.example/post/") is None
    base = "https://a.example/post/"
    html = (
        '<html><body><ol class="comment-list"></ol><div class="nav-previous">'
        f'<a href="{base}comment-page-2/#comments">&laquo; Older Comments</a></div>'
        '<a href="https://a.example/other/comment-page-2/">elsewhere</a>'
        '<a href="/post/#respond">reply</a></body></html>'
    ).encode()
    links, own = comment_page_links(html, "text/html", base)
    assert links == [f"{base}comment-page-2/"] and own == 3  # older → 2, so this is page 3
    numbered = (
        b'<html><body><span aria-current="page" class="page-numbers current">1</span>'
        b'<a class="page-numbers" href="?p=4&amp;cpage=2">2</a></body></html>'
    )
    links, own = comment_page_links(numbered, "text/html", "https://a.example/?p=4")
    assert links == ["https://a.example/?p=4&cpage=2"] and own == 1
    assert comment_page_links(b'{"not": "html"}', "application/json", base) == ([], None)


def c(text: str, native: str | None, parent: int | None = None) -> ParsedComment:
    return ParsedComment(text=text, native_id=native, parent=parent, depth=int(parent is not None))


def test_merge_pages() -> None:
    p1 = ParsedThread("html/x", (c("a", "1"), c("a-re", "2", 0)), title="T", url="u",
                      comment_count_declared=5)  # fmt: skip
    p2 = ParsedThread("html/x", (c("b", "3"), c("b-re", "4", 0), c("a", "1")), title="T p2")
    dup = ParsedThread("html/x", (c("b", "3"), c("b-re", "4", 0), c("a", "1")))
    merged = merge_pages([p1, p2, dup])
    assert [(x.text, x.parent) for x in merged.comments] == [
        ("a", None), ("a-re", 0), ("b", None), ("b-re", 2)
    ]  # fmt: skip
    assert merged.title == "T" and merged.comment_count_declared == 5
    assert merged.notes[-1] == "2 comment pages merged"
    assert merge_pages([p1]) is p1


def page(url: str, sha: str) -> PageRecord:
    return PageRecord(url, url, 200, sha, "text/html", datetime(2026, 1, 1, tzinfo=UTC))


def test_raw_store_blobs_and_confirmation(tmp_path: Path) -> None:
    store = RawStore(tmp_path / "raw")
    digest = store.put(b"<html>x</html>")
    assert store.put(b"<html>x</html>") == digest and store.get(digest) == b"<html>x</html>"
    assert store.blob_path(digest).read_bytes()[:2] == b"\x1f\x8b"  # stored compressed
    store.blob_path(digest).write_bytes(gzip.compress(b"tampered"))
    assert store.get(digest) is None and not store.has(digest)  # damaged blobs are dropped

    a = ThreadState("https://a/", (page("https://a/", "1" * 64),), "0.1.0")
    b = ThreadState("https://b/", (page("https://b/", "2" * 64),), "0.1.0")
    store.stage_thread("r1", a)
    store.stage_thread("r1", b)
    assert store.confirm("r1", ["https://a/"], datetime.now(UTC)) == 1
    assert store.thread("https://a/") == a and store.thread("https://b/") is None
    store.stage_thread("r2", a)
    assert store.confirm("r2", [], datetime.now(UTC)) == 0  # not committed: forgotten
    assert store.thread("https://a/") is None
