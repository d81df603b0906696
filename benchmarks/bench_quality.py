"""Part 1: our pipeline against the naive LangChain recipe: same corpus, same questions, same model.

Run in a worker process per pipeline (see bench.py) so that peak RSS belongs to that pipeline alone.
"""

from __future__ import annotations

import statistics
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Protocol

from bench_common import QUESTION_SETS, SEEDS, chroma_server, folder_mb, load_embedder, peak_rss_mb, timed

from assistant import Assistant, Settings
from assistant.embeddings import Embedder, LangChainEmbeddings, question_embedder
from assistant.evaluation import gold_spans, load_question_set, percentile
from assistant.loading import read_text

RANKS = 10  # passages scored per question, for MRR@10
Span = tuple[str, int, int]  # (source, start, end), end exclusive
History = list[dict[str, str]]


class Pipeline(Protocol):
    def build(self) -> int:
        """Index the corpus from nothing; returns the number of chunks."""
        ...

    def search(self, question: str, history: History) -> list[Span]:
        """The top RANKS passages for the question, best first."""
        ...


class Ours:
    """Assistant.ask with the conversation; its passages go to rank 10 with top_k=10. Questions are embedded as
    `assistant serve` embeds them: by the NumPy forward pass, not by the sentence-transformers model."""

    def __init__(self, docs_dir: Path, workdir: Path, embedder: Embedder, chroma_url: str | None = None) -> None:
        settings = Settings(docs_dir=docs_dir, index_dir=workdir / "index", top_k=RANKS, chroma_url=chroma_url)
        questions = question_embedder(settings.model_path, settings.embed_batch_size)
        self.assistant = Assistant(settings, embedder=embedder, question_embedder=questions)

    def build(self) -> int:
        return self.assistant.index().chunks

    def search(self, question: str, history: History) -> list[Span]:
        answer = self.assistant.ask(question, history)
        return [(p.source, p.start, p.end) for p in answer.passages]


class Naive:
    """The usual recipe: RecursiveCharacterTextSplitter, Chroma, similarity_search; the raw question only."""

    def __init__(self, docs_dir: Path, workdir: Path, embedder: Embedder) -> None:
        self.docs_dir = docs_dir
        self.persist_dir = workdir / "chroma"
        self.embeddings = LangChainEmbeddings(embedder)
        self.store: Any = None

    def build(self) -> int:
        from langchain_chroma import Chroma
        from langchain_core.documents import Document
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        documents = [
            Document(page_content=read_text(path), metadata={"source": path.name})
            for path in sorted(self.docs_dir.glob("*.txt"))
        ]
        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200, add_start_index=True)
        chunks = splitter.split_documents(documents)
        self.store = Chroma.from_documents(chunks, self.embeddings, persist_directory=str(self.persist_dir))
        return len(chunks)

    def search(self, question: str, history: History) -> list[Span]:
        found = self.store.similarity_search(question, k=RANKS)
        return [(d.metadata["source"], start := d.metadata["start_index"], start + len(d.page_content)) for d in found]


PIPELINES: dict[str, type[Ours] | type[Naive]] = {"ours": Ours, "naive": Naive}


def answerable_questions() -> list[dict[str, Any]]:
    """The answerable items of both question sets, each with its gold spans in the seeds."""
    items = [item for path in QUESTION_SETS for item in load_question_set(path) if item.get("answerable", True)]
    for item in items:
        item["gold"] = gold_spans(item, SEEDS)
    return items


def holds(passage: Span, gold: Span) -> bool:
    return passage[0] == gold[0] and passage[1] <= gold[1] and gold[2] <= passage[2]


def gold_rank(passages: list[Span], gold: list[Span]) -> int | None:
    """1-based rank of the first passage holding a gold quote, None when none of them does."""
    return next((rank for rank, p in enumerate(passages, start=1) if any(holds(p, g) for g in gold)), None)


def recall_at(ranks: list[int | None], k: int) -> float:
    return round(sum(rank is not None and rank <= k for rank in ranks) / len(ranks), 4) if ranks else 0.0


def mrr(ranks: list[int | None]) -> float:
    return round(statistics.fmean(1 / rank if rank else 0.0 for rank in ranks), 4) if ranks else 0.0


def ask_all(pipeline: Pipeline, items: list[dict[str, Any]]) -> tuple[list[float], list[int | None]]:
    """Warm latency (ms) and gold rank of every question, after one warm-up question."""
    pipeline.search("warm-up question", [])
    latencies, ranks = [], []
    for item in items:
        passages, seconds = timed(pipeline.search, item["question"], item.get("history") or [])
        latencies.append(seconds * 1000)
        ranks.append(gold_rank(passages, item["gold"]))
    return latencies, ranks


def scores(items: list[dict[str, Any]], latencies: list[float], ranks: list[int | None]) -> dict[str, Any]:
    follow_ups = [rank for rank, item in zip(ranks, items, strict=True) if item.get("history")]
    return {
        "questions": len(items),
        "follow_ups": len(follow_ups),
        "gold_not_found": sum(not item["gold"] for item in items),
        "latency_p50_ms": round(percentile(latencies, 0.5), 1),
        "latency_p95_ms": round(percentile(latencies, 0.95), 1),
        "recall@1": recall_at(ranks, 1),
        "recall@5": recall_at(ranks, 5),
        "mrr@10": mrr(ranks),
        "followup_recall@5": recall_at(follow_ups, 5),
    }


def run(name: str) -> dict[str, Any]:
    """Model load, build from nothing in a temp dir, then every question warm; peak RSS last."""
    items = answerable_questions()
    embedder, load_s = timed(load_embedder)
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-", ignore_cleanup_errors=True) as tmp, ExitStack() as stack:
        pipeline: Pipeline
        if name == "server":  # ours, with the passage vectors on `chroma run` over loopback
            url = stack.enter_context(chroma_server(Path(tmp) / "chroma-server"))
            pipeline = Ours(SEEDS, Path(tmp), embedder, chroma_url=url)
        else:
            pipeline = PIPELINES[name](SEEDS, Path(tmp), embedder)
        chunks, build_s = timed(pipeline.build)
        latencies, ranks = ask_all(pipeline, items)
        index_mb = folder_mb(Path(tmp))
    return {
        "pipeline": name,
        "model_load_s": round(load_s, 2),
        "build_s": round(build_s, 3),
        "chunks": chunks,
        "index_mb": round(index_mb, 2),
        **scores(items, latencies, ranks),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
