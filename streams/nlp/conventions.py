"""Attribution by layout rather than by verb: headlines, transcripts and quote bylines.

- Headline "Claim, Speaker Says" (a reporting verb closing the title after a short capitalised
  name).
- Headline "Speaker: claim" (or "Speaker on Topic: claim"), when the part before the colon is a
  name the article knows, or a short capitalised name whose every word belongs to a person or
  organisation named in the article ("Pence: ..." over a story on Mike Pence), or a source of
  findings or a voice, whatever the case of its last word ("Poll: ...", "IG report: ...",
  "Clinton camp: ...", "WSJ editorial: ..."); or when it opens with a person's name and the claim is
  a quotation ("Warren Grills CEO: 'You Should Resign'"). So "More news: Donald Trump and
  Emmanuel Macron" is no statement: "More news" names nobody.
- Transcript turns "WALLACE: ...", a capitalised label opening a paragraph, when the label is a
  person's name or opens several paragraphs (turns repeat; a one-off "UPDATE:" does not).
- Bylines after a quotation: '"..." -- Sonya Herridge' or '... ― Name' ending the paragraph.
- A reporting verb inverted before its speaker at the start of a sentence, then a quotation:
  'Said Ellis: "..."'.
"""

import re
from collections import Counter

from streams.nlp.cues import cue_of
from streams.nlp.draft import Draft, FieldContext
from streams.nlp.entities import EntityIndex

_HEADLINE = re.compile(r"^\s*(?:The\s+)?(?P<speaker>[^:\n]{2,60}?)\s*:\s+(?P<content>\S.*?)\s*$")
_LABEL = re.compile(r"[\"\u201c\u201d]?(?P<label>[A-Z][A-Za-z.'\u2019\- ]{1,38}[A-Za-z.]):[ \t]+(?=\S)")
# (Copy often sets a no-break space, U+00A0, between the dash and the name.)
_BYLINE = re.compile(r"[ \t\u00a0]*(?P<dash>\u2015|\u2014|--|\u2013)[ \t\u00a0]*"
                     r"(?P<name>[A-Z][^\n\"\u201c\u201d]{1,60}?)[ \t\u00a0.]*$")
_SPEAKER_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP"})


def headline(ctx: FieldContext, entities: EntityIndex) -> list[Draft]:
    m = _HEADLINE.match(ctx.text)
    if m is None:
        return _headline_says(ctx)
    start, end = m.span("speaker")
    entity = entities.cluster_at(ctx.name, start, end)
    covered = next((x for x in entity.mentions if x.field == ctx.name and x.start <= start and x.end >= end), None) \
        if entity is not None and entity.type in _SPEAKER_TYPES else None
    colon = ctx.text.index(":", end)
    content = ctx.trim(*m.span("content"))
    if covered is None and not _known_label(ctx.text[start:end], entities):
        # "Obama on Climate Change: ...": a known name and the topic it speaks on.
        topic = _TOPIC.search(ctx.text, start, end)
        if topic is not None and _known_label(ctx.text[start:topic.start()], entities):
            end = topic.start()
        else:
            # "Warren Hammers Bank CEO: 'You Should Resign'": a label opening with a person's
            # name, before a quotation, gives the words to that person.
            name = _leading_person(ctx, entities, start, end)
            if name is None or ctx.text[content[0]] not in _QUOTE_OPENERS:
                return []
            start, end = name
    return [Draft(ctx.name, "headline", (colon, colon + 1), content, (start, end), (start, end), rule="headline")]


# "Claim, Speaker Says": the claim first, then a short capitalised speaker and a reporting verb.
_SAYS = re.compile(r"^\s*(?P<content>\S.{8,}?),\s+(?P<speaker>[A-Za-z][\w.'\u2019\- ]{1,50}?)\s+(?P<cue>[A-Za-z]+)[.!]?\s*$")


def _headline_says(ctx: FieldContext) -> list[Draft]:
    m = _SAYS.match(ctx.text)
    if m is None:
        return []
    cue = cue_of(m.group("cue").lower())
    words = m.group("speaker").split()
    # The parser reads a Title Case headline re-cased (``casing.py``: "..., former White House
    # doctor says"), so the speaker's capitals prove nothing; its place and length do.
    if cue is None or cue[1] not in ("speech", "belief", "finding") or len(words) > 5:
        return []
    return [Draft(ctx.name, None, m.span("cue"), ctx.trim(*m.span("content")), m.span("speaker"), m.span("speaker"),
                  rule="headline_says")]


