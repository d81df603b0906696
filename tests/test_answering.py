"""Answering with the fake embedder: the answer object, verbatim quotes, abstention, the LangChain faces."""

import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import (
    FakeEmbedder,
    IndexedCopy,
    assert_citations_hold,
    fake_settings,
    history_after,
    indexed_folder,
    read_document,
)
from langchain_core.documents import Document as LangChainDocument

from assistant import Answer, Assistant, Citation
from assistant.answering import (
    NOTHING_ASKED,
    Draft,
    QuoteAnswerer,
    QuoteSpan,
    continuation,
    following_sentence,
    join_neighbours,
    new_to_the_conversation,
    not_found,
    sentence_span,
    spliced,
    the_answer_below,
    unmentioned_names,
    unmentioned_topic,
)
from assistant.embeddings import LangChainEmbeddings
from assistant.retrieval import Retrieval, ScoredChunk
from assistant.splitting import Chunk, split_into_sentences
from assistant.store import is_heading, is_statement, opens_a_paragraph

ANSWER_KEYS = {"question", "standalone_question", "answer", "answerable", "citations", "passages", "timings_ms"}
AUSTIN = "Who refused to meet Lloyd Austin in Singapore?"


def test_the_answer_object_has_the_documented_shape(indexed_copy: IndexedCopy) -> None:
    answer = indexed_copy.assistant.ask(AUSTIN).to_dict()

    assert set(answer) == ANSWER_KEYS
    assert answer["question"] == answer["standalone_question"] == AUSTIN
    assert answer["answerable"] is True
    assert {"id", "source", "start", "end", "quote"} == set(answer["citations"][0])
    assert [p["rank"] for p in answer["passages"]] == list(range(1, len(answer["passages"]) + 1))
    assert len(answer["passages"]) == indexed_copy.settings.top_k
    assert set(answer["timings_ms"]) == {"retrieve", "answer", "total"}
    assert answer["timings_ms"]["total"] >= answer["timings_ms"]["retrieve"] >= 0
    assert_citations_hold(answer, indexed_copy.docs_dir)


def test_quotes_are_made_of_whole_sentences_and_appear_in_the_answer_text(indexed_copy: IndexedCopy) -> None:
    answer = indexed_copy.assistant.ask(AUSTIN)

    assert "Li Shangfu" in answer.citations[0].quote
    for citation in answer.citations:
        text = read_document(indexed_copy.docs_dir / citation.source)
        sentences = split_into_sentences(text, indexed_copy.settings.chunk_max_chars)
        assert citation.start in {start for start, _ in sentences} and citation.end in {end for _, end in sentences}
        assert f"“{citation.quote}” [{citation.id}]" in answer.answer
    assert [c.id for c in answer.citations] == list(range(1, len(answer.citations) + 1))


def test_an_off_topic_question_is_not_answered_but_shows_passages(indexed_copy: IndexedCopy) -> None:
    answer = indexed_copy.assistant.ask("What is the recipe for banana bread with walnuts?").to_dict()

    assert answer["answerable"] is False
    assert answer["citations"] == []
    assert answer["passages"]
    assert "do not answer" in answer["answer"]


def test_a_question_about_a_name_the_documents_never_mention_is_not_answered(indexed_copy: IndexedCopy) -> None:
    answer = indexed_copy.assistant.ask("How did Australia react to Blinken's visit to Beijing?")

    assert answer.answerable is False
    assert answer.citations == []
    assert "never mention “Australia”" in answer.answer  # Blinken and Beijing are mentioned: not named
    assert unmentioned_names("Did the Australians or Kissingers join?", indexed_copy.assistant.snapshot()) == [
        "Australians"  # "Kissingers": "Kissinger" is mentioned
    ]


@pytest.mark.parametrize(
    "question",
    [
        "What does The Diplomat piece see as the best outcome?",  # "diplomatic" begins with "diplomat"
        "Which U.S. law obliges Washington to give Taiwan the means to defend itself?",
        "Australia aside, who refused to meet Lloyd Austin in Singapore?",  # a first word is not taken for a name
        "What do Singaporean and Indonesian officials think?",  # the seeds say Singapore and Indonesia
    ],
)
def test_names_the_documents_mention_are_not_reported(indexed_copy: IndexedCopy, question: str) -> None:
    assert unmentioned_names(question, indexed_copy.assistant.snapshot()) == []


@pytest.mark.parametrize(
    ("question", "unmentioned"),
    [
        ("What is the weather in Beijing?", ["weather"]),
        ("Who won the 2024 US election?", ["won", "election"]),
        ("What did she tell Congress?", []),  # "tell" is how it asks; the documents say "told"
        ("What else did Wang Yi say?", []),  # "else" too; "Yi" is a name however short
        ("What is the weather like during the talks in Beijing?", []),  # the talks are what it asks about too
        ("Who is Kurt Campbell?", []),
    ],
)
def test_a_question_whose_every_topic_word_the_documents_never_use_is_reported(
    indexed_copy: IndexedCopy, question: str, unmentioned: list[str]
) -> None:
    assert unmentioned_topic(question, indexed_copy.assistant.snapshot()) == unmentioned


def test_the_words_never_mentioned_are_listed_with_or() -> None:
    assert not_found(["won", "election"]).startswith("The documents never mention “won” or “election”, so")
    assert not_found(["A", "B", "C"]).startswith("The documents never mention “A”, “B” or “C”, so")


