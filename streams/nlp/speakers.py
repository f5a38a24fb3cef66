"""Speaker resolution: from a cue verb to the phrase that names who spoke, and on to its entity.

The subject of the cue is the speaker, never one found inside a quotation (the parser readily
takes '"... no one walking out", de Mistura said' to have two subjects). Cue verbs without a
subject of their own (participles, infinitives, second conjuncts: "..., adding that ...")
borrow the subject of the verb they hang on. A relative pronoun ("which officials said", "who
said") stands for the noun the clause modifies.
"""

from dataclasses import dataclass

from spacy.tokens import Token

from streams.nlp.cues import (CUE_FORMS, NON_SPEAKERS, PEOPLE_PRONOUNS, PRONOUNS, PUBLISHING_VERBS, RELATIVE_PRONOUNS,
                              SPENDING_VERBS)

_SUBJECTS = frozenset({"nsubj"})
# Clause links through which a subject-less cue borrows its head's subject.
_BORROW = frozenset({"xcomp", "advcl", "conj", "acl", "pcomp", "dep"})
# Left modifiers that belong to a name or nominal ("US President Donald Trump", "Assad's delegation").
_NP_LEFT = frozenset({"det", "poss", "amod", "compound", "nmod", "nummod", "quantmod", "case", "predet", "advmod",
                      "punct"})
# Right prepositional phrases kept with a speaker's noun ("the head of the agency", "a survey
# by the Harbour Research Institute").
_NP_RIGHT_PREPS = frozenset({"of", "for", "at", "from", "with", "in", "by"})
# Focus particles the parser hangs on a subject ("Even Rendell conceded ..."): they weigh the
# phrase, they do not name anyone, and "even she" is still the pronoun to resolve.
_FOCUS = frozenset({"even"})


@dataclass(frozen=True)
class SpeakerPhrase:
    head: Token
    start: int  # token indices, end exclusive
    end: int

    @property
    def text(self) -> str:
        doc = self.head.doc
        return doc[self.start:self.end].text

    @property
    def start_char(self) -> int:
        return self.head.doc[self.start].idx

    @property
    def end_char(self) -> int:
        last = self.head.doc[self.end - 1]
        return last.idx + len(last.text)

    @property
    def pronoun(self) -> str | None:
        return PRONOUNS.get(self.head.lower_) if self.end - self.start == 1 else None


