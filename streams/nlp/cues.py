"""The cue lexicon, as data: words that introduce who said (or reported, or holds) what.

The engine runs without tagger and lemmatizer, so cue verbs are matched on their lower-cased
surface form. Each base form below is expanded to its inflections by ``_inflect`` (regular
English morphology plus the irregular forms written next to the verb), giving ``CUE_FORMS``:
surface form -> (base form, cue class).

Cue classes say how the content attaches in the parse:

- ``speech``: reporting verbs whose content is a clause ("said that ...", "says ...") or an
  adjacent quotation ('"...," she said').
- ``belief``: verbs that attribute a held proposition; only a clausal complement counts as
  content ("believes that ..."), never a bare object ("believes him"), but for verbs of
  expectation and apprehension (``OBJECT_BELIEFS``: "expect a record turnout", "feared the
  consequences") and "consider" weighing a course ("considering abandoning the nominee").
- ``object``: verbs whose content is their object or its predicate ("called the charges
  baseless", "urged voters to ...", "cited a poll").
- ``finding``: documents and studies that report ("a poll shows ...", "the study found ...").
- ``judgment``: verbs of judging, whose content is an object with its predicate ("viewed them
  as terrorists", "deemed it unworkable"); "see" and "consider" take that form too.
- ``intent``: verbs that commit their subject to a course of action ("plans to ...", "voted to
  ...", "decided that ..."); only a clausal or infinitival complement counts as content. Desire
  counts only as an aim of the subject's own, with the infinitive ("wants to run", like "aims
  to run"), or as a thing wanted with nothing said of it ("want a continuation of his
  policies"): a wish about others ("wants the matter to be ...", "wants that ...") reports no
  stance the subject takes (``INFINITIVE_ONLY``).

Belief verbs of hope and expectation also take an infinitive ("hopes to win", "expects to ...").

Spelling notes: ``+`` after a base doubles its final consonant (admit+ -> admitted, admitting);
irregular past forms follow a ``/``.

Where the lists grew for unseen text, they grew by English verb classes, whole, rather than by
the words missed on evaluation data (docs/quality.md, sixth round): Levin's (1993) verbs of
communication (say, complain, advise, manner of speaking) for speech, her verbs of judgment
(thank, censure, praise, insult, ...), of admiring (admire, respect, despise, ...) and of ordering
for objects.
"""

_SPEECH = """
say/said tell/told add note claim argue insist state declare announce explain warn suggest
report write/wrote/written tweet post acknowledge admit+ assert contend maintain stress
emphasize emphasise predict promise pledge vow reply respond answer continue recall remark
observe concede confirm deny reveal disclose indicate testify allege complain boast brag+ joke
quip+ mention repeat reiterate recount assure agree caution counter ask wonder inform notify
advise remind shout yell scream whisper mutter chant exclaim lament posit speculate forecast
proclaim swear/swore/sworn threaten hint imply signal underscore underline conclude
testify write retort interject muse acknowledge clarify elaborate estimate
contend predict insinuate intimate declare affirm reaffirm guarantee concur+ object protest
charge accuse demand urge propose recommend question challenge grumble concede quote
point express echo decline refuse recite sing/sang/sung instruct comment dispute rebut+ refute
opine surmise theorize bemoan deplore scoff marvel
confess confide convey articulate blurt gripe grouse moan whine admonish counsel bellow holler growl
apologize apologise read/read
"""

_BELIEF = """
believe think/thought feel/felt fear worry hope expect doubt suspect reckon know/knew/known
figure understand/understood assume acknowledge realize realise recognize recognise
learn/learned/learnt discover notice see/saw/seen hear/heard consider rule remember
"""

_INTENT = """
plan+ intend aim seek/sought decide vote resolve vow pledge promise threaten refuse decline agree want
offer
"""

