"""Raw pages kept for replay: content-addressed gzip blobs and a small SQLite index.

Layout under ``raw_dir``::

    blobs/ab/ab12…ef.gz   one file per distinct body (sha256 of the decoded bytes), written to a
                          temp name and renamed, so a blob that exists is complete
    index.sqlite3         fetches, page validators and thread states (below)

The index (SQLite in WAL mode: safe for the fetch threads and parse tasks of one machine) holds:

- ``fetches``: one row per HTTP fetch of a page (downloads, 304s and failures): url, final_url,
  status, response headers (JSON), fetched_at, sha256 of the body, outcome, run_id. The body
  plus this row is the whole raw record of a page.
- ``pages``: one row per page URL, the validators of its last download (ETag, Last-Modified,
  sha256, content type, final URL): what a conditional GET sends next time.
- ``threads``: one row per thread URL (a source), the comment pages read for it last time it
  was COMMITTED (URLs + sha256 in page order), their combined hash and the parser version
  that parsed them. A run compares against this to decide "unchanged: do not parse again".
- ``pending``: the thread states a run has read but not committed yet. After the commit step
  succeeds it calls ``confirm``: pending rows of threads that reached DuckDB become the new
  ``threads`` rows; threads that did not (a parse reject, a failed commit) lose their state,
  so the next run parses them again instead of trusting a state DuckDB never received.

Never the DuckDB file: only the commit step writes DuckDB.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

_SCHEMA = """
create table if not exists fetches (
    url text not null,
    final_url text,
    status integer,
    headers text not null,
    fetched_at text not null,
    sha256 text,
    bytes integer,
    outcome text not null,      -- downloaded | not_modified | failed
    error text,
    run_id text
);
create index if not exists fetches_url on fetches (url, fetched_at);
create table if not exists pages (
    url text primary key,
    final_url text not null,
    status integer not null,
    etag text,
    last_modified text,
    sha256 text not null,
    content_type text,
    headers text not null,
    fetched_at text not null
);
create table if not exists threads (
    url text primary key,
    pages text not null,
    combined text not null,
    parser_version text not null,
    run_id text not null,
    confirmed_at text not null
);
create table if not exists pending (
    run_id text not null,
    url text not null,
    pages text not null,
    combined text not null,
    parser_version text not null,
    primary key (run_id, url)
);
"""


@dataclass(frozen=True, slots=True)
class PageRecord:
    """One stored page: where it came from and which blob holds its body."""

    url: str  # as requested
    final_url: str
    status: int
    sha256: str
    content_type: str | None
    fetched_at: datetime
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class ThreadState:
    """The comment pages of one thread URL, in page order, as last read (or committed)."""

    url: str
    pages: tuple[PageRecord, ...]
    parser_version: str

    @property
    def combined(self) -> str:
        """One hash over the page URLs and bodies: equal iff no page changed."""
        h = hashlib.sha256()
        for page in self.pages:
            h.update(page.final_url.encode("utf-8", "surrogatepass") + b"\x1f")
            h.update(page.sha256.encode("ascii") + b"\x1e")
        return h.hexdigest()


def _page_to_json(page: PageRecord) -> dict[str, object]:
    data = asdict(page)
    data["fetched_at"] = page.fetched_at.isoformat()
    return data


def _page_from_json(data: Mapping[str, object]) -> PageRecord:
    values = dict(data)
    values["fetched_at"] = datetime.fromisoformat(str(values["fetched_at"]))
    return PageRecord(**values)  # type: ignore[arg-type]


def _pages_json(pages: Iterable[PageRecord]) -> str:
    return json.dumps([_page_to_json(p) for p in pages])


def _pages_from(text: str) -> tuple[PageRecord, ...]:
    return tuple(_page_from_json(d) for d in json.loads(text))


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


class RawStore:
    """Content-addressed raw pages and the fetch/validator/thread index under one folder."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.blobs = self.root / "blobs"
        self.index_path = self.root / "index.sqlite3"
        self.blobs.mkdir(parents=True, exist_ok=True)
        with self._db() as con:
            con.execute("pragma journal_mode = wal")
            con.executescript(_SCHEMA)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        """A short-lived connection (one per operation: thread-safe, no shared state)."""
        with closing(sqlite3.connect(self.index_path, timeout=60)) as con, con:
            con.execute("pragma busy_timeout = 60000")
            yield con

    # -- blobs --

    def blob_path(self, sha256: str) -> Path:
        return self.blobs / sha256[:2] / f"{sha256}.gz"

    def put(self, content: bytes) -> str:
        """Store a body (once per distinct content) and return its sha256."""
        digest = sha256_of(content)
        path = self.blob_path(digest)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".tmp-{uuid.uuid4().hex}")
            try:
                with tmp.open("wb") as fh:
                    fh.write(gzip.compress(content, compresslevel=6, mtime=0))
                    fh.flush()
                    os.fsync(fh.fileno())
                tmp.replace(path)
            finally:
                tmp.unlink(missing_ok=True)
        return digest

    def get(self, sha256: str) -> bytes | None:
        """A stored body, or None when it is missing (or damaged: then it is removed)."""
        path = self.blob_path(sha256)
        try:
            content = gzip.decompress(path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, EOFError):
            path.unlink(missing_ok=True)
            return None
        if sha256_of(content) != sha256:
            path.unlink(missing_ok=True)
            return None
        return content

    def has(self, sha256: str) -> bool:
        return self.blob_path(sha256).exists()

    # -- fetch log and page validators --

    def record_fetch(self, *, url: str, final_url: str | None, status: int | None,
                     headers: Mapping[str, str], fetched_at: datetime, sha256: str | None,
                     size: int | None, outcome: str, error: str | None = None,
                     run_id: str | None = None) -> None:  # fmt: skip
        """Log one fetch (downloaded, not_modified or failed)."""
        with self._db() as con:
            con.execute(
                "insert into fetches values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [url, final_url, status, json.dumps(dict(headers)), fetched_at.isoformat(),
                 sha256, size, outcome, error, run_id],
            )  # fmt: skip

    def page(self, url: str) -> PageRecord | None:
        """The last download of a page URL, if any."""
        with self._db() as con:
            row = con.execute(
                "select url, final_url, status, sha256, content_type, fetched_at, etag, "
                "last_modified from pages where url = ?",
                [url],
            ).fetchone()
        if row is None:
            return None
        return PageRecord(
            url=row[0], final_url=row[1], status=row[2], sha256=row[3], content_type=row[4],
            fetched_at=datetime.fromisoformat(row[5]), etag=row[6], last_modified=row[7],
        )  # fmt: skip

    def set_page(self, page: PageRecord, headers: Mapping[str, str]) -> None:
        """Remember a page's latest download (its body must already be stored)."""
        with self._db() as con:
            con.execute(
                """
                insert into pages values (?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (url) do update set
                    final_url = excluded.final_url, status = excluded.status,
                    etag = excluded.etag, last_modified = excluded.last_modified,
                    sha256 = excluded.sha256, content_type = excluded.content_type,
                    headers = excluded.headers, fetched_at = excluded.fetched_at
                """,
                [page.url, page.final_url, page.status, page.etag, page.last_modified,
                 page.sha256, page.content_type, json.dumps(dict(headers)),
                 page.fetched_at.isoformat()],
            )  # fmt: skip

    def fetch_count(self, *, outcome: str | None = None, run_id: str | None = None) -> int:
        """How many fetches the log holds (optionally of one outcome / run)."""
        sql = "select count(*) from fetches where 1 = 1"
        params: list[str] = []
        if outcome is not None:
            sql, params = sql + " and outcome = ?", [*params, outcome]
        if run_id is not None:
            sql, params = sql + " and run_id = ?", [*params, run_id]
        with self._db() as con:
            (count,) = con.execute(sql, params).fetchone()
        return int(count)

    # -- thread states --

    def thread(self, url: str) -> ThreadState | None:
        """The committed state of a thread URL, if any."""
        with self._db() as con:
            row = con.execute(
                "select pages, parser_version from threads where url = ?", [url]
            ).fetchone()
        if row is None:
            return None
        return ThreadState(url, _pages_from(row[0]), row[1])

    def threads(self) -> list[ThreadState]:
        """Every committed thread state, by URL (what ``reparse`` re-reads)."""
        with self._db() as con:
            rows = con.execute("select url, pages, parser_version from threads order by url")
            return [ThreadState(r[0], _pages_from(r[1]), r[2]) for r in rows.fetchall()]

    def stage_thread(self, run_id: str, state: ThreadState) -> None:
        """Record what a run read for a thread URL (becomes its state once committed)."""
        with self._db() as con:
            con.execute(
                "insert or replace into pending values (?, ?, ?, ?, ?)",
                [run_id, state.url, _pages_json(state.pages), state.combined,
                 state.parser_version],
            )  # fmt: skip

    def confirm(self, run_id: str, committed_urls: Iterable[str], at: datetime) -> int:
        """After a successful commit: pending thread states whose URL reached DuckDB become
        committed; the others are forgotten (parsed again next run). Returns the number
        confirmed."""
        committed = set(committed_urls)
        with self._db() as con:
            rows = con.execute(
                "select url, pages, combined, parser_version from pending where run_id = ?",
                [run_id],
            ).fetchall()
            confirmed = 0
            for url, pages, combined, version in rows:
                if url in committed:
                    con.execute(
                        "insert or replace into threads values (?, ?, ?, ?, ?, ?)",
                        [url, pages, combined, version, run_id, at.isoformat()],
                    )
                    confirmed += 1
                else:
                    con.execute("delete from threads where url = ?", [url])
            con.execute("delete from pending where run_id = ?", [run_id])
        return confirmed

    def discard(self, run_id: str) -> None:
        """Forget a failed run's pending states (its threads are parsed again next run)."""
        with self._db() as con:
            con.execute(
                "delete from threads where url in (select url from pending where run_id = ?)",
                [run_id],
            )
            con.execute("delete from pending where run_id = ?", [run_id])
