"""`serve` watches by default: documents added to or removed from the folder are answered from (or forgotten)
without a restart."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import FakeEmbedder, fake_settings
from gradio_client import Client
from web_helpers import (
    Server,
    assert_quotes_verbatim,
    chromium,
    cited_sources,
    documents_in_status,
    open_index_panel,
    seed_embedding_cache,
    start_server,
    wait_for_status,
)

from assistant import Assistant
from assistant.indexing import SyncReport
from assistant.watching import IndexWatcher

pytestmark = pytest.mark.slow

NEW_FILE = "new_topic.txt"
NEW_TEXT = (
    "The Zanzibar Accord on Lighthouse Maintenance\n\n"
    "The Zanzibar Accord on lighthouse maintenance was signed by Admiral Quillfeather in 2031. "
    "Under the accord, every lighthouse keeper on the coast must polish the great lenses twice a week.\n"
)
NEW_QUESTION = "Who signed the Zanzibar Accord on lighthouse maintenance?"
POLL_S = 0.5
GIVE_UP_S = 30.0
PICKED_UP_WITHIN_S = 15.0  # debounce (0.8 s) + embedding two sentences + writing a generation, on a busy machine


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    # No flag: `assistant serve` watches the folder unless told not to.
    running = start_server(
        tmp_path_factory.mktemp("watch"), embedding_cache=seed_embedding_cache(tmp_path_factory), watch=None
    )
    yield running
    running.stop()


@pytest.fixture(scope="module")
def client(server: Server) -> Client:
    return Client(server.url, verbose=False, download_files=False)


@pytest.fixture
def new_file(server: Server, client: Client) -> Iterator[Path]:
    """The path of the new document; if a test leaves it there, it is removed and the index let catch up."""
    path = server.docs_dir / NEW_FILE
    assert not path.exists()
    yield path
    if path.exists():
        path.unlink()
        wait_for(lambda: not mentions_new_file(ask(client), include_passages=True), f"the index to forget {NEW_FILE}")


def ask(client: Client, question: str = NEW_QUESTION) -> dict[str, Any]:
    return dict(client.submit(question, [], api_name="/ask").result(timeout=60))


def mentions_new_file(answer: dict[str, Any], include_passages: bool = False) -> bool:
    """Whether the answer cites the new document (in the docs folder or in a subfolder of it)."""
    sources = cited_sources(answer)
    if include_passages:
        sources |= {p["source"] for p in answer["passages"]}
    return any(source.rsplit("/", 1)[-1] == NEW_FILE for source in sources)


def wait_for(condition: Callable[[], bool], what: str, timeout: float = GIVE_UP_S) -> float:
    """Seconds until `condition()` held, checked every POLL_S; fails after `timeout`."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            pytest.fail(f"gave up after {timeout:.0f}s waiting for {what}")
        time.sleep(POLL_S)
    return time.monotonic() - started


def test_added_document_is_answered_without_restart(client: Client, server: Server, new_file: Path) -> None:
    before = ask(client)
    assert not mentions_new_file(before, include_passages=True)

    new_file.write_text(NEW_TEXT, encoding="utf-8")
    answers: list[dict[str, Any]] = []

    def cites_new_file() -> bool:
        answers.append(ask(client))
        return mentions_new_file(answers[-1])

    took = wait_for(cites_new_file, f"an answer citing {NEW_FILE}")

    print(f"{NEW_FILE} answered from {took:.1f}s after it was written")  # shown with -s or -rP
    assert took < PICKED_UP_WITHIN_S, f"the watcher took {took:.1f}s to index {NEW_FILE}"
    answer = answers[-1]
    assert answer["answerable"] is True
    assert "Admiral Quillfeather" in answer["citations"][0]["quote"]
    assert_quotes_verbatim(answer, server.docs_dir)
    assert server.alive()


