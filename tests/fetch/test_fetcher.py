"""The fetcher against a real local server with injected faults: what it returns and how many
requests it makes."""

from __future__ import annotations

import dataclasses
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.fetch.conftest import FAST, make_fetcher
from tests.fetch.server import (
    Page,
    TestServer,
    drip,
    endless,
    gzip_bomb,
    gzipped,
    redirect,
    reset,
    robots,
    sequence,
    slow,
    status,
    truncated,
)
from transforms.fetch import Fetcher, retry_after_seconds

HTML = b"<html><body><p>hello</p></body></html>"


def test_plain_page_user_agent_and_headers(fresh: TestServer, fetcher: Fetcher) -> None:
    url = fresh.route("/a", Page(HTML))
    result = fetcher.fetch(url)
    assert result.ok and result.status == 200 and result.content == HTML
    assert result.content_type == "text/html; charset=utf-8"
    assert result.headers["etag"].startswith('"v1-')
    (hit,) = [h for h in fresh.settle() if h.path == "/a"]
    assert hit.user_agent == FAST.user_agent


def test_500_then_200_is_retried(fresh: TestServer, fetcher: Fetcher) -> None:
    url = fresh.route("/flaky", sequence(status(500), status(503), Page(HTML)))
    result = fetcher.fetch(url)
    assert result.ok and result.content == HTML and result.attempts == 3
    assert fresh.statuses("/flaky") == [500, 503, 200]


def test_5xx_gives_up_after_retries(fresh: TestServer, fetcher: Fetcher) -> None:
    url = fresh.route("/down", status(502))
    result = fetcher.fetch(url)
    assert (result.error_kind, result.status, result.error) == ("status", 502, "status: status 502")
    assert fresh.requests("/down") == result.attempts == 1 + FAST.retries


@pytest.mark.parametrize("code", [400, 403, 404, 410])
def test_other_4xx_not_retried(fresh: TestServer, fetcher: Fetcher, code: int) -> None:
    url = fresh.route("/gone", status(code))
    result = fetcher.fetch(url)
    assert result.error_kind == "status" and result.status == code
    assert fresh.requests("/gone") == 1


def test_429_honours_retry_after(fresh: TestServer, fetcher: Fetcher) -> None:
    url = fresh.route("/busy", sequence(status(429, headers={"Retry-After": "1"}), Page(HTML)))
    started = time.monotonic()
    result = fetcher.fetch(url)
    waited = time.monotonic() - started
    assert result.ok and fresh.statuses("/busy") == [429, 200]
    assert 0.9 <= waited < 3


def test_retry_after_beyond_cap_gives_up_at_once(fresh: TestServer, fetcher: Fetcher) -> None:
    url = fresh.route("/later", status(429, headers={"Retry-After": "3600"}))
    started = time.monotonic()
    result = fetcher.fetch(url)
    assert result.error_kind == "status" and "Retry-After 3600s exceeds" in (result.error or "")
    assert fresh.requests("/later") == 1 and time.monotonic() - started < 1


def test_retry_after_http_date() -> None:
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0  # in the past
    assert retry_after_seconds("soon") is None


def test_connection_reset_then_ok(fresh: TestServer, fetcher: Fetcher) -> None:
    url = fresh.route("/reset-once", sequence(reset, Page(HTML)))
    result = fetcher.fetch(url)
    assert result.ok and result.attempts == 2


def test_connection_reset_always(fresh: TestServer, fetcher: Fetcher) -> None:
    url = fresh.route("/reset", reset)
    result = fetcher.fetch(url)
    assert result.error_kind == "connect" and result.status is None
    assert fresh.requests("/reset") == 1 + FAST.retries


