"""The persisted index: the CURRENT pointer, pruning, and Chroma clients shared between threads."""

import threading
from pathlib import Path

from conftest import IndexedCopy

from assistant.splitting import Chunk
from assistant.store import IndexPaths, line_openers, prune
from assistant.vectors import VectorPlace, close_client, collection_of, open_client


def test_current_generation_needs_a_whole_generation(tmp_path: Path) -> None:
    paths = IndexPaths(tmp_path)
    assert paths.current_generation() is None  # nothing built yet

    (paths.generations / "g1").mkdir(parents=True)
    paths.current.write_text("g1\n", encoding="utf-8")
    assert paths.current_generation() is None  # named, but its manifest was never written

    (paths.generations / "g1" / "manifest.json").write_text("{}", encoding="utf-8")
    assert paths.current_generation() == paths.generations / "g1"


def test_prune_keeps_only_what_it_is_told(tmp_path: Path) -> None:
    paths = IndexPaths(tmp_path)
    for name in ("old", "current", ".staging-crashed"):
        (paths.generations / name / "chroma").mkdir(parents=True)

    prune(paths, {"current"})

    assert [p.name for p in paths.generations.iterdir()] == ["current"]


def test_chroma_clients_can_be_opened_and_closed_from_many_threads(indexed_copy: IndexedCopy) -> None:
    """Chroma's per-path shared system is not thread-safe by itself (KeyError, 'no attribute bindings')."""
    generation = IndexPaths(indexed_copy.index_dir).current_generation()
    key = indexed_copy.settings.index_key()
    counts: list[int] = []
    failures: list[BaseException] = []

    def open_query_close() -> None:
        for _ in range(25):
            try:
                client = open_client(None, generation)
                counts.append(collection_of(client, key).count())
                close_client(client)
            except BaseException as err:  # reported by the main thread
                failures.append(err)

    threads = [threading.Thread(target=open_query_close) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not failures, failures[:3]
    assert len(counts) == 150 and len(set(counts)) == 1 and counts[0] > 0


def test_a_quote_is_traced_to_the_sentences_it_is_made_of(indexed_copy: IndexedCopy) -> None:
    snapshot = indexed_copy.assistant.snapshot()
    first = next(i for i in range(len(snapshot.sentences) - 1) if len(snapshot.sentence_text(i)) > 40)
    following = next(j for j in range(first + 1, len(snapshot.sentences)) if len(snapshot.sentence_text(j)) > 40)
    one, two = snapshot.sentence_text(first), snapshot.sentence_text(following)

    assert first in snapshot.sentences_quoting(one)  # a whole sentence, as most quotes are
    assert {first, following} <= set(snapshot.sentences_quoting(f"{one} {two}"))  # two sentences quoted as one
    assert first in snapshot.sentences_quoting(one[5:35])  # a fragment, as a user may paste
    assert snapshot.sentences_quoting("too short") == []


def test_a_name_the_documents_place_and_never_let_speak_is_a_place(indexed_copy: IndexedCopy) -> None:
    snapshot = indexed_copy.assistant.snapshot()

    assert snapshot.names_a_place("Russia") and snapshot.names_a_place("Singapore")  # "to Russia", "in Singapore"
    assert not snapshot.names_a_place("McFarland")  # "McFarland: Although ..."
    assert not snapshot.names_a_place("Washington")  # "in Washington", but also "Washington ... said"
    assert not snapshot.names_a_place("Kerry")  # never after "in" or "to"
    assert not snapshot.names_a_place("Japan")  # never named


def test_the_panelists_of_the_usip_interview_speak_in_their_turns(indexed_copy: IndexedCopy) -> None:
    snapshot = indexed_copy.assistant.snapshot()
    freeman = {snapshot.sentence_text(index) for index in snapshot.sentences_spoken_by("Freeman")}

    assert snapshot.speakers() == {"Levine", "McFarland", "Stephenson", "Freeman"}
    # Her turn runs from "Freeman: ..." to the "Check Also" heading; the interviewer's question is no one's.
    assert len(freeman) == 4 and any(text.startswith("Qin’s acceptance of a visit") for text in freeman)
    assert not any("What comes next?" in text or "Check Also" in text for text in freeman)
    unwilling = next(i for i in range(len(snapshot.sentences)) if snapshot.sentence_text(i).startswith("Beijing’s unw"))
    opening = snapshot.turn_opening(unwilling)
    assert opening is not None and snapshot.sentence_text(opening).startswith("Stephenson: Blinken’s visit")
    assert snapshot.speaker_of(unwilling) == "Stephenson"
    assert snapshot.speaker_of(0) is None  # the headline


def test_a_sentence_begins_a_line_as_a_passage_holding_the_text_before_it_shows() -> None:
    text = "Title\n\nLee: One. Two.\nThree."
    first = Chunk("a", "f.txt", 0, 16, text[:16], ((0, 5), (7, 16)))
    second = Chunk("b", "f.txt", 7, len(text), text[7:], ((7, 16), (17, 21), (22, 28)))

    assert line_openers([first, second]) == {0: True, 7: True, 17: False, 22: True}
    assert line_openers([second]) == {7: True, 17: False, 22: True}  # a document's first passage starts a line


def test_a_generation_built_before_server_mode_keeps_its_vectors_in_its_folder() -> None:
    assert VectorPlace.of_manifest({"index_key": "minilm-k"}) == VectorPlace("minilm-k", None)
    on_server = VectorPlace.for_generation("http://h:8000", "minilm-k", "ab12cd34", "20261126T170000-abcdef")
    assert VectorPlace.of_manifest({"index_key": "minilm-k", "vectors": on_server.to_manifest()}) == on_server
    assert on_server.collection == "minilm-k.ab12cd34.20261126T170000-abcdef"
