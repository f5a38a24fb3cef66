"""Cue-verb rules over the dependency parse: a cue, its content and its speaker.

Content, in order of preference:
1. the cue's clausal complement ("said [that the talks ...]");
2. for cues that take an object, the object and its predicate ("called [the charges baseless]",
   "urged [voters to ...]", "called for [a review]");
3. a quotation right next to the cue's own clause ('"...," [de Mistura said]', 'he said: "..."'),
   where only the cue's dependents and punctuation stand between the two;
4. for a parenthetical cue ("A, he said, B"), the clause it interrupts, and for a cue in an
   "as"-clause ("As experts have noted, A"), the clause it modifies;
5. for a cue ending its paragraph with a colon ("Caddell continued:"), the next paragraph's quote.
Content that touches a quotation is widened to the whole quotation, within the paragraph.
"""

import numpy
from spacy.attrs import LOWER
from spacy.strings import hash_string
from spacy.tokens import Token

from streams.nlp.cues import (CONTENT_PREPOSITIONS, CUE_FORMS, CLAUSE_ONLY, DIRECTIVES, INFINITIVE_BELIEFS, INFINITIVE_ONLY,
                              JUDGING_BELIEFS, NEEDS_PREDICATE, NON_SPEAKERS, NOUN_COMMISSIVES, NOUN_CUES,
                              NOUN_TOPIC_FORMS, OBJECT_BELIEFS, PARTICLES, PREPOSITION_CONTENT, PRONOUNS, VOICING_VERBS,
                              RELATIVE_PRONOUNS, STATE_CUES, STATE_INFINITIVE, STATE_PREPOSITIONS, TOPIC_PREPOSITIONS, VERB_PREPOSITIONS,
                              cue_of)
from streams.nlp.draft import Draft, FieldContext
from streams.nlp.speakers import (CLOSING_MARKS, after_closing_quote, misparsed_subject, name_start, nearest_subject,
                                  phrase_of, subject_of)

# Dependency labels under which a cue word is used as a verb (not "the report", "a call").
_VERB_DEPS = frozenset({"ROOT", "ccomp", "xcomp", "advcl", "conj", "relcl", "parataxis", "acl", "pcomp", "csubj",
                        "dep"})
_OBJECT_DEPS = frozenset({"dobj", "oprd", "xcomp"})
# Right dependents that end an object's content: a new clause, a coordination, punctuation.
_OBJECT_STOP = frozenset({"punct", "cc", "conj", "advcl", "parataxis", "ccomp", "dep"})
_PUNCT_GAP = frozenset(",:;\u2014\u2013-\u2015")


def find_cue_statements(ctx: FieldContext) -> list[Draft]:
    drafts = []
    doc = ctx.doc
    for n, i in enumerate(_candidates(doc)):
        if n % 256 == 0:
            ctx.check_time()
        token = doc[i]
        lower = token.lower_
        if lower == "according":
            draft = _according_to(ctx, token)
        elif lower == "in" and not ctx.in_quote(token.idx):
            draft = _in_source(ctx, token)
        elif lower in STATE_CUES and not ctx.in_quote(token.idx):
            draft = _state_statement(ctx, token)
        elif lower in CUE_FORMS and token.dep_ in _VERB_DEPS and not ctx.in_quote(token.idx):
            draft = _verb_statement(ctx, token)
        elif lower in _SEE_FORMS and token.dep_ in _VERB_DEPS and not ctx.in_quote(token.idx):
            # "sees the deal as a trap": the present of "see" only judges ("we will see" reports nothing).
            draft = _verb_statement(ctx, token, ("see", "judgment"))
        elif lower in _IDIOM_VERBS and token.dep_ in _VERB_DEPS and not ctx.in_quote(token.idx):
            idiom = _idiom(token)
            draft = _verb_statement(ctx, token, idiom) if idiom is not None else None
        elif lower in _NOUN_WORDS and token.dep_ not in _VERB_DEPS and not ctx.in_quote(token.idx):
            draft = _noun_statement(ctx, token)
        else:
            continue
        if draft is not None:
            drafts.append(draft)
    return drafts


_IDIOM_VERBS = frozenset({"put", "puts", "putting", "make", "makes", "made", "making", "rule", "rules"})
_SEE_FORMS = frozenset({"see", "sees", "seeing"})
_NOUN_WORDS = NOUN_CUES | set(NOUN_TOPIC_FORMS) | NOUN_COMMISSIVES
_CANDIDATE_WORDS = frozenset({"according", "in"} | STATE_CUES | set(CUE_FORMS) | _SEE_FORMS | _IDIOM_VERBS
                             | _NOUN_WORDS)
_CANDIDATE_HASHES = numpy.array(sorted(hash_string(w) for w in _CANDIDATE_WORDS), dtype=numpy.uint64)


def _candidates(doc) -> list[int]:
    """Indices of the tokens that may open a rule, found on the doc's array of lower-case forms
    (a ``Token`` made for every word of an article costs more than all the rules)."""
    if not len(doc):
        return []
    lowers = doc.to_array([LOWER])
    return numpy.flatnonzero(numpy.isin(lowers, _CANDIDATE_HASHES)).tolist()


def _idiom(verb: Token) -> tuple[str, str] | None:
    """Reporting idioms of common verbs: "as the memo put it", "made (it) clear (that) ...", "rule out"."""
    kids = list(verb.children)
    if verb.lower_.startswith("rule"):
        # "would not rule out a run": the verb left out of the lexicon for its noun ("the rules").
        return ("rule", "belief") if any(c.dep_ == "prt" and c.lower_ == "out" for c in kids) else None
    if verb.lower_.startswith("put"):
        if any(c.dep_ == "dobj" and c.lower_ == "it" for c in kids) \
                and not any(c.dep_ in ("prt", "ccomp", "xcomp", "oprd", "dative") for c in kids):
            return "put it", "speech"
        return None
    if any(c.lower_ == "clear" and c.dep_ in ("ccomp", "oprd", "acomp", "xcomp", "advmod") for c in kids):
        return "make clear", "speech"
    return None


def _inside_noun_phrase(cue: Token) -> bool:
    """"won 20 pledged delegates", "the promised reforms": a participle the parser read as a verb
    with its noun as object, though a modifier of that noun stands before it, is an adjective in
    the noun phrase."""
    if cue.i == 0 or not cue.lower_.endswith("ed") or any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in cue.lefts):
        return False
    obj = next((c for c in cue.rights if c.dep_ == "dobj" and c.i == cue.i + 1), None)
    before = cue.doc[cue.i - 1]
    # The modifier may be hung on the noun, or (a number) taken for the object of the verb before.
    return obj is not None and (before.head.i == obj.i and before.dep_ in ("det", "nummod", "amod", "poss", "quantmod")
                                or before.like_num and before.head.i != cue.i)


def _discourse_marker(cue: Token) -> bool:
    """"That said, ...", "That being said, ...": a turn of the writer's argument, no report."""
    doc, i = cue.doc, cue.i
    if cue.lower_ != "said" or i + 1 >= len(doc) or doc[i + 1].text != ",":
        return False
    start = i - 2 if i >= 2 and doc[i - 1].lower_ == "being" else i - 1
    return start >= 0 and doc[start].lower_ == "that" and (start == 0 or doc[start].is_sent_start
                                                          or doc[start - 1].is_punct or doc[start - 1].is_space)


def _verb_statement(ctx: FieldContext, cue: Token, idiom: tuple[str, str] | None = None) -> Draft | None:
    base, cls = idiom or cue_of(cue.lower_)
    if base in _NAMING and cue.dep_ == "acl" and cue.lower_.endswith("ed") and cue.head.i == cue.i - 1 \
            and not any(c.dep_ == "agent" for c in cue.children):
        return None  # "a website called Real News", "a group dubbed the Gang of Eight": a name, nobody's report
    if _discourse_marker(cue) or _inside_noun_phrase(cue):
        return None
    para = ctx.paragraph_bounds(cue.idx)
    # A quotation set off by punctuation right next to the cue's clause is its content even when
    # the parser finds a complement elsewhere ('"It's finished," she said of the election, in which ...').
    # But a complement after the cue ("..." show, the host said she wanted ...) is what it reports.
    # So is an object of a verb that does not take its hearer as one ("61 percent said the same of
    # the mayor", not '"...," he told reporters').
    subject, relative = subject_of(cue, ctx.subject)
    after_quote = _phrase_after_quote(ctx, cue) if subject is None and cls == "speech" else None
    subject = subject if after_quote is None else after_quote
    # '"...," said Ann Lee, who co-developed ...': a subject after its verb comes only after what
    # was said; what the parser hangs on the verb beyond that subject is the writer's.
    limit = subject.i if subject is not None and subject.dep_ == "nsubj" and subject.i > cue.i and relative is None \
        and cue.i > 0 and ctx.doc[cue.i - 1].is_punct else len(ctx.doc)
    named = _name_after_quote(ctx, cue) if subject is None and cls == "speech" else None
    if named is not None:
        limit = cue.i + 1  # nothing after the verb is what was said
    # A complement with no subject of its own is the parser's reading of a relative clause ('"...,"
    # Trump said of Carrier, whose parent company relocated jobs'): no reported clause.
    has_clause_after = any((c.dep_ == "ccomp" and _has_subject(c) or c.dep_ == "dobj" and base not in CLAUSE_ONLY
                            and c.lower_ not in PRONOUNS and not ctx.in_quote(c.idx) and not _inverted_subject(c))
                           and cue.i < c.i < limit for c in cue.rights)
    hung_elsewhere = misparsed_subject(cue) if subject is not None and ctx.subject(cue) is None else None
    if hung_elsewhere is not None and hung_elsewhere.i != subject.i:
        hung_elsewhere = None
    complement, path = _complement(ctx, cue, base, cls, limit)
    # "As a memo put it, A": a cue with nothing of its own to report, in an "as"-clause, vouches
    # for the clause that clause modifies, quotation or not.
    content = _as_clause(ctx, cue, base) if complement is None and cls != "intent" else None
    if content is not None and cls == "speech" and base != "put it" and _quote_right_before(ctx, cue.left_edge):
        content = None  # '"... right now," as Varga said on the radio, ...': the quotation is what she said
    as_clause = content is not None
    if as_clause:
        path = "as_clause"
    if content is None and cls in ("speech", "finding") and not has_clause_after:
        content = _adjacent_quote(ctx, cue, para, hung_elsewhere)
        path = "quote" if content is not None else path
    content = content or complement
    if content is None and cls in ("speech", "finding"):
        content = _interrupted_clause(ctx, cue)
        path = "parenthetical"
        if content is None:
            content, path = _after_colon(ctx, cue, para), "colon"
    if content is None and cls in ("speech", "belief"):
        content, path = _pro_form(ctx, cue), "pro_form"
    if content is None:
        return None
    if not as_clause:
        content = _sentence_before(ctx, cue, content)
    if content is complement and cls in ("speech", "belief", "finding") and any(c.dep_ == "ccomp" for c in cue.rights):
        content = _through_colon(ctx, cue, content, para)
    content = _widen_to_quotes(ctx, content, para)
    # What was said ends where its speaker's phrase begins (a subject found after the quotation,
    # or one the parser hung inside the complement: '"Yes, I support Cruz," Brent Bozell tells ...').
    begins = after_quote.left_edge if after_quote is not None else None
    if begins is None and subject is not None and subject.i < cue.i and after_closing_quote(subject):
        begins = ctx.doc[name_start(subject)]
    if begins is not None and content[0] < begins.idx < content[1]:
        content = content[0], begins.idx
    content = ctx.trim(*content)
    if content[1] - content[0] < 2 or content[0] <= cue.idx < content[1] and not _parenthetical(cue):
        return None
    draft = Draft(ctx.name, None, _cue_span(ctx, cue), content, rule=f"{cls}:{path}")
    if path == "passive_judgment":
        # "is seen by many as ...": the agent holds the judgment; without one, nobody named does
        # (the passive's subject is what is judged, and a subject borrowed from a verb above it
        # is not the judge: "hopes to be regarded as a reformer").
        agent = next((c for c in cue.children if c.dep_ == "agent"), None)
        subject = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
    if subject is not None:
        _attach_speaker(ctx, draft, subject, para, relative)
    if draft.speaker is None and path == "quote" and content[1] <= cue.idx:
        # '"...," added another New Hampshire Democrat': after its quotation the speech verb comes
        # before its subject, which the parser may take for an object.
        inverted = named or next((c for c in cue.rights if c.dep_ == "dobj" and c.left_edge.i == cue.i + 1), None)
        if inverted is not None:
            _attach_speaker(ctx, draft, inverted, para)
    if draft.speaker is None and path != "passive_judgment":  # a reputation's holders go unnamed
        _attach_nearest_speaker(ctx, draft, cue, para)
    # "... hiring a plumber who said he was never paid": a relative clause brings in a source of
    # its own, reported on its own even inside another statement's content. Only a reported
    # clause: "condemned critics who attacked the plan" is one statement, the critics' attack
    # its topic (nested objects were right about one time in four on PolNeAR train).
    draft.keeps_nested = cue.dep_ == "relcl" and (
        path == "clause" and relative is not None and draft.stands_for is not None
        or draft.speaker is not None and _relative_and_subject(cue))
    return draft


