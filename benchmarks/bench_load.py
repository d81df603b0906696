"""Part 4 (only with --load): concurrent gradio_client users against the web app's `/ask` endpoint."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench_common import QUESTION_SETS, REPO, SEEDS, timed

from assistant.evaluation import load_question_set, percentile

READY_TIMEOUT_S = 300.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"`assistant serve` exited with {server.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"`assistant serve` did not answer on {url} within {READY_TIMEOUT_S:.0f}s")


@contextmanager
def served(port: int) -> Iterator[str]:
    """`assistant serve` on the seeds with a fresh temp index; yields its URL once it answers; stops it after."""
    assistant = Path(sys.executable).parent / "assistant"
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        command = [str(assistant), "--docs-dir", str(SEEDS), "--index-dir", tmp, "serve", "--port", str(port)]
        env = os.environ | {"GRADIO_ANALYTICS_ENABLED": "False"}
        server = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}/"
            wait_until_up(url, server)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def user(client: Any, items: list[dict[str, Any]], start: threading.Barrier, out: list[dict[str, Any]]) -> None:
    """One user: waits for the others, then asks its questions one after another."""
    start.wait()
    for item in items:
        began = time.perf_counter()
        try:
            answer = client.predict(item["question"], item.get("history") or [], api_name="/ask")
            ok = isinstance(answer, dict) and answer.get("question") == item["question"] and "answer" in answer
            error = "" if ok else f"unexpected reply: {str(answer)[:200]}"
        except Exception as err:  # every failure is counted; none stops the other users
            error = f"{type(err).__name__}: {err}"
        out.append({"ms": (time.perf_counter() - began) * 1000, "error": error})


def join_all(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.join()


def load_test(users: int = 20) -> dict[str, Any]:
    """`users` concurrent gradio_client users, all questions of eval/*.jsonl shared among them round-robin."""
    from gradio_client import Client

    items = [item for path in QUESTION_SETS for item in load_question_set(path)]
    port = free_port()
    began = time.perf_counter()
    with served(port) as url:
        ready_s = time.perf_counter() - began
        clients = [Client(url, verbose=False, analytics_enabled=False) for _ in range(users)]
        start = threading.Barrier(users + 1)
        out: list[dict[str, Any]] = []
        threads = [
            threading.Thread(target=user, args=(client, items[n::users], start, out))
            for n, client in enumerate(clients)
        ]
        for thread in threads:
            thread.start()
        start.wait()
        _, wall_s = timed(join_all, threads)
    latencies = [r["ms"] for r in out]
    errors = [r["error"] for r in out if r["error"]]
    return {
        "users": users,
        "questions": len(items),
        "answered": len(out) - len(errors),
        "errors": len(errors),
        "first_errors": errors[:3],
        "server_ready_s": round(ready_s, 1),
        "wall_s": round(wall_s, 2),
        "throughput_qps": round(len(out) / wall_s, 2),
        "latency_p50_ms": round(percentile(latencies, 0.5), 1),
        "latency_p95_ms": round(percentile(latencies, 0.95), 1),
    }
