"""Questions are checked before any work is done, so bad input gets a clear message and costs nothing."""

from __future__ import annotations

import unicodedata

from .errors import QuestionError


def clean_question(question: object, max_chars: int) -> str:
    """The question, stripped; raises QuestionError saying what to change."""
    if not isinstance(question, str):
        raise QuestionError("the question must be text")
    stripped = question.strip()
    if not stripped:
        raise QuestionError("the question is empty: ask something about the documents, e.g. 'Who met Xi Jinping?'")
    if len(stripped) > max_chars:
        raise QuestionError(
            f"the question is {len(stripped):,} characters long; the limit is {max_chars:,}: ask a shorter question"
        )
    controls = sorted({ch for ch in stripped if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r"})
    if controls:
        shown = ", ".join(f"U+{ord(ch):04X}" for ch in controls[:3])
        raise QuestionError(f"the question contains control characters ({shown}): remove them and ask again")
    return " ".join(stripped.split())
