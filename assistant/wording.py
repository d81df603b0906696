"""Wording for people: counts with the right number ("1 document", "5 documents"), where a quote stands in its
file ("line 23, characters 9033-9395, in “Release v2.6.18”")."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    """Where characters of a document stand, for a person checking a quote: lines, section, the passage around them
    (None: not known)."""

    lines: tuple[int, int] | None = None  # the first and last line, 1-based
    section: str | None = None  # the headings they stand under: "Timers › setTimeout(callback, delay)"
    passage: tuple[int, str] | None = None  # the start and text of the indexed passage holding them


# (source, start, end) -> where those characters stand: `Assistant.place_of`.
PlaceOf = Callable[[str, int, int], Place]


def nowhere(source: str, start: int, end: int) -> Place:
    return Place()


def counted(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def where_in_file(start: int, end: int, place: Place, dash: str = "-") -> str:
    """ "line 23, characters 9033-9395", "lines 23-25, characters ..., in “Release v2.6.18”"; only the characters
    when the lines are not known (an index built before lines were kept)."""
    where = f"characters {start}{dash}{end}"
    if place.lines is not None:
        first, last = place.lines
        where = f"{'line ' + str(first) if first == last else f'lines {first}{dash}{last}'}, {where}"
    return where + (f", in “{place.section}”" if place.section else "")


def in_the_remarks_of(speaker: str) -> str:
    """What follows a quote to say whose remarks it stands in: "(in the remarks of “Stephenson” [2])". Not
    "speaker": the remarks may report what someone else said ("Yang Tao ... described de-risking as ...")."""
    return f"(in the remarks of {speaker})"


def in_the_document(title: str) -> str:
    """What follows a quote to say which document it comes from: "(in “The Slow, Bumpy Road ...” [2])"."""
    return f"(in {title})"


# The speaker an answer names so, as text or as the web chat shows it ("“Stephenson” **[2]**").
IN_THE_REMARKS_OF = re.compile(r"\(in the remarks of “(?P<name>[^”]+)”")
