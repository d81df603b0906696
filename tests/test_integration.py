"""The real model and a real Chroma store on disk, answering from the seed documents."""

import html
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, RealIndex, assert_citations_hold, history_after, indexed_folder, read_document
from langchain_core.documents import Document as LangChainDocument

from assistant import Answer, Assistant, Settings
from assistant.answering import NOT_YET
from assistant.evaluation import evaluate, load_question_set
from assistant.indexing import check_index
from assistant.ui import render_sources_html

pytestmark = pytest.mark.slow

AUSTIN = "Who refused to meet Lloyd Austin in Singapore?"
LI_SHANGFU_SANCTIONS_FILE = "001_88b05ed209d663f4.txt"
USIP = "002_344bb6e1393d34be.txt"  # the USIP panel: "McFarland: ...", "Stephenson: ..."


def follow_up_history(real_index: RealIndex) -> list[dict[str, str]]:
    return history_after(real_index.assistant, AUSTIN)


def answer_over(tmp_path: Path, files: dict[str, str], embedder: object, question: str) -> dict[str, Any]:
    """The answer object to one question over a new folder of these files, its citations checked against them."""
    assistant, docs = indexed_folder(tmp_path, files, embedder)
    answer = assistant.ask(question).to_dict()
    assistant.close()
    assert_citations_hold(answer, docs)
    return answer


def test_the_built_index_is_consistent(real_index: RealIndex) -> None:
    report = check_index(real_index.settings)

    assert report.healthy and report.pending == []
    status = real_index.assistant.status()
    assert status["documents"] == 5 and status["chunks"] > 50 and status["skipped"] == []


def test_who_refused_to_meet_austin(real_index: RealIndex) -> None:
    answer = real_index.assistant.ask(AUSTIN).to_dict()

    assert answer["answerable"]
    assert "Li Shangfu" in answer["citations"][0]["quote"]
    assert_citations_hold(answer, real_index.docs_dir)


def test_a_question_about_words_of_small_talk_is_looked_up(real_index: RealIndex) -> None:
    answer = real_index.assistant.ask("Who said “This is very good”?").to_dict()

    # "good" is a word of small talk, like "hi": the question word makes it a question, not a greeting.
    assert answer["answerable"] and "Xi said “This is very good.”" in answer["citations"][0]["quote"]
    assert_citations_hold(answer, real_index.docs_dir)


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("Who is Wang Yi?", "Foreign Minister Wang Yi"),
        ("Who is Blinken?", "Secretary of State Antony Blinken"),
        # MiniLM puts "role ... play" closest to "... playing favorites ...", which names no Campbell.
        ("What role does Kurt Campbell play?", "Indo-Pacific Coordinator Kurt Campbell"),
        ("What is Li Shangfu's title?", "Chinese defense minister Li Shangfu"),
    ],
)
def test_a_who_is_question_is_answered_first_by_a_sentence_giving_the_persons_title(
    real_index: RealIndex, question: str, title: str
) -> None:
    answer = real_index.assistant.ask(question).to_dict()

    # Both are named in many sentences; the closest ones ("Wang Yi reportedly told Blinken ...") say not who they are.
    assert answer["answerable"] and title in answer["citations"][0]["quote"]
    assert_citations_hold(answer, real_index.docs_dir)


def test_a_follow_up_is_understood_and_answered_from_the_right_file(real_index: RealIndex) -> None:
    answer = real_index.assistant.ask("Why was he sanctioned?", follow_up_history(real_index)).to_dict()

    assert "Li Shangfu" in answer["standalone_question"]
    assert answer["question"] == "Why was he sanctioned?"
    assert answer["answerable"]
    assert LI_SHANGFU_SANCTIONS_FILE in {c["source"] for c in answer["citations"]}
    assert any("sanction" in c["quote"] for c in answer["citations"])
    assert_citations_hold(answer, real_index.docs_dir)


def test_an_off_topic_question_is_declined_with_the_closest_passages(real_index: RealIndex) -> None:
    answer = real_index.assistant.ask("What is the recipe for banana bread?").to_dict()

    assert answer["answerable"] is False
    assert answer["citations"] == []
    assert len(answer["passages"]) == real_index.settings.top_k
    assert_citations_hold(answer, real_index.docs_dir)


@pytest.mark.parametrize(
    "question",
    [
        "Which U.S. law obliges Washington to give Taiwan the means to defend itself?",
        "Who did Xi Jinping meet instead of Yellen and Kerry?",
        "What did Qin Gang call Taiwan?",
    ],
)
def test_seed_questions_are_answered_with_valid_citations(real_index: RealIndex, question: str) -> None:
    answer = real_index.assistant.ask(question).to_dict()

    assert answer["answerable"]
    assert_citations_hold(answer, real_index.docs_dir)


def test_the_chain_is_a_langchain_runnable(real_index: RealIndex) -> None:
    history = follow_up_history(real_index)

    answers = real_index.assistant.chain.batch(
        [{"question": AUSTIN, "history": []}, {"question": "Why was he sanctioned?", "history": history}]
    )

    assert all(isinstance(answer, Answer) for answer in answers)
    assert "Li Shangfu" in answers[0].citations[0].quote
    assert "Li Shangfu" in answers[1].standalone_question
    for answer in answers:
        assert_citations_hold(answer.to_dict(), real_index.docs_dir)


def test_the_retriever_is_a_langchain_retriever(real_index: RealIndex) -> None:
    documents = real_index.assistant.retriever(k=3).invoke("Li Shangfu sanctions Russian arms transfers")

    assert len(documents) == 3 and all(isinstance(doc, LangChainDocument) for doc in documents)
    assert documents[0].metadata["source"] == LI_SHANGFU_SANCTIONS_FILE
    assert documents[0].metadata["score"] >= documents[1].metadata["score"] >= documents[2].metadata["score"]
    for doc in documents:
        text = read_document(real_index.docs_dir / doc.metadata["source"])
        assert text[doc.metadata["start"] : doc.metadata["end"]] == doc.page_content


def test_a_question_about_a_country_the_seeds_never_mention_is_not_answered(real_index: RealIndex) -> None:
    answer = real_index.assistant.ask("How did Australia react to Blinken's visit to Beijing?")

    assert not answer.answerable and "never mention “Australia”" in answer.answer


def test_a_misspelt_name_is_read_as_the_seeds_spell_it(real_index: RealIndex) -> None:
    answer = real_index.assistant.ask("What did Blinkin say about Taiwan?").to_dict()

    # Before, "Blinkin" was taken for someone never named near Taiwan, and the question was declined.
    assert answer["question"] == "What did Blinkin say about Taiwan?"
    assert answer["standalone_question"] == "What did Blinken say about Taiwan?"
    assert answer["answerable"] and any("Blinken" in c["quote"] for c in answer["citations"])
    assert_citations_hold(answer, real_index.docs_dir)


@pytest.mark.parametrize(
    ("asked", "said", "follow_up", "understood", "quoted"),
    [
        # "Climate" is the title's: the seeds write "climate" too. Before, "Climate John Kerry" led elsewhere.
        (
            "Which U.S. officials went to China in July?",
            "“followed by Treasury Secretary Janet Yellen and Special Presidential Envoy for Climate John Kerry in "
            "July” [1]",
            "Did Xi meet with them?",
            "Did Xi meet with Janet Yellen and John Kerry?",
            "declining to meet with Yellen and Kerry",
        ),
        # Before, "him" was Xi Jinping, the one the question named, and the answer quoted Blinken meeting Xi.
        (
            "Who did Xi Jinping meet while declining to see Yellen and Kerry?",
            "“Xi Jinping himself met with Kissinger while declining to meet with Yellen and Kerry.” [1]",
            "Who else met with him?",
            "Who else met with Kissinger?",
            "Li was willing to meet with",
        ),
    ],
)
def test_a_pronoun_is_the_person_the_last_answer_named_without_a_title(
    real_index: RealIndex, asked: str, said: str, follow_up: str, understood: str, quoted: str
) -> None:
    history = [{"role": "user", "content": asked}, {"role": "assistant", "content": said}]

    answer = real_index.assistant.ask(follow_up, history).to_dict()

    assert answer["standalone_question"] == understood
    assert quoted in answer["citations"][0]["quote"]
    assert_citations_hold(answer, real_index.docs_dir)


def test_what_someone_said_is_answered_first_by_the_sentence_in_which_they_speak(real_index: RealIndex) -> None:
    question = "What did Singapore’s foreign minister say about how both powers feed the instability?"
    answer = real_index.assistant.ask(question).to_dict()

    # Before, the sentence closest to the topic came first: "If queried on the source of instability, ...".
    assert answer["citations"][0]["quote"].startswith("As Singapore Foreign Minister Vivian Balakrishnan explained")
    assert_citations_hold(answer, real_index.docs_dir)


def test_which_city_is_answered_only_by_a_sentence_naming_a_place(real_index: RealIndex) -> None:
    never_said = real_index.assistant.ask("In which city was Biden speaking when he called Xi a dictator?")
    said = real_index.assistant.ask("In which city did Biden and Xi hold their summit last November?").to_dict()

    # Before, the first was answered with the sentence about the remark, which names no place.
    assert not never_said.answerable
    assert said["answerable"] and "a summit in Bali, Indonesia" in said["citations"][0]["quote"]
    assert_citations_hold(said, real_index.docs_dir)


def test_what_is_the_name_of_is_answered_only_by_a_sentence_naming_someone_new(real_index: RealIndex) -> None:
    never_named = "What is the name of the Chinese Foreign Ministry spokesperson who called Biden's remark absurd?"
    # Before, this one was answered with "... A Chinese Foreign Ministry spokesman called the remark ...".
    never_named_too = "what's the name of the chinese foreign ministry spokesman who called biden's remark absurd"
    named = "What is the name of the German Marshall Fund expert quoted on why China resisted military contacts?"
    declined = [real_index.assistant.ask(question) for question in (never_named, never_named_too)]
    answer = real_index.assistant.ask(named).to_dict()

    # Before, the first was answered with a sentence about the remark that names no spokesperson.
    assert not any(answer.answerable for answer in declined)
    assert answer["answerable"] and "Bonnie Glaser" in " ".join(c["quote"] for c in answer["citations"]), answer
    assert_citations_hold(answer, real_index.docs_dir)


def test_a_question_whose_topic_the_seeds_never_name_is_declined_naming_it(real_index: RealIndex) -> None:
    answer = real_index.assistant.ask("What is the weather in Beijing?")

    assert not answer.answerable and "never mention “weather”" in answer.answer


GUIDE = """# Working on the project

Every change starts from an issue, and the issue says what a user should be able to do
once it is closed. A change lands only when the tests pass on a clean checkout, which
the continuous integration job checks on a fresh machine for every commit on main.

The three rules of review:
- Read the whole change once more before asking anyone else to read it, top to bottom.
- Run the tests that the change touches, and the slow ones when it touches the index.
- Write down what was measured, with the command that measured it, in the change log.

Releases are cut on the first Monday of every month, after the benchmarks have been
run on the reference laptop and their figures have been copied into the README file.
"""


