"""Plain-text renderings of thread pages: one text → one ParsedThread (article + comment tree).

Format module API (see registry.py): ``NAME = "text"``, ``detect(page, head)``, ``parse(page)``.
Plain text is the catch-all: ``detect`` claims any decodable input that is not markup or JSON.

What the text looks like
------------------------
Pages saved from a text browser or kept by web-text corpora, as HTML-to-text converters write
them (resiliparse ``extract_plain_text(list_bullets=True)`` is the reference): paragraphs apart
by blank lines, ``<br>`` as a newline, list items as ``N.`` (ordered) or ``•`` (unordered)
markers indented one step per nesting level, each item's further lines indented one step more
than its marker. Comment threads are mostly nested lists, so depth is shown by indentation
only. Four comment layouts are recognised from the content (``ParsedThread.parser``):

- ``text/numbered``: ``  1. text``; no author names (a name opening a comment is someone being
  addressed, so ``author`` stays None).
- ``text/bullets``: ``  • Name`` then the paragraphs, indented; a bullet whose first line is
  sentence text is a guest comment (author None); ``Pingback: …`` items are pingbacks.
- ``text/says``: ``  1. Name says:`` (also ``sagt:``, ``dit :``, …) then the paragraphs; an item
  without ``says:`` is a guest comment.
- ``text/records``: comments that are not list items (the page wrote them as boxes), read
  after a comment header when no comment list was found or when they outnumber the list's
  items (a sidebar list after them): each comment opens with a line holding its date, the
  author's name before the date on that line or on the line above (``#1 Petra 12.05.2013
  14:22``; ``Caesi`` then ``17.10.2019, 14:25 Reply Quote``); the text follows, and a reply is
  indented further or numbered ``#1.1``. Blogger's ``Name said...`` opens a record whose date
  line follows the text (``At 4/19/2005 07:14:49 PM, Name said...`` in its older template).
  Where every record line is a signature (``Posted by: Name | date``, TypePad and Movable
  Type) and text stands between the header and the first one, each text belongs to the
  signature under it. The comment form, a list or another header ends them.

In every layout an author line may carry its date (``Name Jun 20th at 2:41 am``; a weekday,
``Name, Do 1 Aug 2019 / 01:15``; the name joined to the date, ``Sana6. Juni 2015 um 10:23``;
a Reply link after it) or be followed by a date line (``March 22, 2013 at 2:05 pm`` →
``posted_at``); trailing ``Reply`` / ``Like`` / ``Liked by 3 people`` / ``ReplyDelete`` lines
are page furniture and are dropped, as is an item that is only such a link; a trailing
``Comment by Name — date`` or ``By Name, at 5:18 PM`` line (old themes put it after the
text) gives the author. A forum's ``written by Name on <date>`` line under the item's line
gives the author and date; the item's line is then the comment's subject, kept as the first
paragraph of its text.

How a text is read (linear in the number of lines, no recursion)
----------------------------------------------------------------
1. Lines are measured: indentation (tabs to the next multiple of ``TAB_WIDTH``), and a list
   marker (``N.``, ``•``, ``◦``, ``▪``, ``*``, ``-``, …) when the line is indented. Text at
   indentation 0 is never part of a comment. A page written inside a menu's last item (prose
   paragraphs at that item's level, not under it) is unindented from there on, its lists kept
   nested below it. A comment head written as a short list ("• Reply", "• Name", "• date")
   with the text at the list's own indentation becomes one item line, the text under it.
2. Title: first what the page says of it: the line above the comment header that the header
   names ("5 thoughts on “Title”"), the line under a breadcrumb trail that repeats the trail's
   end, the heading beside the post's first dated byline (above it, or under it when the
   byline stands alone above the post), the heading over the post's dateline (a date with its
   time or source, before any prose; past the author's name). Else the first line that is not
   site chrome ("Latest post on …", "Skip to content"), unless navigation lists surround it
   before the article's first prose: on a rendering of the whole page that line is the site's
   name, and the title is the heading just above the prose (past its date and meta lines). A
   rendering of the article alone may still start with the page's furniture: a section's
   kicker or the site's name (a few words), its tagline, a blog's date header, a byline. Past
   those lines the title is the next heading when the post's date, byline or prose follows it
   (else the first line stays the title). A date line just under the title (``22nd March,
   2013 1:55 pm``, ``By X | 3 May 2019``, ``11.05.2012, 10:22 von X``), else a date header or
   dated byline just above it, else the post's footer ("This entry was posted on …"), gives
   ``published_at``.
3. Blocks: maximal runs of indented lines (blank lines included), split where the top-level
   markers change kind (a numbered list written right before a bulleted one). A block is an
   article list when a line ending in ``:`` introduces it or article prose follows it, a
   navigation list unless most of its items have text under them or read as a sentence (nested
   menus included), a sidebar when its items are teasers. The comment
   section is (a) the first other block after the comment header (the last count header such
   as "53 Comments" or "5 thoughts on …" with a list after it, else a heading such as
   "Kommentare"), extended over following list blocks separated only by short headings
   ("Trackbacks"); or (b) without a header, the largest such block. None → zero comments.
4. The tree: a stack of open items. A marker opens an item; its parent is the nearest open item
   with a smaller marker indentation. A marker deeper than one level below that parent (or with
   no open item at all, as when a page starts with replies to a comment it does not show) is an
   orphan: kept at the depth its indentation shows, ``parent=None``, ``orphan=True``. Depth from
   indentation uses the block's step (smallest indentation difference between markers).
   An unmarked line belongs to the deepest open item whose marker is less indented; when that is
   the current item, it is the item's text (extra blank lines where media was dropped do not
   end a comment); when it is an ancestor that already has replies, the line starts a comment
   whose marker line is missing (a sibling of that ancestor), since a comment's text always
   precedes its replies.
5. Items that are sidebar teasers ("Featured News … […] Read more →") are dropped with their
   sub-items; numbering is ignored (it restarts and jumps where the converter dropped parts).
6. Article text: the lines between the title (and date line) and the comment section; the
   standfirst, when the page has one, is simply its first paragraph. Comment headers, comment
   policy lines ("To report anything from the comment section…"), share/related lines,
   newsletter blocks and copyright footers around the comments are excluded. Paragraphs are
   separated by a blank line, lines within a paragraph by a newline, in both article and
   comment text.

Exact double posts are emitted as they appear; ``transforms.dedup`` collapses them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from typing import NamedTuple

from transforms.identity import site_of
from transforms.limits import MAX_TEXT_FILE_BYTES
from transforms.parse.dates import DATE_WORDS, DAY_WORD, MONTHS, SHAPE_REFERENCE, parse_date
from transforms.parse.encoding import DecodeError, decode_bytes, looks_binary
from transforms.parse.registry import ParseError
from transforms.parse.reply_tree import Draft, build_comments
from transforms.parse.vocabulary import (
    CJK_COMMENT_NOUNS,
    COUNT_LABELS,
    COUNT_NOUNS,
    REPLY_WORDS,
    SAYS_VERBS,
    WEEKDAYS,
    either,
)
from transforms.records import CommentKind, ParsedComment, ParsedThread, RawPage

NAME = "text"

TAB_WIDTH = 4  # a leading tab indents to the next multiple of this
DEFAULT_STEP = 2  # indentation per nesting level when a block shows no nesting
MAX_NAME_WORDS = 6  # an author line ("  • Name") has at most this many words
MAX_NAME_CHARS = 60

# --- line patterns ----------------------------------------------------------------------------

_MARKER = re.compile(
    r"^(?:(?P<num>\d{1,4})\.|(?P<bullet>[•◦▪▫‣⁃∙●○■□*+\-]))(?:[ \t\u00a0]+|$)(?P<rest>.*)$"
)
_INNER_BULLET = re.compile(r"^[•◦▪▫‣⁃∙●○■□][ \t\u00a0]+")
_MARKUP = re.compile(
    r"<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|\?xml|rss[\s>]|feed[\s>])", re.IGNORECASE
)
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9:-]*(?:\s[^<>]*)?/?>")

_MONTH_RE = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th|er)?"
_TIME_RE = r"\d{1,2}[:.h]\d{2}(?::\d{2})?(?:\s*[ap]\.?\s?m\.?)?"
_TIME_ONLY = re.compile(rf"^{_TIME_RE}$", re.IGNORECASE)  # "6:32 PM": a time alone
# A date (with or without year) followed by a time: what an author line may end with.
# A day (with or without year), and the time after it (verbose-mode pattern text).
_DAY_RE = rf"""
      (?:(?:\d{{1,2}}{_ORD}\.?\s+(?:{_MONTH_RE})\.?|(?:{_MONTH_RE})\.?\s+\d{{1,2}}{_ORD})
         (?:,?\s+\d{{4}})?
       |\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}})"""
# ... or an ISO 8601 timestamp as some pages print it ("2020-05-19T17:52:00Z").
_AT_TIME_RE = (
    rf"(?:,?\s+(?:at\s+|um\s+|à\s+|@\s*|-\s+|[/|·•]\s*)?{_TIME_RE}(?:\s*(?:uhr|h))?"
    r"|T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)"
)
_TRAILING_DATETIME = re.compile(
    rf"""[\s,|–—-]+(?:on\s+|am\s+|le\s+|at\s+|posted\s+)?
    (?P<date>{_DAY_RE}{_AT_TIME_RE})\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
