"""Speakers the parse does not hand over (issue 11): datelines, namesakes, inverted and unlinked
subjects, numbers as speakers. Sentences written for these tests, through the real engine."""

from tests.unit.test_statements import engine, hand_parsed, run, summary  # noqa: F401 (engine is a fixture)


def test_a_dateline_is_never_the_speaker(engine):
    # The parser makes TULSA the subject of "told" and the chief its apposition.
    got = run(engine, "TULSA, Okla. - Police Chief Dan Moore told reporters the suspect had fled.")
    assert [(s.cue, s.content) for s in got] == [("told", "the suspect had fled")]
    assert "Dan Moore" in got[0].speaker and "TULSA" not in got[0].speaker_mention
    got = run(engine, "DENVER, Colo. (AP) - Governor Ann Ruiz toured the flooded valley and said the state "
                      "would pay for repairs.")
    assert [(s.speaker_mention, s.cue) for s in got] == [("Governor Ann Ruiz", "said")]
    # In title case only with the agency: "New York (AFP) -" as the wires write it.
    got = run(engine, "Mexico City (AFP) - Senator Ann Ruiz on Monday toured the border, accusing the "
                      "governor of neglect.")
    assert [(s.speaker_mention, s.cue) for s in got] == [("Senator Ann Ruiz", "accusing")]


def test_a_cue_with_no_subject_in_the_parse_takes_the_nearest_subject_before_it(engine):
    # "suggested" is parsed as the root, with the first clause hung on it and no subject.
    got = run(engine, "She praised the budget and raised doubts about the tax plan, suggested that the "
                      "deficit would grow.")
    assert ("She", "suggested", "the deficit would grow") in [(s.speaker_mention, s.cue, s.content) for s in got]


def test_a_passive_cue_names_its_hearer_not_its_speaker(engine):
    # "told" is coordinated with "toured", whose subject it must not borrow.
    got = run(engine, "Officials toured the site on Monday, and afterwards the mayor was told that the plant "
                      "would close.")
    assert [(s.speaker_mention, s.cue, s.content) for s in got] == [(None, "told", "the plant would close")]


def test_a_participle_in_a_fronted_phrase_borrows_the_subject_of_the_clause(engine):
    got = run(engine, "In addition to stating that the levy was unfair, the governor has vowed to repeal it.")
    assert ("the governor", "stating", "the levy was unfair") in [(s.speaker_mention, s.cue, s.content) for s in got]


def test_speaker_after_its_verb_parsed_as_an_object(engine):
    got = run(engine, '"It is her race to lose," added another Iowa Democrat.')
    assert summary(got) == [("direct", "Democrat", "another Iowa Democrat", "added", "It is her race to lose")]
    got = run(engine, '"We will win," added one longtime donor.')
    assert [(s.speaker_mention, s.content) for s in got] == [("one longtime donor", "We will win")]


def test_shares_of_people_speak(engine):
    got = run(engine, "Seven in 10 say the mayor is honest, and 31% say she is not.")
    assert [(s.speaker_mention, s.content) for s in got] == [("Seven in 10", "the mayor is honest"),
                                                             ("31%", "she is not")]


def test_a_surname_two_people_share_goes_to_the_one_just_named_in_its_paragraph(engine):
    body = ("Hillary Clinton spoke in Iowa. Hillary Clinton met donors later.\n\n"
            "Bill Clinton then toured a school. Clinton said the trip had gone well.\n\n"
            "Clinton said the campaign would go on.")
    got = run(engine, body)
    assert [(s.speaker_mention, s.speaker) for s in got] == [("Clinton", "Bill Clinton"), ("Clinton", "Hillary Clinton")]
    bill = next(e for e in engine.enrich(__import__("schemas").RawArticle(id="t", title="", body=body)).entities
                if e.name == "Bill Clinton")
    assert got[0].speaker_entity_id == bill.id


def test_a_surname_with_an_honorific_keeps_its_cluster(engine):
    got = run(engine, "Hillary Clinton spoke in Iowa. Hillary Clinton met donors.\n\n"
                      "Bill Clinton toured a school, and Mrs. Clinton said the trip had gone well.")
    assert [(s.speaker_mention, s.speaker) for s in got] == [("Mrs. Clinton", "Hillary Clinton")]