def test_text_wrapped_at_a_fixed_width_is_quoted_in_whole_sentences(real_embedder: object, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "guide.md").write_text(GUIDE, encoding="utf-8")
    (docs / "other.txt").write_text("A second document, about something else entirely.\n", encoding="utf-8")
    assistant = Assistant(Settings(docs_dir=docs, index_dir=tmp_path / "index"), embedder=real_embedder)
    assistant.index()

    when = assistant.ask("When are releases cut?").to_dict()
    rules = assistant.ask("What are the rules of review?").to_dict()
    assistant.close()

    assert when["citations"][0]["quote"] == (
        "Releases are cut on the first Monday of every month, after the benchmarks have been\n"
        "run on the reference laptop and their figures have been copied into the README file."
    )
    assert rules["citations"][0]["quote"].startswith("The three rules of review:\n- Read the whole change")
    assert_citations_hold(when, docs)
    assert_citations_hold(rules, docs)


NEWS = """What's New in the Editor 3.13.0
==============================

gh-120083: Add an explicit black foreground colour to the hover tips, needed for
recent macOS. Fixes Sonoma showing unreadable white text on a pale yellow tip.
Patch by John Riggles.

gh-113269: Fix the test of the editor that hangs on macOS Catalina.
Patch by Terry Reedy.

gh-112939: Fix the processing of unsaved files when quitting the editor on
macOS.  Patch by Ronald Oussoren and Christopher Chavez.

gh-79871: Add docstrings to the debugger module.  Fix two bugs in its tests and
expand their coverage by 47%.  Patch by Anthony Shaw.
"""


def test_in_wrapped_text_a_line_break_inside_a_paragraph_does_not_cut_the_quote_short(
    real_embedder: object, tmp_path: Path
) -> None:
    who = answer_over(tmp_path, {"NEWS.txt": NEWS}, real_embedder, "Who fixed the editor test that hangs on macOS?")

    # The item ends at the end of its line; the credit on the next line is in the same paragraph.
    assert who["citations"][0]["quote"] == (
        "gh-113269: Fix the test of the editor that hangs on macOS Catalina.\nPatch by Terry Reedy."
    )


HOW_TO = {
    "README.md": """# The tool

The tool lints the project and runs its tests.

## Integration tests

There is an extensive integration test suite available which can be run via:

\t$ ./test/integration/run-tests

Each test prints its name as it runs, and a summary at the end.
""",
    "README.dns.txt": """Host keys in DNS

OpenSSH can verify host keys using DNS records, as described in RFC 4255. The
records are published by the server's administrator, and checked by the client.

To enable the ssh client to verify host keys using DNS, you have to add the
following option to the ssh configuration file:

    VerifyHostKeyDNS yes

The client then looks the records up each time it connects to a host.
""",
}


@pytest.mark.parametrize(
    ("question", "command"),
    [
        ("How do I run the integration tests?", "$ ./test/integration/run-tests"),
        ("How do I make the ssh client verify host keys using DNS?", "VerifyHostKeyDNS yes"),
    ],
)
def test_a_quote_that_announces_a_command_goes_on_to_the_command(
    real_embedder: object, tmp_path: Path, question: str, command: str
) -> None:
    answer = answer_over(tmp_path, HOW_TO, real_embedder, question)

    # "... can be run via:" alone answers nothing: the command it announces is no sentence, but it is the answer.
    announcing = [c["quote"] for c in answer["citations"] if ":\n" in c["quote"]]
    assert announcing and announcing[0].endswith(command)


FAQ = """Frequently asked questions

1. Is the library thread-safe?

    Yes.  However any routines that the library uses, and any memory allocation
    routines given by the application, must also be thread-safe.

2. Can I use the library in a commercial product?

    Of course.  The licence allows it, as long as its notice is kept with the code.

3. What do the letters XZ mean?

A:  Nothing. They are just two letters, which come from the suffix of the file format.
"""


@pytest.mark.parametrize(
    ("question", "opening"),
    [("Is the library thread-safe?", "Yes.  However"), ("What do the letters XZ mean?", "A:  Nothing. They")],
)
def test_a_short_answer_before_the_reason_is_quoted_with_it(
    real_embedder: object, tmp_path: Path, question: str, opening: str
) -> None:
    answer = answer_over(tmp_path, {"faq.txt": FAQ}, real_embedder, question)

    # "However any routines ... must also be thread-safe." alone reads as a no.
    assert answer["citations"][0]["quote"].startswith(opening)


QA_FAQ = """XZ Utils Frequently Asked Questions


Q:  I have installed xz, but my tar doesn't recognize .tar.xz files.
    How can I extract .tar.xz files?

A:  xz -dc foo.tar.xz | tar xf -


Q:  Can I recover parts of a broken .xz file (e.g. a corrupted CD-R)?

A:  It may be possible if the file consists of multiple blocks, which
    typically is not the case if the file was created in single-threaded
    mode. There is no recovery program yet.


Q:  I told xz to use many threads but it is using only one or two
    processor cores.

A:  Since multi-threaded compression is done by splitting the data into
    blocks that are compressed individually, if the input file is too
    small for the block size, then many threads cannot be used.
"""


NUMBERED_FAQ = """zlib Frequently Asked Questions

22. Can I use zlib in my commercial application?

    Yes.  Please read the license in zlib.h.

23. Is zlib under the GNU license?

    No.  Please read the license in zlib.h.

24. The license says that altered source versions must be "plainly marked". So what exactly do I need to do to
    meet that requirement?

    You need to change the ZLIB_VERSION and ZLIB_VERNUM #defines in zlib.h.
"""


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("Is zlib under the GNU license?", "No.  Please read the license in zlib.h."),  # "Yes.  Please ..." of 22
        ("Can I use zlib in a commercial product?", "Yes.  Please read the license in zlib.h."),
    ],
)
def test_a_numbered_faq_question_is_answered_by_the_paragraph_below_it(
    real_embedder: object, tmp_path: Path, question: str, answer: str
) -> None:
    answer_object = answer_over(tmp_path, {"zlib-faq.txt": NUMBERED_FAQ}, real_embedder, question)

    assert answer_object["answerable"] and answer_object["citations"][0]["quote"] == answer


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("My tar doesn't recognize .tar.xz files. How can I extract them?", "A:  xz -dc foo.tar.xz | tar xf -"),
        ("Can I recover parts of a broken .xz file?", "A:  It may be possible"),
        ("Why is xz using only one or two cores when I asked for many threads?", "A:  Since multi-threaded"),
    ],
)
def test_a_faq_question_is_answered_by_its_answer_not_quoted_back(
    real_embedder: object, tmp_path: Path, question: str, answer: str
) -> None:
    answer_object = answer_over(tmp_path, {"xz-faq.txt": QA_FAQ}, real_embedder, question)

    # The FAQ's own question is the closest to the user's, and was quoted back to them.
    assert answer_object["answerable"] and answer_object["citations"][0]["quote"].startswith(answer)


LS_MAN_PAGE = """LS(1)                            User Commands                           LS(1)

NAME
       ls - list directory contents

DESCRIPTION
       List  information  about  the FILEs (the current directory by default).
       Sort entries alphabetically if none of -cftuvSUX nor --sort  is  speci-
       fied.

       -a, --all
              do not ignore entries starting with .

       -h, --human-readable
              with -l and -s, print sizes like 1K 234M 2G etc.

       -l     use a long listing format

       -r, --reverse
              reverse order while sorting

       -s, --size
              print the allocated size of each file, in blocks

       -S     sort by file size, largest first

       -t     sort by time, newest first; see --time

   Exit status:
       0  if OK,

       1  if minor problems (e.g., cannot access subdirectory),

       2  if serious trouble (e.g., cannot access command-line argument).
"""


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("How do I sort ls output by file size?", "-S     sort by file size"),  # names no option
        ("What does ls -h do?", "-h, --human-readable\n              with -l and -s, print sizes"),
        ("What does -s do?", "-s, --size\n              print the allocated size"),
    ],
)
def test_an_option_of_a_man_page_is_quoted_with_its_description(
    real_embedder: object, tmp_path: Path, question: str, entry: str
) -> None:
    answer = answer_over(tmp_path, {"ls.1.txt": LS_MAN_PAGE}, real_embedder, question)

    # A description has no full stop, and was taken for a heading: the question was declined or answered with the
    # page's opening; the option, on its own line, was no part of the quote.
    assert answer["answerable"] and answer["citations"][0]["quote"].startswith(entry)


HANDBOOK = {
    "vacation.md": "# Vacation policy\n\nEmployees get 25 days of paid vacation per year.\n\n## Requesting leave\n\n"
    "1. Ask your manager at least two weeks in advance.\n2. Record the days in the HR portal.\n"
    "3. Wait for approval before booking travel.\n\n## Sick leave\n\n"
    "Sick leave is separate from vacation and does not need advance notice.\n",
    "expenses.md": "# Expense rules\n\nTravel must be booked through the company travel agent. Economy class is "
    "required for flights under 6 hours; business class is allowed for longer flights.\n\nMeals are reimbursed up "
    "to 60 euros per day. Alcohol is never reimbursed.\n\nSubmit receipts within 30 days.\n",
    "tool.md": "# The indexer\n\nA crash at any moment leaves the previous index live.\n\n## How it works\n\n"
    "Documents are split into sentences. Each sentence is embedded and stored.\n\n## Installing\n\n"
    "Run the installer once.\n",
}


def test_how_to_questions_get_the_steps_under_the_heading_that_names_them(
    real_embedder: object, tmp_path: Path
) -> None:
    assistant, docs = indexed_folder(tmp_path, HANDBOOK, real_embedder)

    steps = assistant.ask("How do I request leave?").to_dict()
    meals = assistant.ask("How much is reimbursed for meals?").to_dict()  # a statement says it: no heading needed
    works = assistant.ask("How does it work?").to_dict()
    assistant.close()

    assert steps["citations"][0]["quote"] == (
        "Ask your manager at least two weeks in advance.\n2. Record the days in the HR portal.\n"
        "3. Wait for approval before booking travel."
    )
    assert "60 euros per day" in meals["citations"][0]["quote"]
    assert works["citations"][0]["quote"] == "Documents are split into sentences. Each sentence is embedded and stored."
    assert_citations_hold(steps, docs)
    assert_citations_hold(meals, docs)
    assert_citations_hold(works, docs)


def test_follow_ups_in_a_document_with_headings_are_answered_by_statements(
    real_embedder: object, tmp_path: Path
) -> None:
    assistant, docs = indexed_folder(tmp_path, HANDBOOK, real_embedder)

    history: list[dict[str, str]] = []
    answers = []
    for question in ["What are the expense rules?", "What about flights?", "And meals?"]:
        answers.append(assistant.ask(question, history).to_dict())
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answers[-1]["answer"]}]
    assistant.close()

    # The key words a follow-up borrows ("expense rules") match the heading: no section, and no heading alone.
    assert "Economy class is required for flights" in answers[1]["citations"][0]["quote"]
    assert "Meals" not in answers[1]["citations"][0]["quote"]  # not the whole section under "Expense rules"
    assert answers[2]["citations"][0]["quote"].startswith("Meals are reimbursed up to 60 euros per day.")
    assert all(citation["quote"] != "Expense rules" for answer in answers for citation in answer["citations"])
    for answer in answers:
        assert_citations_hold(answer, docs)


