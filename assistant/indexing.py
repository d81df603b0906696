"""Keeping the index in step with the documents: incremental, crash-safe, one writer at a time."""

from __future__ import annotations

import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from filelock import FileLock, Timeout

from .cache import EmbeddingCache
from .embeddings import Embedder
from .errors import DocumentsError, IndexBusyError
from .lexical import vocabulary_of
from .loading import Document, describe_skipped, load_documents
from .reuse import PreviousGeneration, assemble, sentence_readings_of
from .settings import Settings
from .splitting import (
    Chunk,
    continued_lines,
    faq_question_reading,
    heading_level,
    opens_list_item,
    split_into_chunks,
    starts_on_a_continued_line,
    table_row_readings,
)
from .store import (
    PASSAGE_BM25,
    SENTENCE_BM25,
    IndexPaths,
    IndexSnapshot,
    prune,
    publish,
    read_manifest,
    write_json,
)
from .vectors import (
    CHROMA_BATCH,
    EMBEDDED_FOLDER,
    VectorPlace,
    close_client,
    collection_of,
    collections_of_index,
    copy_collection,
    drop_collections,
    open_client,
    where_vectors_live,
)
from .wording import counted

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)
    documents: int = 0
    chunks: int = 0
    texts_embedded: int = 0
    seconds: float = 0.0
    generation: str = ""
    rebuilt: bool = False
    vectors: str = "in the index folder"  # where the generation's passage vectors are

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.rebuilt)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"changed": self.changed}

    def summary(self) -> str:
        parts = [
            f"{len(self.added)} added",
            f"{len(self.updated)} updated",
            f"{len(self.removed)} removed",
            f"{self.unchanged} unchanged",
        ]
        if self.renamed:
            parts.append(f"{len(self.renamed)} renamed")
        line = (
            f"{counted(self.documents, 'document')}, {counted(self.chunks, 'chunk')}: {', '.join(parts)}; "
            f"{self.texts_embedded} texts embedded in {self.seconds:.1f}s"
        )
        if self.vectors != where_vectors_live(None):
            line += f"; vectors {self.vectors}"
        if self.skipped:
            line += f"; skipped {len(self.skipped)}: {describe_skipped(self.skipped)}"
        return line


def embedding_text(chunk: Chunk, context: str) -> str:
    """What the chunk vector encodes: the headline (Document.embedding_context) gives a passage the topic its
    sentences assume."""
    return f"{context}\n{chunk.text}"


def _diff(documents: list[Document], old_files: dict[str, Any], report: SyncReport) -> None:
    new_sources = {doc.source for doc in documents}
    for doc in documents:
        old = old_files.get(doc.source)
        if old is None:
            report.added.append(doc.source)
        elif old["sha256"] != doc.sha256:
            report.updated.append(doc.source)
        else:
            report.unchanged += 1
    report.removed = sorted(set(old_files) - new_sources)
    removed_by_hash = {old_files[source]["sha256"]: source for source in report.removed}
    sha_of = {doc.source: doc.sha256 for doc in documents}
    report.renamed = [
        (removed_by_hash[sha_of[source]], source) for source in report.added if sha_of[source] in removed_by_hash
    ]