_NAMING = frozenset({"call", "dub", "label", "brand"})


def _quote_right_before(ctx: FieldContext, token: Token) -> bool:
    """Does a quotation close right before ``token`` (but for a comma)?"""
    quote = ctx.quotes.last_before(token.idx)
    return quote is not None and not ctx.text[quote.end:token.idx].strip(" ,")


def _inverted_subject(obj: Token) -> bool:
    """'"...," tweeted another.': right after a verb that follows a closing quotation, a phrase that
    ends the sentence is the verb's subject, which the parser took for its object."""
    doc, cue = obj.doc, obj.head
    end = obj.right_edge.i + 1
    return cue.i > 0 and doc[cue.i - 1].text in CLOSING_MARKS and obj.left_edge.i == cue.i + 1 \
        and not cue.lower_.endswith("ing") \
        and (end == len(doc) or doc[end].text in (".", "!", "?"))


def _name_after_quote(ctx: FieldContext, cue: Token) -> Token | None:
    """'"...," said Anton Weil, a council veteran ...': after a quotation, a name right after the
    speech verb is its subject however the parser hung it (an object, or the subject of a clause
    it made of the apposition). Returns the name's head token."""
    doc = ctx.doc
    if cue.i == 0 or cue.i + 1 >= len(doc) or not doc[cue.i - 1].is_punct:
        return None
    first = doc[cue.i + 1]
    if first.ent_iob_ != "B" or first.ent_type_ not in ("PERSON", "ORG") or ctx.in_quote(first.idx):
        return None
    quote = ctx.quotes.last_before(doc[cue.i - 1].idx + len(doc[cue.i - 1].text))
    if quote is None or not _gap_ok(ctx, quote.end, cue.idx):
        return None
    last = first.i
    while last + 1 < len(doc) and doc[last + 1].ent_iob_ == "I" and last - first.i < 8:
        last += 1
    return next((t for t in doc[first.i:last + 1] if not first.i <= t.head.i <= last), doc[last])


def _relative_and_subject(cue: Token) -> bool:
    """"the board, which she argued wants ...": a relative clause whose pronoun the parser gave
    the cue beside its own subject, the source of what the relative clause says."""
    subjects = [c for c in cue.lefts if c.dep_ in ("nsubj", "nsubjpass")]
    return len(subjects) > 1 and subjects[0].lower_ in RELATIVE_PRONOUNS


# Dependencies of a noun phrase's head in its clause (the parse has no part-of-speech tags).
_NOMINAL = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "appos", "attr", "conj", "ROOT", "npadvmod"})


def _state_statement(ctx: FieldContext, word: Token) -> Draft | None:
    """"Democrats are worried that ...", "Protesters were frustrated that ...": a state of mind
    about a proposition. The clause (or, for a concern, its "about" phrase) is the content; the
    one in that state, the subject of the copula or of the passive participle, holds it."""
    para = ctx.paragraph_bounds(word.idx)
    clause = next((c for c in word.rights if c.dep_ == "ccomp" and para[0] <= c.idx < para[1]), None)
    if clause is not None:
        content = _span_of([clause], word)
    elif word.lower_ in STATE_INFINITIVE:
        inf = next((c for c in word.rights if c.dep_ == "xcomp" and _infinitive(c)), None)
        if inf is None:
            return None
        content = _span_of([inf], word)
    elif word.lower_ in STATE_PREPOSITIONS:
        preps = STATE_PREPOSITIONS[word.lower_]
        prep = next((c for c in word.rights if c.dep_ == "prep" and c.lower_ in preps), None)
        target = next((g for g in prep.children if g.dep_ in ("pobj", "pcomp")), None) if prep is not None else None
        if target is None:
            return None
        last = _restrictive_edge(target)
        while last + 2 < len(ctx.doc) and ctx.doc[last + 1].text == "-" and not ctx.doc[last].whitespace_:
            last += 2  # "re-election" split by the tokenizer
        content = ctx.token_span(target.left_edge.i, last)
    else:
        return None
    draft = _word_draft(ctx, word, content, para, "state")
    if draft is None:
        return None
    holder = next((c for c in word.lefts if c.dep_ in ("nsubj", "nsubjpass") and not ctx.in_quote(c.idx)), None)
    relative = None
    first = word
    while first.dep_ == "conj" and first.head.i < first.i and word.i - first.i < 24:
        first = first.head  # "are confident in X and openly skeptical about Y": the first conjunct's
    if holder is None and first.dep_ in ("acomp", "oprd"):
        holder, relative = subject_of(first.head, ctx.subject)
    elif holder is None and word.dep_ in ("conj", "advcl"):
        # "are confident in X and openly skeptical about Y", "has been expanding her networks,
        # confident that ...": the state is held by the one its clause or partner is about.
        holder, relative = subject_of(word, ctx.subject)
    elif holder is None and word.dep_ == "amod" and word.head.i < word.i and word.head.dep_ in _NOMINAL:
        # "a governor willing to ...", "a weary mayor -- angry at ...": an adjective after
        # its noun (with its complement, it cannot stand before) is a state of that noun's.
        holder = word.head
    if holder is not None:
        _attach_speaker(ctx, draft, holder, para, relative)
    return draft


def _word_draft(ctx: FieldContext, word: Token, content: tuple[int, int] | None,
                para: tuple[int, int], rule: str) -> Draft | None:
    """A statement cued by one word (a noun or an adjective of saying or holding), its content
    widened to the quotations it touches; None when there is no content to speak of."""
    if content is None:
        return None
    content = ctx.trim(*_widen_to_quotes(ctx, content, para))
    if content[1] - content[0] < 2:
        return None
    return Draft(ctx.name, None, ctx.token_span(word.i, word.i), content, rule=rule)


def _noun_statement(ctx: FieldContext, noun: Token) -> Draft | None:
    """"the mayor's claim that the bridge was safe", "a warning by the agency that ...": a noun of
    saying or holding completed by a "that"-clause, announcing a quotation after a colon ("the
    senator made the following comment: "..."") or, for a noun of a stance, with the phrase of
    what it is about ("Trump's attacks on Clinton", "voiced support for the bill"). The
    possessor, the "by" phrase or, for an announced quotation or a stance voiced, the subject of
    the verb the noun is the object of is the speaker; without one there is no statement."""
    para = ctx.paragraph_bounds(noun.idx)
    content, path, limit = _noun_content(ctx, noun, para)
    draft = _word_draft(ctx, noun, content, para, path)
    if draft is None:
        return None
    owner = next((c for c in noun.lefts if c.dep_ == "poss"), None)
    if owner is None:
        by = next((c for c in noun.rights if c.dep_ == "prep" and c.lower_ in ("by", "from") and c.i < limit), None)
        owner = next((g for g in by.children if g.dep_ == "pobj"), None) if by is not None else None
    relative = None
    if owner is None and noun.dep_ == "dobj" and (path == "noun:quote" or path == "noun:topic"
                                                 and noun.head.lower_ in VOICING_VERBS):
        owner, relative = subject_of(noun.head, ctx.subject)  # "Sanders made the following comment:"
    elif owner is None and noun.dep_ == "pobj" and noun.head.lower_ == "in" and noun.lower_ in _HELD_IN \
            and noun.head.head.i != noun.head.i:
        # "came to Iowa in the hope that ...": the one who acted holds the hope.
        owner, relative = subject_of(noun.head.head, ctx.subject)
    elif owner is not None and owner.lower_ in _POSSESSIVES:
        owner, relative = _bound_possessive(ctx, noun, owner)
    if owner is not None:
        _attach_speaker(ctx, draft, owner, para, relative)
    if draft.speaker is None:
        # "driving hope that ...", "there is a fear that ...": nobody's in particular, the writer's gloss.
        return None
    start, end = draft.speaker
    for suffix in ("'s", "\u2019s", "'", "\u2019"):
        if ctx.text.endswith(suffix, start, end) and end - len(suffix) > start:
            draft.speaker = (start, end - len(suffix))  # "the mayor's claim": the mayor
            break
    return draft