def test_deleted_document_is_forgotten(client: Client, server: Server, new_file: Path) -> None:
    new_file.write_text(NEW_TEXT, encoding="utf-8")
    wait_for(lambda: mentions_new_file(ask(client)), f"an answer citing {NEW_FILE}")

    new_file.unlink()
    answers: list[dict[str, Any]] = []

    def forgot_new_file() -> bool:
        answers.append(ask(client))
        return not mentions_new_file(answers[-1], include_passages=True)

    took = wait_for(forgot_new_file, f"answers and passages to stop citing {NEW_FILE}")
    assert took < PICKED_UP_WITHIN_S, f"the watcher took {took:.1f}s to drop {NEW_FILE}"
    assert answers[-1]["answerable"] is False  # nothing else in the seeds is about the accord
    assert_quotes_verbatim(answers[-1], server.docs_dir)
    # the seeds are answered as before
    assert "Li Shangfu" in ask(client, "Who refused to meet Lloyd Austin in Singapore?")["citations"][0]["quote"]


def test_other_files_do_not_disturb_the_index(client: Client, server: Server) -> None:
    """A file the assistant does not read (.json) changes nothing, and the server goes on answering."""
    stray = server.docs_dir / "notes.json"
    stray.write_text('{"Zanzibar Accord": "Admiral Quillfeather"}', encoding="utf-8")
    try:
        time.sleep(2.5)  # longer than the watcher's debounce
        answer = ask(client)
        assert {c["source"] for c in answer["citations"]} <= {p.name for p in server.docs_dir.glob("*.txt")}
        assert not any(p["source"] == "notes.json" for p in answer["passages"])
    finally:
        stray.unlink()


def test_index_status_on_the_page_shows_the_change(server: Server, new_file: Path) -> None:
    """The Index panel refreshes itself every 2 s: it shows the new document count and the last change."""
    with chromium() as driver:
        driver.get(server.url)
        open_index_panel(driver)
        wait_for_status(driver, lambda text: "documents" in text, "the document count")
        count = documents_in_status(driver)
        assert count == len(list(server.docs_dir.glob("*.txt")))
        assert count is not None

        new_file.write_text(NEW_TEXT, encoding="utf-8")
        wait_for_status(
            driver,
            lambda text: f"{count + 1} documents" in text and "Last change:" in text and "1 added" in text,
            "the added document",
            timeout=GIVE_UP_S,
        )
        new_file.unlink()
        wait_for_status(
            driver,
            lambda text: f"{count} documents" in text and "1 removed" in text,
            "the removed document",
            timeout=GIVE_UP_S,
        )


def test_folder_of_documents_moved_in_is_indexed(client: Client, server: Server, tmp_path: Path) -> None:
    outside = tmp_path / "accords"
    outside.mkdir()
    (outside / NEW_FILE).write_text(NEW_TEXT, encoding="utf-8")
    inside = server.docs_dir / "accords"
    outside.rename(inside)
    try:
        wait_for(lambda: mentions_new_file(ask(client)), f"an answer citing accords/{NEW_FILE}", timeout=10)
    finally:
        (inside / NEW_FILE).unlink()  # a .txt event: the watcher syncs, and the index forgets the file
        inside.rmdir()
        wait_for(lambda: not mentions_new_file(ask(client), include_passages=True), f"the index to forget {NEW_FILE}")


def test_an_index_inside_the_documents_folder_does_not_set_off_the_watcher(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text("The okapi lives in the forest.\n")
    assistant = Assistant(fake_settings(tmp_path, tmp_path / "index"), embedder=FakeEmbedder())
    assistant.index()
    syncs: list[SyncReport] = []
    index = assistant.index

    def counted_index(*args: Any, **kwargs: Any) -> SyncReport:
        syncs.append(index(*args, **kwargs))
        return syncs[-1]

    assistant.index = counted_index  # type: ignore[method-assign]
    watcher = IndexWatcher(assistant).start()
    try:
        time.sleep(1.0)  # the watcher is watching
        (tmp_path / "two.txt").write_text("The tapir has a short trunk.\n")
        deadline = time.monotonic() + GIVE_UP_S
        while not syncs and time.monotonic() < deadline:
            time.sleep(POLL_S)
        time.sleep(4.0)  # long enough for a sync set off by the first sync's own writes
    finally:
        watcher.stop()
        assistant.close()

    assert [report.added for report in syncs] == [["two.txt"]]  # one sync: the index's own writes set off none
