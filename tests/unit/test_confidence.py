"""Statement confidence: read from the calibrated table by the evidence a statement was found by."""

import importlib.util
import json
import re

from streams.nlp import confidence as conf
from tests.support.paths import ROOT
from tests.unit.test_statements import engine, run  # noqa: F401 (engine is a fixture)


def _calibrate():
    spec = importlib.util.spec_from_file_location("calibrate", ROOT / "benchmarks" / "calibrate_confidence.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_statement_is_rated_and_a_named_direct_quote_highly(engine):
    got = run(engine, '"We will rebuild the bridge by spring," Mayor John Miller said. Officials toured the '
                      'site on Monday, and afterwards the mayor was told that the plant would close.')
    assert got and all(0 < s.confidence <= 1 for s in got)
    quote = next(s for s in got if s.kind == "direct")
    told = next(s for s in got if s.cue == "told")
    # The table is rebuilt from data, so the speakerless report's figure moves; it stays far below.
    assert quote.confidence >= 0.9 and told.speaker is None and told.confidence < quote.confidence - 0.3


def test_unknown_evidence_falls_back_to_its_kind():
    table = json.loads(conf.TABLE.read_text(encoding="utf-8"))["confidence"]
    assert conf.confidence(conf.Evidence("no-such-rule", "direct", "name")) == table["*|direct"]
    assert conf.confidence(conf.Evidence("no-such-rule", "no-such-kind", "name")) == conf._UNRATED


def test_the_table_holds_derived_figures_only():
    data = json.loads(conf.TABLE.read_text(encoding="utf-8"))
    key = re.compile(r"^[*a-z_:]+\|[a-z_]+(\|[a-z]+)?$")
    assert all(key.match(k) and 0 <= v <= 1 for k, v in data["confidence"].items())
    assert all(key.match(k) and isinstance(n, int) and isinstance(r, int) and r <= n
               for k, (n, r) in data["counts"].items())


def test_a_keys_figure_never_exceeds_its_own_share():
    calibrate = _calibrate()
    good, poor = conf.Evidence("a:b", "direct", "name"), conf.Evidence("a:b", "direct", "none")
    rows = [(good, True, 0.0)] * 40 + [(poor, i % 4 == 0, 0.0) for i in range(40)]
    table = calibrate.build_table(rows)["confidence"]
    assert table["a:b|direct|none"] <= 0.25 < table["a:b|direct|name"] <= 1.0
    assert table["*|direct"] == round(50 / 80, 3)
    bands = calibrate.reliability([(ok, table[e.keys()[0]]) for e, ok, _ in rows])
    assert all(b["right"] is None or b["right"] >= float(b["band"].split()[1]) for b in bands)


def test_the_evaluation_command_finds_the_shared_scorer():
    from streams.cli import evaluation
    assert evaluation.DEFAULT_SCORER == ROOT.parent / "shared" / "eval" / "score_statements.py"
