"""Talking to a language model server: an OpenAI-compatible one (llama.cpp's server, vLLM, LM Studio, OpenAI) or
Ollama. Plain HTTP, no client library; any LangChain chat model fits too (`LangChainChat`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from .errors import LLMError
from .settings import Settings

ChatMessage = dict[str, str]  # {"role": "system" | "user" | "assistant", "content": ...}


class ChatModel(Protocol):
    """What the LLM answerer needs of a model: the reply to a conversation, as text."""

    def reply(self, messages: list[ChatMessage]) -> str: ...


def _post(url: str, body: dict[str, Any], headers: dict[str, str], timeout_s: float) -> Any:
    try:
        response = httpx.post(url, json=body, headers=headers, timeout=timeout_s)
    except httpx.TimeoutException:
        raise LLMError(f"the language model at {url} did not answer within {timeout_s:g} s") from None
    except httpx.HTTPError as err:
        raise LLMError(f"the language model at {url} cannot be reached ({type(err).__name__}: {err})") from None
    if response.status_code >= 400:
        said = " ".join(response.text.split())[:200]
        raise LLMError(f"the language model at {url} refused the request: HTTP {response.status_code} {said}")
    try:
        return response.json()
    except ValueError:
        raise LLMError(f"the language model at {url} replied with something that is not JSON") from None


def _field(data: Any, *path: str | int) -> str:
    """data[path[0]][path[1]]..., a string, or an LLMError saying the reply has another shape."""
    try:
        for part in path:
            data = data[part]
    except (KeyError, IndexError, TypeError):
        data = None
    if data is None:
        return ""  # a model may reply with no content at all
    if not isinstance(data, str):
        raise LLMError(f"the language model's reply has no text at {'/'.join(map(str, path))}")
    return data


@dataclass(frozen=True)
class OpenAICompatibleChat:
    """POST {url}/chat/completions, as OpenAI's API and the servers copying it take it (url ends in /v1 for most)."""

    url: str
    model: str
    api_key: str | None = None
    timeout_s: float = 60.0
    max_tokens: int = 300

    def reply(self, messages: list[ChatMessage]) -> str:
        body = {
            "model": self.model,
            "messages": messages,
            "temperature": 0,
            "seed": 0,
            "max_tokens": self.max_tokens,
            "stream": False,
        }
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        data = _post(f"{self.url}/chat/completions", body, headers, self.timeout_s)
        if not isinstance(data, dict) or "choices" not in data:
            raise LLMError("the language model's reply has no choices: is the URL an OpenAI-compatible API?")
        return _field(data, "choices", 0, "message", "content")


@dataclass(frozen=True)
class OllamaChat:
    """POST {url}/api/chat, Ollama's own API (url: http://127.0.0.1:11434 by default for Ollama)."""

    url: str
    model: str
    timeout_s: float = 60.0
    max_tokens: int = 300

    def reply(self, messages: list[ChatMessage]) -> str:
        body = {
            "model": self.model,
            "messages": messages,
            "stream": False,
            "options": {"temperature": 0, "seed": 0, "num_predict": self.max_tokens},
        }
        data = _post(f"{self.url}/api/chat", body, {}, self.timeout_s)
        if not isinstance(data, dict) or "message" not in data:
            raise LLMError("the language model's reply has no message: is the URL an Ollama server?")
        return _field(data, "message", "content")


@dataclass(frozen=True)
class LangChainChat:
    """Any LangChain chat model (langchain_core BaseChatModel) as the model the LLM answerer asks."""

    model: Any

    def reply(self, messages: list[ChatMessage]) -> str:
        try:
            reply = self.model.invoke([(m["role"], m["content"]) for m in messages])
        except Exception as err:  # noqa: BLE001 - whatever the provider raises, the answerer falls back to quotes
            raise LLMError(f"the language model failed: {type(err).__name__}: {err}") from err
        content = getattr(reply, "content", reply)
        return content if isinstance(content, str) else str(content)


def chat_model_for(settings: Settings) -> ChatModel:
    """The server settings.llm_url names, spoken to in its API (settings.llm_url must be set)."""
    assert settings.llm_url and settings.llm_model, "settings without an LLM have no chat model"
    if settings.llm_api == "ollama":
        return OllamaChat(settings.llm_url, settings.llm_model, settings.llm_timeout_s, settings.llm_max_tokens)
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    return OpenAICompatibleChat(
        settings.llm_url, settings.llm_model, key, settings.llm_timeout_s, settings.llm_max_tokens
    )