_OBJECT = """
call cite urge criticize criticise praise accuse blame condemn blast slam+ describe dismiss
reject deny defend applaud welcome endorse demand question challenge label dub+ brand
characterize characterise liken compare denounce decry deride mock ridicule lambaste chide
tout hail laud credit fault rebuke scold attack ask promise pledge vow propose recommend
announce unveil discuss outline highlight mention predict warn threaten tease
support oppose favor favour champion advocate embrace encourage offer back
exhort retweet downplay reference grill commend congratulate castigate excoriate berate assail
skewer trumpet
thank censure chastise compliment extol salute reprimand vilify disparage belittle malign insult demonize
demonise lampoon scorn request prefer+
admire despise detest loathe dislike respect trust regret relish love hate adore
order command implore beg+ beseech entreat petition
"""

# Verbs whose content is only the object of their own preposition (``TOPIC_PREPOSITIONS``):
# speaking of a topic ("talked about the debt", "spoke of her fear", "referred to the memo"; but
# "spoke on the radio", "spoke at a rally" say where)
# and pressing for or against a cause ("pushed for a vote", "campaigned against the law",
# "railed against the deal"), and phrasal verbs of taking a side ("sided with the unions",
# "lashed out at critics", "weighed in on the race", "distanced himself from the remark",
# "doubled down on the claim"). With a bare object they mean something else ("pushed the cart",
# "pressed the button", "fought the fire", "doubled his lead").
_TOPIC = """
talk speak/spoke/spoken refer+ allude push press lobby campaign rail fight/fought plead clamor clamour agitate
side balk lash weigh touch distance double
"""

# Verbs of judging: content only as an object with its predicate ("viewed communists as
# terrorists", "rated the claim as false", "deemed the plan unworkable"), never a bare object
# ("viewed the video"); and verbs of depicting, which judge the same way ("portrayed him as a
# bully", "cast herself as the heir"; "painted the house", "cast a vote" report nothing).
_JUDGMENT = """
view regard rate deem portray depict paint cast/cast identify
"""

_FINDING = """
show/showed/shown find/found suggest indicate estimate reveal conclude report document
project predict
"""

# Phrasal particles that stay part of a cue ("pointed out", "spoke out").
PARTICLES = frozenset({"out", "up", "on", "back", "down", "off"})

# Prepositions that, after an object cue, introduce its content ("called for", "warned of").
# ("to" is left out: "spoke to a veterans group" names the hearer.)
CONTENT_PREPOSITIONS = frozenset({"for", "on", "of", "about", "against", "as", "over"})

TOPIC_PREPOSITIONS = {
    "talk": frozenset({"about", "of"}), "speak": frozenset({"about", "of", "against"}),
    "refer": frozenset({"to"}), "allude": frozenset({"to"}),
    "push": frozenset({"for"}), "press": frozenset({"for"}), "lobby": frozenset({"for", "against"}),
    "campaign": frozenset({"for", "against", "on"}), "rail": frozenset({"against"}),
    "fight": frozenset({"for", "against"}), "plead": frozenset({"for"}), "clamor": frozenset({"for"}),
    "clamour": frozenset({"for"}), "agitate": frozenset({"for", "against"}),
    "side": frozenset({"with", "against"}), "balk": frozenset({"at"}), "lash": frozenset({"at"}),
    "weigh": frozenset({"on"}), "touch": frozenset({"on", "upon"}), "distance": frozenset({"from"}),
    "double": frozenset({"on"}),
}

# Prepositions that introduce the content after particular verbs only ("pointed to the crime bill",
# "responded with attacks on ...").
VERB_PREPOSITIONS = {"point": frozenset({"to"}), "respond": frozenset({"with", "to"}), "reply": frozenset({"with", "to"})}

