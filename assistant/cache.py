"""An embedding cache keyed by content hash, so unchanged text is never embedded twice."""

from __future__ import annotations

import hashlib
import sqlite3
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .embeddings import Embedder


def text_key(model_name: str, text: str) -> str:
    return hashlib.sha256(f"{model_name}\x00{text}".encode()).hexdigest()


class EmbeddingCache:
    """SQLite file of vectors; every write is a committed transaction, so a crash loses nothing stored."""

    def __init__(self, path: Path, model_name: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.model_name = model_name
        self._db = sqlite3.connect(path, timeout=60, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
        self._db.commit()

    def close(self) -> None:
        self._db.close()

    def _lookup(self, keys: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for i in range(0, len(keys), 500):
            batch = keys[i : i + 500]
            marks = ",".join("?" * len(batch))
            for key, blob in self._db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", batch):
                found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def embed(
        self,
        texts: list[str],
        embedder: Embedder,
        batch_size: int = 64,
        on_progress: Callable[[int], None] | None = None,
    ) -> tuple[np.ndarray, int]:
        """Vectors for all texts, embedding only those not cached; returns (vectors, texts embedded)."""
        keys = [text_key(self.model_name, text) for text in texts]
        found = self._lookup(list(set(keys)))
        uses = Counter(keys)  # the same sentence can sit in two overlapping chunks: embed it once
        missing = [key for key in uses if key not in found]
        text_of = dict(zip(keys, texts, strict=True))
        # Texts of a length together: a batch is padded to its longest text, so mixed lengths waste most of the work.
        missing.sort(key=lambda key: len(text_of[key]))
        # Progress counts texts ready, cached ones included, so a stage always ends at len(texts).
        if on_progress and len(missing) < len(uses):
            on_progress(len(keys) - sum(uses[key] for key in missing))
        for i in range(0, len(missing), batch_size):
            batch = missing[i : i + batch_size]
            vectors = embedder.embed([text_of[key] for key in batch])
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                    [(key, vector.astype(np.float32).tobytes()) for key, vector in zip(batch, vectors, strict=True)],
                )
            found.update(zip(batch, vectors, strict=True))
            if on_progress:
                on_progress(sum(uses[key] for key in batch))
        if not texts:
            return np.zeros((0, 384), dtype=np.float32), 0
        return np.stack([found[key] for key in keys]).astype(np.float32), len(missing)
