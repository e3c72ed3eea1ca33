"""Polite HTTP fetching: one page → a ``FetchResult`` (body, or a classified failure).

What a ``Fetcher`` guarantees, per page:
- one ``requests.Session`` with a clear User-Agent; connect and read timeouts, and a wall-clock
  deadline per response (a server dripping one byte a second cannot hold a worker);
- a byte cap on the body as sent AND after decompression (gzip/deflate are decoded here, in
  bounded steps, so a gzip bomb stops at the cap instead of filling memory);
- redirects followed by hand: at most ``max_redirects`` hops, a loop is an error, and every
  hop is checked against robots.txt and goes through its host's gate;
- robots.txt honoured (fetched through the same fetcher, cached per host; a 4xx robots.txt
  allows everything, a 5xx or unreachable one disallows the host, as RFC 9309 says);
- per-host politeness: at most ``host_concurrency`` requests in flight and ``host_delay``
  seconds between request starts per host (a robots ``Crawl-delay`` can raise it);
  parallelism comes from fetching several hosts at once;
- retries with exponential backoff and full jitter on connection errors, stalls, truncated
  bodies, 429 and 5xx; ``Retry-After`` is honoured up to ``retry_after_max`` (the whole host
  waits, not just this page); a longer Retry-After, or any other 4xx, fails the page at once;
- conditional GET: given the ETag / Last-Modified of the last download, a 304 comes back as
  ``not_modified`` without a body.

Failures are results, never exceptions: ``FetchResult.error_kind`` is one of ``dns``,
``connect``, ``timeout``, ``status``, ``too_large``, ``truncated``, ``redirect``, ``robots``,
``invalid``; ``FetchResult.error`` reads ``"<kind>: <detail>"`` (what goes in a reject row).
"""

from __future__ import annotations

import random
import threading
import time
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Literal
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import requests
import urllib3

from transforms.limits import (
    FETCH_BACKOFF,
    FETCH_BACKOFF_MAX,
    FETCH_CONNECT_TIMEOUT,
    FETCH_DEADLINE,
    FETCH_MAX_REDIRECTS,
    FETCH_READ_TIMEOUT,
    FETCH_RETRIES,
    FETCH_WORKERS,
    HOST_CONCURRENCY,
    HOST_DELAY,
    MAX_COMMENT_PAGES,
    MAX_PAGE_BYTES,
    MAX_ROBOTS_BYTES,
    RETRY_AFTER_MAX,
    ROBOTS_TTL,
)

ErrorKind = Literal[
    "dns",
    "connect",
    "timeout",
    "status",
    "too_large",
    "truncated",
    "redirect",
    "robots",
    "invalid",
]
DEFAULT_USER_AGENT = "threadline/0.1 (comment-thread research crawler)"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 65_536
_MAX_CRAWL_DELAY = 60.0  # a robots Crawl-delay above this is capped
_ROBOTS_FAILURE_TTL = 300.0  # an unreachable robots.txt is tried again after this


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """How politely and how patiently to fetch (``Settings.fetch_policy()`` builds one)."""

    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout: float = FETCH_CONNECT_TIMEOUT
    read_timeout: float = FETCH_READ_TIMEOUT
    deadline: float = FETCH_DEADLINE
    max_bytes: int = MAX_PAGE_BYTES
    max_redirects: int = FETCH_MAX_REDIRECTS
    retries: int = FETCH_RETRIES
    backoff: float = FETCH_BACKOFF
    backoff_max: float = FETCH_BACKOFF_MAX
    retry_after_max: float = RETRY_AFTER_MAX
    host_concurrency: int = HOST_CONCURRENCY
    host_delay: float = HOST_DELAY
    respect_robots: bool = True
    workers: int = FETCH_WORKERS
    max_comment_pages: int = MAX_COMMENT_PAGES


@dataclass(frozen=True, slots=True)
class FetchResult:
    """The outcome of fetching one URL (after redirects and retries)."""

    url: str  # as requested
    final_url: str  # after redirects
    status: int | None  # last HTTP status; None when no response came
    headers: Mapping[str, str]
    content: bytes | None  # decoded body (Content-Encoding undone); None on 304 or failure
    fetched_at: datetime  # UTC, when the final response arrived (or the failure happened)
    attempts: int
    error_kind: ErrorKind | None = None
    error: str | None = None  # "<kind>: <detail>"

    @property
    def ok(self) -> bool:
        return self.error_kind is None

    @property
    def not_modified(self) -> bool:
        return self.ok and self.status == 304

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


