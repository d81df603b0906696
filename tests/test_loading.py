"""Loading: which files become documents, which are skipped, and why."""

from pathlib import Path

import pytest
from conftest import FakeEmbedder, assert_citations_hold, fake_settings

from assistant import Assistant, DocumentsError
from assistant.loading import load_documents


@pytest.fixture
def mixed_docs(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / ".git").mkdir()
    (docs / "plain.txt").write_text("Plain text about the okapi.\n", encoding="utf-8")
    (docs / "bom.txt").write_bytes(
        "\ufeffThe walrus lives in the Arctic.\r\nIt eats clams and snails from the sea floor.\r\n".encode()
    )
    (docs / "notes.md").write_text("# Notes\n\nThe narwhal has a tusk.\n", encoding="utf-8")
    (docs / "sub" / "nested.TXT").write_text("A nested file about the axolotl.\n", encoding="utf-8")
    (docs / "binary.txt").write_bytes(b"PK\x03\x04\x00\x00binary payload")
    (docs / "empty.txt").write_bytes(b"")
    (docs / "blank.md").write_text(" \n\t\n", encoding="utf-8")
    (docs / "latin1.txt").write_bytes("Café au lait.".encode("latin-1"))
    (docs / ".hidden.txt").write_text("Hidden text about the quokka.\n", encoding="utf-8")
    (docs / ".git" / "inside.txt").write_text("A file inside a hidden folder.\n", encoding="utf-8")
    (docs / "picture.png").write_bytes(b"\x89PNG\r\n")
    (docs / "script.py").write_text("print('not a document')\n", encoding="utf-8")
    (docs / "report.pdf").write_bytes(b"%PDF-1.4 ...")
    return docs


OTHER_KINDS = {"picture.png", "script.py", "report.pdf"}
UNREADABLE = {"binary.txt", "empty.txt", "blank.md", "latin1.txt"}


def test_readable_text_and_markdown_files_are_loaded(mixed_docs: Path) -> None:
    documents, _ = load_documents(mixed_docs)

    assert [doc.source for doc in documents] == ["bom.txt", "notes.md", "plain.txt", "sub/nested.TXT"]


def test_bom_is_dropped_and_line_endings_kept(mixed_docs: Path) -> None:
    documents, _ = load_documents(mixed_docs)
    bom = next(doc for doc in documents if doc.source == "bom.txt")

    assert bom.text == "The walrus lives in the Arctic.\r\nIt eats clams and snails from the sea floor.\r\n"
    assert bom.title == "The walrus lives in the Arctic."


def test_unreadable_files_are_skipped_with_a_reason(mixed_docs: Path) -> None:
    _, skipped = load_documents(mixed_docs)
    reasons = {s.source: s.reason for s in skipped}

    assert set(reasons) == UNREADABLE | OTHER_KINDS
    assert "binary" in reasons["binary.txt"]
    assert reasons["empty.txt"] == reasons["blank.md"] == "empty file"
    assert "not valid UTF-8" in reasons["latin1.txt"]
    assert {reasons[source] for source in OTHER_KINDS} == {"not a text or Markdown file"}


def test_hidden_files_and_folders_are_ignored(mixed_docs: Path) -> None:
    documents, skipped = load_documents(mixed_docs)
    seen = {doc.source for doc in documents} | {s.source for s in skipped}

    assert not any(source.startswith(".") for source in seen)


def test_markdown_and_text_files_under_their_other_suffixes_are_read(tmp_path: Path) -> None:
    for name in ["a.markdown", "b.mdown", "c.mkd", "d.mkdn", "e.text", "f.TXT", "g.MD"]:
        (tmp_path / name).write_text(f"# {name}\n\nThe okapi lives in the forest.\n")

    documents, skipped = load_documents(tmp_path)

    assert len(documents) == 7 and not skipped


def test_index_reports_skipped_files_by_name_and_indexes_the_rest(mixed_docs: Path, tmp_path: Path) -> None:
    assistant = Assistant(fake_settings(mixed_docs, tmp_path / "index"), embedder=FakeEmbedder())
    report = assistant.index()

    assert report.documents == 4
    assert {s["source"] for s in report.skipped} == UNREADABLE | OTHER_KINDS
    assert "latin1.txt (not valid UTF-8" in report.summary()
    assert "picture.png, report.pdf, script.py (not a text or Markdown file)" in report.summary()
    assert sorted(assistant.status()["files"]) == ["bom.txt", "notes.md", "plain.txt", "sub/nested.TXT"]
    answer = assistant.ask("What does the walrus eat from the sea floor?").to_dict()
    assert answer["citations"][0]["source"] == "bom.txt"
    assert_citations_hold(answer, mixed_docs)  # offsets count from after the BOM, with the \r kept
    assistant.close()


def test_folder_without_readable_documents_names_the_skipped_files(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "broken.txt").write_bytes(b"\xff\xfe\x00\x00")
    assistant = Assistant(fake_settings(docs, tmp_path / "index"), embedder=FakeEmbedder())

    with pytest.raises(DocumentsError, match=r"no readable .txt or .md files in .*skipped: broken.txt"):
        assistant.index()
    assert not (tmp_path / "index").exists()


