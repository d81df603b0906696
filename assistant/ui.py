"""The web chat (Gradio): thin over `Assistant`; it renders answers, sources and the index state."""

from __future__ import annotations

import html
import itertools
import re
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import gradio as gr

from .answer import Answer
from .answering import NOT_FOUND, unmentioned_names
from .errors import AssistantError
from .loading import describe_skipped
from .pipeline import Assistant
from .settings import Settings
from .watching import IndexWatcher
from .wording import PlaceOf, counted, nowhere, where_in_file

CSS = """
.source-card {border: 1px solid #d0d7de; border-radius: 8px; padding: 10px 12px; margin-bottom: 10px;}
.source-card h4 {margin: 0 0 4px 0; font-size: 0.95em;}
.source-meta {color: #57606a; font-size: 0.85em; margin-bottom: 6px;}
.source-context {font-size: 0.92em; line-height: 1.45; white-space: pre-wrap;}
.source-context mark {background: #fff3a3; padding: 1px 0;}
.not-found {background: #fff8e1; border-left: 4px solid #f0b400; padding: 8px 10px; margin-bottom: 10px;}
.asked, .understood-as, .searched-in {color: #57606a; font-size: 0.9em; margin-bottom: 10px;}
.source-card.cited {box-shadow: 0 0 0 3px #f0b400; transition: box-shadow 0.3s;}
#chat .message strong {cursor: pointer;}
"""
# A quote's marker in the chat ("[2]") points at its source: a click on it shows that answer's sources (the click is
# a select of its message too) and brings its card into view, outlined for a moment. The card is outlined only once
# the panel shows the clicked answer's sources again (each showing carries a new `data-shown`): on a slow server the
# panel still holds another answer's card [2] for a while.
JS = """
() => {
  const shownNow = () => document.querySelector("#sources [data-shown]")?.dataset.shown;
  document.addEventListener("click", (event) => {
    const marker = event.target.closest("#chat strong");
    const cited = marker && /^\\[(\\d+)\\]$/.exec(marker.textContent.trim());
    if (!cited) return;
    const panel = document.querySelector("#sources");
    const before = shownNow();
    const outline = new MutationObserver(() => {
      const card = panel.querySelector(`.source-card[data-citation="${cited[1]}"]`);
      if (shownNow() === before || !card) return;
      outline.disconnect();
      card.scrollIntoView({behavior: "smooth", block: "nearest"});
      card.classList.add("cited");
      setTimeout(() => card.classList.remove("cited"), 2000);
    });
    outline.observe(panel, {childList: true, subtree: true});
    setTimeout(() => outline.disconnect(), 30000);
  });
}
"""
MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]<>#|~]")
STREAM_WORDS = 6  # words per streamed update


def escape_markdown(text: str) -> str:
    """Show a quote exactly as written: characters Markdown would act on are escaped."""
    return MARKDOWN_SPECIAL.sub(r"\\\g<0>", text)


def render_answer_markdown(answer: Answer, place_of: PlaceOf = nowhere) -> str:
    """The chat message: each quote as a block quote with its marker, after the answer a language model worded from
    them if it did; a plain sentence when not found."""
    if not answer.answerable and not answer.passages:  # nothing was asked ("hi"): no search, no label
        return answer.answer
    if not answer.answerable:
        # The reason stays ("The documents never mention “Australia”, ..."); the plain one says no more than the label.
        return f"**Not found in the documents.** {answer.answer.removeprefix(NOT_FOUND.split('. ', 1)[0] + '. ')}"
    lines: list[str] = []
    for c in answer.citations:
        # Said of the quote before, on its line: "(in the remarks of “Stephenson” [2])", "(in “The Slow ...” [2])".
        said_of = re.search(rf"\] \((?P<words>[^()“”]*)“{re.escape(c.quote)}” \[{c.id}\]\)", answer.answer)
        if lines and said_of:
            lines[-1] += f" ({escape_markdown(said_of.group('words'))}“{escape_markdown(c.quote)}” **[{c.id}]**)"
        else:  # every line of a quote is marked, so a quote across a paragraph break stays one block quote
            lines.append(f"> “{escape_markdown(c.quote).replace(chr(10), chr(10) + '> ')}” **[{c.id}]**")
    sources = [
        f"[{c.id}] `{c.source}` {where_in_file(c.start, c.end, place_of(c.source, c.start, c.end), '–')}"
        for c in answer.citations
    ]
    # A worded answer (an LLM's) comes first, its quotes after it; else what comes before the quotes ("There are 5
    # documents:" before a list of titles).
    lead = answer.answer.split("“", 1)[0].strip() if answer.shows_its_quotes else answer.answer
    return (f"{escape_markdown(lead)}\n\n" if lead else "") + "\n>\n".join(lines) + "\n\n" + "  \n".join(sources)


