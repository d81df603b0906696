"""The answer object: what `ask` returns, the CLI prints and the web API sends."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Citation:
    id: int
    source: str
    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class Passage:
    rank: int
    source: str
    start: int
    end: int
    text: str
    score: float


@dataclass
class Answer:
    question: str
    standalone_question: str
    answer: str
    answerable: bool
    citations: list[Citation] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def shows_its_quotes(self) -> bool:
        """Whether the answer text is the quotes themselves (the quote answerer's), not words resting on them (an
        LLM's answer), which are then shown after it."""
        return all(f"“{c.quote}”" in self.answer for c in self.citations)

    def as_message(self) -> dict[str, str]:
        """The answer as a chat history message, with the quotes a worded answer rests on: a follow-up leans on
        the last answer's quotes."""
        quotes = "" if self.shows_its_quotes else "".join(f"\n\n“{c.quote}” [{c.id}]" for c in self.citations)
        return {"role": "assistant", "content": self.answer + quotes}
