"""Wording for people: counts with the right number ("1 document", "5 documents")."""

from __future__ import annotations


def counted(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