def test_the_sentence_after_a_quote_joins_it_within_a_paragraph_only(indexed_copy: IndexedCopy) -> None:
    snapshot = indexed_copy.assistant.snapshot()
    chunk = next(c for c in snapshot.chunks if c.start > 0 and len(c.sentences) > 3)
    text = chunk.text

    def span(start: int, end: int) -> QuoteSpan:
        return QuoteSpan(chunk, start, end)

    outcomes = set()
    for (start, end), (next_start, next_end) in itertools.pairwise(chunk.sentences):
        after = following_sentence(snapshot, span(start, end))
        if not is_statement(text[next_start - chunk.start : next_end - chunk.start]):  # a headline: not quoted
            assert after is None
            continue
        assert after is not None and (after.start, after.end) == (next_start, next_end)
        joined = join_neighbours([span(start, end), after])
        gap = text[end - chunk.start : next_start - chunk.start]
        assert len(joined) == (2 if "\n" in gap else 1)
        if len(joined) == 1:
            assert joined[0].text == text[start - chunk.start : next_end - chunk.start]
        outcomes.add(len(joined))
    assert outcomes == {1, 2}  # the chunk has both kinds of neighbours


def test_max_quotes_is_respected(indexed_copy: IndexedCopy) -> None:
    one_quote = fake_settings(indexed_copy.docs_dir, indexed_copy.index_dir, max_quotes=1)
    assistant = Assistant(one_quote, embedder=FakeEmbedder())

    for question in (AUSTIN, "Kissinger met Xi Jinping and Li Shangfu", "sanctions Russian arms transfers"):
        assert len(assistant.ask(question).citations) <= 1
    assistant.close()


def test_retrieve_returns_k_ranked_passages(indexed_copy: IndexedCopy) -> None:
    passages = indexed_copy.assistant.retrieve(AUSTIN, k=3)

    assert [p.rank for p in passages] == [1, 2, 3]
    assert passages[0].score >= passages[1].score >= passages[2].score
    for p in passages:
        assert read_document(indexed_copy.docs_dir / p.source)[p.start : p.end] == p.text


def test_the_chain_and_the_retriever_work_through_langchain(indexed_copy: IndexedCopy) -> None:
    assistant = indexed_copy.assistant

    answer = assistant.chain.invoke({"question": AUSTIN, "history": []})
    documents = assistant.retriever(k=2).invoke(AUSTIN)

    assert isinstance(answer, Answer) and answer.answerable
    assert len(documents) == 2 and all(isinstance(doc, LangChainDocument) for doc in documents)
    for doc in documents:
        text = read_document(indexed_copy.docs_dir / doc.metadata["source"])
        assert text[doc.metadata["start"] : doc.metadata["end"]] == doc.page_content


def test_langchain_embeddings_wrap_any_embedder() -> None:
    embeddings = LangChainEmbeddings(FakeEmbedder())

    vectors = embeddings.embed_documents(["one text", "another text"])
    assert len(vectors) == 2 and len(vectors[0]) == 384
    assert embeddings.embed_query("one text") == pytest.approx(vectors[0])


class ScriptedAnswerer:
    """A stand-in for an LLM answerer: returns what it is told to and records what it was given."""

    def __init__(self, drafts: list[Draft]) -> None:
        self.drafts = drafts
        self.questions: list[str] = []

    def answer(self, question: str, retrieval: Retrieval) -> Draft:
        self.questions.append(question)
        return self.drafts.pop(0)


def test_the_answerer_is_swappable_and_gets_the_standalone_question(indexed_copy: IndexedCopy) -> None:
    quote = Citation(1, "x.txt", 0, 5, "Hello")
    scripted = ScriptedAnswerer([Draft("first", True, [quote]), Draft("second", False, [])])
    assistant = Assistant(indexed_copy.settings, embedder=FakeEmbedder(), answerer=scripted)
    history = [{"role": "user", "content": AUSTIN}, {"role": "assistant", "content": "“Li Shangfu refused.” [1]"}]

    first = assistant.ask(AUSTIN)
    second = assistant.ask("Why was he sanctioned?", history)

    assert (first.answer, first.citations, second.answer, second.answerable) == ("first", [quote], "second", False)
    assert scripted.questions == [AUSTIN, "Why was Li Shangfu sanctioned?"]
    assert second.question == "Why was he sanctioned?"
    assistant.close()


def test_a_quantity_question_is_answered_from_the_sentence_with_the_number(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "okapi.txt").write_text(
        "The okapi sanctuary in Epulu is famous.\nThe sanctuary in Epulu keeps 40 okapis in large forest pens.\n",
        encoding="utf-8",
    )
    assistant = Assistant(fake_settings(docs, tmp_path / "index"), embedder=FakeEmbedder())
    assistant.index()

    answer = assistant.ask("How many okapis does the sanctuary in Epulu keep?").to_dict()

    assert answer["answerable"] and "40 okapis" in answer["citations"][0]["quote"]
    assert_citations_hold(answer, docs)
    assistant.close()