API_REFERENCE = {
    "timers.md": """# Timers

## setTimeout(callback, delay)

<!-- YAML
added: v0.0.1
-->

Schedules `callback` to run once after `delay` milliseconds. Returns a `Timeout` object.

* `delay` {number} How long to wait before the call. **Default:** `1`.

```js
const timer = setTimeout(() => console.log('done'), 1000);
// Prints: done. The timer is cancelled with clearTimeout(timer).
```

## clearTimeout(timeout)

Cancels a `Timeout` object created by `setTimeout()`, so its callback never runs.

```js
clearTimeout(timer);
```

## setInterval(callback, delay)

Schedules `callback` to run again and again, every `delay` milliseconds.

* `delay` {number} How long to wait before the call.
  **Default:** `1`.
""",
}


def test_in_a_reference_with_code_the_answer_is_prose_and_says_each_thing_once(
    real_embedder: object, tmp_path: Path
) -> None:
    assistant, docs = indexed_folder(tmp_path, API_REFERENCE, real_embedder)

    cancel = assistant.ask("How do I cancel a timer?").to_dict()
    default = assistant.ask("What is the default delay?").to_dict()
    assistant.close()

    # A line of an example ("clearTimeout(timer);") is no answer of its own, and neither is the whole example.
    assert cancel["citations"][0]["quote"].startswith("Cancels a `Timeout` object created by `setTimeout()`")
    assert not any("```" in citation["quote"] or "<!--" in citation["quote"] for citation in cancel["citations"])
    # The reference says it under each function, wrapped differently: it is quoted once.
    said = [" ".join(citation["quote"].split()) for citation in default["citations"]]
    assert said[0] == "`delay` {number} How long to wait before the call. **Default:** `1`."
    assert len(said) == len(set(said))
    assert_citations_hold(cancel, docs)
    assert_citations_hold(default, docs)


PROJECT_NOTES = {
    "CHANGELOG.md": """# Changelog

## Release 2.1.0
* Add PowerShell support by @alice in https://example.org/tool/pull/2749
* Fix a hang when the shims folder is read-only by @bob in https://example.org/tool/pull/3367
* Add CPython 3.15.0b1 by @erin in https://example.org/tool/pull/3440

## Release 2.0.0
* Drop Python 2 support by @carol in https://example.org/tool/pull/2100
* Add a `--json` flag to `tool list` by @dave in https://example.org/tool/pull/2101

## Release 1.0.0
Support for the fish shell has been added.
Support for the zsh shell has been added.
Support for CPython 3.10.0b1 has been added.
""",
    "README.md": """# Tool

* [Installing the tool on your computer](#installing)
* [Using the tool from your shell](#using)

## Installing

Run the installer script, then restart your shell so that it finds the tool.

## Using

Type `tool list` to see what the tool knows about.
""",
}


MAN_PAGE_AND_NEWS = {
    "ls.1.txt": "LS(1)                 User Commands                 LS(1)\n\n"
    "NAME\n       ls - list directory contents\n\n"
    "DESCRIPTION\n       List information about the FILEs (the current directory by default).\n\n"
    "AUTHOR\n       Written by Richard M. Stallman and David MacKenzie.\n",
    "harbour.md": "---\ntitle: Harbour news\nauthor: Jane Doe\n---\n\nThe harbour reopened on Monday after repairs.\n",
}


def test_who_wrote_a_document_is_answered_by_its_byline(real_embedder: object, tmp_path: Path) -> None:
    assistant, docs = indexed_folder(tmp_path, MAN_PAGE_AND_NEWS, real_embedder)

    manual = assistant.ask("Who is the author of ls.1.txt?").to_dict()
    every = assistant.ask("Who wrote these documents?").to_dict()
    reopened = assistant.place_of("harbour.md", 45, 90)
    assistant.close()

    # A manual page names its authors at its end; a Markdown front matter, at its top (and it is no heading).
    assert manual["answer"].startswith("“Written by Richard M. Stallman and David MacKenzie.” [1] (in “LS(1)")
    assert every["answer"].startswith("“author: Jane Doe” [1] (in “Harbour news” [2]); “Written by Richard M.")
    assert reopened.section is None
    assert_citations_hold(manual, docs)
    assert_citations_hold(every, docs)


def test_a_short_verb_in_the_question_finds_the_sentence_saying_it_about_it(
    real_embedder: object, tmp_path: Path
) -> None:
    okapi = (
        "# The okapi\n\nThe okapi lives in the rainforests of the Democratic Republic of the Congo. It eats leaves, "
        "buds and fruit. An adult okapi weighs about 250 kilograms.\n\nOkapis are shy and solitary animals. Their "
        "closest living relative is the giraffe.\n"
    )
    assistant, docs = indexed_folder(tmp_path, {"okapi.md": okapi}, real_embedder)

    answer = assistant.ask("What does the okapi eat?").to_dict()
    assistant.close()

    # MiniLM puts "It eats leaves" far from a question naming the okapi; "eat" is the word both hold.
    assert answer["citations"][0]["quote"].startswith("It eats leaves, buds and fruit."), answer["answer"]
    assert_citations_hold(answer, docs)


def test_who_wrote_a_seed_is_answered_from_the_text_or_said_to_have_no_byline(real_index: RealIndex) -> None:
    authors = real_index.assistant.ask("Who are the authors of the USIP analysis?")
    la_times = real_index.assistant.ask("Who wrote the LA Times piece?")

    assert authors.answerable and "USIP’s Rosie Levine, Alison McFarland" in authors.citations[0].quote
    assert not la_times.answerable and la_times.answer.startswith("003_d94c39d90b50c062.txt has no byline (“By ...”)")


def test_in_project_notes_a_list_item_answers_and_a_table_of_contents_does_not(
    real_embedder: object, tmp_path: Path
) -> None:
    assistant, docs = indexed_folder(tmp_path, PROJECT_NOTES, real_embedder)

    powershell = assistant.ask("When was PowerShell support added?").to_dict()
    python2 = assistant.ask("Which release dropped Python 2?").to_dict()
    version = assistant.ask("Which release added CPython 3.15.0b1?").to_dict()
    install = assistant.ask("How do I install the tool on my computer?").to_dict()
    assistant.close()

    # A changelog says it in items without a full stop; "Support for ... has been added." says it of other things.
    # Asked when or which release, the release an item stands under comes first.
    assert powershell["citations"][0]["quote"] == "Release 2.1.0"
    assert powershell["citations"][1]["quote"].startswith("Add PowerShell support by @alice")
    assert python2["citations"][0]["quote"] == "Release 2.0.0"
    assert python2["citations"][1]["quote"].startswith("Drop Python 2 support by @carol")
    assert version["citations"][0]["quote"].startswith("Add CPython 3.15.0b1 by @erin")
    assert not any("3.10.0b1" in citation["quote"] for citation in version["citations"])  # another version
    # The contents' entry is only a link: the answer is the text under the heading.
    assert install["citations"][0]["quote"].startswith("Run the installer script")
    for answer in (powershell, python2, version, install):
        assert_citations_hold(answer, docs)


COMMAND_REFERENCE = {
    "commands.md": """# Command Reference

## `tool local`

Sets a local version by writing its name to a `.tool-version` file in the current folder.

    $ tool local 2.7.6

When run without a version number, `tool local` reports the configured local version.

### `tool local` (advanced)

You can specify multiple versions as local at once, and the first one found is used.

## `tool global`

Sets the global version by writing its name to the `version` file in the tool's folder.

You can specify multiple versions as global at once, and the first one found is used.
""",
    "dns.md": """# DNS

## `dns.lookup(hostname[, options], callback)`

* `hostname` {string}
* `options` {integer | Object}
  * `family` {integer} The record family. Must be `4` or `6`.
  * `order` {string} When `verbatim`, the resolved addresses are returned unsorted.
* `callback` {Function}

Resolves a host name into the first found IPv4 or IPv6 record. On error, `err` is an `Error` object.

## `dns.resolve(hostname, callback)`

Uses the DNS protocol to resolve a host name into an array of resource records.
""",
}


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("What does tool local do?", "Sets a local version by writing its name"),
        ("What does `tool global` do?", "Sets the global version by writing its name"),
        ("What does dns.lookup do?", "Resolves a host name into the first found IPv4 or IPv6 record."),
        ("What is dns.resolve()?", "Uses the DNS protocol to resolve a host name"),
    ],
)
def test_what_a_command_does_is_answered_by_the_prose_under_the_heading_naming_it(
    real_embedder: object, tmp_path: Path, question: str, answer: str
) -> None:
    reply = answer_over(tmp_path, COMMAND_REFERENCE, real_embedder, question)

    # Not a sentence about it from elsewhere, nor its parameters' list: what the reference says under its name.
    assert reply["citations"][0]["quote"].startswith(answer)


def test_a_when_question_is_answered_first_by_a_sentence_that_says_when(real_index: RealIndex) -> None:
    # The closest sentence talks about the visit without a date; one a little further says "in June".
    answer = real_index.assistant.ask("When did Blinken visit Beijing?")

    assert "traveled there in June" in answer.citations[0].quote


def test_how_they_reacted_is_answered_first_by_a_sentence_that_tells_a_reaction(real_index: RealIndex) -> None:
    earlier = " ".join(  # an answer of an earlier version, quoting none of the reactions of Beijing but one
        [
            "“Just a day after Blinken left Beijing, Biden sparked a brief uproar when he told donors Xi was unaware",
            "of the alleged spy balloon, which he described as “a major embarrassment.” [a] Dictator.”",
            "A Chinese Foreign Ministry spokesman called the remark “absurd and irresponsible.”” [1]",
            "“Only a day after the Blinken-Xi meeting, Biden seemingly unintentionally offended Beijing by casually",
            "referring to Xi as a “dictator” who was surprised and embarrassed by the spy balloon incident.” [2]",
        ]
    )
    history = [{"role": "user", "content": "What did Biden call Xi?"}, {"role": "assistant", "content": earlier}]

    answer = real_index.assistant.ask("How did China react?", history)

    # The follow-up leaned on the passages of the last answer, whose best sentence says where China is heading.
    assert "immediately responded that Biden’s remark" in answer.citations[0].quote
    assert_citations_hold(answer.to_dict(), real_index.settings.docs_dir)


def test_a_yes_or_no_question_is_answered_first_by_the_sentence_that_speaks_of_it(real_index: RealIndex) -> None:
    met = real_index.assistant.ask("Did Xi meet with Janet Yellen or John Kerry when they came to China?")
    breakthroughs = real_index.assistant.ask("Did Blinken's visit produce any major breakthroughs?")

    # The closest sentences only say that Yellen and Kerry came, and whom Blinken met.
    assert "declining to meet with Yellen and Kerry" in met.citations[0].quote
    assert "a lack of major breakthroughs" in breakthroughs.citations[0].quote
    for answer in (met, breakthroughs):
        assert_citations_hold(answer.to_dict(), real_index.settings.docs_dir)