# The date right after the name ("Sana6. Juni 2015 um 10:23", "Rose worldMay 30, 2019 at 6:22
# PM": a converter may join the name's link and the date): a day number after a letter, or a
# capitalised month after a lower-case letter. Tried only when the pattern above finds nothing.
_GLUED_DATETIME = re.compile(
    rf"""(?:(?<=[^\W\d_])(?=\d)|(?-i:(?<=[a-zß-ÿ])(?=[A-ZÀ-Þ])))
    (?P<date>{_DAY_RE}{_AT_TIME_RE})\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_WEEKDAYS = frozenset(WEEKDAYS)
# "Name • 3 years ago" (Disqus and similar widgets).
# "Name · 3 hours ago"; "Name 12小时前" (Chinese and Japanese ages need no separator)
_CJK_AGE = r"\d{1,3}\s*(?:秒|分钟|分鐘|分|小时|小時|時間|天|日|周|週|个月|個月|ヶ月|年)前"
# an age's units ("Name 1 year"); "ago" also takes seconds
_AGE_UNITS = ("minute", "hour", "day", "week", "month", "year")
_TRAILING_AGO = re.compile(
    rf"(?:\s*[•·|–—-]\s*|\s+(?={_CJK_AGE}))"
    rf"(?P<date>(?:\d+|an?|one)\s+{either(('second', *_AGE_UNITS))}s?\s+ago"
    rf"|{_CJK_AGE})\s*$",
    re.IGNORECASE,
)
_SAYS = re.compile(
    rf"^(?P<name>\S.{{0,79}}?)\s+{either(SAYS_VERBS)}"
    r"\s*:\s*(?P<after>.*)$|^(?P<name2>\S.{0,79}?)\s+(?:says|sagt"
    # Blogger: "Name said...", "Name hat gesagt…", "Name a dit…"
    r"|(?:said|hat gesagt|a dit|dijo|ha detto|disse|zei)\s*(?:\.\.\.|…))\s*$",
    re.IGNORECASE,
)
_SAYS_ENDS = ("says", "sagt")  # the endings of _SAYS's second form (casefolded)
_ELLIPSES = ("...", "…")  # ... and the end of its Blogger form
# "At 4/19/2005 07:14:49 PM, Anonymous said...": Blogger's older template dates the author line.
_LEADING_AT = re.compile(r"^(?:at|on|am|le|el|il|em|op)\s+(?P<date>.+?),\s+(?P<name>[^,]+)$",
                         re.IGNORECASE)  # fmt: skip
_PING = re.compile(r"^(?P<label>pingback|trackback)\s*:\s*(?P<rest>.*)$", re.IGNORECASE)
_BYLINE_AFTER = re.compile(
    r"^(?:comment|kommentar|posted|written|geschrieben)\s+(?:by|von)\s+(?P<name>.+?)"
    r"(?:(?:\s+[—–|-]+|\s+(?:on|am|at|um))\s+(?P<date>.+))?$",
    re.IGNORECASE,
)
_REPLY_WORD = rf"(?:reply|{either(REPLY_WORDS)})"
# "Reply", "[Reply]", "Antwort ↓", "↓ Reply": the link that closes a comment.
_REPLY_LINK = rf"\[?{_REPLY_WORD}\]?|{_REPLY_WORD}\s*[↓→]|↓\s*{_REPLY_WORD}|log in to reply"
# "By Anonymous, at 5:18 PM", "by Ann, on 3 May 2019": the line that signs a comment (Blogger's
# classic templates).
_BY_AT = re.compile(
    r"^by\s+(?P<name>[^,]{1,60}),\s+(?:at|on|um|am|le|à)\s+(?P<date>.+)$", re.IGNORECASE
)
_AFTER_NAME_REPLY = re.compile(rf"\s+{_REPLY_WORD}$", re.IGNORECASE)
# Page furniture that ends a comment: reply/like/report links, like counters.
_UI_LINE = re.compile(
    rf"^(?:{_REPLY_LINK}|"
    rf"{_REPLY_WORD}(?:\s+(?:to|à|a)\s+(?:this|ce|cet|este)\s+"
    r"(?:comment|message|commentaire|comentario|mensaje))?|"
    r"report(?:\s+comment)?|report abuse|"
    # a reply link with its counts: "回复 ⋅ 12条回复 1375" (replies, likes), "Reply · 3 replies"
    rf"{_REPLY_WORD}(?:\s*[·⋅•|]?\s*\d+\s*(?:条回复|條回覆|replies)?)+|"
    # its likes, then the reply link: "278 | 回复", "12 · Reply"
    rf"\d+\s*[·⋅•|]\s*{_REPLY_WORD}|"
    r"flag|like|unlike|likeliked by .*|liked by .*|\d+\s+likes?|permalink|quote|edit|share|"
    r"delete|löschen|supprimer|eliminar|elimina|replies|"
    # links written together ("AntwortenLöschen": Reply and Delete, the converter joined them)
    rf"(?:(?:reply|{either(REPLY_WORDS)}|delete|löschen|supprimer|edit|quote|like)\s*){{2,3}}|"
    r"cancel reply|vote up|vote down|upvote|downvote|\d+\s*(?:points?|votes?)|"
    r"read more\s*[→»›]?|continue reading\s*[→»›]?|weiterlesen\s*[→»›]?|lire la suite\s*[→»›]?)$",
    re.IGNORECASE,
)
# The comment list's sort tabs ("Popular Now", "Newest", "Oldest", "Most Replied"), written
# as items of the list.
_SORT_TAB = re.compile(
    r"^(?:sort(?:ed)?\s+by\s*:?\s*)?(?:(?:most\s+)?popular(?:\s+now)?|newest|oldest|best|top|"
    r"latest|(?:most\s+)?recent|most\s+(?:replied|liked|voted|discussed)|neueste|älteste|"
    r"beliebteste|plus\s+récents|plus\s+anciens|plus\s+populaires)(?:\s+first)?$",
    re.IGNORECASE,
)
# The reply link a theme shows at the end of each comment (before the comment's replies).
_REPLY_LINE = re.compile(rf"^(?:{_REPLY_LINK})$", re.IGNORECASE)
# A role badge some themes print between the author's name and the date.
_BADGE = re.compile(
    r"^(?:post\s+)?(?:author|autor|autorin|admin|administrator|moderator|editor|staff|owner|"
    r"site\s+owner|blog\s+author|verified)$",
    re.IGNORECASE,
)
_READ_MORE = re.compile(
    r"^(?:read more|continue reading|weiterlesen|mehr lesen|lire la suite|read the rest)"
    r"\s*[→»›.…]*$",
    re.IGNORECASE,
)
# A teaser's meta line: its source and its comment count between separators ("CNN · 23
# comments · 2h", "新京报 ⋅ 1116评论 ⋅ 相关"): an item linking to another article.
_TEASER_META = re.compile(
    rf"[·⋅|•]\s*\d+\s*(?:{either(COUNT_NOUNS)}|{either(CJK_COMMENT_NOUNS)})\s*(?:[·⋅|•]|$)",
    re.IGNORECASE,
)
_ELLIPSIS_END = re.compile(r"(?:\[\s*(?:…|\.\.\.)\s*\]|…|\.\.\.)\s*$")
# Comment-section headers. _COUNT_HEADER must match the whole line.
_NUMBER = r"(?P<n>\d{1,3}(?:[.,\u202f\u00a0 ]\d{3})+|\d+|no|one|zero|ein|eine|un|une|keine|aucun)"
_COUNT_HEADER = re.compile(
    # "There are 13 comments", "Il y a 3 commentaires", "This post has 2 comments"
    r"^(?:(?:there\s+(?:are|is|were|was)|es\s+gibt|il\s+y\s+a|hay"
    r"|this\s+(?:post|article|entry|story)\s+has)\s+)?"
    rf"[{{(\[]?\s*{_NUMBER}\s+{either(COUNT_NOUNS)}"
    r"(?:\s+(?:on|to|zu|für|sur|à|auf|so far|to this (?:post|article|entry))\b.*"
    # "{ 38 comments… read them below or add one }": an invitation after an ellipsis or dash
    r"|\s*(?:…|\.\.\.|[—–-])\s*(?:read|add|leave|join|post|jump|skip)\b[^{}()\[\]]{0,60}"
    # "32 Comments Comment from the forums": the section's link label joined to the count
    r"|\s+(?:comment|kommentar|commentaire|add|leave|post|write|view|show|join)\w*"
    r"(?:\s+\w+){0,4})?"
    r"[\s.:!»›→]*[})\]]?$",
    re.IGNORECASE,
)
# "Your comments", "Vos réactions (11)", "Ihre Kommentare": a possessive before the label.
_YOUR = r"(?:(?:your|vos|ihre|deine|tus|sus|i\s+vostri|jullie)\s+)?"
_COUNT_AFTER_HEADER = re.compile(
    rf"^{_YOUR}{either(COUNT_LABELS)}\s*(?:[(\[]\s*(?P<n>\d+)\s*[)\]]|:\s*(?P<m>\d+))\s*$",
    re.IGNORECASE,
)
# "Comments", "Reader comments", "Visitor comments Add your comment" (a converter may join the
# form's link to the heading).
_SECTION_HEADER = re.compile(
    rf"^{_YOUR}(?:(?:(?:readers?|visitors?|users?|guests?)'?\s+)?(?:comments?|responses?)"
    r"|discussion|kommentare|leserkommentare|commentaires|réactions"
    r"|trackbacks?(?:\s*(?:/|&|and)\s*pingbacks?)?|pingbacks?)\s*:?"
    r"(?:\s+(?:add|leave|post|write)\s+(?:a\s+|your\s+)?(?:comment|reply|response))?$",
    re.IGNORECASE,
)
_NUMBER_WORDS = {"no": 0, "zero": 0, "keine": 0, "aucun": 0, "one": 1, "ein": 1, "eine": 1,
                 "un": 1, "une": 1}  # fmt: skip
# Lines around the comments that are neither article nor comments.
_CHROME = re.compile(
    r"""^(?:
      leave\s+a\s+(?:reply|comment|response).*|post\s+a\s+comment.*|add\s+(?:a\s+)?comment.*
     |(?:the\s+)?comments?\s+(?:(?:to|on|for)\s+this\s+\w+\s+)?(?:are|is)\s+
        (?:closed|moderated|disabled|open).*
     |join\s+the\s+discussion.*|write\s+a\s+(?:comment|reply).*
     |.*\bcomment\s+(?:section|policy|policies|rules|guidelines|moderation)\b.*
     |.*\bcomments?\s+(?:will\s+be\s+)?moderated\b.*|.*\breport\b.*\bcomments?\b.*
     |.*\bcomments?\b.*\b(?:civil|moderat\w*|report\w*|polite|respectful|on[- ]topic
                            |abusive|spam)\b.*
     |your\s+email\s+address\s+will\s+not\s+be\s+published.*|required\s+fields\s+are\s+marked.*
     |you\s+must\s+be\s+logged\s+in.*|schreibe\s+einen\s+kommentar.*
     |(?:deine|ihre)\s+e-?mail-?adresse\s+wird\s+nicht\s+veröffentlicht.*
     |laisser\s+un\s+commentaire.*|cancel\s+reply
     |share\s+(?:this|with\s+your\s+friends|on\s+\w+).*|share:?|like\s+this:?|related(?:\s+posts|\s+articles|\s+stories)?:?
     |tags?:.*|tagged\b[^.!?]*|labels?:.*|filed\s+under.*|posted\s+in\s+.*|categories:.*|print\s+this.*
     |©.*|\(c\)\s.*|copyright\b.*|.*\bpowered\s+by\b.*|.*\ball\s+rights\s+reserved\b.*
     |.*\bnewsletter\b.*|.*\bdaily\s+e-?mail\b.*|(?:sign\s+up|subscribe)\b.*
     |every\s+weekday\s+morning.*|everything\s+\w+\.\s+every\s+\w+\s+morning.*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# A sidebar widget's heading: the list under it links to other pages (or other threads).
_WIDGET_HEADING = (
    r"(?:latest|recent|featured|popular|previous|next|top|more|most\s+(?:read|viewed|popular|"
    r"commented))\s+(?:posts?|articles?|stories|news|comments?|entries|headlines)\b"
)
_WIDGET = re.compile(rf"^{_WIDGET_HEADING}[\s:]*$", re.IGNORECASE)
_TITLE_CHROME = re.compile(
    rf"^(?:{_WIDGET_HEADING}.*|skip\s+to\s+(?:main\s+)?content|(?:main\s+)?menu|navigation|"
    r"toggle\s+navigation|search(?:\s+for)?:?|home|you\s+are\s+here:?.*|breaking\s+news:?|"
    r"advertisement|anzeige|close|open\s+menu|sign\s+in|log\s*in|subscribe)$",
    re.IGNORECASE,
)
# "in Featured Article WebAPI": the categories line under a post's title.
_CATEGORIES = re.compile(r"^(?:posted\s+|filed\s+)?in\s+(?-i:[A-Z])[^.!?]*$", re.IGNORECASE)
_BYLINE = re.compile(r"^(?:by|posted|published|updated|von|par|written\s+by)\b", re.IGNORECASE)
_DAY_WORD = re.compile(rf"{DAY_WORD.pattern}|\baujourd.hui\b", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_SENTENCE_END = ".!?;:,…\"“”'’»"


# --- detection --------------------------------------------------------------------------------


def detect(page: RawPage, head: str) -> bool:
    """True for decodable text that is not markup (HTML/XML) or JSON: plain text is the
    catch-all and is tried last."""
    if page.format_hint is not None:
        return page.format_hint == "text"
    if looks_binary(page.content):
        return False
    start = head.lstrip("\ufeff \t\r\n")
    if not start:
        return False
    if start[0] in "{[":
        first, _, rest = start.partition("\n")
        first, rest = first.strip(), rest.lstrip()
        try:
            value = json.loads(first)
        except ValueError:
            pass
        else:
            # JSON (or JSON lines), unless an array stands alone above prose: a rendering
            # whose first line is an image's label ("[]", "[54352606]")
            if isinstance(value, dict) or not rest or rest[0] in "{[":
                return False
        if (start[0] == "{" and first.endswith(("}", ","))) or first in ("{", "["):
            return False
    if _MARKUP.search(head[:2048]):
        return False
    # Markup without a document element (a fragment): many tags for the amount of text.
    tags = len(_TAG.findall(head))
    return not (tags >= 5 and tags * 40 > len(head))


# --- lines ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Line:
    indent: int
    text: str  # without indentation and trailing whitespace; "" for a blank line
    marker: str | None  # "num" | "bullet" | None
    rest: str  # text after the marker (the text itself when there is no marker)


# Bullets a commenter types at the start of a line.
_TYPED_MARKERS = frozenset("-*+")


def _glyph(ln: _Line) -> str:
    """A marker line's kind of marker: "num" for any number, else the bullet character."""
    return "num" if ln.marker == "num" else ln.text[0]


def _measure(raw: str) -> _Line:
    text = raw.strip()
    if not text:
        return _Line(0, "", None, "")
    prefix = raw[: len(raw) - len(raw.lstrip(" \t"))]
    if "\t" in prefix:
        indent = 0
        for ch in prefix:
            indent = indent + 1 if ch == " " else indent + TAB_WIDTH - indent % TAB_WIDTH
    else:
        indent = len(prefix)
    text = raw[len(prefix) :].rstrip()
    if indent > 0:
        m = _MARKER.match(text)
        if m and not (m.group("num") and _day_of_month(m.group("rest"), text)):
            kind = "num" if m.group("num") else "bullet"
            # "1. ● Name": an inner list's bullet written on its item's line (w3m).
            return _Line(indent, text, kind, _INNER_BULLET.sub("", m.group("rest")).strip())
    return _Line(indent, text, None, text.strip())


def _day_of_month(rest: str, text: str) -> bool:
    """A numbered line that is a date: "19. Juni 2019 / 6:16" is the 19th of June, not item 19.
    "1. Jutta | 11.05.2012 11:38" is item 1 (a name and its date): the month must follow."""
    month = rest.split(maxsplit=1)[0].rstrip(".").lower() if rest else ""
    return month in MONTHS and _date_line(text, None) is not None


def _split_lines(text: str) -> list[_Line]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    return _unnest_pages(_merge_meta_lists([_measure(raw) for raw in text.split("\n")]))


_REGION_PROSE = 2  # paragraphs of article length that make an indented stretch a page region


def _unnest_pages(lines: list[_Line]) -> list[_Line]:
    """A page written inside a list item: some themes put the whole post (article, comment
    header, comment list) in the last item of a menu, and the converter indents all of it.
    Prose at the level of the item before it (not under that item) is not the item's text:
    from the first such stretch holding article-length paragraphs to the end of the indented
    run, lines at that level or less are unindented, and lists keep their nesting below it."""
    n = len(lines)
    i = 0
    while i < n:
        if not lines[i].text or lines[i].indent == 0:
            i += 1
            continue
        end = i
        while end < n and (not lines[end].text or lines[end].indent > 0):
            end += 1
        marker_indent: int | None = None  # of the last marker line seen in the run
        after_marker = i  # the line after that marker
        level: int | None = None
        prose = 0
        for k in range(i, end):
            ln = lines[k]
            if not ln.text:
                continue
            if ln.marker:
                marker_indent, after_marker = ln.indent, k + 1
                if level is None:
                    prose = 0
            elif marker_indent is not None and ln.indent <= marker_indent:
                if level is None or ln.indent != level:
                    level, start = ln.indent, after_marker
                    prose = 0
                if _words(ln.text) >= _PROSE_WORDS:
                    prose += 1
                    if prose >= _REGION_PROSE:
                        lines[start:end] = [_shift(lines[m], level) for m in range(start, end)]
                        break
        i = end
    return lines


_META_ITEMS = 5  # a comment's meta list: its reply link, name, date, a badge


def _merge_meta_lists(lines: list[_Line]) -> list[_Line]:
    """Comments whose theme writes the head as a list inside the comment's item ("• Reply",
    "• Name", "• 8. April 2019 @ 11:38"), the text after it at the list's own indentation: the
    converter writes no marker for the comment's item itself. The list becomes that item's
    line ("• Name 8. April 2019 @ 11:38") one level out, so the text stands under it as the
    other layouts write a comment."""
    n = len(lines)
    out: list[_Line] = []
    k = 0
    while k < n:
        ln = lines[k]
        if not ln.marker:
            out.append(ln)
            k += 1
            continue
        j = k
        while j < n and lines[j].marker == ln.marker and lines[j].indent == ln.indent:
            j += 1
        if 2 <= j - k <= _META_ITEMS and (head := _meta_head([m.rest for m in lines[k:j]])):
            # The text after it (past an empty item: a rule the converter wrote as "*")
            after = next((i for i in range(j, n) if lines[i].text and lines[i].rest), n)
            if after < n and not lines[after].marker and lines[after].indent == ln.indent:
                out.append(_Line(max(1, ln.indent - DEFAULT_STEP), f"• {head}", "bullet", head))
                out.extend(_Line(0, "", None, "") for _ in range(j, after))
                k = after
                continue
        out.extend(lines[k:j])
        k = j
    return out


class _MetaItems(NamedTuple):
    name: str | None
    date: str | None
    time: str | None


def _meta_items(items: Sequence[str]) -> _MetaItems | None:
    """A meta list's items sorted out: reply links and badges left out, at most one time alone
    ("6:32 PM"), one date and one name; None when an item is none of these."""
    name = date = time = None
    for item in items:
        if _UI_LINE.match(item) or _BADGE.match(item):
            continue
        if time is None and _TIME_ONLY.match(item):
            time = item
        elif date is None and _date_line(item, SHAPE_REFERENCE) is not None:
            date = item
        elif name is None and _name_like(item):
            name = item
        else:
            return None
    return _MetaItems(name, date, time)


def _meta_head(items: Sequence[str]) -> str | None:
    """ "Name date" from a comment head's meta list (a name, a date, reply links and badges),
    or None when the items are not one. A time alone makes the list a footer (_footer_at)."""
    meta = _meta_items(items)
    if meta is None or meta.time or not (meta.name and meta.date):
        return None
    return f"{meta.name} {meta.date}"


def _shift(ln: _Line, level: int) -> _Line:
    """``ln`` with the indentation ``level`` taken away: text at that level or less unindented,
    lists and deeper text kept indented below it."""
    if not ln.text:
        return ln
    if ln.marker:
        return _Line(max(2, ln.indent - level + 2), ln.text, ln.marker, ln.rest)
    if ln.indent <= level:
        return _Line(0, ln.text, None, ln.rest)
    return _Line(ln.indent - level + 2, ln.text, None, ln.rest)


# --- small classifiers ------------------------------------------------------------------------


def _words(text: str) -> int:
    return len(text.split())


def _date_line(text: str, reference: datetime | None) -> datetime | None:
    """The date of a line that is only a date ("March 22, 2013 at 2:05 pm", "2 days ago")."""
    text = text.strip()
    numeric = 0 < len(text) <= 64 and any(ch.isdigit() for ch in text)
    if not numeric and not (
        (0 < len(text) <= 20 and _DAY_WORD.search(text))
        or (len(text) <= 32 and text[-4:].lower() == " ago")  # "about a minute ago"
    ):
        return None
    if len(_other_words(text)) > 1:
        return None
    return parse_date(text, reference, yearless=True)


def _date_shown(text: str, reference: datetime | None) -> tuple[bool, datetime | None]:
    """Whether ``text`` is a date line (an age is one: without a reference it is judged
    against a stand-in), and its date against ``reference`` (None for an age without one).
    Parsed once when there is a reference."""
    shown = _date_line(text, reference or SHAPE_REFERENCE)
    if shown is None:
        return False, None
    return True, shown if reference is not None else _date_line(text, None)


def _other_words(text: str) -> list[str]:
    """The words of a line that are not a date's (months, "at", "ago", ...)."""
    return [
        w
        for w in re.findall(r"[^\W\d_]+", text)
        if w.lower() not in MONTHS and w.lower() not in DATE_WORDS
    ]


def _split_trailing_date(
    text: str, reference: datetime | None
) -> tuple[str, datetime | None, bool]:
    """(text without a trailing date-and-time, that date, whether one was found). A reply link
    after the date ("Name, 1 Aug 2019 / 01:15 Antworten") is dropped with it."""
    # The patterns are anchored at the end: search the tail only (a regex search tries every
    # start position), and the whole text when a match reaches the tail's start.
    offset = max(0, len(text) - _TAIL)
    tail = text[offset:]
    # What a match must end with (exact necessary conditions, far cheaper than the searches):
    # a time (its digits, am/pm, "uhr"/"h") or "ago", then only whitespace.
    end = tail.rstrip()[-3:]
    last = end[-1:]
    dated = (last.isdecimal() or last in _TIME_ENDS) and _TIME_HINT.search(tail) is not None
    ago = end.lower() == "ago" or last == "前"
    if not dated and not ago:
        # "… 1 Aug 2019 / 01:15 Antworten", "… 13:11 Permanenter Link": links after a time
        last_word = tail[tail.rstrip().rfind(" ") + 1 :].strip().casefold()
        links = _TRAILING_LINKS.search(tail) if last_word in _LINK_ENDS else None
        if links and links.start() and (tail[links.start() - 1].isdecimal()
                                         or tail[links.start() - 1] in _TIME_ENDS):  # fmt: skip
            name, when, found = _split_trailing_date(text[: offset + links.start()], reference)
            if found:
                return name, when, found
        return text, None, False
    m = (dated and _TRAILING_DATETIME.search(tail)) or (ago and _TRAILING_AGO.search(tail)) or None
    if m and offset and m.start() == 0:
        offset, m = 0, _TRAILING_DATETIME.search(text) or _TRAILING_AGO.search(text)
    if not m and dated:
        m = _GLUED_DATETIME.search(tail)
        if m and offset and m.start() == 0:
            offset, m = 0, _GLUED_DATETIME.search(text)
    if not m or offset + m.start() == 0:
        return text, None, False
    name = _without_weekday(text[: offset + m.start()].rstrip(" ,|•·–—-"))
    return name, parse_date(m.group("date"), reference, yearless=True), True


_DAY_CONNECTORS = frozenset(("on", "am", "le", "el", "il", "den"))


def _without_weekday(name: str) -> str:
    """The author part of "Citizen, Do 1 Aug 2019", "Name | Di, 21. April 2020", "Name, le
    mercredi 15 mai 2019" without the weekday: one set off from the name by a separator, a
    connector word or its own comma ("Tom Sun" stays: a weekday's abbreviation may be a
    name)."""
    head, _, last = name.rpartition(" ")
    day = last.rstrip(".,")
    if not head or day.casefold() not in _WEEKDAYS:
        return name
    before, _, connector = head.rpartition(" ")
    if connector.casefold() in _DAY_CONNECTORS and before:
        return before.rstrip(" ,|•·–—-")
    if day != last or head[-1] in ",|–—-":
        return head.rstrip(" ,|•·–—-")
    return name


_TAIL = 120  # longer than any trailing date-and-time the patterns match
# Links a theme writes after a comment's date: reply, permalink, report, quote (a pattern
# searched only on lines whose last word is one of _LINK_ENDS).
_LINK_WORDS = ("reply", "permalink", "link", "report", "melden", "signaler", "quote", "zitieren",
               "citer", "#", *REPLY_WORDS)  # fmt: skip
_LINK_ENDS = frozenset((*_LINK_WORDS, "permanent", "permanente"))
_TRAILING_LINKS = re.compile(
    r"(?:\s+(?:permanenter\s+link|lien\s+permanent|enlace\s+permanente"
    rf"|{either(_LINK_WORDS)}))+\s*$",
    re.IGNORECASE,
)
_TIME_ENDS = frozenset("mM.rRhHzZ")  # besides digits (any \d: str.isdecimal)
_TIME_HINT = re.compile(r"\d[:.hH]\d\d")


_INITIAL = re.compile(r"(?:^|\s)[A-Z]\.$")  # "Maud P.": a name may end with an initial
# A sentence's end inside a line; not the period of an initial or a title ("J. R. Hart",
# "Dr. Webbaer", "Prof. Lang": a capital and at most three letters before it).
_SENTENCE_BREAK = re.compile(
    r"(?:[!?;]|(?<![A-Z])(?<![A-Z][a-z])(?<![A-Z][a-z]{2})(?<![A-Z][a-z]{3})\.)\s"
)


def _name_like(text: str) -> bool:
    """A short line that reads as a display name, not as a sentence."""
    text = text.strip()
    if not text or len(text) > MAX_NAME_CHARS or _words(text) > MAX_NAME_WORDS:
        return False
    if _SENTENCE_BREAK.search(text) or (text[-1] in _SENTENCE_END and not _INITIAL.search(text)):
        return False
    return not _UI_LINE.match(text)


def _says_match(text: str) -> re.Match[str] | None:
    """``_SAYS.match(text)``, without running the pattern on a line it cannot match: its first
    form needs a colon, its second ends in "says"/"sagt". Most lines of a thread are neither,
    and the pattern's lazy name group tries 80 positions on each (measured: 10% of text
    parsing)."""
    end = text.rstrip()[-4:]
    if ":" not in text and end.casefold() not in _SAYS_ENDS and not end.endswith(_ELLIPSES):
        return None
    return _SAYS.match(text)


def _says(text: str, reference: datetime | None) -> tuple[str, datetime | None] | None:
    """(author, date) of a "Name says:" line, or None."""
    m = _says_match(text)
    if not m:
        return None
    name = (m.group("name") or m.group("name2") or "").strip()
    after = (m.group("after") or "").strip()
    posted: datetime | None = None
    if after:
        posted = _date_line(after, reference)
        if posted is None:
            return None  # "X says: <sentence>" is comment text quoting someone
    name, when, found = _split_trailing_date(name, reference)
    if found:
        posted = posted or when
    elif (at := _LEADING_AT.match(name)) and (
        when := parse_date(at["date"], reference, yearless=True)
    ):
        name, posted = at["name"].strip(), posted or when
    if not name or _words(name) > 8 or name[-1] in ".!?" or "," in name:
        return None
    return name, posted


# "4,786 条评论": a count of comments in Chinese or Japanese (a measure word may stand between)
# "6条评论", "评论（191）", "全部评论 (12)", "6条评论|106人参与网友评论" (what follows a bar is
# the widget's other counts); a kind of comment may stand before the noun ("最新评论": newest).
_CJK_KIND = r"(?:最新|最热|热门|熱門|精彩|全部|网友|網友|读者|讀者|热|熱|新)?"
_CJK_COUNT_HEADER = re.compile(
    rf"^(?:(?:共有?|全部)\s*)?(?:(?P<n>\d{{1,3}}(?:,\d{{3}})+|\d+)\s*[条條则則个個件]?\s*{_CJK_KIND}"
    rf"{either(CJK_COMMENT_NOUNS)}|{_CJK_KIND}{either(CJK_COMMENT_NOUNS)}\s*"
    r"(?:[（(]\s*(?P<p>\d+)\s*[）)]|[:：]\s*(?P<c>\d+)))\s*(?:[|｜].{0,40})?$"
)
# A section of a comment widget without a count: "最新评论" (newest), "热门评论 刷新" (refresh).
_CJK_SECTION_HEADER = re.compile(
    rf"^{_CJK_KIND}{either(CJK_COMMENT_NOUNS)}(?:\s*(?:刷新|更多|>))?$"
)


def _count_header(text: str) -> int | None:
    """The count a whole-line comment header states ("53 Comments", "Comments (4)")."""
    text = text.strip()
    m = (
        _COUNT_HEADER.match(text)
        or _CJK_COUNT_HEADER.match(text)
        or _COUNT_AFTER_HEADER.match(text)
    )
    if m is None:
        return None
    raw = next(group for group in m.groupdict().values() if group).lower()  # the one matched
    return _NUMBER_WORDS[raw] if raw in _NUMBER_WORDS else int(re.sub(r"\D", "", raw))


def _is_header(text: str) -> bool:
    text = text.strip()
    return (
        _count_header(text) is not None
        or bool(_SECTION_HEADER.match(text))
        or bool(_CJK_SECTION_HEADER.match(text))
    )


def _is_chrome(text: str) -> bool:
    text = text.strip()
    return _is_header(text) or bool(_CHROME.match(text)) or bool(_UI_LINE.match(text))


# --- blocks -----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Block:
    start: int  # first line (indented, non-blank)
    end: int  # one past the last non-blank line
    markers: int = 0
    numbered: int = 0
    says: int = 0
    pings: int = 0
    sentence_items: int = 0
    bodied: int = 0  # markers followed by unmarked lines (text of the item)
    substantive: int = 0  # items with text under them or a sentence on the marker line
    name_items: int = 0  # items opening with an author line ("Name", then text or a date)
    teasers: int = 0
    widget: bool = False  # a sidebar widget's heading ("Recent comments") stands above it
    nest_points: int = 0  # markers one level deeper than the item just before them
    nest_after_reply: int = 0  # ... where that item ends with a "Reply" link
    says_markers: set[str] = field(default_factory=set)  # _glyph of the "Name says:" items
    indents: set[int] = field(default_factory=set)

    @property
    def nested(self) -> bool:
        return len(self.indents) > 1


def _blocks(lines: Sequence[_Line], start: int) -> list[_Block]:
    """Maximal runs of indented lines (with the blank lines inside them), from ``start``; a run
    is split where its top-level markers change kind (a numbered list, then a bulleted one:
    the converter writes adjacent lists, a comment list and a sidebar's, with nothing between)."""
    out: list[_Block] = []
    i, n = start, len(lines)
    while i < n:
        if lines[i].text and lines[i].indent > 0:
            j, last = i, i
            while j < n and (not lines[j].text or lines[j].indent > 0):
                if lines[j].text:
                    last = j
                j += 1
            out.extend(_split_at_kind_changes(lines, i, last + 1))
            i = last + 1
        else:
            i += 1
    return out


def _split_at_kind_changes(lines: Sequence[_Line], start: int, end: int) -> list[_Block]:
    top = min((lines[k].indent for k in range(start, end) if lines[k].marker), default=None)
    if top is None:
        return [_Block(start, end)]
    out: list[_Block] = []
    first, kind, last_text = start, None, start
    for k in range(start, end):
        ln = lines[k]
        # Nested items sit at least two columns right of their parent's marker; a marker one
        # column right of the top level is at the top level too (w3m writes " 1. Name" and a
        # sidebar's "  • Link").
        if ln.marker and ln.indent <= top + 1:
            if kind is not None and ln.marker != kind:
                out.append(_Block(first, last_text + 1))
                first = k
            kind = ln.marker
        if ln.text:
            last_text = k
    out.append(_Block(first, end))
    return out


def _author_line(first: str, body: Sequence[str], blank_after_first: bool) -> tuple[bool, bool]:
    """(the item's first line reads as an author line followed by text, it is followed by a
    date line): "Name" then a blank line and text, or "Name" then (a badge and) a date."""
    if not body or not _name_like(first):
        return False, False
    k = 1 if len(body) > 1 and _BADGE.match(body[0]) else 0
    dated = _date_under_name(first, body[k], SHAPE_REFERENCE) is not None
    return dated or blank_after_first, dated


def _date_under_name(name: str | None, text: str, reference: datetime | None) -> datetime | None:
    """The date of a line under an author's name: a date alone, or the name again with the
    date ("Isaac" above "Isaac 34 seconds ago": an avatar's label, then the comment's head)."""
    when = _date_line(text, reference)
    if when is None and name and text.startswith(name) and text[len(name) : len(name) + 1] == " ":
        when = _date_line(text[len(name) + 1 :], reference)
    return when


def _measure_block(lines: Sequence[_Line], block: _Block) -> None:
    """Fill in the block's features (one pass over its lines)."""
    item: int | None = None  # line index of the current marker
    item_indent = 0
    body: list[str] = []  # the item's first unmarked lines (a few are enough)
    text_lines = 0
    blank_after_first = False
    last_text: str = ""
    sentence = False  # the current item's marker line reads as a sentence

    def close() -> None:
        if item is None:
            return
        if text_lines or sentence:
            block.substantive += 1
        if text_lines:
            block.bodied += 1
            named, _ = _author_line(lines[item].rest, body, blank_after_first)
            if named:
                block.name_items += 1
            if _READ_MORE.match(last_text) or any(_TEASER_META.search(b) for b in body):
                block.teasers += 1

    for k in range(block.start, block.end):
        ln = lines[k]
        if not ln.text:
            if item is not None and not text_lines:
                blank_after_first = True
            continue
        if ln.marker:
            close()
            if _SORT_TAB.match(ln.rest):  # the list's sort tabs: not items
                item = None
                continue
            if item is not None and ln.indent > item_indent:
                block.nest_points += 1
                if _REPLY_LINE.match(last_text):
                    block.nest_after_reply += 1
            item, item_indent, text_lines, blank_after_first = k, ln.indent, 0, False
            body = []
            last_text = ln.rest
            block.markers += 1
            block.indents.add(ln.indent)
            if ln.marker == "num":
                block.numbered += 1
            if _says(ln.rest, None) is not None:
                block.says += 1
                block.says_markers.add(_glyph(ln))
            if _PING.match(ln.rest):
                block.pings += 1
            sentence = bool(ln.rest) and (
                ln.rest[-1] in ".!?…"
                or (_words(ln.rest) >= 10 and _SENTENCE_BREAK.search(ln.rest) is not None)
            )
            if sentence:
                block.sentence_items += 1
        elif item is not None and ln.indent > item_indent:
            if not text_lines and ln.text.strip() == lines[item].rest.strip():
                continue  # the link's text again (an image's alt text): not the item's text
            text_lines += 1
            if len(body) < 3:
                body.append(ln.text)
            last_text = ln.text
    close()


def _lead_in(lines: Sequence[_Line], block: _Block) -> str:
    """The indent-0 line just before the block ("" when none)."""
    k = block.start - 1
    while k >= 0 and not lines[k].text:
        k -= 1
    return lines[k].text if k >= 0 and lines[k].indent == 0 else ""


def _prose_after(lines: Sequence[_Line], block: _Block, stop: int) -> bool:
    """True when article prose (not chrome) follows the block before ``stop``: the block is
    then a list inside the article, since comments come after the article. Page chrome (a
    comment form's "Leave a reply", a footer) ends the search: what follows it is a sidebar's."""
    words = 0
    long_paragraphs = 0
    for k in range(block.end, stop):
        ln = lines[k]
        if not ln.text or ln.indent > 0:
            continue
        if _is_chrome(ln.text):
            break
        w = _words(ln.text)
        words += w
        if w >= 25:
            long_paragraphs += 1
    return long_paragraphs >= 2 or words >= 150


def _comment_like(block: _Block) -> bool:
    """The block's items look like comments rather than a navigation or link list."""
    if block.markers == 0 or block.widget:
        return False
    if block.teasers and block.teasers * 2 >= block.markers:
        return False
    if block.says or block.pings:
        return True
    # Navigation menus nest too, and a menu heading may have a line under it: most items
    # must have text under them or read as a sentence.
    return block.substantive * 2 >= block.markers


_WIDGET_COUNT_GAP = 6  # lines between the count lines of a "most commented" widget


def _choose_section(lines: Sequence[_Line], start: int) -> tuple[list[_Block], int | None]:
    """The blocks that make up the comment section (in order) and the line of the comment
    header before them, if any."""
    blocks = _blocks(lines, start)
    if not blocks:
        return [], None
    for b in blocks:
        _measure_block(lines, b)
        b.widget = _WIDGET.match(_lead_in(lines, b)) is not None

    def in_article(i: int) -> bool:
        """A list of the article: introduced by "…:" or followed by more article prose."""
        b = blocks[i]
        if b.says or b.pings:
            return False
        stop = blocks[i + 1].start if i + 1 < len(blocks) else len(lines)
        return _lead_in(lines, b).endswith(":") or _prose_after(lines, b, stop)

    # The comment header: the last count header ("53 Comments") with a list after it (a count
    # line under the title may link down to the real one), else the first section heading.
    counts: list[int] = []
    headings: list[int] = []
    for k in range(start, len(lines)):
        ln = lines[k]
        if ln.text and ln.indent == 0:
            if _count_header(ln.text) is not None:
                counts.append(k)
            elif _SECTION_HEADER.match(ln.text.strip()):
                headings.append(k)
    last_list = max((b.start for b in blocks if _comment_like(b)), default=-1)
    # Count lines a few lines apart are a "most commented" widget's, one under each headline.
    apart = [
        k
        for i, k in enumerate(counts)
        if (i == 0 or k - counts[i - 1] > _WIDGET_COUNT_GAP)
        and (i + 1 == len(counts) or counts[i + 1] - k > _WIDGET_COUNT_GAP)
    ]
    usable = [k for k in apart if k < last_list]
    header = usable[-1] if usable else next((k for k in headings if k < last_list), None)
    if header is not None:
        after = [i for i, b in enumerate(blocks) if b.start > header and _comment_like(b)]
        # Lists of the article after the header are skipped when a later block fits better.
        first = next((i for i in after if not in_article(i)), after[0] if after else None)
        if first is not None:
            chosen = [blocks[first]]
            for nxt in blocks[first + 1 :]:
                between = [lines[k].text for k in range(chosen[-1].end, nxt.start) if lines[k].text]
                if len(between) > 3 or any(_words(t) > 8 or _CHROME.match(t) for t in between):
                    break  # prose, or the comment form's heading: the next list is not comments
                if not _comment_like(nxt):
                    break
                chosen.append(nxt)
            return chosen, header
    best: _Block | None = None
    for i, b in enumerate(blocks):
        if not _comment_like(b) or in_article(i):
            continue
        if best is None or b.markers >= best.markers:
            best = b
    return ([best] if best else []), None


# --- the comment tree -------------------------------------------------------------------------


@dataclass(slots=True)
class _Node:
    depth: int
    parent: int | None  # index in the node list
    orphan: bool
    indent: int  # marker indentation (an ancestor's, for an item whose marker is missing)
    marker: str | None  # its _glyph, None when the marker line is missing
    first: str  # the marker line's text (for a missing marker: the first unmarked line)
    line: int = -1  # the marker line's index
    body: list[tuple[bool, str]] = field(default_factory=list)  # (starts a paragraph, line)
    blank_after_first: bool = False
    children: int = 0


def _levels(lines: Sequence[_Line], blocks: Sequence[_Block]) -> tuple[int, int]:
    """(indentation of top-level markers, indentation per level) of the section."""
    indents = sorted({i for b in blocks for i in b.indents})
    if not indents:
        return DEFAULT_STEP, DEFAULT_STEP
    steps = [b - a for a, b in pairwise(indents) if b > a]
    step = min(steps) if steps else 0
    if not step:
        # No nesting shown: the offset of item text under its marker is the step.
        offsets = []
        for b in blocks:
            marker_indent = None
            for k in range(b.start, b.end):
                ln = lines[k]
                if ln.marker:
                    marker_indent = ln.indent
                elif ln.text and marker_indent is not None and ln.indent > marker_indent:
                    offsets.append(ln.indent - marker_indent)
                    break
        step = min(offsets) if offsets else DEFAULT_STEP
    base = indents[0]
    if base > step:
        # The converter indents the top level by one step; a page whose first shown
        # markers are deeper starts with replies whose parents it does not show.
        base = base % step or step
    return base, step


def _ends_with_reply(node: _Node) -> bool:
    return bool(_REPLY_LINE.match(node.body[-1][1] if node.body else node.first))


def _lists_in_comments(lines: Sequence[_Line], blocks: Sequence[_Block]) -> set[int]:
    """Marker lines that sit inside an item's text: between the item's marker and its own
    "Reply" line (the line at the item's text indentation that closes it). One pass."""
    found: set[int] = set()
    if not any(b.nest_points for b in blocks):
        return found
    for block in blocks:
        stack: list[int] = []  # marker indents of items not yet closed by their Reply line
        marks: list[int] = []  # len(pending) when each item was opened
        pending: list[int] = []  # deeper marker lines seen inside open items, in order
        for k in range(block.start, block.end):
            ln = lines[k]
            if not ln.text:
                continue
            if ln.marker:
                while stack and stack[-1] >= ln.indent:
                    stack.pop()
                    del pending[marks.pop() :]
                if stack:
                    pending.append(k)
                stack.append(ln.indent)
                marks.append(len(pending))
            elif _REPLY_LINE.match(ln.text):
                # The Reply line closes the innermost item whose marker is less indented;
                # every marker inside that item so far was part of its text.
                while stack and stack[-1] >= ln.indent:
                    stack.pop()
                    marks.pop()
                if stack:
                    start = marks.pop()
                    stack.pop()
                    found.update(pending[start:])
                    del pending[start:]
    return found


def _build_tree(lines: Sequence[_Line], blocks: Sequence[_Block]) -> tuple[list[_Node], int]:
    """Items of the section in page order with depth and parent; and how many comments were
    inferred without a marker line."""
    base, step = _levels(lines, blocks)

    def level(indent: int) -> int:
        return max(0, round((indent - base) / step))

    # Where the theme ends every comment with a "Reply" link, replies follow that link: a
    # deeper marker before the item's own Reply line is a list inside the comment; and when
    # the page does this consistently, so is a deeper marker under an item without one (an
    # item at the maximum depth has no Reply link, and no replies).
    in_text = _lists_in_comments(lines, blocks)
    after_reply = sum(b.nest_after_reply for b in blocks)
    reply_gated = after_reply >= 2 and after_reply * 3 >= sum(b.nest_points for b in blocks) * 2

    nodes: list[_Node] = []
    stack: list[int] = []
    inferred = 0
    for block in blocks:
        stack.clear()
        blank = False
        # Where comments open with "Name says:", a nested item with a marker no such item
        # has (a dash list under numbered comments and bulleted replies) is a list the
        # commenter wrote.
        says_kinds = block.says_markers if block.says >= 2 else None
        for k in range(block.start, block.end):
            ln = lines[k]
            if not ln.text:
                blank = True
                if stack and not nodes[stack[-1]].body:
                    nodes[stack[-1]].blank_after_first = True
                continue
            if (
                ln.marker
                and stack
                and ln.indent > nodes[stack[-1]].indent
                and (
                    k in in_text
                    or (reply_gated and not _ends_with_reply(nodes[stack[-1]]))
                    or (says_kinds is not None and _glyph(ln) not in says_kinds)
                )
            ):
                nodes[stack[-1]].body.append((blank, ln.text))
                blank = False
                continue
            if ln.marker:
                while stack and nodes[stack[-1]].indent >= ln.indent:
                    stack.pop()
                shown = level(ln.indent)
                if stack and shown <= nodes[stack[-1]].depth + 1:
                    parent: int | None = stack[-1]
                    depth = nodes[stack[-1]].depth + 1
                else:
                    parent, depth = None, shown
                if parent is not None:
                    nodes[parent].children += 1
                nodes.append(
                    _Node(
                        depth,
                        parent,
                        parent is None and depth > 0,
                        ln.indent,
                        _glyph(ln),
                        ln.rest,
                        line=k,
                    )
                )
                stack.append(len(nodes) - 1)
            else:
                owner = len(stack) - 1
                while owner >= 0 and nodes[stack[owner]].indent >= ln.indent:
                    owner -= 1
                if owner == len(stack) - 1 and owner >= 0:
                    nodes[stack[-1]].body.append((blank, ln.rest))
                elif owner >= 0 and _typed_list(nodes, stack[owner]):
                    # Its "replies" were a list the commenter typed ("- point"), and its text
                    # goes on under them.
                    anc = nodes[stack[owner]]
                    for item in nodes[stack[owner] + 1 :]:
                        anc.body.append((item.line > 0 and not lines[item.line - 1].text,
                                         lines[item.line].text))  # fmt: skip
                    anc.children = 0
                    del nodes[stack[owner] + 1 :]
                    del stack[owner + 1 :]
                    anc.body.append((blank, ln.rest))
                elif owner >= 0:
                    # Text at an ancestor's text indentation after that ancestor's replies:
                    # a comment whose marker line is missing, sibling of that ancestor.
                    anc = nodes[stack[owner]]
                    del stack[owner:]
                    if anc.parent is not None:
                        nodes[anc.parent].children += 1
                    nodes.append(
                        _Node(anc.depth, anc.parent, anc.orphan, anc.indent, None, ln.rest)
                    )
                    stack.append(len(nodes) - 1)
                    inferred += 1
                elif stack:
                    # Less indented than any open marker: keep it with the current item.
                    nodes[stack[-1]].body.append((blank, ln.rest))
                else:
                    depth = max(0, level(ln.indent) - 1)
                    nodes.append(_Node(depth, None, depth > 0, ln.indent - step, None, ln.rest))
                    stack.append(len(nodes) - 1)
                    inferred += 1
            blank = False
    return nodes, inferred


def _typed_list(nodes: Sequence[_Node], owner: int) -> bool:
    """Whether the items after ``owner`` (its replies so far: the last nodes) are one list its
    author typed: all with the same typed bullet ("- ", "* "), none with text under it or
    replies of its own, and ``owner`` with text above them."""
    items = nodes[owner + 1 :]
    glyph = items[0].marker if items else None
    return (
        glyph in _TYPED_MARKERS
        and bool(nodes[owner].body or nodes[owner].first)
        and all(
            n.marker == glyph and not n.body and not n.children and n.parent == owner for n in items
        )
    )


def _is_teaser(node: _Node) -> bool:
    """A sidebar teaser rendered as a list item: "<label> <title>", the title again, an
    excerpt cut with "[…]", and "Read more →"."""
    if not node.body or not _READ_MORE.match(node.body[-1][1]):
        return False
    texts = [t for _, t in node.body[:-1]]
    if any(_ELLIPSIS_END.search(t) for t in texts):
        return True
    return bool(texts) and len(texts[0]) >= 8 and node.first.endswith(texts[0])


@dataclass(slots=True)
class _Fields:
    text: str
    author: str | None
    posted_at: datetime | None
    kind: CommentKind


# A link the converter glued to the end of the text: "…on the job board.Report" (the pattern
# runs only on a line ending in one of the words).
_GLUED_WORDS = ("report", "reply", "antworten", "répondre", "responder")
_GLUED_LINK = re.compile(rf"(?<=[.!?)…])\s?{either(_GLUED_WORDS)}$", re.IGNORECASE)


def _drop_links(lines: list[tuple[bool, str]], *, keep: int) -> None:
    """Drop the link lines (Reply, Like, Report) that end a comment's text, keeping at least
    ``keep`` lines, and a link glued to the end of its last line."""
    while len(lines) > keep and _UI_LINE.match(lines[-1][1]):
        lines.pop()
    if not lines:
        return
    starts, last = lines[-1]
    if last[-9:].casefold().endswith(_GLUED_WORDS) and (glued := _GLUED_LINK.search(last)):
        lines[-1] = (starts, last[: glued.start()])


def _paragraphs(lines: Sequence[tuple[bool, str]]) -> str:
    out: list[str] = []
    for starts, line in lines:
        if out and starts:
            out.append("\n\n")
        elif out:
            out.append("\n")
        out.append(line)
    return "".join(out)


def _fields(node: _Node, *, names: bool, reference: datetime | None) -> _Fields:
    """Text, author, date and kind of one item, by its layout."""
    body = list(node.body)
    first = node.first
    author: str | None = None
    posted: datetime | None = None
    kind: CommentKind = "comment"

    ping = _PING.match(first) if first else None
    says = _says(first, reference) if first and node.marker else None
    if ping:
        kind = "trackback" if ping.group("label").lower() == "trackback" else "pingback"
        rest = ping.group("rest").strip()
        if rest.endswith("()"):
            rest = rest[:-2].rstrip()
        author = rest or None
        lines = [(False, rest), *body] if rest else body
    elif says is not None:
        author, posted = says
        lines = body
    elif node.marker and first and (dated_by := _dated_by(first, reference)) is not None:
        author, posted = dated_by
        lines = body
    elif (
        node.marker
        and first
        and body
        and (by := _BYLINE_AFTER.match(body[0][1])) is not None
        and _name_like(by["name"])
    ):
        # "Subject" on the item's line, "geschrieben von Name am <date>" under it: the subject
        # opens the comment's text.
        author = by["name"].strip()
        posted = parse_date(by["date"], reference, yearless=True) if by["date"] else None
        lines = [(False, first), *body[1:]]
    elif node.marker and first:
        name, when, found = _split_trailing_date(first, reference)
        named, dated = _author_line(first, [t for _, t in body[:3]], node.blank_after_first)
        if found and _name_like(name):
            author, posted, lines = name, when, body
        elif dated or (names and named):
            author = first
            lines = body[1:] if len(body) > 1 and _BADGE.match(body[0][1]) else body
        else:
            lines = [(False, first), *body]
    else:
        lines = [(False, first), *body] if first else body

    # A date line right under the author line (or opening the item).
    if lines and kind == "comment":
        # (an age is a date line without a reference too: it is then left undated)
        when = _date_under_name(author, lines[0][1], reference or SHAPE_REFERENCE)
        if when is not None and (author is not None or len(lines) > 1):
            if reference is None:
                when = _date_under_name(author, lines[0][1], None)
            posted = posted or when
            lines = lines[1:]
    if lines:
        lines[0] = (False, lines[0][1])
    # Trailing furniture: Reply / Like / Read more lines; "Comment by Name — date", "By Name, at
    # 5:18 PM".
    _drop_links(lines, keep=1)
    if len(lines) > 1:
        signed = False  # the last line names the comment: it and the links above it go
        by = _BYLINE_AFTER.match(lines[-1][1]) or _BY_AT.match(lines[-1][1])
        if by and _name_like(by.group("name")):
            author = author or by.group("name").strip()
            if by.group("date"):
                posted = posted or parse_date(by.group("date"), reference, yearless=True)
            signed = True
        elif author is None and posted is None and kind == "comment":
            # A signature under the text: "Name Le 11 septembre 2018 à 12:57"
            name, when, found = _split_trailing_date(lines[-1][1], reference)
            if found and _name_like(name):
                author, posted, signed = name, when, True
        if signed:
            lines.pop()
            _drop_links(lines, keep=1)
    if author and (by := _AUTHOR_BYLINE.match(author)) and by.end() < len(author):
        author = author[by.end() :]
    if author and (link := _AFTER_NAME_REPLY.search(author)) and link.start() > 0:
        author = author[: link.start()]  # "Kwame B. Kissi Reply": the reply link beside the name
    return _Fields(_paragraphs(lines), author, posted, kind)


# "# Le 17 juillet à 22:09, par Horus En réponse à : <the post's title>" (SPIP's forums; "#"
# and "^" are its links to the comment and to the one it answers), "On 5 May 2019, by Ann":
# the date first, the author after "par"/"by".
_DATED_BY = re.compile(
    r"^(?:#\s*)?(?:\^\s*)?(?P<date>[^,]{4,40}),\s+(?:par|by|von|por|di|door)\s+(?P<name>.+?)"
    r"(?:\s+(?:en\s+réponse\s+à|in\s+reply\s+to|en\s+respuesta\s+a|als\s+antwort\s+auf)\s*:.*)?$",
    re.IGNORECASE,
)


def _dated_by(first: str, reference: datetime | None) -> tuple[str, datetime | None] | None:
    """(author, date) of a "<date>, par <Name>" item line, or None."""
    m = _DATED_BY.match(first) if "," in first else None
    if m is None or not _name_like(name := m["name"].strip()):
        return None
    shown, when = _date_shown(m["date"], reference)
    return (name, when) if shown else None


def _layout(blocks: Sequence[_Block]) -> str:
    markers = sum(b.markers for b in blocks)
    says = sum(b.says for b in blocks)
    numbered = sum(b.numbered for b in blocks)
    if says and says * 3 >= markers - sum(b.pings for b in blocks):
        return "text/says"
    return "text/numbered" if numbered * 2 >= markers else "text/bullets"


def _comments(
    lines: Sequence[_Line], blocks: Sequence[_Block], reference: datetime | None
) -> tuple[list[ParsedComment], str, list[str]]:
    """The section's comments in page order, its layout name and notes."""
    nodes, inferred = _build_tree(lines, blocks)
    bodied = sum(b.bodied for b in blocks)
    name_items = sum(b.name_items for b in blocks)
    # Bare-name author lines only where the page uses them: most items with text below open
    # with a name line set apart by a blank line (or followed by a date). In a numbered
    # outline without author lines, a name opening a comment is someone being addressed.
    names = bodied > 0 and name_items * 2 >= bodied
    notes: list[str] = []

    dropped: set[int] = set()
    for i, node in enumerate(nodes):
        # A teaser's sub-items go with it (parents precede their children).
        if (node.parent is not None and node.parent in dropped) or _is_teaser(node):
            dropped.add(i)
    if dropped:
        notes.append(f"sidebar items dropped: {len(dropped)}")
    # An item that is only a link label ("7. Antworten": the reply form's link, "Newest": a
    # sort tab), or empty, is no comment.
    dropped.update(
        i for i, node in enumerate(nodes)
        if not node.body and not node.children
        and (_UI_LINE.match(node.first) or _SORT_TAB.match(node.first) or not node.first.strip())
    )  # fmt: skip

    new_index: dict[int, int] = {}
    out: list[ParsedComment] = []
    for i, node in enumerate(nodes):
        if i in dropped:
            continue
        f = _fields(node, names=names, reference=reference)
        parent = new_index.get(node.parent) if node.parent is not None else None
        new_index[i] = len(out)
        out.append(
            ParsedComment(
                text=f.text,
                depth=node.depth,
                parent=parent,
                author=f.author,
                posted_at=f.posted_at,
                kind=f.kind,
                orphan=parent is None and node.depth > 0,
            )
        )
    orphans = sum(1 for c in out if c.orphan)
    if orphans:
        notes.append(f"orphan replies (parent not on the page): {orphans}")
    if inferred:
        notes.append(f"comments without a marker line: {inferred}")
    return out, _layout(blocks), notes


# --- comments that are not list items ------------------------------------------------------


# A date (and time) opening a line, then what follows it on that line.
_LEADING_DATETIME = re.compile(
    rf"^(?P<date>{_DAY_RE}(?:{_AT_TIME_RE})?)(?P<rest>.*)$", re.IGNORECASE | re.VERBOSE
)
# "#2 —", "#1.1": a comment's number; each ".N" is one level of reply.
_ITEM_NUMBER = re.compile(r"^#\s?\d+(?P<sub>(?:\.\d+)*)\s*[—–|:-]*\s*")
_MIN_RECORDS = 2


@dataclass(slots=True)
class _Record:
    indent: int  # of its first line (the author line when that stands above the date)
    author: str | None
    posted_at: datetime | None
    level: int | None = None  # the reply level its number shows ("#1.1": 1)
    text: list[tuple[bool, str]] = field(default_factory=list)  # (starts a paragraph, line)
    signed: bool = False  # its line reads as a signature ("Posted by: Name | date")
    said: bool = False  # its line is "Name said..." (a date line may follow its text)


# The signature line some themes write under a comment's text: "Posted by: Name | date",
# "— Name, date".
_BY_VERB = r"(?:posted|written|submitted|commented|geschrieben|eingereicht|publié|soumis|escrito)"
_SIGNATURE = re.compile(
    rf"^(?:(?:{_BY_VERB}\s+)?(?:by|von|par|por)\b\s*:?|[—–]|--?)\s*", re.IGNORECASE
)
# "Soumis par Name": the verb of a byline before an author's name.
_AUTHOR_BYLINE = re.compile(rf"^{_BY_VERB}\s+(?:by|von|par|por)\b\s*:?\s*", re.IGNORECASE)
_LEAD_WORDS = 4  # text before the first signature this long is the first comment's


def _date_word(word: str) -> bool:
    word = word.strip(".,").lower()
    return word[:1].isdigit() or word in MONTHS or word in DATE_WORDS


_COUNTER = re.compile(r"^[^\W\d_]+:?\s+\d+$")  # "Leserempfehlung 47", "Likes: 3"


# "Ed Erhart 1 year", "mxa 3 months": a widget's age of a comment, without "ago".
_AGE_ENDS = frozenset({unit[-1] for unit in _AGE_UNITS} | {"s"})  # what such a line ends with
_TRAILING_AGE = re.compile(
    rf"^(?P<name>\S.*?)\s+(?P<age>\d{{1,2}}\s+{either(_AGE_UNITS)}s?)$", re.IGNORECASE
)


def _capitalised(name: str) -> bool:
    """One word ("mxa"), or words that each start with a capital or a sign ("Stefan Keller
    (@sk)"): a display name, not words of a sentence ("It took 3 years")."""
    words = name.split()
    return len(words) == 1 or all(not w[0].isalpha() or w[0].isupper() for w in words)


class _Head(NamedTuple):
    """A record's head line: the author part, its date, text on the same line."""

    name: str
    when: datetime | None
    text: str = ""
    said: bool = False  # "Name said...": a date line may follow the text


def _record_head(text: str, reference: datetime | None) -> _Head | None:
    """A line that opens a comment written as a record, not as a list item: "#1 Petra
    12.05.2013 14:22", "Frank Jan 5, 2021 at 3:04 pm", a date alone ("#2 — vor 8 Stunden"),
    or a date followed by a tab and the text (a table row) or by a few link labels.
    A "Name said..." line (Blogger) opens a record whose date, if any, follows its text."""
    text = text.strip()
    number = _ITEM_NUMBER.match(text)
    if number:
        text = text[number.end() :]
    if not text:
        return None
    said = _says(text, reference) if text.endswith(_ELLIPSES) else None
    if said is not None:  # "Name said..." (Blogger): the date, if any, follows the text
        return _Head(said[0], said[1], said=True)
    name, when, found = _split_trailing_date(text, reference)
    if found:
        return _Head(name, when) if not name or _name_like(name) else None
    if text[-1].lower() in _AGE_ENDS:  # "Ed Erhart 1 year": an age without "ago" after a name
        age = _TRAILING_AGE.match(text)
        if age and _name_like(name := age.group("name")) and _capitalised(name):
            return _Head(name, parse_date(f"{age.group('age')} ago", reference))
    shown, when = _date_shown(text, reference)
    if shown:
        # "Dana 1 March 2022": a name may stand before a date without a time.
        words = text.split()
        at = next((i for i, w in enumerate(words) if _date_word(w)), 0)
        return _Head(" ".join(words[:at]), when)
    m = _LEADING_DATETIME.match(text)
    if m is None:
        return None
    rest = m.group("rest")
    when = parse_date(m.group("date"), reference, yearless=True)
    if when is None:
        return None
    if "\t" in rest:
        return _Head("", when, rest.strip())
    return _Head("", when) if _words(rest) <= 6 and not rest.strip().endswith(".") else None


def _header_lines(lines: Sequence[_Line], start: int, end: int) -> list[int]:
    """The comment headers' line numbers between ``start`` and ``end``."""
    return [k for k in range(start, end) if lines[k].text and _is_header(lines[k].text)]


def _records(
    lines: Sequence[_Line], start: int, end: int, reference: datetime | None
) -> tuple[list[ParsedComment], int] | None:
    """Comments written as records after a comment header between ``start`` and ``end``: a
    line with the date (and the author's name before it, on that line or the one above), then
    the text, replies indented further when the page indents them. (comments, header line) or
    None."""
    headers = _header_lines(lines, start, end)
    for i in range(len(headers) - 1, -1, -1):  # the last one with records
        found = _read_records(lines, headers[i], reference)
        if len(found) >= _MIN_RECORDS:
            # A widget's sections one after the other ("热门评论", then "最新评论"; "Top
            # comments", then "All comments"): the records under each header just above.
            first = i
            while first and (earlier := _read_records(lines, headers[first - 1], reference)):
                found = earlier + found
                first -= 1
            return _record_comments(found), headers[first]
    return None


_MIN_HEADLESS_RECORDS = 3


def _head_next(lines: Sequence[_Line], start: int, reference: datetime | None) -> bool:
    """The next non-blank line from ``start`` reads as a record's head."""
    k = next((j for j in range(start, len(lines)) if lines[j].text), None)
    return k is not None and _record_head(lines[k].text, reference) is not None


def _headless_records(
    lines: Sequence[_Line], start: int, reference: datetime | None
) -> tuple[list[ParsedComment], int] | None:
    """Records with no comment header above them (the page writes it under the thread, or
    not at all): from the first unindented line after ``start`` that reads as a head with both
    a name and a date, when at least three records with names and dates follow.
    (comments, line before the first record) or None."""
    for k in range(start, len(lines)):
        text = lines[k].text
        if not text or lines[k].indent or len(text) > _TAIL or not _TIME_HINT.search(text):
            continue  # a head carries a time ("Name | Di, 21. April 2020 - 16:40")
        head = _record_head(text, reference)
        if head is None or not head.name or head.when is None or head.text:
            continue
        found = _read_records(lines, k - 1, reference)
        if len(found) >= _MIN_HEADLESS_RECORDS and all(r.author and r.posted_at for r in found):
            return _record_comments(found), k - 1
        return None
    return None


_MIN_FOOTER_RECORDS = 3
_LINK_CHARS = 80  # a link line between a comment's footer and the next name is this short
_LINK_LINES = 4  # ... and there are at most this many
_FOOTER_ITEM = 40  # the longest item of a footer's list ("Wednesday, 22 September 2021")


class _Footer(NamedTuple):
    start: int
    end: int  # the line after it
    when: datetime | None


def _footer_at(lines: Sequence[_Line], k: int, reference: datetime | None) -> _Footer | None:
    """A comment's footer at line ``k``: a line that is only a date ("May. 29 2013 02:47 PM"),
    or a short list of a date, a time and links ("• reply", "• April 5, 2018", "• 6:32 PM")."""
    ln = lines[k]
    if not ln.marker:
        if _date_line(ln.text, SHAPE_REFERENCE) is None:
            return None
        return _Footer(k, k + 1, _date_line(ln.text, reference))
    j, stop = k, min(len(lines), k + _META_ITEMS + 1)
    while j < stop and lines[j].marker == ln.marker and lines[j].indent == ln.indent:
        if len(lines[j].rest) > _FOOTER_ITEM:
            return None  # a list of text, not of links and a date
        j += 1
    if j - k > _META_ITEMS:
        return None
    meta = _meta_items([m.rest for m in lines[k:j]])
    if meta is None or meta.name or not meta.date:
        return None
    return _Footer(k, j, _date_line(f"{meta.date} {meta.time or ''}".strip(), reference))


def _footers(lines: Sequence[_Line], start: int, reference: datetime | None) -> list[_Footer]:
    # A footer's first line: a short first item of a list (links and a date), or a short line
    # with a time in it. One comprehension: this runs over every line of a page.
    first_lines = [
        k
        for k in range(start, len(lines))
        if (ln := lines[k]).text
        and (
            (
                ln.marker
                and len(ln.rest) <= _FOOTER_ITEM
                and (not k or lines[k - 1].marker != ln.marker)
            )
            or (not ln.marker and len(ln.text) <= _TAIL and _TIME_HINT.search(ln.text))
        )
    ]
    out: list[_Footer] = []
    for k in first_lines:
        if out and k < out[-1].end:
            continue
        footer = _footer_at(lines, k, reference)
        if footer is not None:
            out.append(footer)
    return out


def _footer_dated_records(
    lines: Sequence[_Line], start: int, reference: datetime | None
) -> tuple[list[ParsedComment], int] | None:
    """Comments written as the author's name, the text, then the date under it, alone or in
    a short list with the comment's links ("Name", the text, "• reply • April 5, 2018 •
    6:32 PM"); between one footer and the next name at most a few short link lines. Each
    name stands alone above a blank line. A list or a header between two footers ends a run
    of them (an article's dateline is not the first comment's footer); the longest run of at
    least three is read, the last of equals. (comments, line before the first) or None."""
    runs: list[list[tuple[int, _Footer]]] = []  # (the first line of its stretch, the footer)
    previous_end = start
    for footer in _footers(lines, start, reference):
        begin = previous_end
        for k in range(footer.start - 1, previous_end - 1, -1):  # a list or a header ends it
            if lines[k].marker or (lines[k].text and _is_header(lines[k].text)):
                begin = k + 1
                break
        if begin != previous_end or not runs:
            runs.append([])
        runs[-1].append((begin, footer))
        previous_end = footer.end
    run = max(reversed(runs), key=len, default=[])
    if len(run) < _MIN_FOOTER_RECORDS:
        return None
    records: list[_Record] = []
    for begin, footer in run:
        # The name: the last line of the first run of lines, which a blank line ends.
        shown = [k for k in range(begin, footer.start) if lines[k].text]
        name_at = next((k for k in shown if not lines[k + 1].text), None)
        if name_at is None:
            return None
        links = [k for k in shown if k < name_at]
        if len(links) > _LINK_LINES or any(len(lines[k].text) > _LINK_CHARS for k in links):
            return None
        name = lines[name_at].text.strip()
        text = [k for k in shown if k > name_at]
        if not _name_like(name) or not text:
            return None
        record = _Record(lines[name_at].indent, name, footer.when)
        record.text = [(not lines[k - 1].text, lines[k].text.strip()) for k in text]
        records.append(record)
    first = next(k for k in range(run[0][0], len(lines)) if lines[k].text)
    return _record_comments(records), first - 1


_MIN_PAIRS = 3


def _name_text_pairs(lines: Sequence[_Line], start: int) -> tuple[list[ParsedComment], int] | None:
    """Comments written as a name line then one line of text, without dates (a comment
    widget rendered as text: "Name", "Text", "Name", "Text"), after a comment header. The run
    must end where the section does (the page's chrome, a list, the end): a run that ends at
    a line of text is not this layout (multi-line comments would be cut into wrong pairs).
    (comments, header line) or None."""
    for header in _header_lines(lines, start, len(lines)):
        if not lines[header].indent and len(found := _read_pairs(lines, header)) >= _MIN_PAIRS:
            return found, header
    return None


def _read_pairs(lines: Sequence[_Line], header: int) -> list[ParsedComment]:
    shown = (ln for ln in lines[header + 1 :] if ln.text)
    out: list[ParsedComment] = []
    for name in shown:
        if name.marker or name.indent or _is_chrome(name.text):
            break
        text = next(shown, None)
        if text is None or not _name_like(name.text):
            return []  # a line of text where a name or the end should stand
        if text.marker or text.indent or _is_chrome(text.text):
            break
        out.append(ParsedComment(text=text.text.strip(), author=name.text.strip()))
    # Form labels ("Name", "Email") pair up too: most texts must read as text.
    worded = sum(1 for c in out if _words(c.text) >= 4 or c.text[-1] in ".!?…")
    return out if worded * 2 > len(out) else []


def _read_records(lines: Sequence[_Line], header: int, reference: datetime | None) -> list[_Record]:
    """The records after ``header``. Most themes write a record's head line (name, date) above
    its text; some write it under the text as a signature ("Posted by: Name | date"): when
    every head is a signature and text stands between the header and the first one, each
    text belongs to the head after it. A date line after the text of a head without one
    ("Name said...", the text, then its date) dates that record."""
    out: list[_Record] = []
    lead: list[tuple[bool, str]] = []  # text before the first head
    previous: int | None = None  # the last non-blank line before k (not yet text of a record)
    blank = False
    closed = False  # the last record's links ended it: a head (or a name above one) must follow
    inline = False  # the first head names its author on its own line
    for k in range(header + 1, len(lines)):
        ln = lines[k]
        if not ln.text:
            blank = True
            continue
        shown = ln.rest if ln.marker else ln.text.strip()
        if out and _UI_LINE.match(shown):
            # "Share", "• Reply": a record's links, alone or as a list (dropped with its other
            # links)
            out[-1].text.append((True, shown))
            previous, blank, closed = None, False, not out[-1].signed
            continue
        if ln.marker or _is_header(ln.text) or _CHROME.match(ln.text.strip()):
            # The comment form, a footer, a list: the records have ended. A list's heading
            # ("Recent posts") stands apart above it.
            if ln.marker and out and len(out[-1].text) > 1:
                starts, final = out[-1].text[-1]
                if starts and _name_like(final):
                    out[-1].text.pop()
            break
        head = _record_head(ln.text, reference)
        if closed and head is None and not _head_next(lines, k + 1, reference):
            break  # the comment form's heading after the last record's Reply link
        if head is not None and not head.name and not head.text and out:
            last = out[-1]
            if last.said and last.posted_at is None and last.text:
                last.posted_at = head.when  # the date under a "said..." record's text
                previous, blank = None, False
                continue
        if head is not None:
            name, when, rest, said = head
            if out and inline and not name and not _numbered(lines, k, previous):
                # A date alone after heads that name their author on their line: another
                # list (a numbered one, "#2 Anna" above its date, is still a comment).
                break
            if not out:
                inline = bool(name)
            first, closed = k, False
            above = lines[previous].text.strip() if previous is not None else ""
            # The name above a head without one; or the name above a head with it (an
            # avatar's label, then "Name · date"): not the text of the record before.
            if previous is not None and (name == above or (not name and _name_like(above))):
                name, first = above, previous
                if out and out[-1].text and out[-1].text[-1][1] == lines[previous].text:
                    out[-1].text.pop()
                elif not out and lead and lead[-1][1] == lines[previous].text:
                    lead.pop()
            number = _ITEM_NUMBER.match(ln.text.strip()) or _ITEM_NUMBER.match(name)
            if number and name.startswith("#"):
                name = name[number.end() :]
            signature = _SIGNATURE.match(name)
            if signature:
                name = name[signature.end() :].strip()
            level = number.group("sub").count(".") if number else None
            out.append(_Record(lines[first].indent, name or None, when, level,
                               signed=signature is not None, said=said))  # fmt: skip
            if rest:
                out[-1].text.append((False, rest))
        elif out:
            out[-1].text.append((blank, ln.text))
        else:
            lead.append((blank, ln.text))
            if len(lead) > 12:
                break  # no record near the header
        previous = k
        blank = False
    if out and all(r.signed for r in out) and any(_words(t) >= _LEAD_WORDS for _, t in lead):
        texts = [lead, *(r.text for r in out[:-1])]  # the last one's is what follows the thread
        for r, text in zip(out, texts, strict=True):
            r.text = text
    for r in out:
        if r.text and _COUNTER.match(r.text[0][1]):
            del r.text[0]
        _drop_links(r.text, keep=0)
    return [r for r in out if r.text]


def _numbered(lines: Sequence[_Line], head: int, above: int | None) -> bool:
    """The head line, or the line above it, starts with a comment's number ("#3")."""
    return any(
        k is not None and _ITEM_NUMBER.match(lines[k].text.strip()) is not None
        for k in (head, above)
    )


def _record_comments(records: Sequence[_Record]) -> list[ParsedComment]:
    """The records threaded by their indentation (or, on a page that does not indent, by the
    levels their numbers show), with the same rule as every other layout: a reply shown more
    than one level below the comment before it is an orphan at the depth shown."""
    indents = sorted({r.indent for r in records})
    base = indents[0]
    steps = [b - a for a, b in pairwise(indents)]
    step = min(steps) if steps else 1
    # Without indentation, the comments' numbers may show the levels ("#1", "#1.1").
    numbered = len(indents) == 1 and all(r.level is not None for r in records)
    return build_comments(
        [
            Draft(
                text=_paragraphs([(False, r.text[0][1]), *r.text[1:]]),
                author=r.author,
                posted_at=r.posted_at,
                depth=(r.level or 0) if numbered else round((r.indent - base) / step),
            )
            for r in records
        ]
    )


# --- article ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Article:
    title: str | None
    published_at: datetime | None
    text: str | None


def _title_line(lines: Sequence[_Line]) -> int | None:
    echoed = _echoed_title(lines)
    if echoed is None:
        echoed = _trail_title(lines)
    if echoed is None:
        echoed = _title_over_byline(lines)
    if echoed is None:
        echoed = _title_over_dateline(lines)
    if echoed is not None:
        return echoed
    for k, ln in enumerate(lines):
        if not ln.text or ln.indent > 0:
            continue
        if (
            _TITLE_CHROME.match(ln.text.strip())
            or _is_chrome(ln.text)
            or _IMAGE_LABELS.match(ln.text)
        ):
            continue
        heading = _heading_after_menus(lines, k)
        if heading is None:
            heading = _heading_below_furniture(lines, k)
        return k if heading is None else heading
    return None


# Images a converter wrote as their labels ("[svg]", "[logo][Site name]"): no title.
_IMAGE_LABELS = re.compile(r"^(?:\[[^\]]*\]\s*)+$")
# "5 thoughts on “Title”", "9 comments to Title", "2 Gedanken zu „Title“": a comment header
# naming the post it belongs to.
_HEADER_NAMING = re.compile(
    rf"^[{{(\[]?\s*{_NUMBER}\s+{either(COUNT_NOUNS)}\s+(?:on|to|zu|für|sur|à|auf)\s+(?P<title>.+)$",
    re.IGNORECASE,
)
# How such a header starts: a number, a bracket, a number's word ("One thought on …").
_HEADER_START = re.compile(rf"[\d({{\[]|{either(_NUMBER_WORDS)}\s", re.IGNORECASE)
_QUOTES = "\"'“”„‟«»‘’‚‹›「」『』"


def _title_key(text: str) -> str:
    """A title as compared with its echo: quotes, case and spacing aside."""
    return " ".join(text.strip().strip(_QUOTES + " .:").split()).casefold()


def _echoed_title(lines: Sequence[_Line]) -> int | None:
    """The post's title, where the comment header names it ("5 thoughts on “Title”"): the
    first line above the header that reads the same (whole-page renderings put the site's name,
    menus and sidebars above the title; the header says which line the title is)."""
    for h, ln in enumerate(lines):
        text = ln.text
        if not text or ln.marker or _HEADER_START.match(text) is None:
            continue
        m = _HEADER_NAMING.match(text.strip())
        if m is None:
            continue
        key = _title_key(m.group("title"))
        if _words(key) < 2 and not _CJK_CHAR.search(key):
            continue
        for k in range(h):
            if lines[k].text and not lines[k].marker and _title_key(lines[k].text) == key:
                return k
    return None


# "Home>Articles>Title", "首页 / 科技 / 正文", "Accueil | Par Name | 30 septembre 2018": a
# breadcrumb trail (or a run of link-like segments), the same separator at least twice.
_TRAIL = ">»›/|"  # a trail's separators
_BREADCRUMB = re.compile(
    rf"^[^{_TRAIL}]{{1,60}}(?P<sep>[{_TRAIL}])(?:[^{_TRAIL}]{{1,80}}(?P=sep))+[^{_TRAIL}]+$"
)
_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_HEAD_FURNITURE = 4  # lines at most above a post's title: site name, tagline, kicker, date
_SENTENCE_WORDS = 12  # a line this long that ends a sentence is prose (a standfirst)


def _breadcrumb_end(lines: Sequence[_Line], k: int) -> int | None:
    """The post's title under a breadcrumb trail that ends with it ("Home>Articles>Title", a
    caption between them): the line a few lines down that repeats the trail's last part."""
    m = _BREADCRUMB.match(lines[k].text.strip())
    if m is None:
        return None
    last = " ".join(lines[k].text.rsplit(m.group("sep"), 1)[1].split()).casefold()
    if _words(last) < 2:
        return None
    j = k
    for _ in range(_HEAD_FURNITURE):
        below = _next_text(lines, j)
        if below is None:
            return None
        if " ".join(lines[below].text.split()).casefold() == last:
            return below
        j = below
    return None


_TRAIL_SEPARATOR = re.compile(f"[{_TRAIL}]")


def _trail_title(lines: Sequence[_Line]) -> int | None:
    """The title under the first breadcrumb trail that ends with it (menus, the site's name
    and sidebars may stand above the trail)."""
    for k, ln in enumerate(lines):
        text = ln.text
        if text and ln.indent == 0 and _TRAIL_SEPARATOR.search(text):
            repeated = _breadcrumb_end(lines, k)
            if repeated is not None:
                return repeated
    return None


def _title_over_byline(lines: Sequence[_Line]) -> int | None:
    """The heading right above the page's first dated byline ("By Name 04 November 2020",
    "Von:" with the name and date under it), when it reads as a title."""
    for k, ln in enumerate(lines):
        text = ln.text
        if text and ln.indent == 0 and _is_header(text):
            return None  # the comments: their signatures are not the post's byline
        if (
            not text
            or ln.marker
            or not _BYLINE.match(text)
            or _words(text) > _SENTENCE_WORDS
            or text[-1] in ".!?"  # a sentence ("Updated models are expected in 2017.")
        ):
            continue
        after = next((j for j in range(k + 1, min(k + 5, len(lines))) if lines[j].text), None)
        dated = bool(_YEAR.search(text)) and parse_date(text) is not None
        if not (
            dated
            or (after is not None and _dates_something(lines[after].text))
            or (text.endswith(":") and _words(text) == 1)
        ):
            continue
        if dated and after is not None and after > k + 1 and lines[after].indent == ln.indent:
            # "By Name 10. Februar 2019 in Fashion" above the title (a block of its own), the
            # post under it
            below = lines[after].text.strip()
            then = _next_text(lines, after)
            if (
                _heading_text(below, True)
                and then is not None
                and not _dates_something(below)
                and _opens_article(lines, after, then)
            ):
                return after
        above = _text_above(lines, k)
        if above is None:
            return None
        heading = lines[above]
        candidate = heading.text.strip()
        if (
            heading.marker is None
            and heading.indent == ln.indent
            and _words(candidate) >= 2
            and candidate[0] not in "[("  # an image's alt text, an aside
            and _heading_text(candidate, True)
            and not _dates_something(candidate)
        ):
            return above
        return None
    return None


def _title_over_dateline(lines: Sequence[_Line]) -> int | None:
    """The heading right above the post's dateline ("2019年11月25日 18:57 参考消息", "11.05.2012,
    10:22 von Name": a date with more), before any prose or comment header; past the author's
    name on a line of its own ("Name", then the dateline)."""
    for k, ln in enumerate(lines):
        text = ln.text
        if not text or ln.marker:
            continue
        if _is_prose(text) or (ln.indent == 0 and _is_header(text)):
            return None
        if (
            ln.indent > 0
            or not (_YEAR.search(text) and _dateline(text))
            or all(w.casefold() in _WEEKDAYS for w in _other_words(text))  # a date alone
        ):
            continue
        above = _text_above(lines, k)
        if above is None:
            return None
        name = lines[above].text.strip()
        if _words(name) <= 5 and len(_CJK_CHAR.findall(name)) < 13:  # the author's name?
            higher = _text_above(lines, above)
            if higher is not None and _titled(lines[higher], ln.indent):
                return higher
        return above if _titled(lines[above], ln.indent) else None
    return None


def _text_above(lines: Sequence[_Line], k: int) -> int | None:
    """The nearest non-blank line above ``k``."""
    return next((j for j in range(k - 1, -1, -1) if lines[j].text), None)


def _titled(ln: _Line, indent: int) -> bool:
    """Whether the line reads as a post's title over its dateline: a heading of four words or
    more (a name above a date is a comment's head), not an image's alt text, not a line of
    links between separators."""
    text = ln.text.strip()
    return (
        ln.marker is None
        and ln.indent == indent
        and (_words(text) >= 4 or len(_CJK_CHAR.findall(text)) >= 8)
        and text[0] not in "[(（«»"
        and _META_SEPARATORS.search(text) is None
        and _heading_text(text, True)
        and not _dates_something(text)
    )


def _is_prose(text: str) -> bool:
    """An article's paragraph: many words, or a long run of Chinese or Japanese."""
    return _words(text) >= _PROSE_WORDS or (len(text) >= 60 and _CJK_CHAR.search(text) is not None)


def _short_label(text: str) -> bool:
    """A site's name, a section's kicker ("Wissen", "新浪新闻客户端"): a few words."""
    if _CJK_CHAR.search(text):
        return len(text) <= 8
    return _words(text) <= 3 and len(text) <= 40


def _furniture(text: str) -> bool:
    """A line above a post's title that cannot be the title itself: a date header, a byline
    with its date, a breadcrumb trail, a short label."""
    if _dates_something(text) or _BREADCRUMB.match(text):
        return True
    if _BYLINE.match(text) and (_YEAR.search(text) is not None or _words(text) <= 6):
        return True
    return _short_label(text)


def _heading_text(text: str, dated: bool) -> bool:
    """A line that may be a post's title: not a sentence's end, not page chrome, a byline or a
    categories line; four words at least, unless a blog's date header stands above it."""
    return not (
        _words(text) > 20
        or text[-1] in ".,;:"
        or _is_chrome(text)
        or _BYLINE.match(text)
        or _CATEGORIES.match(text)
        or (_words(text) < 4 and not dated and not _CJK_CHAR.search(text))
    )


def _head_date(text: str, reference: datetime | None) -> datetime | None:
    """The date of a line above a post's title: a date header, or a byline or breadcrumb trail
    with a date ("By Name 10. Februar 2019 in Fashion", "Accueil | Par Name | 30 septembre
    2018")."""
    when = _date_line(text, reference)
    if (
        when is None
        and _YEAR.search(text)
        and (_BYLINE.match(text) or _dateline(text) or _BREADCRUMB.match(text))
    ):
        when = parse_date(text, reference)
    return when


def _opens_article(lines: Sequence[_Line], heading: int, below: int) -> bool:
    """Whether the line under a heading opens its post: the heading repeated, a date, a byline
    or prose."""
    text = lines[below].text.strip()
    if (
        text == lines[heading].text.strip()
        or _dates_something(text)
        or _BYLINE.match(text)
        or _is_prose(text)
        or (_words(text) >= _SENTENCE_WORDS and text[-1] in '.!?…"”»')
    ):
        return True
    # The author's name alone, then the date ("Emmanuelle Ducros", "15 Mai 2019 à 06h00").
    then = _next_text(lines, below)
    return _words(text) <= 5 and then is not None and _dates_something(lines[then].text)


def _next_text(lines: Sequence[_Line], k: int) -> int | None:
    """The next non-blank line after ``k`` when it is unindented article-level text."""
    for j in range(k + 1, len(lines)):
        if lines[j].text:
            return j if lines[j].indent == 0 and not lines[j].marker else None
    return None


def _heading_below_furniture(lines: Sequence[_Line], first: int) -> int | None:
    """A rendering of the article alone may still start with the page's furniture: the site's
    name and tagline, a section's kicker, a breadcrumb trail, a blog's date header, a byline.
    Past those lines, the title is the next heading, when the post's date, byline or prose
    follows it. A short first line followed by anything else is the title itself ("News Round
    Up", then the post). A tagline is a line under the site's name with a date under it: the
    title when what follows the date is not a heading (a post dated under its title)."""
    k: int | None = first
    after = _next_text(lines, first)
    skipped = 0
    dated = False
    tagline: int | None = None
    while k is not None and after is not None:
        text = lines[k].text.strip()
        if _furniture(text) and not (dated and _short_label(text)):
            # (a short line under a blog's date header is the post's title: "News Round Up")
            dated = _head_date(text, None) is not None
        elif skipped == 1 and _words(text) <= 8 and _date_line(lines[after].text, None) is not None:
            tagline = k
        else:
            break
        skipped += 1
        if skipped > _HEAD_FURNITURE:
            return None
        k, after = after, _next_text(lines, after)
    if not skipped or k is None or after is None:
        return None
    if _heading_text(lines[k].text.strip(), dated) and (
        _opens_article(lines, k, after)
        # under a blog's date header, anything but a menu's label ("Sections")
        or (dated and not _short_label(lines[after].text.strip()))
    ):
        return k
    if tagline is not None and _heading_text(lines[tagline].text.strip(), False):
        return tagline
    return None


def _dateline(text: str) -> bool:
    """A short line that dates the article ("11.05.2012, 10:22 von Name", "by oz on December
    4, 2006"): a year, a date, a few words."""
    return _words(text) <= 8 and bool(_YEAR.search(text)) and parse_date(text) is not None


def _dates_something(text: str) -> bool:
    """A date alone (its year may be missing), or a short line with a full date."""
    return _date_line(text, None) is not None or _dateline(text)


_META_SEPARATORS = re.compile(r"\s[|·•]\s")


def _meta_date(text: str, reference: datetime | None) -> datetime | None:
    """The date of a post's meta line whose parts a separator divides, one of them a date
    ("January 13, 2020 at 08:45 AM | categories: Python | View Comments")."""
    parts = _META_SEPARATORS.split(text)
    if len(parts) < 2:
        return None
    for part in parts[:4]:
        if _dates_something(part):
            return _date_line(part, reference) or parse_date(part, reference)
    return None


_PROSE_WORDS = 25  # an unindented line this long is article prose
_HEADING_LINKS = 3  # short list items that may stand between a post's heading and its text


def _heading_after_menus(lines: Sequence[_Line], first: int) -> int | None:
    """On a whole-page rendering the first line is the site's name and navigation lists follow;
    the article's title is the heading just above its prose (and its date line). None when no
    list comes between the first line and the first prose, or no heading sits above it."""
    menus = any(ln.marker for ln in lines[:first])  # the page opens with its menus
    prose = None
    for k in range(first + 1, len(lines)):
        ln = lines[k]
        if ln.marker:
            menus = True
        elif (
            ln.text
            and ln.indent == 0
            and _words(ln.text) >= _PROSE_WORDS
            and not _is_chrome(ln.text)
        ):
            prose = k
            break
    if prose is None:
        return None
    looked = links = 0
    heading = None
    for k in range(prose - 1, first, -1):
        ln = lines[k]
        if not ln.text:
            continue
        if ln.marker and (_is_chrome(ln.rest) or (_nav_line(ln) and links < _HEADING_LINKS)):
            links += 1  # "• Comments: 3", "• Older post": links between the heading and the text
            continue  # (a longer list is a menu: what stands above it is not the heading)
        looked += 1
        if ln.indent > 0 or looked > 4:
            return None
        text = ln.text.strip()
        if (
            _dateline(text)
            or _BYLINE.match(text)
            or _is_chrome(text)
            or _CATEGORIES.match(text)
            or _meta_date(text, None) is not None
        ):
            # The blog's name, its date header, the post's title (Blogger): the date alone
            # between the first line and the heading.
            if (
                heading is not None
                and _date_line(text, None) is not None
                and not any(lines[j].text for j in range(first + 1, k))
            ):
                return heading
            continue
        if heading is None and _words(text) <= 20 and text[-1] not in ".,;:":
            if menus:
                return k
            heading = k
            continue
        return None
    return None


def _article(
    lines: Sequence[_Line], title_at: int | None, stop: int, reference: datetime | None
) -> _Article:
    title: str | None = None
    start = 0
    if title_at is not None:
        candidate = lines[title_at].text.strip()
        if len(candidate) <= 300:
            title = candidate
            start = title_at + 1
        else:
            start = title_at
    published: datetime | None = None
    skip: set[int] = set()
    seen = 0
    for k in range(start, stop):
        ln = lines[k]
        if not ln.text:
            continue
        seen += 1
        if seen > 4:
            break
        if ln.indent > 0 or _words(ln.text) > 14:
            continue
        when = _date_line(ln.text, reference) if _YEAR.search(ln.text) else None
        if when is None and _dateline(ln.text):
            when = parse_date(ln.text, reference)
        byline = bool(_BYLINE.match(ln.text))
        if when is None and byline:
            when = _unglued_date(ln.text, reference) if _YEAR.search(ln.text) else None
        if when is None:
            when = _meta_date(ln.text, reference)
        if when is not None and published is None:
            published = when
            skip.add(k)
        elif byline and _words(ln.text) <= 12:
            skip.add(k)  # "Posted on … by Name": page metadata, not article text
    if published is None and title_at:  # a blog's date header above the post's title
        above = _text_above(lines, title_at)
        if above is not None and lines[above].indent == 0:
            published = _head_date(lines[above].text.strip(), reference)
    if published is None:
        published = _footer_date(lines, start, stop, reference)

    # Paragraphs of the article, then chrome trimmed from their end.
    paragraphs: list[list[_Line]] = []
    current: list[_Line] = []
    for k in range(start, stop):
        ln = lines[k]
        if k in skip or (ln.indent == 0 and _count_header(ln.text) is not None):
            continue  # a "17 Comments" line under the title links down to the comments
        if not ln.text:
            if current:
                paragraphs.append(current)
                current = []
            continue
        current.append(ln)
    if current:
        paragraphs.append(current)
    _trim_chrome(paragraphs)
    text = "\n\n".join("\n".join(ln.text.strip() for ln in p) for p in paragraphs)
    return _Article(title, published, text or None)


# The post's footer: "This entry was posted on Monday, May 31st, 2004 at 8:40 pm and is filed
# under …", "Dieser Eintrag wurde veröffentlicht in … am 11. Dezember 2012 von Name."
_POSTED_FOOTER = re.compile(
    r"^(?:this\s+(?:entry|post|article)\s+was\s+(?:posted|published|written)|posted\s+on|"
    r"published\s+on|dieser\s+(?:eintrag|beitrag|artikel)\s+wurde|"
    r"cette\s+entrée\s+a\s+été\s+publiée|publié\s+le)\b",
    re.IGNORECASE,
)
_FOOTER_LINES = 12  # non-blank lines at the article's end where its footer may stand


def _footer_date(
    lines: Sequence[_Line], start: int, stop: int, reference: datetime | None
) -> datetime | None:
    """The date of the post's footer line near the article's end, or None."""
    seen = 0
    for k in range(stop - 1, start - 1, -1):
        text = lines[k].text
        if not text:
            continue
        seen += 1
        if seen > _FOOTER_LINES:
            break
        if _POSTED_FOOTER.match(text) and _YEAR.search(text):
            return _unglued_date(text, reference)
    return None


def _unglued_date(text: str, reference: datetime | None) -> datetime | None:
    """The date of a line whose year a converter may have glued to the next link ("Posted on
    August 2, 2019August 2, 2019Author Name"): up to that year when a letter follows it."""
    year = _YEAR.search(text)
    if year is not None and text[year.end() : year.end() + 1].isalpha():
        text = text[: year.end()]
    return parse_date(text, reference)


def _nav_line(ln: _Line) -> bool:
    """A short list item without sentence punctuation: a navigation or share link."""
    return ln.marker is not None and _words(ln.rest) <= 5 and not (ln.rest and ln.rest[-1] in ".!?")


def _trim_chrome(paragraphs: list[list[_Line]]) -> None:
    """Drop page chrome from the end of the article paragraphs, in place: comment headers and
    policy lines, share/related links, navigation lists, newsletter blocks, footers."""

    def chrome(p: list[_Line]) -> bool:
        return all(_is_chrome(ln.text) for ln in p) or all(_nav_line(ln) for ln in p)

    while paragraphs:
        if chrome(paragraphs[-1]):
            paragraphs.pop()
            continue
        last = paragraphs[-1]
        if len(last) > 1 and _is_chrome(last[-1].text):
            # A policy or count line directly above the comments, without a blank line.
            last.pop()
            continue
        # A short block that a chrome heading opens ("Island Daily Email" + its tagline).
        size = 0
        while size < min(4, len(paragraphs)) and all(
            _words(ln.text) <= 12 for ln in paragraphs[-1 - size]
        ):
            size += 1
        tail = paragraphs[len(paragraphs) - size :]
        cut = next((i for i, p in enumerate(tail) if chrome(p)), None)
        if cut is not None:
            del paragraphs[len(paragraphs) - size + cut :]
            continue
        break


def _section_start(lines: Sequence[_Line], blocks: Sequence[_Block], header: int | None) -> int:
    """Where the article stops: the comment header, or the first comment block."""
    if header is not None:
        return header
    return blocks[0].start


def _trailing_blocks_start(lines: Sequence[_Line], start: int) -> int:
    """Without comments: where trailing chrome (footer lines, navigation lists, sidebar
    teasers, newsletter blocks) begins. Short lines count as chrome only when chrome precedes
    them ("Daily Email" above its tagline); the article's own short last lines stay."""
    end = len(lines)
    k = end - 1
    short_run = 0
    while k >= start:
        ln = lines[k]
        if not ln.text:
            k -= 1
            continue
        if ln.indent == 0 and _is_chrome(ln.text):
            end = k
            k -= 1
            short_run = 0
            continue
        if ln.indent == 0 and _words(ln.text) <= 12 and short_run < 3:
            short_run += 1
            k -= 1
            continue
        if ln.indent > 0:
            j = k
            while j >= start and (not lines[j].text or lines[j].indent > 0):
                j -= 1
            block = _Block(j + 1, k + 1)
            while block.start < k and not lines[block.start].text:
                block.start += 1
            _measure_block(lines, block)
            nav = not _comment_like(block) and not block.bodied
            if block.markers and (nav or block.teasers * 2 >= block.markers):
                end = block.start
                k = j
                short_run = 0
                continue
        break
    return end


# --- entry point ------------------------------------------------------------------------------


def parse_text(
    text: str,
    *,
    url: str | None = None,
    reference: datetime | None = None,
) -> ParsedThread:
    """The thread of one plain-text page: article fields and comments in page order."""
    lines = _split_lines(text)
    title_at = _title_line(lines)
    first_body = title_at + 1 if title_at is not None else 0
    blocks, header = _choose_section(lines, first_body)
    notes: list[str] = []
    declared: int | None = None
    # Records after a comment header and before the list taken for the comments: that list
    # is then a sidebar's or a footer's (records end at the first list).
    records = _records(lines, first_body, blocks[0].start if blocks else len(lines), reference)
    comments: list[ParsedComment] = []
    if blocks:
        comments, parser, notes = _comments(lines, blocks, reference)
    if records is None and comments and not any(c.author for c in comments):
        # A list without a single author (the comment form's rules) before records: the
        # records are the comments.
        records = _records(lines, blocks[-1].end, len(lines), reference)
    if records is None and not comments:
        records = _headless_records(lines, first_body, reference) or _name_text_pairs(
            lines, first_body
        )
    if not any(c.author for c in (records[0] if records else comments)) or (
        records is None and len(comments) < _MIN_FOOTER_RECORDS
    ):
        # No named comments: comments may carry their dates under their text (records read
        # with those dates as heads have no names: each name stands above its text).
        footed = _footer_dated_records(lines, first_body, reference)
        if footed is not None and (records is None or len(footed[0]) >= len(records[0])):
            records = footed
    if records is not None and (
        len(records[0]) > len(comments)
        # named records against a later list that names no one (teasers, a footer's links)
        or (all(c.author for c in records[0]) and not any(c.author for c in comments))
    ):
        comments, header = records
        parser, stop, notes = "text/records", header, []
    elif blocks:
        stop = _section_start(lines, blocks, header)
        # Count header: the one before the section, else any whole-line count header.
        for k in range(blocks[0].start - 1, first_body - 1, -1):
            if lines[k].text and lines[k].indent == 0:
                declared = _count_header(lines[k].text)
                if declared is not None or not _is_chrome(lines[k].text):
                    break
    else:
        comments, parser = [], "text/article"
        stop = _trailing_blocks_start(lines, first_body)
        for k in range(first_body, len(lines)):
            if lines[k].text and lines[k].indent == 0:
                count = _count_header(lines[k].text)
                if count is not None:
                    declared = count
                    stop = min(stop, k)
                    break
    if header is not None and declared is None:
        # The header's count, else the last count header above it ("10 Kommentare" above the
        # comment form, "Kommentare" above the comments).
        declared = next(
            (
                count
                for k in range(header, first_body - 1, -1)
                if lines[k].text and (count := _count_header(lines[k].text)) is not None
            ),
            None,
        )
    article = _article(lines, title_at, stop, reference)
    return ParsedThread(
        parser=parser,
        comments=tuple(comments),
        url=url,
        site=site_of(url) if url else None,
        title=article.title,
        published_at=article.published_at,
        article_text=article.text,
        comment_count_declared=declared,
        notes=tuple(notes),
    )


def parse(page: RawPage) -> list[ParsedThread]:
    """The one thread of a plain-text page (a text with no comment section has zero comments).
    Raises ParseError for text too large to be a page or bytes that are not text."""
    if len(page.content) > MAX_TEXT_FILE_BYTES:
        raise ParseError(
            f"{page.source_uri}: {len(page.content)} bytes is too large for a text page "
            f"(limit {MAX_TEXT_FILE_BYTES})"
        )
    try:
        text, _ = decode_bytes(page.content, page.content_type)
    except DecodeError as exc:
        raise ParseError(f"{page.source_uri}: {exc}") from exc
    return [parse_text(text, url=page.url, reference=page.fetched_at)]