def subject_of(cue: Token, subject_lookup) -> tuple[Token | None, Token | None]:
    """The token heading the cue's speaker, climbing to a head verb when the cue has no subject;
    and, when the speaker is a relative pronoun ("the mayor, who said ..."), that pronoun (the
    first token then heads the phrase it stands for).

    ``subject_lookup(verb)`` gives a verb's own subject outside quotes (``own_subject`` below,
    memoised by the caller so that many cues hanging on one verb stay linear).
    """
    verb = cue
    if cue.lower_ in _ASKED and cue.dep_ in ("advcl", "acl") and subject_lookup(cue) is None \
            and not any(c.dep_ in ("aux", "auxpass") for c in cue.lefts):
        # "Asked about the vote, the senator said ...": the clause's subject is the one asked.
        return None, None
    perfect = _contracted_perfect(cue)
    if perfect is not None:
        return perfect, None
    if subject_lookup(cue) is None and any(c.dep_ == "nsubjpass" for c in cue.lefts):
        # "..., and the mayor was told that ...": a passive cue with a subject of its own names
        # the hearer, not the speaker, and borrows none from the verb it is coordinated with.
        return None, None
    participle = _participle_subject(cue) or _controller(cue) or _modified_noun(cue)
    if participle is not None:
        return participle, None
    for _ in range(4):
        subject = subject_lookup(verb)
        if verb is not cue and subject is not None and subject.head.dep_ == "agent":
            # "was booed by the crowd after telling ...": the one who told is the passive's
            # subject, not its agent.
            passive = verb.head if verb.dep_ == "conj" and not any(c.dep_ == "nsubjpass" for c in verb.lefts) else verb
            subject = next((c for c in passive.lefts if c.dep_ == "nsubjpass"), subject)
        if subject is None and verb is not cue:
            # "After saying ..., she was whisked off": a borrowed subject may be passive.
            subject = next((c for c in verb.lefts if c.dep_ == "nsubjpass"), None)
        if subject is None and verb is cue:
            subject = _swallowed_subject(cue)
        if subject is None:
            subject = misparsed_subject(verb)
        if subject is None and verb is not cue:
            subject = _inverted_speaker(verb)
        if subject is None and verb is cue:
            subject = _phrase_before(cue) or _root_noun(cue) or _fronted_phrase_subject(cue)
        if subject is not None:
            if subject.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                author = _author_of(verb.head, subject_lookup) if subject.lower_ != "who" else None
                return (author, None) if author is not None else (verb.head, subject)
            return subject, None
        if verb.dep_ == "relcl" and verb is cue:
            return None, None
        if verb.head.i == verb.i or (verb.dep_ not in _BORROW and not _coordinated(verb)):
            return None, None
        report = _report_of(verb) if verb is cue and _trailing_participle(verb) else None
        head = report or (_reporting_ancestor(verb) if verb is cue and verb.dep_ == "conj" else verb.head)
        # "a statement saying ...": the noun's verb has the speaker ("the campaign released a statement").
        if verb.dep_ == "acl" and head.dep_ in ("dobj", "pobj", "nsubj") and head.head.i != head.i:
            head = head.head if head.dep_ != "pobj" else head.head.head
        # "despite admitting ...", "after saying ...": through the preposition to its verb, and on
        # through the phrases it sits in ("In addition to stating ..., Clinton has vowed").
        if verb.dep_ == "pcomp" and head.dep_ == "prep":
            head = head.head
            for _ in range(3):
                if head.dep_ != "pobj" or head.head.dep_ != "prep" or head.head.head.i == head.head.i:
                    break
                head = head.head.head
        verb = head
    return None, None


_NAME_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP"})


def _swallowed_subject(cue: Token) -> Token | None:
    """"In a meeting with the board Smith said ...": with no comma after a fronted phrase, the
    parser takes the name right before the verb as the end of that phrase. A named entity that
    closes a left prepositional dependent of the verb, right before it, is the verb's subject."""
    if cue.i == 0:
        return None
    prev = cue.doc[cue.i - 1]
    if prev.ent_type_ not in _NAME_ENTS or prev.dep_ not in ("pobj", "compound", "appos") or prev.ent_iob_ == "":
        return None
    for child in cue.lefts:
        if child.dep_ == "prep" and child.right_edge.i == prev.i:
            # The entity's first token: its phrase is built from the entity's head, the last token.
            return prev
    return None


