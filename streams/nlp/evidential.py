"""Verbs of appearance: "Trump's supporters seemed unperturbed", "the race appears to be closer",
"It seems that the plan failed".

"seem" and "appear" with a predicate report an impression (the writer's, or that of the one it
seems to: "seemed to him a mistake"), not a fact: the impression is the whole of what follows,
with the subject it is about ("[Both objections] seemed [to carry little weight]"). "appear"
without a predicate says where someone was ("appeared on CNN", "appeared at a rally") and reports
nothing, as do both verbs inside a quotation (the quotation is someone's statement already).

The content runs from the subject's first word to the end of the predicate; with an expletive
"it" ("It appears that ...") it is the clause. The speaker is the one the impression is had by,
when a "to" phrase names a person ("seemed to voters ..."); otherwise nobody is named.

Adverbs of hearsay ("reportedly", "allegedly") mark their clause as reported by nobody named:
the clause, from its subject to the end of its predicate, is the content.
"""

import numpy
from spacy.attrs import LOWER
from spacy.strings import hash_string
from spacy.tokens import Token

from streams.nlp.attribution import attach_speaker, cut_content
from streams.nlp.cues import CUE_FORMS, STATE_CUES
from streams.nlp.draft import Draft, FieldContext

FORMS = frozenset({"seem", "seems", "seemed", "seeming", "appear", "appears", "appeared", "appearing"})
# Adverbs that mark a clause as hearsay ("Bloomberg is reportedly weighing a run"): the clause is
# what was reported, by nobody named.
ADVERBS = frozenset({"reportedly", "allegedly", "purportedly", "supposedly"})
_VERB_DEPS = frozenset({"ROOT", "ccomp", "conj", "advcl", "relcl", "parataxis", "xcomp"})
_PREDICATE_DEPS = frozenset({"xcomp", "acomp", "oprd", "attr"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_RELATIVE = frozenset({"who", "which", "that", "whom", "what"})
_OBJECT_CASE = frozenset({"him", "her", "them", "me", "us"})
_STOP = frozenset({"punct", "cc", "conj", "parataxis"})
_CUE_DEPS = frozenset({"xcomp", "ccomp", "conj", "advcl", "pcomp"})  # a cue word used as a verb ("the plan" is none)
_ADJECTIVAL = frozenset({"acomp", "oprd", "attr"})
_CLAUSE_GAP = 4  # tokens between the verb and its clause ("appears, though, that")
_HASHES = numpy.array(sorted(hash_string(w) for w in FORMS | ADVERBS), dtype=numpy.uint64)


def evidential_statements(ctx: FieldContext) -> list[Draft]:
    if not len(ctx.doc):
        return []
    found = numpy.flatnonzero(numpy.isin(ctx.doc.to_array([LOWER]), _HASHES)).tolist()
    drafts = [(hearsay(ctx, ctx.doc[i]) if ctx.doc[i].lower_ in ADVERBS else evidential_statement(ctx, ctx.doc[i]))
              for i in found]
    return [d for d in drafts if d is not None]


def hearsay(ctx: FieldContext, adverb: Token) -> Draft | None:
    """"The growers' union is reportedly spending $40,000 ...": the clause the adverb marks,
    from its subject to the end of its predicate."""
    verb = adverb.head
    if adverb.dep_ != "advmod" or verb.dep_ not in _VERB_DEPS or ctx.in_quote(adverb.idx):
        return None
    subject = next((c for c in verb.lefts if c.dep_ in _SUBJECTS), None)
    if subject is None or subject.lower_ in _RELATIVE or ctx.in_quote(subject.idx):
        return None
    last = _run_on(verb, verb.i)
    first = subject.left_edge.i
    para = ctx.paragraph_bounds(verb.idx)
    content = ctx.trim(*ctx.token_span(first, cut_content(ctx.doc, first, last)))
    if content[1] - content[0] < 2 or content[0] < para[0] or content[1] > para[1]:
        return None
    return Draft(ctx.name, None, ctx.token_span(adverb.i, adverb.i), content, rule="hearsay")


def _run_on(verb: Token, last: int) -> int:
    """``last`` extended over what the parser hung on the verb after it, up to a new clause or a
    punctuation mark ("appeared to drop her plan owing to ...")."""
    for c in verb.rights:
        if c.i <= last:
            continue
        if c.dep_ in _STOP or c.is_punct:
            break
        last = c.right_edge.i
    return last


def evidential_statement(ctx: FieldContext, verb: Token) -> Draft | None:
    if verb.dep_ not in _VERB_DEPS or ctx.in_quote(verb.idx):
        return None
    kids = list(verb.children)
    subject = next((c for c in kids if c.dep_ in _SUBJECTS and c.i < verb.i), None)
    para = ctx.paragraph_bounds(verb.idx)
    predicate = next((c for c in kids if c.i > verb.i and (c.dep_ in _PREDICATE_DEPS
                                                         or c.dep_ == "prep" and c.lower_ == "like")), None)
    clause = next((c for c in kids if c.dep_ == "ccomp" and c.i > verb.i), None)
    if subject is None or subject.lower_ in _RELATIVE or subject.lower_ in _OBJECT_CASE or ctx.in_quote(subject.idx):
        return None  # "who seemed ...", "made him seem kinder" (a causative's object)
    if subject.lower_ == "it" and predicate is None:
        # "It seems (that) ...", "It appears, though, that ...": the clause, right after the verb.
        if clause is None or clause.left_edge.i - verb.i > _CLAUSE_GAP:
            return None
        first, last = clause.left_edge.i, clause.right_edge.i
    else:
        if predicate is None:
            return None  # "appeared on CNN": where, not what
        if any(t.lower_ in CUE_FORMS and t.dep_ in _CUE_DEPS for t in ctx.doc[predicate.i:predicate.right_edge.i + 1]):
            return None  # "seemed to suggest that ...": the report is the cue verb's
        if predicate.lower_ in STATE_CUES and any(c.dep_ == "ccomp" for c in predicate.rights):
            return None  # "seemed hopeful that ...": a state of mind its holder is in (``_state_statement``)
        # "It seems unfair to ...": the predicate and what it is said of; otherwise the subject too.
        first = predicate.left_edge.i if subject.lower_ == "it" else subject.left_edge.i
        last = _run_on(verb, predicate.right_edge.i)
    if ctx.doc[first].idx < para[0]:
        return None
    last = cut_content(ctx.doc, first, last)
    content = ctx.trim(*ctx.token_span(first, last))
    if content[1] - content[0] < 2 or content[1] > para[1]:
        return None
    draft = Draft(ctx.name, None, ctx.token_span(verb.i, verb.i), content, rule="evidential")
    # "seemed convincing to the auditor", not "seems to have run its course".
    heads = kids + (list(predicate.children) if predicate is not None and predicate.dep_ in _ADJECTIVAL else [])
    hearer = next((g for c in heads if c.dep_ == "prep" and c.lower_ == "to" for g in c.children
                   if g.dep_ == "pobj"), None)
    if hearer is not None:
        attach_speaker(ctx, draft, hearer, para)
    return draft

