"""Cues and contents added for unseen text (issue 11): verbs of a topic or a cause, beliefs and
questions through their preposition, nouns of saying with what they are about, and what an
inverted subject leaves out. Sentences written for these tests, through the real engine."""

from tests.unit.test_statements import engine, hand_parsed, run  # noqa: F401 (engine is a fixture)


def found(statements):
    return [(s.speaker_mention, s.cue, s.content) for s in statements]


def test_speaking_of_a_topic_and_pressing_for_a_cause(engine):
    got = run(engine, "The mayor talked about the budget and alluded to the strike. The union campaigned "
                      "against the law and pushed for a vote.")
    assert found(got) == [("The mayor", "talked", "the budget"), ("The mayor", "alluded", "the strike"),
                          ("The union", "campaigned", "the law"), ("The union", "pushed", "a vote")]


def test_a_verb_of_a_cause_with_a_bare_object_reports_nothing(engine):
    assert run(engine, "She pushed the cart and pressed the button.") == []


def test_speaking_on_condition_of_anonymity_is_how_not_what(engine):
    assert run(engine, "The officer spoke on condition of anonymity about the raid.") == []


def test_beliefs_and_questions_through_their_preposition(engine):
    got = run(engine, "Voters believe in the plan, and the senator asked about the emails.")
    assert found(got) == [("Voters", "believe", "the plan"), ("the senator", "asked", "the emails")]


def test_a_noun_of_saying_with_what_it_is_about(engine):
    got = run(engine, "The governor issued a warning about the storm.")
    assert found(got) == [("The governor", "warning", "the storm")]


def test_a_possessive_speaker_stands_for_the_subject_of_its_verb(engine):
    got = run(engine, "Tomas Brandt renewed his attacks on the auditor.")
    assert [(s.speaker_mention, s.speaker, s.cue, s.content) for s in got] == [
        ("his", "Tomas Brandt", "attacks", "the auditor")]


def test_a_receiver_of_criticism_is_not_its_speaker(engine):
    got = run(engine, "The senator faced criticism of his votes.")
    assert all(s.speaker_mention != "The senator" for s in got)


def test_after_an_inverted_subject_the_verb_reports_only_what_came_before(engine):
    # The parser hangs "developed" on "said" as a complement; it is the speaker's relative clause.
    got = run(engine, '"When they say we cannot do it, I do not believe them," said Ann Lee, chair of the '
                      'science department at the college, who co-developed the tracking system with Microsoft.')
    assert [(s.kind, s.speaker_mention, s.content) for s in got] == [
        ("direct", "Ann Lee", "When they say we cannot do it, I do not believe them")]


def test_wanting_counts_with_the_subjects_own_infinitive_or_a_thing_wanted(engine):
    assert found(run(engine, "The mayor wants to rebuild the pier.")) == [("The mayor", "wants", "to rebuild the pier")]
    assert run(engine, "The union wants the plan to be dropped.") == []
    got = run(engine, "Most voters want a continuation of the current policies.")
    assert found(got) == [("Most voters", "want", "a continuation of the current policies")]


def test_the_present_of_see_judges_an_object_only(engine):
    assert found(run(engine, "Many voters see the deal as a trap.")) == [("Many voters", "see", "the deal as a trap")]
    assert run(engine, "We will see what happens.") == []


def test_a_title_case_headline_read_by_its_verb(engine):
    got = run(engine, "The crowd cheered.", title="Lakeside Ferry Pilots Blast Varga")
    assert found(got) == [("Lakeside Ferry Pilots", "Blast", "Varga")]
    got = run(engine, "The crowd cheered.", title="Retired Judge Ann Moore Defends Governor")
    assert found(got) == [("Retired Judge Ann Moore", "Defends", "Governor")]


def test_a_headline_whose_verb_came_first_has_no_speaker_before_a_later_cue_word(engine):
    # "holds" is the verb; "rates" is its object, not a verb of judging with "Central bank holds" as subject.
    assert run(engine, "The bank kept its rate at 3.5 percent.", title="Central bank holds rates steady") == []
    assert run(engine, "Officials met on Monday.", title="Council keeps rates on hold") == []


def test_calling_for_someone_to_act_is_one_clause(engine):
    got = run(engine, "Varga is calling for the harbour board to take a firmer line.")
    assert found(got) == [("Varga", "calling", "the harbour board to take a firmer line")]