def _context_html(text: str, passage_start: int, start: int, end: int) -> str:
    before = html.escape(text[: start - passage_start])
    quote = html.escape(text[start - passage_start : end - passage_start])
    after = html.escape(text[end - passage_start :])
    return f"{before}<mark>{quote}</mark>{after}"


def render_sources_html(
    answer: Answer, titles: dict[str, str], searched_in: str | None = None, place_of: PlaceOf = nowhere
) -> str:
    """Every citation with title, file and offsets, the quote highlighted inside its passage; above them, the
    question they answer (an earlier answer's sources can be shown again), how a follow-up was understood and which
    one document was searched, so a wrong guess at "he", "that" or "the LA Times piece" is there to see."""
    cards = []
    if answer.standalone_question != answer.question:
        cards.append(
            f'<div class="understood-as">Understood as: <em>{html.escape(answer.standalone_question)}</em></div>'
        )
    if searched_in is not None:
        title = titles.get(searched_in, searched_in)
        file = "" if title == searched_in else f" <code>{html.escape(searched_in)}</code>"
        cards.append(f'<div class="searched-in">Searched only: <em>{html.escape(title)}</em>{file}</div>')
    if not answer.answerable and answer.passages:  # "hi" looked nothing up: nothing to show
        cards.append(
            '<div class="not-found">The documents do not answer this question. '
            "These are the closest passages, for you to judge.</div>"
        )
        for p in answer.passages[:3]:
            where = where_in_file(p.start, p.end, place_of(p.source, p.start, p.end), "–")
            cards.append(_card(f"Passage {p.rank}", p.source, where, html.escape(p.text), titles))
    for c in answer.citations:
        place = place_of(c.source, c.start, c.end)
        # The quote inside its passage: one returned with the answer, else the one the index holds it in (a "What did
        # Biden call Xi?" quote may come from a passage ranked below those returned).
        passage = next(
            (
                (p.start, p.text)
                for p in answer.passages
                if p.source == c.source and p.start <= c.start and c.end <= p.end
            ),
            place.passage,
        )
        context = (
            _context_html(passage[1], passage[0], c.start, c.end) if passage else f"<mark>{html.escape(c.quote)}</mark>"
        )
        where = where_in_file(c.start, c.end, place, "–")
        cards.append(_card(f"[{c.id}]", c.source, where, context, titles, citation=c.id))
    asked = f'<div class="asked">Asked: <em>{html.escape(answer.question)}</em></div>'
    return "\n".join([asked, *cards]) if cards else ""


def _card(label: str, source: str, where: str, body: str, titles: dict[str, str], citation: int | None = None) -> str:
    title = titles.get(source, source)
    marked = "" if citation is None else f' data-citation="{citation}"'
    # A document without a headline is titled by its file: the file is not named twice.
    meta = where if title == source else f"{source} · {where}"
    return (
        f'<div class="source-card"{marked}><h4>{html.escape(label)} {html.escape(title)}</h4>'
        f'<div class="source-meta">{html.escape(meta)}</div>'
        f'<div class="source-context">{body}</div></div>'
    )


