"""Who speaks where: the turns of an interview or a panel, each opened by its speaker's label ("McFarland: ...")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# A speaker's label at a paragraph's start: one to three capitalised words and a colon ("McFarland: ", "Rosie
# Levine: "). "Q:" and "A:" are too short to be names.
SPEAKER_LABEL = re.compile(r"[ \t]*(?P<name>[A-Z][\w’'.-]+(?:[ \t]+[A-Z][\w’'.-]+){0,2}):[ \t]+(?=\S)")


@dataclass(frozen=True)
class DocumentSentence:
    """A sentence of one document, as the turns see it."""

    text: str
    opens_a_line: bool  # it begins a line: a paragraph, a heading, an interviewer's question
    statement: bool  # store.is_statement: not a heading nor a question


def label_of(sentence: str) -> str | None:
    """The speaker's name a sentence opens with ("McFarland: Although ..." -> "McFarland"), if it does."""
    found = SPEAKER_LABEL.match(sentence)
    return found.group("name") if found else None


def name_end(sentence: str) -> int:
    """Where the name of a sentence's label ends: "McFarland: Although ..." -> 9; 0 without a label."""
    found = SPEAKER_LABEL.match(sentence)
    return found.end("name") if found else 0


def named_in_prose(name: str, sentences: Sequence[DocumentSentence]) -> bool:
    """Whether the document names someone past a sentence's first word, outside their labels, capitalised: an
    interview introduces who speaks in it ("USIP’s Rosie Levine, Alison McFarland ... discuss"), and "Note:" or
    "Usage:" is no one's name."""
    named = re.compile(rf"(?<=\S\s){re.escape(name)}\b", re.I)
    return any(
        found[0][0].isupper()  # a transcript's "JANE DOE:" is "Jane Doe" in its prose; "NOTE:" is not "note"
        for sentence in sentences
        for found in named.finditer(sentence.text, name_end(sentence.text) + 1)
    )


def turns(sentences: Sequence[DocumentSentence]) -> list[int | None]:
    """For each sentence of a document, in order, the position of the sentence whose label opens the turn it stands
    in; None outside every turn. A label opens a paragraph that is a statement ("TARGET: VARIABLE = VALUE" is
    code), and a document has turns only if two paragraphs or more open with a speaker's label. A turn runs from
    its label to the next line that is no statement (the interviewer's next question, a heading) or that opens with
    a label, a speaker's or not (a host the prose never names), or to the document's end."""
    labels = [
        label_of(sentence.text) if sentence.opens_a_line and sentence.statement else None for sentence in sentences
    ]
    speakers = {name for name in set(labels) if name is not None and named_in_prose(name, sentences)}
    if sum(label in speakers for label in labels) < 2:  # one turn is no conversation: "APPENDIX: How to apply ..."
        speakers = set()
    opening: int | None = None
    found: list[int | None] = []
    for position, (sentence, label) in enumerate(zip(sentences, labels, strict=True)):
        if label in speakers:
            opening = position
        elif sentence.opens_a_line and (label is not None or not sentence.statement):
            opening = None
        found.append(opening)
    return found
