"""The plain Python API: `Assistant(settings).ask(question, history)`; the CLI and web chat sit on top."""

from __future__ import annotations

import threading
import time
from typing import Any

from langchain_core.runnables import Runnable, RunnableLambda

from .answer import Answer, Passage
from .answering import NOTHING_ASKED, Answerer, Draft, QuoteAnswerer, continuation
from .conversation import (
    Message,
    asks_for_more,
    asks_to_go_on,
    conversation_quotes,
    previous_quotes,
    rewrite,
)
from .embeddings import Embedder, SentenceTransformerEmbedder, question_embedder
from .indexing import Indexer, Progress, SyncReport
from .question_types import asks_across_documents, asks_nothing, topic_compared
from .retrieval import HybridRetriever, Retrieval, embed_question, retrieve
from .scoping import document_scope, source_quoted, without_references
from .settings import Settings
from .spelling import with_abbreviations_spelt_out, with_names_as_spelt
from .store import IndexPaths, IndexSnapshot
from .validation import clean_history, clean_question
from .wording import Place


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 2)


class Assistant:
    """Answers questions about settings.docs_dir from the index in settings.index_dir."""

    def __init__(
        self,
        settings: Settings | None = None,
        embedder: Embedder | None = None,
        answerer: Answerer | None = None,
        question_embedder: Embedder | None = None,
    ) -> None:
        """embedder: for documents, and for questions too unless question_embedder is given; each defaults to
        all-MiniLM-L6-v2, for questions by its NumPy forward pass."""
        self.settings = settings or Settings()
        self._embedder = embedder
        self._question_embedder = question_embedder or embedder
        self.answerer: Answerer = answerer or answerer_for(self.settings)
        self.indexer = Indexer(self.settings, lambda: self.embedder)
        self._paths = IndexPaths(self.settings.index_dir)
        self._snapshot: IndexSnapshot | None = None
        self._retired: list[IndexSnapshot] = []
        self._loading = threading.Lock()
        self.chain: Runnable[dict[str, Any], Answer] = (
            RunnableLambda(self._rewrite, name="rewrite")
            | RunnableLambda(self._retrieve, name="retrieve")
            | RunnableLambda(self._answer, name="answer")
        )

    # --- the parts ---
    @property
    def embedder(self) -> Embedder:
        """The embedder documents are indexed with (sentence-transformers), loaded on first use."""
        if self._embedder is None:
            self._embedder = SentenceTransformerEmbedder(self.settings.model_path, self.settings.embed_batch_size)
        return self._embedder

    @property
    def question_embedder(self) -> Embedder:
        """Same vectors, quicker to load: a cold `assistant ask` does not wait for sentence-transformers."""
        if self._question_embedder is None:
            self._question_embedder = question_embedder(self.settings.model_path, self.settings.embed_batch_size)
        return self._question_embedder

    def snapshot(self) -> IndexSnapshot:
        """The current generation, reloaded when another run has published a newer one."""
        generation = self._paths.current_generation()
        current = self._snapshot
        if current is not None and generation is not None and current.name == generation.name:
            return current
        with self._loading:
            if self._snapshot is None or generation is None or self._snapshot.name != generation.name:
                fresh = IndexSnapshot.open_current(self.settings.index_dir, self.settings)
                if self._snapshot is not None:
                    self._retired.append(self._snapshot)
                self._snapshot = fresh
                while len(self._retired) > 1:  # the newest retired one may still serve a question in flight
                    self._retired.pop(0).close()
            return self._snapshot

    def retriever(self, k: int | None = None) -> HybridRetriever:
        return HybridRetriever(
            snapshot_provider=self.snapshot,
            embedder=self.question_embedder,
            k=k or self.settings.top_k,
            candidates=self.settings.candidates_per_retriever,
        )

    # --- the chain: question + history -> standalone question -> retrieval -> answer ---
    def _rewrite(self, request: dict[str, Any]) -> dict[str, Any]:
        asked = clean_question(request.get("question"), self.settings.max_question_chars)
        history: list[Message] = clean_history(request.get("history"))
        snapshot = self.snapshot()
        # "What did Blinkin say?" is read as "What did Blinken say?" (see spelling.py): standalone_question shows it.
        question = with_names_as_spelt(asked, snapshot.uses, lambda: snapshot.names)
        question = with_abbreviations_spelt_out(question, snapshot.uses)  # "the CEO": "the chief executive"
        rewritten = rewrite(
            question, history, is_place=snapshot.names_a_place, in_lowercase=snapshot.writes_in_lowercase
        )
        standalone = rewritten.standalone
        quoted_last = previous_quotes(history)
        return {
            "question": asked,
            "standalone": standalone,
            # Only a question that leans on the history is steered towards the last answer's passages.
            "previous_quotes": quoted_last if standalone != question else [],
            "quoted_earlier": conversation_quotes(history) if standalone != question else [],
            "quoted_last": quoted_last,
            "wants_more": asks_for_more(question),
            "near_previous": rewritten.borrows_key_words,
            "previous_question": rewritten.previous,
            # "Tell me more": the text after the last answer's first quote, whatever the answerer.
            "go_on_after": quoted_last[0] if quoted_last and asks_to_go_on(question) else None,
            "asks_nothing": asks_nothing(standalone) and not (quoted_last and asks_to_go_on(question)),
            "started": time.perf_counter(),
        }

    def _retrieve(self, state: dict[str, Any], candidates: int | None = None) -> dict[str, Any]:
        began = time.perf_counter()
        snapshot = self.snapshot()  # before the model loads: no index, no wait
        if state["asks_nothing"]:  # "?", "hi": no passages are closer than any others
            state["retrieval"], state["retrieve_ms"] = None, _ms(began)
            return state
        within = self._scope(snapshot, state)
        # "What do the articles say about Taiwan?" is looked up as "Taiwan": "articles" is no part of the answer.
        query = (
            topic_compared(state["standalone"]) if asks_across_documents(state["standalone"]) else state["standalone"]
        )
        # "What does the LA Times piece say about military talks?" means, within that piece, "What does it say
        # about military talks?": what points at the piece would pull the question's vector to the line naming the
        # paper. Its words still count as words ("the Slow, Bumpy Road piece" is near its headline). A file's name
        # stays: in "What does the okapi eat?" (okapi.md) it is what is asked about.
        meaning = without_references(query) if within is not None else query
        vectors = embed_question(self.question_embedder, snapshot, meaning, with_focus=True)
        state["retrieval"] = retrieve(
            snapshot,
            query,
            vectors,
            candidates or self.settings.candidates_per_retriever,
            state["previous_quotes"],
            wants_more=state["wants_more"],
            near_previous=state["near_previous"],
            within=within,
            quoted_earlier=state["quoted_earlier"],
            sentence_query=meaning,
        )
        state["retrieve_ms"] = _ms(began)
        return state

    def _scope(self, snapshot: IndexSnapshot, state: dict[str, Any]) -> str | None:
        quoted_from = source_quoted(snapshot, state["quoted_last"])
        return document_scope(
            snapshot, state["standalone"], quoted_from, state["previous_question"], state["near_previous"]
        )

    def _answer(self, state: dict[str, Any]) -> Answer:
        began = time.perf_counter()
        retrieval: Retrieval | None = state["retrieval"]
        if retrieval is None:
            draft = Draft(NOTHING_ASKED, False, [])
        else:
            go_on = state["go_on_after"] and continuation(retrieval.snapshot, state["go_on_after"])
            draft = go_on or self.answerer.answer(state["standalone"], retrieval)
        answer_ms = _ms(began)
        return Answer(
            question=state["question"],
            standalone_question=state["standalone"],
            answer=draft.text,
            answerable=draft.answerable,
            citations=draft.citations,
            passages=passages_of(retrieval, self.settings.top_k) if retrieval else [],
            timings_ms={"retrieve": state["retrieve_ms"], "answer": answer_ms, "total": _ms(state["started"])},
        )

    # --- the public API ---
    def ask(self, question: str, history: list[Message] | None = None) -> Answer:
        """Answer with verbatim quotes, or say the documents do not answer; raises QuestionError on bad input."""
        return self.chain.invoke({"question": question, "history": history})

    def searched_in(self, question: str, history: list[Message] | None = None) -> str | None:
        """The one document `ask` answers this question from when it points at one ("according to the LA Times
        piece", "that article"), else None: all of them are searched."""
        return self._scope(self.snapshot(), self._rewrite({"question": question, "history": history}))

    def place_of(self, source: str, start: int, end: int) -> Place:
        """Where a citation's characters stand, for a person checking the quote in an editor: the first and last
        line of the document (None if the live index no longer holds them), the headings they stand under and the
        passage holding them."""
        snapshot = self.snapshot()
        passage = snapshot.passage_holding(source, start, end)
        return Place(
            snapshot.lines_of(source, start, end),
            snapshot.section_of(source, start),
            None if passage is None else (passage.start, passage.text),
        )

    def retrieve(self, question: str, k: int | None = None) -> list[Passage]:
        """The passages ranked for a question, best first (no answer is composed)."""
        k = k or self.settings.top_k
        state = self._retrieve(self._rewrite({"question": question}), max(self.settings.candidates_per_retriever, k))
        return passages_of(state["retrieval"], k) if state["retrieval"] else []

    def index(self, full: bool = False, progress: Progress | None = None) -> SyncReport:
        """Sync the index with the documents folder and start answering from the result."""
        report = self.indexer.sync(full=full, progress=progress)
        self.snapshot()
        return report

    def status(self) -> dict[str, Any]:
        snapshot = self.snapshot()
        manifest = snapshot.manifest
        return {
            "documents": len(manifest["files"]),
            "chunks": manifest["chunks"],
            "built_at": manifest["built_at"],
            "generation": snapshot.name,
            "vectors": snapshot.vectors.describe(),
            "skipped": manifest["skipped"],
            # Who words the answers: None for the quotes themselves.
            "llm": f"{self.settings.llm_model} at {self.settings.llm_url}" if self.settings.llm_url else None,
            "files": {source: entry["title"] for source, entry in manifest["files"].items()},
        }

    def close(self) -> None:
        for snapshot in [*self._retired, *([self._snapshot] if self._snapshot else [])]:
            snapshot.close()
        self._retired, self._snapshot = [], None


def answerer_for(settings: Settings) -> Answerer:
    """Quotes, or with settings.llm_url an answer a language model words from the documents' sentences."""
    quotes = QuoteAnswerer(settings.abstain_below, settings.max_quotes)
    if not settings.llm_url:
        return quotes
    from .llm import chat_model_for
    from .llm_answering import LLMAnswerer

    return LLMAnswerer(chat_model_for(settings), quotes)


def passages_of(retrieval: Retrieval, k: int) -> list[Passage]:
    return [
        Passage(rank, s.chunk.source, s.chunk.start, s.chunk.end, s.chunk.text, round(s.score, 6))
        for rank, s in enumerate(retrieval.chunks[:k], start=1)
    ]
