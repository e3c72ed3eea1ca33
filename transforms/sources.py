"""Sources: what the user names (files, folders, globs, URLs) → inputs → raw pages.

A folder is read recursively (hidden files and ``.url`` sidecars skipped); a glob is expanded
(``**`` recursive). A file is one page, unless it is a web-corpus container (JSONL or Parquet
records with a URL and page text/HTML), which yields one page per record. A gzip-compressed
page and an MHTML save are read as the page they wrap (``transforms.saved_pages``); a web
archive (WARC) yields one page per archived page (``transforms.warc``). URLs are fetched by
``transforms.fetch`` (see there).
"""

from __future__ import annotations

import glob
import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Literal

from transforms.corpus_records import BadRecord, iter_corpus_records, read_sidecar_url
from transforms.limits import MAX_PAGE_BYTES, PARSER_VERSION
from transforms.parse.registry import is_export
from transforms.records import RawPage, Reject, Unchanged
from transforms.saved_pages import gunzip, gzip_start, is_gzip, is_mhtml, read_mhtml
from transforms.warc import is_warc, iter_warc_pages

_GLOB_CHARS = frozenset("*?[")
HEAD_BYTES = 65536  # what is read of a file to tell a container from a page


@dataclass(frozen=True, slots=True)
class SourceRef:
    """One input to read: a local file or a URL."""

    uri: str
    kind: Literal["file", "url"]


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def _files_under(folder: Path) -> list[str]:
    """The files under ``folder`` (recursively; hidden names and ``.url`` sidecars skipped;
    symlinked folders not entered), as resolved paths in path order (component by component,
    as pathlib sorts). One ``scandir`` per folder, and only symlinked files resolved one by
    one: resolving and testing each path on its own (``rglob``) took 0.5 s for 10,000 files."""
    root = folder.resolve()
    found: list[tuple[tuple[str, ...], str]] = []
    pending: list[tuple[Path, tuple[str, ...]]] = [(root, ())]
    while pending:
        here, rel = pending.pop()
        try:
            with os.scandir(here) as entries:
                listed = list(entries)
        except OSError:  # unreadable: as rglob, skipped
            continue
        for entry in listed:
            if entry.name.startswith("."):
                continue
            parts = (*rel, entry.name)
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((here / entry.name, parts))
                elif entry.is_file() and not entry.name.endswith(".url"):
                    path = os.path.realpath(entry.path) if entry.is_symlink() else entry.path
                    found.append((parts, path))
            except OSError:
                continue
    found.sort()
    return [path for _, path in found]


def discover(sources: Sequence[str]) -> tuple[list[SourceRef], list[Reject]]:
    """The inputs named by ``sources``, in a stable order without repeats, and a reject for
    each source that names nothing readable."""
    refs: list[SourceRef] = []
    rejects: list[Reject] = []
    seen: set[str] = set()

    def add(ref: SourceRef) -> None:
        if ref.uri not in seen:
            seen.add(ref.uri)
            refs.append(ref)

    for source in sources:
        if is_url(source):
            add(SourceRef(source, "url"))
            continue
        path = Path(source).expanduser()
        if path.is_dir():
            found = _files_under(path)
            if not found:
                rejects.append(Reject(str(path), "discover", "folder holds no files"))
            for name in found:
                add(SourceRef(name, "file"))
        elif path.is_file():
            add(SourceRef(str(path.resolve()), "file"))
        elif _GLOB_CHARS & set(source):
            # Path.glob cannot take an absolute pattern: use glob.glob for user-given patterns.
            matches = sorted(glob.glob(str(path), recursive=True))  # noqa: PTH207
            files = [Path(m) for m in matches if Path(m).is_file() and not m.endswith(".url")]
            if not files:
                rejects.append(Reject(source, "discover", "glob matches no files"))
            for file in files:
                add(SourceRef(str(file.resolve()), "file"))
        else:
            rejects.append(Reject(source, "discover", "no such file or folder"))
    return refs, rejects


def container_kind(
    head: bytes, fields: RecordFields | None = None
) -> Literal["parquet", "jsonl", "jsonl.gz"] | None:
    """Whether a file's first bytes are a web-corpus container, and which. JSON Lines (plain
    or gzip-compressed) count when the first line is a JSON object with one of the record
    fields (``fields``, else the defaults) at its top level: a JSON export written on one line
    (Commento's, a REST response) is a page, not a container of one bad record."""
    if head.startswith(b"PAR1"):
        return "parquet"
    fields = fields or RecordFields()
    if is_gzip(head):
        # as much of the start as this head holds (a large file's head is cut short)
        start = gzip_start(head, 1 << 20)
        if start is None:
            return None  # not a readable gzip stream: read as a page, which reports it
        inner, whole = start
        return "jsonl.gz" if _looks_jsonl(inner, fields, whole=whole) else None
    return "jsonl" if _looks_jsonl(head, fields, whole=len(head) < HEAD_BYTES) else None


_JSON_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[{}\[\]:]')


