"""The web chat's API, end to end: a real `assistant serve` in a subprocess, asked through gradio_client."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError, AuthenticationError
from web_helpers import (
    ChromaServer,
    Server,
    assert_quotes_verbatim,
    cited_sources,
    non_loopback_addresses,
    seed_embedding_cache,
    server_env,
    start_server,
)

pytestmark = pytest.mark.slow

QUESTION = "Who refused to meet Lloyd Austin in Singapore?"
FOLLOW_UP = "Why was he sanctioned?"
MAX_CHARS = 300  # set through ASSISTANT_MAX_QUESTION_CHARS: the server must read its settings from the environment
ANSWER_TIMEOUT_S = 90  # a busy 2-core machine; an answer normally takes well under a second


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the module; its index folder starts empty, so serve builds the index first."""
    running = start_server(
        tmp_path_factory.mktemp("web"),
        env=server_env(ASSISTANT_MAX_QUESTION_CHARS=str(MAX_CHARS)),
        embedding_cache=seed_embedding_cache(tmp_path_factory),
    )
    yield running
    running.stop()


@pytest.fixture(scope="module")
def client(server: Server) -> Client:
    return Client(server.url, verbose=False, download_files=False)


def ask(client: Client, question: str, history: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """One call of the /ask endpoint, with a deadline: a hang fails the test instead of stalling the run."""
    result = client.submit(question, history or [], api_name="/ask").result(timeout=ANSWER_TIMEOUT_S)
    assert isinstance(result, dict), result
    return result


def test_only_ask_is_public_api(client: Client) -> None:
    endpoints = client.view_api(return_format="dict", print_info=False)["named_endpoints"]
    assert list(endpoints) == ["/ask"]


def test_answerable_question_is_answered_with_verbatim_quotes(client: Client, server: Server) -> None:
    answer = ask(client, QUESTION)
    assert set(answer) >= {
        "question",
        "standalone_question",
        "answer",
        "answerable",
        "citations",
        "passages",
        "timings_ms",
    }
    assert answer["question"] == QUESTION
    assert answer["answerable"] is True
    assert answer["citations"], answer
    assert "Li Shangfu" in answer["citations"][0]["quote"]
    assert answer["citations"][0]["source"] == "000_cdc7ccf3eb7c2414.txt"
    for citation in answer["citations"]:
        assert set(citation) == {"id", "source", "start", "end", "quote"}
        assert citation["quote"] in answer["answer"]
    for passage in answer["passages"]:
        assert set(passage) == {"rank", "source", "start", "end", "text", "score"}
    assert [p["rank"] for p in answer["passages"]] == list(range(1, len(answer["passages"]) + 1))
    assert_quotes_verbatim(answer, server.docs_dir)


def test_follow_up_uses_the_history(client: Client, server: Server) -> None:
    first = ask(client, QUESTION)
    history = [{"role": "user", "content": QUESTION}, {"role": "assistant", "content": first["answer"]}]
    answer = ask(client, FOLLOW_UP, history)
    assert answer["question"] == FOLLOW_UP
    assert "Li Shangfu" in answer["standalone_question"], answer["standalone_question"]
    assert answer["answerable"] is True
    assert "001_88b05ed209d663f4.txt" in cited_sources(answer), answer["citations"]
    assert_quotes_verbatim(answer, server.docs_dir)


def test_follow_up_without_history_is_not_rewritten(client: Client) -> None:
    answer = ask(client, FOLLOW_UP)
    assert answer["standalone_question"] == FOLLOW_UP


def test_unanswerable_question_abstains_but_shows_passages(client: Client, server: Server) -> None:
    answer = ask(client, "What is the recipe for banana bread?")
    assert answer["answerable"] is False
    assert answer["citations"] == []
    assert answer["passages"], answer
    assert "do not answer" in answer["answer"]
    assert_quotes_verbatim(answer, server.docs_dir)


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("", "the question is empty"),
        ("   \n\t ", "the question is empty"),
        ("x" * (MAX_CHARS + 1), f"the limit is {MAX_CHARS}"),
        ("who\x00met Xi?", "control characters"),
    ],
    ids=["empty", "blank", "too-long", "control-character"],
)
def test_bad_question_is_a_clear_error_and_the_server_goes_on(
    client: Client, server: Server, question: str, message: str
) -> None:
    with pytest.raises(AppError) as caught:
        ask(client, question)
    text = str(caught.value)
    assert message in text
    assert "Traceback" not in text and "Internal Server Error" not in text
    assert ask(client, QUESTION)["answerable"] is True  # still answering afterwards
    # A question refused is the asker's to mend, not a fault of the server: its log shows no traceback.
    assert "Traceback" not in server.log()