def test_a_quotation_after_the_object_of_a_verb_of_naming_is_the_name_given(engine):
    got = run(engine, "He called the bomb ''a marvelous gift from God.''")
    assert [(s.kind, s.cue, s.content) for s in got] == [("mixed", "called", "the bomb ''a marvelous gift from God.''")]


def test_speaking_reports_its_topic_not_its_venue(engine):
    assert found(run(engine, "The governor spoke at a rally in Ohio.")) == []
    assert found(run(engine, "The governor spoke of her fear of losing the vote.")) == [
        ("The governor", "spoke", "her fear of losing the vote")]


def test_a_relative_clause_closing_a_reported_clause_is_the_writers_gloss(engine):
    got = run(engine, "The senators said they would not appear beside Governor Ann Ruiz, who has been battered "
                      "by the scandal.")
    assert found(got) == [("The senators", "said", "they would not appear beside Governor Ann Ruiz")]


def test_a_quoted_title_in_the_cues_own_phrase_is_no_continuation(engine):
    got = run(engine, '"Of course we will publish our accounts," Varga said during an interview on '
                      'KRVX\'s "Voice of the Valley." "It is not a secret," he added.')
    assert [(s.cue, s.content) for s in got] == [("said", "Of course we will publish our accounts"),
                                                 ("added", "It is not a secret")]


def test_a_quotation_after_a_quoted_title_in_the_cues_phrase_continues_the_statement(engine):
    got = run(engine, '"We will win the county," she said on the radio show "Morning Rounds" on Sunday. '
                      '"The polls are wrong."')
    assert [s.content for s in got] == ['"We will win the county," she said on the radio show "Morning Rounds" '
                                        'on Sunday. "The polls are wrong."']
    # The title's closing mark may hold the full stop.
    got = run(engine, '"We will win the county," he said on the radio show "Morning Rounds." "The polls are wrong."')
    assert [s.content for s in got][0].endswith('"The polls are wrong."')
    # A quoted word in lower case is no title: what follows it is not taken on.
    got = run(engine, '"We will win the county," he said, mocking the "experts" on the radio. "The polls are wrong."')
    assert [s.content for s in got if s.cue == "said"] == ["We will win the county"]


def test_a_second_that_clause_coordinated_with_the_cue_is_its_complement_too(engine):
    got = run(engine, "The treasurer believes there are no painless cuts, but that sometimes the smaller loss will "
                      "have to suffice.")
    assert found(got) == [("The treasurer", "believes",
                           "there are no painless cuts, but that sometimes the smaller loss will have to suffice")]


def test_a_coordinated_verb_with_a_modal_is_more_of_the_report(engine):
    got = run(engine, "She said she hoped to win the seat again, and then would continue to fight for the orchard.")
    assert found(got) == [("She", "said", "she hoped to win the seat again, and then would continue to fight "
                                          "for the orchard")]


def test_a_list_of_objects_is_one_content(engine):
    # The parser reads "health care" as a second object of the verb and the rest as its conjuncts.
    got = run(engine, "The senators were discussing the economy, health care, the environment or a candidate "
                      "for governor.")
    assert found(got) == [("The senators", "discussing",
                           "the economy, health care, the environment or a candidate for governor")]
    got = run(engine, "She praised his long experience, his grasp of the issues and his preparedness.")
    assert found(got) == [("She", "praised", "his long experience, his grasp of the issues and his preparedness")]


def test_an_apposition_without_a_list_is_still_a_gloss(engine):
    got = run(engine, "The mayor criticized the plan, a costly one.")
    assert found(got) == [("The mayor", "criticized", "the plan")]


def test_a_quotation_announced_by_a_colon_is_the_subjects(engine):
    # "resisted" is no verb of saying: the colon announces whose words follow.
    got = run(engine, 'Fishing crews demanded a ban. Brandt resisted: "Harbour commissioners do not '
                      'have the power to close the bay."')
    assert ("direct", "Brandt", "Harbour commissioners do not have the power to close the bay.") in [
        (s.kind, s.speaker_mention, s.content) for s in got]


