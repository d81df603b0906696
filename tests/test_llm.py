"""The language model clients over HTTP: what they send, what they read back, and a one-line LLMError for every way
a server can fail. A stub server here plays each API's documented shape; tests/test_llm_server.py talks to a real one.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from pydantic import ValidationError

from assistant import Settings
from assistant.errors import LLMError
from assistant.llm import LangChainChat, OllamaChat, OpenAICompatibleChat, chat_model_for

ASKED = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hello?"}]


class Stub:
    """An HTTP server answering every POST with (status, body), keeping what it was sent."""

    def __init__(self) -> None:
        self.status, self.body, self.delay = 200, "{}", 0.0
        self.requests: list[tuple[str, dict[str, str], Any]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                sent = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                stub.requests.append((self.path, dict(self.headers), sent))
                threading.Event().wait(stub.delay)
                self.send_response(stub.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(stub.body.encode())

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.handle_error = lambda *args: None  # type: ignore[method-assign] # a client that gave up waiting
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def replies(self, body: Any, status: int = 200) -> None:
        self.status, self.body = status, body if isinstance(body, str) else json.dumps(body)


@pytest.fixture
def stub() -> Iterator[Stub]:
    server = Stub()
    yield server
    server.server.shutdown()


def test_an_openai_compatible_server_is_sent_the_conversation_and_its_reply_is_read(stub: Stub) -> None:
    stub.replies({"choices": [{"message": {"role": "assistant", "content": "Hi [1]."}}]})

    reply = OpenAICompatibleChat(f"{stub.url}/v1", "tiny", api_key="sk-test", max_tokens=50).reply(ASKED)

    path, headers, sent = stub.requests[0]
    assert reply == "Hi [1]."
    assert path == "/v1/chat/completions" and headers["Authorization"] == "Bearer sk-test"
    assert sent == {
        "model": "tiny",
        "messages": ASKED,
        "temperature": 0,
        "seed": 0,
        "max_tokens": 50,
        "stream": False,
    }


def test_an_ollama_server_is_sent_the_conversation_in_its_own_api(stub: Stub) -> None:
    stub.replies({"model": "llama3.2", "message": {"role": "assistant", "content": "Hi."}, "done": True})

    reply = OllamaChat(stub.url, "llama3.2", max_tokens=64).reply(ASKED)

    path, headers, sent = stub.requests[0]
    assert reply == "Hi." and path == "/api/chat" and "Authorization" not in headers
    assert sent == {
        "model": "llama3.2",
        "messages": ASKED,
        "stream": False,
        "options": {"temperature": 0, "seed": 0, "num_predict": 64},
    }


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (404, {"error": "model 'llama9' not found"}, 'refused the request: HTTP 404 {"error": "model \'llama9\''),
        (200, "<html>a proxy page</html>", "replied with something that is not JSON"),
        (200, {"message": {"content": "Hi."}}, "no choices: is the URL an OpenAI-compatible API?"),
        (200, {"choices": [{"message": {"content": 42}}]}, "no text at choices/0/message/content"),
    ],
)
def test_a_server_that_refuses_or_replies_in_another_shape_is_one_line(
    stub: Stub, status: int, body: Any, message: str
) -> None:
    stub.replies(body, status)

    with pytest.raises(LLMError, match=message.replace("?", r"\?").replace("{", r"\{")) as raised:
        OpenAICompatibleChat(f"{stub.url}/v1", "llama9").reply(ASKED)
    assert "\n" not in str(raised.value)


def test_an_empty_reply_is_empty_text(stub: Stub) -> None:
    stub.replies({"choices": [{"message": {"content": None}}]})

    assert OpenAICompatibleChat(f"{stub.url}/v1", "tiny").reply(ASKED) == ""


def test_a_server_that_is_down_or_slow_is_one_line(stub: Stub) -> None:
    stub.delay = 2.0
    with pytest.raises(LLMError, match=r"did not answer within 0.5 s"):
        OllamaChat(stub.url, "llama3.2", timeout_s=0.5).reply(ASKED)
    stub.server.shutdown()
    stub.server.server_close()

    with pytest.raises(LLMError, match=r"^the language model at .*/api/chat cannot be reached \(ConnectError"):
        OllamaChat(stub.url, "llama3.2").reply(ASKED)


def test_any_langchain_chat_model_can_be_the_model() -> None:
    model = FakeListChatModel(responses=["Hi [1]."])

    assert LangChainChat(model).reply(ASKED) == "Hi [1]."


def test_the_settings_choose_the_api_and_check_what_it_needs() -> None:
    openai = chat_model_for(Settings(llm_url="http://h:8080/v1/", llm_model="m", llm_api_key="k"))
    ollama = chat_model_for(Settings(llm_url="http://h:11434", llm_model="m", llm_api="ollama", llm_max_tokens=99))

    assert openai == OpenAICompatibleChat("http://h:8080/v1", "m", "k", 60.0, 300)
    assert ollama == OllamaChat("http://h:11434", "m", 60.0, 99)
    with pytest.raises(ValidationError, match="ASSISTANT_LLM_MODEL is not"):
        Settings(llm_url="http://h:8080/v1")
    with pytest.raises(ValidationError, match="is no server address"):
        Settings(llm_url="localhost:8080", llm_model="m")
    with pytest.raises(ValidationError, match="Ollama takes none"):
        Settings(llm_url="http://h:11434", llm_model="m", llm_api="ollama", llm_api_key="k")
