"""The chat page's pieces that need no browser: example questions, the answer and sources as shown."""

from pathlib import Path

import pytest
from conftest import FakeEmbedder, IndexedCopy, fake_settings

from assistant import Answer, Assistant, Citation
from assistant.answer import Passage
from assistant.answering import NOT_FOUND, NOT_YET, NOTHING_ASKED, not_found
from assistant.conversation import previous_quotes
from assistant.ui import examples_for, render_answer_markdown, render_sources_html, render_status_markdown
from assistant.wording import Place


def test_every_default_example_is_offered_on_the_seeds(indexed_copy: IndexedCopy) -> None:
    assert examples_for(indexed_copy.assistant) == indexed_copy.assistant.settings.example_questions


def test_examples_naming_what_another_folder_never_mentions_are_not_offered(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "okapi.txt").write_text("The okapi lives in the Ituri rainforest. It eats leaves and fruit.\n")
    assistant = Assistant(fake_settings(docs, tmp_path / "index"), embedder=FakeEmbedder())
    assistant.index()

    assert examples_for(assistant) == ["What are these documents about?"]
    assistant.close()


def test_without_an_index_the_examples_are_offered_as_they_are(tmp_path: Path) -> None:
    assistant = Assistant(fake_settings(tmp_path, tmp_path / "no-index"), embedder=FakeEmbedder())

    assert examples_for(assistant) == assistant.settings.example_questions


def test_a_quote_across_a_paragraph_break_stays_one_block_quote_and_is_read_back_whole() -> None:
    quotes = [
        "They would give very different accounts.\n\nU.S. officials would point to *unsafe* interactions.",
        "[a] #1",
    ]
    citations = [Citation(n, "a.txt", 0, len(q), q) for n, q in enumerate(quotes, 1)]
    answer = Answer("q", "q", "", True, citations)

    markdown = render_answer_markdown(answer)

    quote_block = markdown.split("\n\n[1]")[0]
    assert all(line.startswith(">") for line in quote_block.splitlines())
    assert previous_quotes([{"role": "assistant", "content": markdown}]) == quotes


def test_the_label_of_a_quotes_speaker_follows_the_quote_on_its_line() -> None:
    quote = "Beijing’s unwillingness stems from its approach to crisis management."
    citations = [Citation(1, "a.txt", 50, 50 + len(quote), quote), Citation(2, "a.txt", 10, 20, "Stephenson")]
    answer = Answer("q", "q", f"“{quote}” [1] (in the remarks of “Stephenson” [2])", True, citations)

    markdown = render_answer_markdown(answer)

    assert markdown.startswith(f"> “{quote}” **[1]** (in the remarks of “Stephenson” **[2]**)\n\n[1] `a.txt`")
    assert previous_quotes([{"role": "assistant", "content": markdown}]) == [quote, "Stephenson"]


def test_the_title_of_a_quotes_document_follows_the_quote_on_its_line() -> None:
    title = "US Secretary of State met Xi. (Leah Millis/Associated Press)"  # a title with brackets of its own
    citations = [Citation(1, "b.txt", 90, 96, "Quoted"), Citation(2, "b.txt", 0, len(title), title)]
    answer = Answer("q", "q", f"“Quoted” [1] (in “{title}” [2])", True, citations)

    assert render_answer_markdown(answer).startswith(f"> “Quoted” **[1]** (in “{title}” **[2]**)\n\n[1] `b.txt`")


def test_a_list_of_documents_keeps_its_lead_above_the_cited_titles() -> None:
    citations = [Citation(1, "a.md", 0, 5, "Okapi"), Citation(2, "b.md", 2, 7, "Tapir")]
    answer = Answer("q", "q", "There are 2 documents: “Okapi” [1] (a.md); “Tapir” [2] (b.md).", True, citations)

    markdown = render_answer_markdown(answer)

    assert markdown.startswith("There are 2 documents:\n\n> “Okapi” **[1]**")


def test_an_answer_a_language_model_worded_comes_first_then_the_quotes_it_rests_on() -> None:
    quotes = ["The okapi eats leaves, buds and fruit.", "An adult okapi weighs about 250 kilograms."]
    citations = [Citation(n, "okapi.md", 10 * n, 10 * n + len(q), q) for n, q in enumerate(quotes, 1)]
    answer = Answer("q", "q", "It eats “leaves, buds and *fruit*” [1] and weighs 250 kg [2].", True, citations)

    markdown = render_answer_markdown(answer)

    worded = "It eats “leaves, buds and \\*fruit\\*” \\[1\\] and weighs 250 kg \\[2\\]."
    assert markdown.startswith(f"{worded}\n\n> “The okapi eats leaves, buds and fruit.” **[1]**\n>\n> “An adult")
    assert "250 kilograms.” **[2]**\n\n[1] `okapi.md`" in markdown
    assert previous_quotes([{"role": "assistant", "content": markdown}])[-2:] == quotes
    assert previous_quotes([answer.as_message()])[-2:] == quotes  # what `assistant chat` keeps of it