def test_a_name_after_a_dash_before_a_colon_is_a_byline(engine):
    got = run(engine, "RED STATES OUTNUMBER BLUE STATES - Jeffrey M. Jones: \u201cGallup\u2019s analysis of party "
                      "affiliation is clear.\u201d")
    assert [(s.speaker_mention, s.content) for s in got] == [
        ("Jeffrey M. Jones", "Gallup\u2019s analysis of party affiliation is clear.")]


def test_a_quotation_after_a_cue_and_colon_is_read_once(engine):
    got = run(engine, 'She said: "We will win."')
    assert [(s.speaker_mention, s.cue, s.content) for s in got] == [("She", "said", "We will win.")]


def test_a_pro_form_after_a_verb_of_saying_or_thinking_is_what_was_said(engine):
    got = run(engine, "Asked whether the tunnel would open on time, most of the engineers said no. "
                      "The mayor thinks so, and her deputy said yes.")
    found = {(s.speaker_mention, s.cue, s.content) for s in got}
    assert ("most of the engineers", "said", "no") in found
    assert ("The mayor", "thinks", "so") in found
    assert ("her deputy", "said", "yes") in found


def test_so_and_no_that_begin_a_phrase_are_no_pro_forms(engine):
    got = run(engine, "The director said so far the budget had held. She said no one had complained.")
    assert not [s for s in got if s.content in ("so", "no")]


def test_a_pro_form_after_a_modal_of_obligation_reports_nothing(engine):
    got = run(engine, "If the council wants the money, its members should say so.")
    assert not [s for s in got if s.content == "so"]


def test_a_contrasting_report_after_while_is_a_statement_of_its_own(engine):
    got = run(engine, "Several parents said the new timetable had made mornings easier, while the teachers said "
                      "they had not noticed any change in the classrooms.")
    found = {(s.speaker_mention, s.content) for s in got}
    assert ("Several parents", "the new timetable had made mornings easier") in found
    assert ("the teachers", "they had not noticed any change in the classrooms") in found


def test_while_of_time_inside_a_report_stays_in_it(engine):
    got = run(engine, "The mayor said the bridge was closed while engineers inspected the cables.")
    assert [s.content for s in got if s.cue == "said"] == ["the bridge was closed while engineers inspected the cables"]


def test_a_reduced_relative_read_as_a_first_complement_runs_on_into_its_verb():
    """The parser's mistake (the participle of a reduced relative taken for the cue's first
    complement, the real verb for a second one), on a hand-built parse."""
    words = ["The", "warden", "said", "the", "prisoners", "released", "by", "the", "state", "were", "close", "to",
             "finishing", "their", "terms", "."]
    heads = [1, 2, 2, 4, 5, 2, 5, 8, 6, 2, 9, 10, 11, 14, 12, 2]
    deps = ["det", "nsubj", "ROOT", "det", "nsubj", "ccomp", "agent", "det", "pobj", "ccomp", "acomp", "prep", "pcomp",
            "poss", "dobj", "punct"]
    said = [s for s in hand_parsed(words, heads, deps) if s.cue == "said"]
    assert len(said) == 1
    assert said[0].content == "the prisoners released by the state were close to finishing their terms"


def test_the_lexicon_inflects_its_verbs_as_english_does():
    from streams.nlp.cues import CUE_FORMS
    # A final consonant doubles after a short stressed vowel; "objected" does not double.
    for form in ("slammed", "slamming", "dubbed", "bragged", "concurred", "objected", "quipped", "admitted"):
        assert form in CUE_FORMS, form
    for misspelt in ("slamed", "dubed", "objectted", "braged"):
        assert misspelt not in CUE_FORMS, misspelt
    # British spelling doubles a final "l" after one vowel; "rail" and "call" have nothing to double.
    for form in ("labelled", "signalling", "marvelled", "labeled"):
        assert form in CUE_FORMS, form
    assert "railled" not in CUE_FORMS and "callled" not in CUE_FORMS


def test_a_slammed_object_is_the_stance_taken(engine):
    got = run(engine, "The governor slammed the budget deal.")
    assert found(got) == [("The governor", "slammed", "the budget deal")]


def test_verbs_of_judgment_and_depiction(engine):
    got = run(engine, "The mayor thanked the volunteers for their work.")
    assert found(got) == [("The mayor", "thanked", "the volunteers for their work")]
    got = run(engine, "The ads portray the senator as a career politician.")
    assert found(got) == [("The ads", "portray", "the senator as a career politician")]
    # Depicting needs its predicate: a painted house or a cast vote is no judgment.
    assert run(engine, "The volunteers painted the school.") == []


