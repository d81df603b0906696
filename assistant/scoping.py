"""Which document a question points at, so that it is answered from that document alone.

"According to the LA Times piece, ...", "the article on the benefits and limits of high-level engagement", "the
'Slow, Bumpy Road' piece", "the first article", "that article" (the one the last answer quoted from), "in notes.md".
A reference counts only when it fits one document: its names (or their initials) are all in that document and in
no other, or more of its words are in that document's title than in any other's. Anything less, and the whole
folder is searched as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import PurePosixPath

from .lexical import tokenize
from .question_types import asks_about_the_collection
from .store import IndexSnapshot

DOCUMENT_NOUN = (
    r"(?:article|piece|story|essay|analysis|column|op-ed|commentary|discussion|interview|report|document|guide|note|"
    r"memo|paper|transcript|book|letter|post|file|review|minutes|briefing|speech|statement|faq|readme|manual|handbook)s?"
)
# Words that end a reference and start the question: "What does the xz FAQ say about .tar.xz files?" is not about
# "the ... files"; nor is "According to the FAQ, how do I extract .tar.xz files?".
NOT_IN_A_REFERENCE = (
    "say|says|said|tell|tells|told|mention|mentions|about|what|who|whom|whose|when|where|why|how|which|do|does|did"
)
# "the LA Times article", "The Diplomat piece's metaphor", "the 'Slow, Bumpy Road' piece", "the piece about the bumpy
# road of diplomacy".
REFERENCE = re.compile(
    r"\b(?P<determiner>the|this|that)\s+"
    rf"(?P<before>(?:(?!(?:the|this|that|a|an|{NOT_IN_A_REFERENCE})\b)[^\s?;]+\s+){{0,8}}?)"
    rf"(?P<noun>{DOCUMENT_NOUN})\b"
    r"(?:\s+(?:about|on|titled|called|entitled|headlined)\s+(?P<about>(?:(?!\s+about\W*$)(?:[^?;,]|,(?!\s*(?:what|who|"
    r"whom|whose|when|where|why|how|which|is|are|was|were|do|does|did|can|could)\b)))+))?",
    re.I,
)
# "the author", "this writer's view": whoever wrote what the last answer quoted.
AUTHOR = re.compile(r"\b(?:the|this|that)\s+(?:author|writer)s?\b", re.I)
ORDINALS = {"first": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4, "last": -1, "final": -1}
# "the second one", right after the documents were listed ("What documents do you have?").
LISTED_ONE = re.compile(rf"\bthe\s+(?P<ordinal>{'|'.join(ORDINALS)})\s+one\b", re.I)
WORD = re.compile(r"[\w’'.-]+")
CAPITALISED_WORD = re.compile(r"^[A-Z][\w.-]*$")
# Small words inside a name, left out of its initials: "United States Institute of Peace" is USIP.
NAME_JOINERS = {"of", "and", "for", "the", "on", "in", "de"}


@dataclass(frozen=True)
class DocumentFacts:
    """What a reference to a document can match: its source (the file name), its title's words, its words as
    written (names keep their capital letters) and the initials of the names it holds. The last two are read from
    its passages when a question first needs them: most questions point at no document."""

    source: str
    title_stems: frozenset[str]
    named_by: re.Pattern[str]  # its file name in a question (see file_name_pattern)
    passages: tuple[str, ...] = field(repr=False, compare=False)

    @cached_property
    def words(self) -> frozenset[str]:
        return frozenset(_bare(word) for text in self.passages for word in WORD.findall(text))

    @cached_property
    def initials(self) -> frozenset[str]:
        return frozenset(initial for text in self.passages for initial in initials_in(text))


def _nth(sources: list[str], ordinal: str) -> str | None:
    """The document at this place in the folder's order ("first", "last"), if there are that many."""
    place = ORDINALS[ordinal.lower()]
    return sources[place] if place < len(sources) else None


TRAILING_POSSESSIVE = re.compile(r"[’']s$")