def misparsed_subject(verb: Token) -> Token | None:
    """A name right before a verb that has no subject is its subject, however the parser hung it:
    "Trump claims that ..." read as a noun phrase ("the Trump claims"), or "A mishandled the
    probe and Democrats accused ..." with "Democrats" coordinated with the object before, or a
    name right after a closing quotation mark ('"...," Tulsa police Chief Chuck Jordan said')."""
    doc = verb.doc
    j = verb.i - 1
    while j >= 0 and doc[j].dep_ == "advmod" and doc[j].head.i == verb.i and verb.i - j < 3:
        j -= 1
    if j < 0:
        return None
    prev = doc[j]
    if prev.text == "Will" and prev.dep_ == "aux" and verb.lower_ in CUE_FORMS and verb.lower_ != CUE_FORMS[verb.lower_][0]:
        # "Will urged ...", "Will wrote": no modal comes before a past or third-person form; the
        # capitalised "Will" is a name (George Will) the parser read as one.
        return prev
    if prev.text == "," and j >= 2:
        named = _fronted_name(verb, j - 1)
        if named is None:
            # "Speaking in Dorrance, Varga, without naming him, also accused ...": the name stands
            # before a parenthesis set off by commas.
            k = next((k for k in range(j - 1, max(j - _PARENTHESIS, 0), -1) if doc[k].text == ","), None)
            named = _fronted_name(verb, k - 1, appositive=False) if k is not None and k > 1 else None
            if named is None and k is not None and k > 1 and doc[k - 1].ent_type_ in _NAME_ENTS \
                    and after_closing_quote(doc[k - 1]):
                # '"...," Ramos, 58, told AFP': a name and its apposition between a closing
                # quotation mark and the verb, however the parser hung them.
                named = doc[k - 1]
        return named
    if prev.text in _DASHES:
        # "Mr. Bush - in a line aimed at his rival - declared that ...": the name before a
        # parenthesis set off by dashes, which the parser hangs inside it.
        k = next((k for k in range(j - 1, max(j - _PARENTHESIS, 0), -1) if doc[k].text in _DASHES
                  or doc[k].is_sent_start), None)
        if k is None or doc[k].text not in _DASHES or k == 0:
            return None
        before = doc[k - 1]
        named = before.ent_type_ in _NAME_ENTS or before.lower_ in _SUBJECT_PRONOUNS
        return before if named and before.dep_ not in ("nsubj", "pobj", "dobj") else None
    if prev.dep_ == "compound" and prev.head.i == verb.i and prev.is_title \
            and (j == 0 or doc[j].is_sent_start or doc[j - 1].is_punct):
        # "Trump predicts that ..." opening a sentence, read as a noun phrase even when the
        # model did not take the name for one.
        return prev
    if prev.ent_type_ not in _NAME_ENTS and prev.lower_ not in _SUBJECT_PRONOUNS:
        return None
    if prev.dep_ == "compound" and prev.head.i == verb.i:
        return prev
    if prev.dep_ == "conj" and prev.head.i < prev.i and prev.left_edge.i > 0 \
            and doc[prev.left_edge.i - 1].lower_ == "and" and not prev.head.is_ancestor(verb):
        return prev
    if after_closing_quote(prev):
        # '"...," Tulsa police Chief Chuck Jordan said': a name between a closing quotation mark
        # and the verb, however the parser hung it.
        return prev
    return None


def _inverted_speaker(verb: Token) -> Token | None:
    """'"Will we win?" asked the mayor, pointing to the polls': after its quotation a speech verb
    comes before its subject, which the parser may take for its object; a participle set off
    after that phrase by a comma borrows it."""
    doc = verb.doc
    if verb.i < 2 or doc[verb.i - 1].text not in CLOSING_MARKS or doc[verb.i - 2].text not in (",", "?", "!"):
        return None  # 'the "super PAC" raised $15 million, ...': a quoted name, not a quotation
    return next((c for c in verb.rights if c.dep_ == "dobj" and c.left_edge.i == verb.i + 1
                 and c.right_edge.i + 1 < len(doc) and doc[c.right_edge.i + 1].text == ","), None)


def after_closing_quote(token: Token) -> bool:
    """Does the run of words ending at ``token`` come right after a closing quotation mark?"""
    doc, start = token.doc, name_start(token)
    return start >= 2 and doc[start - 1].text == "," and doc[start - 2].text in CLOSING_MARKS \
        or start >= 1 and doc[start - 1].text in CLOSING_MARKS


def _participle_subject(verb: Token) -> Token | None:
    """"left 48 percent of members saying ...", "ended with the host asking ...": a participle right
    after the object of its verb (or of its "with") predicates of that object, when the object
    names people; no comma stands between them."""
    doc = verb.doc
    if not verb.lower_.endswith("ing") or verb.dep_ not in ("advcl", "xcomp", "acl") or verb.i == 0 \
            or any(c.dep_ in ("nsubj", "nsubjpass", "aux") for c in verb.lefts):
        return None
    head = verb.head
    for obj in head.children:
        absolute = obj.dep_ == "prep" and obj.lower_ == "with"
        if absolute:
            # "with Maddow asking": whatever the phrase, it is what does the saying.
            obj = next((g for g in obj.children if g.dep_ == "pobj"), obj)
        if obj.dep_ in ("dobj", "pobj") and obj.right_edge.i == verb.i - 1 and (absolute or _names_people(obj)):
            return obj
    return None