@dataclass(slots=True)
class FetchStats:
    """Counters of one fetcher (thread-safe through ``Fetcher.count``)."""

    requests: int = 0  # HTTP requests sent, robots.txt and retries included
    downloads: int = 0  # full bodies received (2xx)
    not_modified: int = 0  # 304 answers to conditional GETs
    retries: int = 0
    failures: int = 0  # URLs given up on
    bytes: int = 0  # body bytes received, before decompression
    robots_fetches: int = 0

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


class _Failure(Exception):  # noqa: N818 - internal, never escapes the module
    """A classified failure inside the fetcher (turned into a FetchResult)."""

    def __init__(
        self,
        kind: ErrorKind,
        detail: str,
        *,
        retry: bool = False,
        status: int | None = None,
        wait: float | None = None,
    ) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind: ErrorKind = kind
        self.detail = detail
        self.retry = retry
        self.status = status
        self.wait = wait  # server-requested delay (Retry-After), seconds
        self.attempts = 0  # requests made for the hop that failed


# --- per-host politeness ------------------------------------------------------------------


class HostGate:
    """Politeness for one host: a bounded number of requests in flight and a minimum delay
    between request starts (slots are reserved in order, so waiting threads queue fairly)."""

    def __init__(self, concurrency: int, delay: float) -> None:
        self._slots = threading.BoundedSemaphore(max(1, concurrency))
        self._lock = threading.Lock()
        self._delay = max(0.0, delay)
        self._next_start = 0.0  # time.monotonic() before which no request may start

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one of the host's request slots, started no sooner than the delay allows."""
        with self._slots:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next_start)
                self._next_start = start + self._delay
            if start > now:
                time.sleep(start - now)
            yield

    def pause(self, seconds: float) -> None:
        """Let no request to this host start for ``seconds`` (the host asked us to wait)."""
        with self._lock:
            self._next_start = max(self._next_start, time.monotonic() + seconds)

    def slow_down(self, delay: float) -> None:
        """Raise the delay between request starts (robots.txt Crawl-delay)."""
        with self._lock:
            self._delay = max(self._delay, delay)


@dataclass(slots=True)
class _Robots:
    parser: RobotFileParser | None  # None = everything allowed
    failure: _Failure | None  # robots.txt unreachable: the host is disallowed
    expires: float


@dataclass(slots=True)
class HostRegistry:
    """Host gates and robots.txt verdicts shared by every fetcher that uses this registry.

    ``shared_hosts()`` is one per process, so concurrent batches (tasks in threads) respect one
    politeness budget per host. Across processes or machines each process keeps its own."""

    robots_ttl: float = ROBOTS_TTL
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _gates: dict[tuple[str, int, float], HostGate] = field(default_factory=dict)
    _robots: dict[str, _Robots] = field(default_factory=dict)
    _robots_locks: dict[str, threading.Lock] = field(default_factory=dict)

    def gate(self, host: str, policy: FetchPolicy) -> HostGate:
        key = (host, policy.host_concurrency, policy.host_delay)
        with self._lock:
            gate = self._gates.get(key)
            if gate is None:
                gate = self._gates[key] = HostGate(policy.host_concurrency, policy.host_delay)
            return gate

    def robots_lock(self, origin: str) -> threading.Lock:
        with self._lock:
            return self._robots_locks.setdefault(origin, threading.Lock())

    def cached_robots(self, origin: str) -> _Robots | None:
        with self._lock:
            entry = self._robots.get(origin)
        if entry is not None and entry.expires > time.monotonic():
            return entry
        return None

    def store_robots(self, origin: str, entry: _Robots) -> None:
        with self._lock:
            self._robots[origin] = entry


_shared: HostRegistry | None = None
_shared_lock = threading.Lock()


def shared_hosts() -> HostRegistry:
    """The process-wide host registry (created on first use, not at import)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = HostRegistry()
        return _shared


# --- helpers -------------------------------------------------------------------------------


def host_of(url: str) -> str:
    """The ``host[:port]`` a URL's requests go to, lower-case (the politeness key)."""
    return urlsplit(url).netloc.lower().rsplit("@", 1)[-1]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{host_of(url)}"


