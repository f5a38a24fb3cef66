"""Sentences end at line breaks: the component, and a statement it saves."""

import spacy

from streams.nlp import paragraphs
from tests.unit.test_statements import engine, run, summary  # noqa: F401 (engine is a fixture)


def test_every_line_starts_a_sentence(engine):
    doc = engine.nlp("Harbour notes, as they came in:\n\n9:40 a.m.\n\nAda Voss is touring the depot.")
    starts = [t.text for t in doc if t.is_sent_start]
    assert starts[:3] == ["Harbour", "9:40", "Ada"]
    assert engine.nlp.pipe_names.index(paragraphs.NAME) == engine.nlp.pipe_names.index("parser") - 1


def test_a_pipeline_without_a_parser_gets_no_component():
    nlp = spacy.blank("en")
    paragraphs.add_to(nlp)
    assert nlp.pipe_names == []


def test_a_speaker_after_a_quotation_that_closes_a_paragraph(engine):
    # Parsed as one sentence with the paragraph before it, the second cue lost its subject.
    got = run(engine, "The mayor ended the meeting with a warning: \u201cNobody should expect the ferry back soon.\u201d\n\n"
                      "Ortiz, speaking on the local radio, called the ferry plan a \u201cfantasy,\u201d and said the "
                      "council had wasted a year.")
    assert ("indirect", "Ortiz", "Ortiz", "said", "the council had wasted a year") in summary(got)