def test_phrasal_verbs_of_stance_report_what_their_preposition_introduces(engine):
    got = run(engine, "The governor sided with the teachers. The senator lashed out at the critics.")
    assert found(got) == [("The governor", "sided", "the teachers"), ("The senator", "lashed out", "the critics")]
    # Without their preposition they take no stance: a distance, a double, a touch.
    assert run(engine, "The runner doubled his lead and touched the wall.") == []


def test_a_state_of_mind_with_its_preposition_or_its_infinitive(engine):
    got = run(engine, "The senator has been critical of the trade deal. The mayor is eager to run for a second term.")
    assert found(got) == [("The senator", "critical", "the trade deal"), ("The mayor", "eager", "to run for a second term")]
    # The preposition must be the state's own: "critical in the race" says where, "eager for" is none.
    assert run(engine, "The vote was critical in the race. The fans were eager for the game.") == []


def test_a_text_reads_its_quoted_words_and_a_reader_reads_nothing(engine):
    got = run(engine, "The letter reads: \u201cWe will not comply.\u201d")
    assert found(got) == [("The letter", "reads", "We will not comply.")]
    assert run(engine, "He read the report twice.") == []


def test_voting_for_or_against_is_the_stance_taken(engine):
    got = run(engine, "Most Republicans voted against the bill. Forty percent would vote for the mayor.")
    assert found(got) == [("Most Republicans", "voted", "the bill"), ("Forty percent", "vote", "the mayor")]
    # An infinitive is still what a vote commits to; a place is where it was cast.
    assert found(run(engine, "The council voted to close the library.")) == [
        ("The council", "voted", "to close the library")]
    assert run(engine, "She voted in Ohio.") == []
    assert run(engine, "He voted the party line.") == []


def test_a_passive_request_is_its_infinitive_with_nobody_named(engine):
    got = run(engine, "Okafor has been asked to publish the minutes of the board meetings.")
    assert found(got) == [(None, "asked", "to publish the minutes of the board meetings")]
    got = run(engine, "When asked to leave, he refused.")
    assert found(got) == [(None, "asked", "to leave")]


def test_a_list_of_verb_phrases_hung_on_the_cue_is_one_content(engine):
    # The parser hangs "freezing ..." on "supports" (and "replace ..." on "urged"), not on the
    # first item of the list.
    got = run(engine, "The governor supports raising tolls, freezing fishing quotas and changing "
                      "the harbour charter.")
    assert [(s.cue, s.content) for s in got] == [
        ("supports", "raising tolls, freezing fishing quotas and changing the harbour charter")]
    got = run(engine, "Senator Brandt urged the union to scrap its levy system, replace the board's current "
                      "treasurer, open up weekend ballots in the villages, and make its meetings open to "
                      "nonmembers.")
    assert [(s.cue, s.content.split(",")[0], s.content.endswith("open to nonmembers")) for s in got] == [
        ("urged", "the union to scrap its levy system", True)]
    # A clause with a subject of its own after the comma is no item of the list.
    got = run(engine, "The governor supports raising tolls, and critics say the plan will fail.")
    assert ("supports", "raising tolls") in [(s.cue, s.content) for s in got]


def test_a_trailing_participle_after_a_quotation_closing_on_a_comma_is_a_report_of_its_own(engine):
    # '..."river town values," stating ...': the comma inside the closing quotation sets the
    # participle off as surely as one outside it; the participle reports on its own, for the same speaker.
    got = run(engine, 'Varga said last week that Brandt represents "river town values," stating during the forum '
                      'that they are "stubbornly frugal."')
    assert [(s.speaker_mention, s.cue, s.content) for s in got] == [
        ("Varga", "said", 'Brandt represents "river town values,"'),
        ("Varga", "stating", 'they are "stubbornly frugal."')]


def test_a_participle_after_a_quoted_phrase_does_not_attribute_the_quotation(engine):
    # The quotation is a phrase of the clause before ('defended his "roads first budget,"'): a
    # participle after it reports what follows it, for that clause's subject, never the quotation.
    got = run(engine, "The governor defended his \u201croads first budget,\u201d pledging to repair every bridge in the county.")
    assert [(s.speaker_mention, s.cue, s.content) for s in got] == [
        ("The governor", "defended", "his \u201croads first budget,\u201d"),
        ("The governor", "pledging", "to repair every bridge in the county")]