_POSSESSIVES = frozenset({"his", "her", "their", "its"})
_HELD_IN = frozenset({"hope", "hopes", "belief", "expectation", "fear"})


def _bound_possessive(ctx: FieldContext, noun: Token, owner: Token) -> tuple[Token, Token | None]:
    """"Sanders toned down his criticism of ...": a possessive pronoun in the object of a verb (or
    of its preposition) stands for that verb's subject, as English binds it; the pronoun stays
    the mention, the subject names the speaker."""
    verb = noun.head if noun.dep_ == "dobj" else noun.head.head if noun.dep_ == "pobj" else None
    subject = ctx.subject(verb) if verb is not None and verb.i != noun.i else None
    if subject is None or subject.lower_ in PRONOUNS or subject.lower_ in NON_SPEAKERS:
        return owner, None
    return subject, owner


def _noun_content(ctx: FieldContext, noun: Token, para: tuple[int, int]) -> tuple[tuple[int, int] | None, str, int]:
    """A noun cue's content, the path that found it, and the index before which a "by" phrase
    may name its speaker."""
    lower = noun.lower_
    clause = next((c for c in noun.rights if c.dep_ in ("acl", "relcl", "ccomp", "appos")
                   and c.left_edge.lower_ == "that" and c.left_edge.dep_ == "mark"
                   and c.left_edge.i - noun.i <= 8), None) if lower in NOUN_CUES else None
    if clause is not None and not any(t.is_punct for t in ctx.doc[noun.i + 1:clause.left_edge.i]):
        return _span_of([clause], noun), "noun:clause", clause.i
    clause = _predicated_clause(noun) if lower in NOUN_CUES else None
    if clause is not None:
        return _span_of([clause], noun), "noun:clause", noun.i + 1
    quoted = _announced_quote(ctx, noun, para) if lower in NOUN_CUES else None
    if quoted is not None:
        return quoted, "noun:quote", len(ctx.doc)
    # "Trump's promises to deport ...", "his pledge to remove the troops": what a promise, a pledge,
    # a vow or a threat commits its owner to, in the infinitive right after it.
    inf = next((c for c in noun.rights if c.dep_ in ("acl", "relcl") and c.left_edge.i == noun.i + 1
                and c.left_edge.lower_ == "to" and c.left_edge.dep_ == "aux"), None) \
        if lower in NOUN_COMMISSIVES else None
    if inf is not None:
        return _span_of([inf], noun), "noun:infinitive", inf.i
    preps = NOUN_TOPIC_FORMS.get(lower)
    prep = next((c for c in noun.rights if c.dep_ == "prep" and c.lower_ in preps), None) if preps else None
    target = next((g for g in prep.children if g.dep_ in ("pobj", "pcomp")), None) if prep is not None else None
    if target is None:
        return None, "", 0
    return ctx.token_span(target.left_edge.i, _restrictive_edge(target)), "noun:topic", len(ctx.doc)


def _predicated_clause(noun: Token) -> Token | None:
    """"His claim was that the bridge was never safe", "the mayor's argument is that ...": a noun
    cue as the subject of "be", whose "that"-clause says what was claimed."""
    copula = noun.head
    if noun.dep_ != "nsubj" or copula.lower_ not in _COPULAS or copula.i < noun.i:
        return None
    return next((c for c in copula.rights if c.dep_ == "ccomp" and c.left_edge.lower_ == "that"
                 and c.left_edge.dep_ == "mark" and c.left_edge.i - copula.i <= 2), None)


_COPULAS = frozenset({"is", "was", "are", "were", "been", "remains", "remained"})


def _announced_quote(ctx: FieldContext, noun: Token, para: tuple[int, int]) -> tuple[int, int] | None:
    """A quotation right after the noun's words and a colon, in the same paragraph or opening the
    next ("made the following comment:" closing its paragraph)."""
    doc = ctx.doc
    colon = next((t for t in doc[noun.i + 1:min(noun.right_edge.i + 2, len(doc), noun.i + 8)]
                  if t.is_punct and t.text != "-"), None)
    if colon is None or colon.text != ":":
        return None
    quote = ctx.quotes.first_after(colon.idx)
    if quote is None or ctx.text[colon.idx + 1:quote.start].strip() \
            or quote.start >= para[1] and ctx.paragraph_bounds(quote.start)[0] != para[1]:
        return None
    return quote.start, quote.end


def _through_colon(ctx: FieldContext, cue: Token, content: tuple[int, int],
                   para: tuple[int, int]) -> tuple[int, int]:
    """"suggested that she has three tasks tonight: sell the plan, ...": what follows a colon
    right after the reported clause spells it out, and is reported with it (to the end of the
    sentence, within the paragraph)."""
    doc = ctx.doc
    if content[1] <= cue.idx:
        return content
    nxt = ctx.token_at(content[1])
    while nxt < len(doc) and doc[nxt].idx < content[1]:
        nxt += 1
    if nxt >= len(doc) or doc[nxt].text != ":" or doc[nxt].idx >= para[1]:
        return content
    _, sent_end = ctx.sentence_of(cue)
    if sent_end <= nxt + 1:
        sent_end = ctx.sentence_of(doc[nxt + 1])[1] if nxt + 1 < len(doc) else sent_end
    last = sent_end - 1
    while last > nxt and (doc[last].is_punct or doc[last].is_space):
        last -= 1
    if last <= nxt or doc[last].idx >= para[1]:
        return content
    return content[0], doc[last].idx + len(doc[last].text)


# Words that stand for a whole clause after a verb of saying or thinking: "said so", "thinks so",
# "said yes", "answered no". Their antecedent is elsewhere; the word itself is what was said.
_PRO_FORMS = frozenset({"so", "yes", "no"})
_UNREALISED = frozenset({"should", "must", "could", "might", "may", "ought", "shall", "can"})


def _pro_form(ctx: FieldContext, cue: Token) -> tuple[int, int] | None:
    """"Half of them said so.", "46 percent said yes, while ...": the pro-form right after the cue,
    closing its clause (not "so far", "no one", "so that ...")."""
    if cue.i + 1 >= len(ctx.doc):
        return None
    word = ctx.doc[cue.i + 1]
    if word.lower_ not in _PRO_FORMS or word.head.i != cue.i or ctx.in_quote(word.idx):
        return None
    if any(c.dep_ == "aux" and c.lower_ in _UNREALISED for c in cue.lefts):
        return None  # "they should say so": a call to say it, not a report that it was said
    after = ctx.doc[word.i + 1] if word.i + 1 < len(ctx.doc) else None
    if after is not None and not after.is_punct and after.dep_ != "cc" and after.lower_ not in ("while", "when"):
        return None
    return word.idx, word.idx + len(word.text)


def _sentence_before(ctx: FieldContext, cue: Token, content: tuple[int, int]) -> tuple[int, int]:
    """"A, but B, another source said.": a cue closing its sentence reports all that precedes it."""
    if content[1] > cue.idx:
        return content
    lo, hi = _clause_edges(ctx, cue)
    sent_start, sent_end = ctx.sentence_of(cue)
    if sent_end - hi > 8 or any(not t.is_punct and not t.is_space for t in ctx.doc[hi + 1:sent_end]):
        return content
    return min(content[0], ctx.doc[sent_start].idx), content[1]


_AFTER_QUOTE_SCAN = 12  # words between a closing quotation mark and its cue: a speaker phrase is short
_QUOTE_MARKS = frozenset({"\"", "\u201d", "''"})


def _phrase_after_quote(ctx: FieldContext, cue: Token) -> Token | None:
    """'"...," the agency's director, Dr. Anna Weber, said': the phrase between a closing quotation
    mark and the speech verb is its speaker, even when the parser hung it inside the quotation's
    clause (an object of its verb) and gave the cue no subject: the phrase's head, the one word of
    it whose head lies outside it."""
    doc = ctx.doc
    first = cue.i - 1
    while first >= 0 and cue.i - first <= _AFTER_QUOTE_SCAN and not ctx.in_quote(doc[first].idx) \
            and doc[first].text not in _QUOTE_MARKS:
        first -= 1
    if first < 0 or doc[first].text not in _QUOTE_MARKS or first + 1 >= cue.i:
        return None
    phrase = range(first + 1, cue.i)
    heads = [doc[i] for i in phrase if not doc[i].is_punct and doc[i].head.i not in phrase]
    if len(heads) != 1 or heads[0].dep_ not in ("dobj", "nsubj", "npadvmod", "appos", "attr", "pobj"):
        return None
    return heads[0]


def _cue_span(ctx: FieldContext, cue: Token) -> tuple[int, int]:
    last = cue.i
    nxt = cue.nbor(1) if cue.i + 1 < len(cue.doc) else None
    if nxt is not None and nxt.dep_ == "prt" and nxt.head.i == cue.i and nxt.lower_ in PARTICLES:
        last = nxt.i
    return ctx.token_span(cue.i, last)


def _attach_speaker(ctx: FieldContext, draft: Draft, subject: Token, para: tuple[int, int],
                    relative: Token | None = None) -> None:
    lo, hi = ctx.token_at(para[0]), ctx.token_at(max(para[1] - 1, para[0])) + 1
    dateline = next((end for start, end in ctx.datelines if start == para[0]), None)
    if dateline is not None:
        lo = ctx.token_at(dateline)  # "RENO, Nev. (AP) — ... Donald Trump says": the name only
        lo += ctx.doc[lo].idx < dateline
    if subject.dep_ in ("pobj", "compound", "appos") and subject.head.dep_ != "agent" and subject.ent_iob_ in ("B", "I"):
        # A name swallowed by a fronted phrase (``speakers._swallowed_subject``): the name only.
        first = subject.i
        while first > lo and ctx.doc[first].ent_iob_ == "I":
            first -= 1
        lo = max(lo, first)
    phrase = phrase_of(subject, lo, hi)
    if phrase is None:
        return
    start, end = phrase.start_char, phrase.end_char
    if relative is not None:
        # "the mayor, who said ...": the pronoun is the mention; the phrase names the speaker.
        draft.stands_for = (start, end)
        start, end = relative.idx, relative.idx + len(relative.text)
    # A speaker found inside the content is the parser's confusion, not the speaker; except in
    # "A, he said, B", whose content runs over the parenthetical cue and its subject.
    inside = draft.content[0] <= start < draft.content[1] and not draft.content[0] <= draft.cue[0] < draft.content[1]
    if inside or ctx.in_quote(start) or ctx.in_dateline(subject.idx):
        return
    draft.speaker = (start, end)
    draft.speaker_head = (subject.idx, subject.idx + len(subject.text))
    draft.pronoun = phrase.pronoun


