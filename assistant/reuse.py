"""What a sync takes over from the generation before it: all it derived from the documents that did not change.

Splitting a document, finding its lines, headings and list items, and tokenizing its passages and sentences for the
word indexes depend on that document alone, so an unchanged document's chunk table rows, sentence vectors and word
index entries are carried over as they are. One edit in a 5 MB folder then costs what that document costs, not
what the folder does.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .lexical import BM25Index
from .store import PASSAGE_BM25, SENTENCE_BM25

Row = dict[str, Any]


@dataclass
class PreviousGeneration:
    """A published generation's chunk table, sentence vectors and word indexes, by source."""

    rows: dict[str, list[Row]]  # the chunk table's rows of each source, in order
    passage_rows: dict[str, np.ndarray]  # where each source's rows stand in the chunk table
    sentence_rows: dict[str, np.ndarray]  # where each source's sentences stand in the sentence table
    sentence_vectors: np.ndarray
    passage_bm25: BM25Index
    sentence_bm25: BM25Index

    @classmethod
    def read(cls, generation: Path) -> PreviousGeneration | None:
        """None when a part is missing or does not match the others: the sync then derives everything again."""
        try:
            table: list[Row] = json.loads((generation / "chunks.json").read_text(encoding="utf-8"))
            sentence_vectors = np.load(generation / "sentence_vectors.npy")
            passage_bm25 = BM25Index.load(generation / PASSAGE_BM25)
            sentence_bm25 = BM25Index.load(generation / SENTENCE_BM25)
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
            return None
        rows: dict[str, list[Row]] = {}
        passage_rows: dict[str, list[int]] = {}
        sentence_rows: dict[str, list[int]] = {}
        sentence = 0
        for number, row in enumerate(table):
            rows.setdefault(row["source"], []).append(row)
            passage_rows.setdefault(row["source"], []).append(number)
            count = len(row["sentences"])
            sentence_rows.setdefault(row["source"], []).extend(range(sentence, sentence + count))
            sentence += count
        if not (len(sentence_vectors) == sentence == sentence_bm25.size and passage_bm25.size == len(table)):
            return None
        return cls(
            rows,
            {source: np.array(found, dtype=np.int64) for source, found in passage_rows.items()},
            {source: np.array(found, dtype=np.int64) for source, found in sentence_rows.items()},
            sentence_vectors,
            passage_bm25,
            sentence_bm25,
        )


def sentence_readings_of(rows: list[Row]) -> list[str]:
    """What the sentences of chunk table rows are read as, to embed them and index their words: their texts, but a
    table's data row with its column names (splitting.table_row_readings), a FAQ's question with the start of its
    answer (splitting.faq_question_reading)."""
    readings: list[str] = []
    for row in rows:
        read_as = dict(row.get("readings", []))
        readings.extend(
            read_as.get(place, row["text"][start - row["start"] : end - row["start"]])
            for place, (start, end) in enumerate(row["sentences"])
        )
    return readings


def renumbering(old_size: int, moves: list[tuple[np.ndarray, int]]) -> np.ndarray:
    """For each old row, its new row (-1: dropped), given runs of old rows that move, in order, to new rows starting
    at a given row."""
    new_row = np.full(old_size, -1, dtype=np.int64)
    for old_rows, first in moves:
        new_row[old_rows] = np.arange(first, first + len(old_rows))
    return new_row


@dataclass
class Tables:
    """A generation's chunk table, sentence vectors and word indexes, all in the same order of sources."""

    rows: list[Row]
    sentence_vectors: np.ndarray
    passage_bm25: BM25Index
    sentence_bm25: BM25Index


def assemble(
    sources: list[str],
    rows_of: dict[str, list[Row]],
    fresh_vectors: np.ndarray,
    previous: PreviousGeneration | None = None,
    carried_over: frozenset[str] = frozenset(),
) -> Tables:
    """The tables of a new generation, sources in this order. A source carried over from `previous` keeps its
    sentence vectors and word index entries from there; the others' are made from their rows, their sentences'
    vectors being `fresh_vectors`, in order."""
    rows: list[Row] = []
    vectors = []
    passage_moves: list[tuple[np.ndarray, int]] = []
    sentence_moves: list[tuple[np.ndarray, int]] = []
    fresh_passages: dict[int, str] = {}
    fresh_sentences: dict[int, str] = {}
    sentences = fresh_at = 0
    for source in sources:
        if previous is not None and source in carried_over:
            passage_moves.append((previous.passage_rows[source], len(rows)))
            sentence_moves.append((previous.sentence_rows[source], sentences))
            vectors.append(previous.sentence_vectors[previous.sentence_rows[source]])
            count = len(previous.sentence_rows[source])
        else:
            texts = sentence_readings_of(rows_of[source])
            fresh_passages.update(enumerate((row["text"] for row in rows_of[source]), start=len(rows)))
            fresh_sentences.update(enumerate(texts, start=sentences))
            vectors.append(fresh_vectors[fresh_at : fresh_at + len(texts)])
            count = len(texts)
            fresh_at += count
        rows.extend(rows_of[source])
        sentences += count
    passage_base = previous.passage_bm25 if previous is not None else BM25Index([])
    sentence_base = previous.sentence_bm25 if previous is not None else BM25Index([])
    return Tables(
        rows,
        np.concatenate(vectors) if vectors else fresh_vectors,
        passage_base.renumbered(renumbering(passage_base.size, passage_moves), fresh_passages, len(rows)),
        sentence_base.renumbered(renumbering(sentence_base.size, sentence_moves), fresh_sentences, sentences),
    )
