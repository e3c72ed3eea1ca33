"""Layout profiles: which one reads a page, and the contract they follow.

A profile is a module in this package exposing:

    NAME: str                               # e.g. "wordpress"; the parser is "html/NAME"
    MAX_SCORE: float                        # optional: the highest score match() returns
    def match(doc: Document) -> float: ...  # 0 = not this layout; higher = more certain
    def extract(doc: Document) -> Extraction | None: ...

``extract`` returns None when, on closer look, the page is not its layout (the next profile is
tried), and an ``Extraction`` - possibly with zero comments - when it is. Profiles are tried by
descending score, ties in ``PROFILE_MODULES`` order; the generic structural fallback
(``GENERIC_MODULE``) runs last, when no profile returned an extraction.

``match`` is only asked while it can still change the outcome: once a profile scored at least
what every profile not yet asked can score at most (``MAX_SCORE``, default 1.0; later
profiles lose ties), its ``extract`` runs without asking the others (on a WordPress page,
the other profiles' ``match`` never runs). The order tried is the same as asking everyone.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from types import ModuleType
from typing import Protocol, cast

from transforms.parse.html.document import Document, Node
from transforms.records import ParsedComment

# Append new profile modules here (order breaks score ties).
PROFILE_MODULES: tuple[str, ...] = (
    "transforms.parse.html.wordpress",
    "transforms.parse.html.blogger",
    "transforms.parse.html.drupal",
    "transforms.parse.html.spip",
    "transforms.parse.html.disqus_html",
    "transforms.parse.html.zeit",
    "transforms.parse.html.xenforo",
    "transforms.parse.html.pixnet",
    "transforms.parse.html.typepad",
    "transforms.parse.html.forum",
    "transforms.parse.html.custom",
)
GENERIC_MODULE = "transforms.parse.html.generic"


@dataclass(slots=True)
class Extraction:
    """What a profile read from a page.

    ``section`` is the comment section's container (kept out of the article text; the
    declared count is looked for in and just before it). ``declared`` is the count the page
    states, when the profile read it itself (otherwise the core looks near ``section``).
    ``article_text`` is the article's text when the profile read it itself (a forum topic's
    opening post, shaped like the replies and inside their section).
    ``title`` is the thread's title when the profile read it itself (a forum topic's subject,
    which the page's headings do not tell from the board's name).
    """

    comments: list[ParsedComment]
    section: Node | None = None
    declared: int | None = None
    notes: list[str] = field(default_factory=list)
    article_text: str | None = None
    title: str | None = None


class Profile(Protocol):
    NAME: str

    def match(self, doc: Document) -> float: ...

    def extract(self, doc: Document) -> Extraction | None: ...


def _load(module_path: str) -> Profile | None:
    try:
        module: ModuleType = importlib.import_module(module_path)
    except ModuleNotFoundError as exc:
        if exc.name == module_path:  # profile not written yet in this checkout
            return None
        raise
    return cast(Profile, module)


_profiles: list[Profile] | None = None
_generic: list[Profile] | None = None


def profiles() -> list[Profile]:
    """The available layout profiles, in tie-break order (generic fallback excluded)."""
    global _profiles
    if _profiles is None:
        _profiles = [p for p in (_load(m) for m in PROFILE_MODULES) if p is not None]
    return _profiles


def generic() -> Profile | None:
    """The structural fallback profile, when present."""
    global _generic
    if _generic is None:
        loaded = _load(GENERIC_MODULE)
        _generic = [loaded] if loaded is not None else []
    return _generic[0] if _generic else None


def _max_score(profile: Profile) -> float:
    value = getattr(profile, "MAX_SCORE", 1.0)
    return float(value) if isinstance(value, (int, float)) else 1.0


def run_profiles(doc: Document) -> tuple[str, Extraction]:
    """The name of the profile that read the page and what it read. With no profile and no
    fallback taking the page, ("page", an empty extraction)."""
    pending = list(enumerate(profiles()))  # not asked yet, in tie-break order
    scored: list[tuple[float, int, Profile]] = []  # (-score, order, profile), not tried yet
    while True:
        while pending:
            if scored:
                best_score, best_order, _ = min(scored, key=lambda item: (item[0], item[1]))
                # A profile not asked yet wins only with a higher score, or an equal one and
                # an earlier place in the order.
                if not any(
                    _max_score(p) > -best_score or (_max_score(p) == -best_score and o < best_order)
                    for o, p in pending
                ):
                    break
            order, profile = pending.pop(0)
            score = profile.match(doc)
            if score > 0:
                scored.append((-score, order, profile))
        if not scored:
            break
        best = min(scored, key=lambda item: (item[0], item[1]))
        scored.remove(best)
        extraction = best[2].extract(doc)
        if extraction is not None:
            return best[2].NAME, extraction
    fallback = generic()
    if fallback is not None and fallback.match(doc) > 0:
        extraction = fallback.extract(doc)
        if extraction is not None:
            return fallback.NAME, extraction
    return "page", Extraction(comments=[])