attach_speaker = _attach_speaker  # for the rules of other modules (``announced``)


def cut_content(doc, first: int, last: int) -> int:
    """The last token of a content running ``first..last`` once a coordinated report and a closing
    gloss are cut off (as for a complement): for the rules of other modules."""
    return _closing_gloss(doc, first, _cut_at_coordinated_cue(doc, first, last))


def _attach_nearest_speaker(ctx: FieldContext, draft: Draft, cue: Token, para: tuple[int, int]) -> None:
    """No speaker through the parse: the nearest subject before the cue (``speakers.nearest_subject``)."""
    start, _ = ctx.sentence_of(cue)
    nearest = nearest_subject(cue, start, lambda t: not ctx.in_quote(t.idx) and para[0] <= t.idx < para[1]
                              and not draft.content[0] <= t.idx < draft.content[1] and not ctx.in_dateline(t.idx))
    if nearest is not None:
        _attach_speaker(ctx, draft, nearest, para)


def _span_of(tokens: list[Token], cue: Token) -> tuple[int, int] | None:
    """Character range of the tokens' subtrees, on the cue's far side when they run over the cue.

    ("which officials said was aimed at ...": the relative pronoun hangs on the complement.)
    """
    if not tokens:
        return None
    first = min(t.left_edge.i for t in tokens)
    last = max(_right_edge(t) for t in tokens)
    if first <= cue.i <= last:
        if tokens[0].i > cue.i:
            first = cue.i + 1
        else:
            last = cue.i - 1
    last = _cut_at_coordinated_cue(cue.doc, first, last)
    last = _closing_gloss(cue.doc, first, last)
    if first > last:
        return None
    doc = cue.doc
    return doc[first].idx, doc[last].idx + len(doc[last].text)


def _closing_gloss(doc, first: int, last: int) -> int:
    """"said they would not appear beside Mayor Varga, who has been weakened by ...": a
    non-restrictive relative clause closing a reported clause is the writer's gloss on the last
    name in it, not part of the report."""
    for t in doc[max(first + 2, last - _GLOSS_SCAN):last + 1]:
        edge = t.left_edge.i
        if t.dep_ == "relcl" and t.right_edge.i >= last and edge - 2 > first and doc[edge - 1].text == "," \
                and doc[edge].lower_ in ("who", "which"):
            return edge - 2
    return last


_SCAN = 300  # tokens of one content scanned for a coordinated cue: keeps the rules linear
_LINKS = frozenset({"and", "but"})
_CONCESSIVE = frozenset({"although", "though", "whereas"})
_SET_OFF = frozenset({",", "-", "--", "\u2013", "\u2014"})  # what sets a concessive clause off
# A verb with a modal is no second report but more of the first ("said she hoped to ..., and then
# would continue to ...": reported speech shifts its verbs to "would", a new report keeps the past).
_MODALS = frozenset({"would", "will", "could", "can", "should", "might", "may", "must", "'d", "\u2019d", "'ll",
                     "\u2019ll"})
# Cue classes of a second report coordinated without a subject ("said A and urged B").
_SAID_CLASSES = frozenset({"speech", "object"})


def _report_span(ctx: FieldContext, first: Token, last: int) -> tuple[int, int]:
    """Characters from the phrase of ``first`` to token ``last``, cut where a coordinated report begins."""
    return ctx.token_span(first.left_edge.i, _cut_at_coordinated_cue(ctx.doc, first.left_edge.i, last))


def _cut_at_coordinated_cue(doc, first: int, last: int) -> int:
    """"She said A and suggested that B", "tweeted that A and urged B": a reporting verb with no
    subject of its own, joined by "and"/"but" inside what was reported, starts a second report
    (the parser often hangs it on the complement's verb); what was said first ends before the
    conjunction. Likewise a concessive clause after a comma (", although she refused ...") is
    the writer's, not the speaker's; a coordinated report with its own speaker (", and the
    minister replied ...") is another statement; and a name coordinated with an object ("...
    the probe and Democrats accused") is the subject of the next report, not part of this one."""
    # One token past the end too: the next report's verb, whose subject the parser left inside.
    for t in doc[first + 1:min(last + 1, first + _SCAN, len(doc) - 1) + 1]:
        if t.i <= last and t.dep_ == "conj" and t.lower_ in CUE_FORMS and CUE_FORMS[t.lower_][1] in _SAID_CLASSES \
                and not any(c.dep_ in ("nsubj", "nsubjpass") for c in t.lefts) \
                and not any(c.dep_ == "aux" and c.lower_ in _MODALS for c in t.lefts):
            j = t.i - 1
            while j > first and doc[j].dep_ in ("advmod", "aux", "neg") and t.i - j < 4:
                j -= 1
            if doc[j].lower_ in _LINKS and j - 1 > first:
                return _before_punct(doc, first, j - 1)
        elif t.i <= last and t.lower_ in _CONCESSIVE and t.dep_ == "mark" and doc[t.i - 1].text in _SET_OFF \
                and t.i - 2 > first and not _parenthesis(doc, t.head, last):
            return _before_punct(doc, first, t.i - 2)
        elif t.i <= last and t.dep_ == "advcl" and t.left_edge.i == t.i and t.lower_.endswith("ing") \
                and t.lower_ in CUE_FORMS and CUE_FORMS[t.lower_][1] == "speech" and t.i - 2 > first \
                and doc[t.i - 1].text == "," and not t.head.i == first:
            # "rejected the idea that A, saying B": a participle of saying after a comma is a second
            # report by the same speaker, wherever the parser hung it inside the first.
            return _before_punct(doc, first, t.i - 2)
        elif t.i <= last and t.lower_ == "while" and t.dep_ == "mark" and doc[t.i - 1].text == "," \
                and t.i - 2 > first and t.head.lower_ in CUE_FORMS and t.head.i <= last \
                and any(c.dep_ == "nsubj" for c in t.head.lefts):
            # "said A, while other voters said B": a contrasting report with a speaker of its own is
            # another statement, not the end of the first.
            return _before_punct(doc, first, t.i - 2)
        elif t.i <= last and t.dep_ == "conj" and t.lower_ in CUE_FORMS and t.head.i >= first \
                and any(c.dep_ == "nsubj" for c in t.lefts) and not any(c.dep_ == "mark" for c in t.lefts):
            # "She said A, and when pressed, the minister replied B": a coordinated clause
            # reporting what someone else said is no part of what was said first (but "said A
            # and that B" is one report).
            cc = next((c for c in t.head.rights if c.dep_ == "cc" and c.lower_ in _LINKS and first < c.i < t.i), None)
            if cc is not None and cc.i - 1 > first:
                return _before_punct(doc, first, cc.i - 1)
        elif t.lower_ in CUE_FORMS and t.dep_ != "conj":
            # "... mishandled the probe and Democrats accused ...": a second report whose subject
            # the parser coordinated with the object before it.
            subject = misparsed_subject(t)
            if subject is not None and subject.dep_ == "conj" and first < subject.left_edge.i - 1 <= last:
                return _before_punct(doc, first, subject.left_edge.i - 2)
    return last


def _before_punct(doc, first: int, last: int) -> int:
    while last > first and doc[last].is_punct and doc[last].text not in ("\"", "\u201d", "'", "\u2019"):
        last -= 1
    return last


def _right_edge(head: Token) -> int:
    """The head's right edge, without a trailing free participle (", driving hope that ..."):
    such an adjunct after a comma describes the whole report, not what was reported."""
    last = head.right_edge.i
    doc = head.doc
    for child in head.rights:
        if child.dep_ == "advcl" and child.left_edge.i == child.i and child.lower_.endswith("ing") and child.i > 1:
            # The comma may sit inside a quotation that closes there ('"New York values," stating ...').
            if doc[child.i - 1].text == ",":
                return child.i - 2
            if doc[child.i - 1].text in CLOSING_MARKS and doc[child.i - 2].text == ",":
                return child.i - 1
    return last