def test_the_one_asked_is_not_the_speaker_of_asked(engine):
    got = run(engine, "Asked about the vote, the senator said the bill would fail.")
    assert [(s.speaker_mention, s.cue) for s in got if s.cue == "Asked"] in ([], [(None, "Asked")])
    assert [(s.speaker_mention, s.content) for s in got if s.cue == "said"] == [("the senator", "the bill would fail")]


def test_a_dateline_with_a_horizontal_bar(engine):
    got = run(engine, "BOSTON \u2015 Police Chief Dan Moore told reporters the suspect had fled.")
    assert all("BOSTON" not in (s.speaker_mention or "") for s in got)


def test_a_speaker_phrase_never_reaches_back_into_the_dateline(engine):
    got = run(engine, "RENO, Nev. (AP) \u2014 Republican hopeful Ann Lee says she does not watch the debates.")
    assert [(s.speaker_mention, s.cue) for s in got] == [("Republican hopeful Ann Lee", "says")]


def test_a_name_before_a_parenthesis_set_off_by_dashes_speaks():
    """The parser hangs the name inside the parenthesis (as the passive subject of its verb), on a
    hand-built parse of that mistake."""
    words = ["Ms.", "Okafor", "-", "in", "a", "line", "that", "seemed", "aimed", "at", "the", "council", "-",
             "declared", "that", "districts", "need", "libraries", "."]
    heads = [1, 8, 1, 8, 5, 3, 7, 8, 13, 8, 11, 9, 13, 13, 16, 16, 13, 16, 13]
    deps = ["compound", "nsubjpass", "punct", "prep", "det", "pobj", "nsubj", "auxpass", "advcl", "prep", "det",
            "pobj", "punct", "ROOT", "mark", "nsubj", "ccomp", "dobj", "punct"]
    ents = ["B-PERSON", "I-PERSON"] + ["O"] * (len(words) - 2)
    got = [s for s in hand_parsed(words, heads, deps, ents=ents) if s.cue == "declared"]
    assert len(got) == 1 and got[0].speaker_mention == "Ms. Okafor"
    assert got[0].content == "districts need libraries"


def test_a_name_opening_a_sentence_read_as_part_of_a_noun_phrase_speaks(engine):
    got = run(engine, "Trump predicts that as the other candidates drop out, their voters will come to him.")
    assert _speaker_of_only(got, "predicts") == "Trump"


def test_a_relative_pronoun_beside_the_cue_subject_is_not_the_speaker(engine):
    got = run(engine, "The mayor faulted critics for their distrust of the agency, which he argued seeks to "
                      "protect renters.")
    argued = [s for s in got if s.cue == "argued"]
    assert len(argued) == 1 and argued[0].speaker_mention == "he"
    assert argued[0].content == "seeks to protect renters"


def test_a_name_right_after_a_speech_verb_after_its_quotation_speaks():
    """'"...," said Tom Reyes, a lawyer': the parser may hang the name as the verb's object; it is
    the speaker and the quotation what was said (hand-built parse of that mistake)."""
    words = ['"', "We", "expect", "a", "fight", ",", '"', "said", "Tom", "Reyes", ",", "a", "lawyer", "."]
    spaces = [False, True, True, True, False, False, True, True, True, False, True, True, False, False]
    heads = [7, 2, 7, 4, 2, 7, 7, 7, 9, 7, 9, 12, 9, 7]
    deps = ["punct", "nsubj", "ccomp", "det", "dobj", "punct", "punct", "ROOT", "compound", "dobj", "punct", "det",
            "appos", "punct"]
    ents = ["O"] * 8 + ["B-PERSON", "I-PERSON"] + ["O"] * 4
    got = [s for s in hand_parsed(words, heads, deps, spaces=spaces, ents=ents) if s.cue == "said"]
    assert len(got) == 1 and got[0].speaker_mention == "Tom Reyes"
    assert "We expect a fight" in got[0].content and "lawyer" not in got[0].content


