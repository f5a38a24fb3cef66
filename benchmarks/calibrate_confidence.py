"""Rebuild the statement confidence table from evaluation data, and report how well it holds.

    python benchmarks/calibrate_confidence.py [--input ARTICLES --gold GOLD] [--cache FILE] [--write] [--json]

Enriches the articles with the project's engine (same model and settings), keeps the evidence
each statement was found by (``streams.nlp.confidence.Evidence``), and judges each statement
with the shared scorer's own matching (``../shared/eval/score_statements.py``, imported as
published): right when it is paired with a gold statement (content token F1 >= 0.5, greedy, best
first, one to one) and its speaker is right too. The share right per evidence key is the
confidence; ``--write`` stores it in ``streams/nlp/confidence.json``. Only derived figures go
into the table (a key, a count, a share): no text of the evaluation data.

Every run prints the reliability table of the confidence as it stands (the committed table, or
the one just written): per band, the statements given at least its lower bound and the share of
them that were right. ``--cache`` keeps the parse in a spaCy DocBin, so later runs skip parsing.
"""

import argparse
import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from spacy.tokens import DocBin  # noqa: E402

from schemas import RawArticle  # noqa: E402
from streams.nlp import confidence as conf  # noqa: E402
from streams.nlp import engine as engine_module  # noqa: E402
from streams.nlp.engine import Engine  # noqa: E402
from streams.nlp.statements import extract_with_evidence  # noqa: E402
from streams.settings import Settings  # noqa: E402

SHARED = ROOT.parent / "shared"
DEFAULT_INPUT = SHARED / "data" / "polnear-train" / "articles.jsonl"
DEFAULT_GOLD = SHARED / "data" / "polnear-train" / "gold.jsonl"
SCORER = SHARED / "eval" / "score_statements.py"

BANDS = (0.9, 0.8, 0.7, 0.5, 0.0)
MIN_COUNT = 30  # statements a key needs before it gets a figure of its own
PRIOR = 10  # weight of the coarser key's figure in a key's own (shrinkage toward it)


