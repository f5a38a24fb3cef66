"""Live aggregates of who is quoted on what: pure logic here, the faust tables in ``tables``.

The data's path is one way: ``articles.enriched`` -> ``facts`` (one record per article and
identity group, re-keyed by group) -> the tables (``state``) -> the API and page (``streams.web``).
``identity``, ``windows``, ``trending``, ``facts``, ``state`` and ``query`` import no Kafka or faust.
"""