def test_a_subject_read_as_an_adverbial_noun_of_the_cue_opens_the_clause(engine):
    # The parser hangs "the nights when ..." on "said" like "said Tuesday", leaving "are gone"
    # without a subject: the noun phrase is the reported clause's subject.
    got = run(engine, 'Ms. Duval, the editor of a guide to old inns, said the nights when each road had "an inn of its '
                      'own" from the crown and the country lords are gone.')
    assert [(s.speaker_mention, s.cue, s.content) for s in got] == [
        ("Ms. Duval", "said", 'the nights when each road had "an inn of its own" from the crown and the country '
                              'lords are gone')]


def test_a_quoted_title_after_the_cue_is_no_complement(engine):
    # The parser takes the show's quoted name for a clause complement of "said".
    got = run(engine, "“Being a ferry captain, that’s my job,” Okafor said in June on the podcast "
                      "“What’s the Weather.”")
    assert [(s.speaker_mention, s.cue, s.content) for s in got] == [
        ("Okafor", "said", "Being a ferry captain, that’s my job")]
    got = run(engine, "''He sees the valley as a partner,'' Ms. Ruiz said on KVRT's ''Valley Morning Hour.''")
    assert [(s.cue, s.content) for s in got] == [("said", "He sees the valley as a partner")]


def test_a_clause_opened_by_a_subordinator_of_time_is_no_complement(engine):
    # The parser makes "booed" a clause complement of "said", marked "as".
    got = run(engine, '"She did not pay the fines," he said as some wearing Varga hats booed.')
    assert [(s.cue, s.content) for s in got] == [("said", "She did not pay the fines")]


def test_the_occasion_of_saying_is_no_part_of_the_object(engine):
    got = run(engine, "He repeated his position at a school board meeting in Elmsford on Monday.")
    assert [(s.cue, s.content) for s in got] == [("repeated", "his position")]
    got = run(engine, "Top aides acknowledged the problem in an interview with the Times.")
    assert [(s.cue, s.content) for s in got] == [("acknowledged", "the problem")]


def test_what_is_expected_feared_or_weighed_may_be_a_noun_phrase(engine):
    got = run(engine, "Harbour officials are expecting a record haul of more than nine thousand tonnes.")
    assert [(s.speaker_mention, s.cue, s.content) for s in got] == [
        ("Harbour officials", "expecting", "a record haul of more than nine thousand tonnes")]
    got = run(engine, "Party leaders feared the electoral consequences of the vote.")
    assert [(s.cue, s.content) for s in got] == [("feared", "the electoral consequences of the vote")]
    got = run(engine, "The city is considering issuing fines to marchers who block highways.")
    assert [(s.cue, s.content) for s in got] == [("considering", "issuing fines to marchers who block highways")]
    # A belief verb of knowing or trusting holds nothing as a noun phrase.
    assert run(engine, "Voters believe him and know the area well.") == []


def test_ruling_out_a_course_reports_it(engine):
    got = run(engine, "She would not rule out a third-party run.")
    assert [(s.speaker_mention, s.cue, s.content) for s in got] == [("She", "rule out", "a third-party run")]
    got = run(engine, "The governor ruled out seeking a third term next year.")
    assert [(s.cue, s.content) for s in got] == [("ruled out", "seeking a third term next year")]
    assert run(engine, "The court will rule on the case tomorrow.") == []


def test_a_promise_or_pledge_reports_what_it_commits_its_owner_to(engine):
    got = run(engine, "The senator's pledge to remove all troops by spring drew praise.")
    assert [(s.speaker_mention, s.cue, s.content) for s in got] == [
        ("The senator", "pledge", "to remove all troops by spring")]
    # Nobody's promise: no statement.
    assert run(engine, "There is a promise to rebuild the bridge.") == []


def test_a_judgment_given_by_an_adverb_is_a_verdict(engine):
    got = run(engine, "A majority of voters view him favorably, while 64 percent viewed Varga unfavorably.")
    assert [(s.speaker_mention, s.cue, s.content) for s in got] == [
        ("A majority of voters", "view", "him favorably"), ("64 percent", "viewed", "Varga unfavorably")]
    assert run(engine, "Tourists viewed the paintings quietly.") == []