def test_what_someone_wants_done_is_answered_first_by_a_sentence_saying_what_should_be(real_index: RealIndex) -> None:
    answer = real_index.assistant.ask("What does Beijing want Washington to stop doing regarding Taiwan?")

    # The closest sentence is about Beijing's calculus "regarding Taiwan"; the next says what the US should stop.
    assert "it should stop arming Taiwan" in answer.citations[0].quote
    assert_citations_hold(answer.to_dict(), real_index.settings.docs_dir)


@pytest.mark.parametrize(
    "question", ["What did Biden call Xi after Blinken's trip?", "What did Biden call Xi Jinping?"]
)
def test_what_someone_called_something_is_answered_by_the_name_they_gave_it(
    real_index: RealIndex, question: str
) -> None:
    answer = real_index.assistant.ask(question)

    # The closest sentences name Biden, Xi and the trip; the one giving the name stands in a passage ranked 6th to 8th.
    first = answer.citations[0]
    assert "Xi as a “dictator”" in first.quote
    assert_citations_hold(answer.to_dict(), real_index.settings.docs_dir)
    # Its source card shows it inside its passage, whether or not that passage is among those returned.
    passage = real_index.assistant.place_of(first.source, first.start, first.end).passage
    assert passage is not None and passage[0] <= first.start and first.end <= passage[0] + len(passage[1])
    card = render_sources_html(answer, {}, place_of=real_index.assistant.place_of)
    before, after = passage[1][: first.start - passage[0]], passage[1][first.end - passage[0] :]
    assert before and f"{html.escape(before)}<mark>{html.escape(first.quote)}</mark>{html.escape(after)}" in card


def test_a_where_question_is_answered_first_by_a_sentence_that_names_a_place(real_index: RealIndex) -> None:
    # The closest sentence talks of "a meeting between Biden and Xi" without saying where.
    answer = real_index.assistant.ask("Where will Biden and Xi possibly meet?")

    assert "in San Francisco" in answer.citations[0].quote
    assert_citations_hold(answer.to_dict(), real_index.settings.docs_dir)


@pytest.mark.parametrize("question", ["What are these documents about?", "Give me three key takeaways."])
def test_an_overview_question_quotes_what_each_article_is_about(real_index: RealIndex, question: str) -> None:
    answer = real_index.assistant.ask(question)

    assert answer.answerable and len({citation.source for citation in answer.citations}) == 3
    standfirsts = {  # the line under each headline
        "000_cdc7ccf3eb7c2414.txt": "An “improvement” in communications does not address the fundamental issue",
        "001_88b05ed209d663f4.txt": "Washington should be looking for ways to draw Beijing into a serious pursuit",
        "002_344bb6e1393d34be.txt": "With U.S.-China ties at a low point, the resumption of high-level dialogue",
        "004_cba8b70d7f73dee2.txt": "Beijing and Washington have two different visions",
    }
    for citation in answer.citations:
        if citation.source in standfirsts:
            assert citation.quote.startswith(standfirsts[citation.source])


def test_a_question_about_the_collection_is_answered_with_the_cited_titles(real_index: RealIndex) -> None:
    listed = real_index.assistant.ask("What documents do you have?")
    third = real_index.assistant.ask("What's the title of the third article?")

    assert listed.answerable and listed.answer.startswith("There are 5 documents:")
    assert len(listed.citations) == 4 and "; 003_d94c39d90b50c062.txt; " in listed.answer  # no title: its file
    assert [c.quote for c in third.citations] == ["Blinken’s Beijing Trip: ‘Constructive’ but No Breakthroughs"]
    for answer in (listed, third):
        assert_citations_hold(answer.to_dict(), real_index.settings.docs_dir)


@pytest.mark.parametrize("question", ["How many documents are there?", "What are these documents about?"])
def test_a_question_about_the_collection_after_a_turn_is_no_follow_up(real_index: RealIndex, question: str) -> None:
    history = follow_up_history(real_index)
    alone = real_index.assistant.ask(question)
    after_a_turn = real_index.assistant.ask(question, history)

    assert after_a_turn.standalone_question == question
    assert after_a_turn.answerable and after_a_turn.answer == alone.answer


def test_a_follow_up_about_another_topic_is_answered_about_that_topic(real_index: RealIndex) -> None:
    assistant, taiwan = real_index.assistant, "What did Wang Yi tell Blinken about Taiwan?"
    first = assistant.ask(taiwan)
    history = [{"role": "user", "content": taiwan}, {"role": "assistant", "content": first.answer}]

    trade = assistant.ask("What about trade?", history)

    assert trade.standalone_question == "What did Wang Yi tell Blinken about trade?"
    # The names pull "Wang Yi reportedly told Blinken, “On the Taiwan question ...”" first; it says nothing of trade.
    assert trade.answerable and "trade" in trade.citations[0].quote
    assert_citations_hold(trade.to_dict(), real_index.settings.docs_dir)


def test_them_after_a_list_of_titled_people_is_those_people(real_index: RealIndex) -> None:
    text = read_document(real_index.docs_dir / USIP)
    start = text.index("he met with Director")
    met = text[start : text.index(".", text.index("Xi Jinping", start)) + 1]
    history = [
        {"role": "user", "content": "Who did Blinken actually meet with in Beijing?"},
        {"role": "assistant", "content": f"“{met}” [1]"},
    ]

    answer = real_index.assistant.ask("Which one of them agreed to come to the US afterwards?", history)

    # The seeds write "central" and "affairs" in lowercase, and "Office" ends the name of a body: was "Which one of
    # Communist Party Central Affairs Office Wang Yi, ...".
    assert answer.standalone_question == (
        "Which one of Wang Yi, Qin Gang and General-Secretary Xi Jinping agreed to come to the US afterwards?"
    )


def test_it_in_a_follow_up_is_the_topic_asked_about_before(real_index: RealIndex) -> None:
    assistant, taiwan = real_index.assistant, "What did Wang Yi say about Taiwan?"
    history = history_after(assistant, taiwan)

    policy = assistant.ask("Did Blinken change US policy on it?", history)

    # It borrowed "Wang Yi Taiwan", and "Blinken spoke with ... Wang Yi" came first.
    assert policy.standalone_question == "Did Blinken change US policy on Taiwan?"
    assert "no changes have been made to the U.S. “One China” policy" in policy.citations[0].quote


def test_which_article_is_answered_with_the_quote_and_its_documents_title(real_index: RealIndex) -> None:
    kissinger = real_index.assistant.ask("Which article mentions Kissinger?").to_dict()
    gill = real_index.assistant.ask("In which piece is Bates Gill quoted?").to_dict()

    assert "(in “The Slow, Bumpy Road of U.S.-China Diplomacy” [2])" in kissinger["answer"]
    assert "Kissinger" in kissinger["citations"][0]["quote"]
    # It was declined: "The documents never mention “piece” or “quoted”".
    assert gill["answerable"] and "said Bates Gill" in gill["citations"][0]["quote"]
    for answer in (kissinger, gill):
        assert_citations_hold(answer, real_index.docs_dir)


def test_a_document_named_by_its_file_name_or_title_is_summarised_or_searched(real_index: RealIndex) -> None:
    la_times = "003_d94c39d90b50c062.txt"
    said = real_index.assistant.ask("What does the LA Times piece say?").to_dict()
    on_taiwan = real_index.assistant.ask(f"What does the file {la_times} say about Taiwan?").to_dict()

    # Before, a Bonnie Glaser quote from the middle of the piece; and "The documents never mention “file” or “txt”".
    assert said["citations"][0]["quote"].startswith("When Secretary of State Antony J. Blinken traveled to Beijing")
    assert on_taiwan["answerable"] and {c["source"] for c in on_taiwan["citations"]} == {la_times}
    assert "Taiwan" in on_taiwan["citations"][0]["quote"]
    for answer in (said, on_taiwan):
        assert_citations_hold(answer, real_index.docs_dir)


def test_a_possessive_names_the_topic_asked_about(real_index: RealIndex) -> None:
    answer = real_index.assistant.ask("What does Greitens argue about Xi?")

    # "Greitens examines Xi’s ... agenda" is about Xi: not passed over for a sentence naming "Xi" bare.
    assert "Greitens examines Xi’s" in answer.citations[0].quote


def test_a_follow_up_naming_a_place_swaps_the_topic_not_the_speaker(real_index: RealIndex) -> None:
    assistant, taiwan = real_index.assistant, "What did McFarland say about Taiwan?"
    first = assistant.ask(taiwan)
    history = [{"role": "user", "content": taiwan}, {"role": "assistant", "content": first.answer}]

    # The seeds put Russia after "to" and "in", and never let it speak: not "What did Russia say about Taiwan?".
    assert assistant.ask("What about Russia?", history).standalone_question == "What did McFarland say about Russia?"
    assert assistant.ask("And Stephenson?", history).standalone_question == "What did Stephenson say about Taiwan?"


def test_what_a_panelist_said_is_quoted_from_her_turn_of_the_interview(real_index: RealIndex) -> None:
    assistant, text = real_index.assistant, read_document(real_index.docs_dir / USIP)
    mcfarland = range(text.index("McFarland: Although"), text.index("Why is China still refusing"))
    freeman = range(text.index("Freeman: In addition"), text.index("Check Also"))

    russia = assistant.ask("What did McFarland say about Russia?").to_dict()
    next_steps = assistant.ask("What does Carla Freeman expect to come next?").to_dict()

    # Before, "McFarland: Although ..." came first: her name is in it, Russia is not.
    assert "Russia" in russia["citations"][0]["quote"]
    # Before, the roster of the panel: "USIP’s Rosie Levine, ..., Carla Freeman discuss ... what comes next."
    for answer, turn in ((russia, mcfarland), (next_steps, freeman)):
        assert answer["answerable"] and all(citation["start"] in turn for citation in answer["citations"])
        # The passages of her turns are ranked first too: an LLM answers from them.
        first = answer["passages"][0]
        assert first["source"] == USIP and first["start"] < turn.stop and first["end"] > turn.start
        assert_citations_hold(answer, real_index.docs_dir)


def test_who_said_a_panelists_words_is_answered_with_her_label(real_index: RealIndex) -> None:
    question = "Who said Beijing's unwillingness to revive communications channels stems from its approach to crisis?"
    answer = real_index.assistant.ask(question).to_dict()

    assert answer["citations"][0]["quote"].startswith("Beijing’s unwillingness to revive")
    assert answer["citations"][1]["quote"] == "Stephenson"
    assert_citations_hold(answer, real_index.docs_dir)


def test_a_panelist_asked_about_what_she_never_spoke_of_is_not_given_someone_elses_words(
    real_index: RealIndex,
) -> None:
    answer = real_index.assistant.ask("What did McFarland say about the spy balloon?")

    # The seeds speak of the balloon, in other articles: quoting them would put the words in her mouth.
    assert not answer.answerable and answer.answer.startswith("McFarland says nothing about “the spy balloon”")


