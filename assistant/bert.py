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

import numpy as np

Weights = dict[str, np.ndarray]


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

    def __call__(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """ids, mask: (batch, tokens) integers; returns (batch, tokens, hidden) float32."""
        w = self.weights
        batch, length = ids.shape
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][np.arange(length)]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps)
        hidden = x.shape[-1]
        size = hidden // self.heads
        # Padding gets the lowest float32, as transformers does: its attention weight is exactly 0.
        blocked = np.where(mask[:, None, None, :] > 0, 0.0, np.finfo(np.float32).min).astype(np.float32)
        for index in range(self.layers):
            prefix = f"encoder.layer.{index}"

            def heads(projection: np.ndarray) -> np.ndarray:
                return projection.reshape(batch, length, self.heads, size).transpose(0, 2, 1, 3)

            query = heads(dense(x, w, f"{prefix}.attention.self.query"))
            key = heads(dense(x, w, f"{prefix}.attention.self.key"))
            value = heads(dense(x, w, f"{prefix}.attention.self.value"))
            scores = query @ key.transpose(0, 1, 3, 2) / math.sqrt(size) + blocked
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            attention = scores / scores.sum(axis=-1, keepdims=True)
            context = (attention @ value).transpose(0, 2, 1, 3).reshape(batch, length, hidden)
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
        return x.astype(np.float32)


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
        if not texts:
            return np.zeros((0, self._model.hidden), dtype=np.float32)
        with self._lock:
            encodings = self._tokenizer.encode_batch(texts)
        length = max(len(encoding.ids) for encoding in encodings)
        ids = np.zeros((len(texts), length), dtype=np.int64)
        mask = np.zeros((len(texts), length), dtype=np.float32)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1.0
        tokens = self._model(ids, mask)
        pooled = (tokens * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        return (pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)).astype(np.float32)