@lru_cache(maxsize=100_000)  # every word of every passage goes through it once per snapshot: most are repeats
def _bare(word: str) -> str:
    """A word without quotes around it or a possessive after it: "‘Slow," -> "Slow", "Diplomat’s" -> "Diplomat"."""
    word = TRAILING_POSSESSIVE.sub("", word.strip("\"'“”‘’,.:;()!"))
    return word.strip("\"'“”‘’,.:;()!")


MOST_INITIALS = 8  # an acronym is short: a run of capitalised words (a title, an all-caps disclaimer) can be long


def initials_in(text: str) -> set[str]:
    """The initials of every run of two to MOST_INITIALS capitalised words ("Los Angeles Times": LA, LAT, AT)."""
    found: set[str] = set()
    run: list[str] = []
    for word in [*(_bare(word) for word in WORD.findall(text)), ""]:
        if CAPITALISED_WORD.match(word):
            run.append(word[0])
            continue
        if word.lower() in NAME_JOINERS and run:
            continue
        for start in range(len(run)):
            for end in range(start + 2, min(start + MOST_INITIALS, len(run)) + 1):
                found.add("".join(run[start:end]))
        run = []
    return found


@lru_cache(maxsize=2)  # the live snapshot, and the one it replaced while a question is still in flight
def document_facts(snapshot: IndexSnapshot) -> tuple[DocumentFacts, ...]:
    files = snapshot.manifest.get("files", {})
    sources = dict.fromkeys(chunk.source for chunk in snapshot.chunks)  # in the order of the chunk table
    return tuple(
        DocumentFacts(
            source,
            frozenset(tokenize(files.get(source, {}).get("title", ""))),
            file_name_pattern(source),
            tuple(chunk.text for chunk in snapshot.chunks_of(source)),
        )
        for source in sources
    )


def _only(matches: list[DocumentFacts]) -> str | None:
    return matches[0].source if len(matches) == 1 else None


def _by_names(words: list[str], documents: tuple[DocumentFacts, ...]) -> str | None:
    """The one document that holds every name of the reference: as written, or as initials ("LA" Times)."""
    names = [word for word in words if CAPITALISED_WORD.match(word)]
    if not names:
        return None

    def holds(document: DocumentFacts, name: str) -> bool:
        return name in document.words or (name.isupper() and len(name) >= 2 and name in document.initials)

    return _only([document for document in documents if all(holds(document, name) for name in names)])


def _by_title(words: list[str], documents: tuple[DocumentFacts, ...], needed: int = 2) -> str | None:
    """The document whose title shares the most words with the reference: at least `needed`, and more than any
    other's."""
    stems = set(tokenize(" ".join(words)))
    shared = sorted(((len(stems & d.title_stems), d.source) for d in documents), reverse=True)
    if not shared or shared[0][0] < needed or (len(shared) > 1 and shared[1][0] == shared[0][0]):
        return None
    return shared[0][1]


WORD_BREAK = r"[\s_-]+"  # between the words of a file's name, as a question writes them or as the name does
# What a file's name may start with to say what kind of document it is: "the study" is study_sleep_and_memory.md.
DOCUMENT_KINDS = frozenset(
    """study itinerary agenda contract proposal invoice newsletter recipe brochure leaflet syllabus programme program
    policy notice advert announcement""".split()
)