def test_as_reported_by_a_source_vouches_for_the_clause(engine):
    got = run(engine, "As reported by the Globe, investigators found over 2,000 emails on the server.")
    assert [(s.speaker_mention, s.cue, s.content) for s in got] == [
        ("the Globe", "reported", "investigators found over 2,000 emails on the server")]
    # Evidence cited is nobody's report.
    assert [s.cue for s in run(engine, "As shown by the data, turnout fell sharply.")] == []


def test_an_as_clause_after_the_object_of_a_naming_verb_is_its_predicate(engine):
    # The parser reads "as" as a subordinator and "beset" as an adverbial clause.
    got = run(engine, "Varga described the harbour as beset by rogue trawlers, some of them unlicensed.")
    assert [(s.cue, s.content) for s in got] == [("described", "the harbour as beset by rogue trawlers")]


def test_a_participle_of_saying_inside_an_object_is_a_second_report():
    """"Lee rejected the idea that it would fail, saying crowds prove it", with "saying" hung on
    "fail", inside the object (hand-built parse of that mistake)."""
    words = ["Lee", "rejected", "the", "idea", "that", "it", "would", "fail", ",", "saying", "crowds", "prove", "it",
             "."]
    heads = [1, 1, 3, 1, 7, 7, 7, 3, 7, 7, 11, 9, 11, 1]
    deps = ["nsubj", "ROOT", "det", "dobj", "mark", "nsubj", "aux", "acl", "punct", "advcl", "nsubj", "ccomp", "dobj",
            "punct"]
    found = {(s.cue, s.speaker_mention, s.content) for s in hand_parsed(words, heads, deps)}
    assert ("rejected", "Lee", "the idea that it would fail") in found
    assert ("saying", "Lee", "crowds prove it") in found


def test_a_name_given_in_a_reduced_relative_is_nobodys_report(engine):
    assert run(engine, "A cooperative called Larkspur Growers gave $3,200 to the school fund.") == []
    # With the namer in a "by" phrase, or as a verb of its own, it is a report.
    got = run(engine, "The mayor called the plan a disgrace.")
    assert [(s.cue, s.content) for s in got] == [("called", "the plan a disgrace")]


def test_a_that_clause_hung_on_the_occasion_noun_is_the_cues_complement(engine):
    # The parser hangs "that the tender ..." on "statement", not on "says".
    got = run(engine, "Varga’s chief adviser Pim Osei says in a statement that the tender will now be a "
                      "three-firm contest.")
    assert [(s.cue, s.content) for s in got] == [("says", "the tender will now be a three-firm contest")]


def test_a_reason_or_a_modal_continuation_the_parser_hung_on_the_cue_is_part_of_what_was_said(engine):
    got = run(engine, "Ms. Okafor said she hoped to reopen her bakery by autumn, and then would continue to train "
                      "young apprentices.")
    assert [(s.cue, s.content) for s in got] == [
        ("said", "she hoped to reopen her bakery by autumn, and then would continue to train young apprentices")]


def test_a_clause_before_the_cue_across_a_colon_is_not_its_complement(engine):
    # The parser hangs the first part of the sentence on "supported" as a complement.
    got = run(engine, "On top of worrying that she seems out of touch, Mrs. Halvorsen is rather boxed in by "
                      "her past: She and her brother supported the Northern Rail Freight Compact.")
    assert [(s.speaker_mention, s.cue, s.content) for s in got if s.cue == "supported"] == [
        ("She and her brother", "supported", "the Northern Rail Freight Compact")]


def test_a_verb_of_stance_or_intent_takes_nothing_before_it_as_its_complement(engine):
    # The parser hangs the first clause on "opposed" and on "voting" as complements; only verbs of
    # saying, believing and finding report what comes before them ('"...," she said').
    got = run(engine, "Yet she has now promised to press harder than Mr. Lindqvist in granting permits to "
                      "migrant fishermen, opposed his signature Tri-County water deal and outdid "
                      "his plans to clean up the river.")
    assert ("she", "opposed", "his signature Tri-County water deal") in [
        (s.speaker_mention, s.cue, s.content) for s in got]
    got = run(engine, "There are a lot of farmers who aren’t fond of Varga but don’t want a reckless "
                      "spender for a chairman, so they’re grudgingly voting for a candidate they don’t "
                      "fully trust.")
    assert ("voting", "a candidate they don’t fully trust") in [(s.cue, s.content) for s in got]