# Verbs that take no object as their content (beliefs, and verbs whose object is their hearer)
# but report what their own preposition introduces: "believes in the plan", "worried about the
# cost", "thinks of him as a friend", "hoping for a deal", "asked about the emails", "told them
# about the deal", "reminded voters of his record"; a vote without its infinitive, for or against
# someone ("would vote for Clinton", "voted against the bill").
PREPOSITION_CONTENT = {
    "believe": frozenset({"in"}), "worry": frozenset({"about"}), "think": frozenset({"about", "of"}),
    "hope": frozenset({"for"}), "fear": frozenset({"for"}), "know": frozenset({"about", "of"}),
    "learn": frozenset({"about", "of"}), "hear": frozenset({"about", "of"}), "ask": frozenset({"about", "for"}),
    "tell": frozenset({"about", "of"}), "inform": frozenset({"about", "of"}), "remind": frozenset({"about", "of"}),
    "notify": frozenset({"of"}), "advise": frozenset({"on", "about", "against"}), "assure": frozenset({"of"}),
    "vote": frozenset({"for", "against"}),
}

# Nouns that report a proposition held or said by someone, when a "that"-clause completes them:
# "the mayor's claim that ...", "a warning by the agency that ...".
NOUN_CUES = frozenset({
    "claim", "claims", "assertion", "assertions", "allegation", "allegations", "argument", "arguments",
    "warning", "warnings", "promise", "promises", "pledge", "pledges", "suggestion", "suggestions",
    "charge", "charges", "insistence", "belief", "beliefs", "view", "contention", "statement",
    "statements", "announcement", "accusation", "accusations", "complaint", "complaints", "admission",
    "acknowledgment", "acknowledgement", "prediction", "predictions", "fear", "fears", "concern",
    "concerns", "hope", "hopes", "assurance", "assurances", "vow", "threat", "threats", "comment",
    "comments", "remark", "remarks", "message", "report", "reports", "finding", "findings",
    "conclusion", "conviction", "recognition", "denial", "insinuation", "notion", "idea", "theory",
    "estimate", "forecast", "projection", "testimony", "declaration", "confirmation", "emphasis",
})

# Nouns of a speech act that commits its owner, completed by a to-infinitive: "his promise to cut
# taxes", "Trump's pledge to build a wall", "a threat to veto the bill".
NOUN_COMMISSIVES = frozenset({"promise", "promises", "pledge", "pledges", "vow", "vows", "threat", "threats",
                              "offer", "offers", "call", "calls", "demand", "demands"})

# Nouns of saying whose preposition introduces what was said about (the nominal forms of speech
# verbs above): "Trump's attacks on Clinton", "criticism of the plan from Democrats", "her
# remarks about the deal". Noun -> its prepositions; plurals are added below. (Nouns of a mere
# stance, "support for", "views on", "opposition to", are left out: what they name is often no
# report of anyone's, "the support of voters".)
NOUN_TOPICS = {
    "attack": ("on", "against"), "criticism": ("of",), "praise": ("for", "of"), "question": ("about", "on", "over"),
    "remark": ("about", "on"), "comment": ("about", "on"), "statement": ("on", "about"), "call": ("for",),
    "demand": ("for",), "plea": ("for",), "defense": ("of",), "defence": ("of",), "condemnation": ("of",),
    "denunciation": ("of",), "complaint": ("about",), "warning": ("about", "of", "against"), "accusation": ("of",),
    "allegation": ("of",), "claim": ("of", "about"), "promise": ("of",), "pledge": ("of",), "vow": ("of",),
    "testimony": ("about", "on"), "critique": ("of",),
}
NOUN_TOPIC_FORMS = {form: frozenset(preps) for noun, preps in NOUN_TOPICS.items()
                    for form in (noun, noun + ("es" if noun.endswith(("s", "sh", "ch")) else "s"))}

# Verbs through which the one giving voice to such a noun is its speaker ("Sanders voiced
# support for ...", "she renewed her attacks on ..."); not verbs of receiving it ("faced
# questions about", "drew criticism"), whose subject is the one it is aimed at.
_VOICING = """
voice express offer give/gave/given lend/lent renew launch level step+ make/made issue deliver throw/threw/thrown
announce repeat reiterate signal pledge declare raise air register
"""

