"""Benchmark of the assistant: `.venv/bin/python benchmarks/bench.py [--quick] [--json] [--load]`.

1. Ours (vectors in the index folder, and on a Chroma server) vs the naive LangChain recipe (same seeds,
   questions and model): build time, warm latency, recall@1/@5, MRR@10, peak RSS; each pipeline in its own
   worker process.
2. Cold start of `assistant ask` in a new process against an already built index.
3. Incremental re-sync of a synthetic corpus of 1,000+ documents after one file is edited.
4. (--load only) load test: 20 concurrent gradio_client users on the web app's `/ask` endpoint.

The heavy parts run in worker processes (`bench.py --worker ours|naive|scale|load`) that print one JSON
line; this process only imports the standard library, so it never holds the model.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_common import REPO, SEEDS, timed

RESULT_MARKER = "BENCH-RESULT "
ASSISTANT = Path(sys.executable).parent / "assistant"
COLD_QUESTION = "Who met Xi Jinping?"
RESYNC_GOAL = 1 / 20
LOAD_USERS = 20
WORKER_ENV = {"HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false", "ANONYMIZED_TELEMETRY": "False"}


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def run_command(command: list[str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, cwd=REPO, env=os.environ | WORKER_ENV, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited with {done.returncode}:\n{done.stderr[-3000:]}")
    return done


# --- workers: one process per measurement, result as one marked JSON line on stdout ---
def run_worker(name: str, docs: int) -> dict[str, Any]:
    if name == "scale":
        import bench_scale

        return bench_scale.run(docs)
    if name == "load":  # part 4, only with --load: bench_load.load_test, 20 gradio_client users on /ask
        import bench_load

        return bench_load.load_test(LOAD_USERS)
    import bench_quality

    return bench_quality.run(name)


def spawn_worker(name: str, docs: int = 0) -> dict[str, Any]:
    log(f"worker {name} ...")
    done, seconds = timed(run_command, [sys.executable, __file__, "--worker", name, "--docs", str(docs)])
    log(f"worker {name} done in {seconds:.0f}s")
    line = next(line for line in reversed(done.stdout.splitlines()) if line.startswith(RESULT_MARKER))
    return json.loads(line.removeprefix(RESULT_MARKER))


# --- part 2: cold start ---
def cold_start(runs: int) -> dict[str, Any]:
    """`assistant ask` in a new process, against an index built beforehand (also by the CLI) in a temp dir."""
    log(f"cold start: building an index, then {runs} x assistant ask ...")
    with tempfile.TemporaryDirectory(prefix="bench-cold-") as tmp:
        base = [str(ASSISTANT), "--docs-dir", str(SEEDS), "--index-dir", tmp]
        _, index_s = timed(run_command, [*base, "index"])
        asks = [timed(run_command, [*base, "ask", COLD_QUESTION]) for _ in range(runs)]
    return {
        "question": COLD_QUESTION,
        "cli_index_s": round(index_s, 2),
        "runs_s": [round(seconds, 2) for _, seconds in asks],
        "median_s": round(statistics.median(seconds for _, seconds in asks), 2),
        "answer_first_line": asks[0][0].stdout.strip().splitlines()[0],
    }


# --- tables ---
def table(header: list[str], rows: list[list[str]]) -> str:
    cells = [header, *rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]

    def line(row: list[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))

    return "\n".join([line(header), "  ".join("-" * w for w in widths), *map(line, rows)])


QUALITY_ROWS: list[tuple[str, str, str]] = [
    ("model load (s, not in build)", "model_load_s", "{:.1f}"),
    ("index build from nothing (s)", "build_s", "{:.2f}"),
    ("chunks", "chunks", "{}"),
    ("index on disk (MB)", "index_mb", "{:.2f}"),
    ("warm latency p50 (ms)", "latency_p50_ms", "{:.1f}"),
    ("warm latency p95 (ms)", "latency_p95_ms", "{:.1f}"),
    ("recall@1", "recall@1", "{:.3f}"),
    ("recall@5", "recall@5", "{:.3f}"),
    ("MRR@10", "mrr@10", "{:.3f}"),
    ("recall@5 on follow-ups only", "followup_recall@5", "{:.3f}"),
    ("peak RSS (MB)", "peak_rss_mb", "{:.0f}"),
]


def quality_section(quality: dict[str, dict[str, Any]]) -> str:
    ours, server, naive = quality["ours"], quality["server"], quality["naive"]
    rows = [
        [label, form.format(ours[key]), form.format(server[key]), form.format(naive[key])]
        for label, key, form in QUALITY_ROWS
    ]
    return "\n".join(
        [
            f"1. Ours vs naive LangChain recipe: {len(list(SEEDS.glob('*.txt')))} seed files, "
            f"{ours['questions']} answerable questions ({ours['follow_ups']} follow-ups), all-MiniLM-L6-v2",
            table(["", "ours", "ours, Chroma server", "naive"], rows),
            "   ours = Assistant.ask (follow-up rewrite + hybrid retrieval + quote answer), top_k=10;",
            "   ours, Chroma server = the same with its passage vectors on `chroma run` over loopback HTTP;",
            "   naive = RecursiveCharacterTextSplitter(1000, 200) + Chroma.similarity_search(k=10), raw question.",
            f"   gold quotes not found in the seeds: {ours['gold_not_found']} (counted as misses).",
        ]
    )


def cold_section(cold: dict[str, Any]) -> str:
    count = len(cold["runs_s"])
    runs = f"{count} run{'s' if count > 1 else ''}: " + ", ".join(f"{s:.2f}" for s in cold["runs_s"])
    return "\n".join(
        [
            f'2. Cold start: new process running `assistant ask "{cold["question"]}"` on a built index',
            table(
                ["", "seconds"],
                [
                    [f"median of {runs}", f"{cold['median_s']:.2f}"],
                    ["(for reference) `assistant index` from nothing", f"{cold['cli_index_s']:.2f}"],
                ],
            ),
            f"   first line of the answer: {cold['answer_first_line'][:100]}",
        ]
    )


def resync_row(label: str, scale: dict[str, Any], prefix: str) -> list[str]:
    return [label, f"{scale[prefix + '_s']:.2f}", f"{scale[prefix + '_sync_s']:.2f}", str(scale[prefix + "_embedded"])]


def resync_section(scale: dict[str, Any]) -> str:
    verdict = "meets" if scale["ratio"] <= RESYNC_GOAL else "MISSES"
    return "\n".join(
        [
            f"3. Incremental re-sync: {scale['documents']} synthetic documents ({scale['corpus_mb']:.2f} MB, "
            f"{scale['chunks']} chunks), then one appended sentence in {scale['edited']}",
            table(
                ["", "Assistant.index() s", "of which sync s", "texts embedded"],
                [
                    resync_row("full build", scale, "full"),
                    resync_row("re-sync after 1 edit", scale, "resync"),
                    resync_row("move the vectors to a Chroma server", scale, "moved"),
                    resync_row("re-sync after 1 edit, on the server", scale, "server_resync"),
                ],
            ),
            f"   ratio re-sync / full = {scale['ratio']:.4f} (1/{1 / scale['ratio']:.0f}); "
            f"goal <= 1/20: {verdict}. Model load ({scale['model_load_s']:.1f}s) excluded from both; "
            f"peak RSS {scale['peak_rss_mb']:.0f} MB.",
            f"   re-sync saw as updated: {', '.join(scale['resync_updated']) or 'nothing'}.",
        ]
    )


def load_section(load: dict[str, Any]) -> str:
    rows = [
        ["server start incl. index build (s)", f"{load['server_ready_s']:.1f}"],
        ["questions answered / asked", f"{load['answered']} / {load['questions']}"],
        ["errors", str(load["errors"])],
        ["latency p50 (ms)", f"{load['latency_p50_ms']:.0f}"],
        ["latency p95 (ms)", f"{load['latency_p95_ms']:.0f}"],
        ["throughput (questions/s)", f"{load['throughput_qps']:.2f}"],
    ]
    lines = [
        f"4. Load test: {load['users']} concurrent gradio_client users on `/ask` of `assistant serve`, "
        "all questions of eval/*.jsonl",
        table(["", "value"], rows),
    ]
    return "\n".join(lines + [f"   error: {error}" for error in load["first_errors"]])


def report(results: dict[str, Any]) -> str:
    machine = results["machine"]
    sections = [
        f"Assistant benchmark ({results['mode']} run): {machine['cpus']} CPUs, load average "
        f"{machine['load_before']:.2f} before / {machine['load_after']:.2f} after, {results['seconds']:.0f}s total",
        quality_section(results["quality"]),
        cold_section(results["cold_start"]),
        resync_section(results["resync"]),
    ]
    if "load_test" in results:
        sections.append(load_section(results["load_test"]))
    return "\n\n".join(sections)


# --- main ---
def benchmark(quick: bool, with_load: bool) -> dict[str, Any]:
    began, load_before = time.perf_counter(), os.getloadavg()[0]
    parts: dict[str, Callable[[], Any]] = {
        "quality": lambda: {name: spawn_worker(name) for name in ("ours", "server", "naive")},
        "cold_start": lambda: cold_start(runs=1 if quick else 3),
        "resync": lambda: spawn_worker("scale", docs=200 if quick else 1000),
    }
    if with_load:
        parts["load_test"] = lambda: spawn_worker("load")
    results: dict[str, Any] = {"mode": "quick" if quick else "full"}
    results |= {name: part() for name, part in parts.items()}
    results["machine"] = {"cpus": os.cpu_count(), "load_before": load_before, "load_after": os.getloadavg()[0]}
    results["seconds"] = round(time.perf_counter() - began, 1)
    return results


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller corpus (200 docs) and one cold-start run")
    parser.add_argument("--json", action="store_true", help="print the results as JSON instead of tables")
    parser.add_argument("--load", action="store_true", help="also run the web-app load test")
    parser.add_argument("--worker", choices=["ours", "server", "naive", "scale", "load"], help=argparse.SUPPRESS)
    parser.add_argument("--docs", type=int, default=1000, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.worker:
        print(RESULT_MARKER + json.dumps(run_worker(args.worker, args.docs)), flush=True)
        return
    results = benchmark(args.quick, args.load)
    print(json.dumps(results, indent=2) if args.json else report(results))


if __name__ == "__main__":
    main()
