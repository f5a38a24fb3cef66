"""Title Case headlines re-cased for the parser (``streams/nlp/casing.py``): the article's own
spellings decide, reporting verbs are verbs, and the statement is read off the re-cased copy but
quoted from the original. Sentences written for these tests."""

from streams.nlp.casing import restore_case
from tests.unit.test_statements import engine, run  # noqa: F401 (engine is a fixture)


def test_a_title_case_headline_takes_the_articles_own_spellings():
    title, body = restore_case("Rose Bowl Skywriters Blast Trump Over Immigration: Fans Cheer",
                               "The skywriters flew over the Rose Bowl to blast Trump about immigration.")
    assert title == "Rose Bowl skywriters blast Trump over immigration: Fans Cheer"
    assert body.startswith("The skywriters flew")


def test_a_reporting_verb_the_article_never_uses_is_lower_cased():
    title, _ = restore_case("Retired Judge Ann Moore Denounces County Budget Plan",
                            "Ann Moore, a retired judge, spoke to the county board about its budget.")
    assert title == "Retired judge Ann Moore denounces county budget plan"


def test_short_lines_and_prose_are_left_alone():
    assert restore_case("Ann Moore Speaks", "She spoke.") == ("Ann Moore Speaks", "She spoke.")
    assert restore_case("The Mayor said the plan is sound", "the mayor said")[0] == "The Mayor said the plan is sound"


def test_claim_then_speaker_says_in_a_re_cased_headline(engine):
    got = run(engine, "Records kept by the county show the bridge failed its inspection, a former inspector "
                      "maintains.", title="County Hid Bridge Flaws From Public, Former Inspector Says")
    head = [s for s in got if s.content_span.field == "title"]
    assert [(s.speaker_mention, s.cue, s.content) for s in head] == [
        ("Former Inspector", "Says", "County Hid Bridge Flaws From Public")]