def render_status_markdown(status: dict[str, Any], last_event: str = "") -> str:
    lines = [
        f"**{counted(status['documents'], 'document')}, {counted(status['chunks'], 'chunk')}**, "
        f"built {status['built_at']} "
        f"(generation `{status['generation']}`), vectors {status['vectors']}"
    ]
    if status["skipped"]:
        lines.append("Skipped files: " + describe_skipped(status["skipped"], name=lambda source: f"`{source}`"))
    if status.get("llm"):
        lines.append(
            f"Answers worded by `{status['llm']}`, each claim citing a sentence "
            "(quotes alone when a reply cannot be checked)"
        )
    if last_event:
        lines.append(f"Last change: {last_event}")
    return "  \n".join(lines)


def examples_for(assistant: Assistant) -> list[str]:
    """The example questions whose names the documents mention: those about the seeds vanish on another folder."""
    try:
        snapshot = assistant.snapshot()
    except AssistantError:
        return assistant.settings.example_questions
    return [question for question in assistant.settings.example_questions if not unmentioned_names(question, snapshot)]


def build_app(assistant: Assistant, watcher: IndexWatcher | None = None) -> gr.Blocks:
    settings = assistant.settings
    showings = itertools.count(1)

    def titles() -> dict[str, str]:
        return assistant.status()["files"]

    def ask_api(question: str, history: list[dict[str, str]] | None = None) -> dict[str, Any]:
        """Answer a question (with the chat history as a messages list); returns the answer object."""
        try:
            return assistant.ask(question, _plain_history(history)).to_dict()
        except AssistantError as err:
            raise gr.Error(str(err), print_exception=False) from None  # a refused question is no server fault

    def respond(
        message: str, history: list[dict[str, Any]], sources_of_answers: dict[int, str] | None
    ) -> Iterator[tuple[list[dict[str, Any]], str, str, dict[int, str]]]:
        history = list(history or [])
        history.append({"role": "user", "content": message})
        earlier = _plain_history(history[:-1])
        try:
            answer = assistant.ask(message, earlier)
            searched_in = assistant.searched_in(message, earlier)
        except AssistantError as err:
            # The question stays in the box to be mended, and the sources of the last answer stay beside it.
            history.append({"role": "assistant", "content": f"⚠️ {err}"})
            yield history, message, gr.skip(), gr.skip()
            return
        sources = render_sources_html(answer, titles(), searched_in, assistant.place_of)
        words = render_answer_markdown(answer, assistant.place_of).split(" ")
        history.append({"role": "assistant", "content": ""})
        # Kept by the answer's place in the chat, to be shown again when it (or its question) is clicked.
        sources_of_answers = {**(sources_of_answers or {}), len(history) - 1: sources}
        for count in range(STREAM_WORDS, len(words) + STREAM_WORDS, STREAM_WORDS):
            history[-1] = {"role": "assistant", "content": " ".join(words[:count])}
            done = count >= len(words)
            yield history, "", sources if done else "", sources_of_answers if done else gr.skip()
            time.sleep(0.01)

    def show_sources_again(sources_of_answers: dict[int, str] | None, selected: gr.SelectData) -> str:
        """A clicked answer shows its sources in the panel again; a clicked question, those of its answer."""
        index = selected.index[0] if isinstance(selected.index, (list, tuple)) else selected.index
        known = sources_of_answers or {}
        sources = next((known[message] for message in (index, index + 1) if message in known), None)
        if sources is None:
            return gr.skip()
        return f'<div data-shown="{next(showings)}">{sources}</div>' if sources else ""  # new, even if shown now

    def rebuild(progress: gr.Progress = gr.Progress()) -> str:  # noqa: B008 - Gradio's own idiom
        try:
            report = assistant.index(progress=lambda stage, done, total: progress(done / max(total, 1), desc=stage))
        except AssistantError as err:
            return f"⚠️ {err}"
        what = report.summary() if report.changed else "Nothing changed: the index already matches the documents."
        event = f"{datetime.now():%H:%M:%S}: rebuilt: {what}"
        if watcher:  # the status the page refreshes every 2 s shows the latest event: this one
            watcher.last_event = event
        return render_status_markdown(assistant.status(), event)

    def refresh_status() -> str:
        return render_status_markdown(assistant.status(), watcher.last_event if watcher else "")

    with gr.Blocks(title="Document assistant") as app:
        gr.Markdown(
            f"## Ask the documents in `{settings.docs_dir}`\nEvery answer is made of verbatim quotes; each source "
            "shows the file, the line and character offsets, and the quote highlighted in its passage.",
            elem_id="heading",
        )
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(label="Chat", height=460, elem_id="chat")
                with gr.Row():
                    box = gr.Textbox(
                        placeholder="Ask a question about the documents…",
                        show_label=False,
                        scale=5,
                        # No max_length: the box would cut a pasted question silently; the assistant says it is long.
                        elem_id="question",
                    )
                    send = gr.Button("Ask", variant="primary", scale=1, elem_id="ask-button")
                examples = examples_for(assistant)
                if examples:
                    gr.Examples(examples, inputs=box, label="Examples")
                clear = gr.Button("New conversation", size="sm")
            with gr.Column(scale=2):
                gr.Markdown("### Sources\nClick an earlier answer to see its sources again.")
                sources = gr.HTML(elem_id="sources")
        sources_of_answers = gr.State({})
        with gr.Accordion("Index", open=False):
            status = gr.Markdown(elem_id="index-status")
            rebuild_button = gr.Button("Rebuild index", size="sm", elem_id="rebuild")
        for trigger in (box.submit, send.click):
            trigger(
                respond,
                [box, chatbot, sources_of_answers],
                [chatbot, box, sources, sources_of_answers],
                api_visibility="private",
            )
        chatbot.select(show_sources_again, sources_of_answers, sources, api_visibility="private", queue=False)
        conversation = [chatbot, box, sources, sources_of_answers]
        clear.click(lambda: ([], "", "", {}), None, conversation, api_visibility="private")
        chatbot.clear(lambda: ("", {}), None, conversation[2:], api_visibility="private")  # the chat's trash icon
        rebuild_button.click(rebuild, None, status, api_visibility="private", concurrency_limit=1)
        if watcher:
            gr.Timer(2.0).tick(refresh_status, None, status, api_visibility="private", queue=False)
        app.load(refresh_status, None, status, api_visibility="private")
        gr.api(ask_api, api_name="ask", concurrency_limit=settings.concurrency_limit)
    app.queue(max_size=settings.max_queue_size, default_concurrency_limit=settings.concurrency_limit)
    return app