MAN_PAGES = {
    "ls.1.txt": "LS(1)\n\nDESCRIPTION\n       List information about the FILEs.\n\n"
    "       -S     sort by file size, largest first\n\n"
    "       -t     sort by time, newest first; see --time\n\n"
    "       -h, --human-readable\n              with -l and -s, print sizes like 1K 234M 2G etc.\n",
    "tar.1.txt": "TAR(1)\n\nOPTIONS\n     -t, --list\n             List the contents of an archive.  "
    "Arguments are optional.\n             When given, they name the members to list.\n\n"
    "     -x      Extract files from an archive.\n",
}


@pytest.mark.parametrize(
    ("question", "quote"),
    [
        ("What does ls -t do?", "-t     sort by time, newest first; see --time"),
        ("What is the -t option of tar for?", MAN_PAGES["tar.1.txt"].split("     ", 1)[1].split("\n\n")[0]),
        ("Which option sorts by size, -S?", "-S     sort by file size, largest first"),
    ],
)
def test_a_question_naming_an_option_is_answered_by_its_entry(tmp_path: Path, question: str, quote: str) -> None:
    assistant, docs = indexed_folder(tmp_path, MAN_PAGES)

    answer = assistant.ask(question).to_dict()

    # The entry and the rest of its paragraph, in the document the question names; not "-s" for "-S".
    assert [citation["quote"] for citation in answer["citations"]] == [quote]
    assert_citations_hold(answer, docs)
    assistant.close()


def test_only_the_options_a_follow_up_names_itself_are_looked_up(tmp_path: Path) -> None:
    assistant, _ = indexed_folder(tmp_path, MAN_PAGES)
    history = history_after(assistant, "What does tar -x do?")

    answer = assistant.ask("Which one lists its contents?", history)

    # The option it borrowed from the question before says what it is about, not what it asks for.
    assert "-x" in answer.standalone_question
    assert not any(citation.quote.startswith("-x") for citation in answer.citations)
    assert assistant.ask("And -S?", [{"role": "user", "content": "What does ls -t do?"}]).citations[0].quote == (
        "-S     sort by file size, largest first"
    )
    assistant.close()


def test_a_question_naming_an_option_no_document_names_is_not_answered(tmp_path: Path) -> None:
    assistant, _ = indexed_folder(tmp_path, MAN_PAGES)

    answer = assistant.ask("What does ls --encrypt do?")

    assert not answer.answerable and "never mention “--encrypt”" in answer.answer
    assistant.close()


SECURITY_NEWS = """Noteworthy changes.

version 2.1 - 2019-01-02

* Fix CVE-2018-20482

Creating an archive of a file truncated while it was read looped endlessly.
Previous versions of the tool also extracted members named after it.

* Report read errors at once.


version 2.0 - 2017-12-17

* Fix a buffer overflow in the remote client code (CVE-2010-0624).  Reported
  by Ann Archer.
* Faster.

Previous versions of the tool were slower, and this version fixes that problem.
"""


@pytest.mark.parametrize(
    ("question", "quotes"),
    [
        (
            "Which version fixed CVE-2018-20482?",
            [
                "version 2.1 - 2019-01-02",
                "Fix CVE-2018-20482\n\nCreating an archive of a file truncated while it was read looped endlessly.\n"
                "Previous versions of the tool also extracted members named after it.",
            ],
        ),
        (  # a statement, with the rest of its item
            "What did cve-2010-0624 fix?",
            ["Fix a buffer overflow in the remote client code (CVE-2010-0624).  Reported\n  by Ann Archer."],
        ),
    ],
)
def test_a_question_naming_an_identifier_is_answered_by_the_sentence_naming_it(
    tmp_path: Path, question: str, quotes: list[str]
) -> None:
    assistant, docs = indexed_folder(tmp_path, {"NEWS.txt": SECURITY_NEWS})

    answer = assistant.ask(question).to_dict()

    # The item names the CVE exactly, whatever sentence is closer in words; one that is no statement comes with the
    # paragraph under it, and the release it stands under goes first when the question asks which.
    assert [citation["quote"] for citation in answer["citations"]] == quotes
    assert_citations_hold(answer, docs)
    assistant.close()


def test_a_question_naming_an_identifier_no_document_names_is_not_answered(tmp_path: Path) -> None:
    assistant, _ = indexed_folder(tmp_path, {"NEWS.txt": SECURITY_NEWS})

    answer = assistant.ask("Which version fixed CVE-2018-2048?")

    assert not answer.answerable and "never mention “CVE-2018-2048”" in answer.answer
    assistant.close()


XZ_FAQ = """XZ Utils FAQ


Q:  I have installed xz, but my tar doesn't recognize .tar.xz files.
    How can I extract .tar.xz files?

A:  xz -dc foo.tar.xz | tar xf -


Q:  Can I recover parts of a broken .xz file?

Q:  Is there a recovery program?

A:  It may be possible if the file consists of multiple blocks. There is no
    recovery program yet.

Blocks are explained in the file format specification.

22. Can I use xz in my commercial application?

    Yes.  Please read the license in COPYING.

23. Is xz under the GNU license?

    No.  Please read the license in COPYING.

Is that all there is to it?

Most of the time it is.
"""


