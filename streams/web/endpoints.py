"""HTTP endpoints on the worker's web port: /metrics, /health, /ready.

Served by faust's own web server, bound to ``WIRESTREAM_WEB_HOST`` (127.0.0.1 by default).
"""

import json

from faust.web import Request, Response, View
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

from streams import metrics
from streams.kafka_client import cluster_answers
from streams.worker.app import Wirestream

BROKER_CHECK_TIMEOUT_S = 2.0


def register(ws: Wirestream) -> None:
    app = ws.app

    @app.page("/metrics")
    async def metrics_view(web: View, request: Request) -> Response:
        return web.bytes(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST.split(";")[0])

    @app.timer(interval=5.0, name="readiness-gauge")
    async def readiness_gauge() -> None:
        # The gauge must follow readiness even when nobody calls /ready.
        metrics.READY.set(1 if all((await readiness(ws)).values()) else 0)

    @app.page("/health")
    async def health_view(web: View, request: Request) -> Response:
        return web.json({"status": "ok"})

    @app.page("/ready")
    async def ready_view(web: View, request: Request) -> Response:
        checks = await readiness(ws)
        ready = all(checks.values())
        metrics.READY.set(1 if ready else 0)
        return web.bytes(json.dumps({"ready": ready, "checks": checks}).encode(),
                         content_type="application/json", status=200 if ready else 503)


async def readiness(ws: Wirestream) -> dict[str, bool]:
    # an aggregates-role worker loads no model and reads the enriched topic, not the raw one
    enriches = ws.settings.enriches
    topic = ws.settings.topic_raw if enriches else ws.settings.topic_enriched
    assigned = any(tp.topic == topic for tp in ws.app.consumer.assignment())
    recovery = ws.app.tables.recovery
    return {
        "model_loaded": ws.pool.started or not enriches,
        "partitions_assigned": assigned,
        "tables_recovered": recovery.completed.is_set() and not ws.app.rebalancing,
        # a metadata request with the worker's own security settings: a wrong password is not ready
        "broker_reachable": await cluster_answers(ws.settings, BROKER_CHECK_TIMEOUT_S),
    }
