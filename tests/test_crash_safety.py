"""Crash safety: a killed index run leaves the previous index answering; readers never see half a generation."""

import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from conftest import (
    ROOT,
    SEEDS,
    FakeEmbedder,
    IndexedCopy,
    RealIndex,
    assert_citations_hold,
    read_document,
)

from assistant import Assistant, Settings
from assistant.indexing import check_index
from assistant.store import IndexPaths

pytestmark = pytest.mark.slow

TESTS = Path(__file__).resolve().parent
AUSTIN = "Who refused to meet Lloyd Austin in Singapore?"

# An index run with a deliberately slow fake embedder, so that it can be killed in the middle.
SLOW_SYNC = """
import sys, time
from pathlib import Path

sys.path.insert(0, sys.argv[1])
from conftest import FakeEmbedder, fake_settings
from assistant.indexing import Indexer


class SlowEmbedder(FakeEmbedder):
    def embed(self, texts):
        time.sleep(0.05)
        return super().embed(texts)


settings = fake_settings(Path(sys.argv[2]), Path(sys.argv[3]), embed_batch_size=8)
print(Indexer(settings, SlowEmbedder).sync().summary(), flush=True)
"""


def write_generated_corpus(docs_dir: Path, count: int) -> list[str]:
    """`count` new documents, each three seed paragraphs in a new order under a new headline."""
    paragraphs = [
        paragraph.strip()
        for path in sorted(SEEDS.glob("*.txt"))
        for paragraph in read_document(path).split("\n\n")
        if len(paragraph.strip()) > 200
    ]
    rng = random.Random(count)
    names = []
    for number in range(count):
        name = f"generated_{number:03d}.txt"
        body = "\n\n".join(rng.sample(paragraphs, 3))
        (docs_dir / name).write_text(f"Generated report number {number}\n\n{body}\n", encoding="utf-8")
        names.append(name)
    return names


def cached_vectors(index_dir: Path) -> int:
    try:
        with sqlite3.connect(index_dir / "embeddings.sqlite", timeout=30) as db:
            return int(db.execute("SELECT count(*) FROM vectors").fetchone()[0])
    except sqlite3.OperationalError:  # the table is not created yet
        return 0


def staging_folders(index_dir: Path) -> list[Path]:
    return sorted((index_dir / "generations").glob(".staging-*"))


def wait_for(condition, process: subprocess.Popen, timeout: float = 180.0) -> bool:
    """True once condition() holds; False if the process ended first."""
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None:
            return False
        assert time.monotonic() < deadline, "the index run never got there"
        time.sleep(0.02)
    return True


def assert_index_answers(settings: Settings, embedder: object, docs_dir: Path) -> None:
    """The live generation is whole: consistent on disk, and it answers with citations that hold."""
    assert IndexPaths(settings.index_dir).current_generation() is not None
    assert check_index(settings).problems == []
    assistant = Assistant(settings, embedder=embedder)
    try:
        answer = assistant.ask(AUSTIN).to_dict()
    finally:
        assistant.close()
    assert answer["answerable"] and "Li Shangfu" in answer["citations"][0]["quote"]
    assert_citations_hold(answer, docs_dir)


