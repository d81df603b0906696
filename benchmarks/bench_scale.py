"""Part 3: incremental re-sync at scale: full build of a synthetic corpus, then one edited file."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path
from typing import Any

from bench_common import SEEDS, chroma_server, load_embedder, peak_rss_mb, timed

from assistant import Assistant, Settings
from assistant.loading import read_text

SIZE_RANGE = (700, 1200)  # characters at which a document stops taking paragraphs: ~1.3 KB on average


def seed_paragraphs() -> list[str]:
    """Every non-empty line of the seeds (the seeds put one paragraph per line)."""
    lines = [line.strip() for path in sorted(SEEDS.glob("*.txt")) for line in read_text(path).splitlines()]
    return [line for line in lines if line]


def synthetic_document(number: int, paragraphs: list[str], rng: random.Random) -> str:
    """A unique headline and reference line, then paragraphs sampled from the seeds: ~1-2 KB."""
    parts = [
        f"Briefing {number:05d}",
        f"Reference {number:05d}: this briefing was filed under record {rng.getrandbits(32):08x}.",
    ]
    target = rng.randint(*SIZE_RANGE)
    while sum(map(len, parts)) < target:
        parts.append(rng.choice(paragraphs))
    return "\n\n".join(parts) + "\n"


def write_corpus(folder: Path, count: int, seed: int = 20240601) -> int:
    """Write `count` documents deterministically; returns the corpus size in bytes."""
    folder.mkdir(parents=True)
    rng = random.Random(seed)
    paragraphs = seed_paragraphs()
    size = 0
    for number in range(count):
        path = folder / f"doc_{number:05d}.txt"
        size += path.write_text(synthetic_document(number, paragraphs, rng), encoding="utf-8")
    return size


def edit_one(folder: Path, count: int) -> str:
    """Append a new sentence to the document in the middle of the corpus; returns its name."""
    path = folder / f"doc_{count // 2:05d}.txt"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\nAddendum: the committee revised this briefing after a late review of the figures.\n")
    return path.name


def run(count: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-scale-", ignore_cleanup_errors=True) as tmp:
        docs = Path(tmp) / "docs"
        corpus_bytes = write_corpus(docs, count)
        embedder, load_s = timed(load_embedder)
        assistant = Assistant(Settings(docs_dir=docs, index_dir=Path(tmp) / "index"), embedder=embedder)
        full, full_s = timed(assistant.index)
        edited = edit_one(docs, count)
        resync, resync_s = timed(assistant.index)
        assistant.close()
        with chroma_server(Path(tmp) / "chroma-server") as url:
            on_server = Assistant(
                Settings(docs_dir=docs, index_dir=Path(tmp) / "index", chroma_url=url), embedder=embedder
            )
            moved, moved_s = timed(on_server.index)
            edit_one(docs, count)
            server_resync, server_resync_s = timed(on_server.index)
            on_server.close()
    return {
        "documents": full.documents,
        "corpus_mb": round(corpus_bytes / 1e6, 2),
        "chunks": full.chunks,
        "model_load_s": round(load_s, 2),
        "full_s": round(full_s, 2),
        "full_sync_s": round(full.seconds, 2),
        "full_embedded": full.texts_embedded,
        "edited": edited,
        "resync_updated": resync.updated,
        "resync_s": round(resync_s, 3),
        "resync_sync_s": round(resync.seconds, 3),
        "resync_embedded": resync.texts_embedded,
        "ratio": round(resync_s / full_s, 4),
        "moved_s": round(moved_s, 2),
        "moved_sync_s": round(moved.seconds, 2),
        "moved_embedded": moved.texts_embedded,
        "server_resync_s": round(server_resync_s, 3),
        "server_resync_sync_s": round(server_resync.seconds, 3),
        "server_resync_embedded": server_resync.texts_embedded,
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
