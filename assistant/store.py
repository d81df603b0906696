"""The persisted index: immutable generations (Chroma + chunk table + vectors), one of them CURRENT.

A generation is written in a temporary folder and published by renaming it and then atomically
replacing the CURRENT pointer, so a reader always sees a whole generation, old or new, never a mix,
and a crash at any moment leaves the previous generation in place.
"""

from __future__ import annotations

import bisect
import functools
import json
import os
import re
import shutil
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np

from .errors import IndexMissingError
from .lexical import BM25Index, content_words, names_identifier, stem, tokenize
from .question_types import places_in, speaks_in
from .settings import Settings
from .speakers import DocumentSentence, label_of, turns
from .splitting import (
    CLOSING_MARKS,
    MAX_SENTENCE_CHARS,
    Chunk,
    Heading,
    after_a_blank_line,
    heading_path,
    heading_text,
    is_code,
    line_before,
)
from .vectors import (
    ServerToken,
    VectorPlace,
    close_client,
    collection_of,
    open_client,
    unreachable,
    where_vectors_live,
)


@dataclass(frozen=True)
class IndexPaths:
    root: Path

    @property
    def current(self) -> Path:
        return self.root / "CURRENT"

    @property
    def generations(self) -> Path:
        return self.root / "generations"

    @property
    def cache(self) -> Path:
        return self.root / "embeddings.sqlite"

    @property
    def lock(self) -> Path:
        return self.root / ".lock"

    @property
    def id_file(self) -> Path:
        return self.root / "ID"

    def index_id(self) -> str:
        """A random name of this index, made once: it tells its collections on a Chroma server from others'.

        It is recorded with the folder it was made for. A copy of the folder (or the folder moved) gets a name of
        its own, so it never deletes the collections of the index it was copied from, which may still be in use.
        """
        here = str(self.root.resolve())
        try:
            recorded = json.loads(self.id_file.read_text(encoding="utf-8"))
            if recorded["folder"] == here:
                return str(recorded["id"])
        except (FileNotFoundError, ValueError, KeyError, TypeError):
            pass
        self.root.mkdir(parents=True, exist_ok=True)
        made = self.root / f".ID.{os.getpid()}"
        write_json(made, {"id": uuid.uuid4().hex[:8], "folder": here})
        os.replace(made, self.id_file)
        return str(json.loads(self.id_file.read_text(encoding="utf-8"))["id"])

    def current_generation(self) -> Path | None:
        try:
            name = self.current.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        path = self.generations / name
        return path if (path / "manifest.json").is_file() else None


def write_json(path: Path, data: object) -> None:
    with path.open("w", encoding="utf-8") as handle:
        # json.dumps, not json.dump: only the one-shot encoder is the C one (a 5 MB folder's chunk table took 1.2 s).
        handle.write(json.dumps(data, ensure_ascii=False))
        handle.flush()
        os.fsync(handle.fileno())


