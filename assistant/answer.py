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
