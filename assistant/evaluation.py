"""Measuring quality on a question set with gold evidence quotes (JSON Lines, see eval/README.md)."""

from __future__ import annotations

import functools
import json
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .answer import Answer
from .errors import AssistantError
from .loading import load_documents, read_text
from .pipeline import Assistant

RANKS_SCORED = 10


@dataclass
class Outcome:
    id: str
    question: str
    answerable: bool
    abstained: bool
    gold_rank: int | None  # 1-based rank of the first passage holding gold evidence
    first_quote_has_gold: bool
    citations_valid: int
    citations: int
    latency_ms: float


@dataclass
class Report:
    metrics: dict[str, float]
    outcomes: list[Outcome] = field(default_factory=list)

    def misses(self) -> list[Outcome]:
        return [
            o
            for o in self.outcomes
            if o.abstained == o.answerable or (o.answerable and (o.gold_rank != 1 or not o.first_quote_has_gold))
        ]


def load_question_set(path: Path) -> list[dict[str, Any]]:
    """The questions of a JSON Lines file, each checked for the shape eval/README.md gives, so a mistake is one line
    naming the line, not a traceback later."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise AssistantError(f"cannot read question set '{path}': {err.strerror}") from None
    items = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            try:
                item = json.loads(line)
            except json.JSONDecodeError as err:
                raise AssistantError(f"{path}:{number}: not valid JSON ({err.msg})") from None
            problem = shape_problem(item)
            if problem:
                raise AssistantError(f"{path}:{number}: {problem}")
            items.append(item)
    return items


def shape_problem(item: Any) -> str | None:
    if not isinstance(item, dict) or not isinstance(item.get("question"), str):
        return 'each line must be an object with a "question"'
    evidence = item.get("evidence", [])
    if not isinstance(evidence, list) or not all(
        isinstance(e, str) or (isinstance(e, dict) and isinstance(e.get("quote"), str)) for e in evidence
    ):
        return '"evidence" must be a list of quotes: {"source": FILE, "quote": TEXT}, or the text alone'
    return None


def gold_spans(item: dict[str, Any], docs_dir: Path) -> list[tuple[str, int, int]]:
    """Where each evidence quote stands: in its "source", or in any document when it gives none."""
    spans = []
    for evidence in item.get("evidence", []):
        quote = evidence if isinstance(evidence, str) else evidence["quote"]
        source = None if isinstance(evidence, str) else evidence.get("source")
        documents = [(source, read_text(docs_dir / source))] if source else every_document(docs_dir)
        found = [(name, start) for name, text in documents for start in occurrences(text, quote)]
        if not found:
            where = source or f"any document of {docs_dir}"
            raise AssistantError(
                f"question {item.get('id', item['question'])!r}: its evidence “{quote}” is not in {where}"
            )
        spans += [(name, start, start + len(quote)) for name, start in found]
    return spans


def occurrences(text: str, quote: str) -> list[int]:
    starts, start = [], text.find(quote)
    while start != -1:
        starts.append(start)
        start = text.find(quote, start + 1)
    return starts


@functools.lru_cache(maxsize=4)
def every_document(docs_dir: Path) -> list[tuple[str, str]]:
    return [(document.source, document.text) for document in load_documents(docs_dir)[0]]


def _contains(outer: tuple[str, int, int], inner: tuple[str, int, int]) -> bool:
    return outer[0] == inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2]


def citations_hold(answer: Answer, docs_dir: Path) -> int:
    """How many citations satisfy the invariant text_of(source)[start:end] == quote."""
    return sum(read_text(docs_dir / c.source)[c.start : c.end] == c.quote for c in answer.citations)


def score_item(item: dict[str, Any], answer: Answer, docs_dir: Path, latency_ms: float) -> Outcome:
    gold = gold_spans(item, docs_dir)
    gold_rank = next(
        (p.rank for p in answer.passages if any(_contains((p.source, p.start, p.end), g) for g in gold)), None
    )
    first = answer.citations[0] if answer.citations else None
    first_has_gold = first is not None and any(_contains((first.source, first.start, first.end), g) for g in gold)
    return Outcome(
        id=str(item.get("id", "")),
        question=item["question"],
        answerable=bool(item.get("answerable", True)),
        abstained=not answer.answerable,
        gold_rank=gold_rank,
        first_quote_has_gold=first_has_gold,
        citations_valid=citations_hold(answer, docs_dir),
        citations=len(answer.citations),
        latency_ms=latency_ms,
    )


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summarize(outcomes: list[Outcome]) -> dict[str, float]:
    answerable = [o for o in outcomes if o.answerable]
    unanswerable = [o for o in outcomes if not o.answerable]
    latencies = [o.latency_ms for o in outcomes]

    def share(items: list[Outcome], test: Any) -> float:
        return round(sum(1 for o in items if test(o)) / len(items), 4) if items else 0.0

    citations = sum(o.citations for o in outcomes)
    return {
        "questions": len(outcomes),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "recall@1": share(answerable, lambda o: o.gold_rank == 1),
        "recall@5": share(answerable, lambda o: o.gold_rank is not None and o.gold_rank <= 5),
        "mrr@10": round(statistics.fmean(1 / o.gold_rank if o.gold_rank else 0.0 for o in answerable), 4)
        if answerable
        else 0.0,
        "citation_validity": round(sum(o.citations_valid for o in outcomes) / citations, 4) if citations else 1.0,
        "first_quote_has_gold": share(answerable, lambda o: o.first_quote_has_gold),
        "abstention_accuracy": share(outcomes, lambda o: o.abstained != o.answerable),
        "unanswerable_abstained": share(unanswerable, lambda o: o.abstained),
        "answerable_wrongly_abstained": share(answerable, lambda o: o.abstained),
        "latency_p50_ms": round(percentile(latencies, 0.5), 1),
        "latency_p95_ms": round(percentile(latencies, 0.95), 1),
    }


def evaluate(assistant: Assistant, items: list[dict[str, Any]]) -> Report:
    """Ask every question (warm), score it; passages are taken to rank 10 for MRR@10."""
    docs_dir = assistant.settings.docs_dir
    assistant.ask("warm-up question")
    outcomes = []
    for item in items:
        began = time.perf_counter()
        answer = assistant.ask(item["question"], item.get("history") or [])
        outcomes.append(score_item(item, answer, docs_dir, (time.perf_counter() - began) * 1000))
    return Report(summarize(outcomes), outcomes)
