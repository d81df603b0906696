"""Answering without an LLM: choose the sentences that best answer the question and quote them verbatim."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from .answer import Citation
from .lexical import tokenize
from .retrieval import Retrieval

NOT_FOUND = "The documents do not answer this question. The closest passages are shown below."


@dataclass(frozen=True)
class Draft:
    text: str
    answerable: bool
    citations: list[Citation]


class Answerer(Protocol):
    """The swappable last step: turns a retrieval into an answer text with checked citations."""

    def answer(self, question: str, retrieval: Retrieval) -> Draft: ...


@dataclass(frozen=True)
class ScoredSentence:
    index: int  # row in the snapshot's sentence table
    source: str
    start: int
    end: int
    similarity: float
    score: float


class QuoteAnswerer:
    """Scores every sentence of the best passages by meaning and by shared rare words, quotes the best."""

    def __init__(
        self,
        abstain_below: float,
        max_quotes: int = 3,
        passages_considered: int = 5,
        extra_quote_margin: float = 0.06,
    ) -> None:
        self.abstain_below = abstain_below
        self.max_quotes = max_quotes
        self.passages_considered = passages_considered
        self.extra_quote_margin = extra_quote_margin

    def rank_sentences(self, question: str, retrieval: Retrieval) -> list[ScoredSentence]:
        snapshot = retrieval.snapshot
        bm25 = snapshot.bm25
        terms = set(tokenize(question))
        weight = {term: bm25.idf(term) for term in terms if bm25.document_frequency(term)}
        total_weight = sum(weight.values()) or 1.0
        seen: set[tuple[str, int]] = set()
        ranked: list[ScoredSentence] = []
        top = retrieval.chunks[: self.passages_considered]
        for rank, scored in enumerate(top):
            prior = 1.0 - rank / max(len(top), 1)
            for index in snapshot.sentence_rows_of_chunk[scored.row]:
                sentence = snapshot.sentences[index]
                key = (scored.chunk.source, sentence.start)
                if key in seen:  # neighbouring chunks share sentences
                    continue
                seen.add(key)
                text = scored.chunk.text[sentence.start - scored.chunk.start : sentence.end - scored.chunk.start]
                overlap = sum(weight.get(term, 0.0) for term in set(tokenize(text))) / total_weight
                similarity = float(retrieval.sentence_similarity[index])
                short_penalty = 0.1 if len(text) < 40 else 0.0
                score = similarity + 0.3 * overlap + 0.05 * prior - short_penalty
                ranked.append(
                    ScoredSentence(index, scored.chunk.source, sentence.start, sentence.end, similarity, score)
                )
        ranked.sort(key=lambda s: -s.score)
        return ranked

    def answer(self, question: str, retrieval: Retrieval) -> Draft:
        ranked = self.rank_sentences(question, retrieval)
        if not ranked or ranked[0].similarity < self.abstain_below:
            return Draft(NOT_FOUND, False, [])
        best = ranked[0].score
        chosen = [s for s in ranked if s.score >= best - self.extra_quote_margin][: self.max_quotes]
        citations = []
        for number, sentence in enumerate(chosen, start=1):
            chunk = retrieval.snapshot.chunks[retrieval.snapshot.sentences[sentence.index].chunk_row]
            quote = chunk.text[sentence.start - chunk.start : sentence.end - chunk.start]
            citations.append(Citation(number, sentence.source, sentence.start, sentence.end, quote))
        text = " ".join(f"“{citation.quote}” [{citation.id}]" for citation in citations)
        return Draft(text, True, citations)
