"""Files that wrap one page: MHTML single-file saves and gzip-compressed pages and exports."""

from __future__ import annotations

import gzip
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from transforms.parse import parse_page
from transforms.pipeline import process_batch
from transforms.records import RawPage
from transforms.saved_pages import SavedPageError, gunzip, is_mhtml
from transforms.sources import discover, read_file

FIXTURES = Path(__file__).parent.parent / "fixtures"
SEEN = datetime(2026, 5, 1, tzinfo=UTC)


def only_page(path: Path) -> RawPage:
    (page,) = read_file(path)
    assert isinstance(page, RawPage)
    return page


def test_an_mhtml_save_is_read_as_the_page_it_holds() -> None:
    """Chrome's "save as a single file": the root part's HTML (quoted-printable, ISO-8859-1
    declared only by the MIME part), its address, and the save time as the reference for a
    comment dated "vor 2 Tagen"; the image part is not a page."""
    path = FIXTURES / "saved-page.mhtml"
    page = only_page(path)
    assert page.source_uri == str(path)
    assert page.url == "https://hedgerow.example/2024/09/water-rota/"
    assert page.fetched_at == datetime(2024, 9, 14, 7, 30, tzinfo=UTC)
    (thread,) = parse_page(page)
    assert thread.title == "Allotment water rota for the dry weeks"
    assert thread.comment_count_declared == 3
    assert [(c.author, c.depth, c.native_id) for c in thread.comments] == [
        ("Jürgen Haas", 0, "41"), ("Maren", 1, "42"), ("Ola", 0, "43"),
    ]  # fmt: skip
    assert thread.comments[0].text == "Tuesdays suit me. Viele Grüße an alle am Hang!"
    assert thread.comments[1].posted_at == datetime(2024, 9, 12, 7, 30, tzinfo=UTC)
    assert "=3D" not in (thread.article_text or "")


def test_a_sidecar_url_wins_over_the_mhtml_address(tmp_path: Path) -> None:
    path = tmp_path / "rota.mhtml"
    shutil.copy(FIXTURES / "saved-page.mhtml", path)
    (tmp_path / "rota.mhtml.url").write_text("https://mirror.example/rota/\n")
    assert only_page(path).url == "https://mirror.example/rota/"


def test_mhtml_detection_needs_a_multipart_related_header_block() -> None:
    assert is_mhtml((FIXTURES / "saved-page.mhtml").read_bytes()[:4096])
    assert is_mhtml(b"MIME-Version: 1.0\nContent-Type: Multipart/Related; boundary=x\n\n--x\n")
    # a text rendering that opens with header-like lines, or mentions the type in its body
    assert not is_mhtml(b"Subject: rota\nFrom: Ann\n\nContent-Type: multipart/related\n")
    assert not is_mhtml(b"Content-Type: multipart/related is what a browser writes, as in\n\n")
    assert not is_mhtml(b"<html><body>Content-Type: multipart/related</body></html>")


@pytest.mark.parametrize("fixture", ["wp-threaded.html", "disqus-threads.xml"])
def test_a_gzip_compressed_page_or_export_parses_as_the_plain_file(
    tmp_path: Path, fixture: str
) -> None:
    plain = FIXTURES / fixture
    packed = tmp_path / f"{fixture}.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    page = only_page(packed)
    assert page.source_uri == str(packed)
    expected = parse_page(RawPage(source_uri=str(plain), content=plain.read_bytes()))
    assert parse_page(page) == expected


def test_broken_wrappers_are_rejects_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    whole = gzip.compress((FIXTURES / "wp-threaded.html").read_bytes())
    (inputs / "cut.html.gz").write_bytes(whole[: len(whole) // 2])
    (inputs / "images-only.mhtml").write_bytes(
        b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b\r\n\r\n"
        b"--b\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0K\r\n"
        b"--b--\r\n"
    )
    refs, _ = discover([str(inputs)])
    (part,) = process_batch(refs, staging_dir=tmp_path / "st", run_id="r", batch_no=1, seen_at=SEEN)
    rejects = pq.read_table(Path(part.path) / "rejects.parquet").to_pylist()
    errors = {Path(r["source_uri"]).name: (r["stage"], r["error"]) for r in rejects}
    assert set(errors) == {"cut.html.gz", "images-only.mhtml"}
    assert "cut.html.gz" in errors["cut.html.gz"][1] and "gzip" in errors["cut.html.gz"][1]
    assert "without an HTML part" in errors["images-only.mhtml"][1]

    monkeypatch.setattr("transforms.saved_pages.MAX_PAGE_BYTES", 1000)
    big = tmp_path / "big.html.gz"
    big.write_bytes(gzip.compress(b"<p>" + b"x" * 5000 + b"</p>"))
    with pytest.raises(SavedPageError, match=r"big\.html\.gz.*decompressed"):
        gunzip(big)


@pytest.mark.parametrize("packed", [False, True], ids=["plain", "gzip"])
def test_a_json_export_written_on_one_line_is_a_page_not_a_corpus_container(
    tmp_path: Path, packed: bool
) -> None:
    """Commento's export minified (one line, an object): before, it was taken for JSON Lines
    records and rejected as one record without page content."""
    import json

    pretty = FIXTURES / "commento-v1.json"
    one_line = json.dumps(json.loads(pretty.read_bytes())).encode()
    path = tmp_path / ("export.json.gz" if packed else "export.json")
    path.write_bytes(gzip.compress(one_line) if packed else one_line)
    expected = parse_page(RawPage(source_uri=str(path), content=pretty.read_bytes()))
    assert expected and parse_page(only_page(path)) == expected


def test_bounded_decompression_of_every_wrapping(monkeypatch: pytest.MonkeyPatch) -> None:
    """One helper decompresses gzip (sitemaps, WARC bodies), zlib and raw deflate bodies,
    and refuses a small input that would decompress past the page limit."""
    import zlib

    from transforms.saved_pages import decompress_bounded

    page = b"<p>" + b"ferry " * 200 + b"</p>"
    raw = zlib.compressobj(wbits=-15)
    assert decompress_bounded(gzip.compress(page)) == page
    assert decompress_bounded(zlib.compress(page), wbits=15) == page
    assert decompress_bounded(raw.compress(page) + raw.flush(), wbits=-15) == page
    monkeypatch.setattr("transforms.saved_pages.MAX_PAGE_BYTES", 1000)
    with pytest.raises(ValueError, match="more than 1000 bytes after decompression"):
        decompress_bounded(gzip.compress(page))