def _modified_noun(verb: Token) -> Token | None:
    """"Kim's backers hoping to unseat him", "with polls showing ...": a participle right
    after the noun it modifies predicates of that noun when the noun is a name, or sits in a
    phrase of its own. Otherwise ("the campaign released a statement saying ...") the one who
    put the statement out says it, found further up (``subject_of``)."""
    head = verb.head
    if verb.dep_ != "acl" or not verb.lower_.endswith("ing") or head.i != verb.i - 1:
        return None
    if _names_people(head) or head.dep_ == "pobj" and head.head.lower_ not in _OCCASION_PREPS:
        return head
    return None


def _author_of(document: Token, subject_lookup) -> Token | None:
    """"Lee is releasing an ad that urges ...", "the mayor posted a video that says ...": what a
    document someone just put out says, its author says; None for documents of no one named."""
    verb = document.head
    if document.dep_ != "dobj" or verb.lower_ not in PUBLISHING_VERBS:
        return None
    author = subject_lookup(verb)
    return author if author is not None and (author.ent_type_ in _NAME_ENTS or author.lower_ in PRONOUNS) else None


def _contracted_perfect(verb: Token) -> Token | None:
    """"He's said he will run": the parser reads the contracted "has" as the "is" of a passive.
    With a clause or an object after it and no agent, the verb is active, and the "passive"
    subject says it; not for verbs whose passive names a hearer ("she's told that ...")."""
    if verb.lower_ in _ASKED or not any(c.dep_ == "auxpass" and c.lower_ in ("'s", "\u2019s") for c in verb.lefts) \
            or not any(c.dep_ in ("ccomp", "dobj") for c in verb.rights) or any(c.dep_ == "agent" for c in verb.rights):
        return None
    return next((c for c in verb.lefts if c.dep_ == "nsubjpass"), None)


# "In a speech attacking X, Lee said ...": a participle on the object of these modifies an
# occasion of the clause's subject, who does the attacking.
_OCCASION_PREPS = frozenset({"in", "at", "during", "through", "via", "throughout"})


def _controller(verb: Token) -> Token | None:
    """"led some donors to wonder ...", "will force the mayor to admit ...": an infinitive after
    the object of its verb has that object for its subject (object control). Not when the verb is
    itself a cue ("urged members to reject the deal" is the urger's statement), nor after verbs
    of spending ("used the speech to call for ...": a purpose, with the subject's own doing)."""
    head = verb.head
    if verb.dep_ != "xcomp" or head.lower_ in CUE_FORMS or head.lower_ in SPENDING_VERBS \
            or any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.lefts) \
            or not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.lefts):
        return None
    return next((c for c in head.children if c.dep_ == "dobj" and head.i < c.i < verb.i), None)


def _names_people(token: Token) -> bool:
    return token.ent_type_ in ("PERSON", "NORP", "ORG", "GPE", "PERCENT", "CARDINAL") \
        or token.lower_ in ("him", "her", "them", "us", "me")


def _root_noun(verb: Token) -> Token | None:
    """"Beruff, a Scott ally, called the standards strong": with no other verb in the sentence, the
    parser made the name its root and the verb a modifier of the name; the name with its apposition
    is the subject."""
    head = verb.head
    if verb.dep_ != "acl" or head.dep_ != "ROOT" or head.i > verb.i:
        return None
    return head if any(c.dep_ == "appos" and c.i < verb.i for c in head.children) else None