def test_slow_drip_hits_the_deadline(fresh: TestServer, fetcher: Fetcher) -> None:
    url = fresh.route("/drip", drip(b"x" * 200, interval=0.05))  # 10 s to send it all
    started = time.monotonic()
    result = fetcher.fetch(url)
    elapsed = time.monotonic() - started
    assert result.error_kind == "timeout" and "not complete within 1s" in (result.error or "")
    assert elapsed < FAST.deadline + 1.0  # not retried: a drip would drip again
    assert fresh.requests("/drip") == 1


def test_stalled_server_read_timeout_is_retried(fresh: TestServer, fetcher: Fetcher) -> None:
    url = fresh.route("/stall", sequence(slow(Page(HTML), 1.5), Page(HTML)))
    result = fetcher.fetch(url)
    assert result.ok and result.attempts == 2


def test_truncated_body(fresh: TestServer, fetcher: Fetcher) -> None:
    url = fresh.route("/cut", truncated(HTML))
    result = fetcher.fetch(url)
    assert result.error_kind == "truncated" and result.content is None
    assert fresh.requests("/cut") == 1 + FAST.retries
    once = fresh.route("/cut-once", sequence(truncated(HTML), Page(HTML)))
    assert fetcher.fetch(once).content == HTML


def test_redirects_followed_and_bounded(fresh: TestServer, fetcher: Fetcher) -> None:
    fresh.route("/final", Page(HTML))
    fresh.route("/hop2", redirect("/final", 301))
    url = fresh.route("/hop1", redirect(fresh.url("/hop2"), 302))
    result = fetcher.fetch(url)
    assert result.ok and result.final_url == fresh.url("/final") and result.url == url

    fresh.route("/loop-a", redirect("/loop-b"))
    fresh.route("/loop-b", redirect("/loop-a"))
    loop = fetcher.fetch(fresh.url("/loop-a"))
    assert loop.error_kind == "redirect" and "loop" in (loop.error or "")
    assert fresh.requests("/loop-a") == 1 and fresh.requests("/loop-b") == 1

    for i in range(10):
        fresh.route(f"/chain{i}", redirect(f"/chain{i + 1}"))
    chain = fetcher.fetch(fresh.url("/chain0"))
    assert chain.error_kind == "redirect" and "more than 4 redirects" in (chain.error or "")


def test_oversize_bodies(fresh: TestServer, fetcher: Fetcher) -> None:
    declared = fetcher.fetch(fresh.route("/big", status(200, b"x" * 1_500_000)))
    assert declared.error_kind == "too_large" and "Content-Length" in (declared.error or "")
    assert fresh.requests("/big") == 1  # not retried
    streamed = fetcher.fetch(fresh.route("/endless", endless()))
    assert streamed.error_kind == "too_large" and "body exceeds" in (streamed.error or "")
    assert fetcher.stats.bytes < 3 * FAST.max_bytes


def test_gzip_bomb_stops_at_the_cap(fresh: TestServer, fetcher: Fetcher) -> None:
    url = fresh.route("/bomb", gzip_bomb(50_000_000))  # ~50 KB that inflate to 50 MB
    result = fetcher.fetch(url)
    assert result.error_kind == "too_large" and "after decompression" in (result.error or "")
    assert fresh.requests("/bomb") == 1


def test_gzip_body_is_decoded(fresh: TestServer, fetcher: Fetcher) -> None:
    result = fetcher.fetch(fresh.route("/gz", gzipped(HTML)))
    assert result.ok and result.content == HTML


def test_conditional_get_304(fresh: TestServer, fetcher: Fetcher) -> None:
    page = Page(HTML)
    url = fresh.route("/cond", page)
    first = fetcher.fetch(url)
    again = fetcher.fetch(url, etag=first.headers["etag"])
    assert again.not_modified and again.content is None
    by_date = fetcher.fetch(url, last_modified=first.headers["last-modified"])
    assert by_date.not_modified
    page.set(HTML + b"<!-- changed -->")
    changed = fetcher.fetch(url, etag=first.headers["etag"])
    assert changed.status == 200 and changed.content and changed.content.endswith(b"-->")
    assert fresh.downloads("/cond") == 2 and fetcher.stats.not_modified == 2