class Indexer:
    """Builds and refreshes the generations under settings.index_dir."""

    def __init__(self, settings: Settings, embedder_factory: Callable[[], Embedder]) -> None:
        self.settings = settings
        self.paths = IndexPaths(settings.index_dir)
        self._embedder_factory = embedder_factory
        self._embedder: Embedder | None = None

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = self._embedder_factory()
        return self._embedder

    def embed(self, texts: list[str]) -> np.ndarray:
        """The cache calls this only for texts it lacks, so a sync with nothing new never loads the model."""
        return self.embedder.embed(texts)

    def lock(self) -> FileLock:
        self.paths.root.mkdir(parents=True, exist_ok=True)
        return FileLock(self.paths.lock, timeout=self.settings.lock_timeout_s)

    def sync(self, full: bool = False, progress: Progress | None = None) -> SyncReport:
        """Bring the index in line with the documents folder; returns what was done."""
        started = time.perf_counter()
        documents, skipped = load_documents(self.settings.docs_dir, leave_out=self.settings.index_dir)
        if not documents:
            reason = f"; skipped: {describe_skipped([asdict(s) for s in skipped])}" if skipped else ""
            raise DocumentsError(
                f"no readable .txt or .md files in '{self.settings.docs_dir}'{reason}: add documents, then run again"
            )
        try:
            with self.lock():
                report = self._sync_locked(documents, [asdict(s) for s in skipped], full, progress)
        except Timeout:
            raise IndexBusyError(
                f"another `assistant index` is updating '{self.paths.root}' and did not finish within "
                f"{self.settings.lock_timeout_s:g}s: try again when it is done"
            ) from None
        report.seconds = time.perf_counter() - started
        return report

    def _sync_locked(
        self, documents: list[Document], skipped: list[dict[str, str]], full: bool, progress: Progress | None
    ) -> SyncReport:
        key = self.settings.index_key()
        base = self.paths.current_generation()
        old_manifest = read_manifest(base) if base else None
        reusable = (
            old_manifest is not None
            and old_manifest["index_key"] == key
            and VectorPlace.of_manifest(old_manifest).server == self.settings.chroma_url
            and not full
        )
        old_files: dict[str, Any] = old_manifest["files"] if reusable and old_manifest else {}
        report = SyncReport(
            skipped=skipped,
            documents=len(documents),
            rebuilt=not reusable,
            vectors=where_vectors_live(self.settings.chroma_url),
        )
        _diff(documents, old_files, report)
        keep = {base.name} if base else set()
        self._prune(keep)  # leftovers of interrupted runs, even when nothing changed since
        if base and not report.changed and old_manifest and old_manifest["skipped"] == skipped:
            report.generation, report.chunks = base.name, old_manifest["chunks"]
            return report

        name = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
        staging = self.paths.generations / f".staging-{name}"
        staging.mkdir(parents=True)
        place = VectorPlace.for_generation(self.settings.chroma_url, key, self._index_id(), name)
        copy_from = base if reusable else None

        changed = set(report.added) | set(report.updated)
        previous = PreviousGeneration.read(base) if base is not None and reusable else None
        # What the generation before derived from an unchanged document is taken over: only the others are split,
        # and only their sentences are embedded and tokenized.
        carried_over = frozenset(
            doc.source
            for doc in documents
            if previous is not None and doc.source not in changed and doc.source in previous.rows
        )
        chunks_of = {
            doc.source: split_into_chunks(doc, self.settings.chunk_max_chars, self.settings.chunk_overlap_sentences)
            for doc in documents
            if doc.source not in carried_over
        }
        rows_of = {doc.source: chunk_rows(doc, chunks_of[doc.source]) for doc in documents if doc.source in chunks_of}
        if previous is not None:
            rows_of |= {source: previous.rows[source] for source in carried_over}
        to_add = [chunk for doc in documents if doc.source in changed for chunk in chunks_of[doc.source]]
        context_of = {doc.source: doc.embedding_context for doc in documents if doc.source in changed}
        cache = EmbeddingCache(self.paths.cache, self.settings.model_name)
        try:
            chunk_vectors, embedded = self._embed(
                cache, [embedding_text(c, context_of[c.source]) for c in to_add], "chunks", progress
            )
            fresh_sentences = [text for source in chunks_of for text in sentence_readings_of(rows_of[source])]
            fresh_vectors, embedded_sentences = self._embed(cache, fresh_sentences, "sentences", progress)
            vocabulary = vocabulary_of([doc.text for doc in documents])
            vocabulary_vectors, embedded_words = self._embed(cache, vocabulary, "vocabulary", progress)
        finally:
            cache.close()
        tables = assemble([doc.source for doc in documents], rows_of, fresh_vectors, previous, carried_over)
        report.texts_embedded = embedded + embedded_sentences + embedded_words
        report.chunks = len(tables.rows)

        stale_ids = [cid for source in report.removed + report.updated for cid in old_files[source]["chunks"]]
        self._write_vectors(place, staging, copy_from, set(stale_ids), to_add, chunk_vectors, progress)
        write_json(staging / "chunks.json", tables.rows)
        tables.passage_bm25.save(staging / PASSAGE_BM25)
        tables.sentence_bm25.save(staging / SENTENCE_BM25)
        np.save(staging / "sentence_vectors.npy", tables.sentence_vectors)
        write_json(staging / "vocabulary.json", vocabulary)
        np.save(staging / "vocabulary_vectors.npy", vocabulary_vectors)
        write_json(
            staging / "manifest.json",
            {
                "index_key": key,
                "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "docs_dir": str(self.settings.docs_dir),
                "chunks": len(tables.rows),
                "files": {
                    doc.source: {
                        "sha256": doc.sha256,
                        "title": old_files[doc.source]["title"] if doc.source in carried_over else doc.title,
                        "chunks": [row["id"] for row in rows_of[doc.source]],
                    }
                    for doc in documents
                },
                "skipped": skipped,
                "vectors": place.to_manifest(),
            },
        )
        publish(self.paths, staging, name)
        self._prune({name} | keep)  # keep the previous generation for readers still on it
        report.generation = name
        return report

    def _embed(
        self, cache: EmbeddingCache, texts: list[str], stage: str, progress: Progress | None
    ) -> tuple[np.ndarray, int]:
        done = 0

        def advance(count: int) -> None:
            nonlocal done
            done += count
            if progress:
                progress(f"embedding {stage}", done, len(texts))

        return cache.embed(texts, self, self.settings.embed_batch_size, advance)

    def _index_id(self) -> str:
        return self.paths.index_id() if self.settings.chroma_url else ""

    def _write_vectors(
        self,
        place: VectorPlace,
        staging: Path,
        base: Path | None,
        stale_ids: set[str],
        chunks: list[Chunk],
        vectors: np.ndarray,
        progress: Progress | None,
    ) -> None:
        """The new generation's collection: the base generation's vectors less the stale ones, plus the new."""
        if place.server is None and base is not None:
            shutil.copytree(base / EMBEDDED_FOLDER, staging / EMBEDDED_FOLDER)
        client = open_client(place.server, staging, self.settings.chroma_credentials())
        try:
            collection = collection_of(client, place.collection)
            if place.server is None:
                ids = sorted(stale_ids)
                for i in range(0, len(ids), CHROMA_BATCH):
                    collection.delete(ids=ids[i : i + CHROMA_BATCH])
            elif base is not None:
                copied_from = collection_of(client, VectorPlace.of_manifest(read_manifest(base)).collection)
                total = copied_from.count()

                def copied(done: int) -> None:
                    if progress:
                        progress("copying vectors", done, total)

                copy_collection(copied_from, collection, stale_ids, copied)
            for i in range(0, len(chunks), CHROMA_BATCH):
                batch = chunks[i : i + CHROMA_BATCH]
                collection.add(
                    ids=[chunk.id for chunk in batch],
                    embeddings=vectors[i : i + CHROMA_BATCH],
                    documents=[chunk.text for chunk in batch],
                    metadatas=[{"source": c.source, "start": c.start, "end": c.end} for c in batch],
                )
                if progress:
                    progress("storing vectors", min(i + CHROMA_BATCH, len(chunks)), len(chunks))
        finally:
            close_client(client)

    def _prune(self, keep: set[str]) -> None:
        """Drop the generations not kept, with the collections this index wrote for them wherever they are, and
        this index's collections that a crashed run left on the configured server."""
        dropped: dict[str, list[str]] = {}
        if self.paths.generations.exists():
            for generation in self.paths.generations.iterdir():
                if generation.name not in keep and (generation / "manifest.json").is_file():
                    place = VectorPlace.of_manifest(read_manifest(generation))
                    # Not the collections of the index this folder was copied from: that one may still use them.
                    if place.server is not None and place.made_by(self.paths.index_id()):
                        dropped.setdefault(place.server, []).append(place.collection)
        prune(self.paths, keep)
        credentials = self.settings.chroma_credentials()
        for server, names in dropped.items():
            drop_collections(server, names, credentials)
        if self.settings.chroma_url:
            on_server = collections_of_index(self.settings.chroma_url, self._index_id(), credentials)
            drop_collections(
                self.settings.chroma_url, [n for gen, n in on_server.items() if gen not in keep], credentials
            )


