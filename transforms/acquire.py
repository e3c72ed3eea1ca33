"""Acquire thread URLs: fetch every comment page, keep the raw pages, skip what did not change.

For one thread URL (``acquire_thread``):
1. fetch the URL, conditionally when the raw store has its validators (ETag/Last-Modified);
   a 304 reuses the stored body, a 200 stores the new body (content-addressed);
2. follow its comment pages (``transforms.paginate``), each fetched the same way, at most
   ``policy.max_comment_pages``; if any page fails the whole thread is a reject (a partial
   thread would wrongly mark the missing pages' comments removed);
3. compare the pages' combined hash and the parser version with the thread's last COMMITTED
   state: equal → ``Unchanged`` (not parsed again; the commit step only moves last_seen_at),
   else → ``PageSet`` (the pages, parsed and merged into one thread by the pipeline).
Either way the run's read is staged in the raw store and becomes the thread's state once the
commit step confirms it (``RawStore.confirm``).

``acquire_batch`` fetches a batch's URLs on a bounded thread pool, one lane per host slot (so
a busy host never ties up threads other hosts could use). ``StoredReader`` then serves the
batch to the pipeline from the raw store. It is picklable, so parsing may run in another
process while fetching stays in the flow's process, whose host gates keep one politeness
budget per host across concurrent batches.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from transforms.fetch import Fetcher, FetchPolicy, FetchResult, FetchStats, host_of
from transforms.limits import PARSER_VERSION
from transforms.paginate import comment_page_links
from transforms.rawstore import PageRecord, RawStore, ThreadState
from transforms.records import RawPage, Reject, Unchanged
from transforms.sources import RecordFields, SourceRef, read_file


@dataclass(frozen=True, slots=True)
class PageSet:
    """All comment pages of one thread, in page order (first page first): one thread."""

    source_uri: str  # the thread URL as given (the source the thread is loaded from)
    pages: tuple[RawPage, ...]


AcquiredItem = RawPage | Reject | PageSet | Unchanged


@dataclass(frozen=True, slots=True)
class ThreadFetch:
    """What acquiring one thread URL gave: its state (pages) or a reject, and whether it is
    unchanged since the last committed read. Small: bodies stay in the raw store."""

    url: str
    state: ThreadState | None = None
    unchanged: bool = False
    reject: Reject | None = None


def _fetch_page(
    url: str, fetcher: Fetcher, store: RawStore, run_id: str
) -> tuple[PageRecord | None, FetchResult]:
    """One page, conditionally when we hold its last body; stored; logged."""
    previous = store.page(url)
    usable = previous if previous is not None and store.has(previous.sha256) else None
    result = fetcher.fetch(
        url,
        etag=usable.etag if usable else None,
        last_modified=usable.last_modified if usable else None,
    )
    if result.not_modified and usable is not None:
        store.record_fetch(
            url=url, final_url=usable.final_url, status=304, headers=result.headers,
            fetched_at=result.fetched_at, sha256=usable.sha256, size=0, outcome="not_modified",
            run_id=run_id,
        )  # fmt: skip
        return usable, result
    if not result.ok or result.content is None:
        if result.ok:  # a 304 we did not ask for, or an empty 2xx without a body object
            result = FetchResult(
                url, result.final_url, result.status, result.headers, None, result.fetched_at,
                result.attempts, "status", f"status: unexpected status {result.status}",
            )  # fmt: skip
        store.record_fetch(
            url=url, final_url=result.final_url, status=result.status, headers=result.headers,
            fetched_at=result.fetched_at, sha256=None, size=None, outcome="failed",
            error=result.error, run_id=run_id,
        )  # fmt: skip
        return None, result
    digest = store.put(result.content)
    record = PageRecord(
        url=url, final_url=result.final_url, status=result.status or 200, sha256=digest,
        content_type=result.content_type, fetched_at=result.fetched_at,
        etag=result.headers.get("etag"), last_modified=result.headers.get("last-modified"),
    )  # fmt: skip
    store.set_page(record, result.headers)
    store.record_fetch(
        url=url, final_url=result.final_url, status=result.status, headers=result.headers,
        fetched_at=result.fetched_at, sha256=digest, size=len(result.content),
        outcome="downloaded", run_id=run_id,
    )  # fmt: skip
    return record, result


def acquire_thread(url: str, fetcher: Fetcher, store: RawStore, run_id: str) -> ThreadFetch:
    """Fetch a thread URL and all its comment pages (see the module docstring)."""
    limit = max(1, fetcher.policy.max_comment_pages)
    queue: deque[str] = deque([url])
    seen: set[str] = {url}
    pages: list[tuple[int | None, int, PageRecord]] = []  # (number, discovery order, page)
    while queue and len(pages) < limit:
        page_url = queue.popleft()
        record, result = _fetch_page(page_url, fetcher, store, run_id)
        if record is None:
            where = "" if page_url == url else f" (comment page {page_url})"
            return ThreadFetch(url, reject=Reject(url, "fetch", f"{result.error}{where}"))
        content = store.get(record.sha256) or b""
        links, number = comment_page_links(content, record.content_type, record.final_url)
        pages.append((number, len(pages), record))
        for link in links:
            if link not in seen:
                seen.add(link)
                queue.append(link)
    # The thread URL's page without a number in its URL, and no number on the page, is page 1.
    ordered = sorted(pages, key=lambda p: (p[0] if p[0] is not None else 1, p[1]))
    state = ThreadState(url, tuple(p[2] for p in ordered), PARSER_VERSION)
    store.stage_thread(run_id, state)
    previous = store.thread(url)
    unchanged = (
        previous is not None
        and previous.parser_version == state.parser_version
        and previous.combined == state.combined
    )
    return ThreadFetch(url, state=state, unchanged=unchanged)


def pages_of(state: ThreadState, store: RawStore) -> PageSet | Reject:
    """The stored pages of a thread state as raw pages to parse (a reject if a body is lost)."""
    raw: list[RawPage] = []
    for page in state.pages:
        content = store.get(page.sha256)
        if content is None:
            return Reject(state.url, "read", f"raw page {page.sha256[:12]} missing from store")
        raw.append(
            RawPage(
                source_uri=state.url if not raw else page.url,
                content=content,
                url=page.final_url,
                content_type=page.content_type,
                fetched_at=page.fetched_at,
            )
        )
    return PageSet(state.url, tuple(raw))


def items_of(fetched: ThreadFetch, store: RawStore) -> list[PageSet | Unchanged | Reject]:
    if fetched.reject is not None:
        return [fetched.reject]
    assert fetched.state is not None
    if fetched.unchanged:
        return [Unchanged(fetched.url)]
    return [pages_of(fetched.state, store)]


def fetch_threads(
    urls: Sequence[str], fetcher: Fetcher, store: RawStore, run_id: str
) -> dict[str, ThreadFetch]:
    """Acquire every thread URL, in parallel across hosts: one lane per host slot
    (``policy.host_concurrency`` lanes per host, interleaved), at most ``policy.workers``
    threads, so a slow host never ties up threads another host could use. Keyed by URL."""
    by_host: dict[str, deque[str]] = {}
    for url in dict.fromkeys(urls):
        by_host.setdefault(host_of(url), deque()).append(url)
    lanes: list[deque[str]] = []
    for round_no in range(max(1, fetcher.policy.host_concurrency)):
        lanes.extend(q for q in by_host.values() if round_no < len(q))
    results: dict[str, ThreadFetch] = {}
    lock = threading.Lock()

    def run_lane(lane: deque[str]) -> None:
        while True:
            try:
                url = lane.popleft()
            except IndexError:
                return
            try:
                fetched = acquire_thread(url, fetcher, store, run_id)
            except Exception as exc:  # noqa: BLE001 - a bug on one URL is that URL's reject
                fetched = ThreadFetch(url, reject=Reject(url, "fetch", describe(exc)))
            with lock:
                results[url] = fetched

    if lanes:
        workers = max(1, min(fetcher.policy.workers, len(lanes)))
        with ThreadPoolExecutor(workers, thread_name_prefix="fetch") as pool:
            for future in [pool.submit(run_lane, lane) for lane in lanes]:
                future.result()
    return results


def describe(exc: BaseException) -> str:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


@dataclass(frozen=True, slots=True)
class StoredReader:
    """The page reader of one batch after its URLs were fetched: URL sources come from the raw
    store (as PageSet / Unchanged / Reject), files are read as before. Picklable (paths and
    small records only), so a batch can be parsed in another process."""

    raw_dir: Path
    fetched: dict[str, ThreadFetch]
    fetched_at: datetime | None = None
    fields: RecordFields | None = None  # corpus-record field names for local files
    known: Mapping[str, str] | None = None  # fingerprints of files' last committed reads

    def __call__(self, ref: SourceRef) -> Iterator[AcquiredItem]:
        if ref.kind == "file":
            yield from read_file(
                Path(ref.uri), fetched_at=self.fetched_at, fields=self.fields, known=self.known
            )
            return
        fetched = self.fetched.get(ref.uri)
        if fetched is None:
            yield Reject(ref.uri, "fetch", "URL was not fetched")
            return
        yield from items_of(fetched, RawStore(self.raw_dir))


def acquire_batch(
    refs: Sequence[SourceRef], fetcher: Fetcher, raw_dir: Path, run_id: str
) -> StoredReader:
    """Fetch a batch's URL sources and return the reader that parses the batch."""
    store = RawStore(raw_dir)
    urls = [r.uri for r in refs if r.kind == "url"]
    return StoredReader(raw_dir, fetch_threads(urls, fetcher, store, run_id))