# "Dockers' Leader Ada Munro Backs Levy", "Mayor Says Harbour Plan Most Costly": a headline
# is a sentence in the present, its verb in -s after a singular subject; in Title Case the parser
# mostly misses it (it learnt verbs from lower case), so the words say where it is.
_WORD = re.compile(r"[A-Za-z][\w'\u2019.\-]*")
_HEADLINE_CLASSES = frozenset({"speech", "object", "belief", "finding", "intent", "judgment"})


def headline_verb(ctx: FieldContext) -> list[Draft]:
    """'Speaker Verbs Claim' in a headline no other rule reads: the first word after a capitalised
    subject of at most six words that is a cue verb in the present with -s, the rest the claim."""
    words = list(_WORD.finditer(ctx.text))
    for k, m in enumerate(words[1:7], start=1):
        cue = cue_of(m.group().lower())
        if cue is None or cue[1] not in _HEADLINE_CLASSES or not words[0].group()[0].isupper() or k + 1 >= len(words):
            continue
        # -s after a singular subject, the bare form after a plural one ("Skywriters Blast Trump").
        plural = words[k - 1].group().lower().endswith("s") and not words[k - 1].group().endswith(("'s", "\u2019s"))
        if m.group().lower() != (cue[0] + "s" if not cue[0].endswith(("s", "sh", "ch")) else cue[0] + "es") \
                and not (plural and m.group().lower() == cue[0]):
            continue
        before = ctx.text[words[0].start():words[k - 1].end()]
        if any(ch in before for ch in ":;\"\u201c\u201d") or m.group().lower() in _NOT_HEADLINE_VERBS:
            return []
        if _verb_before(ctx, m.start()):
            return []  # the parser found the headline's verb earlier ('Central bank holds rates steady')
        # The claim ends where the headline's second part begins ("... Slams Council: Budget Is ...").
        end = min((i for i in (ctx.text.find(mark, m.end()) for mark in (":", ";", " - ", " \u2014 ")) if i > 0),
                  default=len(ctx.text.rstrip()))
        content = ctx.trim(words[k + 1].start(), end)
        if content[1] - content[0] < 2:
            return []
        speaker = (words[0].start(), words[k - 1].end())
        return [Draft(ctx.name, None, m.span(), content, speaker, speaker, rule="headline_verb")]
    return []


def _verb_before(ctx: FieldContext, end: int) -> bool:
    """Whether the parse has the headline's main verb (a root with a subject of its own) before
    ``end``: a speaker holds no verb. (The engine's model has no tagger: the parse must say it.)"""
    return any(t.dep_ == "ROOT" and t.idx < end and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)
               for t in ctx.doc)


# -s forms that in a headline are mostly nouns ("Ads", "Calls", "Reports", "Claims" as a noun
# would be read the same: kept), or no report.
_NOT_HEADLINE_VERBS = frozenset({"reports", "shows", "finds", "plans", "calls", "offers", "charges", "posts",
                                 "tweets", "notes", "comments", "states", "points", "questions"})


_TOPIC = re.compile(r" (?:on|about|to|To|On|About) ")
_QUOTE_OPENERS = frozenset("\"'\u201c\u2018")


def _leading_person(ctx: FieldContext, entities: EntityIndex, start: int, end: int) -> tuple[int, int] | None:
    """The span of a person's name, as the article writes it somewhere, that opens ``[start, end)``."""
    label = ctx.text[start:end]
    names = {m for e in entities.entities if e.type == "PERSON" for m in (e.name, *(x.text for x in e.mentions))}
    found = max((n for n in names if len(n) > 2 and label.startswith(n + " ")), key=len, default=None)
    return (start, start + len(found)) if found is not None else None


# Sources whose findings a headline reports as "Poll: ...".
_SOURCE_LABELS = frozenset({"poll", "survey", "study", "report", "analysis", "audit", "review", "census", "newspaper",
                            "memo", "sources", "officials", "aides", "advisers", "experts", "insiders", "critics",
                            "editorial", "camp", "campaign", "spokesman", "spokeswoman", "spokesperson", "historians",
                            "economists", "analysts", "scientists", "lawmakers", "strategists", "pollsters", "warning",
                            "reaction", "statement", "verdict", "ruling"})