def first_lines_of(text: str, chunks: list[Chunk]) -> list[int]:
    """The line each chunk starts on (1-based), counted in one pass: chunks start in order."""
    lines, line, counted_to = [], 1, 0
    for chunk in chunks:
        line += text.count("\n", counted_to, chunk.start)
        counted_to = chunk.start
        lines.append(line)
    return lines


def chunk_rows(doc: Document, chunks: list[Chunk]) -> list[dict[str, Any]]:
    """The chunk table's rows of one document."""
    continued = continued_lines(doc.text)
    lines = first_lines_of(doc.text, chunks)
    table_rows = table_row_readings(doc.text)
    return [_chunk_row(chunk, line, doc.text, continued, table_rows) for chunk, line in zip(chunks, lines, strict=True)]


def _chunk_row(chunk: Chunk, line: int, text: str, continued: set[int], table_rows: dict[int, str]) -> dict[str, Any]:
    return {
        "id": chunk.id,
        "source": chunk.source,
        "start": chunk.start,
        "end": chunk.end,
        "line": line,  # where it starts: what a person checking a quote in an editor goes by
        "text": chunk.text,
        "sentences": [list(span) for span in chunk.sentences],
        # The sentences that open a list item (by their place in the chunk): "Add PowerShell support" is a statement.
        "items": [place for place, (start, _) in enumerate(chunk.sentences) if opens_list_item(text, start)],
        # The Markdown headings, [place, level]: the section a quote stands in ("Release v2.6.18").
        "headings": [
            [place, level] for place, (start, _) in enumerate(chunk.sentences) if (level := heading_level(text, start))
        ],
        # What some sentences are read as (embedded, indexed by their words), [place, reading]: a table's data row
        # with its column names, a FAQ's question with the start of its answer.
        "readings": [
            [place, reading]
            for place, (start, _) in enumerate(chunk.sentences)
            if (reading := table_rows.get(start) or faq_question_reading(text, start)) is not None
        ],
        # The sentences that begin on a line going on with the paragraph above it, in text wrapped at a fixed width:
        # the line break before them is no paragraph break.
        "wrapped": [
            place
            for place, (start, _) in enumerate(chunk.sentences)
            if starts_on_a_continued_line(text, start, continued)
        ],
    }


