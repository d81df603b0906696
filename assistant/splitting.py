"""Splitting: sentences and chunks, each a span of exact character offsets into the original text."""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from .loading import FRONT_MATTER, Document

Span = tuple[int, int]
Heading = tuple[int, int, str]  # start, level, text: (120, 2, "Release v2.6.18")

# Words after which a period does not end a sentence ("U.S. secretary", "Antony J. Blinken", "Nov. 14").
ABBREVIATIONS = frozenset(
    "u.s u.k u.n e.u mr mrs ms dr prof st jr sr gen col lt sgt sen rep gov pres vs etc e.g i.e "
    "jan feb mar apr jun jul aug sep sept oct nov dec no inc ltd co corp dept fig approx".split()
)
SENTENCE_END = re.compile(r"[.!?…]+[”\"’')\]]*(?=\s+|$)")
NEXT_STARTS_SENTENCE = re.compile(r"\s+[\"“‘'(\[]*[A-Z0-9À-Ý]")
# "1." before "A numbered item" ends no sentence.
LIST_NUMBER = re.compile(r"\s*\d{1,3}")
# A list item's marker: "-", "*", "•", "1.", "2)", and a GNU NEWS file's "**" and "***".
ITEM_MARKER = r"(?:[-+•]|\*{1,3}|\d{1,3}[.)])"
# A line that starts a block of its own: a list item, a heading, a quote, a table row, a code fence, a comment.
BLOCK_START = re.compile(rf"[ \t]*(?:{ITEM_MARKER}[ \t]|#|>|\||```|~~~|<!--)")
FENCE = re.compile(r"[ \t]*(?:```|~~~)")
# What marks a block and is not part of its first sentence: "- ", "* ", "1. ", "## ", "> ".
BLOCK_MARKER = re.compile(rf"[ \t]*(?:{ITEM_MARKER}|#{{1,6}}|>)[ \t]+(?=\S)")
# What goes before the first sentence of a list item on its line: "- ", "* ", "1. ".
LIST_ITEM_MARKER = re.compile(rf"[ \t]*{ITEM_MARKER}[ \t]+")
# A line of a list of command-line options (a man page, a `--help`) that names one: "-h, --human-readable",
# "-g     like -l, but do not list owner". Its description, on the lines below it indented deeper, goes with it.
OPTION_LINE = re.compile(r"([ \t]*)--?[A-Za-z0-9]")
# The options an entry names, before its description: "-h, --human-readable", "-R hostname | [hostname]:port".
OPTION_TERM = re.compile(r"--?[A-Za-z0-9].*?(?=\s{2}|\n|$)")
# What goes before a Markdown heading on its line: "## ".
HEADING_MARKER = re.compile(r"[ \t]{0,3}(#{1,6})[ \t]+")
# The line under a heading in Markdown's other style (Setext), and in plain text: "Contributing" over "------------".
UNDERLINE = re.compile(r"[ \t]{0,3}(={3,}|-{3,})[ \t]*(?:\n|$)")
UNDERLINED_LINES = 3  # at most, in a heading: "What's New in IDLE 3.13.0 / (since 3.12.0) / Released on 2024-10-xx"
# A line naming a release heads the changes listed under it in a NEWS file, alone in its paragraph: "version 1.31 -
# Sergey Poznyakoff, 2019-01-02", "Version 4.3 (19 Jan 2020)".
RELEASE_LINE = re.compile(r"[ \t]{0,3}(?:version|release)[ \t]+v?\d+(?:\.\d+)+\b[^\n]*(?:\n[ \t]*(?:\n|$)|$)", re.I)
# A line of a Markdown table ("| Day | Date | Plan |"), and the rule under its header row ("|---|:---:|").
TABLE_ROW = re.compile(r"[ \t]*\|")
EMPHASIS = re.compile(r"(\*\*|__|\*)(\S(?:.*?\S)?)\1")  # "**bold**", "__bold__", "*italic*"; not snake_case
TABLE_RULE = re.compile(r"[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|)+[ \t]*:?-*:?[ \t]*$")
# The question of a FAQ, and its answer: "Q:  I have installed xz, but my tar doesn't recognize .tar.xz files." ...
# "A:  xz -dc foo.tar.xz | tar xf -". The same, at the start of any line of a text.
FAQ_QUESTION = re.compile(r"[ \t]*(?:Q|Question)[:.][ \t]")
FAQ_ANSWER = re.compile(r"[ \t]*(?:A|Answer)[:.][ \t]")
FAQ_QUESTION_LINE = re.compile("^" + FAQ_QUESTION.pattern, re.M)
FAQ_ANSWER_LINE = re.compile("^" + FAQ_ANSWER.pattern, re.M)
CLOSING_MARKS = "”\"’')]"  # what may close a sentence after its end: a quote, a bracket
PARAGRAPH_BREAK = re.compile(r"\n(?:[ \t]*\n)+")
# What marks a question as a FAQ's, alone in its paragraph: a number or a heading's "#" ("23. Is zlib under the GNU
# license?"). An article's question, unmarked, is most often rhetorical: the paragraph after it is no answer.
NUMBERED_OR_HEADING = re.compile(r"\s*(?:\d{1,3}[.)]|#{1,6})[ \t]+")
# What can lie between two neighbouring sentences besides white space: the marker of the block the second starts.
BETWEEN_SENTENCES = re.compile(rf"\s*(?:(?:{ITEM_MARKER}|#{{1,6}}|>)[ \t]+)?")