# Adjectives and participles of a state of mind held about a proposition: with a clause ("is
# worried that ...", "were frustrated that ...", "is convinced this is ...") or with what their
# preposition introduces ("worried about a shortage of staff", "critical of the deal", "proud of
# the record"), or, for readiness and resolve, with the infinitive ("eager to run", "unwilling
# to endorse"). The one in that state holds it.
_ABOUT = frozenset({"about", "over"})
STATE_PREPOSITIONS = {
    "worried": _ABOUT, "concerned": _ABOUT, "skeptical": _ABOUT | {"of"}, "sceptical": _ABOUT | {"of"},
    "optimistic": _ABOUT, "pessimistic": _ABOUT, "alarmed": _ABOUT, "frustrated": _ABOUT | {"with"},
    "critical": frozenset({"of"}), "supportive": frozenset({"of"}), "proud": frozenset({"of"}),
    "wary": frozenset({"of"}), "suspicious": frozenset({"of"}), "fond": frozenset({"of"}),
    "angry": _ABOUT | {"at", "with"}, "furious": _ABOUT | {"at", "with"}, "upset": _ABOUT | {"with"},
    "enthusiastic": frozenset({"about"}), "excited": frozenset({"about"}), "unhappy": _ABOUT | {"with"},
}
STATE_INFINITIVE = frozenset({"eager", "willing", "unwilling", "reluctant", "determined", "keen", "anxious"})
STATE_CUES = frozenset({
    "convinced", "confident", "certain", "sure", "afraid", "hopeful", "doubtful", "aware", "adamant",
    "disappointed",
}) | set(STATE_PREPOSITIONS) | STATE_INFINITIVE

PRONOUNS = {
    "he": "male", "him": "male", "his": "male", "she": "female", "her": "female",
    "they": "plural", "them": "plural", "their": "plural", "we": "first", "i": "first", "you": "second",
    "it": "thing", "its": "thing",
}

RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})

# Words that, as the subject of a cue verb, do not name a speaker. ("you" does: "you assume that
# ...", the reader addressed or anyone; like "I" and "we" it is kept as written, unresolved.)
NON_SPEAKERS = frozenset({"there", "what", "this", "these", "those", "which", "that", "nobody",
                          "none", "anyone", "anybody", "everyone", "everybody"})

# Of those, the ones that name people once a modifier says which ("those close to him",
# "everyone I interviewed", "anyone who voted").
PEOPLE_PRONOUNS = frozenset({"those", "everyone", "everybody", "anyone", "anybody", "none", "nobody"})

VOWELS = frozenset("aeiou")


def _inflect(entry: str) -> tuple[str, set[str]]:
    """One lexicon entry -> its base form and all its surface forms."""
    parts = entry.split("/")
    word, irregular = parts[0], parts[1:]
    double = word.endswith("+")
    base = word.rstrip("+")
    forms = {base, *irregular}
    stem = base + base[-1] if double else base
    # third person singular
    if base.endswith(("s", "sh", "ch", "x", "z", "o")):
        forms.add(base + "es")
    elif base.endswith("y") and base[-2] not in VOWELS:
        forms.add(base[:-1] + "ies")
    else:
        forms.add(base + "s")
    # past and participle, unless the irregular forms replace them
    if not irregular:
        if base.endswith("e"):
            forms.add(base + "d")
        elif base.endswith("y") and base[-2] not in VOWELS:
            forms.add(base[:-1] + "ied")
        else:
            forms.add(stem + "ed")
    # British spelling doubles a final "l" after a single vowel ("labelled", "signalling")
    if not irregular and not double and len(base) > 2 and base[-1] == "l" and base[-2] in VOWELS \
            and base[-3] not in VOWELS:
        forms.update((base + "led", base + "ling"))
    # present participle
    if base.endswith("ie"):
        forms.add(base[:-2] + "ying")
    elif base.endswith("e") and not base.endswith(("ee", "ye", "oe")):
        forms.add(base[:-1] + "ing")
    else:
        forms.add(stem + "ing")
    return base, forms