def test_a_name_with_its_apposition_before_a_subjectless_verb_speaks():
    """'Alarmed by the flooding, Governor Paul Stein, the party leader, said ...': the parser
    coordinated the name into the fronted phrase (hand-built parse of that mistake)."""
    words = ["Alarmed", "by", "the", "flooding", ",", "Governor", "Paul", "Stein", ",", "the", "party", "leader", ",",
             "said", "that", "he", "spoke", "."]
    heads = [13, 0, 3, 1, 3, 7, 7, 3, 7, 11, 11, 7, 7, 13, 16, 16, 13, 13]
    deps = ["advcl", "prep", "det", "pobj", "punct", "compound", "compound", "conj", "punct", "det", "compound", "appos",
            "punct", "ROOT", "mark", "nsubj", "ccomp", "punct"]
    ents = ["O"] * 6 + ["B-PERSON", "I-PERSON"] + ["O"] * 10
    got = [s for s in hand_parsed(words, heads, deps, ents=ents) if s.cue == "said"]
    assert len(got) == 1 and got[0].speaker_mention is not None and "Stein" in got[0].speaker_mention


def test_a_name_before_a_trailing_participle_is_not_its_subject(engine):
    got = run(engine, "The governor praised Senator Paul Stein, calling him a tireless friend of the coast.")
    calling = [s for s in got if s.cue == "calling"]
    assert calling and calling[0].speaker_mention == "The governor"


def test_will_before_a_past_form_is_a_name(engine):
    got = run(engine, "In a new column, Will urged the party to abandon the outsiders. Will voters listen?")
    assert _speaker_of_only(got, "urged") == "Will"


def test_a_state_of_mind_in_a_trailing_phrase_or_a_second_conjunct_has_a_holder(engine):
    got = run(engine, "The mayor has been quietly building support in the suburbs, confident that she can win "
                      "the primary. Some council members are confident in the plan and openly skeptical about "
                      "the budget.")
    held = {(s.cue, s.speaker_mention) for s in got}
    assert ("confident", "The mayor") in held
    assert ("skeptical", "Some council members") in held


def test_the_phrase_between_a_quotation_and_its_verb_speaks_even_when_hung_inside_it(engine):
    # The parser makes "director" an object of "cut", inside the quotation, and "said" has no subject.
    text = ('"The numbers from last year are clear: vaccines cut hospital admissions by more than half among '
            'people over seventy," the agency\'s director, Dr. Ines Varga, said in a statement.')
    got = run(engine, text)
    assert [(s.kind, s.speaker_mention, s.cue) for s in got] == [("direct", "the agency's director", "said")]
    assert got[0].content.endswith("people over seventy")


def _speaker_of_only(statements, cue: str) -> str | None:
    """The speaker mention of the one statement with this cue (fails when there is not exactly one)."""
    found = [s for s in statements if s.cue == cue]
    assert len(found) == 1, f"{len(found)} statements with cue {cue!r}"
    return found[0].speaker_mention


def test_a_name_the_parser_hung_as_an_apposition_in_a_fronted_phrase_speaks(engine):
    # "Maria Lopez" is parsed as an apposition of "plea", and "said" has no subject.
    got = run(engine, "As part of her plea, Maria Lopez, 52, said that she had taken the funds.")
    assert [(s.speaker_mention, s.cue, s.content) for s in got] == [("Maria Lopez", "said", "she had taken the funds")]


def test_a_participle_of_saying_after_a_reported_clause_goes_on_with_its_speaker(engine):
    # The parser hangs "remarking" on "sink", inside what Lund warned; "the vote" is no speaker.
    got = run(engine, "Rep. Amy Lund, meanwhile, warned that the vote could sink the bill, remarking that it "
                      "showed the need to start over.")
    assert _speaker_of_only(got, "remarking") == "Rep. Amy Lund"
    got = run(engine, "The senator said the merger would cost jobs, adding that workers deserved better.")
    assert _speaker_of_only(got, "adding") == "The senator"


def _hand_parsed(words: list[str], heads: list[int], deps: list[str], cue: str):
    """The statements with cue ``cue`` of a one-sentence body parsed by hand."""
    return [s for s in hand_parsed(words, heads, deps) if s.cue == cue]