def _fronted_name(verb: Token, last: int, appositive: bool = True) -> Token | None:
    """"Alarmed by the strike, Senator Ilse Varga, the deputy leader, said ...", "As part of his
    plea, Marcel Lazar, 44, said ...": the parser hung the name in the fronted phrase (as a
    conjunct, an object or an apposition of its noun); with its apposition (ending at ``last``,
    when ``appositive``) it stands right before the verb."""
    doc = verb.doc
    named = doc[last]
    appos = named if named.dep_ == "appos" else next(
        (a for a in named.ancestors if a.dep_ == "appos" and a.right_edge.i == last), None)
    if appos is not None and appositive:
        named = appos.head
    fronted = next((a for a in named.ancestors if a.head.i == verb.i and a.i < verb.i), None)
    if named.ent_type_ in ("PERSON", "ORG") and named.dep_ in ("conj", "pobj", "appos") and fronted is not None \
            and fronted.dep_ in ("advcl", "prep") and not verb.lower_.endswith("ing"):
        return named
    return None


def _fronted_phrase_subject(verb: Token) -> Token | None:
    """"Through weekly surveys, pollsters and aides know ...", "In a note to the board, her chief
    aide, Ann Lee, said ...": after a fronted phrase and its comma, a short noun phrase (and its
    apposition) right before a verb that has no subject is that subject, though the parser
    coordinated it with, or set it in apposition to, the phrase's last noun."""
    doc = verb.doc
    if verb.lower_.endswith("ing"):
        return None
    end = verb.i
    if end > 0 and doc[end - 1].text == ",":
        # The apposition set off by commas right before the verb.
        k = next((k for k in range(end - 2, max(end - _PARENTHESIS, 0), -1) if doc[k].text == ","), None)
        if k is None or k == end - 2 or any(t.dep_ in _CLAUSE_DEPS - {"prep", "advmod"} for t in doc[k + 1:end - 1]):
            return None
        end = k
    comma = next((k for k in range(end - 1, max(end - _RUN, 0), -1) if doc[k].text == ","), None)
    if comma is None or comma == end - 1:
        return None
    run = doc[comma + 1:end]
    if any(t.dep_ not in _RUN_DEPS or t.lower_ in RELATIVE_PRONOUNS for t in run) or not run[-1].is_alpha:
        return None
    root = next((t for t in run if not comma < t.head.i < end), None)
    fronted = doc[comma - 1]
    if root is None or root.dep_ not in ("conj", "appos") or root.head.i > comma \
            or not any(a.head.i == verb.i and a.dep_ in ("prep", "advcl", "npadvmod") for a in fronted.ancestors):
        return None
    return root


_RUN = 8  # tokens scanned back from the verb for the comma ending a fronted phrase
_RUN_DEPS = frozenset({"conj", "appos", "cc", "det", "amod", "compound", "poss", "case", "nummod", "punct"})


def _phrase_before(verb: Token) -> Token | None:
    """"The report and film blame Dana", "Sen. Tomas Brandt, facing a recall, said": a short run
    of words opening its sentence right before a verb that has no subject is that subject, however
    the parser hung it (as a noun's modifier, a conjunct, or the object of the sentence before, when
    it missed the sentence break). A parenthesis set off by commas may stand between them. Returns
    the run's last word, the head English puts last in a noun phrase."""
    doc = verb.doc
    j = verb.i - 1
    if verb.lower_.endswith("ing"):
        return None  # a participle without a subject is an adjunct ("Instead, hoping to ...")
    if j > 0 and doc[j].text == ",":
        k = next((k for k in range(j - 1, max(j - _PARENTHESIS, 0), -1) if doc[k].text == ","), None)
        if k is None:
            return None
        j = k - 1
    if j < 0 or not doc[j].is_alpha or doc[j].lower_ in RELATIVE_PRONOUNS:
        return None
    start = name_start(doc[j])
    # Hung back over the sentence break on the sentence before, any dependency is the parser's
    # confusion; otherwise the word must be able to end a noun phrase.
    if doc[j].dep_ in _CLAUSE_DEPS | _NO_HEAD and not (doc[j].head.i < start and doc[j].is_title):
        return None
    if any(doc[k].dep_ in _CLAUSE_DEPS and not _inside(doc[k], start, j) or doc[k].lower_ in RELATIVE_PRONOUNS
           for k in range(start, j)):
        return None
    return doc[j] if start == 0 or _sentence_break(doc[start - 1]) else None


