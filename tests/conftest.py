"""Shared fixtures: a deterministic fake embedder, temporary folders, and the one real model of the session."""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import settings as hypothesis_settings

from assistant import Assistant, Settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DIMS = 384
# Function words carry no topic; without them the fake's similarities behave like meaning, not grammar.
FUNCTION_WORDS = frozenset(
    "a an and are as at be by did do does for from he her his how i in is it its of on or she that the their "
    "they this to was were what when where which who whom why with".split()
)

# No example database: a run must not leave a .hypothesis folder in the checkout.
hypothesis_settings.register_profile("assistant", database=None, deadline=None)
hypothesis_settings.load_profile("assistant")


class FakeEmbedder:
    """Bag of content words hashed into 384 dimensions, unit length: texts sharing words are similar; nothing is slow.

    It remembers every text it embedded, so tests can count what an index run had to (re)compute.
    """

    def __init__(self) -> None:
        self.calls = 0
        self.texts: list[str] = []

    @property
    def texts_embedded(self) -> int:
        return len(self.texts)

    def reset(self) -> None:
        self.calls = 0
        self.texts.clear()

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        self.texts.extend(texts)
        vectors = np.zeros((len(texts), DIMS), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in set(re.findall(r"\w+", text.lower())) - FUNCTION_WORDS:
                bucket = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little") % DIMS
                vectors[row, bucket] += 1.0
            norm = np.linalg.norm(vectors[row])
            if norm == 0:  # no words at all: any unit vector will do
                vectors[row, 0] = 1.0
            else:
                vectors[row] /= norm
        return vectors


Reply = str | Exception | Callable[[list[dict[str, str]]], str]


class FakeChat:
    """A scripted language model (llm's MockModel): replies what was enqueued, in order, and keeps every conversation
    it was given in `history`. An enqueued exception is raised instead of replying; an enqueued function is given
    the conversation and replies what it returns (to cite a sentence by the number the prompt gave it)."""

    def __init__(self, *replies: Reply) -> None:
        self.replies: list[Reply] = list(replies)
        self.history: list[list[dict[str, str]]] = []

    def enqueue(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def reply(self, messages: list[dict[str, str]]) -> str:
        self.history.append(messages)
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply if isinstance(reply, str) else reply(messages)


def number_of(messages: list[dict[str, str]], words: str) -> int:
    """The number the prompt gave the sentence holding these words."""
    found = re.search(rf"^\[(\d+)\] [^\n]*{re.escape(words)}", messages[-1]["content"], re.M)
    assert found, f"no sentence holding {words!r} in the prompt"
    return int(found.group(1))


def read_document(path: Path) -> str:
    """A document exactly as the assistant reads it: UTF-8 with an optional BOM, line endings untouched."""
    return path.read_bytes().decode("utf-8-sig")


def assert_citations_hold(answer: dict[str, Any], docs_dir: Path) -> None:
    """Every citation quotes its file verbatim at the offsets it gives: text[start:end] == quote."""
    for citation in answer["citations"]:
        text = read_document(docs_dir / citation["source"])
        assert text[citation["start"] : citation["end"]] == citation["quote"], citation
        assert citation["quote"].strip(), citation
    for passage in answer["passages"]:
        text = read_document(docs_dir / passage["source"])
        assert text[passage["start"] : passage["end"]] == passage["text"], passage


def history_after(assistant: Assistant, question: str) -> list[dict[str, str]]:
    """A chat of one turn: the question and the assistant's answer to it."""
    return [{"role": "user", "content": question}, {"role": "assistant", "content": assistant.ask(question).answer}]


def fake_settings(docs_dir: Path, index_dir: Path, **overrides: Any) -> Settings:
    """Settings for the fake embedder, whose word-overlap similarities run lower than the real model's."""
    return Settings(docs_dir=docs_dir, index_dir=index_dir, **({"abstain_below": 0.3} | overrides))


def indexed_folder(
    tmp_path: Path, files: dict[str, str], embedder: Any = None, **overrides: Any
) -> tuple[Assistant, Path]:
    """An assistant over a new documents folder holding these files, indexed: with the fake embedder and its
    settings, unless a real embedder is given."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in files.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    index_dir = tmp_path / "index"
    if embedder is None:
        settings, embedder = fake_settings(docs, index_dir, **overrides), FakeEmbedder()
    else:
        settings = Settings(docs_dir=docs, index_dir=index_dir, **overrides)
    assistant = Assistant(settings, embedder=embedder)
    assistant.index()
    return assistant, docs


@pytest.fixture(autouse=True)
def env_setup(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads or writes the checkout's index, or inherits a debugging switch from the shell."""
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "env-index"))
    monkeypatch.delenv("ASSISTANT_RAISE_ERRORS", raising=False)


