"""``wirestream evaluate``: enrich a JSONL of raw articles offline and score the statements.

The scorer is the shared one (``../shared/eval/score_statements.py`` from the project root), run
as a subprocess exactly as published, so the figures here are the figures anyone gets with it.

    python -m streams.cli.evaluation --input ARTICLES --gold GOLD [--output OUT] [--json] [--scorer PATH]
"""

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from streams.cli.offline import enrich_file, print_report
from streams.settings import Settings

ROOT = Path(__file__).resolve().parents[2]  # the project root (this file is streams/cli/evaluation.py)
DEFAULT_SCORER = ROOT.parent / "shared" / "eval" / "score_statements.py"


def evaluate(input_path: Path, gold_path: Path, output_path: Path, settings: Settings,
             scorer: Path = DEFAULT_SCORER, as_json: bool = False, show_errors: int = 0) -> tuple[int, str]:
    """Enrich ``input_path`` into ``output_path`` and score it; returns (scorer's exit status, its output)."""
    report = enrich_file(input_path, output_path, settings)
    print_report(report)
    command = [sys.executable, str(scorer), str(gold_path), str(output_path)]
    if as_json:
        command.append("--json")
    if show_errors:
        command += ["--show-errors", str(show_errors)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.stderr:
        print(done.stderr, file=sys.stderr, end="")
    return done.returncode, done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="wirestream evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("--input", required=True, type=Path, help="JSONL of raw articles")
    parser.add_argument("--gold", required=True, type=Path, help="gold statements (JSONL, or the seed's JSON)")
    parser.add_argument("--output", type=Path, help="where to keep the enriched JSONL (default: a temporary file)")
    parser.add_argument("--scorer", type=Path, default=DEFAULT_SCORER, help="path of score_statements.py")
    parser.add_argument("--json", action="store_true", help="print the scorer's JSON result")
    parser.add_argument("--show-errors", type=int, default=0, metavar="N", help="list N errors")
    args = parser.parse_args(argv)
    if not args.scorer.is_file():
        print(f"evaluate: no scorer at {args.scorer}", file=sys.stderr)
        return 2
    settings = Settings()
    if args.output is not None:
        status, out = evaluate(args.input, args.gold, args.output, settings, args.scorer, args.json,
                               args.show_errors)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            status, out = evaluate(args.input, args.gold, Path(tmp) / "enriched.jsonl", settings, args.scorer,
                                   args.json, args.show_errors)
    print(out, end="")
    return status


if __name__ == "__main__":
    sys.exit(main())
