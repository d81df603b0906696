"""Retrieval: dense (Chroma passages, sentences) and BM25 (passages, sentences) scores fused per sentence.

Exposed to LangChain users as `HybridRetriever`, a `BaseRetriever`.
"""

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
from .lexical import expansion_words, query_terms
from .question_types import speaker_asked_about, without_names
from .scoping import document_scope
from .splitting import Chunk
from .store import IndexSnapshot


@dataclass(frozen=True)
class ScoredChunk:
    row: int
    chunk: Chunk
    score: float  # the score of its best sentence


@dataclass(frozen=True)
class Weights:
    """How the signals add up for a sentence; calibrated on eval/questions.jsonl (see README)."""

    sentence_lexical: float = 0.45  # BM25 of the sentence, scaled so the best sentence has 1
    chunk_dense: float = 1.5  # cosine of the sentence's passage (Chroma)
    chunk_lexical: float = 0.6  # BM25 of the passage with the expanded terms, scaled so the best passage has 1
    not_a_statement: float = 0.75  # headlines, captions and rhetorical questions rarely answer anything
    full_lexical_coverage: float = 0.5  # the BM25 signals count fully when one passage holds this share of the
    # question's IDF; below it they fade in proportion: a paraphrase is matched by meaning, not by stray words
    expansion_min_similarity: float = 0.6  # a corpus word this close to a question word also counts for BM25 ...
    expansion_per_word: int = 3  # ... at most this many per question word ...
    expansion_weight: float = 0.5  # ... with this weight times its similarity (the question's own words: 1)
    near_previous_quote: float = 0.8  # a follow-up is most often answered near the last answer's quotes ...
    previous_quote_reach: float = 1500.0  # ... the lift falls by e every this many characters from them ...
    repeats_previous_quote: float = 0.45  # ... and not by repeating that quote ...
    repeats_when_more_is_asked: float = 10.0  # ... never when it asks for more: "What else did he say?"


@dataclass(frozen=True)
class Retrieval:
    """Everything the answerer needs from one retrieval, computed once."""

    query: str
    sentence_similarity: np.ndarray  # cosine of the query with every sentence of the snapshot
    sentence_scores: np.ndarray  # the fused score of every sentence
    chunks: list[ScoredChunk]  # best first
    snapshot: IndexSnapshot
    # Each sentence's own score: its cosine and its BM25, not its passage's, and no fading for paraphrases (that
    # is for ranking passages; inside one passage, shared words still tell its sentences apart). A follow-up's steer
    # towards the last quotes is left out too (it chose the passage); a sentence not wanted again stays out.
    sentence_own_scores: np.ndarray | None = None
    within: str | None = None  # the one document the question points at, if any (see scoping.py)
    quoted_before: tuple[str, ...] = ()  # the conversation's quotes, when the question points back at them ("Why?")
    speaker: str | None = None  # whose words in an interview the question asks for, if anyone's (see speakers.py)
    focus: np.ndarray | None = None  # the vector of what the question asks of the names it holds (QuestionVectors)


@dataclass(frozen=True)
class QuestionVectors:
    question: np.ndarray  # the whole question
    words: list[str]  # its content words ...
    word_vectors: np.ndarray  # ... and theirs, to find the corpus's words for the same things
    # The question without its names ("Who put together the exhibition at the Morrow Gallery?" -> "Who put together
    # the exhibition at the ?"): what it asks of them. None when it names nothing.
    focus: np.ndarray | None = None


def embed_question(
    embedder: Embedder, snapshot: IndexSnapshot, question: str, with_focus: bool = False
) -> QuestionVectors:
    """The question's vector and its content words' (from the index's vocabulary where it has them); with_focus,
    that of the question without its names too (only the answerer uses it).

    The words the vocabulary lacks go in one call with the question: the NumPy encoder packs them into one
    forward pass, which reads the model's weights once.
    """
    words = expansion_words(question)
    known = [snapshot.vocabulary_row.get(word) for word in words]
    unknown = [word for word, row in zip(words, known, strict=True) if row is None]
    focus = without_names(question) if with_focus else None
    question_vector, *vectors = embedder.embed([question, *([focus] if focus else []), *unknown])
    focus_vector = vectors.pop(0) if focus else None
    fresh = iter(vectors)
    word_vectors = [snapshot.vocabulary_vectors[row] if row is not None else next(fresh) for row in known]
    shape = (len(words), len(question_vector))
    return QuestionVectors(
        question_vector, words, np.array(word_vectors, dtype=np.float32).reshape(shape), focus_vector
    )


