"""Write the JSON Schema of every wire model into ``schemas/json/``, and the AsyncAPI document of the
topics into ``schemas/asyncapi.yaml`` (``schemas/asyncapi.py``).

    python -m schemas.export          # regenerate
    python -m schemas.export --check  # exit 1 when a file is missing or differs from the models
"""

import json
import sys
from pathlib import Path

from pydantic import BaseModel

from schemas import asyncapi
from schemas.aggregates import ApiError, FeedResponse, ProfileResponse, TopResponse, TrendingResponse
from schemas.article import RawArticle
from schemas.deadletter import DeadLetter
from schemas.enriched import EnrichedArticle, EntityRecord, StatementRecord

JSON_DIR = Path(__file__).parent / "json"
ASYNCAPI_FILE = Path(__file__).parent / "asyncapi.yaml"

# file stem -> model; the topic each is published on is in the README's topics table
WIRE_MODELS: dict[str, type[BaseModel]] = {
    "raw_article": RawArticle,
    "enriched_article": EnrichedArticle,
    "dead_letter": DeadLetter,
    "entity_record": EntityRecord,
    "statement_record": StatementRecord,
    # responses of the worker's query API (/api/...); /api/article/{id} answers an EnrichedArticle
    "api_top": TopResponse,
    "api_trending": TrendingResponse,
    "api_profile": ProfileResponse,
    "api_feed": FeedResponse,
    "api_error": ApiError,
}


def render(model: type[BaseModel]) -> str:
    schema = model.model_json_schema(mode="serialization" if model is not RawArticle else "validation")
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def stale_files() -> list[str]:
    stale = [f"{stem}.json" for stem, model in WIRE_MODELS.items()
             if not (JSON_DIR / f"{stem}.json").exists() or (JSON_DIR / f"{stem}.json").read_text() != render(model)]
    if not ASYNCAPI_FILE.exists() or ASYNCAPI_FILE.read_text() != asyncapi.render():
        stale.append(ASYNCAPI_FILE.name)
    return stale


def main(argv: list[str]) -> int:
    if "--check" in argv:
        stale = stale_files()
        if stale:
            print("out of date with the models: " + ", ".join(stale) + " (run python -m schemas.export)")
            return 1
        return 0
    JSON_DIR.mkdir(exist_ok=True)
    for stem, model in WIRE_MODELS.items():
        (JSON_DIR / f"{stem}.json").write_text(render(model))
    ASYNCAPI_FILE.write_text(asyncapi.render())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
