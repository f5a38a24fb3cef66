"""The project holds no text of the evaluation articles (PolNeAR, CoNLL-2003 in ../shared/data).

Rules, tests and docs are written in invented words; an example read off an evaluation article
and pasted into a comment or a test is a copy all the same. A run of eight words shared with an
article is taken as a copy: shorter runs are mostly idioms ("spoke on condition of anonymity").
"""

import json
import re
from pathlib import Path

import pytest

from tests.support.paths import ROOT, SHARED

RUN = 8  # words in a row shared with an article that make a copy
WORD = re.compile(r"[A-Za-z0-9']+")
SUFFIXES = {".py", ".md", ".json", ".jsonl", ".yaml", ".yml", ".html", ".js", ".txt", ".toml", ".cfg", ".sh"}
SKIPPED = {".git", ".venv", "node_modules", "lib", "__pycache__", ".pytest_cache", ".hypothesis"}


def _runs(text: str) -> set[tuple[str, ...]]:
    words = [w.lower() for w in WORD.findall(text)]
    return {tuple(words[i:i + RUN]) for i in range(len(words) - RUN + 1)}


def _evaluation_runs() -> set[tuple[str, ...]]:
    runs: set[tuple[str, ...]] = set()
    for articles in sorted((SHARED / "data").glob("*/articles.jsonl")):
        with open(articles, encoding="utf-8") as fh:
            for line in fh:
                article = json.loads(line)
                runs |= _runs(article.get("title", "")) | _runs(article.get("body", ""))
    return runs


def _project_files() -> list[Path]:
    out = []
    for path in ROOT.rglob("*"):
        parts = set(path.relative_to(ROOT).parts)
        if path.is_file() and path.suffix in SUFFIXES and not parts & SKIPPED:
            out.append(path)
    return out


def _copies(path: Path, runs: set[tuple[str, ...]]) -> list[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    return sorted(" ".join(run) for run in _runs(text) & runs)


@pytest.mark.skipif(not (SHARED / "data").is_dir(), reason="no evaluation data beside the project")
def test_no_file_of_the_project_repeats_an_evaluation_article():
    runs = _evaluation_runs()
    assert len(runs) > 100_000  # the articles were read
    found = {str(p.relative_to(ROOT)): c for p in _project_files() if (c := _copies(p, runs))}
    assert found == {}


def test_the_check_finds_a_run_it_shares(tmp_path):
    article = "the ferry board met on tuesday and voted to raise the fares again"
    copy = tmp_path / "notes.md"
    copy.write_text("As the story put it: The ferry board met on Tuesday and voted to raise fares.")
    assert _copies(copy, _runs(article)) == ["board met on tuesday and voted to raise",
                                             "ferry board met on tuesday and voted to",
                                             "the ferry board met on tuesday and voted"]
    copy.write_text("The ferry board met on Monday and voted against the fares.")
    assert _copies(copy, _runs(article)) == []
