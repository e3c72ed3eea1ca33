"""Choosing the profile: scores stay within each profile's MAX_SCORE, so skipping the match of
profiles that cannot win picks what asking every profile would pick."""

from __future__ import annotations

from pathlib import Path

from transforms.parse.html import profiles
from transforms.parse.html.document import Document, load_document
from transforms.records import RawPage


def _doc(path: Path) -> Document:
    return load_document(RawPage(source_uri=str(path), content=path.read_bytes()))


def _exhaustive(doc: Document) -> str | None:
    """The profile asking every profile's match would pick (None: the fallback's turn)."""
    scored = []
    for order, profile in enumerate(profiles.profiles()):
        score = profile.match(doc)
        if score > 0:
            scored.append((-score, order, profile))
    for _, _, profile in sorted(scored, key=lambda item: (item[0], item[1])):
        if profile.extract(doc) is not None:
            return profile.NAME
    return None


def test_scores_within_max_and_same_choice(corpus_dir: Path) -> None:
    pages = sorted((corpus_dir / "html").glob("*.html"))
    assert pages
    for path in pages:
        doc = _doc(path)
        for profile in profiles.profiles():
            assert profile.match(doc) <= getattr(profile, "MAX_SCORE", 1.0), (path, profile)
        name, _ = profiles.run_profiles(doc)
        expected = _exhaustive(_doc(path))
        assert name == expected or (expected is None and name in ("generic", "page")), path