def _plain_history(history: Any) -> Any:
    """Gradio messages may carry extra keys, and content as a list of typed parts; the pipeline needs role and text.
    Anything else goes on as it is ({"role": "bot"} too), for the pipeline to say what is wrong with it, rather
    than a message being dropped and a follow-up read without it."""
    if not isinstance(history, list) or not all(isinstance(message, dict) for message in history):
        return history
    plain = []
    for message in history:
        content = message.get("content")
        if isinstance(content, list):  # Gradio 6 may send content as a list of typed parts
            content = " ".join(part.get("text", "") for part in content if isinstance(part, dict))
        plain.append({"role": message.get("role"), "content": content})
    return plain


def read_auth(spec: str | None) -> list[tuple[str, str]] | None:
    """'user:password', or the path of a file with one such line per user."""
    if not spec:
        return None
    lines = Path(spec).read_text(encoding="utf-8").splitlines() if Path(spec).is_file() else [spec]
    pairs = [tuple(line.strip().split(":", 1)) for line in lines if ":" in line and not line.startswith("#")]
    if not pairs:
        raise AssistantError("ASSISTANT_AUTH must be 'user:password' or a file of such lines")
    return [(user, password) for user, password in pairs]


def serve(settings: Settings) -> None:
    """Sync the index (with progress), then serve the chat until interrupted."""
    from .cli import progress_bars

    assistant = Assistant(settings)
    print(f"Indexing '{settings.docs_dir}' into '{settings.index_dir}'…", file=sys.stderr)
    with progress_bars() as progress:
        report = assistant.index(progress=progress)
    print(report.summary(), file=sys.stderr)
    watcher = IndexWatcher(assistant).start() if settings.watch else None
    app = build_app(assistant, watcher)
    app.launch(
        server_name=settings.host,
        server_port=settings.port,
        auth=read_auth(settings.auth),
        css=CSS,
        js=JS,
        ssr_mode=False,
        show_error=False,
        footer_links=["api"],
    )