@pytest.mark.parametrize(
    ("question", "someone", "topic"),
    [
        ("What did Qin Gang say about the balloon?", "Qin Gang", "the balloon"),
        ("What did Blinken say about human rights?", "Blinken", "human rights"),
    ],
)
def test_someone_never_named_near_where_the_seeds_speak_of_a_topic_is_not_given_others_words_on_it(
    real_index: RealIndex, question: str, someone: str, topic: str
) -> None:
    answer = real_index.assistant.ask(question)

    # The seeds speak of the balloon and of human rights, never within a paragraph or so of naming them.
    assert not answer.answerable and answer.citations == []
    assert answer.answer.startswith(f"The documents never speak of “{topic}” near a mention of {someone}")


@pytest.mark.parametrize(
    ("question", "answered_with"),
    [
        ("What did Blinken say about Taiwan during his visit?", "One China"),
        # "... cause instability." ends a passage; "As Singapore Foreign Minister Vivian Balakrishnan explained, ..."
        # opens the next, two sentences on.
        ("What did Balakrishnan say about instability?", "self-fulfilling prophecy"),
    ],
)
def test_someone_named_near_where_the_seeds_speak_of_the_topic_is_answered(
    real_index: RealIndex, question: str, answered_with: str
) -> None:
    answer = real_index.assistant.ask(question).to_dict()

    assert answer["answerable"] and answered_with in answer["answer"]
    assert_citations_hold(answer, real_index.docs_dir)


def test_a_chat_asking_for_more_gets_new_quotes_and_going_on_continues_the_text(real_index: RealIndex) -> None:
    assistant, wang = real_index.assistant, "What did Wang Yi ask the United States to stop doing?"
    first = assistant.ask(wang)
    history = [{"role": "user", "content": wang}, {"role": "assistant", "content": first.answer}]

    more = assistant.ask("What else did he say?", history)
    history += [{"role": "user", "content": "What else did he say?"}, {"role": "assistant", "content": more.answer}]
    going_on = assistant.ask("Tell me more", history)

    assert more.answerable and not {c.quote for c in first.citations} & {c.quote for c in more.citations}
    after, last = going_on.citations[0], more.citations[0]
    assert after.source == last.source and after.start >= last.end
    assert_citations_hold(going_on.to_dict(), real_index.settings.docs_dir)


@pytest.mark.parametrize(
    "question", ["Who is Kurt Campbell?", "who is kurt campbell", "What does Kurt Campbell think?"]
)
def test_who_is_a_person_the_documents_name_is_answered_with_a_sentence_naming_them(
    real_index: RealIndex, question: str
) -> None:
    # MiniLM puts "Who is Kurt Campbell?" far from any sentence about him (cosine 0.08 with the best one), and
    # "What does Kurt Campbell think?" too (0.16).
    answer = real_index.assistant.ask(question)

    assert answer.answerable
    assert "Indo-Pacific Coordinator Kurt Campbell" in answer.citations[0].quote


def test_what_the_documents_only_expect_is_not_told_as_what_happened(real_index: RealIndex) -> None:
    # The articles were written before the San Francisco summit: they speak of "a potential meeting" there.
    expected = real_index.assistant.ask("Did Biden and Xi end up meeting in San Francisco?")
    happened = real_index.assistant.ask("Where did Xi and Biden meet in November 2022?")

    assert not expected.answerable and expected.answer == NOT_YET and not expected.citations
    assert happened.answerable and "Bali" in happened.citations[0].quote  # not the sentence about San Francisco
    assert "San Francisco" not in happened.citations[0].quote


def test_a_question_about_a_plan_or_what_was_said_is_not_declined_as_still_to_come(real_index: RealIndex) -> None:
    assistant, remark = real_index.assistant, "How did China react to Biden's dictator remark?"
    plan = assistant.ask("What did Raimondo plan to do?")
    history = history_after(assistant, remark)
    said = assistant.ask("What did the White House say?", history)

    # "What did ... do?" asks about something that happened, but the plan is what is asked about; and what the White
    # House said is what it said, "it will not retract the statement" too.
    assert plan.answerable and "Raimondo is also expected to visit China" in plan.citations[0].quote
    assert said.answerable and "The White House, in turn, indicated it will not retract" in said.citations[0].quote


def test_a_chat_never_shows_a_quote_it_has_shown_before(real_index: RealIndex) -> None:
    history: list[dict[str, str]] = []
    shown: list[str] = []
    for question in [
        "According to the LA Times piece, what do US officials accuse China of?",
        "Why?",
        "What else does that article say?",
    ]:
        answer = real_index.assistant.ask(question, history)
        quotes = [citation.quote for citation in answer.citations]

        assert answer.answerable and not any(quote in earlier for quote in quotes for earlier in shown), question
        shown += quotes
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer.answer}]


def test_a_question_across_the_documents_quotes_three_of_them(real_index: RealIndex) -> None:
    answer = real_index.assistant.ask("What do the articles say about Taiwan?").to_dict()

    sources = [citation["source"] for citation in answer["citations"]]
    assert len(sources) == 3 and len(set(sources)) == 3
    assert all("Taiwan" in citation["quote"] for citation in answer["citations"])
    assert_citations_hold(answer, real_index.docs_dir)


def test_a_question_about_one_document_is_answered_from_it(real_index: RealIndex) -> None:
    question = "What do U.S. officials accuse China of, according to the LA Times article?"
    answer = real_index.assistant.ask(question).to_dict()

    assert {passage["source"] for passage in answer["passages"]} == {"003_d94c39d90b50c062.txt"}
    assert "China has bullied its smaller neighbors" in answer["citations"][0]["quote"]
    assert_citations_hold(answer, real_index.docs_dir)


def test_the_words_pointing_at_a_document_do_not_choose_its_sentences(real_index: RealIndex) -> None:
    question = (
        "According to the Los Angeles Times article, what issues had the two countries been fighting over for months "
        "before the trip?"
    )
    answer = real_index.assistant.ask(question).to_dict()

    # Before, "This story originally appeared in the Los Angeles Times." was the best sentence by its words, far from
    # the question in meaning, and the question was declined.
    assert answer["answerable"]
    assert "at odds over a variety of issues" in answer["passages"][0]["text"]
    assert not any("originally appeared" in citation["quote"] for citation in answer["citations"])
    assert_citations_hold(answer, real_index.docs_dir)


def test_the_words_pointing_at_a_document_do_not_pull_the_answer_to_the_line_naming_it(real_index: RealIndex) -> None:
    answer = real_index.assistant.ask("What does the LA Times piece say about military talks?").to_dict()

    first = answer["citations"][0]
    assert first["source"] == "003_d94c39d90b50c062.txt"
    assert "Los Angeles Times" not in first["quote"]  # "This story originally appeared in the Los Angeles Times."
    assert "talk" in first["quote"] or "military" in first["quote"]
    assert_citations_hold(answer, real_index.docs_dir)


# Floors a little under the README's figures (one or two questions of slack): recall@1, recall@5, first quote
# holds the gold, unanswerable questions abstained; and a ceiling on answerable ones wrongly abstained (the issue's
# aim, 1 in 20, unless said).
QUALITY_FLOORS = {
    "questions.jsonl": (0.8, 0.95, 0.72, 0.7),
    "heldout.jsonl": (0.78, 0.9, 0.7, 0.6),
    "fresh.jsonl": (0.45, 0.75, 0.3, 0.4),
    "natural.jsonl": (0.75, 0.95, 0.75, 0.2),
    "blind.jsonl": (0.8, 0.88, 0.75, 0.4),
    "blind-2.jsonl": (0.72, 0.93, 0.7, 0.55, 0.07),  # 2 of 33 wrongly abstained: above the aim of 1 in 20
    "near_miss.jsonl": (0.8, 0.93, 0.8, 0.37),
    "dev-3.jsonl": (0.72, 0.93, 0.7, 0.7),
    "dev-4.jsonl": (0.78, 0.92, 0.74, 0.14),
}


@pytest.mark.parametrize("question_set", list(QUALITY_FLOORS))
def test_quality_does_not_fall_below_the_figures_in_the_readme(real_index: RealIndex, question_set: str) -> None:
    """A guard against regressions."""
    metrics = evaluate(real_index.assistant, load_question_set(ROOT / "eval" / question_set)).metrics
    assert_above_floors(metrics, *QUALITY_FLOORS[question_set])


# The same, for the sets about ten documents of other kinds each (a council report, a manual, a recipe, an
# interview, a README, ...).
GENRE_FLOORS = {
    "genres": (0.8, 0.95, 0.72, 0.3),
    "genres-2": (0.7, 0.95, 0.55, 0.3),
    "genres-3": (0.55, 0.95, 0.35, 0.1, 0.1),  # new on 2026-12-07: 3 of 40 wrongly abstained
    "genres-heldout": (0.75, 0.95, 0.62, 0.1),
}


@pytest.mark.parametrize("question_set", list(GENRE_FLOORS))
def test_quality_on_documents_of_other_kinds_does_not_fall_below_the_figures_in_the_readme(
    real_embedder: object, tmp_path: Path, question_set: str
) -> None:
    folder = ROOT / "eval" / question_set
    assistant = Assistant(Settings(docs_dir=folder / "docs", index_dir=tmp_path / "index"), embedder=real_embedder)
    assistant.index()
    metrics = evaluate(assistant, load_question_set(folder / "questions.jsonl")).metrics
    assistant.close()

    assert_above_floors(metrics, *GENRE_FLOORS[question_set])


def assert_above_floors(
    metrics: dict[str, float],
    recall_at_1: float,
    recall_at_5: float,
    first_quote: float,
    abstained: float,
    wrongly_abstained: float = 0.05,
) -> None:

    assert metrics["citation_validity"] == 1.0
    assert metrics["recall@1"] >= recall_at_1
    assert metrics["recall@5"] >= recall_at_5
    assert metrics["first_quote_has_gold"] >= first_quote
    assert metrics["unanswerable_abstained"] >= abstained
    assert metrics["answerable_wrongly_abstained"] <= wrongly_abstained


ARCHIVER_NEWS = """GNU arc NEWS - User visible changes.

version 1.32 - Ann Archer, 2019-02-23

* Fix the use of --checkpoint without an explicit --checkpoint-action

* Fix a possible NULL dereference (savannah bug #55369)


version 1.31 - Ann Archer, 2019-01-02

* Support for zstd compression

New option '--zstd' instructs arc to use zstd as the compression program.
Archives compressed with zstd are recognized automatically when listing.

* Fix CVE-2018-20482

When creating archives with the --sparse option, previous versions of
arc would loop endlessly if a sparse file had been truncated while
being archived.


version 1.30 - Ann Archer, 2017-12-17

* Member names containing '..' components are now skipped when extracting.

* Sparse files

Previous versions of arc would store sparse files whole when creating
archives; this version fixes that and stores only their data.
"""
RELEASE_131 = "version 1.31 - Ann Archer, 2019-01-02"