def _known_label(label: str, entities: EntityIndex) -> bool:
    words = label.split()
    if 1 <= len(words) <= 3 and words[0][0].isupper() and words[-1].lower() in _SOURCE_LABELS:
        return True  # "Poll:", "IG report:", "Clinton camp:", "Democrats' new warning:"
    if not 1 <= len(words) <= 3 or not all(w[0].isupper() for w in words):
        return False
    names = {w.lower() for e in entities.entities if e.type in ("PERSON", "ORG")
             for m in (e.name, *(x.text for x in e.mentions)) for w in m.split() if len(w) > 2}
    return all(w.lower() in names for w in words)


def transcript_turns(ctx: FieldContext, entities: EntityIndex) -> list[Draft]:
    labels = []
    for para_start in ctx.paragraphs:
        m = _LABEL.match(ctx.text, para_start)
        if m is not None and _looks_like_name(m.group("label")):
            labels.append(m)
    # "JOEL BENENSON:" then "BENENSON:": a speaker's turns are counted by surname.
    counts = Counter(m.group("label").split()[-1].lower() for m in labels)
    capitals = sum(m.group("label").isupper() for m in labels)
    drafts = []
    for m in labels:
        start, end = m.span("label")
        entity = entities.cluster_at(ctx.name, start, end)
        is_person = entity is not None and entity.type == "PERSON"
        # Names set in capitals, several of them, are a transcript's speakers whoever the model
        # takes them for ("KATE BOLDUAN: ... JOEL BENENSON: ...").
        cast = m.group("label").isupper() and capitals >= _CAST
        if counts[m.group("label").split()[-1].lower()] < 2 and not is_person and not cast:
            continue
        para_end = ctx.paragraph_bounds(start)[1]
        content = _strip_marks(ctx, *ctx.trim(m.end(), para_end))
        if content[1] - content[0] < 2:
            continue
        drafts.append(Draft(ctx.name, None, (end, end + 1), content, (start, end), (start, end), rule="transcript"))
    return drafts


_CAST = 3  # labels in capitals that make a transcript


def _looks_like_name(label: str) -> bool:
    words = label.split()
    return 1 <= len(words) <= 4 and (label.isupper() or all(w[0].isupper() for w in words))


def _strip_marks(ctx: FieldContext, start: int, end: int) -> tuple[int, int]:
    """A turn quoted as a whole keeps its words, not the marks around them."""
    text = ctx.text
    while start < end and text[start] in "\"\u201c\u201d":
        start += 1
    while end > start and text[end - 1] in "\"\u201c\u201d":
        end -= 1
    return ctx.trim(start, end)


# 'Said Ellis: "..."', 'Added the mayor, "..."': a reporting verb opening its sentence, inverted
# before its speaker, then a quotation.
_INVERTED = re.compile(r"\b(?P<cue>Said|Says|Added|Adds|Asked|Asks|Wrote|Writes|Noted|Explained|Recalled)"
                       r"\s+(?P<name>[A-Z][^:,;\n\"\u201c\u201d]{1,60}?)\s*[:,]\s*(?=[\"\u201c])")
_SENTENCE_END = frozenset('.!?"\u201d\n')


def inverted_cues(ctx: FieldContext) -> list[Draft]:
    drafts = []
    for m in _INVERTED.finditer(ctx.text):
        before = ctx.text[max(0, m.start() - 3):m.start()].rstrip(" \t")
        if before and before[-1] not in _SENTENCE_END:
            continue  # not at the start of a sentence
        quote = ctx.quotes.first_after(m.end())
        if quote is None or quote.start != m.end() or len(m.group("name").split()) > 6:
            continue
        name = m.span("name")
        drafts.append(Draft(ctx.name, None, m.span("cue"), (quote.start, quote.end), name, name, rule="inverted"))
    return drafts


def bylines(ctx: FieldContext) -> list[Draft]:
    drafts = []
    for quote in ctx.quotes.quotes:
        para_end = ctx.paragraph_bounds(quote.start)[1]
        while para_end > quote.end and ctx.text[para_end - 1].isspace():
            para_end -= 1
        m = _BYLINE.match(ctx.text, quote.end, para_end)
        if m is None or len(m.group("name").split()) > 6:
            continue
        name, dash = m.span("name"), m.span("dash")
        drafts.append(Draft(ctx.name, "direct", dash, (quote.inner_start, quote.inner_end), name, name, rule="byline"))
    return drafts
