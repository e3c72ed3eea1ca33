"""URL ingest through the real flow (Prefect test harness) and the CLI: sitemap and feed
discovery, politeness settings from the environment, two scheduled runs, then a reparse."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from tests.fetch.pages import C, wp_page
from tests.fetch.server import Page, TestServer, robots, serve, status

FAST_ENV = {
    "THREADLINE_HOST_DELAY": "0",
    "THREADLINE_FETCH_DEADLINE": "2",
    "THREADLINE_FETCH_READ_TIMEOUT": "2",
    "THREADLINE_FETCH_BACKOFF": "0.01",
    "THREADLINE_FETCH_RETRIES": "1",
    "THREADLINE_WORKERS": "1",
}


@pytest.fixture(scope="module")
def site() -> Iterator[TestServer]:
    with serve() as server:
        server.route("/robots.txt", robots("User-agent: *\nDisallow: /private/\n"))
        for n in range(1, 5):
            comments = [C(i, f"reader{i}", f"post {n} comment {i}") for i in range(1, n + 1)]
            server.route(f"/post-{n}/", Page(wp_page(f"Post {n}", comments).encode()))
        server.route("/private/post/", Page(b"<html></html>"))
        server.route("/broken/", status(500))
        urlset = "".join(
            f"<url><loc>{server.url(p)}</loc></url>"
            for p in ("/post-1/", "/post-2/", "/post-2/comment-page-2/", "/private/post/")
        )
        sitemap = (
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{urlset}</urlset>"
        )
        server.route(
            "/sitemap-posts.xml.gz", Page(gzip.compress(sitemap.encode()), "application/x-gzip")
        )
        server.route("/sitemap.xml", Page(
            ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
             f'sitemap/0.9"><sitemap><loc>{server.url("/sitemap-posts.xml.gz")}</loc></sitemap>'
             f'<sitemap><loc>{server.url("/missing-sitemap.xml")}</loc></sitemap>'
             "</sitemapindex>").encode(), "application/xml"))  # fmt: skip
        feed = (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Comments on Post 3</title>'
            f"<link>{server.url('/post-3/')}</link>"
            f"<item><title>reader1</title><link>{server.url('/post-3/')}#comment-1</link></item>"
            f"<item><title>reader2</title><link>{server.url('/post-3/')}#comment-2</link></item>"
            "</channel></rss>"
        )
        server.route("/post-3/feed/", Page(feed.encode(), "application/rss+xml"))
        yield server


@pytest.mark.slow
def test_flow_fetches_discovers_and_skips_unchanged(
    prefect_api: str, site: TestServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.ingest import ingest_threads
    from flows.reparse import reparse_threads

    for key, value in FAST_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("THREADLINE_STAGING_DIR", str(tmp_path / "staging"))
    monkeypatch.setenv("THREADLINE_RAW_DIR", str(tmp_path / "raw"))
    db, parquet = tmp_path / "t.duckdb", tmp_path / "pq"
    kwargs = {
        "sources": [site.url("/post-4/"), site.url("/broken/")],
        "sitemaps": [site.url("/sitemap.xml")],
        "feeds": [site.url("/post-3/feed/")],
        "exclude": [r"/post-4/"],
        "db_path": str(db),
        "parquet_dir": str(parquet),
    }
    site.reset_log()
    first = ingest_threads(**kwargs)  # type: ignore[arg-type]
    assert first.status == "completed"
    assert (first.threads_new, first.comments_new) == (3, 1 + 2 + 3)
    con = duckdb.connect(str(db), read_only=True)
    titles = sorted(r[0] for r in con.execute("select title from threads").fetchall())
    rejects = {
        r[0].removeprefix(site.url("")): r[1].split(":")[0]
        for r in con.execute("select source_uri, error from rejects").fetchall()
    }
    con.close()
    assert titles == ["Post 1", "Post 2", "Post 3"]  # post-4 excluded, comment-page-2 = post 2
    assert rejects == {"/broken/": "status", "/private/post/": "robots",
                       "/missing-sitemap.xml": "sitemap"}  # fmt: skip
    assert {p: site.downloads(p) for p in ("/post-1/", "/post-2/", "/post-3/", "/post-4/")} == {
        "/post-1/": 1,
        "/post-2/": 1,
        "/post-3/": 1,
        "/post-4/": 0,
    }

    site.reset_log()
    second = ingest_threads(**kwargs)  # type: ignore[arg-type]
    assert (second.threads, second.comments_new, second.comments_unchanged) == (3, 0, 6)
    pages = [h for h in site.settle() if h.path.startswith("/post-") and "feed" not in h.path]
    assert sorted(h.status for h in pages) == [304, 304, 304]
    assert site.downloads("/post-1/") == site.downloads("/post-2/") == 0

    site.reset_log()
    again = reparse_threads(db_path=str(db), parquet_dir=str(parquet))
    assert site.requests() == 0
    assert (again.threads, again.comments_new, again.comments_updated) == (3, 0, 0)


@pytest.mark.slow
def test_cli_reparse_and_url_options(prefect_api: str, site: TestServer, tmp_path: Path) -> None:
    env = {**os.environ, **FAST_ENV, "PREFECT_API_URL": prefect_api,
           "THREADLINE_RAW_DIR": str(tmp_path / "raw"),
           "THREADLINE_STAGING_DIR": str(tmp_path / "staging")}  # fmt: skip
    cli = [sys.executable, "-m", "threadline.cli"]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*cli, *args], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=300, check=False)  # fmt: skip

    nothing = run("reparse", "--db", "t.duckdb")
    assert nothing.returncode == 2 and "no stored threads" in nothing.stderr
    (tmp_path / "urls.txt").write_text(
        f"# posts\n{site.url('/post-1/')}\n\n{site.url('/post-2/')}\n"
    )
    ingest = run("ingest", "--url-list", "urls.txt", "--max-pages", "1", "--db", "t.duckdb",
                 "--parquet", "pq")  # fmt: skip
    assert ingest.returncode == 0, ingest.stderr
    summary = dict(line.split("=", 1) for line in ingest.stdout.splitlines() if "=" in line)
    assert (summary["threads_new"], summary["comments_new"]) == ("1", "1")
    reparse = run("reparse", "--db", "t.duckdb", "--parquet", "pq")
    assert reparse.returncode == 0, reparse.stderr
    summary = dict(line.split("=", 1) for line in reparse.stdout.splitlines() if "=" in line)
    assert (summary["threads"], summary["comments_unchanged"]) == ("1", "1")
    bad = run("ingest", "--include", "(", "--url-list", "urls.txt")
    assert bad.returncode == 2 and "not a regular expression" in bad.stderr
    empty = run("ingest")
    assert empty.returncode == 2 and "needs a SOURCE" in empty.stderr


@pytest.mark.parametrize("command", [["reparse"], ["ingest"]])
def test_help_mentions_url_options(command: list[str], tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "threadline.cli", *command, "--help"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=60,
                            check=False)  # fmt: skip
    assert result.returncode == 0
    words = ["--include", "--exclude"] + (["--sitemap", "--feed", "--url-list", "--max-pages"]
                                          if command == ["ingest"] else ["stored"])  # fmt: skip
    for word in words:
        assert word in result.stdout
