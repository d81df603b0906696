"""Answering with a language model: it words the answer, and every claim cites a numbered sentence of the documents.

The model is shown the sentences of the best passages, each with a number, and asked to answer in its own words,
citing numbers. Its citations are never its own text: each number stands for a sentence the index holds, so a
citation's offsets and quote come from the documents, and a number not on the list is dropped. A reply that puts in
quotation marks words the sentences do not hold, or that cites nothing it was given, is not used: the answer is
then the quotes the quote answerer chose. So is the answer when the server cannot be reached (with a warning).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from .answer import Citation
from .answering import NOT_FOUND, Answerer, Draft
from .errors import LLMError
from .lexical import content_words, stem
from .llm import ChatMessage, ChatModel
from .retrieval import Retrieval
from .splitting import split_into_sentences

log = logging.getLogger(__name__)

NOT_ANSWERED = "NOT IN THE DOCUMENTS"
SUPPORTED_SHARE = 0.6  # of an uncited sentence's words (beyond the question's) that the sentence it is given holds
INSTRUCTIONS = f"""You answer a question about some documents from numbered sentences taken from them. Use only what \
these sentences say, never what you know from elsewhere.
Answer in one to three short sentences of your own. After each of them, put the number of the sentence that says \
it in square brackets, like this: [2]. Cite only numbers from the list.
If the sentences do not answer the question, reply with exactly: {NOT_ANSWERED}"""

MARKERS = re.compile(r"\s*\[(\d+(?:\s*[,;]\s*\d+)*)\]")
QUOTATION = re.compile(r"[“\"]([^“”\"\n]+)[”\"]")
SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?])")
# A name or a figure inside a sentence (a sentence's first word is capitalised anyway): "Kissinger", "2018", "U.S."
NAME_OR_FIGURE = re.compile(r"(?<=[\w,;:)”\"] )(?:[A-Z][\w’'.-]*\w|[A-Z]\b)|\b\d(?:[\d,.]*\d)?\b")
WORDS = re.compile(r"[\w’'.-]*\w")
# Words a reply uses about itself, not about the documents: "The answer to this question is: ..."
ABOUT_THE_REPLY = frozenset({"answer", "question", "sentence", "document", "text", "mention", "state", "according"})


@dataclass(frozen=True)
class Evidence:
    """A sentence (or a quote the quote answerer chose) the model may cite, as the documents hold it."""

    source: str
    start: int
    end: int
    text: str


def flattened(text: str) -> str:
    """Text compared as a reader would: case, curly quotes and line breaks aside."""
    text = text.translate(str.maketrans("‘’“”", "''\"\""))
    return " ".join(text.casefold().split()).strip(" .,;:!?'\"")


def evidence_for(retrieval: Retrieval, chosen: list[Citation], passages: int, most: int) -> list[Evidence]:
    """The sentences of the best passages, in order, each once (passages overlap); first any quote the quote
    answerer chose that they do not hold (a "What did X call Y?" quote can come from a lower passage)."""
    sentences: dict[tuple[str, int], Evidence] = {}
    for scored in retrieval.chunks[:passages]:
        chunk = scored.chunk
        for start, end in chunk.sentences:
            text = chunk.text[start - chunk.start : end - chunk.start]
            sentences.setdefault((chunk.source, start), Evidence(chunk.source, start, end, text))
    held = list(sentences.values())
    missing = [
        Evidence(c.source, c.start, c.end, c.quote)
        for c in chosen
        if not any(e.source == c.source and e.start <= c.start < e.end for e in held)
    ]
    return (missing + held)[:most]


def prompt(question: str, evidence: list[Evidence], titles: dict[str, str]) -> list[ChatMessage]:
    lines, source = [], None
    for number, sentence in enumerate(evidence, 1):
        if sentence.source != source:
            source = sentence.source
            title = titles.get(source, source)
            lines.append(f"\nFrom {source}" + ("" if title == source else f" ({title})") + ":")
        lines.append(f"[{number}] {' '.join(sentence.text.split())}")
    sentences = "\n".join(lines).strip()
    return [
        {"role": "system", "content": INSTRUCTIONS},
        {"role": "user", "content": f"Sentences:\n{sentences}\n\nQuestion: {question}"},
    ]


def words_of(text: str) -> set[str]:
    return {word.casefold().removesuffix("’s").removesuffix("'s") for word in WORDS.findall(text)}


def unsupported_name(reply: str, evidence: list[Evidence], question: str) -> str | None:
    """The first name or figure of the reply that neither the question nor the sentences cited next to it hold
    ("The answer is: [1] Henry Kissinger." when sentence 1 never names him), else None. A claim's citation may come
    after it or before it: either counts."""
    pieces = MARKERS.split(reply)  # text, numbers, text, numbers, ..., text
    texts, cited = pieces[0::2], [numbers_in(group, len(evidence)) for group in pieces[1::2]]
    asked = words_of(question)
    for position, text in enumerate(texts):
        around = [*(cited[position - 1] if position else []), *(cited[position] if position < len(cited) else [])]
        held = asked.union(*(words_of(evidence[n - 1].text) for n in around))
        for name in NAME_OR_FIGURE.findall(text):
            if not words_of(name) <= held:
                return name
    return None


def meaning_of(text: str) -> set[str]:
    return {stem(word) for word in content_words(text)} - ABOUT_THE_REPLY


def attributed(reply: str, evidence: list[Evidence], question: str, share: float) -> tuple[str, str | None]:
    """The reply with a marker after each of its sentences that says something beyond the question and has none:
    the sentence given holding the most of its words, if that is at least `share` of them ("The okapi eats leaves
    and buds." -> "It eats leaves, buds and fruit."); and the first such sentence no sentence given holds, if any."""
    asked = meaning_of(question)
    given = [meaning_of(e.text) for e in evidence]
    parts, done = [], 0
    for start, end in split_into_sentences(reply):  # "the U.S. detection" is one sentence
        sentence = reply[start:end]
        parts.append(reply[done:start])
        done = end
        claimed = meaning_of(sentence) - asked
        if MARKERS.search(sentence) or not claimed:
            parts.append(sentence)
            continue
        best = max(range(len(given)), key=lambda n: len(claimed & given[n]), default=None)
        if best is None or len(claimed & given[best]) < share * len(claimed):
            return reply, sentence
        cut = len(sentence) - 1 if sentence[-1] in ".!?" else len(sentence)
        parts.append(f"{sentence[:cut]} [{best + 1}]{sentence[cut:]}")
    return "".join(parts) + reply[done:], None


def numbers_in(marker: str, listed: int) -> list[int]:
    """The sentence numbers a marker's text names ("3", "3, 5"), those not on the list left out."""
    return [int(n) for n in re.findall(r"\d+", marker) if 1 <= int(n) <= listed]


def checked_draft(reply: str, evidence: list[Evidence], question: str) -> Draft | None:
    """The reply as an answer whose citations are the sentences it cites, renumbered in order; a decline if it says
    the sentences do not answer; None if it cannot be checked: it says something it cites nothing for (and no
    sentence given holds most of its words), quotes words no sentence given holds, or names someone (or gives a
    figure) that neither the question nor the sentences it cites next to the name hold."""
    reply = reply.strip()
    if NOT_ANSWERED.casefold() in reply.casefold() and not MARKERS.search(reply):
        return Draft(NOT_FOUND, False, [])
    reply, unsupported = attributed(reply, evidence, question, SUPPORTED_SHARE)
    if unsupported is not None:
        log.warning("the language model wrote %r, which it cites nothing for; answering with quotes", unsupported)
        return None
    given = [flattened(e.text) for e in evidence]
    for quoted in QUOTATION.findall(reply):
        if len(quoted.split()) >= 3 and not any(flattened(quoted) in sentence for sentence in given):
            log.warning("the language model quoted words the documents do not hold (%r); answering with quotes", quoted)
            return None
    name = unsupported_name(reply, evidence, question)
    if name is not None:
        log.warning("the language model wrote %r, which no sentence it cites holds; answering with quotes", name)
        return None
    numbers: dict[int, int] = {}  # the model's number -> the citation's id

    def renumbered(marker: re.Match[str]) -> str:
        cited = numbers_in(marker.group(1), len(evidence))
        for n in cited:
            numbers.setdefault(n, len(numbers) + 1)
        return " " + "".join(f"[{numbers[n]}]" for n in dict.fromkeys(cited)) if cited else ""

    text = SPACE_BEFORE_PUNCTUATION.sub(r"\1", MARKERS.sub(renumbered, reply)).strip()
    if not numbers:
        log.warning("the language model cited none of the sentences it was given; answering with quotes")
        return None
    citations = []
    for n, number in numbers.items():
        sentence = evidence[n - 1]
        citations.append(Citation(number, sentence.source, sentence.start, sentence.end, sentence.text))
    return Draft(text, True, citations)


@dataclass
class LLMAnswerer:
    """Words the answer with a language model, from the sentences of the best passages.

    `quotes` (the quote answerer) decides first: what it declines (a name the documents never mention, a date they
    lack) is declined without asking the model, and its quotes are the answer when the model's reply cannot be used.
    """

    chat: ChatModel
    quotes: Answerer
    passages: int = 5
    most_sentences: int = 60

    def answer(self, question: str, retrieval: Retrieval) -> Draft:
        fallback = self.quotes.answer(question, retrieval)
        if not fallback.answerable:
            return fallback
        evidence = evidence_for(retrieval, fallback.citations, self.passages, self.most_sentences)
        titles = {
            source: entry.get("title") or source for source, entry in retrieval.snapshot.manifest["files"].items()
        }
        try:
            reply = self.chat.reply(prompt(question, evidence, titles))
        except LLMError as err:
            log.warning("%s; answering with quotes", err)
            return fallback
        return checked_draft(reply, evidence, question) or fallback