@dataclass
class CheckReport:
    generation: str
    problems: list[str]
    pending: list[str]  # documents that changed since the last sync (not drift: `assistant index` syncs them)

    @property
    def healthy(self) -> bool:
        return not self.problems


def check_index(settings: Settings) -> CheckReport:
    """Compare the manifest with what Chroma, the chunk table and the vectors hold, and with the folder."""
    snapshot = IndexSnapshot.open_current(settings.index_dir, credentials=settings.chroma_credentials())
    try:
        manifest = snapshot.manifest
        recorded = {cid for entry in manifest["files"].values() for cid in entry["chunks"]}
        stored = set(snapshot.collection.get(include=[])["ids"])
        table = {chunk.id for chunk in snapshot.chunks}
        problems = []
        for name, ids in (("Chroma", stored), ("the chunk table", table)):
            if missing := recorded - ids:
                problems.append(f"{len(missing)} chunks recorded in the manifest are missing from {name}")
            if extra := ids - recorded:
                problems.append(f"{len(extra)} chunks in {name} are not in the manifest")
        if len(snapshot.sentence_vectors) != len(snapshot.sentences):
            problems.append(
                f"{len(snapshot.sentence_vectors)} sentence vectors for {len(snapshot.sentences)} sentences"
            )
        for what, index, count in (
            ("passages", snapshot.bm25, len(snapshot.chunks)),
            ("sentences", snapshot.sentence_bm25, len(snapshot.sentences)),
        ):
            if index.size != count:
                problems.append(f"the word index of {what} holds {index.size} of them, not {count}")
        if manifest["index_key"] != settings.index_key():
            problems.append("the index was built with other model or splitting settings")
        if snapshot.vectors.server != settings.chroma_url:
            wanted = where_vectors_live(settings.chroma_url)
            problems.append(f"the index keeps its vectors {snapshot.vectors.describe()}, not {wanted}")
        documents, _ = load_documents(settings.docs_dir, leave_out=settings.index_dir)
        now = {doc.source: doc.sha256 for doc in documents}
        files = manifest["files"]
        pending = sorted({s for s in now if s not in files or files[s]["sha256"] != now[s]} | (set(files) - set(now)))
        return CheckReport(snapshot.name, problems, pending)
    finally:
        snapshot.close()
