"""Questions and histories are checked before any work is done, so bad input gets a clear message and costs
nothing."""

from __future__ import annotations

import unicodedata
from typing import Any

from .errors import QuestionError

MESSAGE_SHAPE = '{"role": "user" or "assistant", "content": text}'


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


def clean_history(history: Any) -> list[dict[str, str]]:
    """The conversation so far, checked; raises QuestionError naming the first message that is not one.

    None or an empty list is no history; "system" messages (as OpenAI-style histories carry) are left out.
    """
    if history is None:
        return []
    if not isinstance(history, list):
        raise QuestionError(
            f"the history must be a list of messages like {MESSAGE_SHAPE}, not {type(history).__name__}"
        )
    for number, message in enumerate(history, start=1):
        if (
            not isinstance(message, dict)
            or message.get("role") not in ("user", "assistant", "system")
            or not isinstance(message.get("content"), str)
        ):
            raise QuestionError(f"message {number} of the history is not like {MESSAGE_SHAPE}")
    return [{"role": m["role"], "content": m["content"]} for m in history if m["role"] != "system"]
