"""Answering without an LLM: choose the sentences that best answer the question and quote them verbatim."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from .answer import Citation
from .lexical import STOPWORDS, content_words, expansion_words, identifiers_in, options_in, stem, tokenize, versions_in
from .question_types import (
    ASKS_A_TIME,
    ASKS_DATE,
    ASKS_HOW_THEY_REACTED,
    ASKS_WHAT_HAPPENED,
    ASKS_WHAT_SHOULD_BE_DONE,
    ASKS_WHAT_WAS_DECIDED,
    ASKS_WHAT_WAS_TO_COME_OR_SAID,
    ASKS_WHEN,
    ASKS_WHERE,
    ASKS_WHICH_ONES,
    ASKS_WHO_SAID,
    ASKS_YES_OR_NO,
    BORROWED_KEY_WORDS,
    NAME,
    POSSESSIVE,
    SAYS_HOW_THEY_REACTED,
    SAYS_NOT_YET,
    SAYS_WHAT_SHOULD_BE_DONE,
    SAYS_WHAT_WAS_DECIDED,
    SAYS_WHEN,
    SAYS_WHEN_IN_THE_WEEK,
    SAYS_WHERE_IT_LIES,
    SPOKEN,
    all_words_in,
    asks_about_the_collection,
    asks_across_documents,
    asks_for_a_price,
    asks_for_a_release,
    asks_for_overview,
    asks_for_release_notes,
    asks_for_the_section,
    asks_which_document,
    asks_who_wrote,
    doing_asked,
    fits_question_type,
    gives_what_it_asks,
    head_of_topic,
    names_the_doing,
    person_asked_about,
    places_in,
    plain_name,
    says_what_it_was_called,
    someone_whose_words_asked,
    speaker_described,
    subject_asked_about,
    thing_asked_about,
    thing_asked_if_there,
    titles,
    topic_asked_about,
    what_they_called,
    without_the_askers_circumstances,
)
from .retrieval import Retrieval
from .scoping import without_references
from .speakers import name_end
from .splitting import (
    BETWEEN_SENTENCES,
    CLOSING_MARKS,
    FAQ_ANSWER,
    FAQ_QUESTION,
    NUMBERED_OR_HEADING,
    OPTION_TERM,
    PARAGRAPH_BREAK,
    Chunk,
    Heading,
    stands_in_a_list,
)
from .store import IndexSnapshot, is_statement, words_of_file_names
from .wording import in_the_document, in_the_remarks_of

NOT_FOUND = "The documents do not answer this question. The closest passages are shown below."
CLOSEST_SHOWN = NOT_FOUND.split(". ", 1)[1]  # the end of every reason to decline
NOT_YET = (
    "The documents speak of this only as something still to come, not as something that happened, so they do not "
    f"answer this question. {CLOSEST_SHOWN}"
)

NOTHING_ASKED = (
    "There is nothing to look up in that. Ask about what the documents say (a person, an event, an argument), "
    "or ask “What are these documents about?”."
)


@dataclass(frozen=True)
class QuoteSpan:
    chunk: Chunk  # a passage holding the whole span, so the text can be cut from it
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.chunk.text[self.start - self.chunk.start : self.end - self.chunk.start]


def join_neighbours(
    spans: list[QuoteSpan], across_paragraphs: bool = False, wrapped: Callable[[str, int], bool] = lambda *_: False
) -> list[QuoteSpan]:
    """Spans of one paragraph (or across_paragraphs) that overlap or are apart only by white space (and a list
    item's marker) become one span; order is kept. A line break ends a paragraph, unless `wrapped(source, start)`
    says the line the later span starts on goes on with the paragraph above (IndexSnapshot.goes_on_from_the_line_above).
    """
    joined: list[QuoteSpan] = []
    for span in spans:
        for position, kept in enumerate(joined):
            if kept.chunk.source != span.chunk.source:
                continue
            start, end = min(span.start, kept.start), max(span.end, kept.end)
            holder = next((s.chunk for s in (kept, span) if s.chunk.start <= start and end <= s.chunk.end), None)
            if holder is None:
                continue
            between = (min(span.end, kept.end), max(span.start, kept.start))  # empty when they overlap
            gap = holder.text[between[0] - holder.start : between[1] - holder.start]
            # A line break ends the thought, unless across_paragraphs or the text was wrapped there.
            later = max(span.start, kept.start)
            one_paragraph = "\n" not in gap or wrapped(span.chunk.source, later)
            if BETWEEN_SENTENCES.fullmatch(gap) and (one_paragraph or across_paragraphs):
                joined[position] = QuoteSpan(holder, start, end)
                break
        else:
            joined.append(span)
    return joined


def new_to_the_conversation(spans: list[QuoteSpan], quoted_before: tuple[str, ...]) -> list[QuoteSpan]:
    """The spans without what the conversation has quoted: "Why?" gets the reason that follows the quote it leans
    on, not that quote again. Each span starts at its first sentence not quoted before; one quoted whole before is
    left out, unless nothing else is left."""

    def quoted(chunk: Chunk, start: int, end: int) -> bool:
        text = chunk.text[start - chunk.start : end - chunk.start]
        return any(text in quote for quote in quoted_before)

    trimmed = []
    for span in spans:
        inside = [(start, end) for start, end in span.chunk.sentences if span.start <= start and end <= span.end]
        new = [start for start, end in inside if not quoted(span.chunk, start, end)]
        if new:
            trimmed.append(QuoteSpan(span.chunk, new[0], span.end))
    return trimmed or spans


def distinct(spans: list[QuoteSpan]) -> list[QuoteSpan]:
    """The spans but those whose words an earlier one holds, in the same order, however the lines break: reference
    pages repeat a sentence ("**Default:** `1024 * 1024`.") under every function it is true of."""
    kept: list[tuple[QuoteSpan, str]] = []
    for span in spans:
        words = " ".join(span.text.split())
        if not any(words in earlier for _, earlier in kept):
            kept.append((span, words))
    return [span for span, _ in kept]


def sentence_span(snapshot: IndexSnapshot, index: int) -> QuoteSpan:
    sentence = snapshot.sentences[index]
    return QuoteSpan(snapshot.chunks[sentence.chunk_row], sentence.start, sentence.end)


def spliced(first: Chunk, second: Chunk) -> Chunk | None:
    """One passage of two that overlap or touch, under the first one's id; None when text lies between them."""
    if first.source != second.source or second.start > first.end or second.start < first.start:
        return None
    text = first.text + second.text[first.end - second.start :]
    sentences = tuple(sorted(set(first.sentences) | set(second.sentences)))
    return Chunk(first.id, first.source, first.start, max(first.end, second.end), text, sentences)


def following_sentence(snapshot: IndexSnapshot, span: QuoteSpan, any_kind: bool = False) -> QuoteSpan | None:
    """The statement right after a span (any_kind: whatever comes next, a command or a code block too), in a passage
    that holds the span too (two neighbours spliced if need be)."""
    row = snapshot.row_of[span.chunk.id]
    for chunk in [span.chunk, *snapshot.chunks[row + 1 : row + 3]]:
        after = next(((start, end) for start, end in chunk.sentences if start >= span.end), None)
        if chunk.source != span.chunk.source or after is None:
            continue
        holder = span.chunk if chunk is span.chunk else spliced(span.chunk, chunk)
        if holder is None:
            return None
        following = QuoteSpan(holder, *after)
        list_item = snapshot.opens_list_item(holder.source, following.start)
        return following if any_kind or is_statement(following.text, list_item) else None
    return None


# A whole answer in a word, before the reason: "Is zlib thread-safe?" "Yes.  However any library routines ...".
SHORT_ANSWER = re.compile(r"(?:A:\s*)?(?:yes|no|nothing|none|never|always|correct)[.!]", re.I)


def with_its_short_answer(snapshot: IndexSnapshot, span: QuoteSpan) -> QuoteSpan:
    """A span with the "Yes." or "No." right before it in its paragraph: the reason alone can read as the opposite
    ("However any library routines that zlib uses ... must also be thread-safe.")."""
    before = next(((start, end) for start, end in reversed(span.chunk.sentences) if end <= span.start), None)
    if before is None or not SHORT_ANSWER.fullmatch(QuoteSpan(span.chunk, *before).text):
        return span
    joined = join_neighbours([QuoteSpan(span.chunk, *before), span], wrapped=snapshot.goes_on_from_the_line_above)
    return joined[0] if len(joined) == 1 else span


def with_what_it_announces(snapshot: IndexSnapshot, span: QuoteSpan, max_chars: int) -> QuoteSpan:
    """A span that ends with a colon, with what follows it (a command, a code block, a list's first item), if the
    two fit in max_chars: "... add the following option to the ssh configuration file:" is no answer alone."""
    if not span.text.endswith(":"):
        return span
    after = following_sentence(snapshot, span, any_kind=True)
    if after is None or after.end - span.start > max_chars:
        return span
    return join_neighbours([span, after], across_paragraphs=True)[0]


def release_above(snapshot: IndexSnapshot, span: QuoteSpan) -> QuoteSpan | None:
    """The heading naming a release that a span stands under ("version 1.31 - Sergey Poznyakoff, 2019-01-02",
    "## Release 2.1.0"), when the span names no version itself; else None."""
    heading = snapshot.heading_above(span.chunk.source, span.start)
    if heading is None or not versions_in(heading[2]) or versions_in(span.text):
        return None
    index = snapshot.sentence_at(span.chunk.source, heading[0])
    return None if index is None else sentence_span(snapshot, index)


def section_under(snapshot: IndexSnapshot, heading: QuoteSpan, max_chars: int) -> QuoteSpan | None:
    """The statements under a heading, as one span: to the next heading, or as many as fit in max_chars; or the
    table right under it ("## Options" over "| Option | Description |" rows)."""
    first = following_sentence(snapshot, heading)
    if first is not None:
        return running_on(snapshot, first, max_chars)
    after = following_sentence(snapshot, heading, any_kind=True)
    return None if after is None or not after.text.startswith("|") else table_from(snapshot, after, max_chars)


def table_from(snapshot: IndexSnapshot, first_row: QuoteSpan, max_chars: int) -> QuoteSpan:
    """A Markdown table from its first row: its lines up to the first that is no row, as many whole lines as fit
    in max_chars (the passage after it spliced on if the table runs into it)."""
    holder = first_row.chunk
    row = snapshot.row_of[holder.id]
    for later in snapshot.chunks[row + 1 : row + 3]:
        holder = spliced(holder, later) or holder
    end = first_row.start
    for line in re.finditer(r"[^\n]*", holder.text[first_row.start - holder.start :]):
        line_end = first_row.start + line.end()
        if (line.group() and not line.group().startswith("|")) or line_end - first_row.start > max_chars:
            break
        if line.group():
            end = line_end
    return QuoteSpan(holder, first_row.start, max(end, first_row.end))


def first_prose_under(snapshot: IndexSnapshot, source: str, heading_start: int) -> QuoteSpan | None:
    """The first statement under a Markdown heading that is no list item nor code, before the next heading: a
    reference lists a function's parameters before it says what the function does."""
    next_heading = min(
        (start for _, (start, _, _) in snapshot.markdown_headings(source) if start > heading_start), default=None
    )
    for chunk in snapshot.chunks_of(source):
        for start, end in chunk.sentences:
            if start <= heading_start:
                continue
            if next_heading is not None and start >= next_heading:
                return None
            index = snapshot.sentence_at(source, start)
            # At the chunk's start, its line's marker is in the chunk before: the chunk table knows the item.
            listed = snapshot.opens_list_item(source, start) or stands_in_a_list(chunk.text, start - chunk.start)
            if index is not None and snapshot.sentence_is_statement[index] and not listed:
                return QuoteSpan(chunk, start, end)
    return None


def running_on(
    snapshot: IndexSnapshot, first: QuoteSpan, max_chars: int, across_paragraphs: bool = True, items: bool = True
) -> QuoteSpan:
    """A span and the statements right after it, as one span: up to a heading (or, not across_paragraphs, to the
    end of its paragraph; not items, to the next list item), or as many as fit in max_chars. Across paragraphs, a
    span ending with a colon runs on into whatever follows it, a command or a code block too."""
    section = first
    while True:
        announces = across_paragraphs and section.text.endswith(":")
        after = following_sentence(snapshot, section, any_kind=announces)
        if (
            after is None
            or after.end - section.start > max_chars
            or (not items and snapshot.opens_list_item(after.chunk.source, after.start))
        ):
            break
        joined = join_neighbours(
            [section, after], across_paragraphs=across_paragraphs, wrapped=snapshot.goes_on_from_the_line_above
        )
        if len(joined) > 1:
            break
        section = joined[0]
    return section


def the_answer_below(snapshot: IndexSnapshot, span: QuoteSpan, max_chars: int) -> QuoteSpan | None:
    """For a span of a FAQ's question, the question's answer below it, as much of its paragraph as fits in
    max_chars (and what it announces with a colon); None when the span is no FAQ question or no answer follows.
    A FAQ's question is a "Q:" paragraph, answered by the "A:" after it; or a numbered question or a heading alone
    in its paragraph ("23. Is zlib under the GNU license?"), answered by the next paragraph ("No.  Please read the
    license in zlib.h.")."""
    text, offset = span.chunk.text, span.chunk.start
    breaks = [match.end() for match in PARAGRAPH_BREAK.finditer(text, 0, span.start - offset)]
    paragraph = breaks[-1] if breaks else 0
    if FAQ_QUESTION.match(text, paragraph):
        after = span
        for _ in range(5):  # the rest of the question, then its answer
            following = following_sentence(snapshot, after, any_kind=True)
            if following is None or FAQ_QUESTION.match(following.chunk.text, following.start - following.chunk.start):
                return None
            if FAQ_ANSWER.match(following.chunk.text, following.start - following.chunk.start):
                return with_what_it_announces(
                    snapshot, running_on(snapshot, following, max_chars, across_paragraphs=False), max_chars
                )
            after = following
        return None
    alone = (
        span.text.rstrip(CLOSING_MARKS).endswith("?")
        and NUMBERED_OR_HEADING.fullmatch(text, paragraph, span.start - offset)
        and PARAGRAPH_BREAK.match(text, span.end - offset)
    )
    answer = following_sentence(snapshot, span, any_kind=True) if alone else None
    if answer is None or answer.text.rstrip(CLOSING_MARKS).endswith("?"):
        return None
    return with_what_it_announces(snapshot, running_on(snapshot, answer, max_chars, across_paragraphs=False), max_chars)


# What follows a photo's caption: its credit, on the same line in parentheses or on the next line.
CREDIT = re.compile(r"[ \t]*\([^()\n]*/[^()\n]*\)[ \t]*(?:\n|$)|\s*\n\s*(?:Credit|Photo|Image|Source)s?\s*:", re.I)
# Lines a web page puts between paragraphs: "Continue reading: The US population ...".
WEB_PAGE_CHROME = re.compile(r"(?:continue reading|read more|related|see also|advertisement|sign up|subscribe)\b", re.I)


def is_caption(chunk: Chunk, end: int) -> bool:
    """Whether the sentence ending at `end` is a photo caption: a credit follows it."""
    return bool(CREDIT.match(chunk.text, end - chunk.start))


def opening_statements(
    snapshot: IndexSnapshot, sources: list[str], per_source: int = 1, min_words: int = 8
) -> list[QuoteSpan]:
    """Each source's first per_source statements of min_words or more (else its first sentence), in the order of
    sources.

    Under a headline, that is most often the standfirst and the lede: what the article is about.
    """
    first: dict[str, QuoteSpan] = {}
    opening: dict[str, dict[int, QuoteSpan]] = {}  # by start: passages overlap, so a sentence can be there twice
    for chunk in snapshot.chunks:  # a source's chunks are stored in order
        found = opening.setdefault(chunk.source, {})
        for start, end in chunk.sentences:
            span = QuoteSpan(chunk, start, end)
            first.setdefault(chunk.source, span)
            if (
                len(found) < per_source
                and is_statement(span.text, snapshot.opens_list_item(chunk.source, start))
                and len(span.text.split()) >= min_words
                and not is_caption(chunk, end)
                and not WEB_PAGE_CHROME.match(span.text)
            ):
                found.setdefault(start, span)
    return [
        span for source in sources if source in first for span in (list(opening[source].values()) or [first[source]])
    ]


@dataclass(frozen=True)
class Draft:
    text: str
    answerable: bool
    citations: list[Citation]


def title_span(snapshot: IndexSnapshot, source: str) -> QuoteSpan | None:
    """Where a document's title stands in it (its first occurrence), if a passage holds it."""
    title = snapshot.manifest["files"][source]["title"]
    for chunk in snapshot.chunks_of(source):
        position = chunk.text.find(title)
        if title and position >= 0:
            return QuoteSpan(chunk, chunk.start + position, chunk.start + position + len(title))
    return None


# A byline on a line of its own: "By Jane Doe and John Roe" or "Author: Jane Doe" near a document's top, "Written by
# Richard M. Stallman and David MacKenzie." anywhere (a manual page ends with it). Not "By this humble standard,
# Blinken succeeded.": after "By", only names.
BYLINE = re.compile(
    r"^[ \t]*(?P<line>(?P<by>By|BY|Written by)[ \t]+[A-Z][\w.’'-]*(?:,?[ \t]+(?:[A-Z][\w.’'-]*|and|&))*|"
    # "From:": an email's sender; "**Authors:** ...": a field in bold.
    r"(?P<field>\*\*|__)?(?:Authors?|AUTHORS?|author|authors|From):(?P=field)?[ \t]*[^\s][^\n]{0,100}?)[ \t]*$",
    re.M,
)
BYLINE_WITHIN = 2000  # characters from a document's start, for all but "Written by"


def byline_span(snapshot: IndexSnapshot, source: str) -> QuoteSpan | None:
    """The line that names a document's author ("By Jane Doe"), if it has one."""
    for chunk in snapshot.chunks_of(source):
        for found in BYLINE.finditer(chunk.text):
            if found.group("by") == "Written by" or chunk.start + found.start("line") <= BYLINE_WITHIN:
                return QuoteSpan(chunk, chunk.start + found.start("line"), chunk.start + found.end("line"))
    return None


def bylines(snapshot: IndexSnapshot, sources: list[str]) -> Draft | None:
    """Who wrote the documents, by their bylines, each followed by its document's title, all cited, after how many
    have one when not all do: "1 of the 2 documents has a byline: “By Jane Doe” [1] (in “Harbour news” [2])";
    None when none has one."""
    citations: list[Citation] = []
    entries = []
    for source in sources:
        byline = byline_span(snapshot, source)
        if byline is None:
            continue
        citations.append(Citation(len(citations) + 1, source, byline.start, byline.end, byline.text))
        entry = f"“{byline.text}” [{len(citations)}]"
        title = title_span(snapshot, source)
        if title is not None and title.start != byline.start:  # an email's first line, "From: ...", is both
            citations.append(Citation(len(citations) + 1, source, title.start, title.end, title.text))
            entry += " " + in_the_document(f"“{title.text}” [{len(citations)}]")
        entries.append(entry)
    if not entries:
        return None
    found = len(entries)
    lead = (
        ""
        if found == len(sources)
        else f"{found} of the {len(sources)} documents {'has' if found == 1 else 'have'} a byline: "
    )
    return Draft(lead + "; ".join(entries), True, citations)


def no_byline(snapshot: IndexSnapshot, sources: list[str]) -> str:
    if len(sources) == 1:
        title = snapshot.manifest["files"][sources[0]]["title"]
        named = sources[0] if title == sources[0] else f"“{title}” ({sources[0]})"
        missing = f"{named} has no byline (“By ...”), so it does not say who wrote it."
    else:
        missing = "No document has a byline (“By ...”), so they do not say who wrote them."
    return f"{missing} {CLOSEST_SHOWN}"


def document_list(snapshot: IndexSnapshot, sources: list[str], lead: str | None = None, most: int = 10) -> Draft:
    """The documents by title, each title cited where it stands (a document whose title no passage holds is named
    by its file): "There are 5 documents: “The Slow, Bumpy Road of U.S.-China Diplomacy” [2] (001_….txt) ..."."""
    citations: list[Citation] = []
    entries = []
    for source in sources[:most]:
        span = title_span(snapshot, source)
        if span is None:
            entries.append(source)
            continue
        citations.append(Citation(len(citations) + 1, source, span.start, span.end, span.text))
        entries.append(f"“{span.text}” [{len(citations)}] ({source})")
    count = len(sources)
    lead = lead or (f"There are {count} documents:" if count > 1 else "There is 1 document:")
    more = f"; and {count - most} more" if count > most else ""
    return Draft(f"{lead} {'; '.join(entries)}{more}.", bool(citations), citations)


def quote_draft(spans: list[QuoteSpan], said_of_first: tuple[Callable[[str], str], QuoteSpan] | None = None) -> Draft:
    """An answer made of these spans, quoted in order, each with its marker; with something said of the first one
    after it, quoted and cited too (said_of_first: the wording and the span): "“Beijing’s unwillingness ...” [1]
    (in the remarks of “Stephenson” [2]) ..."."""
    cited = [spans[0], said_of_first[1], *spans[1:]] if said_of_first and spans else spans
    citations = [Citation(number, s.chunk.source, s.start, s.end, s.text) for number, s in enumerate(cited, 1)]
    quoted = [f"“{citation.quote}” [{citation.id}]" for citation in citations]
    if said_of_first and spans:
        quoted[:2] = [f"{quoted[0]} {said_of_first[0](quoted[1])}"]
    return Draft(" ".join(quoted), True, citations)


def continuation(snapshot: IndexSnapshot, quote: str, sentences: int = 3) -> Draft | None:
    """The statements after an earlier quote ("Tell me more"), headings skipped; None when the quote cannot be found
    or nothing follows it."""
    quoted = snapshot.sentences_quoting(quote)
    if not quoted:
        return None
    last = max(quoted, key=lambda index: snapshot.sentence_starts[index])
    later = np.flatnonzero(
        (snapshot.sentence_source_codes == snapshot.sentence_source_codes[last])
        & (snapshot.sentence_starts >= snapshot.sentences[last].end)
        & snapshot.sentence_is_statement
    )
    spans: dict[int, QuoteSpan] = {}  # by start: passages overlap, so a sentence can be there twice
    for index in later[np.argsort(snapshot.sentence_starts[later], kind="stable")]:
        spans.setdefault(int(snapshot.sentence_starts[index]), sentence_span(snapshot, index))
        if len(spans) == sentences:
            break
    return quote_draft(join_neighbours(list(spans.values()), across_paragraphs=True)) if spans else None


class Answerer(Protocol):
    """The swappable last step: turns a retrieval into an answer text with checked citations."""

    def answer(self, question: str, retrieval: Retrieval) -> Draft: ...


def unmentioned_names(question: str, snapshot: IndexSnapshot) -> list[str]:
    """Names the question asks about that the documents never mention: "How did Australia react ...?"; and
    command-line options or identifiers none of them names: "What does ls --encrypt do?", "What fixed CVE-2099-1?"."""
    asked = without_the_askers_circumstances(question.strip())  # "when I travel to Manchester": not asked about
    names = (name for name in NAME.findall(asked) if name.lower() not in STOPWORDS)
    unnamed_options = (option for option in options_in(question) if not snapshot.bm25.document_frequency(option))
    unnamed_identifiers = (name for name in identifiers_in(question) if not snapshot.sentences_naming(name))
    return list(
        dict.fromkeys(
            [*(name for name in names if not snapshot.mentions(name)), *unnamed_options, *unnamed_identifiers]
        )
    )


def option_entries(snapshot: IndexSnapshot, option: str, within: str | None = None) -> list[int]:
    """The sentences that open an entry of a list of options (a man page, a `--help`) naming `option` before its
    description: "-t     sort by time, newest first" for "-t"."""
    entries = []
    for index in snapshot.sentence_bm25.rows_with(option):
        sentence = snapshot.sentences[index]
        source = snapshot.chunks[sentence.chunk_row].source
        term = OPTION_TERM.match(snapshot.sentence_text(index))
        if (
            (within is None or source == within)
            and term is not None
            and option in options_in(term.group())
            and snapshot.opens_list_item(source, sentence.start)
        ):
            entries.append(int(index))
    return entries


# Words a question asks with, not what it asks about: "What did she tell Congress?" is answered by "told"; "What
# else did Wang Yi say?" by anything Wang Yi said.
QUESTION_FRAME_WORDS = frozenset(
    """tell told ask asked talk talked mention mentioned explain explained describe described think thought else
    anything something more please quote quoted quotes cite cited find found conclude concluded still actually exactly
    really currently""".split()
    # "In which piece is Bates Gill quoted?": the documents are asked about, not what they say.
    + "article articles document documents piece pieces text texts".split()
)
# The verbs a price question asks with (question_types.ASKS_A_PRICE).
PRICE_VERBS = frozenset("cost costs spend spent pay pays paid charge charged owe owes owed".split())
CAPITALISED = re.compile(r"(?<!^)\b[A-Z]\w*")
# An abbreviation ("PhD", "NATO", "CEOs"): the documents may spell out what it stands for, unlike a name.
ABBREVIATION = re.compile(r"[A-Z][a-z]?[A-Z][A-Za-z]?|[A-Z]{2,}s?")


def unmentioned_topic(question: str, snapshot: IndexSnapshot) -> list[str]:
    """The words of what the question asks about, besides its names, when the documents mention none of them:
    "What is the weather in Beijing?" -> ["weather"]. One known word is enough to look further."""
    if any(snapshot.bm25.document_frequency(option) for option in options_in(question)):
        return []  # "What does the -q flag do?": the option the documents name is what it asks about
    names = {name.lower() for name in CAPITALISED.findall(question.strip())}
    asked_about = ASKS_A_TIME.sub("", question)  # "What time is the Sky Lagoon?" asks when, "18:00", not of "time"
    # "How much do we owe?" asks a price: "The balance of 420 euros is due" answers it without the word "owe".
    asking = PRICE_VERBS if asks_for_a_price(question) else frozenset()
    words = [
        word
        for word in expansion_words(asked_about)
        if word not in names and word not in QUESTION_FRAME_WORDS and word not in asking
    ]
    return words if words and not any(snapshot.mentions(word) for word in words) else []


def not_found(unmentioned: list[str]) -> str:
    if not unmentioned:
        return NOT_FOUND
    quoted = [f"“{name}”" for name in unmentioned]
    names = " or ".join([", ".join(quoted[:-1]), quoted[-1]] if len(quoted) > 1 else quoted)
    return f"The documents never mention {names}, so they do not answer this question. {CLOSEST_SHOWN}"


def not_spoken_of(speaker: str, topic: str) -> str:
    return (
        f"{speaker} says nothing about “{topic}” in the documents, so they do not answer this question. {CLOSEST_SHOWN}"
    )


def never_named_together(someone: str, topic: str) -> str:
    return (
        f"The documents never speak of “{topic}” near a mention of {someone}, so they do not answer this question. "
        f"{CLOSEST_SHOWN}"
    )


def words_of_topic(topic: str | None) -> set[str]:
    """The stemmed words of a topic asked about, a possessive's "’s" left out: "Xi’s agenda" -> xi, agenda."""
    return {stem(word) for word in content_words(POSSESSIVE.sub("", topic))} if topic else set()


def words_named_in(sentence: str) -> set[str]:
    """The stemmed words of a sentence, as words_of_topic has them: "Greitens examines Xi’s ... agenda" names Xi."""
    return set(tokenize(POSSESSIVE.sub("", sentence)))


def label_span(snapshot: IndexSnapshot, span: QuoteSpan) -> QuoteSpan | None:
    """The name in the label of the speaker's turn a span starts in ("Stephenson"), unless the span starts with it:
    a quote from the middle of an interview's answer does not say who speaks."""
    index = snapshot.sentence_at(span.chunk.source, span.start)
    opening = None if index is None else snapshot.turn_opening(index)
    if opening is None or snapshot.sentences[opening].start == span.start:
        return None
    turn = sentence_span(snapshot, opening)
    return QuoteSpan(turn.chunk, turn.start, turn.start + name_end(turn.text))


def fits(pattern: re.Pattern[str], text: str) -> bool:
    return bool(pattern.search(text))


# A field's line: a one-word label, a colon, its value ("Guest: Owen Trask, founder of Hollow Oak Cider").
FIELD_LINE = re.compile(r"[A-Z][a-z]+:[ \t]+\S")


# The headings of a section that says how to do something: "## Method", "Instructions", "Step by step".
PROCEDURE_HEADING = re.compile(
    r"(?:the\s+)?(?:method|instructions|directions|steps|step by step|procedure|how to|how it is done)", re.I
)


# Questions of a kind, each with the kind of sentence that answers it best, in the order they are put first.
ANSWERED_BY = (
    (ASKS_HOW_THEY_REACTED, SAYS_HOW_THEY_REACTED),
    (ASKS_WHAT_SHOULD_BE_DONE, SAYS_WHAT_SHOULD_BE_DONE),
    (ASKS_WHAT_WAS_DECIDED, SAYS_WHAT_WAS_DECIDED),
)


def names_another_version(asked: set[str], sentence: str) -> bool:
    """Whether the sentence names versions and none of those asked about: "3.10.0b1" for {"3.15.0b1"}."""
    named = versions_in(sentence)
    return bool(asked and named) and not asked & named


class QuoteAnswerer:
    """Quotes the best-scoring sentences of the best passages; abstains when none is close enough."""

    def __init__(
        self,
        abstain_below: float,
        max_quotes: int = 3,
        passages_considered: int = 5,
        extra_quote_margin: float = 0.12,
        max_quote_chars: int = 600,
        close_margin: float = 0.35,
        run_on_margin: float = 0.4,
        across_margin: float = 0.5,
        unknown_topic_below: float = 0.5,
        heading_margin: float = 0.15,
        named_margin: float = 0.6,
        focus_weight: float = 1.0,
        kind_margin: float = 0.5,
        tie_margin: float = 0.02,
    ) -> None:
        self.abstain_below = abstain_below
        self.max_quotes = max_quotes
        self.passages_considered = passages_considered
        self.extra_quote_margin = extra_quote_margin
        self.max_quote_chars = max_quote_chars
        self.close_margin = close_margin  # how far below the best a sentence that fits the question may be put first
        self.run_on_margin = run_on_margin
        self.across_margin = across_margin  # how far below the best another document's best may be quoted
        # A question whose topic words the documents never use is declined only when no sentence is this close.
        self.unknown_topic_below = unknown_topic_below
        # How much closer than every statement a heading must be for its section to answer.
        self.heading_margin = heading_margin
        # How far below the best a sentence giving the name a "What did X call Y?" question asks for may be put
        # first: such a sentence shares little else with the question ("What did Biden call Xi Jinping?": 0.42).
        self.named_margin = named_margin
        # How much the closeness of a sentence to the question without its names counts, beside its own score, in
        # choosing the first quote of the best passage.
        self.focus_weight = focus_weight
        # How far below the best a sentence giving the kind of figure asked may be put first, when the best gives a
        # figure of another kind ("How heavy is it?" over "... for homes up to 150 square metres").
        self.kind_margin = kind_margin
        # How much less close in meaning than the best a sentence may be and still count as close as it: MiniLM's
        # cosines differ by that much for sentences alike ("How many cars use the bridge?": 0.459 and 0.455).
        self.tie_margin = tie_margin

    def candidate_sentences(self, retrieval: Retrieval, passages: int | None = None) -> list[int]:
        """Sentences of the top passages, best first, each once (neighbouring passages overlap)."""
        snapshot = retrieval.snapshot
        rows = {scored.row for scored in retrieval.chunks[: passages or self.passages_considered]}
        members = np.flatnonzero(np.isin(snapshot.sentence_chunk_rows, list(rows)))
        seen: set[tuple[str, int]] = set()
        ranked = []
        # Statements first: a headline or a rhetorical question is quoted only when nothing else is there.
        order = np.lexsort((-retrieval.sentence_scores[members], ~snapshot.sentence_is_statement[members]))
        for index in members[order]:
            sentence = snapshot.sentences[index]
            key = (snapshot.chunks[sentence.chunk_row].source, sentence.start)
            if key not in seen:
                seen.add(key)
                ranked.append(int(index))
        return ranked

    def best_of_the_best_passage_first(self, ranked: list[int], retrieval: Retrieval) -> list[int]:
        """The first quote comes from the best passage: of its statements, the one closest to the question by its
        own meaning and words (its passage's scores are the same for all of them), and to what the question asks of
        the names it holds: "Who put together the exhibition at the Morrow Gallery?" is answered by "The curator,
        Dr Tomasz Wierzbicki, spent almost four years assembling the loans.", not by the paragraph's opening sentence
        naming the gallery and the exhibition."""
        own = retrieval.sentence_own_scores
        if own is None or not retrieval.chunks:
            return ranked
        top_row = retrieval.chunks[0].row
        snapshot = retrieval.snapshot
        in_top = [
            index
            for index in ranked
            if snapshot.sentences[index].chunk_row == top_row and snapshot.sentence_is_statement[index]
        ]
        if not in_top:
            return ranked
        scores = own[in_top]
        if retrieval.focus is not None:
            scores = scores + self.focus_weight * (snapshot.sentence_vectors[in_top] @ retrieval.focus)
        best = in_top[int(np.argmax(scores))]
        return [best, *(index for index in ranked if index != best)]

    def section_under_best_heading(self, retrieval: Retrieval, ranked: list[int]) -> QuoteSpan | None:
        """When a heading is closer to the question in meaning than every statement, by heading_margin ("How do I
        request leave?" and "Requesting leave"), the statements under it; else None."""
        snapshot, similarity = retrieval.snapshot, retrieval.sentence_similarity
        statements = [index for index in ranked if snapshot.sentence_is_statement[index]]
        headings = [index for index in ranked if snapshot.sentence_is_heading[index]]
        if not headings or not statements:
            return None
        # By meaning alone: a heading is a few words, so its BM25 and passage scores say little about it.
        best = max(headings, key=lambda index: similarity[index])
        closest_statement = max(similarity[index] for index in statements)
        if similarity[best] < max(self.abstain_below, closest_statement + self.heading_margin):
            return None
        return section_under(snapshot, sentence_span(snapshot, best), self.max_quote_chars)

    def section_under_heading_naming(self, question: str, retrieval: Retrieval) -> QuoteSpan | None:
        """For "What does X do?" or "What is X?", where a Markdown heading is X by name ("## `pyenv local`",
        "## path.join([...paths])"), the first prose under it and the statements right after: a reference says
        there what X is or does. Of several such headings, the outermost, then the best scoring; None when no
        heading names X."""
        thing = thing_asked_about(question)
        if thing is None:
            return None
        snapshot = retrieval.snapshot
        named = [
            (level, -retrieval.sentence_scores[index], source, start)
            for source, (start, level, text) in snapshot.markdown_headings(retrieval.within)
            if plain_name(text) == thing and (index := snapshot.sentence_at(source, start)) is not None
        ]
        if not named:
            return None
        _, _, source, start = min(named)
        first = first_prose_under(snapshot, source, start)
        if first is not None and first.text.startswith("|"):  # "## Options" over a table: the table
            heading = snapshot.sentence_at(source, start)
            if heading is None:
                return None
            return section_under(snapshot, sentence_span(snapshot, heading), self.max_quote_chars)
        return None if first is None else running_on(snapshot, first, self.max_quote_chars)

    def release_notes_asked(self, question: str, retrieval: Retrieval) -> list[QuoteSpan] | None:
        """For "What changed in 3.0.2?", the notes under the Markdown heading naming that release ("## [3.0.2] -
        2024-02-29"), one quote for each of its parts ("### Added", "### Fixed"), those the question names first
        ("What was fixed ...?"); in the best ranked document holding such a heading. None if no heading names it."""
        snapshot, asked = retrieval.snapshot, versions_in(question)
        if not asked:
            return None
        naming = [
            (source, heading)
            for source, heading in snapshot.markdown_headings(retrieval.within)
            if asked & versions_in(heading[2])
        ]
        if not naming:
            return None
        ranked_sources = list(dict.fromkeys(scored.chunk.source for scored in retrieval.chunks))

        def rank(named: tuple[str, Heading]) -> int:
            return ranked_sources.index(named[0]) if named[0] in ranked_sources else len(ranked_sources)

        source, (start, level, _) = min(naming, key=rank)
        if not asks_for_release_notes(question, frozenset(words_of_file_names([source]))):  # "loomcsv 3.1.0"
            return None
        following = [heading for _, heading in snapshot.markdown_headings(source) if heading[0] > start]
        end = next((later for later, later_level, _ in following if later_level <= level), None)
        parts = [(start, "")] + [(at, text) for at, _, text in following if end is None or at < end]
        named = words_of_topic(question)
        parts.sort(key=lambda part: not words_of_topic(part[1]) & named)  # "What was fixed ...?": "### Fixed"
        spans = []
        for at, _ in parts:
            index = snapshot.sentence_at(source, at)
            section = (
                None if index is None else section_under(snapshot, sentence_span(snapshot, index), self.max_quote_chars)
            )
            if section is not None and (end is None or section.start < end):
                spans.append(section)
        return distinct(spans)[: self.max_quotes] or None

    def section_the_question_names(self, question: str, retrieval: Retrieval) -> QuoteSpan | None:
        """For "What options does logsift have?", the statements under a Markdown heading of the best passage's
        document that the question names and asks for whole ("## Options"); not the document's title."""
        if not retrieval.chunks:
            return None
        snapshot, source = retrieval.snapshot, retrieval.chunks[0].chunk.source
        title = str(snapshot.manifest["files"].get(source, {}).get("title") or "")
        its_name = frozenset(words_of_file_names([source]) | set(content_words(title)))
        for _, (start, _, text) in snapshot.markdown_headings(source):
            index = snapshot.sentence_at(source, start)
            if text != title and index is not None and asks_for_the_section(question, text, its_name):
                return section_under(snapshot, sentence_span(snapshot, index), self.max_quote_chars)
        return None

    def section_under_heading_of_the_doing(
        self, question: str, retrieval: Retrieval, ranked: list[int]
    ) -> QuoteSpan | None:
        """For "How do I install logsift?", the statements under the best ranked heading of the passages retrieved
        that names the doing ("## Installation"), or of the best passage's document that names a way of doing
        things ("## Method" for "How do I make the chowder?"): however little the heading's one word shares with
        the question in meaning, the section is the answer."""
        verb = doing_asked(question)
        if verb is None or not retrieval.chunks:
            return None
        snapshot = retrieval.snapshot
        best_source = retrieval.chunks[0].chunk.source
        headings = [
            index
            for index in ranked
            if snapshot.sentence_is_heading[index]
            and (
                names_the_doing(verb, text := snapshot.sentence_text(index))
                or (
                    PROCEDURE_HEADING.fullmatch(text.strip(" #"))
                    and snapshot.chunks[snapshot.sentences[index].chunk_row].source == best_source
                )
            )
        ]
        if not headings:
            return None
        best = max(headings, key=lambda index: retrieval.sentence_scores[index])
        return section_under(snapshot, sentence_span(snapshot, best), self.max_quote_chars)

    def first_that(
        self,
        fits: Callable[[str], bool],
        ranked: list[int],
        retrieval: Retrieval,
        among: list[int] | None = None,
        margin: float | None = None,
    ) -> list[int] | None:
        """The ranking with the best close sentence that fits put first; None when no close sentence fits. Close:
        within close_margin (or `margin`) of the best, one of the first sentences of the ranking (or of `among`, best
        first)."""
        close_enough = retrieval.sentence_scores[ranked[0]] - (self.close_margin if margin is None else margin)
        chosen = next(
            (
                index
                for index in (ranked[: self.passages_considered] if among is None else among)
                if retrieval.sentence_scores[index] >= close_enough and fits(retrieval.snapshot.sentence_text(index))
            ),
            None,
        )
        return None if chosen is None else [chosen, *(index for index in ranked if index != chosen)]

    def says_when_first(self, question: str, ranked: list[int], retrieval: Retrieval) -> list[int]:
        """For a "When ...?" question, the best of the close sentences that holds a date goes first; else the best
        that holds a time of day or a weekday ("| 4 | Thu 12 Feb | Glacier hike ..., 10:00 ...")."""
        if not ASKS_WHEN.search(question):
            return ranked
        return (
            self.first_that(lambda text: bool(SAYS_WHEN.search(text)), ranked, retrieval)
            or self.first_that(lambda text: bool(SAYS_WHEN_IN_THE_WEEK.search(text)), ranked, retrieval)
            or ranked
        )

    def gives_what_it_asks_first(self, question: str, ranked: list[int], retrieval: Retrieval) -> list[int] | None:
        """For a date or quantity question, the best of the close sentences that gives the kind of figure it asks for
        goes first ("How long is the boat trip?": "... the crossing takes about 90 minutes", not "The ferry leaves
        from Dunvarra" nor "The island is 14 kilometres long"). When the first gives no figure at all, only one at
        least as close in meaning (within tie_margin) may: a lower one's figure is more likely about something else,
        and the question is declined; when it gives a figure of another kind, one within kind_margin of it may. None
        when none does."""
        candidates = ranked[: self.passages_considered]
        margin = None
        if not fits_question_type(question, retrieval.snapshot.sentence_text(ranked[0])):
            similarity = retrieval.sentence_similarity
            candidates = [index for index in candidates if similarity[index] >= similarity[ranked[0]] - self.tie_margin]
        elif not gives_what_it_asks(question, retrieval.snapshot.sentence_text(ranked[0])):
            margin = self.kind_margin  # "150 square metres" gives no weight: "| Weight | 2.4 kg |" may be further
        return self.first_that(functools.partial(gives_what_it_asks, question), ranked, retrieval, candidates, margin)

    def says_what_its_kind_asks_first(self, question: str, ranked: list[int], retrieval: Retrieval) -> list[int]:
        """For a question of a kind in ANSWERED_BY (by its own words, not those a follow-up borrowed), the best of
        the close sentences of the kind that answers it goes first: "How did China react?", one that tells a reaction
        ("A PRC government spokesperson immediately responded that ..."); "What approach does the author want
        Washington to take?", one that says what should be done ("Washington should be looking for ways to ...")."""
        own_words = BORROWED_KEY_WORDS.sub("", question)
        for asks, says in ANSWERED_BY:
            if asks.search(own_words):
                ranked = self.first_that(functools.partial(fits, says), ranked, retrieval) or ranked
        return ranked

    def announces_the_list_asked_first(self, question: str, ranked: list[int], retrieval: Retrieval) -> list[int]:
        """For "Which batch numbers are affected?", the best of the close sentences that announces a list of what is
        asked with a colon ("Only kettles with the following batch codes are affected:") goes first: the list after
        it is the answer, and is quoted with it."""
        asks = ASKS_WHICH_ONES.match(BORROWED_KEY_WORDS.sub("", question))
        if asks is None:
            return ranked
        asked = set(tokenize(asks["things"]))

        def announces_them(text: str) -> bool:
            return text.rstrip().endswith(":") and bool(asked & words_named_in(text))

        return self.first_that(announces_them, ranked, retrieval) or ranked

    def says_what_they_called_it_first(self, question: str, ranked: list[int], retrieval: Retrieval) -> list[int]:
        """For "What did Biden call Xi?", the best sentence within named_margin of the best that gives Xi a name in
        quotes goes first ("... referring to Xi as a “dictator” ..."), from any passage retrieved: such a sentence
        answers it however little else of the question it shares, so its passage may rank far down."""
        thing = what_they_called(BORROWED_KEY_WORDS.sub("", question))
        if thing is None:
            return ranked
        says = says_what_it_was_called(thing)
        scores = retrieval.sentence_scores
        retrieved = np.flatnonzero(
            np.isin(retrieval.snapshot.sentence_chunk_rows, [scored.row for scored in retrieval.chunks])
        )
        among = retrieved[np.argsort(-scores[retrieved], kind="stable")].tolist()
        return self.first_that(functools.partial(fits, says), ranked, retrieval, among, self.named_margin) or ranked

    def says_where_first(self, question: str, ranked: list[int], retrieval: Retrieval) -> list[int]:
        """For a "Where ...?" question, the best of the close sentences that names a place the question does not
        ("... a meeting between Biden and Xi in San Francisco") or says where something lies ("lying 40 kilometres
        off the west coast") goes first."""
        if not ASKS_WHERE.search(question):
            return ranked
        asked = set(content_words(question))

        def says_where(text: str) -> bool:
            return any(set(content_words(place)) - asked for place in places_in(text)) or bool(
                SAYS_WHERE_IT_LIES.search(text)
            )

        return self.first_that(says_where, ranked, retrieval) or ranked

    def titles_them_first(self, question: str, ranked: list[int], retrieval: Retrieval) -> list[int]:
        """For "Who is Wang Yi?", the best of the close sentences that gives their title goes first: "... former
        Foreign Minister Wang Yi." says who he is, "Wang Yi reportedly told Blinken ..." only names him."""
        name = person_asked_about(question)
        if name is None:
            return ranked
        close = self.first_that(lambda text: titles(name, text), ranked, retrieval)
        if close is not None:
            return close
        # Else a field's line of the passages that titles them, however it scores: a transcript's header "Guest:
        # Owen Trask, founder of Hollow Oak Cider" (no statement), not "PETTS: Owen Trask, thank you very much."
        text = retrieval.snapshot.sentence_text
        fields = [index for index in ranked if FIELD_LINE.match(text(index)) and titles(name, text(index))]
        return self.first_that(lambda _: True, ranked, retrieval, fields, margin=float("inf")) or ranked

    def names_the_topic_first(self, question: str, ranked: list[int], retrieval: Retrieval) -> list[int]:
        """For "What did Wang Yi tell Blinken about trade?", the best of the close sentences that names the topic
        goes first: "Wang Yi reportedly told Blinken, “On the Taiwan question, ...”" is about something else."""
        topic = words_of_topic(topic_asked_about(question))
        if not topic:
            return ranked
        return self.first_that(lambda text: topic <= words_named_in(text), ranked, retrieval) or ranked

    def their_words_first(self, question: str, ranked: list[int], retrieval: Retrieval) -> list[int]:
        """For "What did Singapore's foreign minister say about ...?", the close sentence in which they speak, named
        by every word the question calls them, goes first ("As Singapore Foreign Minister Vivian Balakrishnan
        explained, “...”"), not a sentence closer in meaning that names no one speaking."""
        who = speaker_described(question)
        called = words_named_in(who) if who else set()
        if not called:
            return ranked

        def quotes_them(text: str) -> bool:
            return called <= words_named_in(text) and bool(SPOKEN.search(text))

        return self.first_that(quotes_them, ranked, retrieval) or ranked

    def names_most_of_it_first(self, question: str, ranked: list[int], retrieval: Retrieval) -> list[int]:
        """For a yes-or-no question ("Did Blinken's visit produce any major breakthroughs?"), the close sentence of
        the best one's document that names most of its words besides names goes first ("... a lack of major
        breakthroughs on these topics was anticipated"): the answer speaks of what is asked. Only when it names more
        of them than the best sentence, and at least half."""
        own_words = BORROWED_KEY_WORDS.sub("", question)
        if not ASKS_YES_OR_NO.search(own_words):
            return ranked
        not_asked = {name.lower() for name in CAPITALISED.findall(own_words.strip())} | QUESTION_FRAME_WORDS
        asked = words_named_in(own_words) - {stem(word) for word in not_asked}
        if not asked:
            return ranked
        snapshot = retrieval.snapshot
        close_enough = retrieval.sentence_scores[ranked[0]] - self.close_margin
        source = snapshot.sentence_source_codes[ranked[0]]
        close = [
            index
            for index in ranked[: self.passages_considered]
            if retrieval.sentence_scores[index] >= close_enough and snapshot.sentence_source_codes[index] == source
        ]
        named = {index: len(asked & words_named_in(snapshot.sentence_text(index))) for index in close}
        best = max(close, key=lambda index: named[index])  # the first of the most
        if named[best] <= named[ranked[0]] or 2 * named[best] < len(asked):
            return ranked
        return [best, *(index for index in ranked if index != best)]

    def their_words(self, speaker: str, question: str, retrieval: Retrieval) -> list[int]:
        """The statements of a speaker's turns (an interview's "McFarland: ..."), however far they are from the best
        passages: those naming most words of the topic asked about first ("... view on Taiwan?"), then the best
        scoring. None when the question asks "about" a topic and not one of them names a word of it."""
        snapshot = retrieval.snapshot
        spoken = [index for index in snapshot.sentences_spoken_by(speaker) if snapshot.sentence_is_statement[index]]

        def words_named(topic: set[str], index: int) -> int:
            return len(topic & words_named_in(snapshot.sentence_text(index)))

        about = words_of_topic(topic_asked_about(question))
        if about and not any(words_named(about, index) for index in spoken):
            return []
        topic = words_of_topic(topic_asked_about(question, on_too=True))
        return sorted(
            spoken, key=lambda index: (words_named(topic, index), retrieval.sentence_scores[index]), reverse=True
        )

    def names_the_version_first(self, asked: set[str], ranked: list[int], retrieval: Retrieval) -> list[int]:
        """For a question naming versions (asked: "Which release added CPython 3.15.0b1?"), the best of the close
        sentences that names them too goes first: "Support for CPython 3.10.0b1 has been added." is about another."""
        if not asked:
            return ranked
        return self.first_that(lambda text: asked <= versions_in(text), ranked, retrieval) or ranked

    def says_it_happened_first(self, question: str, ranked: list[int], retrieval: Retrieval) -> list[int] | None:
        """For a question about something that happened ("Did Biden and Xi meet in San Francisco?"), the best of
        the close sentences that does not speak of it as still to come goes first; None when all of them do: the
        documents were written before it ("a potential meeting ... in San Francisco"). Not for a question about
        something to come itself ("What did Raimondo plan to do?")."""
        if not ASKS_WHAT_HAPPENED.search(question) or ASKS_WHAT_WAS_TO_COME_OR_SAID.search(question):
            return ranked
        return self.first_that(lambda text: not SAYS_NOT_YET.search(text), ranked, retrieval)

    def option_entry_asked(self, question: str, retrieval: Retrieval) -> QuoteSpan | None:
        """For a question naming a command-line option ("What does ls -t do?"), the option's own entry, as much of
        its paragraph as fits in max_quote_chars; of several (ls -t, tar -t), the one in a document the question names
        ("ls.1.txt"), then the best scoring. None when no list of options names it, or when the question asks when.
        Only the question's own words name the option: the key words a follow-up borrowed say what it is about."""
        if ASKS_WHEN.search(question) or ASKS_DATE.search(question):
            return None
        snapshot = retrieval.snapshot
        own_words = BORROWED_KEY_WORDS.sub("", question)  # "How do I hash the file it edits? (ssh-keygen -R)"
        entries = [
            index for option in options_in(own_words) for index in option_entries(snapshot, option, retrieval.within)
        ]
        if not entries:
            return None
        asked = set(content_words(question))

        def named_and_score(index: int) -> tuple[bool, float]:
            source = snapshot.chunks[snapshot.sentences[index].chunk_row].source
            return bool(asked & words_of_file_names([source])), float(retrieval.sentence_scores[index])

        # To the end of its paragraph: the next one is another option's entry.
        best = sentence_span(snapshot, max(entries, key=named_and_score))
        return running_on(snapshot, best, self.max_quote_chars, across_paragraphs=False)

    def sentence_naming_identifiers(self, question: str, retrieval: Retrieval) -> QuoteSpan | None:
        """For a question naming identifiers ("Which tar version fixed CVE-2018-20482?"), the best scoring sentence
        that names them all, however far it is in meaning: an identifier names one thing. It comes with the rest of
        its paragraph, up to the next list item; a line that is no statement ("* Fix CVE-2018-20482"), with the
        statements under it. None when the question names no identifier, or no sentence names them all. Only the
        question's own words count, not the key words a follow-up borrowed."""
        identifiers = identifiers_in(BORROWED_KEY_WORDS.sub("", question))
        if not identifiers:
            return None
        snapshot = retrieval.snapshot
        naming = set.intersection(
            *(set(snapshot.sentences_naming(identifier, retrieval.within)) for identifier in identifiers)
        )
        if not naming:
            return None
        best = max(naming, key=lambda index: retrieval.sentence_scores[index])
        span = sentence_span(snapshot, best)
        # A statement to the end of its paragraph ("gh-79871: Add docstrings to debugger.py.  Fix two bugs in ...").
        across = not snapshot.sentence_is_statement[best]
        return running_on(snapshot, span, self.max_quote_chars, across_paragraphs=across, items=False)

    def first_quote(self, retrieval: Retrieval, ranked: list[int]) -> QuoteSpan:
        """The best sentence, with its neighbour when that neighbour is among the three best too, and with the
        sentence after it: a sentence that names the topic is most often followed by the substance.

        Past a paragraph break (in news writing a paragraph is often one sentence) only a lone sentence runs on,
        and only into a sentence that scores close to it: two sentences are a thought already, and the next
        paragraph is most often another one ("Alas, there is abundant reason to be skeptical."). A sentence that
        ends with a colon always runs on, into a command or a code block too: it announces what follows. Nothing is
        joined past max_quote_chars.
        """
        snapshot, scores = retrieval.snapshot, retrieval.sentence_scores
        best = sentence_span(snapshot, ranked[0])
        wrapped = snapshot.goes_on_from_the_line_above
        first = join_neighbours([best, *(sentence_span(snapshot, index) for index in ranked[1:3])], wrapped=wrapped)[0]
        if len(first.text) > self.max_quote_chars:  # pieces of a run-on text (a transcript): the best one alone
            first = best
        # "The three references:" is followed by them, in a list most often; "... can be run via:" by a command.
        announces = first.text.endswith(":")
        after = following_sentence(snapshot, first, any_kind=announces)
        if after is None or after.end - first.start > self.max_quote_chars:
            return first
        alone = (first.start, first.end) == (best.start, best.end)
        after_score = max(scores[snapshot.sentences_quoting(after.text)], default=-np.inf)
        close = after_score >= scores[ranked[0]] - self.run_on_margin
        return join_neighbours([first, after], across_paragraphs=announces or (alone and close), wrapped=wrapped)[0]

    def answer_below_a_faq_question(self, retrieval: Retrieval, ranked: list[int]) -> QuoteSpan:
        """The first quote; but when the sentence closest in meaning, or the first quote, is a FAQ's question ("Q:
        I have installed xz, but my tar doesn't recognize .tar.xz files."), the answer below it: the question is the
        closest to what was asked, and answers nothing."""
        snapshot = retrieval.snapshot
        first = self.first_quote(retrieval, ranked)
        closest = sentence_span(snapshot, max(ranked, key=lambda index: retrieval.sentence_similarity[index]))
        return (
            the_answer_below(snapshot, closest, self.max_quote_chars)
            or the_answer_below(snapshot, first, self.max_quote_chars)
            or first
        )

    def overview(self, retrieval: Retrieval) -> Draft:
        """What the documents are about: the opening statements of the most relevant ones, one quote each; of the
        one document the question points at, its first statements."""
        snapshot = retrieval.snapshot
        if retrieval.within is not None:
            opening = opening_statements(snapshot, [retrieval.within], self.max_quotes)
            return quote_draft(join_neighbours(opening, wrapped=snapshot.goes_on_from_the_line_above))
        relevant = [scored.chunk.source for scored in retrieval.chunks]
        sources = list(dict.fromkeys([*relevant, *sorted(chunk.source for chunk in snapshot.chunks)]))
        return quote_draft(opening_statements(snapshot, sources[: self.max_quotes]))

    def across_documents(self, retrieval: Retrieval) -> Draft:
        """A quote from each document that speaks of it ("What do the articles say about Taiwan?"): each one's best
        statement among all the passages retrieved, best first, if it scores within across_margin of the best."""
        snapshot, scores = retrieval.snapshot, retrieval.sentence_scores
        best_of: dict[str, int] = {}
        for index in self.candidate_sentences(retrieval, passages=len(retrieval.chunks)):
            if snapshot.sentence_is_statement[index]:
                best_of.setdefault(snapshot.chunks[snapshot.sentences[index].chunk_row].source, index)
        ranked = sorted(best_of.values(), key=lambda index: -scores[index])
        close = [index for index in ranked if scores[index] >= scores[ranked[0]] - self.across_margin]
        return quote_draft([sentence_span(snapshot, index) for index in close[: self.max_quotes]])

    def answer(self, question: str, retrieval: Retrieval) -> Draft:
        if not asks_who_wrote(question, retrieval.within is not None) or not retrieval.snapshot.chunks:
            return self.quote_answer(question, retrieval)
        # "Who wrote the LA Times piece?": its byline; else what the passages say ("USIP’s Rosie Levine, Alison
        # McFarland, ... discuss ..."); else that it has no byline (not that the documents never mention "wrote").
        snapshot = retrieval.snapshot
        sources = [retrieval.within] if retrieval.within else sorted(snapshot.manifest["files"])
        by_line = bylines(snapshot, sources)
        if by_line is not None:
            return by_line
        quoted = self.quote_answer(question, retrieval)
        return quoted if quoted.answerable else Draft(no_byline(snapshot, sources), False, [])

    def quote_answer(self, question: str, retrieval: Retrieval) -> Draft:
        snapshot = retrieval.snapshot
        # "Summarize the LA Times piece": the words that point at the document are not what is asked about.
        asked = without_references(question, snapshot, retrieval.within) if retrieval.within else question
        if asks_about_the_collection(asked) and snapshot.chunks:
            if retrieval.within:
                return document_list(snapshot, [retrieval.within], lead="Its title:")
            return document_list(snapshot, sorted(snapshot.manifest["files"]))
        if asks_for_overview(asked) and snapshot.chunks:
            return self.overview(retrieval)
        ranked = self.candidate_sentences(retrieval)
        # "What does the file 003_d94c.txt say about Taiwan?": "file" and "txt" point at a document, as a title does.
        unmentioned = unmentioned_names(asked, snapshot)
        close = bool(ranked) and retrieval.sentence_similarity[ranked[0]] >= self.unknown_topic_below
        if close:  # "What was her PhD about?" over "She earned her doctorate ...": said in other words
            unmentioned = [name for name in unmentioned if not ABBREVIATION.fullmatch(name)]
        # "What is the weather in Beijing?" is declined; "What does the Makefile provide?" has a close sentence.
        if not unmentioned and ranked and not close:
            unmentioned = unmentioned_topic(asked, snapshot)
        if not unmentioned:  # "Is there a gym at the cottage?": rules that never mention a gym say nothing of one
            unmentioned = [thing for thing in [thing_asked_if_there(asked)] if thing and not snapshot.mentions(thing)]
        # "What did McFarland say about Russia?" is answered from her turns of an interview, whatever else is closer.
        speaker = None if unmentioned else retrieval.speaker
        if speaker is not None:
            ranked = self.their_words(speaker, asked, retrieval)
            if not ranked:
                return Draft(not_spoken_of(speaker, topic_asked_about(asked) or ""), False, [])
        # "What did Qin Gang say about the balloon?" asks for words the documents cannot hold: they never speak of
        # the balloon within a paragraph or so of naming him.
        someone = None if unmentioned or speaker else someone_whose_words_asked(asked)
        topic = head_of_topic(topic_asked_about(asked) or "")
        if someone and topic and not snapshot.named_together(someone, content_words(POSSESSIVE.sub("", topic))):
            return Draft(never_named_together(someone, topic), False, [])
        release_notes = None if unmentioned else self.release_notes_asked(asked, retrieval)
        if release_notes is not None:
            return quote_draft(release_notes)
        entry = None if unmentioned else self.option_entry_asked(asked, retrieval)
        if entry is not None:
            return quote_draft([entry])
        named = None if unmentioned else self.sentence_naming_identifiers(asked, retrieval)
        if named is not None:
            release = release_above(snapshot, named) if asks_for_a_release(question) else None
            return quote_draft([named] if release is None else [release, named])
        # Not for a follow-up that leans on the last answer: the key words it borrowed can match a heading.
        follow_up = bool(retrieval.quoted_before)
        section = (
            None
            if unmentioned or follow_up
            else self.section_under_heading_naming(question, retrieval)
            or self.section_the_question_names(question, retrieval)
            or self.section_under_heading_of_the_doing(question, retrieval, ranked)
            or self.section_under_best_heading(retrieval, ranked)
        )
        if section is not None and fits_question_type(question, section.text):
            return quote_draft([section])
        if (
            unmentioned
            or not ranked
            # "Who is X?" is answered by a sentence naming X, however far MiniLM puts the two.
            or (
                speaker is None
                and retrieval.sentence_similarity[ranked[0]] < self.abstain_below
                and not all_words_in(
                    subject_asked_about(asked, in_one_document=retrieval.within is not None),
                    snapshot.sentence_text(self.titles_them_first(asked, ranked, retrieval)[0]),
                )
            )
            or (
                (asks_for_a_price(question) or not fits_question_type(question, snapshot.sentence_text(ranked[0])))
                and self.gives_what_it_asks_first(question, ranked, retrieval) is None
            )
        ):
            return Draft(not_found(unmentioned), False, [])
        if asks_across_documents(question) and retrieval.within is None:
            return self.across_documents(retrieval)
        if speaker is None:
            ranked = self.best_of_the_best_passage_first(ranked, retrieval)
        ranked = self.titles_them_first(asked, ranked, retrieval)
        if speaker is None:
            ranked = self.their_words_first(asked, ranked, retrieval)
        # The topic last: "What did Wang Yi tell Blinken about trade?" is not answered by his words on Taiwan.
        ranked = self.names_the_topic_first(asked, ranked, retrieval)
        # "What did Stephenson say about ...?" asks for words, not for something that happened: "... is particularly
        # unlikely while Li remains under U.S. sanctions" answers it.
        happened = self.says_it_happened_first(question, ranked, retrieval) if speaker is None else ranked
        if happened is None:
            return Draft(NOT_YET, False, [])
        asked_versions = versions_in(question)
        ranked = self.says_where_first(question, self.says_when_first(question, happened, retrieval), retrieval)
        ranked = self.gives_what_it_asks_first(question, ranked, retrieval) or ranked
        ranked = self.says_what_its_kind_asks_first(question, ranked, retrieval)
        ranked = self.says_what_they_called_it_first(question, ranked, retrieval)
        ranked = self.announces_the_list_asked_first(question, ranked, retrieval)
        ranked = self.names_most_of_it_first(asked, ranked, retrieval)
        ranked = self.names_the_version_first(asked_versions, ranked, retrieval)
        best = retrieval.sentence_scores[ranked[0]]
        # More quotes only of statements: a heading quoted alone ("Expense rules") answers nothing; nor does a
        # sentence about another version than the one asked about.
        chosen = [
            ranked[0],
            *(
                index
                for index in ranked[1:]
                if snapshot.sentence_is_statement[index]
                and retrieval.sentence_scores[index] >= best - self.extra_quote_margin
                and not names_another_version(asked_versions, snapshot.sentence_text(index))
            ),
        ]

        first = with_its_short_answer(snapshot, self.answer_below_a_faq_question(retrieval, ranked))
        others = distinct(
            [
                first,
                *(
                    with_what_it_announces(snapshot, sentence_span(snapshot, index), self.max_quote_chars)
                    for index in chosen[1 : self.max_quotes]
                ),
            ]
        )[1:]
        # "Which tar version fixed CVE-2018-20482?": the release it is listed under is the answer's first quote.
        release = release_above(snapshot, first) if asks_for_a_release(question) else None
        quotes = [first, *others] if release is None else [release, first, *others][: self.max_quotes]
        joined = join_neighbours(quotes, wrapped=snapshot.goes_on_from_the_line_above)
        spans = new_to_the_conversation(joined, retrieval.quoted_before)
        return quote_draft(spans, self.said_of_the_first_quote(question, spans[0], snapshot))

    def said_of_the_first_quote(
        self, question: str, first: QuoteSpan, snapshot: IndexSnapshot
    ) -> tuple[Callable[[str], str], QuoteSpan] | None:
        """What the question asks of the first quote besides its words: "Who said ...?", the label of the speaker's
        turn it stands in ("Stephenson"); "Which article ...?", the title of its document."""
        label = label_span(snapshot, first) if ASKS_WHO_SAID.search(question) else None
        if label is not None:
            return in_the_remarks_of, label
        title = title_span(snapshot, first.chunk.source) if asks_which_document(question) else None
        return None if title is None else (in_the_document, title)
