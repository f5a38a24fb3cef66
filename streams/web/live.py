"""Wires the live aggregates into a worker: tables and agents, then the API and page on top.

``streams.cli.main`` calls ``register(ws)`` once, before the other endpoints are added.
"""

from streams.aggregates import tables
from streams.web import api, page


def register(ws) -> None:
    # faust's /table/... views would show every table's values to anyone, past the token: off.
    # Set before anything creates the app's web server, which reads this when it is built.
    ws.app.conf.web_tables_enabled = False
    aggregates = tables.register(ws)
    if aggregates is None:
        return  # WIRESTREAM_AGGREGATES_ENABLED=false: the worker only enriches
    page.register(ws, api.register(ws, aggregates))