def file_name_pattern(source: str) -> re.Pattern[str]:
    """What names a document by its file in a question, in any case: the file name ("in notes.md"), or its stem used
    as a document ("the changelog", "the style guide"; not "What style of diplomacy ...?"), or the first words of
    its stem, two or more ("the press release" for press_release_halverson.txt), or one naming a kind of document
    ("the itinerary" for itinerary_iceland.md)."""
    path = PurePosixPath(source)
    whole = "|".join(re.escape(name) for name in {source.lower(), path.name.lower()})
    stem = re.escape(path.stem.lower())
    words = [word for word in re.split(r"[\W_]+", path.stem.lower()) if word]
    leading = [words[:count] for count in range(len(words), 1, -1)]
    if words and words[0] in DOCUMENT_KINDS:
        leading.append(words[:1])
    starts = "".join("|" + WORD_BREAK.join(map(re.escape, start)) for start in leading)
    return re.compile(
        rf"(?<![\w.-])(?:{whole})(?![\w-])|\b(?:the|this|that|in|from)\s+(?:{stem}{starts})\b"
        rf"|\b{stem}\s+{DOCUMENT_NOUN}\b",
        re.I,
    )


def _by_file_name(question: str, documents: tuple[DocumentFacts, ...]) -> str | None:
    """The one document the question names by its file."""
    return _only([document for document in documents if document.named_by.search(question)])


def document_scope(
    snapshot: IndexSnapshot,
    question: str,
    previous_source: str | None = None,
    previous_question: str = "",
    follow_up: bool = False,
) -> str | None:
    """The source of the document the question points at; None when it points at no single one (most questions).

    previous_source: the document the last answer quoted from; previous_question: the one asked before, made to
    stand alone. "That article" and "the author" are those of the last quote, else of the previous question's
    document. A follow-up that names no document stays with the previous question's ("Why?" after "According to
    the LA Times piece, ...?").
    The words that point stay in the question: a title's words also find the passage under the title, which most
    often says what the author argues.
    """
    documents = document_facts(snapshot)
    if len(documents) < 2:
        return None

    def earlier() -> str | None:
        return previous_source or (document_scope(snapshot, previous_question) if previous_question else None)

    named_file = _by_file_name(question, documents)
    if named_file is not None:
        return named_file
    sources = sorted(document.source for document in documents)
    listed_one = LISTED_ONE.search(question)
    if listed_one and previous_question and asks_about_the_collection(previous_question):
        return _nth(sources, listed_one["ordinal"])
    for reference in REFERENCE.finditer(question):
        words = [_bare(word) for word in WORD.findall(f"{reference['before']} {reference['about'] or ''}")]
        words = [word for word in words if word]
        if (not words and reference["determiner"].lower() in {"this", "that"}) or words == ["same"]:
            source = earlier()
        elif len(words) == 1 and words[0].lower() in ORDINALS:
            source = _nth(sources, words[0])
        else:  # "the meeting notes" for "Meeting notes, 3 March": the noun can be a title's word too; alone ("the
            # review"), it is enough when one title holds it
            title_words = [*words, reference["noun"]]
            source = _by_names(words, documents) or _by_title(title_words, documents, needed=2 if words else 1)
        if source is not None:
            return source
    if AUTHOR.search(question):
        return earlier()
    if follow_up and previous_question and not REFERENCE.search(question):
        return document_scope(snapshot, previous_question)
    return None


def source_quoted(snapshot: IndexSnapshot, quotes: list[str]) -> str | None:
    """The document the first of these quotes (the last answer's) comes from, if it is still in the index."""
    for quote in quotes[:1]:
        for index in snapshot.sentences_quoting(quote)[:1]:
            return snapshot.chunks[snapshot.sentences[index].chunk_row].source
    return None


def without_references(question: str, snapshot: IndexSnapshot | None = None, source: str | None = None) -> str:
    """The question with "it" for the words that point at a document: "Summarize the LA Times piece" -> "Summarize
    it", "What is the piece on the bumpy road about?" -> "What is it about?", "Summarize the second one" ->
    "Summarize it"; given the document, its file name too ("What does the changelog say about X?")."""
    question = LISTED_ONE.sub("it", REFERENCE.sub("it", question))
    if snapshot is not None and source is not None:
        for document in document_facts(snapshot):
            if document.source == source:
                question = document.named_by.sub("it", question)
    return re.sub(r"\bit(?:\s+it\b)+", "it", question)  # "the file 003_d94c.txt": "it", not "it it"