# Dependencies of words that open or head a clause, or modify a verb: a run holding one is no
# noun phrase ("Earlier this week", "Instead", "who said").
_CLAUSE_DEPS = frozenset({"ROOT", "mark", "aux", "auxpass", "neg", "ccomp", "xcomp", "advcl", "relcl", "acl", "nsubj",
                          "nsubjpass", "csubj", "expl", "prt", "pcomp", "prep", "agent", "dative", "attr", "acomp",
                          "advmod", "npadvmod", "intj"})
def _inside(token: Token, start: int, end: int) -> bool:
    """An adverb modifying a word of the run itself ("The nearly 90-second ad") keeps it a noun
    phrase; one modifying the verb ("Earlier this week") does not."""
    return token.dep_ == "advmod" and start <= token.head.i <= end


# Dependencies of words that may open a noun phrase but never end one ("The", "his", "and").
_NO_HEAD = frozenset({"cc", "det", "predet", "poss"})


def _sentence_break(token: Token) -> bool:
    """Does a sentence (or a paragraph) end at ``token``?"""
    if token.is_space:
        return "\n" in token.text
    if token.text in (".", "!", "?"):
        return True
    # After a closing quotation mark only when the quotation ended its sentence: '"...," Smith, an
    # aide, said' is the speaker after a quotation, found as such (``attribution``).
    return token.text in CLOSING_MARKS and token.i > 0 and token.doc[token.i - 1].text in (".", "!", "?")


_DASHES = frozenset({"-", "--", "\u2014", "\u2013", "\u2015"})
_PARENTHESIS = 30  # tokens scanned back for the dash opening a parenthesis: keeps it linear
# Tokens that close a quotation (a straight mark closes as well as it opens).
CLOSING_MARKS = frozenset({"\u201d", "\"", "\'\'", "\u2019"})


def name_start(token: Token) -> int:
    """First index of the run of words ending at ``token`` (no punctuation, a few words at most)."""
    doc = token.doc
    k = token.i
    while k > 0 and token.i - k < 6 and not doc[k - 1].is_space \
            and (not doc[k - 1].is_punct or _inner_hyphen(doc, k - 1)):
        k -= 1
    return k


def _inner_hyphen(doc, i: int) -> bool:
    """A hyphen joining two words with no space ("90-second"), which the tokenizer splits off."""
    return doc[i].text == "-" and i > 0 and not doc[i - 1].whitespace_ and not doc[i].whitespace_


_SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "we", "i"})


def _reporting_ancestor(cue: Token) -> Token:
    """"She said the country would leave and suggested that ...": a reporting verb the parser
    coordinated with a verb inside another cue's complement is coordinated with that cue."""
    verb = cue.head
    if verb.lower_ in CUE_FORMS:
        return verb  # "Lee says Kim promised A and said B": Kim said B
    for _ in range(4):
        if verb.dep_ != "ccomp" or verb.head.i == verb.i:
            break
        if verb.head.lower_ in CUE_FORMS and CUE_FORMS[verb.head.lower_][1] == "speech":
            return verb.head
        verb = verb.head
    return cue.head


def _trailing_participle(verb: Token) -> bool:
    """"Cruz warned that the deal could fail, remarking that ...": a participle of saying set off
    by a comma after a reported clause goes on with the report's speaker, not with the subject
    of the clause reported (the parser hangs it on the nearest verb, inside the report)."""
    doc = verb.doc
    comma = verb.i - 2 if verb.i > 1 and doc[verb.i - 1].text in CLOSING_MARKS else verb.i - 1
    return verb.dep_ == "advcl" and verb.lower_.endswith("ing") and verb.i > verb.head.i and comma >= 0 \
        and doc[comma].text == "," and verb.head.dep_ != "ROOT" \
        and CUE_FORMS.get(verb.lower_, ("", ""))[1] == "speech" and not _reporting(verb.head)