def test_the_words_opening_a_sentence_before_a_subjectless_verb_are_its_subject():
    """'The book and film blame the chief ...' with "book" parsed as a modifier of "blame", which
    is left with no subject (hand-built parse of that mistake)."""
    words = ["The", "book", "and", "film", "blame", "the", "chief", "for", "the", "delays", "."]
    heads = [1, 4, 1, 1, 4, 6, 4, 4, 9, 7, 4]
    deps = ["det", "nmod", "cc", "conj", "ROOT", "det", "dobj", "prep", "det", "pobj", "punct"]
    got = _hand_parsed(words, heads, deps, "blame")
    assert len(got) == 1 and got[0].speaker_mention == "film" and got[0].content.startswith("the chief")
    # An adverb before the verb is no subject: "Instead, blame the chief for the delays."
    words = ["Instead", ",", "blame", "the", "chief", "for", "the", "delays", "."]
    heads = [2, 2, 2, 4, 2, 2, 7, 5, 2]
    deps = ["advmod", "punct", "ROOT", "det", "dobj", "prep", "det", "pobj", "punct"]
    assert [s.speaker_mention for s in _hand_parsed(words, heads, deps, "blame")] in ([], [None])


def test_a_name_hung_back_on_the_sentence_before_is_the_next_verbs_subject():
    """'He left. Priebus, in the wake of the poll, told reporters he would stay', with "Priebus"
    hung on "left" across the sentence break (hand-built parse of that mistake)."""
    words = ["He", "left", ".", "Priebus", ",", "in", "the", "wake", "of", "the", "poll", ",", "told", "reporters",
             "he", "would", "stay", "."]
    heads = [1, 1, 1, 1, 1, 12, 7, 5, 7, 10, 8, 12, 12, 12, 16, 16, 12, 12]
    deps = ["nsubj", "ROOT", "punct", "npadvmod", "punct", "prep", "det", "pobj", "prep", "det", "pobj", "punct",
            "ROOT", "dobj", "nsubj", "aux", "ccomp", "punct"]
    got = _hand_parsed(words, heads, deps, "told")
    assert [(s.speaker_mention, s.content) for s in got] == [("Priebus", "he would stay")]


def test_a_phrase_ending_the_sentence_after_a_quotations_verb_speaks(engine):
    # The parser makes "another" the object of "tweeted"; it is the one who tweeted.
    got = run(engine, '"Keep an eye on the harbour clerk, since she says reopening the pier matters more than '
                      'balancing the books," tweeted another.')
    assert [(s.speaker_mention, s.cue) for s in got] == [("another", "tweeted")]


def test_a_focus_particle_is_no_part_of_the_speaker(engine):
    # "Even" hangs on the subject in the parse; the name (and a pronoun to resolve) is what speaks.
    got = run(engine, "Even Ed Rendell conceded that the race was close.")
    assert [(s.speaker_mention, s.cue) for s in got] == [("Ed Rendell", "conceded")]
    got = run(engine, "Maria Acosta runs the shelter. Even she admitted that the funds had run out.")
    assert [(s.speaker_mention, s.speaker) for s in got if s.cue == "admitted"] == [("she", "Maria Acosta")]


def test_a_name_before_a_parenthesis_set_off_by_commas_after_a_fronted_phrase_speaks(engine):
    # The parser hangs "Varga" as an apposition of "Dunmore", inside the fronted phrase.
    got = run(engine, "Speaking in Dunmore, Varga, without naming him, also accused Brandt of neglecting "
                      "the ferries.")
    assert [(s.speaker_mention, s.cue) for s in got] == [("Varga", "accused")]


def test_a_subject_run_may_hold_a_hyphenated_word_and_an_adverb_of_its_own(engine):
    # "ad" is hung on the verb as a compound; "nearly" modifies the number, not the verb.
    got = run(engine, "The nearly 45-second ad slams Councillor Brandt for backing a dog-licence fee in 2011.")
    assert [(s.speaker_mention, s.cue) for s in got] == [("ad", "slams")]


