"""A catalogue of bad raw messages, each with the dead-letter reason the worker must give it."""

import json
from dataclasses import dataclass

ONE_MIB = 1 << 20


@dataclass(frozen=True)
class Bad:
    name: str
    value: bytes | None
    reason: str
    key: bytes | None = None


def _article(**fields) -> bytes:
    return json.dumps(fields).encode()


def catalogue() -> list[Bad]:
    big_body = "word " * (ONE_MIB // 5 + 10)
    return [
        Bad("plain text", b"this is not json", "not_json"),
        Bad("truncated json", b'{"id": "t-1", "body": "cut off', "not_json"),
        Bad("empty value", b"", "not_json"),
        Bad("runaway nesting", b"[" * 100_000, "not_json"),
        Bad("json then junk", b'{"id": "t-2", "body": "x"} trailing', "not_json"),
        Bad("latin-1", b'{"id": "t-3", "body": "caf\xe9"}', "not_utf8"),
        Bad("binary", bytes(range(128, 256)), "not_utf8"),
        Bad("utf-16", '{"id": "t-4", "body": "hello"}'.encode("utf-16"), "not_utf8"),
        Bad("array", b'[{"id": "t-5", "body": "x"}]', "invalid_schema"),
        Bad("string", b'"just a string"', "invalid_schema"),
        Bad("number", b"42", "invalid_schema"),
        Bad("null", b"null", "invalid_schema"),
        Bad("integer id", _article(id=7, body="An id must be a string."), "invalid_schema"),
        Bad("numeric body", _article(id="t-6", body=123), "invalid_schema"),
        Bad("list title", _article(id="t-7", title=["a"], body="text"), "invalid_schema"),
        Bad("missing id", _article(title="No id", body="text"), "invalid_schema"),
        Bad("missing body", _article(id="t-8", title="No body"), "invalid_schema"),
        Bad("empty id", _article(id="", body="text"), "invalid_schema"),
        Bad("id with space", _article(id="t 9", body="text"), "invalid_schema"),
        Bad("bad date", _article(id="t-10", body="text", published_at="yesterday"), "invalid_schema"),
        Bad("future schema version", _article(schema_version=2, id="t-11", body="text"), "invalid_schema"),
        Bad("tombstone", None, "invalid_schema", key=b"t-12"),
        Bad("empty body", _article(id="t-13", title="Empty", body=""), "empty_body"),
        Bad("white space body", _article(id="t-14", title="Blank", body=" \n\t \n"), "empty_body"),
        Bad("oversize article", _article(id="t-15", title="Huge", body=big_body), "oversize"),
        Bad("oversize garbage", b"\x00" * (2 * ONE_MIB), "oversize"),
    ]