@pytest.mark.parametrize(
    ("question_sentence", "answer"),
    [
        ("Q:  I have installed xz, but my tar doesn't recognize .tar.xz files.", "A:  xz -dc foo.tar.xz | tar xf -"),
        ("How can I extract .tar.xz files?", "A:  xz -dc foo.tar.xz | tar xf -"),
        (  # the next question comes before an answer: none is this one's
            "Q:  Can I recover parts of a broken .xz file?",
            None,
        ),
        (  # to the end of its paragraph
            "Q:  Is there a recovery program?",
            "A:  It may be possible if the file consists of multiple blocks. There is no\n    recovery program yet.",
        ),
        ("A:  It may be possible if the file consists of multiple blocks.", None),  # no question
        ("Blocks are explained in the file format specification.", None),
        # A numbered question: the paragraph below it (the same words answer another question too).
        ("Is xz under the GNU license?", "No.  Please read the license in COPYING."),
        ("Is that all there is to it?", None),  # an unmarked question may be rhetorical
    ],
)
def test_a_faq_question_is_answered_by_the_answer_below_it(
    tmp_path: Path, question_sentence: str, answer: str | None
) -> None:
    assistant, _ = indexed_folder(tmp_path, {"faq.txt": XZ_FAQ})
    snapshot = assistant.snapshot()
    index = snapshot.sentences_quoting(question_sentence)[0]

    below = the_answer_below(snapshot, sentence_span(snapshot, index), max_chars=600)

    assert (below.text if below else None) == answer
    assistant.close()


def _quote_span(source: str, text: str, start: int, end: int) -> Any:
    from assistant.answering import QuoteSpan
    from assistant.splitting import Chunk

    return QuoteSpan(Chunk(f"{source}:0", source, 0, len(text), text, ()), start, end)


def test_neighbouring_sentences_become_one_quote_and_others_stay_apart() -> None:
    from assistant.answering import join_neighbours

    text = "First one. Second one. Third one."
    first, second, third = (0, 10), (11, 22), (23, 33)
    joined = join_neighbours([_quote_span("a.txt", text, *first), _quote_span("a.txt", text, *second)])
    assert [(s.start, s.end, s.text) for s in joined] == [(0, 22, "First one. Second one.")]

    apart = join_neighbours([_quote_span("a.txt", text, *first), _quote_span("a.txt", text, *third)])
    assert [(s.start, s.end) for s in apart] == [first, third]  # "Second one." lies between

    other_file = join_neighbours([_quote_span("a.txt", text, *first), _quote_span("b.txt", text, *second)])
    assert [(s.chunk.source, s.start) for s in other_file] == [("a.txt", 0), ("b.txt", 11)]

    inside = join_neighbours([_quote_span("a.txt", text, 0, 22), _quote_span("a.txt", text, *second)])
    assert [(s.start, s.end) for s in inside] == [(0, 22)]


def test_quotes_are_not_joined_across_a_line_break() -> None:
    from assistant.answering import join_neighbours

    text = "Last sentence of a paragraph.\nFirst of the next."
    spans = [_quote_span("a.txt", text, 0, 29), _quote_span("a.txt", text, 30, 48)]

    assert [(s.start, s.end) for s in join_neighbours(spans)] == [(0, 29), (30, 48)]


def test_quotes_are_joined_across_a_line_break_inside_a_wrapped_paragraph() -> None:
    from assistant.answering import join_neighbours

    text = "gh-113269: Fix test_editor hang on macOS Catalina.\nPatch by Terry Reedy."
    spans = [_quote_span("a.txt", text, 0, 50), _quote_span("a.txt", text, 51, 72)]

    joined = join_neighbours(spans, wrapped=lambda source, start: (source, start) == ("a.txt", 51))
    assert [(s.start, s.end) for s in joined] == [(0, 72)]


def test_an_overview_question_quotes_the_opening_statement_of_several_documents(indexed_copy: IndexedCopy) -> None:
    answer = indexed_copy.assistant.ask("What are these documents about?")

    sources = [citation.source for citation in answer.citations]
    assert answer.answerable and len(sources) == 3 == len(set(sources))  # max_quotes documents, one quote each
    for citation in answer.citations:
        text = read_document(indexed_copy.docs_dir / citation.source)
        assert citation.start < 1500  # from the opening of its document
        assert is_statement(citation.quote) and len(citation.quote.split()) >= 8
        assert text[citation.start : citation.end] == citation.quote


def test_going_on_quotes_the_sentences_after_an_earlier_quote(indexed_copy: IndexedCopy) -> None:
    snapshot = indexed_copy.assistant.snapshot()
    quote = "The most urgent American concern in the bilateral relationship is the need for crisis management."
    text = read_document(indexed_copy.docs_dir / "000_cdc7ccf3eb7c2414.txt")

    draft = continuation(snapshot, quote)

    assert draft is not None and draft.answerable
    first = draft.citations[0]
    assert first.source == "000_cdc7ccf3eb7c2414.txt" and not text[text.index(quote) + len(quote) : first.start].strip()
    assert text[first.start : first.end] == first.quote
    assert continuation(snapshot, "A sentence that is in no document at all, anywhere.") is None


def test_the_first_quote_runs_on_across_a_passage_boundary_and_a_paragraph_break(indexed_copy: IndexedCopy) -> None:
    snapshot = indexed_copy.assistant.snapshot()
    rows = [
        row for row in range(len(snapshot.chunks) - 1) if snapshot.chunks[row + 1].source == snapshot.chunks[row].source
    ]
    checked = 0
    for row in rows:
        chunk = snapshot.chunks[row]
        (start, _), (_, end) = chunk.sentences[-2], chunk.sentences[-1]  # its last two sentences: the next is beyond
        after = following_sentence(snapshot, QuoteSpan(chunk, start, end))
        if after is None:  # a headline comes next
            continue
        joined = join_neighbours([QuoteSpan(chunk, start, end), after], across_paragraphs=True)
        text = read_document(indexed_copy.docs_dir / chunk.source)
        assert len(joined) == 1 and joined[0].text == text[start : after.end]
        assert after.start >= end and not text[end : after.start].strip()
        checked += 1
    assert checked >= 3