def _looks_jsonl(head: bytes, fields: RecordFields, *, whole: bool) -> bool:
    """JSON Lines of records: the first line is a JSON object (complete, or cut short by the
    end of ``head`` when ``head`` is not the ``whole`` file) whose top level has one of the
    record fields."""
    stripped = head.lstrip()
    first, newline, _ = stripped.partition(b"\n")
    first = first.strip()
    if not first.startswith(b"{"):
        return False
    if newline or whole:  # the whole line: it must be a JSON object
        if not first.endswith(b"}"):
            return False
        try:
            if not isinstance(json.loads(first), dict):
                return False
        except ValueError:
            return False
    wanted = {name.split(".", 1)[0] for name in (fields.url, fields.text, fields.html)}
    if wanted.isdisjoint(_top_level_keys(first)):
        return False
    # An API response written on one line can have such a field too (a Hacker News item has
    # ``url`` and ``text``): one an export parser knows is a page, not a record.
    return not is_export(RawPage(source_uri="", content=first))


def _top_level_keys(line: bytes) -> set[str]:
    """The keys of a JSON object's top level, as far as ``line`` (maybe cut short) shows."""
    keys: set[str] = set()
    depth, last = 0, b""
    for match in _JSON_TOKEN.finditer(line):
        token = match.group()
        if token in (b"{", b"["):
            depth += 1
        elif token in (b"}", b"]"):
            depth -= 1
        elif token == b":" and depth == 1 and last.startswith(b'"'):
            keys.add(last[1:-1].decode("utf-8", "replace"))
        last = token
    return keys


class InputTooLargeError(ValueError):
    """A file larger than MAX_PAGE_BYTES that is not a record container."""


@dataclass(frozen=True, slots=True)
class RecordFields:
    """Field names of web-corpus records (JSONL/Parquet); dotted names reach nested objects."""

    url: str = "url"
    text: str = "text"
    html: str = "html"


def file_fingerprint(path: Path) -> str:
    """What identifies a file's content and how it was parsed, without reading it: size and
    modification time (as make and rsync use them) and the parser version."""
    stat = path.stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}:{PARSER_VERSION}"


def split_unchanged(
    refs: Sequence[SourceRef], known: Mapping[str, str]
) -> tuple[list[SourceRef], list[SourceRef]]:
    """(files whose fingerprint equals their last committed read, every other input), in
    input order: the first need no parsing, only their threads' ``last_seen_at`` moved."""
    unchanged: list[SourceRef] = []
    rest: list[SourceRef] = []
    for ref in refs:
        fingerprint = known.get(ref.uri) if ref.kind == "file" else None
        try:
            same = fingerprint is not None and file_fingerprint(Path(ref.uri)) == fingerprint
        except OSError:  # gone or unreadable: the batch that reads it reports it
            same = False
        (unchanged if same else rest).append(ref)
    return unchanged, rest


def read_file(
    path: Path, *, fetched_at: datetime | None = None, fields: RecordFields | None = None,
    known: Mapping[str, str] | None = None,
) -> Iterator[RawPage | Reject | Unchanged]:  # fmt: skip
    """The pages in one local file: one page, or one per record of a corpus container (a
    record that cannot become a page is a reject, and the file goes on). A plain file whose
    fingerprint equals ``known[path]`` (its last committed read) is ``Unchanged``, not read."""
    fingerprint = file_fingerprint(path)
    if known is not None and known.get(str(path)) == fingerprint:
        yield Unchanged(str(path))
        return
    with path.open("rb") as fh:
        head = fh.read(HEAD_BYTES)
    fields = fields or RecordFields()
    records: Iterator[RawPage | BadRecord] | None = None
    if container_kind(head, fields) is not None:
        records = iter_corpus_records(
            path, url_field=fields.url, text_field=fields.text, html_field=fields.html
        )
    elif is_warc(head):
        records = iter_warc_pages(path)
    if records is not None:
        # Each record is a page of its own (``<file>#<n>``), read with the whole file: the
        # file's fingerprint lets a re-run skip it as one.
        for item in records:
            if isinstance(item, BadRecord):
                yield item.reject()
            else:
                yield replace(item, fingerprint=fingerprint, source_file=str(path))
        return
    if is_mhtml(head):
        saved = read_mhtml(path)
        yield RawPage(
            source_uri=str(path),
            content=saved.content,
            url=read_sidecar_url(path) or saved.url,
            content_type=saved.content_type,
            fetched_at=fetched_at or saved.saved_at,
            fingerprint=fingerprint,
        )
        return
    packed = is_gzip(head)  # its size limit applies once decompressed
    size = path.stat().st_size
    if size > MAX_PAGE_BYTES and not packed:
        raise InputTooLargeError(
            f"{path}: {size} bytes, more than the {MAX_PAGE_BYTES} a page may have"
        )
    yield RawPage(
        source_uri=str(path),
        content=gunzip(path) if packed else path.read_bytes(),
        url=read_sidecar_url(path),
        fetched_at=fetched_at,
        fingerprint=fingerprint,
    )