@pytest.mark.parametrize(
    ("question", "release", "item"),
    [
        ("Which arc version fixed CVE-2018-20482?", RELEASE_131, "sparse file"),
        ("When was support for zstd compression added?", RELEASE_131, "zstd"),
        ("What happens to member names with '..' components?", None, "now skipped when extracting"),
    ],
)
def test_a_question_asking_which_release_is_answered_with_the_release_heading_of_a_news_file(
    real_embedder: object, tmp_path: Path, question: str, release: str | None, item: str
) -> None:
    answer = answer_over(tmp_path, {"NEWS.txt": ARCHIVER_NEWS}, real_embedder, question)
    quotes = [citation["quote"] for citation in answer["citations"]]

    # The item names no release: the line it is listed under does, quoted first when the question asks for it.
    assert answer["answerable"]
    if release:
        assert quotes[0] == release and item in quotes[1], quotes
    else:
        assert item in quotes[0] and not any(quote.startswith("version") for quote in quotes), quotes


TIDYUP = """# tidyup

Tidyup sorts the files of a folder into subfolders by type.

## Options

- `-n`, `--dry-run`: Show what would move, and move nothing.
- `-q`, `--quiet`: Print nothing except errors.
"""


def test_an_option_the_documents_name_is_what_is_asked_about_whatever_they_call_it(
    real_embedder: object, tmp_path: Path
) -> None:
    assistant, docs = indexed_folder(tmp_path, {"tidyup.md": TIDYUP}, real_embedder)

    answer = assistant.ask("What does the -q flag do?").to_dict()  # "flag" is a word the documents never use
    assistant.close()

    assert answer["answerable"] and answer["citations"][0]["quote"] == "`-q`, `--quiet`: Print nothing except errors."
    assert_citations_hold(answer, docs)


def test_an_abbreviation_the_documents_never_use_is_no_reason_to_decline_when_a_sentence_is_close(
    real_embedder: object, tmp_path: Path
) -> None:
    biography = "Helena Marsh earned her doctorate in Bristol. Her thesis was about cold-water sponges.\n"
    assistant, docs = indexed_folder(tmp_path, {"marsh.md": biography}, real_embedder)

    phd = assistant.ask("What was Helena Marsh's PhD about?").to_dict()
    nato = assistant.ask("What did NATO say about the sponges in the Arctic?").to_dict()
    assistant.close()

    assert phd["answerable"], phd["answer"]
    assert not nato["answerable"] and nato["answer"].startswith("The documents never mention “NATO”")


ISLAND_GUIDE = """# Getting to Tarrow

Tarrow is a small island of about 900 people lying off the north coast, known for its cliffs and puffins.

## The ferry

The Tarrow ferry sails from the harbour at Keelan. There are two sailings a day in summer, and the crossing takes \
about 45 minutes. The ferry company was founded in 1962 by three brothers from Keelan.

Tarrow is only 6 kilometres long, so most visitors leave the car behind. A return ticket costs €18 for adults.
"""


def test_a_quantity_question_is_answered_by_a_close_sentence_giving_that_kind_of_figure(
    real_embedder: object, tmp_path: Path
) -> None:
    assistant, docs = indexed_folder(tmp_path, {"tarrow.md": ISLAND_GUIDE}, real_embedder)

    trip = assistant.ask("How long is the boat trip over to Tarrow?").to_dict()
    people = assistant.ask("How many people live on Tarrow?").to_dict()
    passengers = assistant.ask("How many passengers does the Tarrow ferry carry?").to_dict()
    assistant.close()

    # "Tarrow is only 6 kilometres long" is the best sentence, but "How long is the trip?" asks for a time.
    assert trip["answerable"], trip
    assert "the crossing takes about 45 minutes" in trip["citations"][0]["quote"], trip
    assert "6 kilometres" not in trip["citations"][0]["quote"], trip
    assert people["answerable"] and "about 900 people" in people["citations"][0]["quote"], people
    # The closest sentence gives no number; those that do ("6 kilometres", "three brothers") count other things.
    assert not passengers["answerable"], passengers
    assert_citations_hold(trip, docs)
    assert_citations_hold(people, docs)


def eval_document(question_set: str, name: str) -> str:
    """A document of one of the genre question sets (eval/genres/docs, ...), to ask about on its own."""
    return (ROOT / "eval" / question_set / "docs" / name).read_text(encoding="utf-8")


def test_by_how_long_asks_for_the_length_of_a_delay(real_index: RealIndex) -> None:
    answer = real_index.assistant.ask("why'd blinken's beijing trip get pushed back, and by how long?").to_dict()

    # Before, "Set upon the backdrop of meetings that failed to happen recently — ..." came first ("the two").
    assert answer["answerable"] and "delayed nearly five months" in answer["citations"][0]["quote"], answer
    assert_citations_hold(answer, real_index.docs_dir)


MARKET = """# Saturday market

The market opens at eight on the church square. The pear stall stands by the fountain, and its pears come from \
Lindel orchard.

The pear costs four euros a kilo this week. Apples are cheaper.
"""


def test_a_price_written_in_words_answers_how_much_it_costs(real_embedder: object, tmp_path: Path) -> None:
    assistant, docs = indexed_folder(tmp_path, {"market.md": MARKET}, real_embedder)

    answer = assistant.ask("How much does a pear cost?").to_dict()
    assistant.close()

    # Before, it was declined: "four euros" was no price, only "4 euros" was.
    assert answer["answerable"] and "four euros a kilo" in answer["citations"][0]["quote"], answer
    assert_citations_hold(answer, docs)


def test_what_was_decided_is_answered_by_the_sentence_telling_the_outcome(
    real_embedder: object, tmp_path: Path
) -> None:
    report = eval_document("genres", "council_meeting.txt")
    decided = answer_over(tmp_path, {"council.txt": report}, real_embedder, "What did the council decide?")

    # Before, "The next council meeting is scheduled for April 9 at 7 p.m." came first.
    assert "councillors approved the plan by a vote of 5 to 2" in decided["citations"][0]["quote"], decided


def test_how_to_do_something_is_answered_by_the_section_headed_by_the_doing(
    real_embedder: object, tmp_path: Path
) -> None:
    files = {name: eval_document("genres", name) for name in ("logsift_README.md", "smoked_haddock_chowder.md")}
    assistant, docs = indexed_folder(tmp_path, files, real_embedder)

    install = assistant.ask("How do I install logsift?").to_dict()
    cook = assistant.ask("How do I make the chowder?").to_dict()
    assistant.close()

    # Before, "logsift accepts one or more files. ..." and a note on dyed haddock: the one-word headings
    # ("## Installation", "## Method") are far from the questions in meaning.
    assert "pip install logsift" in install["citations"][0]["quote"], install
    assert cook["citations"][0]["quote"].startswith("Put the smoked haddock in a wide pan"), cook
    for answer in (install, cook):
        assert_citations_hold(answer, docs)


def test_what_changed_in_a_release_quotes_the_notes_under_its_heading(real_embedder: object, tmp_path: Path) -> None:
    changelog = eval_document("genres-2", "loomcsv_CHANGELOG.md")
    assistant, docs = indexed_folder(tmp_path, {"loomcsv_CHANGELOG.md": changelog}, real_embedder)

    fixed = assistant.ask("What was fixed in 3.0.2?").to_dict()
    new = assistant.ask("What's new in loomcsv 3.1.0?").to_dict()
    assistant.close()

    # Before, "The leak was introduced in 3.0.0 and affected all platforms." for both: a sentence naming a version.
    assert fixed["citations"][0]["quote"].startswith("Fixed a memory leak in the streaming writer"), fixed
    assert "Corrected the type hints" in fixed["citations"][0]["quote"]
    release = range(changelog.index("## [3.1.0]"), changelog.index("## [3.0.2]"))
    assert new["citations"][0]["quote"].startswith("New `sniff_dialect()` function"), new
    assert all(citation["start"] in release for citation in new["citations"])
    for answer in (fixed, new):
        assert_citations_hold(answer, docs)


REMOTE_WORK_POLICY = """# Remote work policy

## 1. Eligibility

1.1 Employees who have completed their six-month probation may work remotely up to three days a week.

## 2. Working abroad

2.1 Working from another country is allowed for up to 20 working days a year, with written approval from HR.
"""


def test_a_place_the_asker_would_work_from_is_their_circumstance(real_embedder: object, tmp_path: Path) -> None:
    spain = answer_over(
        tmp_path, {"policy.md": REMOTE_WORK_POLICY}, real_embedder, "Can I work from Spain for a month?"
    )

    # Before: "The documents never mention “Spain”, so they do not answer this question."
    assert spain["answerable"], spain
    assert any("Working from another country" in citation["quote"] for citation in spain["citations"]), spain


def test_what_options_a_tool_has_is_answered_by_the_table_under_its_heading(
    real_embedder: object, tmp_path: Path
) -> None:
    readme = eval_document("genres", "logsift_README.md")
    assistant, docs = indexed_folder(tmp_path, {"logsift_README.md": readme}, real_embedder)

    options = assistant.ask("What options does logsift have?").to_dict()
    listed = assistant.ask("What are the options?").to_dict()
    assistant.close()

    # Before, "logsift accepts one or more files. ..." and one row of the table: "## Options" holds no statement.
    for answer in (options, listed):
        assert answer["citations"][0]["quote"].startswith("| Option | Description |\n|---|---|\n| `-p, --pattern"), (
            answer
        )
        assert_citations_hold(answer, docs)


OFFICE_MOVE_EMAIL = """From: Dana Whitfield
To: Facilities team
Subject: Office move on 3 May

The move to the new office at 14 Harbour Street will happen on Saturday 3 May. Please pack your desks by Thursday.
"""


def test_who_sent_an_email_is_its_from_line(real_embedder: object, tmp_path: Path) -> None:
    files = {"email.txt": OFFICE_MOVE_EMAIL, "policy.md": REMOTE_WORK_POLICY}
    sender = answer_over(tmp_path, files, real_embedder, "Who sent the email?")

    # Before: "The documents never mention “sent”"; and "Who wrote the email?" said it had no byline.
    assert sender["answerable"] and sender["answer"] == "“From: Dana Whitfield” [1]", sender


def test_where_a_place_is_is_answered_by_the_sentence_saying_where_it_lies(
    real_embedder: object, tmp_path: Path
) -> None:
    guide = eval_document("genres", "carrowmere_travel_guide.md")
    where = answer_over(tmp_path, {"carrowmere.md": guide}, real_embedder, "Where is Carrowmere?")

    # Before, "Carrowmere has one ATM, inside the supermarket in Ballykeel, ...": it named a place after "in".
    assert where["citations"][0]["quote"].startswith("Carrowmere is a small island of about 2,300 people lying"), where


def test_who_a_guest_is_is_answered_by_the_transcripts_header(real_embedder: object, tmp_path: Path) -> None:
    transcript = eval_document("genres", "hollow_oak_interview.txt")
    who = answer_over(tmp_path, {"interview.txt": transcript}, real_embedder, "Who is Owen Trask?")

    # Before, "PETTS: Owen Trask, thank you very much.": the header is no statement, so it ranked last.
    assert who["citations"][0]["quote"].startswith("Guest: Owen Trask, founder of Hollow Oak Cider"), who


RADIO_TRANSCRIPT = """TRANSCRIPT: "Town Talk", Episode 7
Broadcast on Harbour FM, 3 June 2024
Host: Mira Oakes
Guest: Daniel Frey, owner of Frey's Bakery

OAKES: Daniel, welcome to the show. Let's go back to the start.

FREY: Thanks, Mira. I worked as an electrician for twelve years, and I opened the bakery in 2015. My grandmother \
taught me to bake bread when I was a boy.

OAKES: What sells best?

FREY: The rye loaf, by far. We bake two hundred of them every Saturday.
"""


