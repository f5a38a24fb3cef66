"""On the secured listeners of a real broker: /ready asks the cluster with the worker's own security
settings, and an encrypted client key opens with WIRESTREAM_KAFKA_SSL_KEY_PASSWORD.

The broker and certificates are those of test_security.py (deploy/kafka with SASL and TLS listeners,
a throwaway CA made with openssl); this module starts its own instance of that broker.
"""

import asyncio
import json
import subprocess
import time

import pytest

from streams.kafka_client import cluster_answers
from streams.settings import Settings
from tests.integration.test_security import (  # noqa: F401  (secure_broker is a fixture)
    SecureBroker,
    assert_no_secret,
    cli,
    client_env,
    need_tls,
    secure_broker,
    two_articles,
)
from tests.support.paths import ROOT
from tests.support.polling import wait_for
from tests.support.worker import Worker

pytestmark = [pytest.mark.kafka, pytest.mark.slow]

PROBE_USER = "ready-probe"
PROBE_PASSWORD = "Probe-3c9e1d7a"
ROTATED_PASSWORD = "Rotated-5b2f8e14"
KEY_PASSWORD = "Key-7e4a90c2d1"


def settings_of(env: dict[str, str]) -> Settings:
    return Settings(**{k.removeprefix("WIRESTREAM_").lower(): v for k, v in env.items()})


def set_scram_password(broker: SecureBroker, user: str, password: str) -> None:
    """Create or change a user's SCRAM-SHA-256 credential on the running broker (Kafka's ConfigCommand,
    on the PLAINTEXT listener), as an operator rotating a password would."""
    done = subprocess.run(["java", "-cp", str(ROOT / "deploy" / "kafka" / "lib" / "*"), "kafka.admin.ConfigCommand",
                           "--bootstrap-server", broker.bootstrap, "--alter", "--entity-type", "users",
                           "--entity-name", user, "--add-config", f"SCRAM-SHA-256=[password={password}]"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def probe_env(broker: SecureBroker, password: str) -> dict[str, str]:
    return {**client_env(broker, "SCRAM-SHA-256"), "WIRESTREAM_KAFKA_SASL_USERNAME": PROBE_USER,
            "WIRESTREAM_KAFKA_SASL_PASSWORD": password}


def ready(worker: Worker) -> tuple[int, dict]:
    status, body = worker.get("/ready")
    return status, json.loads(body)


# --- /ready -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("transport", ["PLAIN", "SCRAM-SHA-256", "SASL_SSL/SCRAM-SHA-512", "SSL/mutual"])
def test_the_broker_check_answers_with_the_right_settings_and_not_with_wrong_ones(transport, secure_broker):
    env = client_env(secure_broker, transport)
    assert asyncio.run(cluster_answers(settings_of(env), 10)) is True
    if "SASL" in env["WIRESTREAM_KAFKA_SECURITY_PROTOCOL"]:
        wrong = {**env, "WIRESTREAM_KAFKA_SASL_PASSWORD": "not-the-password"}
        assert asyncio.run(cluster_answers(settings_of(wrong), 10)) is False
    # the port is open either way: a TCP connect would say yes; a client without the security says no
    plain = {"WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS": env["WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS"]}
    started = time.monotonic()
    assert asyncio.run(cluster_answers(settings_of(plain), 3)) is False
    assert time.monotonic() - started < 6, "the check must stay within its timeout"


def test_ready_is_503_with_a_wrong_sasl_password_and_200_with_the_right_one(secure_broker, topics_env, tmp_path):
    set_scram_password(secure_broker, PROBE_USER, PROBE_PASSWORD)
    worker = Worker(secure_broker, {**topics_env, **probe_env(secure_broker, PROBE_PASSWORD),
                                    "WIRESTREAM_POOL_PROCESSES": "1"}, tmp_path)
    try:
        worker.start()  # waits for /ready 200
        status, body = ready(worker)
        assert status == 200 and body["checks"]["broker_reachable"] is True, body

        # The operator rotates the password on the broker: the worker's password is now the wrong one.
        set_scram_password(secure_broker, PROBE_USER, ROTATED_PASSWORD)
        status, body = wait_for(lambda: (got := ready(worker))[0] == 503 and got, 60,
                                "/ready 503 after the rotation", log=worker.log_tail)
        assert body == {"ready": False, "checks": {"model_loaded": True, "partitions_assigned": True,
                                                    "tables_recovered": True, "broker_reachable": False}}, body

        set_scram_password(secure_broker, PROBE_USER, PROBE_PASSWORD)  # the worker's password is right again
        status, body = wait_for(lambda: (got := ready(worker))[0] == 200 and got, 60,
                                "/ready 200 with the right password again", log=worker.log_tail)
        assert body["ready"] is True
        log = worker.log_path.read_text(errors="replace")
        assert_no_secret(PROBE_PASSWORD, worker_log=log)
        assert_no_secret(ROTATED_PASSWORD, worker_log=log)
    finally:
        worker.stop()


# --- encrypted client key ----------------------------------------------------------------------------

def encrypted_copy(key_file, password: str):
    encrypted = key_file.with_name("client-encrypted.key")
    subprocess.run(["openssl", "pkey", "-in", str(key_file), "-aes256", "-passout", f"pass:{password}",
                    "-out", str(encrypted)], check=True, capture_output=True, timeout=60)
    assert b"ENCRYPTED PRIVATE KEY" in encrypted.read_bytes()
    return encrypted


def test_an_encrypted_client_key_connects_to_the_tls_listener(secure_broker, topics_env, tmp_path):
    pki = need_tls(secure_broker)
    env = {**topics_env, **client_env(secure_broker, "SSL/mutual"),
           "WIRESTREAM_KAFKA_SSL_KEYFILE": str(encrypted_copy(pki.client_key, KEY_PASSWORD)),
           "WIRESTREAM_KAFKA_SSL_KEY_PASSWORD": KEY_PASSWORD}
    articles, ids = two_articles(tmp_path / "articles.jsonl")
    produced = cli(env, "produce", str(articles), "--quiet")
    assert produced.returncode == 0 and "sent 2, rejected 0" in produced.stderr, produced.stderr
    consumed = cli(env, "consume", topics_env["WIRESTREAM_TOPIC_RAW"], "--from-beginning", "--limit", "2",
                   "--timeout", "60")
    assert consumed.returncode == 0, consumed.stderr
    assert {json.loads(line)["id"] for line in consumed.stdout.splitlines()} == ids
    assert asyncio.run(cluster_answers(settings_of(env), 10)) is True  # /ready's check, over mutual TLS

    without = cli({k: v for k, v in env.items() if k != "WIRESTREAM_KAFKA_SSL_KEY_PASSWORD"}, "topics")
    assert without.returncode == 2 and without.stderr.splitlines() == [
        f"wirestream: the client key {env['WIRESTREAM_KAFKA_SSL_KEYFILE']} is encrypted: "
        "set WIRESTREAM_KAFKA_SSL_KEY_PASSWORD"], without.stderr
    wrong = cli({**env, "WIRESTREAM_KAFKA_SSL_KEY_PASSWORD": "Key-wrong"}, "topics")
    assert wrong.returncode == 2 and "wrong WIRESTREAM_KAFKA_SSL_KEY_PASSWORD" in wrong.stderr, wrong.stderr
    assert_no_secret(KEY_PASSWORD, produce=produced.stdout + produced.stderr, consume=consumed.stderr,
                     without=without.stderr, wrong=wrong.stderr)