def _reporting(verb: Token) -> bool:
    """'"...," the source recalled, adding that ...': a cue verb whose subject stands right after
    a quotation is the report the participle goes on with, not a verb inside another report."""
    return verb.lower_ in CUE_FORMS and any(c.dep_ == "nsubj" and after_closing_quote(c) for c in verb.lefts)


def _report_of(verb: Token) -> Token | None:
    """The reporting verb whose content the participle's head sits in ("rejected [the idea that
    the plan would fail]"), a few steps up the parse; None when there is none."""
    head = verb.head
    for _ in range(_REPORT_CLIMB):
        if head.head.i == head.i:
            return None
        head = head.head
        found = CUE_FORMS.get(head.lower_)
        if found is not None and found[1] != "topic" and head.dep_ in _REPORT_DEPS:
            return head
    return None


_REPORT_CLIMB = 5  # steps up from a participle's head to the report it belongs to
_REPORT_DEPS = frozenset({"ROOT", "ccomp", "conj", "advcl", "xcomp", "relcl"})  # a cue word used as a verb


def _coordinated(verb: Token) -> bool:
    """"... said Friday that A but said B": a verb right after "and"/"but" with no subject of its
    own shares the subject of the clause it is coordinated with, however the parser hung it."""
    i = verb.i - 1
    doc = verb.doc
    while i >= 0 and doc[i].dep_ == "advmod" and verb.i - i < 3:
        i -= 1
    return verb.dep_ == "ccomp" and i >= 0 and doc[i].lower_ in ("and", "but")


def own_subject(verb: Token, usable) -> Token | None:
    """The subject (or passive agent) of a verb among the tokens ``usable(token)`` allows
    (the caller's: not inside a quotation, not in another paragraph)."""
    subjects = [c for c in verb.children if c.dep_ in _SUBJECTS and usable(c)]
    if subjects:
        # "the board, which she argued wants ...": the parser gives the verb the relative
        # pronoun of the clause it reports as a second subject; the other one says it.
        if len(subjects) > 1 and subjects[0].lower_ in RELATIVE_PRONOUNS:
            return subjects[1]
        # 'Taxpayers, Kim suggested, need not worry', "Correction: A story reported": so it
        # does a verb the subject of a clause it interrupts, or of a label before it; its own is
        # the one right before it, past the break. (Doubled subjects with no break between are
        # one phrase the parser split, "the ex - wife", "Lee and Kim": the first is kept.)
        before = [s for s in subjects if s.i < verb.i]
        if len(before) > 1 and _break_between(before[-2], before[-1]):
            return before[-1]
        return subjects[0]
    for child in verb.children:
        # Passive cue with an agent: "was told by officials".
        if child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj" and usable(pobj):
                    return pobj
    return None


def _break_between(first: Token, second: Token) -> bool:
    """Is there a comma, colon, dash or line break between two words, and no "and" or
    "including" that would make them one list?"""
    between = first.doc[first.i + 1:second.left_edge.i]
    if any(t.lower_ in ("and", "or", "&", "including", "nor") for t in between):
        return False
    return any(t.text in (",", ":", ";", "\u2014", "--") or t.is_space and "\n" in t.text for t in between)