def load_scorer():
    spec = importlib.util.spec_from_file_location("score_statements", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def judged(scorer, golds: list[dict], found: list) -> list[tuple[conf.Evidence, bool]]:
    """Each statement's evidence, and whether it was right (the scorer's pairing and speaker test)."""
    preds = [scorer.flat_pred(s.model_dump()) for s, _ in found]
    pairs = []
    for gi, g in enumerate(golds):
        gt = scorer.tokens(g.get("content"))
        for pi, p in enumerate(preds):
            score = scorer.f1(gt, scorer.tokens(p.get("content")))
            if score >= 0.5:
                pairs.append((score, gi, pi))
    pairs.sort(reverse=True)
    used_g, right = set(), {}
    for _, gi, pi in pairs:
        if gi not in used_g and pi not in right:
            used_g.add(gi)
            right[pi] = scorer.speaker_right(golds[gi], preds[pi])
    return [(evidence, right.get(pi, False)) for pi, (_, evidence) in enumerate(found)]


class _Recorder:
    """Stands in for the engine's ``extract_statements`` and keeps each article's evidence, so
    that the statements judged are exactly those the engine publishes (its parse of its copy of
    the text, its requoting)."""

    def __init__(self) -> None:
        self.evidence: list[list[conf.Evidence]] = []

    def __call__(self, title, body, entities, deadline=None):
        found = extract_with_evidence(title, body, entities, deadline)
        self.evidence.append([e for _, e in found])
        return [s for s, _ in found]


class _CachedPipe:
    """``nlp.pipe`` that reads the docs from a DocBin when it holds the very texts asked for, and
    otherwise parses them and keeps them there."""

    def __init__(self, nlp, path: Path):
        self.vocab, self.path, self.pipe = nlp.vocab, path, nlp.pipe

    def __call__(self, texts, **kwargs):
        texts = list(texts)
        docs = list(DocBin().from_disk(self.path).get_docs(self.vocab)) if self.path.is_file() else []
        if [d.text for d in docs] != texts:
            docs = list(self.pipe(texts, **kwargs))
            DocBin(docs=docs).to_disk(self.path)
        return iter(docs)


def collect(articles: list[RawArticle], gold: dict, cache: Path | None) -> list[tuple[conf.Evidence, bool, float, int]]:
    settings = Settings()
    engine = Engine(settings.model, settings.excluded_components, time_budget_s=1e9)
    if cache is not None:
        engine.nlp.pipe = _CachedPipe(engine.nlp, cache)
    recorder = _Recorder()
    engine_module.extract_statements = recorder
    scorer = load_scorer()
    out = []
    for number, (article, enrichment) in enumerate(zip(articles, engine.enrich_batch(articles))):
        if "language_skipped" in enrichment.flags:
            continue
        found = list(zip(enrichment.statements, recorder.evidence.pop(0)))
        for (evidence, ok), (statement, _) in zip(judged(scorer, gold.get(article.id, []), found), found):
            out.append((evidence, ok, statement.confidence, number))
    return out


def build_table(rows: list[tuple[conf.Evidence, bool, float]]) -> dict:
    """Share right per key, coarse to fine: a key's figure is its share shrunk toward its coarser
    key's figure, and never above its own share (so that a band's statements are at least as
    often right as the band says, on the data it was built on)."""
    counts: dict[str, Counter] = {}
    for evidence, ok, _ in rows:
        for key in evidence.keys():
            counts.setdefault(key, Counter())["n"] += 1
            counts[key]["right"] += ok
    table: dict[str, float] = {}
    for key in sorted(counts, key=lambda k: 0 if k.startswith("*") else k.count("|")):  # coarse first
        n, right = counts[key]["n"], counts[key]["right"]
        parent = _parent(key, table)
        if key.startswith("*"):
            table[key] = round(right / n, 3)
        elif n >= MIN_COUNT and parent is not None:
            shrunk = (right + PRIOR * parent) / (n + PRIOR)
            table[key] = round(min(shrunk, right / n), 3)
    return {"confidence": dict(sorted(table.items())),
            "counts": {k: [c["n"], c["right"]] for k, c in sorted(counts.items()) if k in table}}


def _parent(key: str, table: dict[str, float]) -> float | None:
    parts = key.split("|")
    if key.startswith("*"):
        return None
    if len(parts) == 2:
        return table.get(f"*|{parts[1]}")
    return table.get("|".join(parts[:2]), table.get(f"*|{parts[1]}"))


def _held_out(rows: list) -> list:
    """Statements of every fourth article, rated by a table built on the other three (articles
    are kept whole: ``collect`` returns them in order, each with an article number)."""
    build = [r[:3] for r in rows if r[3] % 4]
    table = build_table(build)["confidence"]
    out = []
    for evidence, ok, _, number in rows:
        if number % 4 == 0:
            out.append((evidence, ok, next((table[k] for k in evidence.keys() if k in table), conf._UNRATED)))
    return out


def reliability(rows: list[tuple[bool, float]]) -> list[dict]:
    """Per band: statements given at least its lower bound and the share of them right, and the
    same for the statements given that bound up to the next band's (``within``)."""
    out = []
    for low, high in zip(BANDS, (1.01,) + BANDS[:-1]):
        above = [ok for ok, c in rows if c >= low]
        within = [ok for ok, c in rows if low <= c < high]
        out.append({"band": f">= {low:.1f}", "count": len(above), "right": _share(above),
                    "within": f"{low:.1f}-{min(high, 1.0):.1f}", "within_count": len(within),
                    "within_right": _share(within)})
    return out


def _share(oks: list[bool]) -> float | None:
    return round(sum(oks) / len(oks), 3) if oks else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, default=DEFAULT_INPUT, help="JSONL of raw articles")
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="gold statements (JSONL)")
    parser.add_argument("--cache", type=Path, help="DocBin file to keep (or read) the parse in")
    parser.add_argument("--write", action="store_true", help="rebuild streams/nlp/confidence.json from this data")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--holdout", action="store_true",
                        help="build a table on three articles in four and report the bands on the fourth")
    args = parser.parse_args(argv)
    for path in (args.input, args.gold, SCORER):
        if not path.is_file():
            print(f"calibrate: no file at {path}", file=sys.stderr)
            return 2
    with open(args.input, encoding="utf-8") as fh:
        articles = [RawArticle.model_validate_json(line) for line in fh if line.strip()]
    gold = load_scorer().load_gold(str(args.gold))
    rows = collect(articles, gold, args.cache)
    if args.holdout:
        rows = _held_out(rows)
    elif args.write:
        table = build_table([r[:3] for r in rows])
        conf.TABLE.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        conf._table.cache_clear()
        rows = [(e, ok, conf.confidence(e)) for e, ok, _, _ in rows]
    bands = reliability([(r[1], r[2]) for r in rows])
    if args.json:
        print(json.dumps({"statements": len(rows), "bands": bands}))
    else:
        print(f"{len(rows)} statements")
        print("| band | count | share right | within | count | share right |\n|---|---|---|---|---|---|")
        for b in bands:
            print(f"| {b['band']} | {b['count']} | {b['right']} | {b['within']} | {b['within_count']} | "
                  f"{b['within_right']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
