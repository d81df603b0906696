"""Retrieval: dense (chunks and sentences) and BM25 rankings fused by reciprocal rank, as a LangChain retriever."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LangChainDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from .embeddings import Embedder
from .splitting import Chunk
from .store import IndexSnapshot


@dataclass(frozen=True)
class ScoredChunk:
    row: int
    chunk: Chunk
    score: float  # fused reciprocal-rank score


@dataclass(frozen=True)
class Retrieval:
    """Everything the answerer needs from one retrieval, computed once."""

    query: str
    query_vector: np.ndarray
    sentence_similarity: np.ndarray  # cosine of the query with every sentence of the snapshot
    chunks: list[ScoredChunk]
    snapshot: IndexSnapshot


def fuse_rankings(rankings: list[list[int]], rrf_k: int, weights: list[float] | None = None) -> dict[int, float]:
    """Reciprocal rank fusion: items near the top of several rankings win."""
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings), strict=True):
        for rank, item in enumerate(ranking):
            fused[item] = fused.get(item, 0.0) + weight / (rrf_k + rank + 1)
    return fused


def best_sentence_per_chunk(snapshot: IndexSnapshot, similarity: np.ndarray, k: int) -> list[int]:
    """Chunks ranked by their best-matching sentence: finds a one-sentence answer in a long passage."""
    if similarity.size == 0:
        return []
    chunk_rows = np.fromiter((s.chunk_row for s in snapshot.sentences), dtype=np.int64, count=len(snapshot.sentences))
    best = np.full(len(snapshot.chunks), -1.0, dtype=np.float32)
    np.maximum.at(best, chunk_rows, similarity)
    return [int(row) for row in np.argsort(-best, kind="stable")[:k]]


def retrieve(snapshot: IndexSnapshot, query: str, query_vector: np.ndarray, candidates: int, rrf_k: int) -> Retrieval:
    similarity = snapshot.sentence_vectors @ query_vector if len(snapshot.sentences) else np.zeros(0)
    dense = [row for row, _ in snapshot.dense_chunks(query_vector, candidates)]
    by_sentence = best_sentence_per_chunk(snapshot, similarity, candidates)
    lexical = [row for row, _ in snapshot.bm25.top(query, candidates)]
    fused = fuse_rankings([dense, by_sentence, lexical], rrf_k)
    ranked = sorted(fused.items(), key=lambda item: -item[1])
    chunks = [ScoredChunk(row, snapshot.chunks[row], score) for row, score in ranked]
    return Retrieval(query, query_vector, similarity, chunks, snapshot)


class HybridRetriever(BaseRetriever):
    """LangChain face of `retrieve`: documents carry source, offsets and the fused score."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    snapshot_provider: Callable[[], IndexSnapshot]
    embedder: Any  # an Embedder; Any because pydantic cannot validate a Protocol
    k: int = 5
    candidates: int = 30
    rrf_k: int = 60

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[LangChainDocument]:
        embedder: Embedder = self.embedder
        retrieval = retrieve(self.snapshot_provider(), query, embedder.embed([query])[0], self.candidates, self.rrf_k)
        return [as_langchain_document(scored) for scored in retrieval.chunks[: self.k]]


def as_langchain_document(scored: ScoredChunk) -> LangChainDocument:
    chunk = scored.chunk
    return LangChainDocument(
        page_content=chunk.text,
        id=chunk.id,
        metadata={"source": chunk.source, "start": chunk.start, "end": chunk.end, "score": scored.score},
    )
