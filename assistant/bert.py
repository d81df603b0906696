"""A BERT encoder's forward pass in NumPy: the question side of a mean-pooling sentence-transformers model.

Importing torch and transformers takes ~5 s on 2 cores, most of a cold `assistant ask`; a question is a few
dozen tokens, which NumPy encodes in milliseconds. tests/test_embeddings.py checks the vectors against
sentence-transformers to 1e-5 on the real model.
"""

from __future__ import annotations

import json
import math
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from tokenizers import Encoding

Weights = dict[str, np.ndarray]
PACKED_TOKENS = 512  # per forward pass: a question and its words go in one, a long list of texts in several


def erf(x: np.ndarray) -> np.ndarray:
    """Abramowitz & Stegun 7.1.26: absolute error under 1.5e-7, float32 rounding aside (NumPy has no erf)."""
    sign = np.sign(x)
    x = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-x * x))


def gelu(x: np.ndarray) -> np.ndarray:
    return (0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))).astype(np.float32)


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + eps) * weight + bias


def dense(x: np.ndarray, weights: Weights, name: str) -> np.ndarray:
    """A linear layer; its weight is stored transposed (see NumpyBert) and the batch flattened, for one GEMM."""
    flat = x.reshape(-1, x.shape[-1]) @ weights[f"{name}.weight_t"] + weights[f"{name}.bias"]
    return flat.reshape(*x.shape[:-1], flat.shape[-1])


class NumpyBert:
    """BertModel's last hidden state for token ids: embeddings, then self-attention and feed-forward layers."""

    def __init__(self, model_path: Path) -> None:
        from safetensors.numpy import load_file

        config = json.loads((model_path / "config.json").read_text(encoding="utf-8"))
        if config.get("model_type") != "bert" or config.get("hidden_act") != "gelu":
            raise ValueError("not a BERT model with GELU activations")
        weights = {
            name.removeprefix("bert."): value
            for name, value in load_file(str(model_path / "model.safetensors")).items()
        }
        for name in [name for name, value in weights.items() if value.ndim == 2 and name.startswith("encoder.")]:
            weights[f"{name}_t"] = np.ascontiguousarray(weights.pop(name).T)
        self.weights = weights
        self.layers = int(config["num_hidden_layers"])
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config["layer_norm_eps"])
        self.hidden = int(config["hidden_size"])

    def __call__(self, sequences: list[list[int]]) -> list[np.ndarray]:
        """Token ids of several texts -> each text's last hidden state, (tokens, hidden) float32.

        The texts go through as one packed sequence: every layer's weights are read once for all of them (for a
        question of a few dozen tokens, reading them costs more than multiplying by them), and each token
        attends only to the tokens of its own text, so no text is padded to the longest.
        """
        w = self.weights
        lengths = [len(ids) for ids in sequences]
        ids = np.concatenate([np.asarray(ids, dtype=np.int64) for ids in sequences])
        positions = np.concatenate([np.arange(length) for length in lengths])
        text_of_token = np.repeat(np.arange(len(sequences)), lengths)
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][positions]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps)
        tokens, hidden = x.shape
        size = hidden // self.heads
        # Another text's tokens get the lowest float32, as padding does in transformers: their weight is exactly 0.
        blocked = np.where(text_of_token[:, None] == text_of_token[None, :], 0.0, np.finfo(np.float32).min)
        blocked = blocked.astype(np.float32)

        def heads(projection: np.ndarray) -> np.ndarray:
            return projection.reshape(tokens, self.heads, size).transpose(1, 0, 2)

        for index in range(self.layers):
            prefix = f"encoder.layer.{index}"
            query = heads(dense(x, w, f"{prefix}.attention.self.query"))
            key = heads(dense(x, w, f"{prefix}.attention.self.key"))
            value = heads(dense(x, w, f"{prefix}.attention.self.value"))
            scores = query @ key.transpose(0, 2, 1) / math.sqrt(size) + blocked
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            attention = scores / scores.sum(axis=-1, keepdims=True)
            context = (attention @ value).transpose(1, 0, 2).reshape(tokens, hidden)
            x = layer_norm(
                dense(context, w, f"{prefix}.attention.output.dense") + x,
                w[f"{prefix}.attention.output.LayerNorm.weight"],
                w[f"{prefix}.attention.output.LayerNorm.bias"],
                self.eps,
            )
            inner = gelu(dense(x, w, f"{prefix}.intermediate.dense"))
            x = layer_norm(
                dense(inner, w, f"{prefix}.output.dense") + x,
                w[f"{prefix}.output.LayerNorm.weight"],
                w[f"{prefix}.output.LayerNorm.bias"],
                self.eps,
            )
        return np.split(x.astype(np.float32), np.cumsum(lengths)[:-1])


class NumpyMeanPoolingEmbedder:
    """The vectors SentenceTransformer gives for a BERT -> mean Pooling -> Normalize model, without torch."""

    def __init__(self, model_path: Path, max_length: int) -> None:
        from tokenizers import Tokenizer

        self._model = NumpyBert(model_path)
        self._tokenizer = Tokenizer.from_file(str(model_path / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length)
        self._tokenizer.no_padding()
        # A fast tokenizer used from two threads at once can fail with "Already borrowed"
        # (SEE: https://github.com/huggingface/tokenizers/issues/537); the web chat answers from several threads.
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> np.ndarray:
        """Texts packed into groups of at most PACKED_TOKENS tokens (attention costs the square of a group's)."""
        if not texts:
            return np.zeros((0, self._model.hidden), dtype=np.float32)
        with self._lock:
            encodings = self._tokenizer.encode_batch(texts)
        pooled = []
        for group in packed(encodings):
            pooled += [tokens.mean(axis=0) for tokens in self._model([encoding.ids for encoding in group])]
        vectors = np.stack(pooled)
        return (vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)).astype(np.float32)


def packed(encodings: list[Encoding]) -> list[list[Encoding]]:
    """The texts in order, in groups of at most PACKED_TOKENS tokens; a longer text alone."""
    groups: list[list[Encoding]] = [[]]
    total = 0
    for encoding in encodings:
        if groups[-1] and total + len(encoding.ids) > PACKED_TOKENS:
            groups.append([])
            total = 0
        groups[-1].append(encoding)
        total += len(encoding.ids)
    return groups
