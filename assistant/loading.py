"""Loading: read every text and Markdown file under the documents folder; every other file is skipped by name."""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import DocumentsError

SUFFIXES = (".txt", ".text", ".md", ".markdown", ".mdown", ".mkd", ".mkdn")
OTHER_KIND = "not a text or Markdown file"
# A Markdown file's YAML front matter ("---", "title: ...", "---"), and the title in it.
FRONT_MATTER = re.compile(r"---[ \t]*\r?\n.*?\r?\n---[ \t]*(?:\r?\n|$)", re.S)
FRONT_MATTER_TITLE = re.compile(r"^title:[ \t]*(.+?)[ \t]*$", re.M)


@dataclass(frozen=True)
class Document:
    source: str  # path relative to the documents folder, with forward slashes
    text: str
    sha256: str

    @property
    def title(self) -> str:
        """The headline, else the file name."""
        return self.headline() or self.source

    @property
    def embedding_context(self) -> str:
        """What each passage's vector is encoded under: the headline; without one, the first line (a photo caption or
        a lede still says what the passages are about)."""
        return self.headline() or next((line for line in self._opening_lines() if line), self.source)[:200]

    def headline(self) -> str | None:
        """A Markdown front matter's title; else the first of the opening lines that comes back among them (a web
        page prints it above a column name or a menu, then again over the article), else the first line unless it
        reads as a paragraph; without Markdown's "#". Never a photo caption, a byline nor a line of badges."""
        front_matter = FRONT_MATTER.match(self.text)
        if front_matter:
            title = FRONT_MATTER_TITLE.search(front_matter.group(0))
            if title:
                return title.group(1).strip().strip("\"'")[:200]
        candidates = (
            line for line in self._opening_lines() if not PHOTO_CAPTION.search(line) and not BYLINE.match(line)
        )
        lines = list(itertools.islice((line for line in candidates if line and not IMAGES_ONLY.match(line)), 10))
        repeated = next((line for position, line in enumerate(lines) if line in lines[position + 1 :]), None)
        headline = repeated or (lines[0] if lines and not reads_as_prose(lines[0]) else None)
        return headline[:200] if headline else None

    def _opening_lines(self) -> Iterator[str]:
        """The lines after a Markdown front matter, without Markdown's "#" or an editor's mode marker."""
        front_matter = FRONT_MATTER.match(self.text)
        body = self.text[front_matter.end() :] if front_matter else self.text
        return (EDITOR_MODE_LINE.sub("", line).strip().lstrip("#").strip() for line in body.splitlines())


# Lines no headline is: a photo caption ending with its credit, "... last week. (Leah Millis/Associated Press)";
# a Markdown line of images or badges only, "[![Build status](...)](...)"; and an editor's mode marker after a
# headline, "GNU make NEWS   -*-indented-text-*-"; a byline, "By Jane Doe" or "by Jane Doe and John Roe, Reuters".
PHOTO_CAPTION = re.compile(r"\([^()]*/[^()]*\)$")
IMAGES_ONLY = re.compile(r"^(?:\[?!\[[^\]]*\]\([^)]*\)(?:\]\([^)]*\))?\s*)+$")
BYLINE = re.compile(r"^(?:By|BY|by)\s+[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*(?:\s*(?:,|\||·|—|–|\band\b)\s*.*)?$")
EDITOR_MODE_LINE = re.compile(r"\s*-\*-.*-\*-\s*$")
MOST_HEADLINE_CHARS = 150
SENTENCE_BREAK = re.compile(r"[.!?][\"”’)]?\s+[A-Z]")


def reads_as_prose(line: str) -> bool:
    """Whether a document's first line is a paragraph, not a headline: a long sentence, more than one, or longer
    than any headline."""
    long_sentence = len(line.split()) > 8 and line.rstrip('"”’)').endswith((".", "!", "?"))
    return long_sentence or bool(SENTENCE_BREAK.search(line)) or len(line) > MOST_HEADLINE_CHARS


@dataclass(frozen=True)
class Skipped:
    source: str
    reason: str


def decode_document(raw: bytes) -> str:
    """Decode UTF-8 (with or without BOM); raise ValueError with the reason otherwise."""
    if not raw.strip():
        raise ValueError("empty file")
    if b"\x00" in raw[:4096]:
        raise ValueError("binary file (contains NUL bytes)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ValueError(f"not valid UTF-8 (byte {err.start})") from None
    if not text.strip():
        raise ValueError("empty file")
    return text


def read_text(path: Path) -> str:
    """The text exactly as the splitter sees it, the reference for every citation's offsets."""
    return decode_document(path.read_bytes())


def list_files(docs_dir: Path, leave_out: Path | None = None) -> list[Path]:
    """Every file under the folder, but those in hidden folders or hidden themselves (.git, .DS_Store), and those
    under leave_out (an index kept inside the documents folder is not a document)."""
    if not docs_dir.exists():
        raise DocumentsError(f"documents folder '{docs_dir}' does not exist: create it or set ASSISTANT_DOCS_DIR")
    if not docs_dir.is_dir():
        raise DocumentsError(f"'{docs_dir}' is not a folder: set ASSISTANT_DOCS_DIR to a folder of .txt/.md files")
    # Each path is resolved only when the folder left out lies inside the documents folder (rarely).
    left_out = leave_out.resolve() if leave_out is not None else None
    if left_out is not None and not left_out.is_relative_to(docs_dir.resolve()):
        left_out = None
    return sorted(
        path
        for path in docs_dir.rglob("*")
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(docs_dir).parts)
        and not (left_out is not None and path.resolve().is_relative_to(left_out))
    )


def load_documents(docs_dir: Path, leave_out: Path | None = None) -> tuple[list[Document], list[Skipped]]:
    """All readable documents, and the files skipped with the reason (a PDF or a picture among them: a user who
    put it there expects it to be read), in a stable order."""
    documents: list[Document] = []
    skipped: list[Skipped] = []
    for path in list_files(docs_dir, leave_out):
        source = path.relative_to(docs_dir).as_posix()
        if path.suffix.lower() not in SUFFIXES:
            skipped.append(Skipped(source, OTHER_KIND))
            continue
        try:
            raw = path.read_bytes()
            text = decode_document(raw)
        except (OSError, ValueError) as err:
            skipped.append(Skipped(source, str(err)))
            continue
        documents.append(Document(source, text, hashlib.sha256(raw).hexdigest()))
    return documents, skipped


def describe_skipped(skipped: list[dict[str, str]], name: Callable[[str], str] = str, most: int = 5) -> str:
    """The skipped files grouped by why, each group's first few named: "a.pdf, b.png, c.png, d.png, e.png and 95
    more (not a text or Markdown file); latin1.txt (not valid UTF-8 (byte 3))". A hundred pictures are one line."""
    groups: dict[str, list[str]] = {}
    for entry in skipped:
        groups.setdefault(entry["reason"], []).append(entry["source"])
    return "; ".join(
        ", ".join(name(source) for source in sources[:most])
        + (f" and {len(sources) - most} more" if len(sources) > most else "")
        + f" ({why})"
        for why, sources in groups.items()
    )
