"""Quotations mid-sentence that no reporting rule takes (streams/nlp/unclaimed.py): the subject of
the clause they belong to speaks, else the one quoted just before in the paragraph; with nobody
to give them to, or when they are a few words only, they are no statement. Sentences written for
these tests, through the real engine."""

from tests.unit.test_statements import engine, run  # noqa: F401 (engine is a fixture)


def test_a_quotation_inside_a_clause_belongs_to_its_subject(engine):
    got = run(engine, 'The mayor took credit for "turning the old harbour into a place where families '
                      'want to live" in her speech on Friday.')
    found = [(s.speaker_mention, s.content) for s in got]
    assert len(found) == 1 and found[0][0] == "The mayor"
    assert "turning the old harbour into a place where families want to live" in found[0][1]


def test_a_quotation_with_no_subject_takes_the_speaker_quoted_just_before(engine):
    text = ('Senator Lena Ortiz said the bill would pass. Then came the warning: a vote against it '
            'would be "a vote for higher prices at every pump in the state."')
    got = run(engine, text)
    spoken = [s for s in got if "higher prices" in s.content]
    assert len(spoken) == 1 and "Lena Ortiz" in spoken[0].speaker


def test_short_quotations_and_scare_quotes_are_no_statements(engine):
    got = run(engine, 'The company launched "Project Blue" last year and expects it to save money.')
    assert not [s for s in got if "Project Blue" in s.content]


def test_the_overlap_index_answers_as_a_scan_of_every_statement_would():
    """unclaimed.py asks "does a statement already run over this quotation?" through a sorted
    index (linear in the article, not quotations x statements); it must agree with the scan."""
    import random

    from streams.nlp.unclaimed import _Covered

    rng = random.Random(7)
    for _ in range(200):
        ranges = [(s, s + rng.randint(1, 40)) for s in (rng.randint(0, 300) for _ in range(rng.randint(0, 12)))]
        covered = _Covered(ranges)
        for _ in range(20):
            start = rng.randint(0, 340)
            end = start + rng.randint(1, 30)
            assert covered.overlaps(start, end) == any(s < end and e > start for s, e in ranges), (ranges, start, end)