def test_a_name_the_parser_made_the_root_speaks_through_its_verb(engine):
    # No other verb: "Halvorsen" is the root and "called" a modifier of it.
    got = run(engine, "Halvorsen, a Varga ally, called Dunmore’s levees “sturdy.”")
    assert [(s.speaker_mention, s.cue) for s in got] == [("Halvorsen", "called")]


def test_a_name_with_its_apposition_between_a_closing_quote_and_the_verb_speaks(engine):
    # The parser makes "Kudu" and "told" conjuncts of the quoted verb.
    got = run(engine, "“We were far too patient with the ferry company,” Kudu, a ferry pilot, "
                      "told AFP in an interview in Port Halden on Monday.")
    assert [(s.speaker_mention, s.content) for s in got] == [
        ("Kudu", "We were far too patient with the ferry company")]


def test_what_was_said_ends_where_a_speaker_hung_inside_it_begins():
    """'"Yes, I support Varga," Piet Lindqvist, founder of the Halden Ratepayers League, tells
    Harbourwatch.' with the name hung on "Varga" as an apposition, inside the complement, too far
    from the verb for the quotation to count as adjacent (hand-built parse of that mistake)."""
    words = ["“", "Yes", ",", "I", "support", "Varga", ",", "”", "Piet", "Lindqvist", ",", "founder", "of", "the",
             "Halden", "Ratepayers", "League", ",", "tells", "Harbourwatch", "."]
    spaces = [False, False, True, True, True, False, False, True, True, False, True, True, True, True, True, True,
              False, True, True, False, False]
    heads = [4, 4, 4, 4, 18, 4, 5, 5, 9, 5, 9, 9, 11, 16, 16, 16, 12, 9, 18, 18, 18]
    deps = ["punct", "intj", "punct", "nsubj", "ccomp", "dobj", "punct", "punct", "compound", "appos", "punct",
            "appos", "prep", "det", "compound", "compound", "pobj", "punct", "ROOT", "dobj", "punct"]
    ents = ["O"] * 8 + ["B-PERSON", "I-PERSON"] + ["O"] * 11
    got = hand_parsed(words, heads, deps, spaces, ents)
    assert [(s.speaker_mention, s.cue, s.content) for s in got] == [("Piet Lindqvist", "tells", "Yes, I support Varga")]


def test_a_participle_right_after_an_object_naming_people_predicates_of_it(engine):
    got = run(engine, "Two years of floods and a string of burst dams have left 58 percent of farmers saying "
                      "the levee plan is badly overdue.")
    assert ("58 percent of farmers", "saying") in [(s.speaker_mention, s.cue) for s in got]
    got = run(engine, "The conversation ended with Halvorsen asking Varga bluntly whether she would reopen the "
                      "old ferry pier.")
    assert [(s.speaker_mention, s.cue) for s in got] == [("Halvorsen", "asking")]


def test_a_participle_after_a_passive_borrows_its_subject_not_its_agent(engine):
    got = run(engine, "Councillor Marta Kovac was booed and shouted down by ferry workers after "
                      "telling the pickets at the pier that they were “being unreasonable.”")
    assert [(s.speaker_mention, s.cue) for s in got] == [("Councillor Marta Kovac", "telling")]


def test_a_by_phrase_names_whose_analysis_or_tally_speaks(engine):
    got = run(engine, "According to an analysis by the Halden Water Institute, ferry use rose sharply this year.")
    assert [(s.speaker_mention, s.content) for s in got] == [
        ("an analysis by the Halden Water Institute", "ferry use rose sharply this year")]


def test_a_quantified_pronoun_is_the_one_who_holds_the_view(engine):
    # "Nobody thinks ..." reports a view held by no one: a speaker, as much as "some voters" is.
    got = run(engine, "Nobody thinks the council will approve the tower, and almost everyone says the vote is "
                      "a formality.")
    assert [(s.speaker_mention, s.cue) for s in got] == [("Nobody", "thinks"), ("almost everyone", "says")]