def test_many_files_skipped_for_one_reason_are_one_line_naming_the_first_five(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "one.txt").write_text("The okapi lives in the forest.\n")
    for number in range(12):
        (docs / f"photo{number:02d}.jpg").write_bytes(b"\xff\xd8")
    assistant = Assistant(fake_settings(docs, tmp_path / "index"), embedder=FakeEmbedder())

    summary = assistant.index().summary()

    assert summary.startswith("1 document, 1 chunk: 1 added, ")
    assert summary.endswith(
        "; skipped 12: photo00.jpg, photo01.jpg, photo02.jpg, photo03.jpg, photo04.jpg and 7 more "
        "(not a text or Markdown file)"
    )
    assistant.close()


def test_an_index_kept_inside_the_documents_folder_is_not_read_as_documents(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text("The okapi lives in the forest.\n")
    assistant = Assistant(fake_settings(tmp_path, tmp_path / "index"), embedder=FakeEmbedder())
    first = assistant.index()

    second = assistant.index()

    assert first.skipped == second.skipped == []
    assert second.generation == first.generation  # nothing new: the index's own files changed nothing
    assistant.close()


def test_missing_documents_folder_says_how_to_fix_it(tmp_path: Path) -> None:
    assistant = Assistant(fake_settings(tmp_path / "nowhere", tmp_path / "index"), embedder=FakeEmbedder())

    with pytest.raises(DocumentsError, match="'.*nowhere' does not exist: create it or set ASSISTANT_DOCS_DIR"):
        assistant.index()


def test_the_title_is_the_headline_a_page_prints_twice_else_the_first_line(tmp_path: Path) -> None:
    page = "Trans-Pacific View\n\nThe Limits of Talks\n\nRecent Features\n\nThe Limits of Talks\n\nTalks went well.\n"
    (tmp_path / "page.txt").write_text(page)
    (tmp_path / "plain.txt").write_text("The walrus lives in the Arctic.\nIt eats clams.\n")
    (tmp_path / "notes.md").write_text("# Okapis\n\nThe okapi lives in the forest.\n")
    (tmp_path / "post.md").write_text('---\ntitle: "Lighthouse review"\ndate: 2026-10-01\n---\n\n# Review\n\nText.\n')
    (tmp_path / "bare.md").write_text("---\ndate: 2026-10-01\n---\n\n# Lamps\n\nText.\n")

    documents, _ = load_documents(tmp_path)

    assert {doc.source: doc.title for doc in documents} == {
        "page.txt": "The Limits of Talks",
        "plain.txt": "The walrus lives in the Arctic.",
        "notes.md": "Okapis",
        "post.md": "Lighthouse review",  # from the front matter
        "bare.md": "Lamps",  # front matter without a title: the first line after it
    }


def test_a_photo_caption_a_byline_a_paragraph_or_badges_are_no_title(tmp_path: Path) -> None:
    caption = "Two ministers shake hands. (Jane Roe/Associated Press)\n"
    caption += "When the minister landed in Beijing, talks began at once.\n"
    (tmp_path / "captioned.txt").write_text(caption)
    (tmp_path / "rules.txt").write_text("Laptops must be encrypted. Passwords are changed every year.\n")
    (tmp_path / "long.txt").write_text("The committee met on Monday to review the budget of the new harbour.\n")
    (tmp_path / "words.txt").write_text(" ".join(["harbour quay boats"] * 60) + "\n")
    (tmp_path / "README.md").write_text("[![CI](https://ci.example/badge.svg)](https://ci.example)\n\n# Harbour\n")
    (tmp_path / "NEWS.txt").write_text("GNU quay NEWS                 -*- outline -*-\n\n* Version 2\n")
    (tmp_path / "signed.txt").write_text("By Jane Roe and John Doe, Reuters\n\nHarbour Talks Resume\n\nTalks began.\n")
    (tmp_path / "numbers.md").write_text("# By the Numbers: The Harbour in 2026\n\nTwelve boats.\n")

    documents, _ = load_documents(tmp_path)

    assert {doc.source: doc.title for doc in documents} == {
        "captioned.txt": "captioned.txt",  # no headline: the file name
        "rules.txt": "rules.txt",
        "long.txt": "long.txt",
        "words.txt": "words.txt",  # longer than a headline
        "README.md": "Harbour",
        "NEWS.txt": "GNU quay NEWS",
        "signed.txt": "Harbour Talks Resume",  # the byline above it is no title
        "numbers.md": "By the Numbers: The Harbour in 2026",
    }
    # A passage is still embedded under the caption or the lede: they say what the document is about.
    contexts = {doc.source: doc.embedding_context for doc in documents}
    assert contexts["captioned.txt"] == "Two ministers shake hands. (Jane Roe/Associated Press)"
    assert contexts["long.txt"] == "The committee met on Monday to review the budget of the new harbour."
    assert contexts["README.md"] == "Harbour"