def test_the_first_quote_crosses_a_paragraph_break_only_from_a_lone_sentence(indexed_copy: IndexedCopy) -> None:
    snapshot = indexed_copy.assistant.snapshot()
    answerer = QuoteAnswerer(abstain_below=0.0)

    def gap_after(index: int) -> str:
        chunk, sentence = snapshot.chunks[snapshot.sentences[index].chunk_row], snapshot.sentences[index]
        following = snapshot.sentences[index + 1]
        return chunk.text[sentence.end - chunk.start : following.start - chunk.start]

    same_chunk = [
        index
        for index in range(len(snapshot.sentences) - 2)
        if snapshot.sentences[index].chunk_row == snapshot.sentences[index + 2].chunk_row
        and all(snapshot.sentence_is_statement[index : index + 3])
    ]
    scores = np.zeros(len(snapshot.sentences), dtype=np.float32)
    retrieval = Retrieval("question", scores, scores, [], snapshot)
    # Two sentences of one paragraph, the next paragraph after them: the quote stops at the break.
    pair = next(i for i in same_chunk if "\n" not in gap_after(i) and "\n" in gap_after(i + 1))
    two = answerer.first_quote(retrieval, [pair, pair + 1])
    assert (two.start, two.end) == (snapshot.sentences[pair].start, snapshot.sentences[pair + 1].end)
    # A sentence alone in its paragraph (or ending it) runs on into the next paragraph's first sentence ...
    lone = answerer.first_quote(retrieval, [pair + 1])
    assert (lone.start, lone.end) == (snapshot.sentences[pair + 1].start, snapshot.sentences[pair + 2].end)
    assert "\n" in lone.text
    # ... when that sentence scores close to it.
    scores[snapshot.sentences_quoting(lone.text[lone.text.rindex("\n") :].strip())] = -answerer.run_on_margin - 0.01
    alone = answerer.first_quote(retrieval, [pair + 1])
    assert (alone.start, alone.end) == (snapshot.sentences[pair + 1].start, snapshot.sentences[pair + 1].end)


def test_the_first_quote_is_the_best_passages_sentence_closest_by_its_own_scores(indexed_copy: IndexedCopy) -> None:
    snapshot = indexed_copy.assistant.snapshot()
    answerer = QuoteAnswerer(abstain_below=0.0)
    statements = [int(i) for i in np.flatnonzero(snapshot.sentence_is_statement)]
    best_row = int(snapshot.sentence_chunk_rows[statements[0]])
    first, second = [i for i in statements if snapshot.sentence_chunk_rows[i] == best_row][:2]
    other = next(i for i in statements if snapshot.sentence_chunk_rows[i] != best_row)
    other_row = int(snapshot.sentence_chunk_rows[other])
    fused = np.zeros(len(snapshot.sentences), dtype=np.float32)
    fused[[other, first, second]] = [3.0, 2.0, 1.0]  # another passage's sentence has the best fused score ...
    own = np.zeros_like(fused)
    own[[other, first, second]] = [0.9, 0.5, 0.8]  # ... the best passage's second sentence the best of its own
    chunks = [ScoredChunk(row, snapshot.chunks[row], 2.0) for row in (best_row, other_row)]
    ranked = [other, first, second]

    with_own = Retrieval("question", own, fused, chunks, snapshot, own)
    assert answerer.best_of_the_best_passage_first(ranked, with_own) == [second, other, first]
    without_own = Retrieval("question", own, fused, chunks, snapshot)
    assert answerer.best_of_the_best_passage_first(ranked, without_own) == ranked


def test_passages_are_spliced_only_when_no_text_lies_between_them(indexed_copy: IndexedCopy) -> None:
    chunks = indexed_copy.assistant.snapshot().chunks
    first, second = next((a, b) for a, b in itertools.pairwise(chunks) if a.source == b.source)
    text = read_document(indexed_copy.docs_dir / first.source)

    whole = spliced(first, second)

    assert whole is not None and whole.text == text[first.start : second.end] and whole.id == first.id
    assert spliced(second, first) is None  # out of order
    far = next(c for c in chunks if c.source == first.source and c.start > first.end)
    assert spliced(first, far) is None