@pytest.fixture
def seed_docs(tmp_path: Path) -> Path:
    """A private copy of the seed documents, free to edit."""
    return Path(shutil.copytree(SEEDS, tmp_path / "docs"))


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@dataclass
class IndexedCopy:
    """A temporary copy of the seeds with an index built by the fake embedder."""

    docs_dir: Path
    index_dir: Path
    settings: Settings
    embedder: FakeEmbedder
    assistant: Assistant
    full_build_texts: int  # texts the first build of the seeds embedded


@pytest.fixture(scope="session")
def _fake_seed_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, int]:
    """Built once; tests get copies, which is much faster than building Chroma again."""
    root = tmp_path_factory.mktemp("fake-seed-index")
    docs = Path(shutil.copytree(SEEDS, root / "docs"))
    assistant = Assistant(fake_settings(docs, root / "index"), embedder=FakeEmbedder())
    report = assistant.index()
    assistant.close()
    return docs, root / "index", report.texts_embedded


@pytest.fixture
def indexed_copy(_fake_seed_index: tuple[Path, Path, int], tmp_path: Path) -> Iterator[IndexedCopy]:
    docs, index, full_build_texts = _fake_seed_index
    docs_dir = Path(shutil.copytree(docs, tmp_path / "docs"))
    index_dir = Path(shutil.copytree(index, tmp_path / "index"))
    settings = fake_settings(docs_dir, index_dir)
    embedder = FakeEmbedder()
    assistant = Assistant(settings, embedder=embedder)
    yield IndexedCopy(docs_dir, index_dir, settings, embedder, assistant, full_build_texts)
    assistant.close()


@pytest.fixture(scope="session")
def real_embedder() -> Any:
    """The real all-MiniLM-L6-v2, loaded once for the whole session (loading takes seconds)."""
    from assistant.embeddings import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


@dataclass
class RealIndex:
    docs_dir: Path
    index_dir: Path
    settings: Settings
    assistant: Assistant


@pytest.fixture(scope="session")
def real_index(tmp_path_factory: pytest.TempPathFactory, real_embedder: Any) -> Iterator[RealIndex]:
    """The seeds indexed with the real model and a real Chroma store on disk. Shared: never modify it."""
    root = tmp_path_factory.mktemp("real-index")
    docs_dir = Path(shutil.copytree(SEEDS, root / "docs"))
    settings = Settings(docs_dir=docs_dir, index_dir=root / "index")
    assistant = Assistant(settings, embedder=real_embedder)
    assistant.index()
    yield RealIndex(docs_dir, settings.index_dir, settings, assistant)
    assistant.close()


def tree_state(*roots: Path) -> dict[str, tuple[int, int]]:
    """Every file under the roots with its size and modification time: equal states mean nothing was written."""
    state = {}
    for root in roots:
        if root.exists():
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    stat = path.stat()
                    state[str(path)] = (stat.st_size, stat.st_mtime_ns)
        state[f"{root} exists"] = (int(root.exists()), 0)
    return state
