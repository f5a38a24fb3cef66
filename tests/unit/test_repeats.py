"""streams.nlp.repeats: further mentions of names the article already names, on hand-built docs."""

import spacy
from spacy.tokens import Doc

from streams.nlp.entities import cluster_entities
from streams.nlp.mentions import find_mentions
from streams.nlp.repeats import known_names, repeated_mentions

VOCAB = spacy.blank("en").vocab


def doc(tagged: str, sent_starts: tuple[int, ...] = ()) -> Doc:
    words, ents = [], []
    for item in tagged.split():
        word, _, tag = item.partition("/")
        words.append(word)
        ents.append(tag or "O")
    starts = [True if i == 0 or i in sent_starts else False for i in range(len(words))]
    return Doc(VOCAB, words=words, ents=ents, sent_starts=starts)


def repeats(d: Doc) -> list[str]:
    mentions = find_mentions(d, "body")
    return [m.text for m in repeated_mentions(d, "body", known_names(mentions), mentions)]


def test_a_name_found_once_is_found_again():
    d = doc("Viktor/B-PERSON Lebedev/I-PERSON arrived . Lebedev/B-PERSON spoke and Lebedev left with Ostrava .")
    assert repeats(d) == ["Lebedev"]


def test_a_club_found_in_a_table_is_found_in_the_report():
    d = doc("Ashford beat the leaders . Kingsbridge/B-ORG 2 Ashford/B-ORG 1", sent_starts=(5,))
    assert repeats(d) == ["Ashford"]


def test_a_word_the_article_also_writes_in_lower_case_is_no_name_at_a_sentence_start():
    d = doc("Peter/B-PERSON Such/I-PERSON bowled . Such pace was rare , such/O a/O day .", sent_starts=(4,))
    assert repeats(d) == []


def test_part_of_a_longer_name_is_left_alone():
    d = doc("Kent/B-ORG won . East Kent lost and Kent Brown scored .", sent_starts=(3,))
    assert repeats(d) == []


def test_repeats_join_their_cluster():
    d = doc("Viktor/B-PERSON Lebedev/I-PERSON arrived . Lebedev spoke .", sent_starts=(4,))
    (entity,) = cluster_entities(doc(""), d).entities
    assert (entity.name, entity.type, entity.count) == ("Viktor Lebedev", "PERSON", 2)