def _complement(ctx: FieldContext, cue: Token, base: str, cls: str,
                limit: int) -> tuple[tuple[int, int] | None, str]:
    """The cue's content from its complements before token ``limit``, and the path that found it
    (for the confidence)."""
    children = list(cue.children) if cue.n_rights + cue.n_lefts < 64 else list(cue.rights)[:64]
    children = [c for c in children if c.i < limit]
    if base == "make clear":
        # "made it clear he had doubts", "made clear that it would not ...": the clause on "clear".
        clear = next(c for c in children if c.lower_ == "clear")
        clause = next((c for c in clear.rights if c.dep_ in ("ccomp", "advcl", "csubj") and _bare_or_that(c)), None)
        clause = clause or next((c for c in children if c.dep_ == "ccomp" and c.i > clear.i), None)
        return (_span_of([clause], cue) if clause is not None else None), "make_clear"
    if base == "rule" and any(c.dep_ == "prt" and c.lower_ == "out" for c in children):
        # "ruled out a run", "won't rule out raising taxes": the course of action excluded.
        return _object_content(ctx, cue, children, base, "object"), "object"
    if cls == "judgment":
        # "viewed them as terrorists", "sees the deal as a trap": only the judged object counts.
        return _judged_object(ctx, cue, children), "judged"
    if base in INFINITIVE_ONLY:
        # "wants to run": the subject's own aim; "wants the matter to be ..." is a wish about others.
        inf = _own_infinitive(cue, children)
        if inf is not None or any(c.dep_ in _WISH_DEPS and c.i > cue.i for c in children):
            return (_span_of(_with_list(cue, inf), cue) if inf is not None else None), "infinitive"
        # "want a continuation of his policies": a thing wanted, with nothing said of it, is the
        # subject's own stance.
        return _object_content(ctx, cue, children, base, "object"), "object"
    # A complement never runs past the cue's paragraph (the parser joins paragraphs into one
    # sentence when the first ends without a full stop).
    para = ctx.paragraph_bounds(cue.idx)
    # A "that"-clause the parser hung as a noun's modifier ("Trump charges that ..." read as a
    # noun phrase) is the complement too.
    clauses = [c for c in children if (c.dep_ == "ccomp" and not _adverbial(c) or c.dep_ == "acl" and _that_clause(c)
                                       or _asked_if(cue, c, base))
               and para[0] <= c.idx < para[1] and not _colon_between(c, cue)
               and (c.i > cue.i or cls in _REPORTED_BEFORE)]
    if not clauses and cls in ("speech", "finding"):
        # "says in a statement that the race ...": the parser hangs the cue's "that"-clause on the
        # noun of the occasion it was said on.
        nouns = [_occasion(p) for p in children if p.i > cue.i]
        clauses = [c for noun in nouns if noun is not None for c in noun.rights
                   if c.dep_ in ("acl", "relcl", "ccomp") and _that_clause(c) and para[0] <= c.idx < para[1]][:1]
    if clauses:
        # One complement: the first after the cue, else the nearest before it. A second
        # complement is mostly a misparsed coordinate clause ("X said A: Y accused B").
        after = [c for c in clauses if c.i > cue.i and not _quoted_title(c)]
        clause = after[0] if after else next((c for c in reversed(clauses) if c.i < cue.i), clauses[-1])
        obj = next((c for c in children if c.dep_ == "dobj" and cue.i < c.i < clause.i), None)
        if obj is not None and obj.right_edge.i + 1 == clause.left_edge.i and cls not in ("speech", "belief"):
            # "cited remarks [Trump had made]": a clause right after the object of a verb that
            # takes no clause is a relative clause on the object.
            return _span_of([obj, clause], cue), "object_clause"
        # The parser may also read that subject as an adverbial noun of the cue ("said [the nights
        # when ...] are gone", as in "said Tuesday").
        obj = obj or next((c for c in children if c.dep_ == "npadvmod" and cue.i < c.i < clause.i
                           and c.i > c.left_edge.i), None)
        if obj is not None and base not in CLAUSE_ONLY and not _has_subject(clause) \
                and clause.left_edge.i - obj.right_edge.i <= 2 \
                and all(t.is_punct for t in ctx.doc[obj.right_edge.i + 1:clause.left_edge.i]):
            # "hoped the summit, called by Lee, would be ...": a clause with no subject
            # right after the object has the object for its subject, however the parser split them.
            return _span_of([obj, clause], cue), "clause"
        # "believes A, but that B": a second "that"-clause coordinated with the cue is its
        # complement too.
        second = next((c for c in children if c.dep_ == "conj" and c.i > clause.i and _that_clause_of(c)), None)
        if second is None and after and clause is after[0] and len(after) > 1 \
                and after[1].left_edge.i == _right_edge(clause) + 1 and not ctx.doc[after[1].left_edge.i].is_punct:
            # "said the sailors freed by the coast guard were close to ...": a reduced relative
            # the parser took for a first complement runs straight on into the verb it belongs to.
            second = after[1]
        if second is None and after and clause is after[0] and len(after) > 1 and _extraposing(clause) \
                and _that_clause_of(after[1]):
            # "knew it was likely, if not certain, that the bill would fail": the "that"-clause the
            # parser hung on the cue is the subject the "it" stands for.
            second = after[1]
        # "said she is leaning toward Brandt because she prizes experience": the reason the parser
        # hangs on the cue, right after what was said, is part of it.
        reason = next((c for c in children if c.dep_ == "advcl" and c.i > clause.i and cls in ("speech", "belief")
                       and c.left_edge.lower_ == "because" and c.left_edge.i - _right_edge(clause) in (1, 2)), None)
        # "said she meant to win it back, and then would go on to ...": a verb with a modal and no
        # subject, coordinated with the cue, goes on with what was said (reported speech shifts its
        # verbs to "would"; a second report of the speaker's keeps the past).
        more = next((c for c in children if c.dep_ == "conj" and c.i > clause.i and cls == "speech"
                     and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.lefts)
                     and any(g.dep_ == "aux" and g.lower_ in _MODALS for g in c.lefts)), None)
        parts = [clause] + [t for t in (second, reason, more) if t is not None]
        return _span_of(parts, cue), "clause"
    if cls in ("speech", "finding"):
        # The parser often hangs a bare reported clause as an adverbial or paratactic clause
        # ("said after the vote she would not ..."); with a subject and no subordinator
        # ("if", "because") it is the complement.
        loose = [c for c in children if c.dep_ in ("advcl", "parataxis") and c.i > cue.i and _bare_clause(c)]
        if loose:
            return _span_of(loose[:1], cue), "loose_clause"
        above = _report_hung_above(ctx, cue, para)
        if above is not None:
            return above, "loose_clause"
    if cls == "intent" or (cls == "belief" and base in INFINITIVE_BELIEFS):
        # "plans to expand the program", "hopes to win": the infinitive is what is held.
        inf = _own_infinitive(cue, children)
        if inf is None and base in PREPOSITION_CONTENT:
            # "voted against the bill": without an infinitive, what the preposition introduces.
            return _object_content(ctx, cue, children, base, cls, PREPOSITION_CONTENT[base]), "preposition"
        if inf is not None or base not in OBJECT_BELIEFS:
            return (_span_of(_with_list(cue, inf), cue) if inf is not None else None), "infinitive"
    if base in DIRECTIVES:
        # "told his advisers to find a way", "asked the candidates [at the forum] to debate": a
        # reported request.
        hearer = next((c for c in children if c.dep_ == "dobj" and c.i > cue.i), None)
        inf = next((c for c in children if c.dep_ in ("xcomp", "ccomp", "advcl") and hearer is not None and c.i > hearer.i
                    and c.left_edge.lower_ == "to" and c.left_edge.i > hearer.right_edge.i
                    and all(t.is_punct or _adjunct_of(t, cue) for t in ctx.doc[hearer.right_edge.i + 1:c.left_edge.i])),
                   None)
        if inf is not None:
            return _report_span(ctx, hearer, _right_edge(inf)), "request"
        if hearer is None and _passive_or_bare(cue):
            # "the mayor has been asked to publish the minutes", "when asked to leave": the
            # hearer is the subject (or nobody named); the request is the infinitive.
            inf = _own_infinitive(cue, children)
            if inf is not None:
                return _span_of(_with_list(cue, inf), cue), "request"
    if (cls == "judgment" or base in JUDGING_BELIEFS or base == "know") and _passive_or_bare(cue):
        # "is widely seen as a conservative icon", "is best known for her dissents": a judgment
        # (a reputation) held by people unnamed, or by the agent.
        found = _passive_judgment(ctx, cue, children, base)
        if found is not None:
            return found, "passive_judgment"
    if (cls == "judgment" or base in JUDGING_BELIEFS) and not (base == "consider" and _gerund_object(cue, children)):
        return _judged_object(ctx, cue, children), "judged"
    if base in PREPOSITION_CONTENT:
        # "believes in the plan", "asked about the emails": what the preposition introduces.
        found = _object_content(ctx, cue, children, base, cls, PREPOSITION_CONTENT[base])
        if found is not None:
            return found, "preposition"
    if base in OBJECT_BELIEFS or base == "consider" and _gerund_object(cue, children):
        # "expect a record turnout", "feared the consequences", "is considering abandoning the
        # nominee": what is expected, feared, doubted or weighed is held as a noun phrase too.
        found = _object_content(ctx, cue, children, base, cls)
        if found is not None:
            return found, "object"
    if base == "tell":
        found = _story_told(ctx, cue, children)
        if found is not None:
            return found, "story"
    if cls == "belief" or base in CLAUSE_ONLY or base == "put it":
        return None, "none"
    appeal = _appeal(ctx, cue, children) if base in _APPEALING else None
    if appeal is not None:
        return appeal, "request"
    obj = _object_content(ctx, cue, children, base, cls)
    if obj is not None:
        return obj, "object"
    return _passive_subject(ctx, cue, children), "passive"


# Classes whose content may come before the cue ('"...," she said', "the race is over, polls
# show"); a verb of praising or wanting ("..., voters prefer") comes before what it takes.
_REPORTED_BEFORE = frozenset({"speech", "belief", "finding"})


def _colon_between(clause: Token, cue: Token) -> bool:
    """"... tied by his record: he backed the port levy": a clause before the cue across a
    colon or semicolon is the sentence's first part, which the second explains; it is nobody's
    report."""
    if clause.i > cue.i:
        return False
    return any(t.text in (":", ";") for t in cue.doc[_right_edge(clause) + 1:cue.i])


def _asked_if(cue: Token, clause: Token, base: str) -> bool:
    """"asked the senator if he would run": after a verb of asking, an "if"-clause is the question
    asked, though the parser takes it for a condition (or for an object)."""
    first = clause.left_edge
    return base in _ASKING and clause.dep_ in ("advcl", "dobj") and clause.i > cue.i \
        and first.dep_ == "mark" and first.head.i == clause.i and first.lower_ == "if"


_ASKING = frozenset({"ask", "wonder", "question"})


def _adverbial(clause: Token) -> bool:
    """'"...," he said as the crowd booed': a clause opened by a subordinator of time, cause or
    concession says when or why, though the parser may take it for the cue's complement."""
    first = clause.left_edge
    return first.dep_ == "mark" and first.head.i == clause.i and first.lower_ in _ADVERBIAL_MARKS


# Subordinators that open adverbial clauses only ("if" and "whether" open reported questions too).
_ADVERBIAL_MARKS = frozenset({"as", "because", "when", "while", "after", "before", "since", "although", "though",
                              "until", "unless", "once", "whereas", "whenever"})


def _quoted_title(clause: Token) -> bool:
    """'said on the podcast "Here's the Thing"': a quoted clause right after a noun is that noun's
    name (a show's, a book's, a slogan's), though the parser may take it for the cue's complement."""
    doc = clause.doc
    first = clause.left_edge
    before = doc[first.i - 1] if first.i > 0 else None
    return before is not None and first.text in _OPENING_QUOTES \
        and (before.dep_ in ("pobj", "dobj", "compound", "appos") or before.dep_ == "case")


_OPENING_QUOTES = frozenset({"\"", "\u201c", "``", "''", "\u2018"})


def _gerund_object(cue: Token, children: list[Token]) -> bool:
    """Is the cue's object an "-ing" clause ("considering abandoning Trump")?"""
    return any(c.dep_ in ("xcomp", "dobj", "ccomp") and c.i > cue.i and c.lower_.endswith("ing")
               and c.left_edge.i == c.i for c in children)


def _appeal(ctx: FieldContext, cue: Token, children: list[Token]) -> tuple[int, int] | None:
    """"called on the mayor to act", "called for the chief to resign": an appeal to
    someone (the object of "on", "upon" or "for") to do what the infinitive after them says."""
    prep = next((c for c in children if c.dep_ == "prep" and c.lower_ in _APPEAL_PREPS and c.i == cue.i + 1), None)
    target = next((g for g in prep.children if g.dep_ == "pobj"), None) if prep is not None else None
    if target is None:
        return None
    inf = next((c for c in list(children) + list(target.children)
                if c.dep_ in ("xcomp", "advcl", "acl", "relcl") and c.left_edge.i == target.right_edge.i + 1
                and c.left_edge.lower_ == "to"), None)
    if inf is None:
        return None
    return _report_span(ctx, target, _right_edge(inf))