def test_going_on_skips_a_heading(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    text = (
        "The okapi was found in 1901. It lives in the Ituri forest.\n\nWhat It Eats\n\n"
        "It eats leaves. It sleeps at night.\n"
    )
    (docs / "okapi.txt").write_text(text)
    assistant = Assistant(fake_settings(docs, tmp_path / "index"), embedder=FakeEmbedder())
    assistant.index()

    draft = continuation(assistant.snapshot(), "It lives in the Ituri forest.", sentences=2)

    assert draft is not None
    assert [c.quote for c in draft.citations] == ["It eats leaves. It sleeps at night."]
    assert all(text[c.start : c.end] == c.quote for c in draft.citations)
    assistant.close()


def test_a_message_that_asks_nothing_gets_a_hint_and_no_passages(indexed_copy: IndexedCopy) -> None:
    history = [{"role": "user", "content": "Who met Xi?"}, {"role": "assistant", "content": "“Blinken met Xi.” [1]"}]
    for message, earlier in [
        ("?", None),
        ("x", None),
        ("hi", None),
        ("thanks!", history),
        ("ok", history),
        ("?", history),
    ]:
        answer = indexed_copy.assistant.ask(message, earlier)

        assert (answer.answer, answer.answerable, answer.passages) == (NOTHING_ASKED, False, [])
    assert indexed_copy.assistant.ask("Why?", history).passages  # a follow-up, not small talk


def test_a_question_across_the_documents_quotes_each_document_once(indexed_copy: IndexedCopy) -> None:
    # Fake similarities are too low to pass the threshold set for MiniLM.
    settings = fake_settings(indexed_copy.docs_dir, indexed_copy.index_dir, abstain_below=0.0)
    assistant = Assistant(settings, embedder=indexed_copy.embedder)
    answer = assistant.ask("What do the articles say about Taiwan?")
    assistant.close()

    sources = [citation.source for citation in answer.citations]
    assert answer.answerable and len(sources) >= 2 and len(set(sources)) == len(sources)
    assert all("Taiwan" in citation.quote for citation in answer.citations)
    assert_citations_hold(answer.to_dict(), indexed_copy.docs_dir)


def test_key_words_a_follow_up_borrowed_are_not_taken_for_names(indexed_copy: IndexedCopy) -> None:
    assert unmentioned_names("Who wrote it? (Summarize second article)", indexed_copy.assistant.snapshot()) == []


def test_what_the_conversation_quoted_before_is_not_quoted_again() -> None:
    text = "First one. Second one. Third one."
    chunk = Chunk("a.txt:0", "a.txt", 0, len(text), text, ((0, 10), (11, 22), (23, 33)))
    run_on, repeat, fresh = QuoteSpan(chunk, 0, 22), QuoteSpan(chunk, 0, 10), QuoteSpan(chunk, 23, 33)

    spans = new_to_the_conversation([run_on, repeat, fresh], ("First one.",))

    assert [span.text for span in spans] == ["Second one.", "Third one."]  # trimmed, left out, kept
    assert new_to_the_conversation([repeat], ("First one.",)) == [repeat]  # nothing else: kept
    assert new_to_the_conversation([run_on], ()) == [run_on]


@pytest.mark.parametrize("question", ["How many documents are there?", "What documents do you have?", "List the files"])
def test_a_question_about_the_collection_lists_the_documents_by_their_cited_titles(
    indexed_copy: IndexedCopy, question: str
) -> None:
    answer = indexed_copy.assistant.ask(question)

    assert answer.answerable and answer.answer.startswith("There are 5 documents: “")
    titled = sorted(p.name for p in indexed_copy.docs_dir.iterdir() if not p.name.startswith("003"))
    assert [c.source for c in answer.citations] == titled  # 003 has no headline (its first line is a photo caption)
    assert " 003_d94c39d90b50c062.txt; “" in answer.answer  # so it is named by its file, uncited
    assert answer.citations[1].quote == "The Slow, Bumpy Road of U.S.-China Diplomacy"
    assert_citations_hold(answer.to_dict(), indexed_copy.docs_dir)


def test_the_title_of_the_document_a_question_points_at(indexed_copy: IndexedCopy) -> None:
    answer = indexed_copy.assistant.ask("What is the title of the second article?")

    assert answer.answer.startswith("Its title: ")
    assert [(c.source, c.quote) for c in answer.citations] == [
        ("001_88b05ed209d663f4.txt", "The Slow, Bumpy Road of U.S.-China Diplomacy")
    ]


def test_a_name_a_file_is_called_by_is_mentioned(tmp_path: Path) -> None:
    licenses = {
        "licenses/BSD.txt": "Redistributions of source code must retain the above copyright notice.\n",
        "licenses/Apache-2.0.txt": "Each Contributor grants You a perpetual patent license.\n",
    }
    assistant, _ = indexed_folder(tmp_path, licenses)
    snapshot = assistant.snapshot()

    # The BSD license never says "BSD": its file's name does.
    assert unmentioned_names("Can I remove the copyright notice from BSD code?", snapshot) == []
    assert unmentioned_names("What do the Licenses say of MIT?", snapshot) == ["MIT"]
    assert "never mention" not in assistant.ask("Who wrote the BSD license?").answer
    assistant.close()


def test_a_collection_of_one_document_is_counted_as_one(tmp_path: Path) -> None:
    assistant, docs = indexed_folder(tmp_path, {"okapi.md": "# The okapi\n\nThe okapi lives in the forest.\n"})

    answer = assistant.ask("How many documents are there?")

    assert answer.answer == "There is 1 document: “The okapi” [1] (okapi.md)."
    assert_citations_hold(answer.to_dict(), docs)


def test_a_long_list_of_documents_names_the_first_ten_and_counts_the_rest(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for number in range(12):
        (docs / f"note{number:02d}.md").write_text(f"# Note {number}\n\nThe okapi ate {number} leaves today.\n")
    (docs / "untitled.txt").write_text("x\n" * 3 + "The tapir slept.\n")
    assistant = Assistant(fake_settings(docs, tmp_path / "index"), embedder=FakeEmbedder())
    assistant.index()

    answer = assistant.ask("How many files are there?")

    assert answer.answer.startswith("There are 13 documents: “Note 0” [1] (note00.md); “Note 1” [2] (note01.md)")
    assert answer.answer.endswith("; and 3 more.") and len(answer.citations) == 10
    assert_citations_hold(answer.to_dict(), docs)
    assistant.close()


def test_a_text_without_punctuation_is_quoted_around_the_answer_not_a_page_of_it(tmp_path: Path) -> None:
    filler = " ".join(["the river flows past the old mill where farmers bring grain"] * 60)
    transcript = f"{filler} and then she said the secret password is marmalade {filler}\n"
    assistant, docs = indexed_folder(tmp_path, {"transcript.txt": transcript})

    answer = assistant.ask("What is the secret password?")

    assert answer.answerable and "the secret password is marmalade" in answer.answer
    assert all(len(citation.quote) <= 600 for citation in answer.citations)
    assert_citations_hold(answer.to_dict(), docs)


HANDBOOK = """# Vacation policy

Employees get 25 days of paid vacation per year. Unused days carry over to the next year.

## Requesting leave

1. Ask your manager at least two weeks in advance.
2. Record the days in the HR portal.
3. Wait for approval before booking travel.

## Sick leave

Sick leave is separate from vacation and does not need advance notice.
"""


def test_a_heading_that_matches_best_is_answered_by_the_section_under_it(tmp_path: Path) -> None:
    assistant, docs = indexed_folder(tmp_path, {"vacation.md": HANDBOOK})

    answer = assistant.ask("Requesting leave: how?")

    [citation] = answer.citations
    assert citation.quote.startswith("Ask your manager at least two weeks in advance.")
    assert citation.quote.endswith("Wait for approval before booking travel.")  # up to the next heading
    assert_citations_hold(answer.to_dict(), docs)


def test_a_heading_is_no_answer_of_its_own_and_the_section_must_fit_the_question(tmp_path: Path) -> None:
    assistant, docs = indexed_folder(tmp_path, {"vacation.md": HANDBOOK})

    dated = assistant.ask("On what date does requesting leave start?")  # the section holds no date

    assert "Ask your manager" not in dated.answer
    assert is_heading("Requesting leave") and is_heading("The Slow, Bumpy Road of U.S.-China Diplomacy")
    assert not is_heading("Wait for approval.") and not is_heading("Why not?") and not is_heading("The rules:")


def test_a_line_inside_a_block_is_no_heading() -> None:
    header = "TRANSCRIPT: Town Talk, Episode 7\nHost: Mira Oakes\nGuest: Daniel Frey, baker\n\nRequesting leave\n"

    assert opens_a_paragraph(header, 0)
    assert not opens_a_paragraph(header, header.index("Host:"))
    assert not opens_a_paragraph(header, header.index("Guest:"))
    assert opens_a_paragraph(header, header.index("Requesting"))
    assert not opens_a_paragraph("Why? How?", 5)  # a sentence after another on its line


PANEL = {
    "panel.txt": """Trade after the summit

Ann Lee and Bo Park of the institute discuss what the summit changed for trade and for the fleet.

What changed for trade?

Lee: Tariffs stay where they were after the summit. Exporters are waiting for the next round of talks.

Steel quotas will be reviewed in the spring, once the next round of talks has begun.

What about the fleet?

Park: The fleet will sail past the islands in June. Steel tariffs hurt the shipyards that build the fleet.
"""
}


def test_what_a_speaker_said_is_quoted_from_their_turns_however_close_another_speaker_is(tmp_path: Path) -> None:
    assistant, docs = indexed_folder(tmp_path, PANEL)
    text = read_document(docs / "panel.txt")
    lee_turn = range(text.index("Lee: Tariffs"), text.index("What about the fleet?"))

    answer = assistant.ask("What did Lee say about steel tariffs?").to_dict()

    # Park's "Steel tariffs hurt the shipyards ..." holds every word asked; Lee spoke of tariffs and of steel.
    assert answer["answerable"] and answer["citations"]
    assert all(citation["start"] in lee_turn for citation in answer["citations"])
    assert_citations_hold(answer, docs)


def test_a_speaker_who_never_spoke_of_the_topic_is_said_to_say_nothing_of_it(tmp_path: Path) -> None:
    assistant, _ = indexed_folder(tmp_path, PANEL)

    answer = assistant.ask("What did Lee say about the fleet?")

    assert not answer.answerable and answer.citations == []
    assert answer.answer.startswith("Lee says nothing about “the fleet” in the documents")


@pytest.mark.parametrize(
    ("text", "question", "first_quote"),
    [
        (  # how they reacted: the sentence that tells a reaction, not the closer one naming the plan twice
            "The council put the harbour plan on its agenda in March, the harbour plan of the mayor.",
            "How did the council react to the harbour plan?",
            "The council responded that the plan was too costly.",
        ),
        (  # what someone urges be done: the sentence that says what should be, not the one naming the mayor too
            "The mayor took the plan to the council in March.",
            "What does the mayor want the council to do about the harbour plan?",
            "The council should fund the harbour works.",
        ),
        (  # what was decided: the sentence that tells an outcome, not the closer one about the meeting
            "The council met about the harbour plan in March, at the harbour.",
            "What did the council decide about the harbour plan?",
            "The council approved the harbour plan by a vote of 5 to 2.",
        ),
        (  # what someone called something: the sentence giving it a name in quotes, not the one naming more
            "The mayor put the harbour plan of the town to the harbour council in March.",
            "What did the mayor call the harbour plan?",
            "At the hearing she called the plan a “gift to the quay”.",
        ),
        (  # yes or no: the sentence naming most of what is asked, not the one sharing its names and opening words
            "Minister Lund’s visit to the harbour town lasted two days in May.",
            "Did Minister Lund’s visit produce a breakthrough on the tariffs?",
            "No breakthrough on the tariffs was made during the talks.",
        ),
    ],
)
def test_a_close_sentence_of_the_kind_asked_for_is_quoted_first(
    tmp_path: Path, text: str, question: str, first_quote: str
) -> None:
    assistant, docs = indexed_folder(
        tmp_path, {"notes.txt": f"{text}\n\nFishing boats moor along the north quay.\n\n{first_quote}\n"}
    )

    answer = assistant.ask(question).to_dict()

    assert answer["citations"][0]["quote"] == first_quote
    assert_citations_hold(answer, docs)


BYLINED = {
    "harbour.txt": "Harbour news\n\nBy Jane Doe and J. Roe\n\nBy this standard, the harbour opened on time.\n",
    "notes.md": "---\ntitle: Council notes\nauthor: Ann Lee\n---\n\nThe council met on Monday.\n",
    "quay.txt": "Quay works\n\nBy March the quay was rebuilt.\n\nThe fishing boats moor there again.\n",
}


def test_who_wrote_the_documents_is_answered_by_their_bylines_each_with_its_title(tmp_path: Path) -> None:
    assistant, docs = indexed_folder(tmp_path, BYLINED)

    answer = assistant.ask("Who wrote these documents?").to_dict()

    # "By this standard, ..." and "By March the quay ..." name no one: the quay has no byline.
    assert answer["answer"] == (
        "2 of the 3 documents have a byline: “By Jane Doe and J. Roe” [1] (in “Harbour news” [2]); “author: Ann Lee” "
        "[3] (in “Council notes” [4])"
    )
    assert answer["answerable"]
    assert_citations_hold(answer, docs)


def test_who_wrote_a_document_without_a_byline_says_it_has_none(tmp_path: Path) -> None:
    assistant, _ = indexed_folder(tmp_path, {"quay.txt": BYLINED["quay.txt"]})

    answer = assistant.ask("Who wrote this article?")

    assert not answer.answerable and answer.citations == []
    assert answer.answer.startswith(
        "“Quay works” (quay.txt) has no byline (“By ...”), so it does not say who wrote it."
    )


@pytest.mark.parametrize("question", ["Who wrote the email?", "Who sent the email?", "Who is the email from?"])
def test_who_sent_an_email_is_answered_by_its_from_line(tmp_path: Path, question: str) -> None:
    email = "From: Dana Whitfield\nTo: Facilities team\nSubject: Office move\n\nThe move is on Saturday 3 May.\n"
    assistant, docs = indexed_folder(tmp_path, {"email.txt": email, "quay.txt": BYLINED["quay.txt"]})

    answer = assistant.ask(question).to_dict()

    # "the email" points at email.txt. Was: "“From: Dana Whitfield” (email.txt) has no byline (“By ...”), ...";
    # the line is its title too, so it is not quoted twice.
    assert answer["answerable"] and answer["answer"] == "“From: Dana Whitfield” [1]", answer
    assert_citations_hold(answer, docs)


# Lee and the fleet stand pages apart: the schedules between them.
SCHEDULES = "\n\n".join(f"Harbour {n} posted its schedule for the spring." for n in range(60))
NEWS = {
    "news.txt": f"""Trade talks resume

Minister Ann Lee said the tariffs on steel would stay until the next round of talks.

{SCHEDULES}

The fleet sailed past the islands in June, a month after the talks began.

Admiral Xu’s ships led it, and he called the voyage past the islands routine.
"""
}


def test_someone_the_documents_never_name_near_the_topic_is_not_quoted_on_it(tmp_path: Path) -> None:
    assistant, docs = indexed_folder(tmp_path, NEWS)

    declined = assistant.ask("What did Ann Lee say about the fleet?")
    answered = assistant.ask("What did Lee say about the tariffs during the talks?").to_dict()
    possessive = assistant.ask("What did Xu say about the islands?").to_dict()

    # "The fleet sailed ..." is not Lee's: it stands pages away from her name.
    assert not declined.answerable and declined.citations == []
    assert declined.answer.startswith("The documents never speak of “the fleet” near a mention of Ann Lee")
    # What qualifies the topic ("during the talks") need not stand in the sentence.
    assert answered["answerable"] and "tariffs on steel" in answered["answer"]
    assert possessive["answerable"]  # "Xu’s" names him
    assert_citations_hold(answered, docs)


def test_who_said_something_is_answered_with_the_label_of_the_turn_it_stands_in(tmp_path: Path) -> None:
    assistant, docs = indexed_folder(tmp_path, PANEL)

    answer = assistant.ask("Who said steel quotas will be reviewed?").to_dict()

    assert answer["answer"].startswith("“Steel quotas will be reviewed")
    assert "(in the remarks of “Lee” [2])" in answer["answer"]
    assert [citation["quote"] for citation in answer["citations"]][1] == "Lee"
    assert_citations_hold(answer, docs)
