"""Per-comment titles ("subjects") that forums and some CMS comment forms ask for.

A subject the commenter typed is part of what they wrote, so it becomes the first paragraph
of the comment's text. Subjects the software filled in are left out: reply prefixes
("Re: …", "AW: …", "Réf. : …") and default subjects made of the body's first words (Drupal
cuts the body to 29 characters at a word boundary, Drupal 8+ adds "…"). A short typed subject
that happens to start the body ("Danke" over "Danke für …") is kept.
"""

from __future__ import annotations

import re

_REPLY_PREFIX = re.compile(
    r"^\s*(?:re|aw|antw|antwort|wg|sv|vs|odp|rif|r[ée]f|r[ée]p|r[ée]ponse)\s*(?:\[\d+\]|\(\d+\))?"
    r"\s*:",
    re.IGNORECASE,
)
# A body prefix at least this long is taken for a default subject (Drupal cuts at 29).
_DEFAULT_SUBJECT_MIN = 20
_ELLIPSIS = re.compile(r"\s*(?:…|\[…\])\s*$")


def _squash(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def is_generated_subject(subject: str, body: str) -> bool:
    """True when the subject was filled in by the software, not typed by the commenter."""
    subject = " ".join(subject.split())
    if not subject:
        return True
    if _REPLY_PREFIX.match(subject):
        return True
    cut = _ELLIPSIS.search(subject) is not None
    stem = _squash(_ELLIPSIS.sub("", subject))
    flat = _squash(body)
    if not stem:
        return True
    if not flat.startswith(stem):
        return False
    return cut or stem == flat or len(stem) >= _DEFAULT_SUBJECT_MIN


def with_subject(subject: str | None, body: str) -> str:
    """The comment text: a typed subject as its first paragraph, then the body."""
    if subject is None:
        return body
    subject = " ".join(subject.split())
    if is_generated_subject(subject, body):
        return body
    return f"{subject}\n\n{body}" if body else subject
