"""Names a question misspells, read as the documents spell them: "What did Blinkin say about Taiwan?" asks about
Blinken.

Only a capitalised word the documents never use is read as another, and only as a name they write (capitalised,
never in lowercase) that is one typing slip away (two for a long name) and the only one that close. An inflection
is no slip ("Russian" is not "Russia"), and a short name is never changed: "Wong" may well be someone else than
"Wang".
A common abbreviation the documents never use is read as the words it stands for when they use those: "Who is the
CEO?" asks about the chief executive.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from .lexical import STOPWORDS
from .question_types import NAME

SHORTEST_CHANGED = 5  # letters of the shortest name read as another
LONG_NAME = 10  # letters of a name that may hold two slips: "Australia" is not "Austria"


def slips_allowed(word: str) -> int:
    return 0 if len(word) < SHORTEST_CHANGED else 1 if len(word) < LONG_NAME else 2


def typing_distance(first: str, second: str) -> int:
    """Letters inserted, dropped, changed, or two neighbours swapped, to make one word the other (the optimal string
    alignment distance)."""
    rows = [list(range(len(second) + 1))]
    for i, a in enumerate(first, 1):
        row = [i]
        for j, b in enumerate(second, 1):
            row.append(min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (a != b)))
            if i > 1 and j > 1 and a == second[j - 2] and first[i - 2] == b:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def spelt_as(word: str, names: Collection[str]) -> str | None:
    """The one name of `names` that `word` misspells, if there is one: same first letter, within the slips
    allowed, and neither begins the other ("Chinas" is China's plural, not a slip)."""
    allowed = slips_allowed(word)
    if not allowed:
        return None
    lower = word.lower()
    close = [
        name
        for name in names
        if name[0].lower() == lower[0]
        and abs(len(name) - len(word)) <= allowed
        and not name.lower().startswith(lower)
        and not lower.startswith(name.lower())
        and typing_distance(lower, name.lower()) <= allowed
    ]
    return close[0] if len(close) == 1 else None


def with_names_as_spelt(question: str, uses: Callable[[str], bool], names: Callable[[], Collection[str]]) -> str:
    """The question with each name it misspells as the documents spell them. `uses` tells whether the documents use
    a word; `names` gives the names they write, asked for only when the question holds a word they do not use."""
    # Capitalised words only: a lowercase one the documents never use is most often a word of the question ("while").
    unknown = [word for word in NAME.findall(question) if word.lower() not in STOPWORDS and not uses(word)]
    if not unknown:
        return question
    written = names()
    corrections = {word: name for word in unknown if (name := spelt_as(word, written)) is not None}
    if not corrections:
        return question
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, corrections)) + r")\b")
    return pattern.sub(lambda match: corrections[match.group()], question)


# What common abbreviations stand for.
SPELLED_OUT = {
    "CEO": "chief executive",
    "CFO": "chief financial officer",
    "CTO": "chief technology officer",
    "COO": "chief operating officer",
    "HR": "human resources",
    "PM": "prime minister",
    "MP": "member of parliament",
    "AGM": "annual general meeting",
    "FAQ": "frequently asked questions",
}
ABBREVIATED = re.compile(r"\b(?P<short>" + "|".join(SPELLED_OUT) + r")(?P<plural>s?)\b")


def with_abbreviations_spelt_out(question: str, uses: Callable[[str], bool]) -> str:
    """The question with each common abbreviation the documents never use written out, when they use every word of
    what it stands for: "Who is the CEO of Halverson?" over "... said chief executive Marta Kowalczyk"."""

    def spelt_out(match: re.Match[str]) -> str:
        short, words = match["short"], SPELLED_OUT[match["short"]]
        if uses(short) or not all(uses(word) for word in words.split() if word not in STOPWORDS):
            return match.group()
        return words + match["plural"]

    return ABBREVIATED.sub(spelt_out, question)