def test_a_line_of_a_transcripts_header_is_no_heading_whose_section_answers(
    real_embedder: object, tmp_path: Path
) -> None:
    assistant, docs = indexed_folder(tmp_path, {"town_talk.txt": RADIO_TRANSCRIPT}, real_embedder)

    answer = assistant.ask("What did Daniel Frey work as before he opened the bakery?").to_dict()
    assistant.close()

    # "Guest: Daniel Frey, owner of Frey's Bakery" is closest in meaning; what follows it is no section of it.
    first = answer["citations"][0]["quote"]
    assert answer["answerable"] and "electrician" in first and "welcome" not in first, answer
    assert_citations_hold(answer, docs)


LAB_PROTOCOL = """# Protocol LP-7: Lowry protein assay

## Safety and waste

Lowry reagent C contains copper sulphate and sodium hydroxide, so wear gloves and eye protection when handling it. \
Collect used reagent and the contents of the cuvettes in the labelled waste bottle in the fume cupboard. Waste \
reagent must never be poured down the sink. The bottle is emptied by the safety officer every Friday.
"""


def test_the_first_quote_is_close_to_what_the_question_asks_of_the_names_it_holds(
    real_embedder: object, tmp_path: Path
) -> None:
    assistant, docs = indexed_folder(tmp_path, {"protocol.md": LAB_PROTOCOL}, real_embedder)

    answer = assistant.ask("Can leftover Lowry reagent go down the drain?").to_dict()
    assistant.close()

    # The paragraph's opening sentence names "Lowry reagent" too, but says nothing of drains.
    assert answer["citations"][0]["quote"].startswith("Waste reagent must never be poured down the sink."), answer
    assert_citations_hold(answer, docs)


TRAVEL_POLICY = """# Travel and expenses at Fenwick Surveys

Book rail travel through the travel desk at least a week ahead where you can. Standard class is the rule for \
journeys under three hours.

When staying away overnight, hotel costs are capped at £150 per night in London and £95 per night elsewhere in \
the UK. Breakfast is included in the cap; other meals are claimed separately, up to £30 a day.
"""


def test_a_place_the_asker_is_going_to_is_their_circumstance_not_what_is_asked(
    real_embedder: object, tmp_path: Path
) -> None:
    assistant, docs = indexed_folder(tmp_path, {"travel.md": TRAVEL_POLICY}, real_embedder)

    asked = "What is the most Fenwick will pay for a hotel night when I travel to Leeds for work?"
    answer = assistant.ask(asked).to_dict()
    declined = assistant.ask("How much does a hotel night in Leeds cost Fenwick?").to_dict()
    assistant.close()

    # Before, the question was declined because the policy never mentions Leeds.
    assert answer["answerable"] and "£95 per night elsewhere in the UK" in answer["citations"][0]["quote"], answer
    assert_citations_hold(answer, docs)
    assert not declined["answerable"] and "never mention “Leeds”" in declined["answer"]


BIN_NOTICE = """# Changes to bin collections in Ashwell

From next month, general waste in Ashwell is collected on Tuesday instead of Friday. Recycling stays on the same \
fortnightly round.

The council expected the new round to cut the cost of collections sharply. In its first year it saved very little, \
because the lorries still had to cross the bypass twice a day.
"""


def test_a_day_of_the_week_answers_what_day_and_words_answer_how_much_it_did(
    real_embedder: object, tmp_path: Path
) -> None:
    assistant, docs = indexed_folder(tmp_path, {"bins.md": BIN_NOTICE}, real_embedder)

    day = assistant.ask("What day is general waste collected in Ashwell now?").to_dict()
    degree = assistant.ask("How much did the new round save the council?").to_dict()
    assistant.close()

    # Before, both were declined: no month or year in the one, no figure in the other.
    assert day["answerable"] and "collected on Tuesday" in day["citations"][0]["quote"], day
    assert degree["answerable"] and "saved very little" in degree["citations"][0]["quote"], degree
    for answer in (day, degree):
        assert_citations_hold(answer, docs)


CIDER_FARM = """# Visiting Appleworth Cider Farm

The farm shop opens from Wednesday to Sunday. Our medium dry perry won a silver medal at the county show in 2023, \
and our bottles are sold in delis across the county.

Guided tasting tours run every Saturday at 2pm. A tour costs £15 a head and ends with five ciders in the barn.
"""


def test_what_something_sells_for_and_how_much_a_thing_is_ask_for_a_price(
    real_embedder: object, tmp_path: Path
) -> None:
    assistant, docs = indexed_folder(tmp_path, {"farm.md": CIDER_FARM}, real_embedder)

    never_given = assistant.ask("What does a bottle of the medium dry perry sell for?").to_dict()
    given = assistant.ask("How much is a tasting tour at Appleworth?").to_dict()
    assistant.close()

    # Before, "sell for" asked for no price, and the medal was quoted.
    assert not never_given["answerable"], never_given
    assert given["answerable"] and "A tour costs £15 a head" in given["citations"][0]["quote"], given
    assert_citations_hold(given, docs)


ITINERARY = """# Iceland in Winter: 6-day itinerary

Booking reference: NQ-48213. Travellers: Sam and Leonie Abara.

| Day | Date | Plan | Overnight |
|---|---|---|---|
| 1 | Mon 9 Feb | Arrive Keflavík 14:05 on FI 451; pick up rental car (Hertz desk, hall 2) | Hotel Klettur, Reykjavík |
| 2 | Tue 10 Feb | Golden Circle: Þingvellir, Geysir, Gullfoss | Hotel Klettur, Reykjavík |
| 3 | Wed 11 Feb | Drive south to Vík; stop at Seljalandsfoss and Skógafoss | Black Beach Suites, Vík |
| 4 | Thu 12 Feb | Glacier hike on Sólheimajökull, 10:00, meet at the car park | Black Beach Suites, Vík |
| 5 | Fri 13 Feb | Drive back to Reykjavík; Sky Lagoon at 18:00 | Hotel Klettur, Reykjavík |
| 6 | Sat 14 Feb | Return car by 09:00; depart Keflavík 11:10 on FI 450 | — |

## Notes

- The glacier hike includes crampons and helmets. Bring waterproof trousers; jeans are not allowed.
- The rental car is a 4x4 Dacia Duster with studded tyres. Fuel policy: return full.
- Sky Lagoon tickets are already paid; show the QR code at the entrance.
"""


@pytest.mark.parametrize(
    ("question", "row"),
    [
        ("Where do we stay on day 3?", "| 3 | Wed 11 Feb |"),
        ("When do we return the car?", "| 6 | Sat 14 Feb |"),
        ("What time is the Sky Lagoon?", "| 5 | Fri 13 Feb |"),
        ("When is the glacier hike?", "| 4 | Thu 12 Feb |"),
    ],
)
def test_a_row_of_a_table_answers_what_its_columns_say(
    real_embedder: object, tmp_path: Path, question: str, row: str
) -> None:
    answer = answer_over(tmp_path, {"itinerary.md": ITINERARY}, real_embedder, question)

    # Before, a table's row was no statement: "Where ... day 3?" was declined, and the others quoted a note ("Fuel
    # policy: return full.", "Sky Lagoon tickets are already paid; ...", "The glacier hike includes crampons ...").
    assert answer["answerable"] and answer["citations"][0]["quote"].startswith(row), answer


GAME_RULES = """# Lanternfall: rules

## Setup

Give each player 3 gold coins. Put the remaining coins in a pile within reach of everyone; this is the bank.
Shuffle the lantern cards and deal 5 to each player.
"""


def test_money_in_a_games_coins_answers_how_much_money(real_embedder: object, tmp_path: Path) -> None:
    question = "How much money does each player start with?"
    answer = answer_over(tmp_path, {"rules.md": GAME_RULES}, real_embedder, question)

    # Before, it was declined: "3 gold coins" was no amount of money.
    assert answer["answerable"] and answer["citations"][0]["quote"].startswith("Give each player 3 gold coins."), answer


NAP_STUDY = """# Short naps and word recall in older adults: a randomised trial

**Authors:** Ines Corvallo, Dmitri Haskel, Yuna Okabe

## Abstract

We tested whether a 20-minute afternoon nap improves recall of word lists in adults aged 65 to 80. Participants who
napped recalled on average 23.4 words, against 19.1 words for those who stayed awake.

## Limitations

The study lasted a single afternoon, so it cannot say whether daily naps have lasting effects.
"""
PRESS_RELEASE = """FOR IMMEDIATE RELEASE

Halverson Foods to close Dunmore plant, moving production to Ashby

DUNMORE, 3 November 2025 — Halverson Foods announced today that it will close its Dunmore biscuit plant by the end of \
June 2026 and move production to its larger site in Ashby, 60 miles away.

"This was a difficult decision," said chief executive Marta Kowalczyk. "The Dunmore building is more than eighty \
years old."

The union representing Dunmore workers, Unite, said it was "deeply disappointed".
"""


def test_a_document_named_by_its_kind_a_bold_authors_field_and_an_abbreviation_are_understood(
    real_embedder: object, tmp_path: Path
) -> None:
    files = {"study_naps_and_recall.md": NAP_STUDY, "press_release.txt": PRESS_RELEASE, "itinerary.md": ITINERARY}
    assistant, docs = indexed_folder(tmp_path, files, real_embedder)

    summary = assistant.ask("Summarise the study").to_dict()
    release = assistant.ask("What does the press release say?").to_dict()
    authors = assistant.ask("Who wrote the paper?").to_dict()
    chief = assistant.ask("Who is the CEO of Halverson?").to_dict()
    assistant.close()

    # Before: the study's limitations were quoted, the press release's question declined ("the press release" named
    # no document), "No document has a byline", and "never mention “CEO”".
    assert summary["citations"][0]["quote"].startswith("We tested whether a 20-minute afternoon nap"), summary
    assert release["answerable"] and release["citations"][0]["quote"].startswith("DUNMORE, 3 November 2025"), release
    assert authors["citations"][0]["quote"] == "**Authors:** Ines Corvallo, Dmitri Haskel, Yuna Okabe", authors
    assert chief["standalone_question"] == "Who is the chief executive of Halverson?"
    assert "said chief executive Marta Kowalczyk" in chief["citations"][0]["quote"], chief
    for answer in (summary, release, authors, chief):
        assert_citations_hold(answer, docs)


