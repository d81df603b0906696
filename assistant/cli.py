"""The `assistant` command: parses flags, calls the Python API, formats the result. No logic lives here."""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError

from .errors import AssistantError, QuestionError
from .settings import Settings
from .wording import PlaceOf, where_in_file


def build_settings(ctx: click.Context, **overrides: Any) -> Settings:
    values = {**ctx.obj, **{k: v for k, v in overrides.items() if v is not None}}
    try:
        return Settings(**values)
    except ValidationError as err:  # a bad ASSISTANT_* value or flag
        first = err.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        raise AssistantError(f"invalid setting {where}: {message}" if where else message) from None


def make_assistant(settings: Settings) -> Any:
    from .pipeline import Assistant  # imported late: `assistant --help` stays instant

    return Assistant(settings)


@contextmanager
def progress_bars() -> Iterator[Callable[[str, int, int], None]]:
    """tqdm bars on stderr, one per stage, so long index runs show how far they are."""
    from tqdm import tqdm

    bars: dict[str, Any] = {}

    def update(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(total=total, desc=stage, unit="text", file=sys.stderr, leave=False)
        bar.n = done
        bar.refresh()

    try:
        yield update
    finally:
        for bar in bars.values():
            bar.close()


def print_answer(answer: Any, place_of: PlaceOf, titles: dict[str, str]) -> None:
    click.echo(answer.answer)
    if answer.standalone_question != answer.question:
        click.echo(f"\n(understood as: {answer.standalone_question})")
    if answer.citations:
        click.echo("\nSources:")
        for c in answer.citations:
            where = where_in_file(c.start, c.end, place_of(c.source, c.start, c.end))
            title = titles.get(c.source, c.source)
            click.echo(f"  [{c.id}] {c.source}, {where}" + ("" if title == c.source else f" · “{title}”"))
            if not answer.shows_its_quotes:  # a worded answer (LLM): the words it rests on
                click.echo(f"      “{' '.join(c.quote.split())}”")
    elif answer.passages:
        click.echo("\nClosest passages:")
        for p in answer.passages[:3]:
            where = where_in_file(p.start, p.end, place_of(p.source, p.start, p.end))
            click.echo(f"  {p.rank}. {p.source}, {where}: {shorten(p.text)}")


def shorten(text: str, width: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--docs-dir", type=click.Path(path_type=Path), help="Documents folder (ASSISTANT_DOCS_DIR).")
@click.option("--index-dir", type=click.Path(path_type=Path), help="Index folder (ASSISTANT_INDEX_DIR).")
@click.option("--chroma-url", help="Chroma server for the passage vectors, http://HOST:PORT (ASSISTANT_CHROMA_URL).")
@click.option("--llm-url", help="Language model server to word answers, http://HOST:PORT/v1 (ASSISTANT_LLM_URL).")
@click.option("--llm-model", help="The model that server is asked to use (ASSISTANT_LLM_MODEL).")
@click.pass_context
def cli(
    ctx: click.Context,
    docs_dir: Path | None,
    index_dir: Path | None,
    chroma_url: str | None,
    llm_url: str | None,
    llm_model: str | None,
) -> None:
    """Answer questions about a folder of documents with verbatim, checkable quotes."""
    given = {
        "docs_dir": docs_dir,
        "index_dir": index_dir,
        "chroma_url": chroma_url,
        "llm_url": llm_url,
        "llm_model": llm_model,
    }
    ctx.obj = {k: v for k, v in given.items() if v is not None}


@cli.command()
@click.option("--full", is_flag=True, help="Rebuild from nothing instead of syncing what changed.")
@click.option("--check", "check_only", is_flag=True, help="Report drift between manifest, Chroma and chunk table.")
@click.option("--repair", is_flag=True, help="With --check: rebuild the index if drift is found.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def index(ctx: click.Context, full: bool, check_only: bool, repair: bool, as_json: bool) -> None:
    """Build the index, or sync it with the documents folder."""
    settings = build_settings(ctx)
    if check_only or repair:
        from .indexing import check_index

        report = check_index(settings)
        for problem in report.problems:
            click.echo(f"drift: {problem}")
        for source in report.pending:
            click.echo(f"changed since last sync: {source}")
        if report.healthy and not report.pending:
            click.echo(f"index {report.generation} is consistent with the documents")
        if not (repair and (report.problems or report.pending)):
            sys.exit(0 if report.healthy else 1)
        full = bool(report.problems)
    assistant = make_assistant(settings)
    with progress_bars() as progress:
        result = assistant.index(full=full, progress=progress)
    click.echo(json.dumps(result.to_dict(), ensure_ascii=False) if as_json else result.summary())


@cli.command()
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the answer object as JSON.")
@click.option("--batch", is_flag=True, help="Read JSON Lines {question, history} on stdin, write one answer each.")
@click.option("-k", "top_k", type=click.IntRange(1, 50), help="Passages returned with the answer.")
@click.pass_context
def ask(ctx: click.Context, question: str | None, as_json: bool, batch: bool, top_k: int | None) -> None:
    """Answer QUESTION with quotes from the documents."""
    settings = build_settings(ctx, top_k=top_k)
    if batch:
        sys.exit(run_batch(make_assistant(settings)))
    if question is None:
        raise AssistantError('give a question, e.g. assistant ask "Who met Xi Jinping?", or use --batch')
    assistant = make_assistant(settings)
    answer = assistant.ask(question)
    if as_json:
        click.echo(json.dumps(answer.to_dict(), ensure_ascii=False))
    else:
        print_answer(answer, assistant.place_of, assistant.status()["files"])


def run_batch(assistant: Any) -> int:
    """One answer object per input line, in order; a bad line gets {"error": ...} and the rest go on."""
    failures = 0
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            if not isinstance(request, dict):
                raise AssistantError("each line must be a JSON object with a 'question'")
            output = assistant.ask(request.get("question"), request.get("history")).to_dict()
        except (AssistantError, json.JSONDecodeError) as err:
            failures += 1
            output = {"error": f"line {number}: {err}"}
        click.echo(json.dumps(output, ensure_ascii=False))
        sys.stdout.flush()
    return 1 if failures else 0


@cli.command()
@click.pass_context
def chat(ctx: click.Context) -> None:
    """A conversation in the terminal: each line is a question, and follow-ups ("Why was he sanctioned?") lean on
    the turns before. /new starts afresh; an empty line is skipped; Ctrl-D ends."""
    assistant = make_assistant(build_settings(ctx))
    assistant.snapshot()  # no index: one line now, not at every question
    history: list[dict[str, str]] = []
    prompt = "? " if sys.stdin.isatty() else ""
    while True:
        try:
            question = input(prompt).strip()
        except EOFError:
            return
        if question == "/new":
            history = []
            click.echo("(a new conversation)\n")
            continue
        if not question:
            continue
        try:
            answer = assistant.ask(question, history)
        except QuestionError as err:
            click.echo(f"error: {err}", err=True)
            continue
        print_answer(answer, assistant.place_of, assistant.status()["files"])
        click.echo()
        history += [{"role": "user", "content": question}, answer.as_message()]


@cli.command()
@click.argument("question")
@click.option("-k", "k", type=click.IntRange(1, 100), default=5, show_default=True, help="Passages to print.")
@click.option("--json", "as_json", is_flag=True, help="Print the passages as JSON.")
@click.pass_context
def retrieve(ctx: click.Context, question: str, k: int, as_json: bool) -> None:
    """Print the passages ranked for QUESTION."""
    assistant = make_assistant(build_settings(ctx))
    passages = assistant.retrieve(question, k)
    if as_json:
        click.echo(json.dumps([p.__dict__ for p in passages], ensure_ascii=False))
        return
    for p in passages:
        where = where_in_file(p.start, p.end, assistant.place_of(p.source, p.start, p.end))
        click.echo(f"{p.rank}. [{p.score:.4f}] {p.source}, {where}\n   {shorten(p.text, 300)}")


@cli.command(name="eval")
@click.argument("question_set", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
@click.option("--show-misses", is_flag=True, help="List the questions that missed.")
@click.pass_context
def evaluate(ctx: click.Context, question_set: Path, as_json: bool, show_misses: bool) -> None:
    """Score the assistant on a question set (JSON Lines with gold evidence quotes)."""
    from .evaluation import RANKS_SCORED, evaluate, load_question_set

    items = load_question_set(question_set)
    report = evaluate(make_assistant(build_settings(ctx, top_k=RANKS_SCORED)), items)
    if as_json:
        click.echo(json.dumps(report.metrics))
    else:
        for name, value in report.metrics.items():
            click.echo(f"{name:>30}: {value}")
    if show_misses:
        for o in report.misses():
            click.echo(
                f"miss {o.id}: rank={o.gold_rank} first_quote={o.first_quote_has_gold} "
                f"abstained={o.abstained} answerable={o.answerable} | {o.question}"
            )


@cli.command()
@click.option("--host", help="Interface to listen on (default 127.0.0.1).")
@click.option("--port", type=int, help="Port (default 7860).")
@click.option("--watch/--no-watch", default=None, help="Re-sync the index when documents change (default: on).")
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None, watch: bool | None) -> None:
    """Start the web chat (building or refreshing the index first)."""
    from .ui import serve as serve_app

    serve_app(build_settings(ctx, host=host, port=port, watch=watch))


def show_warnings() -> None:
    """The assistant's warnings (a language model that failed, so the answer is quotes) as lines on stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("warning: %(message)s"))
    logger = logging.getLogger("assistant")
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False


def main() -> None:
    """Entry point: library errors become one line on stderr and exit code 2 (ASSISTANT_RAISE_ERRORS=1 to debug)."""
    show_warnings()
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as err:
        err.show()
        sys.exit(err.exit_code)
    except AssistantError as err:
        if os.environ.get("ASSISTANT_RAISE_ERRORS"):
            raise
        click.echo(f"error: {err}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
