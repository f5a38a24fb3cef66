"""Engine speed against bare spaCy: the same model, components and texts, in one run.

    python benchmarks/engine_speed.py [--input ARTICLES] [--repeat N] [--rounds R] [--declared] [--json]

"bare" is ``nlp.pipe`` over every article's title and body; "engine" is ``Engine.enrich_batch``
over the same articles (the same parse, plus the sentence starts set at line breaks before it,
HTML/language checks, entity clustering and the statement rules). The two alternate for R
rounds, bare first in odd rounds and engine first in even ones, so drifts in machine load fall
on both alike. Words are white-space separated tokens, as everywhere in Wirestream. The target
is engine/bare >= 0.9.

Each article's declared language is dropped, so that the engine detects it, as it must for a
feed that does not declare one; ``--declared`` keeps the declarations (no detection).
"""

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from schemas import RawArticle  # noqa: E402
from streams.nlp import paragraphs  # noqa: E402
from streams.nlp.engine import Engine  # noqa: E402
from streams.nlp.text import word_count  # noqa: E402
from streams.settings import Settings  # noqa: E402

DEFAULT_INPUT = ROOT.parent / "shared" / "data" / "polnear-dev" / "articles.jsonl"


def load(path: Path, repeat: int, declared: bool = False) -> list[RawArticle]:
    with open(path, encoding="utf-8") as fh:
        articles = [RawArticle.model_validate_json(line) for line in fh if line.strip()]
    if not declared:
        articles = [a.model_copy(update={"language": None}) for a in articles]
    return articles * repeat


def time_bare(engine: Engine, texts: list[str]) -> float:
    # The model's own components only: the engine's sentence-start component is the engine's cost.
    with engine.nlp.select_pipes(disable=[paragraphs.NAME]):
        started = time.perf_counter()
        for _ in engine.nlp.pipe(texts):
            pass
        return time.perf_counter() - started


def time_engine(engine: Engine, articles: list[RawArticle]) -> float:
    started = time.perf_counter()
    engine.enrich_batch(articles)
    return time.perf_counter() - started


def run(articles: list[RawArticle], rounds: int, settings: Settings) -> dict:
    # A budget no article reaches: a budget cut would skip the rules and flatter the engine.
    engine = Engine(settings.model, settings.excluded_components, time_budget_s=1e9)
    texts = [t for a in articles for t in (a.title, a.body)]
    words = sum(word_count(t) for t in texts)
    time_bare(engine, texts[:20])  # warm-up: first calls allocate
    bare = eng = 0.0
    for r in range(rounds):
        if r % 2 == 0:
            bare += time_bare(engine, texts)
            eng += time_engine(engine, articles)
        else:
            eng += time_engine(engine, articles)
            bare += time_bare(engine, texts)
    bare_wps = words * rounds / bare
    engine_wps = words * rounds / eng
    return {
        "model": settings.model,
        "excluded": settings.excluded_components,
        "articles": len(articles),
        "words": words,
        "rounds": rounds,
        "bare_words_per_s": round(bare_wps, 1),
        "engine_words_per_s": round(engine_wps, 1),
        "ratio": round(engine_wps / bare_wps, 4),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, default=DEFAULT_INPUT, help="JSONL of raw articles")
    parser.add_argument("--repeat", type=int, default=1, help="use the articles this many times over")
    parser.add_argument("--rounds", type=int, default=4, help="alternating timing rounds")
    parser.add_argument("--declared", action="store_true", help="keep declared languages (no detection)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if not args.input.is_file():
        print(f"engine_speed: no input at {args.input}", file=sys.stderr)
        return 2
    result = run(load(args.input, args.repeat, args.declared), args.rounds, Settings())
    result["languages_declared"] = args.declared
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{result['articles']} articles, {result['words']} words, {result['rounds']} rounds, "
              f"model {result['model']} without {','.join(result['excluded'])}, "
              f"languages {'declared' if args.declared else 'detected'}")
        print(f"bare nlp.pipe   {result['bare_words_per_s']:10.1f} words/s")
        print(f"engine          {result['engine_words_per_s']:10.1f} words/s")
        print(f"ratio           {result['ratio']:10.3f}  (target >= 0.9)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