def test_each_source_says_the_lines_characters_and_section_its_quote_stands_on() -> None:
    citations = [Citation(1, "a.md", 10, 40, "The okapi lives in the forest."), Citation(2, "b.md", 0, 90, "Two lines")]
    answer = Answer("q", "q", "“The okapi lives in the forest.” [1] “Two lines” [2]", True, citations)
    places = {("a.md", 10, 40): Place((3, 3), "Habitat › Forests"), ("b.md", 0, 90): Place((1, 2))}

    def place_of(source: str, start: int, end: int) -> Place:
        return places[(source, start, end)]

    markdown = render_answer_markdown(answer, place_of)
    html = render_sources_html(answer, {"a.md": "Okapis"}, place_of=place_of)

    assert "[1] `a.md` line 3, characters 10–40, in “Habitat › Forests”  \n[2] `b.md` lines 1–2, characters 0–90" in (
        markdown
    )
    assert "a.md · line 3, characters 10–40, in “Habitat › Forests”" in html
    # Each card says which quote it is the source of: a click on the marker "[2]" in the chat finds it. A document
    # without a title is called by its file, once.
    assert '<div class="source-card" data-citation="2"><h4>[2] b.md</h4>' in html
    assert '<h4>[2] b.md</h4><div class="source-meta">lines 1–2, characters 0–90</div>' in html
    assert "`a.md` characters 10–40" in render_answer_markdown(answer)  # lines unknown: the characters alone


def test_a_quote_from_a_passage_not_returned_is_shown_in_the_passage_the_index_holds_it_in() -> None:
    quote = "The okapi lives in the forest."
    answer = Answer("q", "q", f"“{quote}” [1]", True, [Citation(1, "a.md", 109, 109 + len(quote), quote)])

    def place_of(source: str, start: int, end: int) -> Place:
        return Place((2, 2), None, (100, f"Okapis.\n\n{quote} It eats leaves."))  # the passage starts at 100

    html = render_sources_html(answer, {}, place_of=place_of)

    assert f"Okapis.\n\n<mark>{quote}</mark> It eats leaves." in html
    assert f"<mark>{quote}</mark>" in render_sources_html(answer, {})  # no passage known: the quote alone


def test_the_sources_panel_says_how_a_follow_up_was_understood() -> None:
    quote = "Li remains under sanctions imposed by Washington in 2018."
    citations = [Citation(1, "a.txt", 0, len(quote), quote)]
    follow_up = Answer("Why was he <sanctioned>?", "Why was Li Shangfu <sanctioned>?", "", True, citations)
    standalone = Answer("Why was Li sanctioned?", "Why was Li sanctioned?", "", True, citations)

    assert "Understood as: <em>Why was Li Shangfu &lt;sanctioned&gt;?</em>" in render_sources_html(follow_up, {})
    assert "Understood as" not in render_sources_html(standalone, {})
    # Which question they answer heads them: the sources of an earlier answer can be shown again.
    assert render_sources_html(follow_up, {}).startswith('<div class="asked">Asked: <em>Why was he &lt;sanctioned')


def test_the_sources_panel_names_the_one_document_searched() -> None:
    answer = Answer("What does the LA Times piece say?", "What does the LA Times piece say?", "", False)

    shown = render_sources_html(answer, {"003.txt": "Blinken & Xi"}, searched_in="003.txt")

    assert "Searched only: <em>Blinken &amp; Xi</em> <code>003.txt</code>" in shown
    untitled = render_sources_html(answer, {"003.txt": "003.txt"}, searched_in="003.txt")
    assert '<div class="searched-in">Searched only: <em>003.txt</em></div>' in untitled
    assert "Searched only" not in render_sources_html(answer, {})


def test_searched_in_is_the_document_a_question_points_at(indexed_copy: IndexedCopy) -> None:
    assistant = indexed_copy.assistant

    assert assistant.searched_in("What does the LA Times article say?") == "003_d94c39d90b50c062.txt"
    assert assistant.searched_in("Who met Xi?") is None


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (NOT_FOUND, "**Not found in the documents.** The closest passages are shown below."),
        (not_found(["Australia"]), "**Not found in the documents.** The documents never mention “Australia”, so"),
        (NOT_YET, "**Not found in the documents.** The documents speak of this only as something still to come"),
    ],
)
def test_a_not_found_answer_keeps_its_reason(text: str, shown: str) -> None:
    closest = [Passage(1, "a.txt", 0, 5, "Hello", 0.4)]

    assert render_answer_markdown(Answer("q", "q", text, False, passages=closest)).startswith(shown)


def test_a_message_that_asks_nothing_gets_the_hint_without_a_not_found_label() -> None:
    hint = Answer("hi", "hi", NOTHING_ASKED, False)

    assert render_answer_markdown(hint) == NOTHING_ASKED
    assert render_sources_html(hint, {}) == ""


def test_the_index_panel_counts_in_words_and_groups_skipped_files_by_reason() -> None:
    status = {
        "documents": 1,
        "chunks": 1,
        "built_at": "2026-11-26T19:00:00",
        "generation": "g1",
        "vectors": "in the index folder",
        "skipped": [
            {"source": "a_b.pdf", "reason": "not a text or Markdown file"},
            {"source": "latin1.txt", "reason": "not valid UTF-8 (byte 3)"},
            {"source": "c.png", "reason": "not a text or Markdown file"},
        ],
    }

    panel = render_status_markdown(status)
    worded = render_status_markdown(status | {"llm": "smollm2 at http://127.0.0.1:8000/v1"})

    assert "worded" not in panel
    assert "Answers worded by `smollm2 at http://127.0.0.1:8000/v1`, each claim citing a sentence" in worded
    assert panel.startswith("**1 document, 1 chunk**, built ")
    assert (
        "Skipped files: `a_b.pdf`, `c.png` (not a text or Markdown file); `latin1.txt` (not valid UTF-8 (byte 3))"
        in panel
    )
