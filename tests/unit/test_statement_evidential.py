"""Verbs of appearance (streams/nlp/evidential.py): "seem" and "appear" with a predicate report an
impression, the subject it is about and the predicate; nobody speaks unless a "to" phrase names
who has it. "appear" with no predicate says where someone was. Sentences written for these tests,
through the real engine."""

from tests.unit.test_statements import engine, run  # noqa: F401 (engine is a fixture)


def _seem(got):
    return [s for s in got if s.cue.lower() in ("seem", "seems", "seemed", "appear", "appears", "appeared")]


def test_a_subject_and_its_predicate_are_the_impression(engine):
    got = _seem(run(engine, "After the vote, the harbour board seemed ready to drop the ferry plan."))
    assert len(got) == 1
    assert got[0].content == "the harbour board seemed ready to drop the ferry plan"
    assert got[0].speaker is None and got[0].speaker_mention is None


def test_an_infinitive_and_what_the_verb_carries_after_it(engine):
    got = _seem(run(engine, "The county appears to have closed the year owing more than it collected."))
    assert len(got) == 1 and got[0].content.startswith("The county appears to have closed the year")


def test_it_seems_that_reports_the_clause(engine):
    got = _seem(run(engine, "It seems that the new bridge will open a year late."))
    assert len(got) == 1 and got[0].content == "the new bridge will open a year late"


def test_the_one_it_seems_to_holds_the_impression(engine):
    got = _seem(run(engine, "None of the excuses seemed convincing to the auditor."))
    assert len(got) == 1 and got[0].speaker_mention == "the auditor"


def test_appearing_somewhere_and_causatives_report_nothing(engine):
    assert not _seem(run(engine, "The mayor appeared on a morning radio show on Tuesday."))
    assert not _seem(run(engine, "The new coat made him seem taller."))


def test_a_verb_of_saying_after_it_keeps_the_report(engine):
    got = run(engine, "The minister appeared to suggest that taxes would rise.")
    assert not _seem(got)
    assert any(s.cue == "suggest" and "taxes would rise" in s.content for s in got)


def test_an_adverb_of_hearsay_reports_its_clause_by_nobody_named(engine):
    got = run(engine, "The union is reportedly planning a strike in the spring.")
    assert [(s.speaker_mention, s.cue, s.content) for s in got] == [
        (None, "reportedly", "The union is reportedly planning a strike in the spring")]
    # A relative clause has no subject of its own to report on; a quotation is someone's already.
    assert run(engine, "He met the man who allegedly stole the car.") == []


def test_seeming_in_a_state_of_mind_about_a_clause_is_the_holders_state(engine):
    got = run(engine, "Okafor seemed hopeful that the harbour board could approve more moorings.")
    assert [(s.speaker_mention, s.cue, s.content) for s in got] == [
        ("Okafor", "hopeful", "the harbour board could approve more moorings")]
