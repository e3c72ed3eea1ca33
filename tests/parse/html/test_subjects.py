"""Per-comment subjects: typed ones lead the text, generated ones are dropped."""

from __future__ import annotations

import pytest

from transforms.parse.html.subjects import is_generated_subject, with_subject


@pytest.mark.parametrize(
    ("subject", "body", "generated"),
    [
        ("Streusalz", "Bei uns wird nur die Fahrbahn geräumt.", False),
        ("Danke", "Danke für den Artikel.", False),  # short typed subject starting the body
        ("En attendant...", "En attendant, rien ne change.", False),  # typed dots, not a cut
        ("Das kenne ich auch…", "Das kenne ich auch aus meinem Viertel.", True),  # Drupal 8+
        ("Das kenne ich auch aus meinem", "Das kenne ich auch aus meinem Viertel.", True),  # D7
        ("Kurz", "Kurz", True),  # the whole body repeated
        ("Re: Spikes", "Welche Reifen?", True),
        ("AW: Kurze Antworten", "Auch eine kurze Antwort.", True),
        ("Réf: le budget", "Non.", True),
        ("…", "Text", True),
        ("", "Text", True),
    ],
)
def test_is_generated_subject(subject: str, body: str, generated: bool) -> None:
    assert is_generated_subject(subject, body) is generated


def test_with_subject() -> None:
    assert with_subject("Frost", "Cover the plants.") == "Frost\n\nCover the plants."
    assert with_subject(None, "Cover the plants.") == "Cover the plants."
    assert with_subject("Re: Frost", "Cover the plants.") == "Cover the plants."
    assert with_subject("Frost", "") == "Frost"
