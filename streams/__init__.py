"""Wirestream: Kafka bytes -> validated article -> NLP engine -> enriched records -> topics."""

__version__ = "0.1.0"