def expanded_terms(
    snapshot: IndexSnapshot, query: str, question: QuestionVectors, weights: Weights
) -> dict[str, float]:
    """The query's BM25 terms plus the corpus words closest in meaning to its words ("pressing" -> "urgent")."""
    terms = dict.fromkeys(query_terms(query), 1.0)
    if not question.words or not len(snapshot.vocabulary_stems):
        return terms
    similarity = question.word_vectors @ snapshot.vocabulary_vectors.T
    k = min(weights.expansion_per_word, similarity.shape[1])
    for row in similarity:
        nearest = np.argpartition(-row, k - 1)[:k]  # not a full sort of a vocabulary of thousands
        for column in nearest[np.argsort(-row[nearest])]:
            if row[column] < weights.expansion_min_similarity:
                break
            term = snapshot.vocabulary_stems[column]
            terms[term] = max(terms.get(term, 0.0), weights.expansion_weight * float(row[column]))
    return terms


def _scaled(scores: np.ndarray) -> np.ndarray:
    top = float(scores.max()) if scores.size else 0.0
    return scores / top if top > 0 else scores


def conversation_prior(
    snapshot: IndexSnapshot,
    previous_quotes: list[str],
    weights: Weights,
    wants_more: bool = False,
    near_previous: bool = True,
    quoted_earlier: list[str] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Per sentence, in two parts: the steer (a lift that fades with the distance from the last answer's quotes,
    a drop for those quotes) and, when something else is asked for, the drop for the sentences quoted whole in the
    conversation (quoted_earlier, else the last answer): they are not wanted again, whatever the scores a quote is
    chosen by.

    A follow-up that points back ("Why?") is most often answered a few sentences or paragraphs from what was
    quoted last; one that names its subject ("When was Li Shangfu sanctioned?") stands alone (not near_previous):
    no steer, only the drop when it asks for something else ("What else did Li Shangfu say?").
    """
    steer = np.zeros(len(snapshot.sentences), dtype=np.float32)
    not_again = np.zeros(len(snapshot.sentences), dtype=np.float32)
    quoted_in = [(index, quote) for quote in previous_quotes for index in snapshot.sentences_quoting(quote)]
    quoted = [index for index, _ in quoted_in]
    if near_previous:
        for index in quoted:
            same_source = snapshot.sentence_source_codes == snapshot.sentence_source_codes[index]
            distance = np.abs(snapshot.sentence_starts - snapshot.sentence_starts[index])
            lift = np.where(same_source, np.exp(-distance / weights.previous_quote_reach), 0.0)
            np.maximum(steer, weights.near_previous_quote * lift, out=steer)
        steer[quoted] -= weights.repeats_previous_quote
    if wants_more:  # a sentence quoted whole is not wanted again; one quoted in part may hold the "else"
        said = quoted_earlier if quoted_earlier is not None else previous_quotes
        said_in = [(index, quote) for quote in said for index in snapshot.sentences_quoting(quote)]
        whole = [index for index, quote in said_in if snapshot.sentence_text(index) in quote]
        not_again[whole] -= weights.repeats_when_more_is_asked
    return steer, not_again


def retrieve(
    snapshot: IndexSnapshot,
    query: str,
    vectors: QuestionVectors,
    candidates: int,
    previous_quotes: list[str] | None = None,
    weights: Weights = Weights(),
    wants_more: bool = False,
    near_previous: bool = True,
    within: str | None = None,
    quoted_earlier: list[str] | None = None,
    sentence_query: str | None = None,
) -> Retrieval:
    """Score every sentence by meaning and words, its own and its passage's; rank passages by their best.

    previous_quotes: the quotes of the answer a follow-up question leans on (see conversation.py);
    wants_more: the follow-up asks for something else than those quotes;
    near_previous: the follow-up still points at them (it borrowed the previous question's key words);
    within: only this document's passages are ranked (the question points at it, see scoping.py);
    quoted_earlier: the quotes of every answer of the conversation, which "What else?" does not want again;
    sentence_query: the words that tell sentences apart, if not the query's: a question about one document without
    the words that point at it ("This story originally appeared in the Los Angeles Times." answers nothing).
    """
    query_vector = vectors.question
    similarity = snapshot.sentence_vectors @ query_vector if len(snapshot.sentences) else np.zeros(0, np.float32)
    terms = expanded_terms(snapshot, query, vectors, weights)
    dense = snapshot.dense_chunks(query_vector, candidates, within)
    # Passages beyond Chroma's top candidates get the lowest similarity seen: a bound, not a guess.
    chunk_dense = np.full(len(snapshot.chunks), min((sim for _, sim in dense), default=0.0), dtype=np.float32)
    for row, sim in dense:
        chunk_dense[row] = sim
    rows = snapshot.sentence_chunk_rows
    lexical_trust = min(1.0, snapshot.bm25.coverage(query) / weights.full_lexical_coverage)
    sentence_lexical = weights.sentence_lexical * _scaled(snapshot.sentence_bm25.scores(sentence_query or query))
    steer, not_again = conversation_prior(
        snapshot, previous_quotes or [], weights, wants_more, near_previous, quoted_earlier
    )
    scores = (
        similarity
        + lexical_trust * sentence_lexical
        + weights.chunk_dense * chunk_dense[rows]
        + lexical_trust * weights.chunk_lexical * _scaled(snapshot.bm25.weighted_scores(terms))[rows]
        - weights.not_a_statement * ~snapshot.sentence_is_statement
        + steer
        + not_again
    )
    best = np.full(len(snapshot.chunks), -np.inf, dtype=np.float32)
    np.maximum.at(best, rows, scores)
    order = np.argsort(-best, kind="stable")
    speaker = speaker_asked_about(query, snapshot.speakers())
    if speaker is not None:  # "What did McFarland say ...?": the passages of her turns first
        in_turns = np.zeros(len(snapshot.chunks), dtype=bool)
        in_turns[rows[snapshot.spoken_by(speaker)]] = True
        order = order[np.argsort(~in_turns[order], kind="stable")]
    if within is not None:
        order = order[[snapshot.chunks[row].source == within for row in order]]
    order = order[:candidates]
    chunks = [ScoredChunk(int(row), snapshot.chunks[row], float(best[row])) for row in order]
    # "What else?" must not get the last quote again, whatever the scores it is chosen by.
    own_scores = similarity + sentence_lexical + not_again
    said = quoted_earlier if quoted_earlier is not None else previous_quotes or []
    quoted_before = tuple(said) if near_previous else ()  # "Did Xi meet them?" stands alone
    return Retrieval(
        query, similarity, scores, chunks, snapshot, own_scores, within, quoted_before, speaker, vectors.focus
    )


class HybridRetriever(BaseRetriever):
    """LangChain face of `retrieve`: documents carry source, offsets and the fused score."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    snapshot_provider: Callable[[], IndexSnapshot]
    embedder: Any  # an Embedder; Any because pydantic cannot validate a Protocol
    k: int = 5
    candidates: int = 30

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[LangChainDocument]:
        embedder: Embedder = self.embedder
        snapshot = self.snapshot_provider()
        vectors = embed_question(embedder, snapshot, query)
        retrieval = retrieve(snapshot, query, vectors, self.candidates, within=document_scope(snapshot, query))
        return [as_langchain_document(scored) for scored in retrieval.chunks[: self.k]]


def as_langchain_document(scored: ScoredChunk) -> LangChainDocument:
    chunk = scored.chunk
    return LangChainDocument(
        page_content=chunk.text,
        id=chunk.id,
        metadata={"source": chunk.source, "start": chunk.start, "end": chunk.end, "score": scored.score},
    )