@pytest.mark.parametrize(
    ("document", "history", "question", "quote"),
    [
        (
            "match_report_ferrybridge_aldmoor.txt",
            ["Who got the winning goal for Ferrybridge?", "Luca Marsh, a minute from time."],
            "What did his boss say about him afterwards?",
            '"Luca has been working on his finishing',
        ),
        (
            "medication_leaflet_calmirex.txt",
            ["What's the normal adult dose of Calmirex?", "One 10 mg tablet once a day."],
            "what if my kidneys are only moderately impaired?",
            "People with moderate kidney problems",
        ),
    ],
)
def test_a_follow_up_asking_what_someone_close_said_or_what_if_is_answered(
    real_embedder: object, tmp_path: Path, document: str, history: list[str], question: str, quote: str
) -> None:
    assistant, docs = indexed_folder(tmp_path, {document: eval_document("genres-3", document)}, real_embedder)
    turns = [{"role": "user", "content": history[0]}, {"role": "assistant", "content": history[1]}]

    answer = assistant.ask(question, turns).to_dict()
    assistant.close()

    # Before: "The documents never speak of “Luca Marsh afterwards” near a mention of Luca Marsh" (his boss's words
    # were taken for his own, "afterwards" for part of the topic); "what if ...?" was asked as if alone.
    assert answer["answerable"] and quote in answer["citations"][0]["quote"], answer
    assert_citations_hold(answer, docs)


PENSION_QA = """Questions and answers: the Greystone staff pension scheme

Q: Who can join the scheme?
A: All employees aged 22 or over who earn more than £10,000 a year are enrolled automatically after three \
months of service. Others may ask to join.

Q: How much do I pay in?
A: You pay 5% of your salary. Greystone pays 8%, so 13% in total goes into your pension pot each month.

Q: Can I opt out?
A: Yes. You can opt out within one month of being enrolled and get back anything you have paid. After that \
you can stop paying in, but your pot stays invested until you retire.

Q: When can I take my pension?
A: From age 57 at the earliest. Up to 25% of your pot can be taken as a tax-free lump sum.

Q: What happens if I leave Greystone?
A: Your pot is yours. You can leave it invested or move it to another scheme.

Q: Who runs the scheme?
A: The scheme is run by Castlegate Trustees Ltd. Contact them on 0800 555 0199 or at pensions@castlegate.example.
"""


@pytest.mark.parametrize(
    ("question", "answer_start"),
    [
        ("Can I opt out of the pension?", "A: Yes. You can opt out within one month"),
        ("What percentage of my salary goes to the pension?", "A: You pay 5% of your salary."),
    ],
)
def test_a_faq_question_in_other_words_finds_the_faqs_question_read_with_its_answer(
    real_embedder: object, tmp_path: Path, question: str, answer_start: str
) -> None:
    answer = answer_over(tmp_path, {"pension_qa.txt": PENSION_QA}, real_embedder, question)

    # Before, both quoted "A: From age 57 at the earliest. ...": alone, "Q: Can I opt out?" and "Q: How much do I
    # pay in?" say nothing of a pension, and "Q: When can I take my pension?" was closer.
    assert answer["citations"][0]["quote"].startswith(answer_start), answer


VACUUM_SPECS = """# Zephyr X2 cordless vacuum: specifications

The Zephyr X2 is a lightweight stick vacuum for homes up to 150 square metres.

| Specification | Value |
|---|---|
| Weight | 2.4 kg |
| Battery | 25.2 V lithium-ion, removable |
| Run time | up to 55 minutes (eco mode), 12 minutes (boost mode) |
| Charging time | 3.5 hours |
| Bin capacity | 0.6 litres |
| Noise | 78 dB |
| Filter | washable HEPA filter |
| Price | £279 |
| Warranty | 2 years (extendable to 5 years if registered within 28 days) |

## In the box

- Main unit with motorised floor head
- Crevice tool and dusting brush
- Wall-mounted charging dock

## Care

Wash the filter in cold water once a month and let it dry for 24 hours before refitting. Do not use detergent.
Empty the bin after each use.
"""


def test_a_figure_of_the_kind_asked_goes_first_over_a_closer_sentence_with_another_kind(
    real_embedder: object, tmp_path: Path
) -> None:
    files = {"zephyr_x2_specs.md": VACUUM_SPECS, "pension_qa.txt": PENSION_QA}
    heavy = answer_over(tmp_path, files, real_embedder, "How heavy is the Zephyr X2?")

    # Before, "The Zephyr X2 is a lightweight stick vacuum for homes up to 150 square metres.": closer by more than
    # close_margin, and it holds a figure, of an area.
    assert heavy["citations"][0]["quote"] == "| Weight | 2.4 kg |", heavy


COTTAGE_RULES = """# House rules: Willow Cottage, Ambleside

Welcome! Please read these rules before your stay.

## Arrival and departure

- Check-in is from 4 pm. Check-out is by 10 am.
- The key safe is to the left of the front door; the code is sent by text on the morning of arrival.
- Late check-out until 12 noon can be arranged for £25 if no guests arrive that day.

## During your stay

- No smoking anywhere inside the cottage or in the garden.
- Up to two well-behaved dogs are welcome for a fee of £20 per dog per stay. Dogs are not allowed upstairs.
- Quiet hours are from 10 pm to 8 am.
- The Wi-Fi network is WillowGuest and the password is on the fridge.
- Parking is for one car only, in the space marked 3.

## Heating

The wood burner may be used; one basket of logs is provided, and more can be bought from the farm shop for £6.
Never leave the burner unattended.

## Problems

If anything breaks, call Anna Kerr on 07700 900123 between 8 am and 8 pm.
"""


def test_is_there_a_thing_the_documents_never_mention_is_declined_naming_it(
    real_embedder: object, tmp_path: Path
) -> None:
    assistant, docs = indexed_folder(tmp_path, {"house_rules.md": COTTAGE_RULES}, real_embedder)

    gym = assistant.ask("Is there a gym at the cottage?").to_dict()
    parking = assistant.ask("Does the cottage have parking?").to_dict()
    assistant.close()

    # Before, "No smoking anywhere inside the cottage or in the garden." answered the gym: "cottage" is mentioned.
    assert not gym["answerable"] and "never mention “gym”" in gym["answer"], gym
    assert parking["answerable"] and parking["citations"][0]["quote"].startswith("Parking is for one car"), parking
    assert_citations_hold(parking, docs)


BRIDGE_NEWS = """Kelby Bridge to close for six months from March

By Priya Nandakumar, Kelby Courier
12 January 2026

The Kelby Bridge, which carries about 18,000 vehicles a day across the River Aske, will close to traffic for six \
months from 2 March for repairs to its steel bearings, the county council said on Monday.

Engineers found corrosion on four of the bridge's twelve bearings during an inspection in October. "The bridge is \
safe today, but it will not stay safe without this work," said Tom Reddaway, the council's head of highways.

The repairs will cost £7.4 million, of which £5 million comes from a government grant. Pedestrians and cyclists \
will still be able to cross on a temporary walkway on the north side.

A signed diversion through Marston will add about 15 minutes to journeys. Bus route 22 will be diverted, and the \
council will run a free shuttle bus between the two ends of the bridge every 20 minutes from 6 am to 10 pm.

Local businesses on Bridge Street fear a loss of trade. "Half my customers come from across the river," said \
Helen Osei, who runs a bakery near the bridge. The council said it would offer business rate relief of up to \
£3,000 to shops that can show a drop in takings.

The bridge was built in 1936 and last repaired in 1998.
"""
KEY_VALUE_API = """# tidepool API reference

## `tidepool.connect(url, timeout=30, retries=3)`

Opens a connection to a tidepool server and returns a `Client`. `url` is the server's address, such as \
`tp://localhost:7070`. `timeout` is in seconds. If the server does not answer, the call is retried up to \
`retries` times, waiting 2 seconds between tries, and then raises `ConnectionError`.

## `Client.put(key, value, ttl=None)`

Stores `value` under `key`. Keys are strings of at most 256 bytes; values are bytes of at most 1 MB. If `ttl` is \
given, the entry expires after that many seconds. Returns `True` if the key was new and `False` if it replaced a \
value.

## `Client.get(key, default=None)`

Returns the value stored under `key`, or `default` if there is none or it has expired.

## `Client.close()`

Closes the connection. A closed client raises `ClientClosed` on any call. Clients are also closed when used in a \
`with` block.

## Limits

A server accepts at most 1,000 connections. Larger values should be split or stored elsewhere.
"""


@pytest.mark.parametrize(
    ("question", "quote"),
    [
        ("How many cars use the bridge?", "The Kelby Bridge, which carries about 18,000 vehicles a day"),
        ("How old is the bridge?", "The bridge was built in 1936"),
    ],
)
def test_a_count_or_an_age_is_found_in_a_sentence_as_close_as_the_best(
    real_embedder: object, tmp_path: Path, question: str, quote: str
) -> None:
    files = {"news_bridge_closure.txt": BRIDGE_NEWS, "api_reference.md": KEY_VALUE_API}
    answer = answer_over(tmp_path, files, real_embedder, question)

    # Before, "How many cars ...?" was declined: the best sentence held no number, and the one that does was 0.004
    # less close in meaning. "How old ...?" quoted the lead: a year counted no age.
    assert answer["answerable"] and answer["citations"][0]["quote"].startswith(quote), answer


def test_what_a_function_returns_is_answered_by_the_prose_under_its_heading(
    real_embedder: object, tmp_path: Path
) -> None:
    returns = answer_over(tmp_path, {"api_reference.md": KEY_VALUE_API}, real_embedder, "What does Client.put return?")

    # Before, "A closed client raises `ClientClosed` on any call. ...": "return" was taken for part of the name.
    assert "Returns `True` if the key was new" in returns["citations"][0]["quote"], returns


STORAGE_LEAFLET = """HOW TO STORE CALMIREX

Keep this medicine out of the sight and reach of children.

Do not store above 25°C. Keep the tablets in the original package to protect them from moisture.

Do not use Calmirex after the expiry date shown on the carton.
"""


def test_what_temperature_is_answered_by_a_sentence_giving_degrees(real_embedder: object, tmp_path: Path) -> None:
    question = "what temp should calmirex be kept at"
    answer = answer_over(tmp_path, {"leaflet.txt": STORAGE_LEAFLET}, real_embedder, question)

    # Before, "Do not use Calmirex after the expiry date shown on the carton.": a temperature was no kind of figure.
    assert answer["citations"][0]["quote"].startswith("Do not store above 25°C."), answer


def test_a_price_asked_with_a_verb_the_documents_never_use_is_answered(real_embedder: object, tmp_path: Path) -> None:
    notes = (
        ITINERARY
        + "- Total paid so far: 3,860 euros. The balance of 420 euros for the glacier hike is due on arrival.\n"
    )
    answer = answer_over(tmp_path, {"itinerary.md": notes}, real_embedder, "How much do we still owe?")

    # Before: "The documents never mention “still” or “owe”": the verb a price is asked with is no topic.
    assert answer["answerable"] and "The balance of 420 euros" in answer["citations"][0]["quote"], answer


def test_which_things_is_answered_by_the_sentence_announcing_their_list(real_embedder: object, tmp_path: Path) -> None:
    notice = eval_document("genres-3", "product_recall_notice_brightwell_kettle.txt")
    question = "which batch numbers are affected by the brightwell kettle recall"
    answer = answer_over(tmp_path, {"recall_notice.txt": notice}, real_embedder, question)

    # Before, the notice's opening sentence ("Brightwell Home Appliances Ltd is recalling certain batches ..."): the
    # sentence announcing the list with a colon was a little less close.
    first = answer["citations"][0]["quote"]
    assert first.startswith("Only kettles with the following batch codes are affected:") and "L2312B" in first, answer
