"""Words of comment sections in the languages threadline reads (English, German, French, and
common Romance/Germanic neighbours), in one place for the text and HTML parsers, so both
recognise the same count headers, reply links and author lines.

Each tuple holds regular-expression alternatives; ``either`` joins them into a group.
"""

from __future__ import annotations

from collections.abc import Iterable

# Nouns a comment-count header puts after its number: "53 Comments", "91 Kommentare".
COUNT_NOUNS = (
    "thoughts?", "comments?", "responses?", "replies", "reply", "discussions?", "reactions?",
    "kommentare?n?", "antworten", "ergänzungen", "reaktionen", "gedanken?", "meinungen",
    "leserkommentare", "leserbriefe", "commentaires?", "réponses?", "réactions?", "réflexions?",
    "avis", "comentarios?", "commenti", "reacties",
)  # fmt: skip
# The word for comments in Chinese (simplified, traditional: also "message"), Japanese, Korean.
CJK_COMMENT_NOUNS = ("评论", "評論", "留言", "コメント", "댓글")
# Labels a header puts before the count: "Comments (8)", "Kommentare: 12".
COUNT_LABELS = (
    "comments?", "kommentare", "commentaires", "responses", "réactions", "reactions", "replies",
    "discussion", "leserkommentare", "leserbriefe", "leserpost", "antworten", "ergänzungen",
)  # fmt: skip
# Words of the reply link under a comment ("Reply", "Antworten", "Répondre"), besides "reply".
REPLY_WORDS = (
    "antwort", "antworten", "beantworten", "répondre", "repondre", "responder", "rispondi",
    "rispondere", "reageer", "beantwoorden", "svara", "odpowiedz", "ответить", "回复", "回覆",
    "返信", "답글",
)  # fmt: skip
# Weekdays (full and abbreviated) that may stand before a date: "Do, 1. Aug 2019", "Mon 3 May".
WEEKDAYS = (
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue",
    "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "montag", "dienstag", "mittwoch",
    "donnerstag", "freitag", "samstag", "sonntag", "mo", "di", "mi", "do", "fr", "sa", "so",
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "lun", "mar", "mer",
    "jeu", "ven", "sam", "dim", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado",
    "domingo", "mié", "jue", "vie", "sáb", "dom",
)  # fmt: skip
# Verbs of an author line: "Name says:", "Name sagt:", "Name a écrit :".
SAYS_VERBS = (
    "says", "said", "sagt", "schreibt", "meint", "a écrit", "écrit", "dit", "escribió", "dice",
    "wrote", "writes",
)  # fmt: skip


def either(words: Iterable[str]) -> str:
    """A non-capturing group matching any of the alternatives."""
    return "(?:" + "|".join(words) + ")"
