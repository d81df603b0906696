"""Passage vectors on a real Chroma server (`chroma run`, from the chromadb package), not in the index folder."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import FakeEmbedder, assert_citations_hold, fake_settings
from pydantic import SecretStr
from test_cli import run_cli
from web_helpers import ChromaServer, TokenProxy

from assistant import Assistant, Settings
from assistant.errors import IndexMissingError, VectorStoreError
from assistant.indexing import check_index
from assistant.store import IndexPaths

pytestmark = pytest.mark.slow


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[ChromaServer]:
    server = ChromaServer(tmp_path / "chroma-data")
    yield server
    server.stop()


@pytest.fixture
def token_proxy(chroma_server: ChromaServer) -> Iterator[TokenProxy]:
    proxy = TokenProxy(chroma_server.port, token="s3cret-token")
    yield proxy
    proxy.stop()


def generations(index_dir: Path) -> set[str]:
    return {p.name for p in IndexPaths(index_dir).generations.iterdir()}


def collection_generations(server: ChromaServer) -> set[str]:
    return {name.rsplit(".", 1)[1] for name in server.collections()}


def add_document(docs_dir: Path, name: str, text: str) -> None:
    (docs_dir / name).write_text(text, encoding="utf-8")


def test_the_seeds_answer_from_vectors_on_a_server(
    chroma_server: ChromaServer, seed_docs: Path, tmp_path: Path, real_embedder: Any
) -> None:
    settings = Settings(docs_dir=seed_docs, index_dir=tmp_path / "index", chroma_url=chroma_server.url)
    assistant = Assistant(settings, embedder=real_embedder)
    try:
        report = assistant.index()
        answer = assistant.ask("Who refused to meet Lloyd Austin in Singapore?").to_dict()
        status = assistant.status()
    finally:
        assistant.close()

    assert answer["answerable"] and "Li Shangfu" in answer["citations"][0]["quote"]
    assert_citations_hold(answer, seed_docs)
    generation = IndexPaths(settings.index_dir).current_generation()
    assert generation is not None and not (generation / "chroma").exists()  # nothing embedded in the folder
    [(name, count)] = chroma_server.collections().items()
    assert name.startswith(settings.index_key() + ".") and name.endswith("." + report.generation)
    assert count == report.chunks
    assert status["vectors"] == f"on the Chroma server at {chroma_server.url}"
    assert report.summary().endswith(f"; vectors on the Chroma server at {chroma_server.url}")
    assert check_index(settings).healthy


def test_a_sync_keeps_the_previous_generation_on_the_server_and_no_other_index_is_touched(
    chroma_server: ChromaServer, seed_docs: Path, tmp_path: Path
) -> None:
    settings = fake_settings(seed_docs, tmp_path / "index", chroma_url=chroma_server.url)
    other = fake_settings(seed_docs, tmp_path / "other-index", chroma_url=chroma_server.url)
    Assistant(other, embedder=FakeEmbedder()).index()
    [other_collection] = chroma_server.collections()
    assistant = Assistant(settings, embedder=FakeEmbedder())
    try:
        first = assistant.index()
        add_document(seed_docs, "okapi.md", "The okapi is a giraffid of the Congo forests. It eats leaves and fruit.")
        second = assistant.index()
        add_document(seed_docs, "tapir.md", "The tapir is a large herbivorous mammal with a short trunk.")
        third = assistant.index()
        answer = assistant.ask("What does the okapi eat?").to_dict()
    finally:
        assistant.close()

    assert third.texts_embedded > 0 and not third.rebuilt  # a sync, not a rebuild: the vectors were copied
    ours = {name: count for name, count in chroma_server.collections().items() if name != other_collection}
    kept = {second.generation, third.generation}
    assert {name.rsplit(".", 1)[1] for name in ours} == generations(settings.index_dir) == kept
    assert first.generation not in collection_generations(chroma_server)
    assert sorted(ours.values()) == [second.chunks, third.chunks]
    assert other_collection in chroma_server.collections()  # another index's vectors on the same server
    assert answer["citations"][0]["source"] == "okapi.md"


def test_a_copy_of_an_index_folder_never_deletes_the_collections_of_the_original(
    chroma_server: ChromaServer, seed_docs: Path, tmp_path: Path
) -> None:
    original = fake_settings(seed_docs, tmp_path / "index", chroma_url=chroma_server.url)
    report = Assistant(original, embedder=FakeEmbedder()).index()
    copied_docs = Path(shutil.copytree(seed_docs, tmp_path / "copied-docs"))
    copy = original.model_copy(
        update={"docs_dir": copied_docs, "index_dir": Path(shutil.copytree(original.index_dir, tmp_path / "copy"))}
    )
    copied = Assistant(copy, embedder=FakeEmbedder())
    try:
        for name in ("okapi.md", "tapir.md"):  # two syncs: the copied generation is pruned by the second
            add_document(copied_docs, name, f"The {name[:-3]} is an animal that eats leaves and fruit.")
            copied.index()
    finally:
        copied.close()

    [original_collection] = [name for name in chroma_server.collections() if name.endswith(report.generation)]
    assert chroma_server.collections()[original_collection] == report.chunks  # still whole
    assert IndexPaths(copy.index_dir).index_id() != IndexPaths(original.index_dir).index_id()
    survivor = Assistant(original, embedder=FakeEmbedder())
    try:
        assert survivor.ask("Who refused to meet Lloyd Austin in Singapore?").answerable
    finally:
        survivor.close()


def test_a_crash_while_writing_leaves_the_last_generation_and_the_next_sync_drops_its_collection(
    chroma_server: ChromaServer, seed_docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = fake_settings(seed_docs, tmp_path / "index", chroma_url=chroma_server.url)
    Assistant(settings, embedder=FakeEmbedder()).index()
    add_document(seed_docs, "okapi.md", "The okapi is a giraffid of the Congo forests. It eats leaves and fruit.")

    def crash(*args: object) -> None:
        raise KeyboardInterrupt  # killed after the vectors went to the server, before the manifest was written

    monkeypatch.setattr("assistant.indexing.write_json", crash)
    with pytest.raises(KeyboardInterrupt):
        Assistant(settings, embedder=FakeEmbedder()).index()
    monkeypatch.undo()
    assert len(chroma_server.collections()) == 2  # the crashed run's collection is left over

    survivor = Assistant(settings, embedder=FakeEmbedder())
    try:
        answer = survivor.ask("Who refused to meet Lloyd Austin in Singapore?").to_dict()
        assert answer["answerable"] and "okapi.md" not in {c["source"] for c in answer["citations"]}
        report = survivor.index()
    finally:
        survivor.close()

    assert collection_generations(chroma_server) == generations(settings.index_dir)
    assert report.generation in collection_generations(chroma_server) and len(chroma_server.collections()) == 2


def test_moving_the_vectors_to_a_server_and_back_embeds_nothing_again(
    chroma_server: ChromaServer, indexed_copy: Any
) -> None:
    on_server = indexed_copy.settings.model_copy(update={"chroma_url": chroma_server.url})
    moved = Assistant(on_server, embedder=FakeEmbedder())
    try:
        with pytest.raises(IndexMissingError, match="keeps its vectors in the index folder, not on the Chroma server"):
            moved.ask("Who refused to meet Lloyd Austin in Singapore?")
        to_server = moved.index()
        assert moved.ask("Who refused to meet Lloyd Austin in Singapore?").answerable
    finally:
        moved.close()
    back = Assistant(indexed_copy.settings, embedder=FakeEmbedder())
    try:
        to_folder = back.index()
        assert back.ask("Who refused to meet Lloyd Austin in Singapore?").answerable
        back.index(full=True)  # the server generation is pruned now, and its collection with it
    finally:
        back.close()

    assert to_server.rebuilt and to_server.texts_embedded == 0
    assert to_folder.rebuilt and to_folder.texts_embedded == 0
    assert chroma_server.collections() == {}


def test_a_stopped_server_is_a_one_line_message(chroma_server: ChromaServer, tmp_path: Path) -> None:
    docs_dir = Path(shutil.copytree(Path(__file__).parent.parent / "seeds", tmp_path / "docs"))
    index_dir = tmp_path / "index"
    assistant = Assistant(fake_settings(docs_dir, index_dir, chroma_url=chroma_server.url), embedder=FakeEmbedder())
    assistant.index()
    assistant.close()
    chroma_server.stop()

    server = {"ASSISTANT_CHROMA_URL": chroma_server.url}
    asked = run_cli("ask", "Who met Xi?", docs_dir=docs_dir, index_dir=index_dir, **server)
    indexed = run_cli("index", docs_dir=docs_dir, index_dir=index_dir, **server)

    for result in (asked, indexed):
        assert result.returncode == 2 and "Traceback" not in result.stderr
        [line] = result.stderr.strip().splitlines()
        assert line.startswith(f"error: cannot use the Chroma server at {chroma_server.url}")
        assert "unset ASSISTANT_CHROMA_URL" in line
    current = IndexPaths(index_dir).current_generation()
    assert current is not None and generations(index_dir) == {current.name}  # nothing lost or added


def test_a_dropped_server_mid_question_is_an_assistant_error(chroma_server: ChromaServer, indexed_copy: Any) -> None:
    settings = indexed_copy.settings.model_copy(update={"chroma_url": chroma_server.url})
    assistant = Assistant(settings, embedder=FakeEmbedder())
    try:
        assistant.index()
        assistant.ask("Who met Xi?")  # the snapshot and its client are open
        chroma_server.stop()
        with pytest.raises(VectorStoreError, match="cannot use the Chroma server"):
            assistant.ask("Who refused to meet Lloyd Austin in Singapore?")
    finally:
        assistant.close()


def test_a_server_behind_an_auth_proxy_is_used_with_the_token_and_refused_without_it(
    chroma_server: ChromaServer, token_proxy: TokenProxy, seed_docs: Path, tmp_path: Path
) -> None:
    with_token = fake_settings(seed_docs, tmp_path / "index", chroma_url=token_proxy.url, chroma_token="s3cret-token")
    assistant = Assistant(with_token, embedder=FakeEmbedder())
    try:
        report = assistant.index()
        answer = assistant.ask("Who refused to meet Lloyd Austin in Singapore?").to_dict()
    finally:
        assistant.close()

    assert answer["answerable"] and "Li Shangfu" in answer["citations"][0]["quote"]
    assert_citations_hold(answer, seed_docs)
    assert [name.rsplit(".", 1)[1] for name in chroma_server.collections()] == [report.generation]
    assert token_proxy.passed > 0 and token_proxy.refused == 0
    assert check_index(with_token).healthy

    for token, says in [(None, "wants a token"), ("wrong", "refused the token in ASSISTANT_CHROMA_TOKEN")]:
        settings = with_token.model_copy(update={"chroma_token": token and SecretStr(token)})
        with pytest.raises(VectorStoreError, match=f"Chroma server at {token_proxy.url} {says} \\(HTTP 401\\)"):
            Assistant(settings, embedder=FakeEmbedder()).ask("Who refused to meet Lloyd Austin in Singapore?")
        with pytest.raises(VectorStoreError, match=says):
            Assistant(settings, embedder=FakeEmbedder()).index()
    assert token_proxy.refused > 0
    assert [name.rsplit(".", 1)[1] for name in chroma_server.collections()] == [report.generation]


def test_the_cli_without_the_token_says_so_in_one_line(
    token_proxy: TokenProxy, seed_docs: Path, tmp_path: Path
) -> None:
    result = run_cli("--chroma-url", token_proxy.url, "index", docs_dir=seed_docs, index_dir=tmp_path / "index")

    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: the Chroma server at {token_proxy.url} wants a token (HTTP 401): "
        "set ASSISTANT_CHROMA_TOKEN to the token it expects"
    ]