def phrase_of(head: Token, limit_start: int, limit_end: int) -> SpeakerPhrase | None:
    """The noun phrase headed by ``head``: its name-like left modifiers and short "of"-phrases."""
    if head.lower_ in NON_SPEAKERS and not (head.lower_ in PEOPLE_PRONOUNS and _people(head)) \
            or not any(ch.isalnum() for ch in head.text) and head.text != "%":
        return None
    start = head.i
    for child in reversed(list(head.lefts)):
        if child.dep_ not in _NP_LEFT or child.i != start - 1 and child.right_edge.i != start - 1:
            break
        if child.dep_ == "punct" and child.text not in ("-", "'", "\u2019"):
            break
        start = child.left_edge.i
    end = head.i + 1
    for child in head.rights:
        if child.left_edge.i != end:
            break
        if child.dep_ == "prep" and child.lower_ in _NP_RIGHT_PREPS and not _has_comma(child):
            end = child.right_edge.i + 1
        elif child.dep_ in ("compound", "case") or (child.dep_ == "punct" and child.text in ("'", "\u2019")):
            end = child.right_edge.i + 1
        elif child.dep_ == "cc":
            end = child.i + 1  # kept only if a conjunct follows (below)
        elif child.dep_ == "conj" and head.doc[end - 1].dep_ == "cc" and not _has_comma(child):
            # "Obama and Clinton said": both speak.
            end = child.right_edge.i + 1
        else:
            break
    if head.doc[end - 1].dep_ == "cc":
        end -= 1
    start, end = max(start, limit_start), min(end, limit_end)
    doc = head.doc
    while start < end and (doc[start].is_punct or doc[start].is_space or doc[start].lower_ in _FOCUS):
        start += 1
    while end > start and (doc[end - 1].is_punct and doc[end - 1].text != "%" or doc[end - 1].is_space):
        end -= 1
    if start >= end:
        return None
    return SpeakerPhrase(head, start, end)


# "Nobody thinks ...", "almost everyone says ...": these name people even with no modifier (a
# bare "those" or "none" may be things).
_QUANTIFIED = frozenset({"everyone", "everybody", "anyone", "anybody", "nobody"})


def _people(head: Token) -> bool:
    return head.lower_ in _QUANTIFIED or _restricted(head)


def _restricted(head: Token) -> bool:
    """"Those close to him", "everyone I interviewed", "anyone who ...": a pronoun with a modifier
    that says which people it means."""
    return any(c.dep_ in ("amod", "prep", "relcl", "acl") for c in head.rights)


def _has_comma(token: Token) -> bool:
    """Does the phrase run on past a comma (or is it too long to be part of a name)?"""
    left, right = token.left_edge.i, token.right_edge.i
    if right - left > 8:
        return True
    return any(t.text in (",", ";", "(", "\u2014") for t in token.doc[left:right + 1])


# Participles of verbs whose object is the hearer: used alone before a clause ("Asked about X,
# she said"), they are passive, and the clause's subject is the hearer.
_ASKED = frozenset({"asked", "told", "informed", "notified", "reminded", "assured", "advised", "instructed",
                    "questioned", "pressed", "warned", "urged"})

_FALLBACK_SCAN = 40  # tokens scanned back from a cue for a subject the parse did not link to it


def nearest_subject(cue: Token, sentence_start: int, usable) -> Token | None:
    """A cue the parse gives no subject ("In addition to stating that ..., Clinton has vowed",
    "He pledged A and cast doubt on B, suggested that C"): English puts the one who acts before
    the verb, so the nearest subject before the cue in its sentence is its likeliest speaker.
    Not for a passive cue, whose subject is what was done, or the one asked, never the speaker."""
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in cue.children) or cue.lower_ in _ASKED and cue.dep_ == "advcl":
        return None
    doc = cue.doc
    if cue.left_edge.i == sentence_start and cue.lower_.endswith("ing"):
        # 'Stressing the cost, Lee said, "..."': the parser hung the opening participle on
        # a verb inside the quotation; its subject is the one right after its phrase's comma.
        after = cue.right_edge.i + 2
        if after < len(doc) and doc[after - 1].text == ",":
            for t in doc[after:after + 5]:
                if t.dep_ == "nsubj" and t.head.i > t.i and usable(t):
                    return t
    for j in range(cue.i - 1, max(sentence_start, cue.i - _FALLBACK_SCAN) - 1, -1):
        t = doc[j]
        if t.dep_ == "nsubj" and t.lower_ not in RELATIVE_PRONOUNS and usable(t):
            return t
    return None