@pytest.mark.parametrize(
    ("history", "message"),
    [
        ([3, "hello"], "message 1 of the history is not like"),
        ("hello", "the history must be a list of messages"),
        ([{"role": "user", "content": "Who met Xi?"}, {"role": "bot", "content": "Blinken"}], "message 2 of"),
    ],
    ids=["not-messages", "not-a-list", "a-role-not-known"],
)
def test_bad_history_is_a_clear_error_and_the_server_goes_on(client: Client, history: Any, message: str) -> None:
    with pytest.raises(AppError) as caught:
        client.submit("Why?", history, api_name="/ask").result(timeout=ANSWER_TIMEOUT_S)
    text = str(caught.value)
    assert message in text
    assert "Traceback" not in text and "Internal Server Error" not in text
    assert ask(client, QUESTION)["answerable"] is True


def test_question_at_the_limit_is_accepted(client: Client) -> None:
    question = ("Who refused to meet Lloyd Austin? " * 20)[:MAX_CHARS]
    assert ask(client, question)["question"] == question.strip()


def test_bad_question_over_raw_http_is_an_error_event_not_a_500(server: Server) -> None:
    """What any HTTP client sees: the call is accepted, then its event stream carries the one-line error."""
    request = urllib.request.Request(
        server.url + "gradio_api/call/ask",
        data=json.dumps({"data": ["", []]}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        event_id = json.load(response)["event_id"]
    with urllib.request.urlopen(f"{server.url}gradio_api/call/ask/{event_id}", timeout=ANSWER_TIMEOUT_S) as response:
        assert response.status == 200
        stream = response.read().decode()
    assert "event: error" in stream
    assert "the question is empty" in stream
    assert "Traceback" not in stream


def test_listens_on_loopback_only(server: Server) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=5):
        pass  # the server is there
    addresses = non_loopback_addresses()
    if not addresses:
        pytest.skip("this machine has no non-loopback IPv4 address to try")
    for address in addresses:
        with pytest.raises(OSError), socket.create_connection((address, server.port), timeout=5):
            pass


def test_page_is_served(server: Server) -> None:
    with urllib.request.urlopen(server.url, timeout=30) as response:
        assert response.status == 200
        page = response.read().decode()
    assert "Document assistant" in page  # the Blocks title


# --- With a login ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def auth_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_server(
        tmp_path_factory.mktemp("web-auth"),
        env=server_env(ASSISTANT_AUTH="alice:secret"),
        embedding_cache=seed_embedding_cache(tmp_path_factory),
    )
    yield running
    running.stop()


def test_login_is_required_when_auth_is_set(auth_server: Server) -> None:
    with pytest.raises(AuthenticationError, match="credentials were not provided"):
        Client(auth_server.url, verbose=False, download_files=False)


def test_wrong_password_is_refused(auth_server: Server) -> None:
    with pytest.raises(ValueError, match="(?i)could not login"):
        Client(auth_server.url, auth=("alice", "wrong"), verbose=False, download_files=False)


def test_login_with_the_right_password_gets_answers(auth_server: Server) -> None:
    client = Client(auth_server.url, auth=("alice", "secret"), verbose=False, download_files=False)
    answer = ask(client, QUESTION)
    assert answer["answerable"] is True
    assert "Li Shangfu" in answer["citations"][0]["quote"]
    assert_quotes_verbatim(answer, auth_server.docs_dir)


def test_raw_api_call_without_login_is_refused(auth_server: Server) -> None:
    request = urllib.request.Request(
        auth_server.url + "gradio_api/call/ask",
        data=json.dumps({"data": [QUESTION, []]}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=30)
    assert caught.value.code in (401, 403)


# --- With the passage vectors on a Chroma server --------------------------------------------------------------------


def test_the_chat_answers_from_vectors_on_a_chroma_server(tmp_path_factory: pytest.TempPathFactory) -> None:
    root = tmp_path_factory.mktemp("web-chroma")
    chroma = ChromaServer(root / "chroma-data")
    try:
        running = start_server(
            root / "chat",
            env=server_env(ASSISTANT_CHROMA_URL=chroma.url),
            embedding_cache=seed_embedding_cache(tmp_path_factory),
        )
        try:
            answer = ask(Client(running.url, verbose=False, download_files=False), QUESTION)
        finally:
            running.stop()
        [(collection, count)] = chroma.collections().items()
    finally:
        chroma.stop()

    assert answer["answerable"] is True and "Li Shangfu" in answer["citations"][0]["quote"]
    assert_quotes_verbatim(answer, running.docs_dir)
    assert count > 0 and collection.endswith(running.index_dir.joinpath("CURRENT").read_text().strip())