def test_a_complement_with_no_subject_of_its_own_does_not_outweigh_the_quotation(engine):
    # The parser hangs the relative clause's verb "relocated" on "said" as a complement.
    got = run(engine, "“We’re going to charge you when those tractors come,” Varga said in March of tractor "
                      "manufacturer Brenner Works Corp., whose parent company Osterfeld Group Corp. "
                      "relocated 700 jobs to Porto, Portugal.")
    assert [(s.speaker_mention, s.content) for s in got] == [
        ("Varga", "We’re going to charge you when those tractors come")]


def test_an_if_clause_after_a_verb_of_asking_is_the_question_asked(engine):
    # The parser takes the "if"-clause for a condition on "asked".
    got = run(engine, "The Courier asked the harbour master if he’s been readying his crews for the "
                      "possibility of a flood.")
    assert [(s.speaker_mention, s.cue, s.content) for s in got] == [
        ("The Courier", "asked", "if he’s been readying his crews for the possibility of a flood")]
    # After other verbs an "if"-clause stays a condition.
    got = run(engine, "The mayor praised the plan if it passes the council.")
    assert "if it passes the council" not in [s.content for s in got]


def test_a_passive_judgment_reports_its_verdict_held_by_its_agent_or_nobody_named(engine):
    got = run(engine, "Mr. Brandt is seen as empowering ordinary tenants against the will of the housing board.")
    assert [(s.speaker_mention, s.cue, s.content) for s in got] == [
        (None, "seen", "empowering ordinary tenants against the will of the housing board")]
    got = run(engine, "Ferreira is known for her stern rulings.")
    assert [(s.speaker_mention, s.content) for s in got] == [(None, "her stern rulings")]
    got = run(engine, "The plan was seen by many donors as a retreat.")
    assert [(s.speaker_mention, s.content) for s in got] == [("many donors", "a retreat")]
    # A subject borrowed from the verb above is no judge.
    got = run(engine, "Whoever turns out to be the next harbour master has a fair chance to be considered a true "
                      "reformer.")
    assert [(s.speaker_mention, s.content) for s in got] == [(None, "a true reformer")]
    # Seen doing something is a sight, not a judgment.
    assert run(engine, "The suspect was seen leaving the building.") == []


def test_a_story_told_is_what_was_said(engine):
    got = run(engine, "She often tells the story of how the old mayor coaxed her into serving as his deputy.")
    assert [(s.speaker_mention, s.cue, s.content) for s in got] == [
        ("She", "tells", "the story of how the old mayor coaxed her into serving as his deputy")]
    # The hearer of "told" is no content.
    assert run(engine, "He told his aides at the meeting.") == []


def test_in_the_hope_that_is_held_by_the_one_who_acted(engine):
    got = run(engine, "Dozens of farmers marched to the town hall in the hopes that the council will approve a lower "
                      "water tax.")
    assert [(s.speaker_mention, s.content) for s in got] == [
        ("Dozens of farmers", "the council will approve a lower water tax")]


def test_a_phrase_of_the_medium_or_occasion_is_no_part_of_the_object(engine):
    got = run(engine, "Brandt defended his vote this week on his weekly harbour radio show.")
    assert [(s.cue, s.content) for s in got] == [("defended", "his vote")]
    assert [(s.cue, s.content) for s in run(engine, "Okafor attacked her on cable news.")] == [("attacked", "her")]


def test_a_quotation_right_before_an_as_clause_is_what_was_said(engine):
    got = run(engine, "Still, the fact that the tender “is wide open right now,” as Varga said on Pia Lund’s "
                      "radio program on Friday, only raises the stakes of every small decision.")
    assert ("Varga", "said", "is wide open right now") in [(s.speaker_mention, s.cue, s.content) for s in got]


def test_identifying_something_as_something_is_a_judgment(engine):
    got = run(engine, "The Brandt camp has identified her timber trade ties as one of her weakest points.")
    assert [(s.speaker_mention, s.content) for s in got] == [
        ("The Brandt camp", "her timber trade ties as one of her weakest points")]
    assert run(engine, "Police identified the driver on Monday.") == []