@dataclass(frozen=True)
class Chunk:
    id: str
    source: str
    start: int
    end: int
    text: str
    sentences: tuple[Span, ...]  # absolute offsets in the source text


def _strip_span(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _ends_with_abbreviation(text: str, period_at: int) -> bool:
    word_start = period_at
    while word_start > 0 and not text[word_start - 1].isspace() and text[word_start - 1] not in '“"(‘':
        word_start -= 1
    word = text[word_start:period_at].lower()
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _spans_between(text: str, cuts: list[int]) -> list[Span]:
    """The non-blank spans between consecutive cut positions, stripped of surrounding whitespace."""
    spans = (_strip_span(text, start, end) for start, end in zip(cuts, cuts[1:], strict=False))
    return [span for span in spans if span]


def _split_line(text: str, start: int, end: int) -> list[Span]:
    cuts = [start]
    for match in SENTENCE_END.finditer(text, start, end):
        stop = match.end()
        if stop < end and not NEXT_STARTS_SENTENCE.match(text, stop, end):
            continue
        if text[match.start()] == "." and _ends_with_abbreviation(text, match.start()) and stop < end:
            continue
        if LIST_NUMBER.fullmatch(text, cuts[-1], match.start()):  # "1. A numbered item"
            continue
        cuts.append(stop)
    return _spans_between(text, [*cuts, end])


# The longest sentence quoted whole. A longer one is a run-on: a transcript or an OCR text without punctuation, or
# a legal sentence of clause after clause; whole, it would be a quote of a page that holds the answer somewhere.
MAX_SENTENCE_CHARS = 400
CLAUSE_END = re.compile(r"[,;:)\]—–](?=\s)")


def _pieces(text: str, span: Span, max_chars: int, last_break: Callable[[int, int], int]) -> list[Span]:
    """A span longer than max_chars in pieces no longer, each cut where last_break(piece start, limit) says (a
    position past the piece's start), else at the limit."""
    start, end = span
    cuts = [start]
    while end - cuts[-1] > max_chars:
        piece_start, limit = cuts[-1], cuts[-1] + max_chars
        cut = last_break(piece_start, limit)
        cuts.append(cut if cut > piece_start else limit)
    return _spans_between(text, [*cuts, end])


def _cap_length(text: str, span: Span, max_chars: int) -> list[Span]:
    """Cut a sentence longer than max_chars into pieces no longer: after the last clause mark (",", ";", ":", a dash)
    in the second half of each piece, else at its last space."""

    def after_a_clause(piece_start: int, limit: int) -> int:
        clauses = [m.end() for m in CLAUSE_END.finditer(text, piece_start + max_chars // 2, limit)]
        return clauses[-1] if clauses else text.rfind(" ", piece_start + 1, limit)

    return _pieces(text, span, max_chars, after_a_clause)


def wrap_width(lines: list[str]) -> int | None:
    """The width the text's lines were wrapped at (Markdown, e-mail, plain-text books), if they were: nine lines in
    ten are at most that long, 60 to 140 characters. Paragraphs written one per line are hundreds of characters."""
    lengths = sorted(len(line.rstrip()) for line in lines if line.strip())
    if len(lengths) < 5:
        return None
    width = lengths[int(0.9 * len(lengths))]
    return width if 60 <= width <= 140 else None


def text_blocks(text: str) -> list[Span]:
    """Spans of the text that sentences never cross: its lines, and each fenced code block and HTML comment whole;
    in text wrapped at a fixed width, a line that comes close to that width goes on with the next, unless that one
    starts a block of its own (an item, a quote, a table row, code, a comment; a heading only after a short line)."""
    starts = [0, *(match.end() for match in re.finditer("\n", text))]
    lines = [(start, text.find("\n", start) % (len(text) + 1)) for start in starts]
    width = wrap_width([text[start:end] for start, end in lines])
    blocks: list[Span] = []
    closes: str | None = None  # what ends the code block or comment the line is in
    goes_on = False
    option_indent: int | None = None  # the indent of the option whose description the lines below may be
    for start, end in lines:
        line = text[start:end]
        fence = bool(FENCE.match(line))
        if closes is not None:  # a fenced code block or an HTML comment is one block, blank lines included
            blocks[-1] = (blocks[-1][0], end)
            ends_here = fence if closes == "```" else "-->" in line
            closes = None if ends_here else closes
            continue
        if not line.strip():
            goes_on, option_indent = False, None
            continue
        indent = len(line) - len(line.lstrip())
        option = OPTION_LINE.match(line)
        # A deeper line that names an option is the next entry ("  -h, --help ...\n      --version ...").
        describes_option = option_indent is not None and indent > option_indent and not option
        # A "#" that goes on with a wrapped line is a word ("... introduced with\n# sign"), not a heading.
        starts_a_block = BLOCK_START.match(line) and not (goes_on and line.lstrip().startswith("#"))
        # In a list of options each one starts an entry, whatever the width of the line above.
        starts_a_block = starts_a_block or (option and option_indent is not None)
        if (goes_on or describes_option) and not fence and not starts_a_block:
            blocks[-1] = (blocks[-1][0], end)
        else:
            blocks.append((start, end))
        option_indent = option_indent if describes_option else len(option.group(1)) if option else None
        opens_comment = line.lstrip().startswith("<!--") and "-->" not in line
        closes = "```" if fence else "-->" if opens_comment else None
        goes_on = (
            width is not None
            and not fence
            and not (starts_a_block and line.lstrip().startswith(("#", "|")))  # a heading, a table row
            and len(line.rstrip()) >= 0.6 * width
        )
    return blocks


def continued_lines(text: str) -> set[int]:
    """Where the lines start that go on with the paragraph of the line before, in text wrapped at a fixed width: a
    line break there is no paragraph break ("Fix test_editor hang on macOS Catalina.\nPatch by Terry Reedy.")."""
    return {
        start + line_break.end()
        for start, end in text_blocks(text)
        if not is_code(text[start:end])
        for line_break in re.finditer("\n", text[start:end])
    }


def starts_on_a_continued_line(text: str, start: int, continued: set[int]) -> bool:
    """Whether the sentence at `start` begins on one of the `continued` lines (see continued_lines)."""
    return text.rfind("\n", 0, start) + 1 in continued


def is_code(text: str) -> bool:
    """A fenced code block ("```js" ... "```") or the first piece of a long one, or an HTML comment: no prose."""
    return bool(FENCE.match(text)) or text.lstrip().startswith("<!--")


def _cut_at_lines(text: str, span: Span, max_chars: int) -> list[Span]:
    """A code block longer than max_chars in pieces no longer, cut at line ends (a line longer than that, alone)."""
    return _pieces(text, span, max_chars, lambda piece_start, limit: text.rfind("\n", piece_start + 1, limit))


def split_into_sentences(text: str, max_chars: int = 1000) -> list[Span]:
    """Sentence spans of the text. A line break ends a sentence (headlines, list items), except where the text was
    wrapped at a fixed width: there a line goes on with the next unless that one starts a block of its own. A
    block's marker ("- ", "1. ", "## ") is left out of its first sentence. A fenced code block (fences included) or
    an HTML comment is one span. No span is longer than max_chars, nor a sentence of prose than MAX_SENTENCE_CHARS."""
    spans: list[Span] = []
    for start, end in text_blocks(text):
        if is_code(text[start:end]):  # code is quoted whole, as an example is read: up to a passage's size
            spans.extend(_cut_at_lines(text, (start, end), max_chars))
            continue
        if TABLE_ROW.match(text, start, end):  # a table's row is one unit, as a list's item: its cells are no sentences
            spans.extend(_cap_length(text, (start, end), min(max_chars, MAX_SENTENCE_CHARS)))
            continue
        marker = BLOCK_MARKER.match(text, start, end)
        for span in _split_line(text, marker.end() if marker else start, end):
            spans.extend(_cap_length(text, span, min(max_chars, MAX_SENTENCE_CHARS)))
    return spans


def _line_at(text: str, start: int) -> Span:
    """The span of the line the offset stands in, without its line break."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    return line_start, len(text) if line_end < 0 else line_end


def table_cells(line: str) -> list[str]:
    """The cells of a table's row, stripped: "| 3 | Wed 11 Feb |" -> ["3", "Wed 11 Feb"]."""
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return [cell.strip() for cell in inner.split("|")]


def table_row_readings(text: str) -> dict[int, str]:
    """How each data row of the text's Markdown tables reads with its header, each cell under its column's name
    ("Day: 3; Date: Wed 11 Feb; Overnight: Black Beach Suites, Vík"), by where the row starts: for the row of a table
    to be found by what the question calls its columns. Not the header row, nor the rule under it. One pass."""
    readings: dict[int, str] = {}
    header: list[str] | None = None  # the cells of the header row of the table the line stands in
    line_start = 0
    for line in text.split("\n"):
        if not TABLE_ROW.match(line):
            header = None
        elif header is None:
            header = table_cells(line)
        elif not TABLE_RULE.match(line):
            readings[line_start + len(line) - len(line.lstrip())] = row_reading(header, table_cells(line))
        line_start += len(line) + 1
    return readings


def row_reading(header: list[str], cells: list[str]) -> str:
    """A table's row as "column: cell; ...", its empty cells left out; a row of a table of fields (no column names)
    as "field: value"."""
    if not any(header) and len(cells) > 1:  # a table of fields, its names in the first column: "Office hours: ..."
        header, cells = [cells[0]], ["; ".join(cells[1:])]
    return "; ".join(
        f"{name}: {cell}" if name else cell
        for name, cell in itertools.zip_longest(map(unmarked, header), map(unmarked, cells), fillvalue="")
        if any(character.isalnum() for character in cell)
    )


FAQ_READING_CHARS = 300  # of the answer, read with its question
FAQ_SEARCH_CHARS = 2000  # after a "Q:" line, where its "A:" line may start


def faq_question_reading(text: str, start: int) -> str | None:
    """How a FAQ's question at `start` reads with the start of its answer ("Q: How much do I pay in? A: You pay 5%
    of your salary. ..."), for a question asked in other words to find it: alone, "How much do I pay in?" says
    nothing of a pension. A FAQ's question is a "Q:" line, answered by the "A:" line below it; or a numbered
    question or a heading alone in its paragraph ("## Can I freeze my membership?"), answered by the next
    paragraph. None for any other sentence."""
    line_start, line_end = _line_at(text, start)
    if FAQ_QUESTION.match(text, line_start, line_end):
        answer = FAQ_ANSWER_LINE.search(text, line_end, line_end + FAQ_SEARCH_CHARS)
        between = text[line_end : answer.start()] if answer else ""
        if answer is None or PARAGRAPH_BREAK.search(between.strip("\n")) or FAQ_QUESTION_LINE.search(between):
            return None
        question_end = line_end
    elif (
        text[line_start:line_end].rstrip(CLOSING_MARKS).endswith("?")
        and NUMBERED_OR_HEADING.match(text, line_start, line_end)
        and (after := PARAGRAPH_BREAK.match(text, line_end)) is not None
    ):
        answer, question_end = after, line_end
    else:
        return None
    ends = [PARAGRAPH_BREAK.search(text, answer.end()), FAQ_QUESTION_LINE.search(text, answer.end())]
    reply_end = min([answer.end() + FAQ_READING_CHARS, *(end.start() for end in ends if end is not None)])
    reply = " ".join(text[answer.end() : reply_end].split())
    return f"{' '.join(text[start:question_end].split())} {reply}" if reply else None


def unmarked(cell: str) -> str:
    """A cell's text without Markdown's emphasis: "**Office hours**" -> "Office hours"."""
    return EMPHASIS.sub(r"\2", cell)


def line_before(text: str, start: int) -> str:
    """What stands before `start` on its line: a block's marker ("- ", "## "), an indent, or earlier sentences."""
    return text[text.rfind("\n", 0, start) + 1 : start]


def opens_list_item(text: str, start: int) -> bool:
    """Whether the sentence at `start` is the first of a list item: on its line, only the item's marker before it;
    or an entry of a list of options ("-h, --human-readable  with -l and -s, print sizes like 1K 234M 2G etc.")."""
    before = line_before(text, start)
    return bool(LIST_ITEM_MARKER.fullmatch(before)) or (not before.strip() and bool(OPTION_LINE.match(text, start)))


def stands_in_a_list(text: str, start: int) -> bool:
    """Whether the sentence at `start` stands in a list item or an indented block: its line starts with a list's
    marker or white space ("  * `family` {integer} The record family. Must be `4` or `6`.")."""
    line = line_before(text, start)
    return line[:1].isspace() or bool(LIST_ITEM_MARKER.match(line))


@functools.lru_cache(maxsize=1)  # asked once per sentence of the document being indexed
def front_matter_end(text: str) -> int:
    """Where a Markdown front matter at the text's start ends; 0 without one. Looked for once per text: a text
    opening with a rule ("---") and no closing one is read to its end to find none."""
    found = FRONT_MATTER.match(text)
    return found.end() if found else 0


def heading_level(text: str, start: int) -> int:
    """The level of the heading that the sentence at `start` is; 0 if none. A Markdown heading ("## Release
    v2.6.18": 2); a paragraph of at most three lines, underlined ("Contributing" over "====": 1, over "----": 2;
    "1. Definitions" too); a release's line alone in its paragraph ("version 1.31 - Sergey Poznyakoff, 2019-01-02").
    Not a Markdown front matter, whose closing "---" underlines nothing."""
    if start < front_matter_end(text):
        return 0
    before = line_before(text, start)
    marker = HEADING_MARKER.fullmatch(before)
    if marker:
        return len(marker.group(1))
    line_start, bare = start - len(before), not before.strip(" \t")
    if not (bare or LIST_ITEM_MARKER.fullmatch(before)) or not after_a_blank_line(text, line_start):
        return 0
    line, line_end = start, text.find("\n", start)
    for _ in range(UNDERLINED_LINES):
        if line_end < 0 or text[line:line_end].rstrip().endswith((".", ",", ";", ":")):
            return 0  # a line of prose above a rule is no heading
        underline = UNDERLINE.match(text, line_end + 1)
        if underline:
            return 1 if underline.group(1).startswith("=") else 2
        line, line_end = line_end + 1, text.find("\n", line_end + 1)
        if not text[line : line_end if line_end >= 0 else len(text)].strip():
            break  # the paragraph ends un-underlined
    return 1 if bare and RELEASE_LINE.match(text, line_start) else 0


def after_a_blank_line(text: str, line_start: int) -> bool:
    """Whether the line starting here is the text's first or comes after a blank line."""
    return line_start == 0 or not line_before(text, line_start - 1).strip()


def heading_text(text: str, start: int) -> str:
    """A heading's words: the rest of its line ("Why? How?" is two sentences), without closing marks ("## Setup ##")."""
    end = text.find("\n", start)
    return text[start : end if end >= 0 else len(text)].rstrip("# \t")


def heading_path(headings: list[Heading], offset: int) -> list[Heading]:
    """The headings a place stands under, outermost first (headings in order of start). A heading's own place is
    under the headings above its level: "version 1.30" is not under "version 1.31", the release before it."""
    path: list[Heading] = []
    for heading in headings:
        if heading[0] > offset:
            break
        while path and path[-1][1] >= heading[1]:
            path.pop()
        if heading[0] == offset:
            break
        path.append(heading)
    return path


def chunk_id(source: str, index: int) -> str:
    return f"{hashlib.sha256(source.encode()).hexdigest()[:16]}:{index}"


def split_into_chunks(document: Document, max_chars: int, overlap_sentences: int) -> list[Chunk]:
    """Consecutive sentences grouped up to max_chars, neighbours sharing `overlap_sentences`."""
    text = document.text
    sentences = split_into_sentences(text, max_chars)
    chunks: list[Chunk] = []
    first = 0
    while first < len(sentences):
        last = first
        while last + 1 < len(sentences) and sentences[last + 1][1] - sentences[first][0] <= max_chars:
            last += 1
        members = tuple(sentences[first : last + 1])
        start, end = members[0][0], members[-1][1]
        chunks.append(
            Chunk(chunk_id(document.source, len(chunks)), document.source, start, end, text[start:end], members)
        )
        if last + 1 >= len(sentences):
            break
        first = max(first + 1, last + 1 - overlap_sentences)
    return chunks