def test_an_infinitive_after_an_object_has_that_object_for_its_subject(engine):
    got = run(engine, "The sudden resignation led some to wonder whether the board had been to blame.")
    assert [(s.speaker_mention, s.cue) for s in got] == [("some", "wonder")]
    # Not after a verb of spending: the one who used the speech is the one who called.
    got = run(engine, "The governor used his speech to call for a new bridge.")
    assert [(s.speaker_mention, s.cue) for s in got] == [("The governor", "call")]


def test_a_participle_right_after_a_noun_predicates_of_that_noun(engine):
    # The parser hangs "hoping" on the noun; the sentence's subject is the report, not the hopers.
    got = run(engine, "The harvest figures cheered growers hoping to keep the subsidy.")
    assert [(s.speaker_mention, s.cue) for s in got] == [("growers", "hoping")]


def test_an_adjective_of_state_after_its_noun_is_that_noun_s_state(engine):
    got = run(engine, "The plan needs a governor willing to raise taxes.")
    assert [(s.speaker_mention, s.cue, s.content) for s in got] == [("a governor", "willing", "to raise taxes")]


def test_a_contracted_has_is_no_passive(engine):
    # The parser reads "'s said" as "is said": with a clause after it, it is "has said".
    got = run(engine, "While she's said she will stay in the race, the senator must decide soon.")
    assert [(s.speaker_mention, s.cue, s.content) for s in got] == [("she", "said", "she will stay in the race")]


def test_a_parenthetical_verb_is_said_by_the_subject_right_before_it(engine):
    got = run(engine, "Fishermen, Okafor suggested, don’t have to fret that rich harbour firms can buy off "
                      "councillors like himself.")
    assert [s.speaker_mention for s in got] == ["Okafor"]


def test_what_a_document_just_put_out_says_its_author_says(engine):
    got = run(engine, "Senator Ann Ruiz released a new ad that accuses the governor of wasting money.")
    assert [(s.speaker_mention, s.cue) for s in got] == [("Senator Ann Ruiz", "accuses")]


def test_a_participle_after_a_speaker_set_after_a_quotation_goes_on_with_that_speaker(engine):
    got = run(engine, 'Lee said the plan "would never pass," the aide recalled, adding that Lee planned to '
                      'vote against it.')
    assert ("the aide", "adding") in [(s.speaker_mention, s.cue) for s in got]


def test_a_participle_on_a_noun_in_a_phrase_of_its_own_is_that_noun_s(engine):
    got = run(engine, "The mayor arrived with new polls showing that her lead had grown.")
    assert [(s.speaker_mention, s.cue) for s in got] == [("new polls", "showing")]
    # An occasion of the clause's subject: the subject does the attacking.
    got = run(engine, "In a speech attacking the governor, the mayor promised lower taxes.")
    assert ("the mayor", "attacking") in [(s.speaker_mention, s.cue) for s in got]


def test_a_noun_phrase_after_a_fronted_phrase_is_the_subject_the_parser_coordinated_away(engine):
    got = run(engine, "Through live analytics, producers and editors know how many viewers are watching.")
    assert [(s.speaker_mention, s.cue) for s in got] == [("producers and editors", "know")]


def test_an_opening_participle_hung_inside_the_quotation_goes_with_the_subject_after_its_comma(engine):
    got = run(engine, 'Stressing the cost of delay, Lee said, "If we do not move fast and smart right now, we '
                      'are not going to have a harbor anymore."')
    assert ("Lee", "Stressing") in [(s.speaker_mention, s.cue) for s in got]


def test_a_subject_with_its_apposition_after_a_fronted_phrase_is_found(engine):
    # The parser sets "her press secretary" in apposition to "the Gazette".
    got = run(engine, "In a note to the Gazette, her press secretary, Tom Ruiz, said: \u201cThe plan is sound.\u201d")
    assert [(s.speaker_mention, s.cue) for s in got] == [("her press secretary", "said")]


def test_a_participle_after_an_inverted_speaker_borrows_it(engine):
    # After its quotation the verb comes before its speaker, which the parser reads as an object.
    got = run(engine, '"Will we win?" asked the mayor, pointing to the polls.')
    assert _speaker_of_only(got, "pointing") == "the mayor"
