"""Incremental indexing with the fake embedder: what each sync embeds, stores, reports and cleans up."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import chromadb
import numpy as np
import pytest
from conftest import FakeEmbedder, IndexedCopy, assert_citations_hold, fake_settings, read_document
from filelock import FileLock

from assistant import Assistant, IndexBusyError, IndexMissingError, indexing, lexical
from assistant.indexing import Indexer, check_index
from assistant.lexical import BM25Index
from assistant.store import PASSAGE_BM25, SENTENCE_BM25, IndexPaths

EDITED = "003_d94c39d90b50c062.txt"
DELETED = "001_88b05ed209d663f4.txt"
OKAPI = "The okapi sanctuary in Epulu keeps forty okapis and trains rangers from the Ituri forest."


def generations(index_dir: Path) -> set[str]:
    return {path.name for path in (index_dir / "generations").iterdir()}


def current(index_dir: Path) -> str:
    return (index_dir / "CURRENT").read_text(encoding="utf-8").strip()


def every_passage(assistant: Assistant, question: str) -> list:
    return assistant.retrieve(question, k=500)


def test_first_build_embeds_every_text_once_and_a_second_sync_nothing(seed_docs: Path, tmp_path: Path) -> None:
    embedder = FakeEmbedder()
    assistant = Assistant(fake_settings(seed_docs, tmp_path / "index"), embedder=embedder)

    first = assistant.index()
    assert first.added == sorted(path.name for path in seed_docs.iterdir())
    assert first.rebuilt and first.changed
    assert first.texts_embedded == embedder.texts_embedded == len(set(embedder.texts))
    assert first.chunks == assistant.status()["chunks"] > 0

    embedder.reset()
    second = assistant.index()
    assert second.texts_embedded == embedder.texts_embedded == 0
    assert (second.unchanged, second.changed, second.rebuilt) == (5, False, False)
    assert second.generation == first.generation
    assistant.close()


def test_editing_one_file_re_embeds_only_that_file(indexed_copy: IndexedCopy) -> None:
    edited = indexed_copy.docs_dir / EDITED
    new_sentence = "A closing sentence added by the test mentions pandas in Chengdu."
    edited.write_text(read_document(edited) + "\n" + new_sentence + "\n", encoding="utf-8")

    report = indexed_copy.assistant.index()

    assert report.updated == [EDITED]
    assert not report.added and not report.removed and report.unchanged == 4
    assert 0 < report.texts_embedded == indexed_copy.embedder.texts_embedded < indexed_copy.full_build_texts
    text = read_document(edited)
    title = text.splitlines()[0]
    for embedded in indexed_copy.embedder.texts:  # chunks are "title\nchunk"; sentences plain; words lowercased
        assert embedded.removeprefix(title + "\n") in text or embedded in text.lower(), "another file re-embedded"
    assert new_sentence in indexed_copy.embedder.texts
    answer = indexed_copy.assistant.ask("Which pandas in Chengdu did the closing sentence mention?").to_dict()
    assert answer["citations"][0]["quote"] == new_sentence
    assert_citations_hold(answer, indexed_copy.docs_dir)
    assert check_index(indexed_copy.settings).healthy


def test_a_deleted_file_is_never_retrieved_or_cited_again(indexed_copy: IndexedCopy) -> None:
    assistant = indexed_copy.assistant
    question = "Why was Li Shangfu under sanctions imposed by Washington in 2018?"
    assert DELETED in {c["source"] for c in assistant.ask(question).to_dict()["citations"]}

    (indexed_copy.docs_dir / DELETED).unlink()
    report = assistant.index()

    assert report.removed == [DELETED] and report.texts_embedded == 0
    assert DELETED not in assistant.status()["files"]
    for q in (question, "Kissinger met Xi Jinping", "sanctions practical impediment political decision"):
        answer = assistant.ask(q).to_dict()
        assert DELETED not in {c["source"] for c in answer["citations"]}
        assert_citations_hold(answer, indexed_copy.docs_dir)
        assert DELETED not in {p.source for p in every_passage(assistant, q)}
    assert check_index(indexed_copy.settings).healthy


def test_an_added_file_becomes_retrievable_and_answerable(indexed_copy: IndexedCopy) -> None:
    assistant = indexed_copy.assistant
    (indexed_copy.docs_dir / "okapi.md").write_text(f"# Okapis\n\n{OKAPI}\n", encoding="utf-8")

    report = assistant.index()

    assert report.added == ["okapi.md"] and report.unchanged == 5
    # Its chunk, its sentences and its words the corpus did not have yet; nothing else.
    assert 0 < report.texts_embedded == indexed_copy.embedder.texts_embedded <= 4 + len(OKAPI.split())
    added = f"Okapis\nOkapis\n\n{OKAPI}"  # a chunk is embedded under its title; the heading's "# " is left out
    assert all(text in added or text in added.lower() for text in indexed_copy.embedder.texts)
    answer = assistant.ask("Which rangers does the okapi sanctuary in Epulu train?").to_dict()
    assert answer["answerable"]
    start = len("# Okapis\n\n")
    assert answer["citations"][0] == {
        "id": 1,
        "source": "okapi.md",
        "start": start,
        "end": start + len(OKAPI),
        "quote": OKAPI,
    }
    assert answer["passages"][0]["source"] == "okapi.md"
    assert_citations_hold(answer, indexed_copy.docs_dir)


def test_renaming_a_file_embeds_nothing(indexed_copy: IndexedCopy) -> None:
    assistant = indexed_copy.assistant
    (indexed_copy.docs_dir / DELETED).rename(indexed_copy.docs_dir / "renamed.txt")

    report = assistant.index()

    assert report.renamed == [(DELETED, "renamed.txt")]
    assert report.texts_embedded == indexed_copy.embedder.texts_embedded == 0
    answer = assistant.ask("Why was Li Shangfu under sanctions imposed by Washington in 2018?").to_dict()
    sources = {c["source"] for c in answer["citations"]} | {p["source"] for p in answer["passages"]}
    assert "renamed.txt" in sources and DELETED not in sources
    assert_citations_hold(answer, indexed_copy.docs_dir)
    assert "1 renamed" in report.summary()


def test_a_sync_splits_and_tokenizes_only_what_changed_and_ends_as_a_full_build_would(
    indexed_copy: IndexedCopy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = indexed_copy.docs_dir
    edited = docs / EDITED
    edited.write_text(read_document(edited) + "\nA closing sentence mentions pandas in Chengdu.\n", encoding="utf-8")
    (docs / DELETED).unlink()
    (docs / "okapi.md").write_text(f"# Okapis\n\n{OKAPI}\n\n- Forty okapis\n- Rangers\n", encoding="utf-8")
    split, tokenized = [], []
    monkeypatch.setattr(indexing, "split_into_chunks", spy(indexing.split_into_chunks, split, lambda doc: doc.source))
    monkeypatch.setattr(lexical, "tokenize", spy(lexical.tokenize, tokenized, lambda text: text))

    indexed_copy.assistant.index()

    assert sorted(split) == [EDITED, "okapi.md"]
    changed_texts = read_document(edited) + read_document(docs / "okapi.md")
    assert tokenized and all(text in changed_texts for text in tokenized)
    monkeypatch.undo()
    rebuilt = Assistant(fake_settings(docs, tmp_path / "rebuilt"), embedder=FakeEmbedder())
    rebuilt.index(full=True)
    synced_at, rebuilt_at = indexed_copy.assistant.snapshot().path, rebuilt.snapshot().path
    for table in ("chunks.json", "vocabulary.json"):
        assert json.loads((synced_at / table).read_text("utf-8")) == json.loads((rebuilt_at / table).read_text("utf-8"))
    files = [json.loads((at / "manifest.json").read_text("utf-8"))["files"] for at in (synced_at, rebuilt_at)]
    assert files[0] == files[1]
    for vectors in ("sentence_vectors.npy", "vocabulary_vectors.npy"):
        assert np.array_equal(np.load(synced_at / vectors), np.load(rebuilt_at / vectors))
    for words in (PASSAGE_BM25, SENTENCE_BM25):
        synced, built = BM25Index.load(synced_at / words), BM25Index.load(rebuilt_at / words)
        assert synced.postings().keys() == built.postings().keys()
        for term, (rows, counts) in built.postings().items():
            synced_rows, synced_counts = synced.postings()[term]
            assert np.array_equal(synced_rows, rows) and np.array_equal(synced_counts, counts)
        query = "pandas in Chengdu okapis sanctions Taiwan"
        assert np.array_equal(synced.scores(query), built.scores(query))
    rebuilt.close()


def test_a_sync_derives_everything_again_when_the_generation_before_cannot_be_read(indexed_copy: IndexedCopy) -> None:
    before = indexed_copy.assistant.snapshot().path
    indexed_copy.assistant.close()
    (before / SENTENCE_BM25).write_bytes(b"not an npz file")
    edited = indexed_copy.docs_dir / EDITED
    edited.write_text(read_document(edited) + "\nA closing sentence mentions pandas in Chengdu.\n", encoding="utf-8")

    report = Indexer(indexed_copy.settings, FakeEmbedder).sync()

    assert report.updated == [EDITED] and not report.rebuilt
    assert check_index(indexed_copy.settings).healthy
    answer = indexed_copy.assistant.ask("Which pandas in Chengdu did the closing sentence mention?").to_dict()
    assert answer["citations"][0]["quote"] == "A closing sentence mentions pandas in Chengdu."


def spy(function: Callable[..., Any], calls: list[Any], noted: Callable[[Any], Any]) -> Callable[..., Any]:
    def spied(argument: Any, *rest: Any) -> Any:
        calls.append(noted(argument))
        return function(argument, *rest)

    return spied


def test_a_sync_that_needs_no_new_vector_never_loads_the_model(indexed_copy: IndexedCopy) -> None:
    def no_model() -> FakeEmbedder:
        raise AssertionError("the model was loaded")

    (indexed_copy.docs_dir / DELETED).rename(indexed_copy.docs_dir / "renamed.txt")
    (indexed_copy.docs_dir / EDITED).unlink()
    indexer = Indexer(indexed_copy.settings, no_model)

    assert indexer.sync().changed
    assert indexer.sync(full=True).rebuilt


def test_changing_the_chunk_size_builds_a_fresh_collection(indexed_copy: IndexedCopy) -> None:
    old_generation = current(indexed_copy.index_dir)
    old_chunks = indexed_copy.assistant.status()["chunks"]
    smaller = fake_settings(indexed_copy.docs_dir, indexed_copy.index_dir, chunk_max_chars=400)
    assistant = Assistant(smaller, embedder=indexed_copy.embedder)

    report = assistant.index()

    assert report.rebuilt and len(report.added) == 5
    assert report.generation != old_generation
    manifest = json.loads((indexed_copy.index_dir / "generations" / report.generation / "manifest.json").read_text())
    assert manifest["index_key"] == smaller.index_key() != indexed_copy.settings.index_key()
    assert report.chunks > old_chunks  # smaller chunks, more of them
    answer = assistant.ask("Who refused to meet Lloyd Austin in Singapore?").to_dict()
    assert all(p["end"] - p["start"] <= 400 for p in answer["passages"])
    assert_citations_hold(answer, indexed_copy.docs_dir)
    assert check_index(smaller).healthy
    assert not check_index(indexed_copy.settings).healthy  # the old settings no longer match the index

    assert old_generation in generations(indexed_copy.index_dir)  # kept for readers still on it
    assistant.index()
    assert old_generation not in generations(indexed_copy.index_dir)
    assistant.close()


def test_full_rebuild_starts_over_but_takes_vectors_from_the_cache(indexed_copy: IndexedCopy) -> None:
    old_generation = current(indexed_copy.index_dir)

    report = indexed_copy.assistant.index(full=True)

    assert report.rebuilt and len(report.added) == 5
    assert report.generation != old_generation
    assert report.texts_embedded == 0
    assert check_index(indexed_copy.settings).healthy


def test_sync_of_unchanged_documents_clears_leftovers_of_an_interrupted_run(indexed_copy: IndexedCopy) -> None:
    leftover = indexed_copy.index_dir / "generations" / ".staging-20240101T000000-abcdef"
    (leftover / "chroma").mkdir(parents=True)
    (leftover / "chunks.json").write_text("[", encoding="utf-8")

    report = indexed_copy.assistant.index()

    assert not report.changed
    assert not leftover.exists()
    assert generations(indexed_copy.index_dir) == {current(indexed_copy.index_dir)}


def test_progress_is_reported_per_stage(seed_docs: Path, tmp_path: Path) -> None:
    events: list[tuple[str, int, int]] = []
    assistant = Assistant(fake_settings(seed_docs, tmp_path / "index"), embedder=FakeEmbedder())

    assistant.index(progress=lambda stage, done, total: events.append((stage, done, total)))

    stages = {stage for stage, _, _ in events}
    assert stages == {"embedding chunks", "embedding sentences", "embedding vocabulary", "storing vectors"}
    for stage in stages:
        last = [event for event in events if event[0] == stage][-1]
        assert last[1] == last[2] > 0  # each stage ends complete
    assistant.close()


def test_a_second_writer_waits_then_gives_up_with_a_clear_message(indexed_copy: IndexedCopy) -> None:
    (indexed_copy.docs_dir / "okapi.md").write_text(OKAPI, encoding="utf-8")
    impatient = fake_settings(indexed_copy.docs_dir, indexed_copy.index_dir, lock_timeout_s=0.5)
    before = current(indexed_copy.index_dir)

    with FileLock(IndexPaths(indexed_copy.index_dir).lock):  # another `assistant index` holds the lock
        with pytest.raises(IndexBusyError) as raised:
            Assistant(impatient, embedder=FakeEmbedder()).index()

    message = str(raised.value)
    assert str(indexed_copy.index_dir) in message
    assert "0.5s" in message and "try again" in message
    assert current(indexed_copy.index_dir) == before
    assert Assistant(impatient, embedder=FakeEmbedder()).index().added == ["okapi.md"]  # free again


def test_asking_before_indexing_says_which_command_to_run(seed_docs: Path, tmp_path: Path) -> None:
    assistant = Assistant(fake_settings(seed_docs, tmp_path / "index"), embedder=FakeEmbedder())

    with pytest.raises(IndexMissingError, match=r"no index in '.*index': run `assistant index`"):
        assistant.ask("Who met Xi Jinping?")
    with pytest.raises(IndexMissingError):
        check_index(assistant.settings)
    assert not (tmp_path / "index").exists()


def test_retrieving_before_indexing_fails_before_loading_the_model(seed_docs: Path, tmp_path: Path) -> None:
    embedder = FakeEmbedder()
    assistant = Assistant(fake_settings(seed_docs, tmp_path / "index"), embedder=embedder)

    with pytest.raises(IndexMissingError):
        assistant.retrieve("Who met Xi Jinping?")
    assert embedder.calls == 0


def test_check_reports_a_fresh_index_healthy_and_lists_pending_changes(indexed_copy: IndexedCopy) -> None:
    report = check_index(indexed_copy.settings)
    assert report.healthy and report.problems == [] and report.pending == []
    assert report.generation == current(indexed_copy.index_dir)

    (indexed_copy.docs_dir / "okapi.md").write_text(OKAPI, encoding="utf-8")
    (indexed_copy.docs_dir / DELETED).unlink()

    report = check_index(indexed_copy.settings)
    assert report.healthy  # changed documents are pending work, not drift
    assert report.pending == [DELETED, "okapi.md"]


def test_check_finds_drift_in_chroma_and_a_full_sync_repairs_it(indexed_copy: IndexedCopy) -> None:
    indexed_copy.assistant.close()  # nobody else holds the generation's Chroma open
    generation = indexed_copy.index_dir / "generations" / current(indexed_copy.index_dir)
    client = chromadb.PersistentClient(
        path=str(generation / "chroma"), settings=chromadb.Settings(anonymized_telemetry=False)
    )
    collection = client.get_collection(indexed_copy.settings.index_key())
    victim = collection.get(limit=1, include=[])["ids"][0]
    collection.delete(ids=[victim])
    client.close()

    report = check_index(indexed_copy.settings)
    assert report.problems == ["1 chunks recorded in the manifest are missing from Chroma"]
    assert not report.healthy

    repaired = indexed_copy.assistant.index(full=True)
    assert repaired.texts_embedded == 0
    assert check_index(indexed_copy.settings).healthy


def test_check_finds_a_truncated_sentence_table(indexed_copy: IndexedCopy) -> None:
    import numpy as np

    generation = indexed_copy.index_dir / "generations" / current(indexed_copy.index_dir)
    vectors = np.load(generation / "sentence_vectors.npy")
    np.save(generation / "sentence_vectors.npy", vectors[:-3])

    problems = check_index(indexed_copy.settings).problems

    assert problems == [f"{len(vectors) - 3} sentence vectors for {len(vectors)} sentences"]


def test_check_finds_a_word_index_that_is_not_the_chunk_tables(indexed_copy: IndexedCopy) -> None:
    generation = indexed_copy.index_dir / "generations" / current(indexed_copy.index_dir)
    chunks = json.loads((generation / "chunks.json").read_text(encoding="utf-8"))
    BM25Index([row["text"] for row in chunks[:-1]]).save(generation / PASSAGE_BM25)

    problems = check_index(indexed_copy.settings).problems

    assert problems == [f"the word index of passages holds {len(chunks) - 1} of them, not {len(chunks)}"]


def test_every_sentence_of_every_document_is_placed_on_the_lines_it_stands_on(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    paragraphs = [
        f"Paragraph {n} is about the okapi.\nIt goes on for a second line. And a third sentence." for n in range(60)
    ]
    (docs / "long.md").write_text("# Okapis\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    (docs / "crlf.txt").write_bytes("\ufeffThe walrus.\r\n\r\nIt eats clams.\r\nAnd snails.\r\n".encode())
    assistant = Assistant(fake_settings(docs, tmp_path / "index", chunk_max_chars=300), embedder=FakeEmbedder())
    assistant.index()
    snapshot = assistant.snapshot()

    checked = 0
    for source in ("long.md", "crlf.txt"):
        text = read_document(docs / source)
        for chunk in snapshot.chunks_of(source):
            for start, end in chunk.sentences:
                expected = (text.count("\n", 0, start) + 1, text.count("\n", 0, end) + 1)
                assert assistant.place_of(source, start, end).lines == expected, text[start:end]
                checked += 1
    assert checked > 150 and len(snapshot.chunks_of("long.md")) > 10  # past many chunk boundaries
    clams = read_document(docs / "crlf.txt").index("It eats clams.")  # offsets count from after the BOM
    assert assistant.place_of("crlf.txt", clams, clams + len("It eats clams.")).lines == (3, 3)
    assert assistant.place_of("long.md", 0, len(read_document(docs / "long.md"))).lines is None  # no passage holds it
    assistant.close()


def test_each_place_knows_the_headings_it_stands_under(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    filler = " ".join(f"Line {n} of the notes says little." for n in range(30))  # past a chunk's size
    reference = (
        f"# Timers\n\nTimers call functions later.\n\n## setTimeout(callback, delay) ##\n\nSchedules a call.\n\n"
        f"### Returns\n\nA `Timeout` object.\n\n{filler}\n\n## clearTimeout(timeout)\n\nCancels a call.\n"
    )
    (docs / "timers.md").write_text(reference, encoding="utf-8")
    (docs / "plain.txt").write_text("Notes\n\n# Why not? A heading of two sentences.\nA sentence.\n")
    news = "GNU tar NEWS\n\nversion 1.31 - Sergey Poznyakoff, 2019-01-02\n\n* Fix CVE-2018-20482\n\nTar looped.\n"
    (docs / "NEWS.txt").write_text(news, encoding="utf-8")
    (docs / "README.md").write_text("APT\n===\n\nA manager.\n\nTesting\n-------\n\nRun the tests.\n")
    assistant = Assistant(fake_settings(docs, tmp_path / "index", chunk_max_chars=300), embedder=FakeEmbedder())
    assistant.index()

    def section(source: str, quote: str) -> str | None:
        start = read_document(docs / source).index(quote)
        return assistant.place_of(source, start, start + len(quote)).section

    assert section("timers.md", "Timers call functions later.") is None  # under the title only
    assert section("timers.md", "Schedules a call.") == "setTimeout(callback, delay)"
    assert section("timers.md", "A `Timeout` object.") == "setTimeout(callback, delay) › Returns"
    assert section("timers.md", "Line 29 of the notes says little.") == "setTimeout(callback, delay) › Returns"
    assert section("timers.md", "Cancels a call.") == "clearTimeout(timeout)"  # a heading of the same level ends one
    assert section("plain.txt", "A sentence.") == "Why not? A heading of two sentences."  # the whole line
    assert section("NEWS.txt", "Tar looped.") == "version 1.31 - Sergey Poznyakoff, 2019-01-02"  # a release's
    assert section("README.md", "A manager.") is None  # the title, underlined
    assert section("README.md", "Run the tests.") == "Testing"
    assistant.close()