_APPEAL_PREPS = frozenset({"on", "upon", "for"})
_APPEALING = frozenset({"call", "appeal"})


def _parenthesis(doc, clause: Token, last: int) -> bool:
    """"it was likely, if not certain, that ...": a clause set off by commas with more of the
    content after it is an aside inside the report, not a close of the writer's."""
    end = clause.right_edge.i + 1
    return end < last and doc[end].text == "," and not any(c.dep_ in ("nsubj", "nsubjpass") for c in clause.lefts)


_WHEN = frozenset({"after", "when", "before", "since", "until", "once"})


def _report_hung_above(ctx: FieldContext, cue: Token, para: tuple[int, int]) -> tuple[int, int] | None:
    """"after Lee told the Globe she was not ready": the parser made the reported clause the
    head and the cue its adverbial clause. A clause whose subject comes right after the cue's own
    words (its hearer, say) is what the cue reported."""
    head = cue.head
    if cue.dep_ != "advcl" or head.i < cue.i or not any(c.dep_ == "mark" and c.lower_ in _WHEN for c in cue.lefts) \
            or not any(c.dep_ == "dobj" for c in cue.rights):
        return None
    subject = next((c for c in head.lefts if c.dep_ in ("nsubj", "nsubjpass") and c.i > cue.i), None)
    if subject is None or subject.left_edge.i != cue.right_edge.i + 1 or not para[0] <= head.idx < para[1]:
        return None
    return _report_span(ctx, subject, _right_edge(head))


def _extraposing(clause: Token) -> bool:
    """"it was possible", "it is clear": an "it" and a predicate waiting for the clause it stands for."""
    return any(c.dep_ == "nsubj" and c.lower_ == "it" for c in clause.lefts) \
        and any(c.dep_ in ("acomp", "attr") for c in clause.rights) \
        and not any(c.dep_ in ("ccomp", "xcomp") for c in clause.rights)


def _own_infinitive(cue: Token, children: list[Token]) -> Token | None:
    """The cue's own to-infinitive after it ("plans to run", "was asked to leave"), if any."""
    return next((c for c in children if c.dep_ == "xcomp" and c.i > cue.i and _infinitive(c)), None)


def _passive_or_bare(cue: Token) -> bool:
    """A passive cue ("was asked"), or a bare participle opening an adverbial clause ("when asked")."""
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in cue.lefts) \
        or cue.dep_ == "advcl" and not any(c.dep_ in ("nsubj", "aux") for c in cue.lefts)


_WISH_DEPS = frozenset({"xcomp", "ccomp", "advcl", "oprd"})  # what a wished-for object is to do or be


def _bare_or_that(verb: Token) -> bool:
    return _that_clause(verb) or _bare_clause(verb)


def _that_clause_of(verb: Token) -> bool:
    """Does the clause open with its own "that" (after a conjunction: "but that ...")?"""
    return any(c.dep_ == "mark" and c.lower_ == "that" for c in verb.lefts) \
        and any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.lefts)


def _that_clause(verb: Token) -> bool:
    first = verb.left_edge
    return first.lower_ == "that" and first.dep_ == "mark" and first.i > verb.head.i


def _judged_object(ctx: FieldContext, cue: Token, children: list[Token]) -> tuple[int, int] | None:
    """"viewed communists as terrorists", "saw the remark as a snub", "deemed the plan unworkable":
    the object with the predicate the judgment gives it."""
    obj = next((c for c in children if c.dep_ == "dobj" and c.i > cue.i), None)
    if obj is None:
        return None
    pred = next((c for c in children if c.i > obj.i and (c.dep_ in ("oprd", "xcomp") or c.dep_ == "prep"
                                                          and c.lower_ == "as" or c.lower_ in _VERDICT_ADVERBS)), None)
    pred = pred or next((c for c in obj.rights if c.dep_ == "prep" and c.lower_ == "as"), None) \
        or next((c for c in children if _as_predicate(c, obj.right_edge.i)), None)
    if pred is None or any(t.text in (",", ";") for t in ctx.doc[obj.right_edge.i + 1:pred.left_edge.i]):
        return None
    return _report_span(ctx, obj, pred.right_edge.i)


def _story_told(ctx: FieldContext, cue: Token, children: list[Token]) -> tuple[int, int] | None:
    """"tells the story of how she hired him", "told a joke about the rival": a story told is what
    was said (the verb's hearer object, "told him", is not)."""
    story = next((c for c in children if c.dep_ == "dobj" and c.i > cue.i and c.lower_ in _NARRATIVES), None)
    if story is None:
        return None
    return _report_span(ctx, story, _right_edge(story))


_NARRATIVES = frozenset({"story", "stories", "tale", "tales", "joke", "jokes", "anecdote", "anecdotes"})


def _passive_judgment(ctx: FieldContext, cue: Token, children: list[Token], base: str) -> tuple[int, int] | None:
    """The verdict of a passive judgment: what its subject is seen as, considered, or known for."""
    preps = ("for", "as") if base == "know" else ("as",)
    pred = next((c for c in children if c.i > cue.i and (c.dep_ == "prep" and c.lower_ in preps
                                                          or c.dep_ in ("oprd", "xcomp") and base not in _SEEING)), None)
    if pred is None:
        return None
    if pred.dep_ == "prep":
        pred = next((c for c in pred.children if c.dep_ in ("pobj", "pcomp")), None)
        if pred is None:
            return None
    return _report_span(ctx, pred, pred.right_edge.i)


# A verdict of these is an "as"-phrase; with a bare predicate they report what was seen ("was seen
# leaving the building") or known.
_SEEING = frozenset({"see", "know"})


# Adverbs that give an object a judgment's verdict ("view him favorably", "rated it poorly").
_VERDICT_ADVERBS = frozenset({"favorably", "unfavorably", "favourably", "unfavourably", "positively", "negatively",
                              "highly", "poorly", "dimly", "kindly", "warmly", "badly", "well"})


def _passive_subject(ctx: FieldContext, cue: Token, children: list[Token]) -> tuple[int, int] | None:
    """"The story was first reported by the Herald": with an agent, the passive subject is what
    the agent reported (the agent is the speaker, see ``speakers.own_subject``)."""
    if not any(c.dep_ == "agent" and c.i > cue.i for c in children):
        return None
    subject = next((c for c in children if c.dep_ == "nsubjpass" and c.i < cue.i), None)
    if subject is None or subject.lower_ in RELATIVE_PRONOUNS or subject.lower_ in PRONOUNS:
        return None
    return ctx.token_span(subject.left_edge.i, _restrictive_edge(subject))


def _infinitive(verb: Token) -> bool:
    """A to-infinitive right after its cue, or after the cue's adjuncts only ("plans to ...",
    "voted 7-4 along faction lines to refer ...", "plans this year to ..."; not "wants the matter
    to be ...", whose infinitive has a subject of its own)."""
    first = verb.left_edge
    cue = verb.head
    if first.lower_ != "to" or first.dep_ != "aux" or first.i <= cue.i:
        return False
    return all(t.is_punct or _adjunct_of(t, cue) for t in verb.doc[cue.i + 1:first.i])


def _adjunct_of(token: Token, cue: Token) -> bool:
    """Does ``token`` belong to an adjunct (when, where, how, by how much) hung on ``cue``?"""
    for _ in range(8):
        if token.head.i == cue.i:
            return token.dep_ in ("npadvmod", "advmod", "prep", "punct")
        if token.head.i == token.i:
            return False
        token = token.head
    return False


def _object_content(ctx: FieldContext, cue: Token, children: list[Token], base: str,
                    cls: str, only: frozenset[str] | None = None) -> tuple[int, int] | None:
    """The object and what completes it in the cue's phrase ("accused [the council of inflating the figures]",
    "blamed [the delay on the contractor]", "called for [a review]"), up to a comma or a
    coordinated clause; not the adjuncts that say when, where or how it was said ("praised the
    plan [at a forum]", "rejected the argument [in a ruling]", "announced it [this week]")."""
    doc = ctx.doc
    rights = [c for c in children if c.i > cue.i]
    if cls == "topic":
        only = TOPIC_PREPOSITIONS[base]
    first = next((c for c in rights if c.dep_ in _OBJECT_DEPS), None) if only is None else None
    if first is None:
        preps = only or CONTENT_PREPOSITIONS | VERB_PREPOSITIONS.get(base, frozenset())
        prep = next((c for c in rights if c.dep_ == "prep" and c.lower_ in preps and not _adjunct(c)), None)
        first = next((g for g in prep.children if g.dep_ in ("pobj", "pcomp")), None) if prep else None
        if first is None:
            return _for_to_clause(ctx, cue, rights) if "for" in preps else None
        rights = [first]
    last = _restrictive_edge(first)
    for c in rights:
        if c.i <= first.i:
            continue
        if c.dep_ in ("cc", "conj") and any(p.dep_ == "oprd" and p.i > c.i for p in rights):
            continue  # "called [the citation and the demand] a ploy": coordinated objects
        if c.dep_ == "punct" and c.text == "," and c.i == last + 1 and _list_item_after(c, first):
            continue  # the comma before the next object of a list (below)
        if first.dep_ == "dobj" and _noun_infinitive(c, last):
            last = _right_edge(c)
            continue
        if first.dep_ == "dobj" and base in NEEDS_PREDICATE and _as_predicate(c, last):
            last = c.right_edge.i  # "described the harbour [as overrun by ...]"
            continue
        rest = next((n for n in rights if n.i > c.i and n.left_edge.i == c.i + 1), None) if c.text == "," else c
        if rest is not None and _rest_of_verb_list(rest, last, rights):
            last = rest.right_edge.i  # the list's last item ends it
            break
        if c.dep_ in _OBJECT_STOP:
            break
        if doc[c.left_edge.i - 1].text == ",":
            # "accused the senator, who was born in Ohio, of lying": the complement goes on
            # after a parenthetical on the object; anything else after a comma is the writer's,
            # but for the next items of a list of objects ("discussed the economy, health care
            # and the environment", which the parser may read as a second object).
            if c.dep_ == "dobj" and first.dep_ == "dobj" and _ends_list(c):
                last = c.right_edge.i
                continue
            if not (_completes(c) and last < first.right_edge.i
                    and all(t.is_punct for t in doc[first.right_edge.i + 1:c.left_edge.i])):
                break
        if _adjunct(c):
            continue
        last = c.right_edge.i
    last = _contact_clause(ctx, cue, last)
    if base in NEEDS_PREDICATE:
        last = _quoted_predicate(ctx, cue, last)
    last = _cut_at_coordinated_cue(doc, first.left_edge.i, last)
    span = ctx.token_span(first.left_edge.i, last)
    # A one-word object is the stance a stance verb takes ("endorsed Clinton", "opposes
    # abortion", "blasted Smith"); after a speech verb ("said that", "told him") or a verb of
    # naming without its predicate ("called Smith", "questioned him") it is no content.
    if len(ctx.text[span[0]:span[1]].split()) < 2 and (
            cls not in ("object", "topic") and only is None or base in NEEDS_PREDICATE or first.lower_ in NON_SPEAKERS):
        return None
    return span