def acquire_urls(
    refs: Sequence[SourceRef], policy: FetchPolicy | None, raw_dir: Path | None, run_id: str
) -> tuple[StoredReader | None, FetchStats]:
    """The reader of a batch with URL sources (fetched now, in this process), and the fetch
    counters; no reader when the batch has no URL or fetching is not configured."""
    if policy is None or raw_dir is None or not any(r.kind == "url" for r in refs):
        return None, FetchStats()
    with Fetcher(policy) as fetcher:
        return acquire_batch(refs, fetcher, raw_dir, run_id), fetcher.stats


def stored_reader(states: Sequence[ThreadState], raw_dir: Path) -> StoredReader:
    """A reader that re-parses stored threads (``threadline reparse``): never unchanged."""
    return StoredReader(raw_dir, {s.url: ThreadFetch(s.url, state=s) for s in states})


def reparse_reader(states: Sequence[ThreadState], raw_dir: Path, run_id: str) -> StoredReader:
    """The reader of a reparse batch: stored threads parsed again with the current parsers;
    their states are staged with the current parser version (confirmed after the commit)."""
    store = RawStore(raw_dir)
    current = [replace(s, parser_version=PARSER_VERSION) for s in states]
    for state in current:
        store.stage_thread(run_id, state)
    return stored_reader(current, raw_dir)
