from __future__ import annotations

import gzip
import json
from pathlib import Path

from transforms.sources import RecordFields, container_kind, discover, read_file


def test_discover_files_folders_globs_and_missing(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.html").write_text("<html></html>")
    (tmp_path / "a" / "sub").mkdir()
    (tmp_path / "a" / "sub" / "two.txt").write_text("text")
    (tmp_path / "a" / "sub" / "two.txt.url").write_text("https://example.com/two\n")
    (tmp_path / "a" / ".hidden").write_text("x")
    (tmp_path / "b.xml").write_text("<rss/>")
    refs, rejects = discover(
        [str(tmp_path / "a"), str(tmp_path / "*.xml"), str(tmp_path / "a" / "one.html"),
         str(tmp_path / "missing"), str(tmp_path / "*.nothing"), "https://example.com/p"]
    )  # fmt: skip
    names = [Path(r.uri).name if r.kind == "file" else r.uri for r in refs]
    assert names == ["one.html", "two.txt", "b.xml", "https://example.com/p"]  # no repeats
    assert [(Path(r.source_uri).name, r.stage) for r in rejects] == [
        ("missing", "discover"), ("*.nothing", "discover"),
    ]  # fmt: skip
    assert "no such file" in rejects[0].error


def test_sidecar_url_is_attached(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Title\n\nBody")
    (tmp_path / "page.txt.url").write_text("\nhttps://blog.example/post\n")
    (raw,) = list(read_file(page))
    assert raw.url == "https://blog.example/post"
    assert raw.content == b"Title\n\nBody"


def test_container_sniffing() -> None:
    line = json.dumps({"url": "https://x.example/", "text": "hello"}).encode()
    assert container_kind(line + b"\n" + line) == "jsonl"
    assert container_kind(gzip.compress(line + b"\n")) == "jsonl.gz"
    assert container_kind(b"PAR1\x00\x00") == "parquet"
    assert container_kind(b'{\n  "comments": []\n}') is None  # a pretty-printed JSON export
    assert container_kind(b"<html><body>x</body></html>") is None
    # A JSON export on one line (minified) is one page, plain or compressed: its top level
    # has none of the record fields (the comments inside it have a "url").
    export = b'{"version":1,"comments":[{"url":"/p","commentHex":"a1"}],"commenters":[]}'
    assert container_kind(export) is None
    assert container_kind(gzip.compress(export)) is None
    assert container_kind(gzip.compress(b"<html><body>x</body></html>")) is None
    assert container_kind(b"\x1f\x8b\x08\x00garbage") is None  # read as a page: reported
    # Records whose first line the head cuts short still count, by the keys it shows; so do
    # records named by other fields.
    long_record = json.dumps({"url": "https://x.example/", "html": "<p>" * 40000}).encode()
    assert container_kind(long_record[:65536]) == "jsonl"
    assert container_kind(gzip.compress(long_record * 30)[:65536]) == "jsonl.gz"
    custom = json.dumps({"page": {"address": "https://x.example/"}, "body": "hi"}).encode()
    assert container_kind(custom) is None
    assert container_kind(custom, RecordFields(url="page.address", text="body")) == "jsonl"


def test_folder_walk_order_links_and_hidden_names(tmp_path: Path) -> None:
    """A folder's files come in path order component by component ("b/x" before "b-c", as
    pathlib sorts, not as the joined strings do); a symlinked file is its target's path; a
    symlinked folder, a hidden name and a .url sidecar are not read."""
    root = tmp_path / "in"
    (root / "b").mkdir(parents=True)
    (root / "b" / "x.html").write_text("x")
    (root / "b-c.html").write_text("x")
    (root / "a.txt").write_text("x")
    (root / "a.txt.url").write_text("https://example.com/a\n")
    (root / ".cache").mkdir()
    (root / ".cache" / "old.html").write_text("x")
    (root / "b" / ".draft.html").write_text("x")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "target.html").write_text("x")
    (root / "link.html").symlink_to(elsewhere / "target.html")
    (root / "linked-folder").symlink_to(elsewhere)
    (root / "dangling.html").symlink_to(tmp_path / "gone.html")
    refs, rejects = discover([str(root)])
    assert rejects == []
    assert [r.uri for r in refs] == [
        str((root / "a.txt").resolve()),
        str((root / "b" / "x.html").resolve()),
        str((root / "b-c.html").resolve()),
        str((elsewhere / "target.html").resolve()),
    ]