def _with_list(cue: Token, item: Token) -> list[Token]:
    """The item, and the rest of the list of verb phrases it opens when the parser hung that on
    the cue ("plans to cut taxes, raise tariffs and build a wall"; ``_rest_of_verb_list``)."""
    rights = [c for c in cue.rights if c.i > item.i]
    rest = next((c for c in rights if _rest_of_verb_list(c, _right_edge(item), [item])), None)
    return [item] if rest is None else [item, rest]


def _rest_of_verb_list(nxt: Token, last: int, rights: list[Token]) -> bool:
    """"urged the party to cut its costs, replace its leaders and open its primaries", "supports
    tightening enforcement, freezing visas and changing the law": the parser hangs the later
    items of a list of verb phrases on the cue, as a conjunct or an adverbial clause. Right after
    the comma that closes an item, a phrase of the same form (a bare verb after an infinitive, an
    "-ing" after an "-ing"), with no subject, that closes the list with "and"/"or", is the rest."""
    doc = nxt.doc
    comma = nxt.left_edge.i - 1
    if nxt.dep_ not in ("conj", "advcl", "xcomp") or comma not in (last, last + 1) or doc[comma].text != ",":
        return False
    item = next((c for c in rights if c.right_edge.i in (comma - 1, comma) and c.dep_ in ("xcomp", "advcl", "pcomp")),
                None)
    if item is None or any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in nxt.lefts) or cue_of(nxt.lower_):
        return False
    same_form = nxt.lower_.endswith("ing") if item.lower_.endswith("ing") else \
        any(c.dep_ == "aux" and c.lower_ == "to" for c in item.lefts) and not nxt.lower_.endswith(("ing", "ed"))
    return same_form and _ends_list(nxt)


def _as_predicate(child: Token, last: int) -> bool:
    """"described the harbour as overrun by ...", "portrayed him as having ...": an "as"-clause right
    after the object gives it its predicate, though the parser reads "as" as a subordinator."""
    first = child.left_edge
    return child.dep_ == "advcl" and first.i == last + 1 and first.lower_ == "as" and first.dep_ == "mark" \
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in child.lefts) and cue_of(child.lower_) is None


def _noun_infinitive(child: Token, last: int) -> bool:
    """"decried Trump's calls [to ban ...]", "defended his call [to raise ...]": a to-infinitive
    right after the object, with no comma, completes the object's noun, though the parser hangs
    it on the verb as a clause of purpose. Not when the infinitive is a cue itself ("recited a
    passage to encourage voters to ..."): that is a second statement, found on its own cue."""
    first = child.left_edge
    return child.dep_ == "advcl" and first.i == last + 1 and first.lower_ == "to" and first.dep_ == "aux" \
        and cue_of(child.lower_) is None


def _for_to_clause(ctx: FieldContext, cue: Token, rights: list[Token]) -> tuple[int, int] | None:
    """"called for the agency to release the files": "for" with a subject and its infinitive is one
    clause (the parser hangs it as an adverbial clause marked "for"); it is what was called for."""
    clause = next((c for c in rights if c.dep_ in ("advcl", "ccomp", "xcomp") and c.left_edge.lower_ == "for"
                   and c.left_edge.dep_ == "mark" and c.left_edge.i == _first_after(cue)), None)
    if clause is None or clause.left_edge.i + 1 > clause.i:
        return None
    return ctx.token_span(clause.left_edge.i + 1, _right_edge(clause))


def _first_after(cue: Token) -> int:
    """Index of the first token after the cue and its particle."""
    nxt = cue.i + 1
    while nxt < len(cue.doc) and cue.doc[nxt].dep_ in ("prt", "advmod") and cue.doc[nxt].head.i == cue.i:
        nxt += 1
    return nxt


def _quoted_predicate(ctx: FieldContext, cue: Token, last: int) -> int:
    """"called the levy ''a welcome rescue''", "dubbed him "the people's champion"": after the
    object of a verb of naming, a quotation right after it is the name given, however the parser
    hung it."""
    doc = ctx.doc
    end = doc[last].idx + len(doc[last].text)
    quote = ctx.quotes.first_after(end)
    if quote is None or ctx.text[end:quote.start].strip() or quote.end > ctx.paragraph_bounds(cue.idx)[1]:
        return last
    return ctx.token_at(quote.end - 1)


def _contact_clause(ctx: FieldContext, cue: Token, last: int) -> int:
    """"cited remarks Trump had made about her": a clause right after the object, with its
    subject first and nothing between, is a relative clause on it (English marks any other
    clause there with a conjunction or punctuation); the parser often reads it as a new
    sentence. The content runs on to that clause's end, within the cue's sentence and paragraph."""
    doc = ctx.doc
    if last + 2 >= len(doc):
        return last
    subject = doc[last + 1]
    verb = subject.head
    if subject.dep_ != "nsubj" or verb.i <= subject.i or verb.i == cue.i or verb.is_ancestor(cue) \
            or cue.is_ancestor(verb) or subject.left_edge.i != subject.i or subject.lower_ in PRONOUNS \
            and subject.lower_ not in ("he", "she", "they", "we", "i", "you"):
        return last
    para_end = ctx.paragraph_bounds(cue.idx)[1]
    end = _right_edge(verb)
    if doc[end].idx >= para_end or any(t.is_punct and t.text in ",;:" for t in doc[last + 1:verb.i]):
        return last
    return end


# Prepositions that begin an adjunct of time, place or manner, not a complement of the cue.
# ("in", "at", "after" are left out: the parser hangs on the verb as many a phrase of the object,
# "revealed a rift [in the way ...]", "wrote a memoir of his years [at the town hall]".)
_ADJUNCT_PREPOSITIONS = frozenset({"during", "since", "until", "amid", "despite", "throughout", "while"})
_TIME_ENTS = frozenset({"DATE", "TIME"})


def _adjunct(child: Token) -> bool:
    if child.dep_ in ("npadvmod", "advmod", "agent"):
        return True
    if child.dep_ != "prep":
        return False
    if child.lower_ in _ADJUNCT_PREPOSITIONS:
        return True
    # "on Monday", "over the weekend": a preposition whose object is a date or a time.
    pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
    if pobj is not None and child.lower_ == "on" and pobj.lower_ == "condition":
        return True  # "spoke on (the) condition of anonymity": how it was said, not what
    return _occasion(child) is not None or pobj is not None and pobj.ent_type_ in _TIME_ENTS


def _occasion(child: Token) -> Token | None:
    """"restated her view [at a public meeting]", "acknowledged as much [in an article]": a phrase
    naming the medium or the occasion of saying; returns its noun."""
    if child.dep_ != "prep" or child.lower_ not in ("in", "at", "on", "during"):
        return None
    pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
    return pobj if pobj is not None and pobj.lower_ in _OCCASIONS else None


# Nouns of the medium or the occasion of saying: a phrase "in", "at", "on" or "during" one says
# where something was said, not what.
_OCCASIONS = frozenset({
    "statement", "interview", "speech", "article", "letter", "tweet", "post", "email", "memo", "column", "op-ed",
    "editorial", "essay", "book", "rally", "event", "debate", "hearing", "conference", "meeting", "forum", "hall",
    "briefing", "release", "video", "ad", "broadcast", "podcast", "appearance", "address", "remarks", "testimony",
    "radio", "television", "tv", "twitter", "facebook", "instagram", "stage", "floor",
    "news", "show", "program", "blog", "website", "trail", "camera", "session", "summit", "convention", "panel",
    "episode", "segment", "newspaper", "magazine", "call",
})


def _completes(child: Token) -> bool:
    """A dependent that completes an object cue's phrase: "accused X [of ...]", "urged X [to ...]"."""
    return child.dep_ in ("oprd", "xcomp") or (child.dep_ == "prep" and not _adjunct(child))


def _restrictive_edge(noun: Token) -> int:
    """Right edge of a noun phrase without a trailing non-restrictive part set off by a comma
    ("Trump's campaign, the latest chapter in ...", "Scott, who has never ..."): that is the
    writer's gloss on the object, not part of what was said."""
    doc = noun.doc
    for child in noun.rights:
        if child.dep_ in ("appos", "relcl", "acl") and child.left_edge.i > 0 \
                and doc[child.left_edge.i - 1].text == "," and not (child.dep_ == "appos" and _ends_list(child)):
            return child.left_edge.i - 2
    # Deeper in the phrase, a relative clause after a comma or a dash that closes it ("the wisdom
    # of backing Scott, who has never ...", "criticism of Lauer, who took heat for ...").
    last = noun.right_edge.i
    for t in doc[noun.i + 1:min(last, noun.i + _GLOSS_SCAN) + 1]:
        if t.dep_ == "relcl" and t.right_edge.i >= last and doc[t.left_edge.i - 1].text in (",", "--", "\u2014") \
                and doc[t.left_edge.i].lower_ in ("who", "which") and t.left_edge.i - 2 > noun.left_edge.i:
            return t.left_edge.i - 2
    return last


def _list_item_after(comma: Token, first: Token) -> bool:
    """Is the comma followed by the next object of a list the parser hung on the verb?"""
    nxt = comma.nbor(1) if comma.i + 1 < len(comma.doc) else None
    item = nxt.head if nxt is not None and nxt.head.dep_ == "dobj" and nxt.head.head.i == comma.head.i else None
    return first.dep_ == "dobj" and item is not None and item.left_edge.i == comma.i + 1 and _ends_list(item)


def _ends_list(item: Token) -> bool:
    """Does a phrase set off by a comma after a noun close a list ("the economy, health care[, the
    environment or jobs]", "his experience, his grasp of the issues and his preparedness")? It
    does when it, or a phrase of its own, is coordinated by "and" or "or" with a last item: an
    apposition glossing a noun ("Smith, a lawyer,") has no such coordination."""
    doc = item.doc
    for t in doc[item.i:min(item.right_edge.i, item.i + _GLOSS_SCAN) + 1]:
        if t.dep_ == "cc" and t.lower_ in ("and", "or") and t.i < item.right_edge.i \
                and any(c.dep_ == "conj" and c.i > t.i for c in t.head.rights):
            return True
    return False