def publish(paths: IndexPaths, staging: Path, name: str) -> Path:
    """Make a fully written staging folder the current generation; two renames, both atomic."""
    final = paths.generations / name
    os.replace(staging, final)
    pointer = paths.root / f".CURRENT.{os.getpid()}"
    pointer.write_text(name + "\n", encoding="utf-8")
    with pointer.open("rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(pointer, paths.current)
    directory = os.open(paths.root, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return final


def prune(paths: IndexPaths, keep: set[str]) -> None:
    """Drop old generations and leftovers of interrupted runs (called under the index lock)."""
    if not paths.generations.exists():
        return
    for entry in paths.generations.iterdir():
        if entry.name not in keep:
            shutil.rmtree(entry, ignore_errors=True)


# A generation's word (BM25) indexes of its passages and of its sentences, written as it is built.
PASSAGE_BM25 = "passages_bm25.npz"
SENTENCE_BM25 = "sentences_bm25.npz"


WORD = re.compile(r"[^\W\d_]{3,}")  # a word of letters only, as names are


# A list item that is only a link: a table of contents' entry, "[Set up your shell](#set-up-your-shell)".
ONLY_A_LINK = re.compile(r"\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])")


def is_statement(sentence: str, list_item: bool = False) -> bool:
    """A sentence that can answer: not a headline, caption, code or a question the article asks itself. A piece of a
    sentence too long to quote whole is one, whatever it ends with: a legal clause goes on after a comma. So is the
    first sentence of a list item ("- Add PowerShell support by @fblanchetNaN"), unless the item is only a link."""
    ending = sentence.rstrip(CLOSING_MARKS)
    return (
        len(sentence.split()) >= 3
        and (
            ending.endswith((".", "!", ":", ";", "…"))
            or ((list_item or len(sentence) >= MAX_SENTENCE_CHARS // 2) and not ending.endswith("?"))
        )
        and not is_code(sentence)
        and not (list_item and ONLY_A_LINK.fullmatch(sentence))
    )


def is_heading(text: str, list_item: bool = False) -> bool:
    """A line that names what follows: no sentence's end ("Requesting leave", a document's title); not a list item,
    code or a table's row."""
    return (
        bool(text)
        and not list_item
        and not text.rstrip(CLOSING_MARKS).endswith((".", "!", "?", ":", ";", "…", ","))
        and not is_code(text)
        and not text.startswith("|")
    )


def opens_a_paragraph(text: str, start: int) -> bool:
    """Whether the sentence at `start` of a passage's text begins its paragraph, as a heading does ("Requesting
    leave" after a blank line); the third line of a block ("Guest: Owen Trask, founder of Hollow Oak Cider" under a
    transcript's title) names nothing that follows. The passage's first line counts as opening one."""
    before = line_before(text, start)
    return not before.strip() and after_a_blank_line(text, start - len(before))


def words_of_file_names(sources: Iterable[str]) -> set[str]:
    """The lowercased words of the files' names, their folders' too: "licenses/GPL-3.txt" -> gpl, licenses."""
    return {
        word
        for source in sources
        for word in re.split(r"[^0-9a-z]+", str(PurePosixPath(source).with_suffix("")).lower())
        if len(word) >= 2 and not word.isdigit()
    }


def line_openers(chunks: list[Chunk]) -> dict[int, bool]:
    """Whether each sentence of a document begins a line, by start: read in a passage where text stands before
    it (neighbouring passages overlap). The document's first sentence does; one at a passage's start that no other
    passage holds is taken not to."""
    opens: dict[int, bool] = {}
    for place, chunk in enumerate(chunks):
        for position, (start, _) in enumerate(chunk.sentences):
            if position > 0:
                opens[start] = chunk.text[: start - chunk.start].rstrip(" \t").endswith("\n")
            elif place == 0:
                opens[start] = True
    for chunk in chunks:
        for start, _ in chunk.sentences[:1]:
            opens.setdefault(start, False)
    return opens


def read_manifest(generation: Path) -> dict[str, Any]:
    return dict(json.loads((generation / "manifest.json").read_text(encoding="utf-8")))


@dataclass(frozen=True)
class SentenceRow:
    chunk_row: int
    start: int
    end: int


class IndexSnapshot:
    """One loaded generation: read-only, so any number of questions can use it at once."""

    def __init__(self, generation: Path, credentials: ServerToken | None = None) -> None:
        self.path = generation
        self.name = generation.name
        self.manifest = read_manifest(generation)
        rows = json.loads((generation / "chunks.json").read_text(encoding="utf-8"))
        self.chunks = [
            Chunk(r["id"], r["source"], r["start"], r["end"], r["text"], tuple(map(tuple, r["sentences"])))
            for r in rows
        ]
        self._first_lines: list[int | None] = [r.get("line") for r in rows]  # None: built before lines were kept
        self.row_of = {chunk.id: row for row, chunk in enumerate(self.chunks)}
        self._rows_of_source: dict[str, list[int]] = {}
        for row, chunk in enumerate(self.chunks):
            self._rows_of_source.setdefault(chunk.source, []).append(row)
        self.sentences = [
            SentenceRow(row, start, end) for row, chunk in enumerate(self.chunks) for start, end in chunk.sentences
        ]
        self.sentence_vectors = np.load(generation / "sentence_vectors.npy")
        self.sentence_chunk_rows = np.fromiter((s.chunk_row for s in self.sentences), np.int64, len(self.sentences))
        self.sentence_starts = np.fromiter((s.start for s in self.sentences), np.int64, len(self.sentences))
        source_codes = {source: code for code, source in enumerate(dict.fromkeys(c.source for c in self.chunks))}
        self.sentence_source_codes = np.fromiter(
            (source_codes[self.chunks[s.chunk_row].source] for s in self.sentences), np.int64, len(self.sentences)
        )
        sentence_texts = [self.sentence_text(index) for index in range(len(self.sentences))]
        # The sentences that open a list item, by source and start (none in an index built before they were kept).
        self._list_items = {
            (row["source"], row["sentences"][place][0]) for row in rows for place in row.get("items", [])
        }
        # The sentences that begin on a line going on with the paragraph above it (wrapped text), by source and start.
        self._wrapped = {
            (row["source"], row["sentences"][place][0]) for row in rows for place in row.get("wrapped", [])
        }
        headings: dict[str, dict[int, Heading]] = {}  # by start: passages overlap
        for row in rows:
            for place, level in row.get("headings", []):
                start = row["sentences"][place][0]
                text = heading_text(row["text"], start - row["start"])
                headings.setdefault(row["source"], {})[start] = (start, level, text)
        self._headings_of = {source: sorted(found.values()) for source, found in headings.items()}
        self._sentence_at = {(self.chunks[s.chunk_row].source, s.start): i for i, s in enumerate(self.sentences)}
        list_items = [self.opens_list_item(self.chunks[s.chunk_row].source, s.start) for s in self.sentences]
        # A table's data row states something as a list's item does ("| 3 | Wed 11 Feb | ... | Black Beach Suites |").
        table_rows = {
            (row["source"], start)
            for row in rows
            for place, _ in row.get("readings", [])
            if row["text"][(start := row["sentences"][place][0]) - row["start"]] == "|"  # not a FAQ's question
        }
        self.sentence_is_statement = np.array(
            [
                is_statement(text, item or (self.chunks[s.chunk_row].source, s.start) in table_rows)
                for text, item, s in zip(sentence_texts, list_items, self.sentences, strict=True)
            ],
            dtype=bool,
        )
        # A line with no sentence's end is a heading when it opens its paragraph, or when Markdown marks it one.
        marked = {(source, start) for source, found in self._headings_of.items() for start, _, _ in found}
        chunk_of = [self.chunks[sentence.chunk_row] for sentence in self.sentences]
        self.sentence_is_heading = np.array(
            [
                is_heading(text, item)
                and ((chunk.source, s.start) in marked or opens_a_paragraph(chunk.text, s.start - chunk.start))
                for text, item, s, chunk in zip(sentence_texts, list_items, self.sentences, chunk_of, strict=True)
            ],
            dtype=bool,
        )
        self._sentence_texts = sentence_texts
        # For each sentence, the sentence whose speaker's label opens the turn it stands in (an interview's
        # "McFarland: ..."), or -1.
        self._turn_opening = self._find_turns()
        self._turns_of: dict[str, list[int]] = {}  # by speaker, the sentences opening their turns
        for opening in sorted(set(self._turn_opening.tolist()) - {-1}):
            self._turns_of.setdefault(label_of(sentence_texts[opening]) or "", []).append(opening)  # always a label
        vocabulary = json.loads((generation / "vocabulary.json").read_text("utf-8"))
        self.vocabulary_row = {word: row for row, word in enumerate(vocabulary)}
        self.vocabulary_stems = [stem(word) for word in vocabulary]
        self.vocabulary_vectors = np.load(generation / "vocabulary_vectors.npy")
        # A file's name is a mention too: "BSD.txt" holds the BSD license, which never says "BSD".
        self._sorted_vocabulary = sorted({*vocabulary, *words_of_file_names(self.manifest["files"])})
        self.bm25 = BM25Index.load(generation / PASSAGE_BM25)
        self.sentence_bm25 = BM25Index.load(generation / SENTENCE_BM25)
        self._sentences_by_text: dict[str, list[int]] = {}
        for index, text in enumerate(sentence_texts):
            self._sentences_by_text.setdefault(text, []).append(index)
        self.vectors = VectorPlace.of_manifest(self.manifest)
        self._credentials = credentials
        self._client = open_client(self.vectors.server, generation, credentials)
        try:
            self.collection = collection_of(self._client, self.vectors.collection)
        except Exception as error:
            close_client(self._client)
            if self.vectors.server is None:
                raise
            raise unreachable(self.vectors.server, error, self._credentials) from None

    def _find_turns(self) -> np.ndarray:
        opening = np.full(len(self.sentences), -1, dtype=np.int64)
        for source, rows in self._rows_of_source.items():
            opens = line_openers([self.chunks[row] for row in rows])
            starts = sorted(opens)
            indices = [self._sentence_at[(source, start)] for start in starts]
            document = [
                DocumentSentence(self._sentence_texts[index], opens[start], bool(self.sentence_is_statement[index]))
                for start, index in zip(starts, indices, strict=True)
            ]
            for index, turn in zip(indices, turns(document), strict=True):
                if turn is not None:
                    opening[index] = indices[turn]
        # A sentence two passages hold is in the same turn in both.
        canonical = [self._sentence_at[(self.chunks[s.chunk_row].source, s.start)] for s in self.sentences]
        return opening[canonical]

    def speaker_of(self, index: int) -> str | None:
        """The name of whoever speaks a sentence, by the label of the turn it stands in ("McFarland"); None when
        the sentence stands in no speaker's turn."""
        opening = int(self._turn_opening[index])
        return None if opening < 0 else label_of(self._sentence_texts[opening])

    def turn_opening(self, index: int) -> int | None:
        """The sentence whose speaker's label opens the turn a sentence stands in, if any."""
        opening = int(self._turn_opening[index])
        return None if opening < 0 else opening

    def speakers(self) -> set[str]:
        """The names of everyone who has a turn in the documents."""
        return set(self._turns_of)

    def spoken_by(self, name: str) -> np.ndarray:
        """Per sentence, whether it stands in a turn of this speaker."""
        return np.isin(self._turn_opening, self._turns_of.get(name, []))

    def sentences_spoken_by(self, name: str) -> list[int]:
        """The sentences of the turns of a speaker, each once (passages overlap), by index."""
        return sorted(
            {
                self._sentence_at[(self.chunks[self.sentences[index].chunk_row].source, self.sentences[index].start)]
                for index in np.flatnonzero(self.spoken_by(name))
            }
        )

    def opens_list_item(self, source: str, start: int) -> bool:
        """Whether the sentence of this source starting here is the first of a list item ("- Add PowerShell ...")."""
        return (source, start) in self._list_items

    def goes_on_from_the_line_above(self, source: str, start: int) -> bool:
        """Whether the sentence of this source starting here begins on a line that goes on with the paragraph above
        it: in text wrapped at a fixed width, a line break is no paragraph break."""
        return (source, start) in self._wrapped

    def markdown_headings(self, source: str | None = None) -> Iterator[tuple[str, Heading]]:
        """Every Markdown heading (of one source, or of all), as (source, (start, level, text))."""
        for name, headings in self._headings_of.items():
            if source is None or name == source:
                yield from ((name, heading) for heading in headings)

    def sentence_at(self, source: str, start: int) -> int | None:
        """The sentence of this source that starts here, if any."""
        return self._sentence_at.get((source, start))

    def section_of(self, source: str, offset: int) -> str | None:
        """The Markdown headings a place in a document stands under, the document's title left out:
        "Release v2.6.18", "Timers › setTimeout(callback, delay)"; None when no heading comes before it."""
        title = self.manifest["files"].get(source, {}).get("title")
        path = heading_path(self._headings_of.get(source, []), offset)
        return " › ".join(text for _, _, text in path if text and text != title) or None

    def heading_above(self, source: str, offset: int) -> Heading | None:
        """The innermost heading a place in a document stands under, if any."""
        path = heading_path(self._headings_of.get(source, []), offset)
        return path[-1] if path else None

    def chunks_of(self, source: str) -> list[Chunk]:
        """A document's passages, in order."""
        return [self.chunks[row] for row in self._rows_of_source.get(source, [])]

    def passage_holding(self, source: str, start: int, end: int) -> Chunk | None:
        """The first passage of a document that holds the whole span, if any (a quote run on past a passage's end may
        stand in none)."""
        return next((chunk for chunk in self.chunks_of(source) if chunk.start <= start and end <= chunk.end), None)

    def lines_of(self, source: str, start: int, end: int) -> tuple[int, int] | None:
        """The first and last line (1-based) a span of a document stands on; None if no passage holds its ends."""
        first, last = self._line_at(source, start), self._line_at(source, end - 1)
        return (first, last) if first is not None and last is not None else None

    def _line_at(self, source: str, offset: int) -> int | None:
        for row in self._rows_of_source.get(source, []):
            chunk, first_line = self.chunks[row], self._first_lines[row]
            if first_line is not None and chunk.start <= offset < chunk.end:
                return first_line + chunk.text.count("\n", 0, offset - chunk.start)
        return None

    def sentences_quoting(self, quote: str) -> list[int]:
        """Sentences a quote is made of: the one equal to it (most of ours), else those it spans or is part of."""
        exact = self._sentences_by_text.get(quote)
        if exact is not None:
            return exact
        if len(quote) <= 20:  # too short to say where it comes from
            return []
        return [
            index
            for index, text in enumerate(self._sentence_texts)
            if quote in text or (len(text) > 20 and text in quote)
        ]

    def sentences_naming(self, identifier: str, source: str | None = None) -> list[int]:
        """The sentences that name an identifier ("CVE-2018-20482"), of one source or of all."""
        return [
            int(index)
            for index in self._sentences_with_rarest_term_of(identifier)
            if (source is None or self.chunks[self.sentences[index].chunk_row].source == source)
            and names_identifier(self._sentence_texts[index], identifier)
        ]

    def named_together(self, name: str, words: list[str], within_chars: int = 500) -> bool:
        """Whether a sentence naming all these words (content words, as `content_words` has them) stands within
        about a paragraph (within_chars between the sentences' starts) of one naming someone by a word of their
        name ("Wang reasserted ..." names Wang Yi): "... cause instability. ... As Singapore Foreign Minister Vivian
        Balakrishnan explained, ..."."""
        naming = [self._rows_naming(self.sentence_bm25, word) for word in content_words(name)]
        holding = [self._rows_naming(self.sentence_bm25, word) for word in words]
        if not naming or not holding:
            return True  # nothing to look for: nothing is missing
        named = functools.reduce(np.union1d, naming)
        held = functools.reduce(np.intersect1d, holding)
        if not len(named) or not len(held):
            return False
        # Each sentence at one place along the documents laid end to end, far enough apart that no two documents'
        # sentences are ever near: each sentence naming the words is then compared with the closest naming them.
        spread = int(self.sentence_starts.max()) + within_chars + 1
        named_at = np.sort(self.sentence_source_codes[named] * spread + self.sentence_starts[named])
        held_at = self.sentence_source_codes[held] * spread + self.sentence_starts[held]
        after = np.searchsorted(named_at, held_at)
        closest_before = named_at[np.maximum(after - 1, 0)]
        closest_after = named_at[np.minimum(after, len(named_at) - 1)]
        return bool(
            (
                (np.abs(held_at - closest_before) <= within_chars) | (np.abs(closest_after - held_at) <= within_chars)
            ).any()
        )

    @staticmethod
    def _rows_naming(index: BM25Index, word: str) -> np.ndarray:
        """The rows whose text names the word, also as a possessive: "Xi’s" is indexed as "xis"."""
        return functools.reduce(np.union1d, [index.rows_with(stem(form)) for form in (word, word + "s")])

    def names_a_place(self, name: str) -> bool:
        """Whether the documents speak of the name as of a place, never as of someone speaking: "in Ukraine", "to
        Russia"; not "Washington", which also "said" something, nor "Kerry", never after "in" or "to"."""
        texts = [self._sentence_texts[index] for index in self._sentences_with_rarest_term_of(name)]
        placed = any(name in place.split(" ") or place == name for text in texts for place in places_in(text))
        return placed and not any(speaks_in(name, text) for text in texts)

    def _sentences_with_rarest_term_of(self, text: str) -> np.ndarray:
        """The sentences holding the rarest term of a name: the only ones that can name it whole."""
        terms = tokenize(text)
        if not terms:
            return np.empty(0, dtype=np.int64)
        return self.sentence_bm25.rows_with(min(terms, key=self.sentence_bm25.document_frequency))

    def mentions(self, word: str) -> bool:
        """Whether some word of the documents begins like this one: all of it but its last three letters, and at
        least four ("Diplomat": "diplomatic"; "Chinese": "China"; "Taiwanese": "Taiwan"; not "Australia": "Austin").
        """
        whole = stem(word.lower())
        prefix = whole[: max(min(4, len(whole)), len(whole) - 3)]
        position = bisect.bisect_left(self._sorted_vocabulary, prefix)
        return position < len(self._sorted_vocabulary) and self._sorted_vocabulary[position].startswith(prefix)

    def uses(self, word: str) -> bool:
        """Whether the documents use this very word, in any case."""
        return word.lower() in self.vocabulary_row

    @functools.cached_property
    def names(self) -> frozenset[str]:
        """The words the documents write capitalised and never in lowercase, such as "Blinken" and "Beijing"; found
        once, when a question first needs them."""
        words = {word for text in self._sentence_texts for word in WORD.findall(text)}
        return frozenset(word for word in words if word[0].isupper() and word.lower() not in words)

    def writes_in_lowercase(self, word: str) -> bool:
        """Whether the documents write this word in lowercase, whatever else: "climate", not "Kerry"."""
        return self.uses(word) and word not in self.names

    def sentence_text(self, index: int) -> str:
        sentence = self.sentences[index]
        chunk = self.chunks[sentence.chunk_row]
        return chunk.text[sentence.start - chunk.start : sentence.end - chunk.start]

    @classmethod
    def open_current(
        cls, index_dir: Path, matching: Settings | None = None, credentials: ServerToken | None = None
    ) -> IndexSnapshot:
        """The live generation; with matching settings, only if it was built with them (model, splitting, and
        where the vectors live), and opened with their Chroma server's token. `index --check` opens it without
        matching, to report what differs: it gives the credentials alone."""
        generation = IndexPaths(index_dir).current_generation()
        if generation is None:
            raise IndexMissingError(f"no index in '{index_dir}': run `assistant index` to build it")
        if matching is not None:
            manifest = read_manifest(generation)
            if manifest["index_key"] != matching.index_key():
                raise IndexMissingError(
                    f"the index in '{index_dir}' was built with other model or splitting settings: "
                    "run `assistant index` to rebuild it"
                )
            built_in = VectorPlace.of_manifest(manifest)
            if built_in.server != matching.chroma_url:
                raise IndexMissingError(
                    f"the index in '{index_dir}' keeps its vectors {built_in.describe()}, not "
                    f"{where_vectors_live(matching.chroma_url)}: run `assistant index` to move them"
                )
        return cls(generation, credentials or (matching.chroma_credentials() if matching else None))

    def dense_chunks(self, query_vector: np.ndarray, k: int, source: str | None = None) -> list[tuple[int, float]]:
        """The k passages closest in meaning (of one source document, if given), with their cosine."""
        k = min(k, len(self.chunks))
        if k == 0:
            return []
        where = {"source": source} if source is not None else None
        try:
            result = self.collection.query(
                query_embeddings=[query_vector], n_results=k, where=where, include=["distances"]
            )
        except Exception as error:
            if self.vectors.server is None:
                raise
            raise unreachable(self.vectors.server, error, self._credentials) from None
        return [
            (self.row_of[chunk_id], 1.0 - float(distance))
            for chunk_id, distance in zip(result["ids"][0], result["distances"][0], strict=True)
            if chunk_id in self.row_of
        ]

    def close(self) -> None:
        close_client(self._client)