def _exception_chain(exc: BaseException) -> Iterator[BaseException]:
    stack: list[BaseException] = [exc]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        for nested in (item.__cause__, item.__context__, getattr(item, "reason", None), *item.args):
            if isinstance(nested, BaseException):
                stack.append(nested)


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text[:300]}" if text else type(exc).__name__


def classify_exception(exc: BaseException) -> _Failure:
    """A network exception as a classified, retryable-or-not failure."""
    chain = list(_exception_chain(exc))
    if any(isinstance(e, urllib3.exceptions.NameResolutionError) for e in chain) or any(
        "Name or service not known" in str(e)
        or "nodename nor servname" in str(e)
        or "getaddrinfo failed" in str(e)
        or "Temporary failure in name resolution" in str(e)
        or "No address associated with hostname" in str(e)
        for e in chain
    ):
        return _Failure("dns", _short(exc))
    if any(
        isinstance(e, requests.exceptions.ConnectTimeout | urllib3.exceptions.ConnectTimeoutError)
        for e in chain
    ):
        return _Failure("timeout", f"connect timeout: {_short(exc)}", retry=True)
    if any(
        isinstance(
            e, requests.exceptions.ReadTimeout | urllib3.exceptions.ReadTimeoutError | TimeoutError
        )
        for e in chain
    ):
        return _Failure("timeout", f"read timeout: {_short(exc)}", retry=True)
    if any(
        isinstance(e, urllib3.exceptions.IncompleteRead | requests.exceptions.ChunkedEncodingError)
        for e in chain
    ):
        return _Failure("truncated", _short(exc), retry=True)
    if any(
        isinstance(
            e,
            requests.exceptions.InvalidURL
            | requests.exceptions.MissingSchema
            | requests.exceptions.InvalidSchema
            | urllib3.exceptions.LocationParseError,
        )
        for e in chain
    ):
        return _Failure("invalid", _short(exc))
    return _Failure("connect", _short(exc), retry=True)


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), if valid."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class _Decoder:
    """Undo a Content-Encoding in bounded steps, failing as soon as output passes the cap."""

    def __init__(self, encoding: str, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.out: list[bytes] = []
        self.encoding = encoding
        self._z: zlib._Decompress | None = None
        self._first = True
        if encoding in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._z = zlib.decompressobj(zlib.MAX_WBITS)
        elif encoding not in ("", "identity"):
            raise _Failure("invalid", f"unsupported Content-Encoding {encoding!r}")

    def _emit(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.max_bytes:
            raise _Failure("too_large", f"more than {self.max_bytes} bytes after decompression")
        self.out.append(data)

    def feed(self, data: bytes) -> None:
        if self._z is None:
            self._emit(data)
            return
        if self._first and self.encoding == "deflate" and data[:1] and data[0] & 0x0F != 8:
            self._z = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate without zlib header
        self._first = False
        pending = data
        try:
            while pending and not self._z.eof:
                self._emit(self._z.decompress(pending, self.max_bytes - self.size + 1))
                pending = self._z.unconsumed_tail
        except zlib.error as exc:
            raise _Failure("invalid", f"corrupt {self.encoding} body: {exc}") from exc

    def finish(self) -> bytes:
        if self._z is not None:
            try:
                self._emit(self._z.flush(self.max_bytes - self.size + 1))
            except zlib.error as exc:
                raise _Failure("invalid", f"corrupt {self.encoding} body: {exc}") from exc
            if not self._z.eof:
                raise _Failure("truncated", f"{self.encoding} stream ends early", retry=True)
        return b"".join(self.out)


@dataclass(frozen=True, slots=True)
class _Reply:
    status: int
    headers: dict[str, str]
    url: str
    content: bytes | None


# --- the fetcher ---------------------------------------------------------------------------


class Fetcher:
    """Fetches URLs politely (see the module docstring). Thread-safe: share one per batch;
    each thread gets its own ``requests.Session`` (same headers), closed by ``close``."""

    def __init__(self, policy: FetchPolicy | None = None, *,
                 hosts: HostRegistry | None = None) -> None:  # fmt: skip
        self.policy = policy or FetchPolicy()
        self.hosts = hosts or shared_hosts()
        self.headers = {
            "User-Agent": self.policy.user_agent,
            "Accept-Encoding": "gzip, deflate",
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        }
        self.stats = FetchStats()
        self._stats_lock = threading.Lock()
        self._local = threading.local()
        self._sessions: list[requests.Session] = []

    @property
    def session(self) -> requests.Session:
        """This thread's session (created on first use)."""
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers.update(self.headers)
            self._local.session = session
            with self._stats_lock:
                self._sessions.append(session)
        return session

    def close(self) -> None:
        with self._stats_lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def count(self, **increments: int) -> None:
        with self._stats_lock:
            for name, value in increments.items():
                setattr(self.stats, name, getattr(self.stats, name) + value)

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        robots: bool = True,
    ) -> FetchResult:
        """The page at ``url``: its body, a 304 (given validators), or a classified failure."""
        result = self._fetch(url, etag=etag, last_modified=last_modified, robots=robots)
        if not result.ok:
            self.count(failures=1)
        return result

    def _fetch(
        self, url: str, *, etag: str | None, last_modified: str | None, robots: bool
    ) -> FetchResult:
        conditional: dict[str, str] = {}
        if etag:
            conditional["If-None-Match"] = etag
        if last_modified:
            conditional["If-Modified-Since"] = last_modified
        current, seen, attempts = url, {url}, 0
        status: int | None = None
        try:
            if urlsplit(url).scheme.lower() not in ("http", "https"):
                raise _Failure("invalid", f"not an http(s) URL: {url[:200]}")
            for _hop in range(self.policy.max_redirects + 1):
                if robots and self.policy.respect_robots:
                    self._check_robots(current)
                reply, tries = self._get_with_retries(current, conditional)
                attempts += tries
                status = reply.status
                if reply.status not in _REDIRECTS:
                    if reply.status == 304:
                        self.count(not_modified=1)
                    return FetchResult(
                        url,
                        reply.url,
                        reply.status,
                        reply.headers,
                        reply.content,
                        datetime.now(UTC),
                        attempts,
                    )
                location = reply.headers.get("location")
                if not location:
                    raise _Failure(
                        "redirect", f"status {reply.status} without Location", status=reply.status
                    )
                target = urljoin(current, location.strip()).split("#", 1)[0]
                if target in seen:
                    raise _Failure(
                        "redirect", f"redirect loop at {target[:200]}", status=reply.status
                    )
                seen.add(target)
                current = target
            raise _Failure(
                "redirect", f"more than {self.policy.max_redirects} redirects", status=status
            )
        except _Failure as failure:
            attempts += failure.attempts
            return FetchResult(
                url,
                current,
                failure.status or status,
                {},
                None,
                datetime.now(UTC),
                attempts,
                failure.kind,
                str(failure),
            )

    # -- robots.txt --

    def _check_robots(self, url: str) -> None:
        origin = _origin(url)
        entry = self.hosts.cached_robots(origin)
        if entry is None:
            with self.hosts.robots_lock(origin):
                entry = self.hosts.cached_robots(origin) or self._load_robots(origin)
        if entry.failure is not None:  # the host is unreachable, or its robots.txt fails
            raise _Failure(entry.failure.kind, entry.failure.detail)
        if entry.parser is not None and not entry.parser.can_fetch(self.policy.user_agent, url):
            raise _Failure("robots", f"disallowed by {origin}/robots.txt")

    def _load_robots(self, origin: str) -> _Robots:
        robots_url = origin + "/robots.txt"
        expires = time.monotonic() + self.hosts.robots_ttl
        self.count(robots_fetches=1)
        result = self._fetch(robots_url, etag=None, last_modified=None, robots=False)
        entry: _Robots
        if result.ok and result.status is not None and 200 <= result.status < 300:
            parser = RobotFileParser(robots_url)
            text = (result.content or b"")[:MAX_ROBOTS_BYTES].decode("utf-8", "replace")
            parser.parse(text.splitlines())
            delay = parser.crawl_delay(self.policy.user_agent)
            if delay:
                self.hosts.gate(host_of(origin), self.policy).slow_down(
                    min(float(delay), _MAX_CRAWL_DELAY)
                )
            entry = _Robots(parser, None, expires)
        elif result.status is not None and 400 <= result.status < 500 and result.status != 429:
            entry = _Robots(None, None, expires)  # no robots.txt: everything allowed
        else:
            # 5xx: robots.txt unavailable, the host is disallowed (RFC 9309); a network failure
            # keeps its kind (dns/connect/timeout). Either way, retried after a short while.
            kind: ErrorKind = result.error_kind or "status"
            cause = (result.error or f"status {result.status}").split(": ", 1)[-1]
            if kind in ("status", "too_large", "redirect", "invalid", "truncated"):
                failure = _Failure("robots", f"robots.txt unavailable ({cause})")
            else:
                failure = _Failure(kind, f"{cause} (fetching robots.txt)")
            entry = _Robots(None, failure, time.monotonic() + _ROBOTS_FAILURE_TTL)
        self.hosts.store_robots(origin, entry)
        return entry

    # -- one URL, with retries --

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.policy.backoff_max, self.policy.backoff * (2**attempt))
        return random.uniform(0, ceiling)

    def _get_with_retries(self, url: str, headers: dict[str, str]) -> tuple[_Reply, int]:
        gate = self.hosts.gate(host_of(url), self.policy)
        attempt = 0
        while True:
            attempt += 1
            try:
                with gate.slot():
                    return self._get_once(url, headers), attempt
            except _Failure as failure:
                failure.attempts = attempt
                if not failure.retry or attempt > self.policy.retries:
                    raise
                if failure.wait is not None:
                    if failure.wait > self.policy.retry_after_max:
                        final = _Failure(
                            failure.kind,
                            f"{failure.detail}; Retry-After "
                            f"{failure.wait:.0f}s exceeds {self.policy.retry_after_max:.0f}s",
                            status=failure.status,
                        )
                        final.attempts = attempt
                        raise final from None
                    gate.pause(failure.wait)  # the whole host waits; the gate applies it
                else:
                    time.sleep(self._backoff(attempt - 1))
                self.count(retries=1)

    def _get_once(self, url: str, headers: dict[str, str]) -> _Reply:
        started = time.monotonic()
        deadline = started + self.policy.deadline
        self.count(requests=1)
        try:
            response = self.session.get(
                url,
                headers=headers,
                stream=True,
                allow_redirects=False,
                timeout=(
                    self.policy.connect_timeout,
                    min(self.policy.read_timeout, self.policy.deadline),
                ),
            )
        except requests.RequestException as exc:
            raise classify_exception(exc) from None
        try:
            status = response.status_code
            reply_headers = {k.lower(): v for k, v in response.headers.items()}
            final = response.url or url
            if status in _REDIRECTS or status == 304:
                return _Reply(status, reply_headers, final, None)
            if status == 429 or 500 <= status < 600:
                wait = retry_after_seconds(reply_headers.get("retry-after"))
                raise _Failure("status", f"status {status}", retry=True, status=status, wait=wait)
            if not 200 <= status < 300:
                raise _Failure("status", f"status {status}", status=status)
            content = self._read_body(response, reply_headers, deadline)
            self.count(downloads=1)
            return _Reply(status, reply_headers, final, content)
        finally:
            response.close()

    def _read_body(
        self, response: requests.Response, headers: dict[str, str], deadline: float
    ) -> bytes:
        cap = self.policy.max_bytes
        declared = headers.get("content-length", "").strip()
        if declared.isdigit() and int(declared) > cap:
            raise _Failure(
                "too_large",
                f"Content-Length {declared} exceeds {cap} bytes",
                status=response.status_code,
            )
        decoder = _Decoder(headers.get("content-encoding", "").strip().lower(), cap)
        raw = response.raw
        received = 0
        try:
            while True:
                if time.monotonic() > deadline:
                    raise _Failure(
                        "timeout",
                        f"body not complete within {self.policy.deadline:g}s "
                        f"({received} bytes received)",
                        status=response.status_code,
                    )
                chunk = raw.read1(_CHUNK, decode_content=False)
                if not chunk:
                    break
                received += len(chunk)
                self.count(bytes=len(chunk))
                if received > cap:
                    raise _Failure(
                        "too_large", f"body exceeds {cap} bytes", status=response.status_code
                    )
                decoder.feed(chunk)
        except _Failure:
            raise
        except (urllib3.exceptions.HTTPError, requests.RequestException, OSError) as exc:
            failure = classify_exception(exc)
            failure.status = response.status_code
            raise failure from None
        if declared.isdigit() and received < int(declared):
            raise _Failure(
                "truncated",
                f"{received} of {declared} bytes received",
                retry=True,
                status=response.status_code,
            )
        return decoder.finish()
