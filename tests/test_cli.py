"""The `assistant` command through its real entry point, in subprocesses (slow: most of them load the model)."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import chromadb
import pytest
from conftest import ROOT, RealIndex, assert_citations_hold, read_document, tree_state

from assistant.indexing import check_index
from assistant.store import IndexPaths

pytestmark = pytest.mark.slow

ASSISTANT = Path(sys.executable).with_name("assistant")
ANSWER_KEYS = {"question", "standalone_question", "answer", "answerable", "citations", "passages", "timings_ms"}
AUSTIN = "Who refused to meet Lloyd Austin in Singapore?"


def run_cli(
    *args: str, docs_dir: Path, index_dir: Path, stdin: str | None = None, module: bool = False, **env: str
) -> subprocess.CompletedProcess[str]:
    """`assistant --docs-dir D --index-dir I ARGS...` with no ASSISTANT_* variable from the shell but `env`."""
    command = [sys.executable, "-m", "assistant"] if module else [str(ASSISTANT)]
    clean_env = {key: value for key, value in os.environ.items() if not key.startswith("ASSISTANT_")}
    return subprocess.run(
        [*command, "--docs-dir", str(docs_dir), "--index-dir", str(index_dir), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        env=clean_env | {"HF_HUB_OFFLINE": "1"} | env,
        cwd=ROOT,
        check=False,
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def test_index_prints_a_summary_then_syncs_nothing(tmp_path: Path, real_index: RealIndex) -> None:
    docs_dir = Path(shutil.copytree(real_index.docs_dir, tmp_path / "docs"))
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    shutil.copy2(real_index.index_dir / "embeddings.sqlite", index_dir)  # vectors of the seeds: no re-embedding

    first = ok(run_cli("index", docs_dir=docs_dir, index_dir=index_dir))
    second = json.loads(ok(run_cli("index", "--json", docs_dir=docs_dir, index_dir=index_dir)))
    check = ok(run_cli("index", "--check", docs_dir=docs_dir, index_dir=index_dir))
    full = json.loads(ok(run_cli("index", "--full", "--json", docs_dir=docs_dir, index_dir=index_dir)))

    assert first.startswith("5 documents, ")
    assert "5 added, 0 updated, 0 removed, 0 unchanged; 0 texts embedded in" in first
    assert (second["unchanged"], second["changed"], second["texts_embedded"]) == (5, False, 0)
    assert check.strip() == f"index {second['generation']} is consistent with the documents"
    assert (full["rebuilt"], len(full["added"]), full["texts_embedded"]) == (True, 5, 0)
    assert full["generation"] != second["generation"]


def test_ask_prints_the_quotes_and_the_line_characters_and_title_of_each(real_index: RealIndex) -> None:
    out = ok(run_cli("ask", AUSTIN, docs_dir=real_index.docs_dir, index_dir=real_index.index_dir))

    quote, sources = out.split("\nSources:\n")
    [(source, first_line, start, end, title)] = re.findall(
        r"\[1\] (\S+), line (\d+), characters (\d+)-(\d+)(?: · “(.+)”)?$", sources.splitlines()[0]
    )
    text = read_document(real_index.docs_dir / source)
    assert "Li Shangfu" in quote and text[int(start) : int(end)] in quote
    assert int(first_line) == text.count("\n", 0, int(start)) + 1
    assert title and title == text.splitlines()[0]  # the seeds' headlines stand on their first lines


def test_ask_names_the_section_of_a_markdown_document_each_quote_stands_in(tmp_path: Path) -> None:
    docs_dir, index_dir = tmp_path / "docs", tmp_path / "index"
    docs_dir.mkdir()
    (docs_dir / "CHANGELOG.md").write_text(
        "# Changelog\n\n## Release 2.1.0\n* Add PowerShell support by @alice in #2749\n\n"
        "## Release 2.0.0\n* Drop Python 2 support by @carol in #2100\n",
        encoding="utf-8",
    )
    ok(run_cli("index", docs_dir=docs_dir, index_dir=index_dir))

    out = ok(run_cli("ask", "When was PowerShell support added?", docs_dir=docs_dir, index_dir=index_dir))

    # The release is in the heading, not in the item: the heading is quoted first, and the item's source says which
    # release it stands under.
    assert out.startswith("“Release 2.1.0” [1] “Add PowerShell support by @alice in #2749” [2]")
    assert "[2] CHANGELOG.md, line 4, characters 32-73, in “Release 2.1.0”" in out


def test_chat_answers_a_follow_up_from_the_turn_before_and_new_forgets_it(real_index: RealIndex) -> None:
    turns = f"{AUSTIN}\nWhy was he sanctioned?\n\n/new\nWhy was he sanctioned?\n{'x' * 3000}\n"
    result = run_cli("chat", stdin=turns, docs_dir=real_index.docs_dir, index_dir=real_index.index_dir)

    assert result.returncode == 0, result.stderr
    answers = result.stdout.split("(a new conversation)")
    assert "Li Shangfu refused to meet" in answers[0]
    assert "(understood as: Why was Li Shangfu sanctioned?)" in answers[0]
    assert "under sanctions imposed by Washington in 2018" in answers[0]
    assert "understood as" not in answers[1]  # a new conversation: nobody is "he" any more
    assert "error: the question is 3,000 characters long" in result.stderr  # and the chat goes on to the end


def test_ask_json_prints_the_answer_object(real_index: RealIndex) -> None:
    out = ok(run_cli("ask", AUSTIN, "--json", docs_dir=real_index.docs_dir, index_dir=real_index.index_dir))

    answer = json.loads(out)
    assert set(answer) == ANSWER_KEYS
    assert answer["answerable"] and "Li Shangfu" in answer["citations"][0]["quote"]
    assert_citations_hold(answer, real_index.docs_dir)


def test_ask_batch_answers_each_line_in_order(real_index: RealIndex) -> None:
    first = real_index.assistant.ask(AUSTIN)
    history = [{"role": "user", "content": AUSTIN}, {"role": "assistant", "content": first.answer}]
    lines = [
        {"question": AUSTIN},
        {"question": "Why was he sanctioned?", "history": history},
        {"question": "What is the recipe for banana bread?", "history": []},
    ]
    stdin = "".join(json.dumps(line) + "\n" for line in lines)

    out = ok(run_cli("ask", "--batch", stdin=stdin, docs_dir=real_index.docs_dir, index_dir=real_index.index_dir))

    answers = [json.loads(line) for line in out.splitlines()]
    assert [a["question"] for a in answers] == [line["question"] for line in lines]
    assert all(set(a) == ANSWER_KEYS for a in answers)
    assert answers[0]["citations"] == first.to_dict()["citations"]
    assert "Li Shangfu" in answers[1]["standalone_question"]
    assert "001_88b05ed209d663f4.txt" in {c["source"] for c in answers[1]["citations"]}
    assert [a["answerable"] for a in answers] == [True, True, False]
    for answer in answers:
        assert_citations_hold(answer, real_index.docs_dir)


def test_ask_batch_reports_bad_lines_and_goes_on(real_index: RealIndex) -> None:
    stdin = (
        'not json\n\n{"question": ""}\n["a list"]\n{"question": "Why?", "history": [3]}\n'
        f'{{"question": "{AUSTIN}"}}\n'
    )

    result = run_cli("ask", "--batch", stdin=stdin, docs_dir=real_index.docs_dir, index_dir=real_index.index_dir)

    assert result.returncode == 1
    outputs = [json.loads(line) for line in result.stdout.splitlines()]
    errors = [output["error"] for output in outputs[:4]]
    assert errors[0].startswith("line 1: ")
    assert errors[1].startswith("line 3: the question is empty")
    assert errors[2] == "line 4: each line must be a JSON object with a 'question'"
    assert errors[3].startswith("line 5: message 1 of the history is not like")
    assert len(outputs) == 5 and outputs[4]["answerable"]  # the line after the bad ones is answered
    assert "Traceback" not in result.stderr


def test_retrieve_json_gives_k_passages(real_index: RealIndex) -> None:
    out = ok(
        run_cli("retrieve", AUSTIN, "-k", "3", "--json", docs_dir=real_index.docs_dir, index_dir=real_index.index_dir)
    )

    passages = json.loads(out)
    assert [p["rank"] for p in passages] == [1, 2, 3]
    assert set(passages[0]) == {"rank", "source", "start", "end", "text", "score"}
    assert_citations_hold({"citations": [], "passages": passages}, real_index.docs_dir)


def test_eval_prints_the_metrics(real_index: RealIndex, tmp_path: Path) -> None:
    items = (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines()[:3]
    question_set = tmp_path / "tiny.jsonl"
    question_set.write_text("\n".join(items) + "\n", encoding="utf-8")

    out = ok(run_cli("eval", str(question_set), docs_dir=real_index.docs_dir, index_dir=real_index.index_dir))

    metrics = dict(line.strip().split(": ", 1) for line in out.splitlines())
    assert {"questions", "recall@1", "recall@5", "mrr@10", "citation_validity"} <= set(metrics)
    assert float(metrics["questions"]) == 3
    assert float(metrics["citation_validity"]) == 1.0
    assert float(metrics["recall@5"]) > 0


def test_check_finds_drift_and_repair_rebuilds(real_index: RealIndex, tmp_path: Path) -> None:
    index_dir = Path(shutil.copytree(real_index.index_dir, tmp_path / "index"))
    settings = real_index.settings.model_copy(update={"index_dir": index_dir})
    generation = IndexPaths(index_dir).current_generation()
    client = chromadb.PersistentClient(
        path=str(generation / "chroma"), settings=chromadb.Settings(anonymized_telemetry=False)
    )
    collection = client.get_collection(settings.index_key())
    collection.delete(ids=collection.get(limit=2, include=[])["ids"])
    client.close()

    check = run_cli("index", "--check", docs_dir=real_index.docs_dir, index_dir=index_dir)
    repair = run_cli("index", "--check", "--repair", docs_dir=real_index.docs_dir, index_dir=index_dir)

    assert check.returncode == 1
    assert "drift: 2 chunks recorded in the manifest are missing from Chroma" in check.stdout
    assert ok(repair).splitlines()[-1].startswith("5 documents, ")
    assert "0 texts embedded" in repair.stdout  # the rebuild takes every vector from the cache
    assert check_index(settings).healthy


# --- errors: one line on stderr, exit code 2, no traceback, nothing written ---


def assert_fails_cleanly(result: subprocess.CompletedProcess[str], message: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert message in lines[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask", ""], "the question is empty: ask something about the documents"),
        (["ask", "x" * 100_000], "the question is 100,000 characters long; the limit is 2,000"),
        (["ask", "Who met\x07 Xi\x1b?"], "control characters (U+0007, U+001B): remove them and ask again"),
        (["retrieve", "   ", "-k", "3"], "the question is empty"),
        (["ask"], "give a question, e.g. assistant ask"),
        (["eval", "no-such-file.jsonl"], "cannot read question set 'no-such-file.jsonl'"),
    ],
    ids=["empty", "too-long", "control-characters", "retrieve-empty", "no-question", "missing-question-set"],
)
def test_bad_input_fails_cleanly_and_writes_nothing(real_index: RealIndex, args: list[str], message: str) -> None:
    before = tree_state(real_index.index_dir, real_index.docs_dir)

    result = run_cli(*args, docs_dir=real_index.docs_dir, index_dir=real_index.index_dir)

    assert_fails_cleanly(result, message)
    assert tree_state(real_index.index_dir, real_index.docs_dir) == before


def test_missing_documents_folder(tmp_path: Path) -> None:
    result = run_cli("index", docs_dir=tmp_path / "nowhere", index_dir=tmp_path / "index", module=True)

    assert_fails_cleanly(result, f"documents folder '{tmp_path / 'nowhere'}' does not exist: create it")
    assert not (tmp_path / "index").exists()


def test_documents_folder_without_documents(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / "docs" / "broken.txt").write_bytes(b"\x00\x01binary")

    result = run_cli("index", docs_dir=tmp_path / "docs", index_dir=tmp_path / "index")

    assert_fails_cleanly(result, "no readable .txt or .md files in")
    assert "skipped: broken.txt" in result.stderr
    assert not (tmp_path / "index").exists()


@pytest.mark.parametrize("args", [["ask", AUSTIN], ["index", "--check"]], ids=["ask", "check"])
def test_asking_before_indexing(tmp_path: Path, args: list[str]) -> None:
    index_dir = tmp_path / "index"

    result = run_cli(*args, docs_dir=ROOT / "seeds", index_dir=index_dir)

    assert_fails_cleanly(result, f"no index in '{index_dir}': run `assistant index` to build it")
    assert not index_dir.exists()


def test_an_invalid_setting_in_the_environment(real_index: RealIndex) -> None:
    result = run_cli("ask", AUSTIN, docs_dir=real_index.docs_dir, index_dir=real_index.index_dir, ASSISTANT_TOP_K="0")

    assert_fails_cleanly(result, "invalid setting top_k: Input should be greater than or equal to 1")


def test_a_misspelt_setting_in_the_environment_is_named(real_index: RealIndex) -> None:
    result = run_cli("ask", AUSTIN, docs_dir=real_index.docs_dir, index_dir=real_index.index_dir, ASSISTANT_TOPK="3")

    assert_fails_cleanly(result, "unknown setting ASSISTANT_TOPK (did you mean ASSISTANT_TOP_K?)")


def test_help_lists_the_commands(tmp_path: Path) -> None:
    out = ok(run_cli("--help", docs_dir=tmp_path, index_dir=tmp_path, module=True))

    for command in ("index", "ask", "retrieve", "eval", "serve"):
        assert command in out


def test_a_stage_whose_texts_are_all_cached_shows_no_rate(capsys: pytest.CaptureFixture[str]) -> None:
    from assistant.cli import progress_bars

    with progress_bars() as update:
        update("embedding sentences", 3000, 3000)  # all found in the cache at once: no work, so no rate

    shown = capsys.readouterr().err
    assert "3000/3000" in shown and "?text/s" in shown
