"""The lexical side of hybrid retrieval: BM25 over chunk texts, built from the persisted chunk table."""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below between
    both but by can could did do does doing down during each few for from further had has have having he her here
    hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of
    off on once only or other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up very was we were what
    when where which while who whom why will with would you your yours yourself yourselves also did does said say
    says according many much may might must shall us whats whos wheres hows whens whys thats theres heres lets ive
    youve weve theyve im youre theyre hes shes isnt arent wasnt werent dont doesnt didnt""".split()
)
TOKEN = re.compile(r"[a-z0-9]+")
# A version or a dotted number, a term of its own besides its parts: "3.15.0b1" is not "3.10.0b1".
DOTTED_NUMBER = re.compile(r"(?<![0-9.])[0-9]+(?:\.[0-9]+)+[a-z0-9]*")
# A command-line option, a term of its own besides its words: "-S" is not "-s", "--sort" not "sort". It stands
# after a space, a bracket or a quote ("[-h]", "`-R`"), never inside a word ("U.S.-China").
OPTION = re.compile(r"(?:^|(?<=[\s(\[`'\"“‘,|=]))(--?)([A-Za-z][A-Za-z0-9_-]*)(?![\w-])")
# An identifier: letters and digits joined by hyphens, a letter first ("CVE-2018-20482", "SHA-256", "G-20"). Said
# exactly, it names one thing: "CVE-2018-20482" is not "CVE-2018-20483".
IDENTIFIER = re.compile(r"(?<![\w-])[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+(?![\w-])")


@functools.lru_cache(maxsize=100_000)  # a corpus repeats its words: a stem is looked up far more than computed
def stem(word: str) -> str:
    """A light suffix stripper: enough to match 'sanctions'/'sanctioned', not a linguist's stemmer."""
    if word.endswith(("eed", "ees")) and len(word) >= 6 and not word.endswith("ceed"):
        return word[:-1]  # "agreed", "agrees", "guaranteed": "agree", "guarantee" (not "succeed" nor "needs")
    for suffix in ("ingly", "edly", "ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    if len(word) == 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]  # "eats", "days", "jets": "eat", "day", "jet" (not "less", "thus", "axis")
    return word


def content_words(text: str) -> list[str]:
    """Lowercased words that carry meaning; apostrophes of every kind are dropped so China’s == China's."""
    text = text.lower().replace("’", "").replace("'", "")
    return [word for word in TOKEN.findall(text) if word not in STOPWORDS]


def tokenize(text: str) -> list[str]:
    """The stems BM25 indexes: content words with a light suffix stripped, and each dotted number whole."""
    return [stem(word) for word in content_words(text)] + DOTTED_NUMBER.findall(text.lower()) + options_in(text)


def query_terms(query: str) -> list[str]:
    """The terms a question is searched with: its tokens, less the long options its words already stand for
    ("--sort" is "sort"); a short one stays, as its letter alone does not tell "-S" from "-s"."""
    return [term for term in tokenize(query) if not term.startswith("--")]


def options_in(text: str) -> list[str]:
    """The command-line options a text names: a short one as written ("-S"), a long one in lower case."""
    return [dashes + (name if dashes == "-" else name.lower()) for dashes, name in OPTION.findall(text)]


def identifiers_in(text: str) -> list[str]:
    """The identifiers a text names, those with a digit: "Which tar version fixed CVE-2018-20482?" ->
    ["CVE-2018-20482"]; not "U.S.-China" nor "follow-up"."""
    return list(dict.fromkeys(name for name in IDENTIFIER.findall(text) if any(c.isdigit() for c in name)))


def names_identifier(text: str, identifier: str) -> bool:
    """Whether a text names the identifier, in any case, and not as part of a longer one ("F-35s" names "F-35";
    "CVE-2018-204821" does not name "CVE-2018-20482")."""
    return re.search(rf"(?<![\w-]){re.escape(identifier)}(?![0-9]|-[A-Za-z0-9])", text, re.I) is not None


def versions_in(text: str) -> set[str]:
    """The versions and dotted numbers a text names: "CPython 3.15.0b1" -> {"3.15.0b1"}."""
    return set(DOTTED_NUMBER.findall(text.lower()))


def expansion_words(text: str) -> list[str]:
    """The content words query expansion works with: alphabetic, 3+ letters, in order, each once."""
    return list(dict.fromkeys(word for word in content_words(text) if len(word) >= 3 and word.isalpha()))


def vocabulary_of(texts: list[str]) -> list[str]:
    """The corpus's expansion words, the targets of query expansion."""
    return sorted({word for text in texts for word in expansion_words(text)})


class BM25Index:
    """Okapi BM25 with an inverted index: scoring a query touches only the postings of its terms."""

    def __init__(self, texts: list[str], k1: float = 1.2, b: float = 0.75) -> None:
        lengths = np.zeros(len(texts), dtype=np.float32)
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for row, text in enumerate(texts):
            counts = Counter(tokenize(text))
            lengths[row] = sum(counts.values())
            for term, count in counts.items():
                postings[term].append((row, count))
        self._set_up(
            {
                term: (np.array([r for r, _ in rows]), np.array([c for _, c in rows], dtype=np.float32))
                for term, rows in postings.items()
            },
            lengths,
            k1,
            b,
        )

    def _set_up(
        self, postings: dict[str, tuple[np.ndarray, np.ndarray]], lengths: np.ndarray, k1: float, b: float
    ) -> None:
        self.k1, self.b = k1, b
        self.size = len(lengths)
        self._lengths = lengths
        self.average_length = float(lengths.mean()) if self.size else 0.0
        self._norm = k1 * (1 - b + b * lengths / max(self.average_length, 1e-9))
        self._postings = postings

    def save(self, path: Path) -> None:
        """Write the postings as arrays (.npz), so that opening an index reads them instead of tokenizing every
        text again (more than half the time it took to open a 5 MB folder's index)."""
        terms = list(self._postings)
        rows = [self._postings[term][0] for term in terms]
        np.savez(
            path,
            terms=np.array("\n".join(terms)),  # one string: an array of strings is as wide as the longest term
            ends=np.cumsum([len(found) for found in rows], dtype=np.int64),
            rows=np.concatenate(rows) if rows else np.empty(0, dtype=np.int64),
            counts=np.concatenate([self._postings[term][1] for term in terms]) if terms else np.empty(0, np.float32),
            lengths=self._lengths,
            parameters=np.array([self.k1, self.b]),
        )

    @classmethod
    def load(cls, path: Path) -> BM25Index:
        with np.load(path) as saved:
            terms = str(saved["terms"]).split("\n") if len(saved["ends"]) else []
            ends, rows, counts = saved["ends"], saved["rows"], saved["counts"]
            lengths, (k1, b) = saved["lengths"], saved["parameters"].tolist()
        starts = np.concatenate([[0], ends[:-1]]).tolist() if len(ends) else []
        postings = {
            term: (rows[start:end], counts[start:end])
            for term, start, end in zip(terms, starts, ends.tolist(), strict=True)
        }
        index = cls.__new__(cls)
        index._set_up(postings, lengths, k1, b)
        return index

    def renumbered(self, new_row: np.ndarray, fresh: dict[int, str], size: int) -> BM25Index:
        """This index for a new table of `size` texts, the same as one built from them: old row r is now row
        new_row[r] (dropped where it is -1), and the texts of `fresh` (by new row) are tokenized. Only those are."""
        terms = list(self._postings)
        term_ids = {term: number for number, term in enumerate(terms)}
        found = [self._postings[term] for term in terms]
        term_of = np.repeat(np.arange(len(terms), dtype=np.int64), [len(rows) for rows, _ in found])
        rows = new_row[np.concatenate([rows for rows, _ in found])] if found else np.empty(0, dtype=np.int64)
        counts = np.concatenate([counts for _, counts in found]) if found else np.empty(0, dtype=np.float32)
        kept = rows >= 0
        lengths = np.zeros(size, dtype=np.float32)
        lengths[new_row[new_row >= 0]] = self._lengths[new_row >= 0]
        fresh_terms, fresh_rows, fresh_counts = [], [], []
        for row, text in fresh.items():
            tokens = Counter(tokenize(text))
            lengths[row] = sum(tokens.values())
            for term, count in tokens.items():
                fresh_terms.append(term_ids.setdefault(term, len(term_ids)))
                fresh_rows.append(row)
                fresh_counts.append(count)
        term_of = np.concatenate([term_of[kept], np.array(fresh_terms, dtype=np.int64)])
        rows = np.concatenate([rows[kept], np.array(fresh_rows, dtype=np.int64)])
        counts = np.concatenate([counts[kept], np.array(fresh_counts, dtype=np.float32)])
        order = np.lexsort((rows, term_of))  # by term, then by row: as a build from the texts has them
        term_of, rows, counts = term_of[order], rows[order], counts[order]
        bounds = np.searchsorted(term_of, np.arange(len(term_ids) + 1))
        postings = {
            term: (rows[start:end], counts[start:end])
            for term, start, end in zip(term_ids, bounds[:-1].tolist(), bounds[1:].tolist(), strict=True)
            if end > start
        }
        index = BM25Index.__new__(BM25Index)
        index._set_up(postings, lengths, self.k1, self.b)
        return index

    def postings(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Each term's rows and counts in those rows."""
        return self._postings

    def document_frequency(self, term: str) -> int:
        rows = self._postings.get(term)
        return 0 if rows is None else len(rows[0])

    def rows_with(self, term: str) -> np.ndarray:
        """The rows whose text holds the term."""
        rows = self._postings.get(term)
        return np.empty(0, dtype=np.int64) if rows is None else rows[0]

    def idf(self, term: str) -> float:
        frequency = self.document_frequency(term)
        return math.log(1 + (self.size - frequency + 0.5) / (frequency + 0.5))

    def scores(self, query: str) -> np.ndarray:
        return self.weighted_scores(dict.fromkeys(query_terms(query), 1.0))

    def weighted_scores(self, terms: dict[str, float]) -> np.ndarray:
        """BM25 where each query term counts with its weight (1 for the question's own words)."""
        result = np.zeros(self.size, dtype=np.float32)
        for term, weight in terms.items():
            rows = self._postings.get(term)
            if rows is None:
                continue
            indices, counts = rows
            result[indices] += weight * self.idf(term) * counts * (self.k1 + 1) / (counts + self._norm[indices])
        return result

    def coverage(self, query: str) -> float:
        """The largest share of the query's IDF that one text holds: 1 when a text has all its words, near 0
        when the question is a paraphrase in words the texts do not use."""
        idf = {term: self.idf(term) for term in set(query_terms(query))}
        total = sum(idf.values())
        if not total or not self.size:
            return 0.0
        held = np.zeros(self.size, dtype=np.float32)
        for term, weight in idf.items():
            rows = self._postings.get(term)
            if rows is not None:
                held[rows[0]] += weight
        return float(held.max()) / total

    def top(self, query: str, k: int) -> list[tuple[int, float]]:
        scores = self.scores(query)
        if not scores.any():
            return []
        order = np.argsort(-scores, kind="stable")[:k]
        return [(int(row), float(scores[row])) for row in order if scores[row] > 0]
