"""The soak script's own arithmetic: cutting bodies and accounting for every key (no broker)."""

import argparse
import hashlib
import importlib.util
import json

from tests.support.paths import ROOT

spec = importlib.util.spec_from_file_location("soak", ROOT / "benchmarks" / "soak.py")
soak = importlib.util.module_from_spec(spec)
spec.loader.exec_module(soak)


def test_cut_keeps_whole_paragraphs_within_the_limit():
    body = "one two\nthree four five\nsix"
    assert soak.cut(body, 0) == body
    assert soak.cut(body, 100) == body
    assert soak.cut(body, 20) == "one two"
    assert soak.cut(body, 3) == "one two"  # at least the first paragraph


def test_messages_mix_in_a_bad_one_after_every_n_articles():
    published, reasons = soak.messages(10, 500, bad_every=4)
    keys = [k.decode() for k, _ in published]
    assert keys[:5] == ["soak-000000", "soak-000001", "soak-000002", "soak-000003", "soak-bad-000003"]
    assert len(published) == 12 and set(reasons) == {b"soak-bad-000003", b"soak-bad-000007"}
    assert all(len(json.loads(v)["body"]) <= 500 or "\n" not in json.loads(v)["body"]
               for k, v in published if not k.startswith(b"soak-bad"))


def _digest(value: bytes) -> tuple[str, bytes]:
    return hashlib.sha256(value).hexdigest(), b""


def _dead(reason: str) -> tuple[str, bytes]:
    value = json.dumps({"reason": reason}).encode()
    return hashlib.sha256(value).hexdigest(), value


def test_accounting_counts_lost_duplicates_and_altered_copies():
    args = argparse.Namespace(articles=3, max_chars=0)
    keys = {b"a", b"b", b"c", b"bad"}
    enriched = {b"a": [_digest(b"x"), _digest(b"x")], b"b": [_digest(b"y"), _digest(b"z")]}
    dead = {b"bad": [_dead("not_json")]}
    report = soak.account(args, keys, {b"bad": "not_utf8"}, enriched, dead, [], 1.0)
    assert report["lost"] == 1 and report["lost_keys"] == ["c"]
    assert report["duplicates"] == 2
    assert report["duplicates_identical"] is False  # b's copies differ
    assert report["bad_with_unexpected_reason"] == ["bad"]


def test_accounting_of_a_clean_run():
    args = argparse.Namespace(articles=1, max_chars=0)
    report = soak.account(args, {b"a", b"bad"}, {b"bad": "not_json"},
                          {b"a": [_digest(b"x"), _digest(b"x")]}, {b"bad": [_dead("not_json")]}, [], 1.0)
    assert (report["lost"], report["duplicates"], report["duplicates_identical"]) == (0, 1, True)
    assert report["bad_with_unexpected_reason"] == [] and report["unexpected_keys"] == 0


def test_the_chaos_schedule_has_every_event_and_each_leave_after_its_join():
    import argparse
    import random

    args = argparse.Namespace(kills=10, broker_restarts=2, rebalances=2)
    for seed in range(20):
        plan = soak.schedule(random.Random(seed), args)
        events = [event for _, event in plan]
        assert sorted(events) == sorted(["kill"] * 10 + ["broker"] * 2 + ["join", "leave"] * 2)
        assert [share for share, _ in plan] == sorted(share for share, _ in plan)
        joined = 0
        for event in events:
            joined += {"join": 1, "leave": -1}.get(event, 0)
            assert joined in (0, 1)