_GLOSS_SCAN = 64  # tokens of an object scanned for a trailing relative clause: keeps the rules linear


def _has_subject(verb: Token) -> bool:
    """A subject of its own, or a "that" that opens it as a clause whatever the parser made of the rest."""
    return any(k.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") or k.dep_ == "mark" and k.lower_ == "that"
               for k in verb.lefts)


def _bare_clause(verb: Token) -> bool:
    kids = list(verb.lefts)
    return any(k.dep_ in ("nsubj", "nsubjpass", "expl") for k in kids) and not any(k.dep_ == "mark" for k in kids)


def _adjacent_quote(ctx: FieldContext, cue: Token, para: tuple[int, int],
                    subject: Token | None = None) -> tuple[int, int] | None:
    """A quote separated from the cue only by the cue's own dependents, its subject and punctuation."""
    clause_lo, clause_hi = _clause_edges(ctx, cue)
    if subject is not None and subject.i < clause_lo and cue.i - subject.i < 8:
        clause_lo = name_start(subject)  # a subject the parser did not hang on the cue
    doc = ctx.doc
    # A participle after a quotation ('defended his "roads first budget," pledging ...') goes on the
    # clause the quotation stands in; no quotation is attributed by "..., pledging".
    before = None if _trailing_participle(cue) else ctx.quotes.last_before(doc[clause_lo].idx)
    if before is not None and before.start >= para[0] and _gap_ok(ctx, before.end, doc[clause_lo].idx):
        return before.start, before.end
    end_clause = doc[clause_hi].idx + len(doc[clause_hi].text)
    after = ctx.quotes.first_after(end_clause)
    # After the cue the quote must be set off ("said: "...", "said, "..."), or it may be just
    # the first words of a longer complement ('said "rigged" elections ...').
    if (after is not None and after.end <= para[1] and _gap_ok(ctx, end_clause, after.start)
            and any(ch in ",:" for ch in ctx.text[end_clause:after.start])):
        return after.start, after.end
    return None


def _trailing_participle(cue: Token) -> bool:
    """A present participle with no subject or auxiliary of its own, hung on a clause before it."""
    return cue.lower_.endswith("ing") and cue.dep_ in ("advcl", "acl", "xcomp", "conj") and cue.head.i < cue.i \
        and not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in cue.lefts)


def _clause_edges(ctx: FieldContext, cue: Token) -> tuple[int, int]:
    """Token range of the cue, its subject and its short modifiers (not its clausal dependents,
    nor what the parser hung on it from inside a quotation)."""
    lo = hi = cue.i
    for child in cue.children:
        if child.dep_ in ("ccomp", "parataxis", "advcl", "conj", "cc", "punct"):
            continue
        if abs(child.i - cue.i) > 12 or ctx.in_quote(child.left_edge.idx) or ctx.in_quote(child.right_edge.idx):
            continue
        lo, hi = min(lo, child.left_edge.i), max(hi, child.right_edge.i)
    return lo, hi


def _gap_ok(ctx: FieldContext, start: int, end: int) -> bool:
    gap = ctx.text[start:end]
    return len(gap) <= 4 and all(ch.isspace() or ch in _PUNCT_GAP for ch in gap)


def _parenthetical(cue: Token) -> bool:
    return cue.dep_ == "parataxis"


def _interrupted_clause(ctx: FieldContext, cue: Token) -> tuple[int, int] | None:
    """"A, he said, B": the cue hangs as a parenthetical on the clause it reports."""
    if not _parenthetical(cue):
        return None
    head = cue.head
    doc = ctx.doc
    first, last = head.left_edge.i, head.right_edge.i
    cue_lo, cue_hi = cue.left_edge.i, cue.right_edge.i
    if cue_lo <= first:
        first = cue_hi + 1
    elif cue_hi >= last:
        last = cue_lo - 1
    if first > last:
        return None
    last = _cut_at_coordinated_cue(doc, first, last)  # "A, he said, B, although C": not C
    return doc[first].idx, doc[last].idx + len(doc[last].text)


_OWN_CONTENT = frozenset({"dobj", "ccomp", "xcomp", "attr", "oprd", "dative", "acomp"})


def _as_clause(ctx: FieldContext, cue: Token, base: str) -> tuple[int, int] | None:
    """"As many experts have pointed out, A", "A, as I have suggested", "the company failed as
    predicted": a cue in an "as"-clause vouches for the clause it modifies."""
    if cue.dep_ != "advcl" or not any(c.dep_ == "mark" and c.lower_ == "as" for c in cue.lefts) \
            or not any(c.dep_ == "nsubj" for c in cue.lefts) and not _reported_by(cue):
        return None  # (not "as shown in ...": evidence cited, nobody's report; but "as reported by the Times")
    if any(c.dep_ in _OWN_CONTENT and not (base == "put it" and c.lower_ == "it") for c in cue.rights) \
            or base == "continue":
        return None  # "as he welcomed the guests", "as he continued": "as" of time, not of report
    head, doc = cue.head, ctx.doc
    lo, hi = cue.left_edge.i, cue.right_edge.i
    sent_start, sent_end = ctx.sentence_of(cue)
    first, last = max(head.left_edge.i, sent_start), min(head.right_edge.i, sent_end - 1)
    while last > first and doc[last].is_punct:
        last -= 1
    if all(t.is_punct or t.dep_ in ("mark", "cc", "advmod") for t in doc[first:lo]):
        first = hi + 1
    elif hi >= last:
        last = lo - 1
    else:
        first = hi + 1  # "If, as I have suggested, A, then B": what follows the clause
    if first > last:
        return None
    return ctx.token_span(first, last)


def _reported_by(cue: Token) -> bool:
    """"as reported by the Times": a passive verb of saying with its agent names a source (but "as
    shown by the data" cites evidence)."""
    found, head = cue_of(cue.lower_), cue_of(cue.head.lower_)
    # Not on a report of its own ('"...," she said, as recalled by her aide': the aide relays hers).
    return found is not None and found[1] == "speech" and any(c.dep_ == "agent" for c in cue.rights) \
        and (head is None or head[1] != "speech")


def _after_colon(ctx: FieldContext, cue: Token, para: tuple[int, int]) -> tuple[int, int] | None:
    """"Caddell continued:" closing its paragraph: the content is the next paragraph's quotation,
    or the next paragraph itself when it is set as a block quotation without marks."""
    _, hi = _clause_edges(ctx, cue)
    doc = ctx.doc
    end = doc[hi].idx + len(doc[hi].text)
    rest = ctx.text[end:para[1]].strip()
    if rest != ":":
        return None
    if para[1] >= len(ctx.text):
        return None
    quote = ctx.quotes.first_after(para[1])
    if quote is not None and quote.start == para[1]:
        return quote.start, quote.end
    # A block quotation set as its own paragraph without marks ("The governor added:" and then
    # the words): the whole next paragraph.
    return ctx.paragraph_bounds(para[1])


def _widen_to_quotes(ctx: FieldContext, span: tuple[int, int], para: tuple[int, int]) -> tuple[int, int]:
    start, end = span
    if not (start < para[1] and end > para[0]):
        # Content in the next paragraph (after a colon) keeps its own paragraph; content that
        # reaches the cue's paragraph is cut to it (the parser runs sentences over breaks).
        para = ctx.paragraph_bounds(start)
    start, end = max(start, para[0]), min(end, para[1])
    for quote in ctx.quotes.overlapping(start, end):
        if quote.start >= para[0] and quote.end <= para[1]:
            start, end = min(start, quote.start), max(end, quote.end)
    return start, end


def _according_to(ctx: FieldContext, token: Token) -> Draft | None:
    """"According to X, C" / "C, according to X": X is the speaker, the rest of the sentence the content."""
    if token.i + 1 >= len(token.doc) or token.nbor(1).lower_ != "to" or ctx.in_quote(token.idx):
        return None
    to = token.nbor(1)
    source = next((c for c in to.children if c.dep_ == "pobj"), None)
    if source is None:
        return None
    sent_start, sent_end = ctx.sentence_of(token)
    para = ctx.paragraph_bounds(token.idx)
    phrase_lo, phrase_hi = token.i, max(to.right_edge.i, token.right_edge.i)
    first, last = sent_start, sent_end - 1
    if phrase_lo - first <= 1:
        first = phrase_hi + 1
    elif last - phrase_hi <= 2:
        last = phrase_lo - 1
    if first > last:
        return None
    content = ctx.trim(*_widen_to_quotes(ctx, ctx.token_span(first, last), para))
    if content[1] - content[0] < 2:
        return None
    draft = Draft(ctx.name, "according_to", ctx.token_span(token.i, to.i), content, rule="according_to")
    _attach_speaker(ctx, draft, source, para)
    return draft


# Sources of findings that report what a sentence says when it is set "in" them ("In a new poll,
# Clinton leads by four points", "Trump is ahead in the latest surveys").
_FINDING_SOURCES = frozenset({"poll", "polls", "survey", "surveys", "study", "studies", "report", "reports",
                              "analysis", "census", "audit", "estimate", "estimates"})


def _in_source(ctx: FieldContext, token: Token) -> Draft | None:
    """"In a new poll, A" / "A in the latest polls": the poll is the speaker of the rest of the
    sentence, when the phrase opens or closes it and nobody in the sentence reports it otherwise."""
    source = next((c for c in token.children if c.dep_ == "pobj"), None)
    if source is None or source.lower_ not in _FINDING_SOURCES:
        return None
    sent_start, sent_end = ctx.sentence_of(token)
    phrase_lo, phrase_hi = token.i, token.right_edge.i
    first, last = sent_start, sent_end - 1
    while last > first and ctx.doc[last].is_punct:
        last -= 1
    if phrase_lo - first <= 1:
        first = phrase_hi + 1
    elif last - phrase_hi <= 0:
        last = phrase_lo - 1
    else:
        return None
    if first > last or any(t.lower_ in CUE_FORMS and t.dep_ in _VERB_DEPS or t.lower_ == "according"
                           for t in ctx.doc[first:last + 1]):
        return None
    para = ctx.paragraph_bounds(token.idx)
    content = ctx.trim(*_widen_to_quotes(ctx, ctx.token_span(first, last), para))
    if content[1] - content[0] < 2:
        return None
    draft = Draft(ctx.name, None, ctx.token_span(token.i, token.i), content, rule="in_source")
    _attach_speaker(ctx, draft, source, para)
    return draft
