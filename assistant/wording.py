"""Wording for people: counts with the right number ("1 document", "5 documents"), where a quote stands in its
file ("line 23, characters 9033-9395")."""

from __future__ import annotations

from collections.abc import Callable

# (source, start, end) -> the first and last line the characters stand on, if known: `Assistant.lines_of`.
LinesOf = Callable[[str, int, int], tuple[int, int] | None]


def counted(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def where_in_file(start: int, end: int, lines: tuple[int, int] | None, dash: str = "-") -> str:
    """ "line 23, characters 9033-9395", "lines 23-25, characters ..."; only the characters when the lines are not
    known (an index built before lines were kept)."""
    characters = f"characters {start}{dash}{end}"
    if lines is None:
        return characters
    first, last = lines
    return f"{'line ' + str(first) if first == last else f'lines {first}{dash}{last}'}, {characters}"
