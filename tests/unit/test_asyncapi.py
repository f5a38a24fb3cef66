"""schemas/asyncapi.yaml: generated from the models and the topic catalogue, in step with them, and
accepted by the official AsyncAPI parser (@asyncapi/parser, installed by make setup into
deploy/asyncapi/node_modules), which refuses a broken document."""

import copy
import shutil
import subprocess

import pytest
import yaml

from schemas import asyncapi, export
from schemas.topics import TOPICS
from streams.kafka_client import topic_configs
from streams.settings import Settings
from tests.support.paths import ROOT

VALIDATOR = ROOT / "deploy" / "asyncapi" / "validate.mjs"


def validate(path) -> subprocess.CompletedProcess:
    """node deploy/asyncapi/validate.mjs PATH: the parser's verdict (exit 0: valid)."""
    node = shutil.which("node")
    assert node, "node is not installed (the machine has Node 20; make setup needs npm)"
    assert (VALIDATOR.parent / "node_modules" / "@asyncapi" / "parser").is_dir(), \
        "@asyncapi/parser is not installed: run make setup (npm ci in deploy/asyncapi)"
    return subprocess.run([node, str(VALIDATOR), str(path)], capture_output=True, text=True, timeout=120)


def committed() -> dict:
    return yaml.safe_load(export.ASYNCAPI_FILE.read_text())


def test_the_committed_document_is_what_the_models_generate():
    assert export.ASYNCAPI_FILE.read_text() == asyncapi.render(), "run python -m schemas.export"
    assert "asyncapi.yaml" not in export.stale_files()


def test_the_asyncapi_parser_accepts_the_document():
    done = validate(export.ASYNCAPI_FILE)
    assert done.returncode == 0, done.stderr
    assert "valid AsyncAPI 3.0.0: 5 channels, 7 operations, 2 servers" in done.stdout
    assert "error" not in done.stderr


BREAKAGES = {
    "an operation on a channel that does not exist":
        (lambda d: d["operations"]["receiveRawArticle"].update(channel={"$ref": "#/channels/nosuch"}), "invalid-ref"),
    "an action that is neither send nor receive":
        (lambda d: d["operations"]["sendDeadLetter"].update(action="publish"), '"send", "receive"'),
    "a server without a protocol": (lambda d: d["servers"]["local"].pop("protocol"), 'required property "protocol"'),
    "a payload pointing at no schema":
        (lambda d: d["components"]["messages"]["EnrichedArticle"].update(payload={"$ref": "#/components/schemas/No"}),
         "invalid-ref"),
    "a schema of a type that does not exist":
        (lambda d: d["components"]["schemas"]["Span"].update(type="span"), "asyncapi-document-resolved"),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_the_asyncapi_parser_refuses_a_broken_document(breakage, tmp_path):
    doc = copy.deepcopy(committed())
    mutate, error = BREAKAGES[breakage]
    mutate(doc)
    broken = tmp_path / "asyncapi.yaml"
    broken.write_text(yaml.safe_dump(doc, sort_keys=False))
    done = validate(broken)
    assert done.returncode == 1, f"the parser accepted {breakage}:\n{done.stdout}{done.stderr}"
    assert error in done.stderr and "not a valid AsyncAPI document" in done.stderr, done.stderr


def test_one_channel_per_topic_the_code_creates_with_its_address_key_and_payload():
    doc, settings = committed(), Settings()
    assert {c["address"] for c in doc["channels"].values()} == set(topic_configs(settings))
    for topic in TOPICS:
        assert getattr(settings, topic.setting) == topic.default_name  # the settings' defaults are the catalogue's
        channel = doc["channels"][topic.channel_id]
        assert channel["bindings"]["kafka"]["topic"] == channel["address"] == topic.default_name
        configured = topic_configs(settings)[topic.default_name].get("max.message.bytes")
        assert str(channel["bindings"]["kafka"].get("topicConfiguration", {}).get("max.message.bytes")) == \
            str(configured)
        [(_, ref)] = channel["messages"].items()
        message = doc["components"]["messages"][ref["$ref"].rsplit("/", 1)[1]]
        assert message["payload"] == {"$ref": f"#/components/schemas/{topic.value.__name__}"}
        assert message["bindings"]["kafka"]["key"]["description"] == topic.key
        assert set(message["headers"]["properties"]) == {h.name for h in topic.headers}


def test_payload_schemas_are_the_models_json_schemas():
    schemas = committed()["components"]["schemas"]
    for topic in TOPICS:
        model_schema = export.render(topic.value)  # the JSON Schema file's text, with its own $defs
        fields = yaml.safe_load(model_schema)["properties"]
        assert set(schemas[topic.value.__name__]["properties"]) == set(fields), topic.value.__name__
        assert schemas[topic.value.__name__]["required"] == yaml.safe_load(model_schema)["required"]
    assert not [s for s in yaml.safe_dump(schemas).splitlines() if "#/$defs/" in s], "refs must point into components"


def test_operations_send_and_receive_each_channel_and_servers_are_local_and_a_cluster():
    doc = committed()
    actions = {(op["action"], op["channel"]["$ref"].rsplit("/", 1)[1]) for op in doc["operations"].values()}
    assert actions == {("receive", "raw"), ("send", "enriched"), ("send", "entities"), ("send", "statements"),
                       ("send", "dlq"), ("send", "raw"), ("receive", "dlq")}
    group = doc["operations"]["receiveRawArticle"]["bindings"]["kafka"]["groupId"]
    assert group["default"] == Settings().app_id
    defaults = Settings()
    assert doc["servers"]["local"]["host"] == f"{defaults.kafka_host}:{defaults.kafka_port}"
    assert doc["servers"]["cluster"]["protocol"] == "kafka-secure" and doc["servers"]["cluster"]["security"]


def test_a_changed_model_makes_the_document_stale(monkeypatch):
    from schemas import topics
    from schemas.article import RawArticle

    class RawArticleWithPriority(RawArticle):
        priority: int = 0

    changed = tuple(topics.Topic(**{**t.__dict__, "value": RawArticleWithPriority}) if t.setting == "topic_raw"
                    else t for t in TOPICS)
    monkeypatch.setattr(asyncapi, "TOPICS", changed)
    assert "asyncapi.yaml" in export.stale_files()
    assert export.main(["--check"]) == 1