def _build() -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    # Later classes do not override earlier ones: a verb listed as speech stays speech.
    for cls, words in (("speech", _SPEECH), ("object", _OBJECT), ("finding", _FINDING), ("belief", _BELIEF),
                       ("intent", _INTENT), ("judgment", _JUDGMENT), ("topic", _TOPIC)):
        for entry in words.split():
            base, forms = _inflect(entry)
            for form in forms:
                table.setdefault(form, (base, cls))
    for form in _NOT_CUES:
        table.pop(form, None)
    return table


# Surface forms of cue verbs that mostly are something else: "back" the adverb, "rule(s)" the
# noun, and the present of "see" ("we will see what happens" reports nothing).
_NOT_CUES = frozenset({"back", "rule", "rules", "see", "sees", "seeing"})

# Intentions held only with their own infinitive (see ``intent`` above).
INFINITIVE_ONLY = frozenset({"want"})

# Verbs that also take an infinitive as what they hold ("hopes to win", "expects to ...").
INFINITIVE_BELIEFS = frozenset({"hope", "expect"})

# Belief verbs of expectation and apprehension, which hold a noun phrase as well as a clause:
# "expect a record turnout", "fear the consequences", "doubt his sincerity" (but "believe him",
# "know her", "feel the heat" hold nothing).
OBJECT_BELIEFS = frozenset({"expect", "fear", "doubt", "suspect"})


CUE_FORMS: dict[str, tuple[str, str]] = _build()
VOICING_VERBS = frozenset(form for entry in _VOICING.split() for form in _inflect(entry)[1])

# Verbs of putting a document out: what "an ad that urges ..." says, the one who released it says.
PUBLISHING_VERBS = frozenset(form for entry in """
release issue publish post air launch unveil send/sent circulate tweet distribute run+/ran/run put+/put
""".split() for form in _inflect(entry)[1])

# Verbs of spending something on a purpose: "used the speech to call for ..." is the user's call.
SPENDING_VERBS = frozenset(form for entry in "use spend/spent take/took/taken need".split() for form in _inflect(entry)[1])

# Verbs that report only with a clause: their object is the hearer ("told reporters", "asked
# him"), or with a plain object they mean something else ("added a provision", "observed a
# holiday", "maintain an image", "found themselves"; a text "reads" its quoted words, a reader
# "read the report"). Not "recall": "recalled the long nights of the campaign" is a report of
# memory far more often than an envoy called home.
CLAUSE_ONLY = frozenset({"tell", "ask", "inform", "notify", "remind", "assure", "advise", "instruct", "add", "observe",
                         "maintain", "find", "continue", "charge", "state", "figure", "hold", "read"})


# Object cues whose object alone says nothing: verbs of naming and likening need their predicate
# ("called the plan a disgrace", not "called Smith"), and "ask", "question", "challenge" with a
# bare object mean to interrogate or contest ("questioned him", "challenging him in the primary").
NEEDS_PREDICATE = frozenset({"call", "dub", "label", "brand", "describe", "characterize", "characterise", "liken",
                             "compare", "credit", "ask", "question", "challenge", "quote"})


# Verbs of telling that, with a hearer and a to-infinitive, report a request or an order ("told his
# aides to find a way", "asked voters to stay home"); with a clause they report speech as usual.
DIRECTIVES = frozenset({"tell", "ask", "advise", "remind", "instruct"})


# Belief verbs that also judge an object "as" something ("saw the remark as a dig").
JUDGING_BELIEFS = frozenset({"see", "consider"})


def cue_of(word_lower: str) -> tuple[str, str] | None:
    """(base, class) for a surface form, or None when the word is no cue."""
    return CUE_FORMS.get(word_lower)