def test_killing_an_index_run_at_any_moment_keeps_a_whole_index(indexed_copy: IndexedCopy) -> None:
    settings, docs_dir, index_dir = indexed_copy.settings, indexed_copy.docs_dir, indexed_copy.index_dir
    first_generation = IndexPaths(index_dir).current_generation()
    write_generated_corpus(docs_dir, 300)
    script = index_dir.parent / "slow_sync.py"
    script.write_text(SLOW_SYNC, encoding="utf-8")
    vectors_before = cached_vectors(index_dir)

    kills_before_publishing = 0
    for delay in (0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0):
        leftovers = set(staging_folders(index_dir))
        process = subprocess.Popen(
            [sys.executable, str(script), str(TESTS), str(docs_dir), str(index_dir)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        if wait_for(lambda old=leftovers: bool(set(staging_folders(index_dir)) - old), process):  # this run's own
            time.sleep(delay)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        out, err = process.communicate(timeout=60)
        assert process.returncode in (0, -signal.SIGKILL), err
        assert_index_answers(settings, FakeEmbedder(), docs_dir)  # the old generation or a whole new one
        if process.returncode == 0:
            break
        kills_before_publishing += IndexPaths(index_dir).current_generation() == first_generation
    else:
        pytest.fail("the index run never finished")

    assert kills_before_publishing >= 1
    embedded_by_the_last_run = int(re.search(r"(\d+) texts embedded", out).group(1))
    assert embedded_by_the_last_run < cached_vectors(index_dir) - vectors_before  # killed runs' vectors were kept
    report = check_index(settings)
    assert report.healthy and report.pending == []
    assert staging_folders(index_dir) == []
    assistant = Assistant(settings, embedder=FakeEmbedder())
    passages = assistant.retrieve("Generated report number 123", k=5)
    assistant.close()
    assert "generated_123.txt" in {p.source for p in passages}


def test_killing_the_real_command_mid_run_keeps_the_previous_index(
    real_index: RealIndex, real_embedder: object, tmp_path: Path
) -> None:
    docs_dir = Path(shutil.copytree(real_index.docs_dir, tmp_path / "docs"))
    index_dir = Path(shutil.copytree(real_index.index_dir, tmp_path / "index"))
    settings = real_index.settings.model_copy(update={"docs_dir": docs_dir, "index_dir": index_dir})
    first_generation = IndexPaths(index_dir).current_generation()
    generated = write_generated_corpus(docs_dir, 300)
    vectors_before = cached_vectors(index_dir)
    env = {key: value for key, value in os.environ.items() if not key.startswith("ASSISTANT_")}

    process = subprocess.Popen(
        [sys.executable, "-m", "assistant", "--docs-dir", str(docs_dir), "--index-dir", str(index_dir), "index"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env | {"HF_HUB_OFFLINE": "1"},
        cwd=ROOT,
    )
    try:
        started = wait_for(lambda: cached_vectors(index_dir) > vectors_before, process)  # embedding is under way
        assert started, process.communicate()[1]
    finally:
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)

    assert IndexPaths(index_dir).current_generation() == first_generation
    assert staging_folders(index_dir)  # it died in the middle of a run
    assert_index_answers(settings, real_embedder, docs_dir)
    assert check_index(settings).pending == sorted(generated)

    for name in generated[5:]:  # keep the next sync short: five new documents
        (docs_dir / name).unlink()
    assistant = Assistant(settings, embedder=real_embedder)
    report = assistant.index()
    assert report.added == generated[:5]
    assert staging_folders(index_dir) == []
    final = check_index(settings)
    assert final.healthy and final.pending == []
    answer = assistant.ask(AUSTIN).to_dict()
    assert_citations_hold(answer, docs_dir)
    assistant.close()


def write_atomically(path: Path, text: str) -> None:
    """Readers checking citations must never see a half-written file."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


@pytest.mark.parametrize("shared", [False, True], ids=["separate-reader", "same-assistant"])
def test_answers_stay_valid_while_syncs_publish_new_generations(indexed_copy: IndexedCopy, shared: bool) -> None:
    """Files only grow (appends, new files), so a citation from any generation must hold in the files on disk."""
    docs_dir, writer = indexed_copy.docs_dir, indexed_copy.assistant
    reader = writer if shared else Assistant(indexed_copy.settings, embedder=FakeEmbedder())
    questions = [AUSTIN, "Which update about the okapi census was appended?", "What did report number 3 say?"]
    stop = threading.Event()
    failures: list[BaseException] = []
    generations_seen: Counter[str] = Counter()

    def ask_until_stopped() -> None:
        while not stop.is_set():
            for question in questions:
                try:
                    answer = reader.ask(question).to_dict()
                    assert_citations_hold(answer, docs_dir)
                    generations_seen[reader.snapshot().name] += 1
                except BaseException as err:  # reported by the main thread
                    failures.append(err)
                    return

    thread = threading.Thread(target=ask_until_stopped)
    thread.start()
    try:
        edited = docs_dir / "003_d94c39d90b50c062.txt"
        for number in range(8):
            text = read_document(edited)
            write_atomically(edited, text + f"\nUpdate {number}: the okapi census counted {number} more okapis.\n")
            write_atomically(docs_dir / f"report_{number}.txt", f"Report number {number}\n\nReport {number} says hi.\n")
            report = writer.index()
            assert report.added == [f"report_{number}.txt"] and report.updated == [edited.name]
            time.sleep(0.1)
    finally:
        stop.set()
        thread.join(timeout=60)

    assert not failures, failures[0]
    assert len(generations_seen) >= 2  # the reader moved to new generations while asking
    assert check_index(indexed_copy.settings).healthy
    final = reader.ask("What did report number 7 say?").to_dict()
    assert "report_7.txt" in {c["source"] for c in final["citations"]}
    if not shared:
        reader.close()