def test_dns_failure_is_classified() -> None:
    with make_fetcher() as fetcher:  # robots.txt is the first request: it fails the host
        result = fetcher.fetch("http://no-such-host.invalid/post")
    assert result.error_kind == "dns" and (result.error or "").startswith("dns: ")
    assert "(fetching robots.txt)" in (result.error or "")
    assert fetcher.stats.requests == 1  # no retries on DNS
    with make_fetcher(dataclasses.replace(FAST, respect_robots=False)) as fetcher:
        result = fetcher.fetch("http://no-such-host.invalid/post")
    assert result.error_kind == "dns" and result.attempts == fetcher.stats.requests == 1


def test_robots_disallow_and_cache(fresh: TestServer) -> None:
    fresh.route("/robots.txt", robots("User-agent: *\nDisallow: /private/\n"))
    fresh.route("/private/x", Page(HTML))
    fresh.route("/public", Page(HTML))
    with make_fetcher() as fetcher:
        blocked = fetcher.fetch(fresh.url("/private/x"))
        allowed = [fetcher.fetch(fresh.url("/public")) for _ in range(3)]
    assert blocked.error_kind == "robots" and "robots.txt" in (blocked.error or "")
    assert all(r.ok for r in allowed)
    assert fresh.requests("/private/x") == 0
    assert fresh.requests("/robots.txt") == 1  # fetched once per host, then cached


def test_robots_specific_agent_and_off_switch(fresh: TestServer) -> None:
    fresh.route("/robots.txt", robots("User-agent: threadline-test\nDisallow: /\n"))
    url = fresh.route("/p", Page(HTML))
    with make_fetcher() as fetcher:
        assert fetcher.fetch(url).error_kind == "robots"
    with make_fetcher(dataclasses.replace(FAST, respect_robots=False)) as fetcher:
        assert fetcher.fetch(url).ok
    assert fresh.requests("/p") == 1


def test_robots_5xx_disallows_host(fresh: TestServer) -> None:
    fresh.route("/robots.txt", status(503))
    url = fresh.route("/p", Page(HTML))
    with make_fetcher() as fetcher:
        result = fetcher.fetch(url)
    assert result.error == "robots: robots.txt unavailable (status 503)"
    assert fresh.requests("/p") == 0


def test_per_host_concurrency_and_delay(fresh: TestServer) -> None:
    for i in range(6):
        fresh.route(f"/p{i}", slow(Page(HTML), 0.1))
    policy = dataclasses.replace(FAST, host_concurrency=2, host_delay=0.05)
    with make_fetcher(policy) as fetcher, ThreadPoolExecutor(6) as pool:
        results = list(pool.map(fetcher.fetch, [fresh.url(f"/p{i}") for i in range(6)]))
    assert all(r.ok for r in results)
    assert fresh.max_in_flight <= 2
    starts = sorted(h.started for h in fresh.settle() if h.path.startswith("/p"))
    assert starts[-1] - starts[0] >= 5 * 0.05 * 0.8  # the host delay between request starts


def test_hosts_are_fetched_in_parallel(fresh: TestServer) -> None:
    fresh.route("/s", slow(Page(HTML), 0.5))
    urls = [fresh.url("/s", host) for host in ("127.0.0.1", "localhost") for _ in range(2)]
    policy = dataclasses.replace(FAST, host_concurrency=1, respect_robots=False)
    started = time.monotonic()
    with make_fetcher(policy) as fetcher, ThreadPoolExecutor(4) as pool:
        results = list(pool.map(fetcher.fetch, urls))
    elapsed = time.monotonic() - started
    assert all(r.ok for r in results)
    # one at a time per host (2 × 0.5 s), both hosts at once: ~1 s, not 2 s
    assert 0.95 <= elapsed < 1.8
