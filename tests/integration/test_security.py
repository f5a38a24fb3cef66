"""Issue 6, security, on the real broker: the worker and the CLI over SASL (PLAIN, SCRAM) and TLS, and no secret
in their logs.

A broker of its own (deploy/kafka with the opt-in secured listeners): SASL_PLAINTEXT with PLAIN and
SCRAM-SHA-256/512, SSL with mutual TLS, SASL_SSL. The certificates are made here with openssl (a throwaway
CA, a broker certificate for 127.0.0.1, a client certificate). The worker runs at log level DEBUG, where
aiokafka logs every request it sends; the test reads the whole log for the password.
"""

import base64
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.broker import Broker, free_port
from tests.support.paths import KAFKA_SCRIPT, POLNEAR_ARTICLES, ROOT, SEED_ARTICLE
from tests.support.worker import Worker

pytestmark = [pytest.mark.kafka, pytest.mark.slow]

USER = "wirestream"
PASSWORD = f"Wsx-{secrets.token_hex(12)}"  # distinctive, new on every run: it cannot be in a log by chance
WRONG_PASSWORD = f"Wrong-{secrets.token_hex(12)}"


# --- the broker -----------------------------------------------------------------------------------

@dataclass
class Pki:
    ca: Path
    broker_keystore: Path  # broker key (PKCS#8) + certificate + CA, one PEM file
    client_cert: Path
    client_key: Path


def make_pki(directory: Path) -> Pki | None:
    """A throwaway CA, a broker certificate for 127.0.0.1 and a client certificate; None without openssl."""
    if shutil.which("openssl") is None:
        return None
    directory.mkdir(parents=True, exist_ok=True)

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=directory, check=True, capture_output=True, timeout=60)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
            "-subj", "/CN=wirestream-test-ca")
    (directory / "san.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    for name, subject, extra in (("broker", "/CN=127.0.0.1", ["-extfile", "san.ext"]),
                                 ("client", "/CN=wirestream-client", [])):
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.csr",
                "-subj", subject)
        openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", f"{name}.crt", "-days", "2", *extra)
    keystore = directory / "broker-keystore.pem"
    keystore.write_bytes(b"".join((directory / f).read_bytes() for f in ("broker.key", "broker.crt", "ca.pem")))
    return Pki(directory / "ca.pem", keystore, directory / "client.crt", directory / "client.key")


@dataclass
class SecureBroker(Broker):
    """A deploy/kafka broker with the opt-in SASL and TLS listeners beside its PLAINTEXT one."""

    sasl_port: int = 0
    ssl_port: int = 0
    sasl_ssl_port: int = 0
    pki: Pki | None = None

    def security_env(self) -> dict[str, str]:
        env = {"WIRESTREAM_KAFKA_SASL_USERS": f"{USER}:{PASSWORD}",
               "WIRESTREAM_KAFKA_SASL_PORT": str(self.sasl_port)}
        if self.pki is not None:
            env |= {"WIRESTREAM_KAFKA_SSL_KEYSTORE": str(self.pki.broker_keystore),
                    "WIRESTREAM_KAFKA_SSL_TRUSTSTORE": str(self.pki.ca),
                    "WIRESTREAM_KAFKA_SSL_PORT": str(self.ssl_port),
                    "WIRESTREAM_KAFKA_SASL_SSL_PORT": str(self.sasl_ssl_port)}
        return env

    def run(self, command: str, timeout: float = 180) -> subprocess.CompletedProcess:
        # Only kafka.sh sees the broker's user list; workers get broker.env() (ports, data dir) as usual.
        return subprocess.run(["bash", str(KAFKA_SCRIPT), command],
                              env={**os.environ, **self.env(), **self.security_env()},
                              capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture(scope="module")
def secure_broker(tmp_path_factory) -> SecureBroker:
    pki = make_pki(tmp_path_factory.mktemp("pki"))
    broker = SecureBroker(free_port(), free_port(), tmp_path_factory.mktemp("kafka-secure"),
                          sasl_port=free_port(), ssl_port=free_port(), sasl_ssl_port=free_port(), pki=pki)
    broker.start()
    yield broker
    broker.stop()


def need_tls(broker: SecureBroker) -> Pki:
    if broker.pki is None:
        if os.environ.get("CI"):
            pytest.fail("openssl is needed for the TLS tests")
        pytest.skip("openssl is not installed: no certificates for the TLS listener")
    return broker.pki


# --- clients ----------------------------------------------------------------------------------------

def client_env(broker: SecureBroker, transport: str, password: str = PASSWORD) -> dict[str, str]:
    """WIRESTREAM_* settings of a client of one listener: what an operator puts in the environment."""
    sasl = {"WIRESTREAM_KAFKA_SASL_USERNAME": USER, "WIRESTREAM_KAFKA_SASL_PASSWORD": password}
    if transport in ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"):
        return {"WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{broker.sasl_port}",
                "WIRESTREAM_KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
                "WIRESTREAM_KAFKA_SASL_MECHANISM": transport, **sasl}
    pki = need_tls(broker)
    if transport == "SASL_SSL/SCRAM-SHA-512":
        return {"WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{broker.sasl_ssl_port}",
                "WIRESTREAM_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
                "WIRESTREAM_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
                "WIRESTREAM_KAFKA_SSL_CAFILE": str(pki.ca), **sasl}
    if transport == "SSL/mutual":
        return {"WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{broker.ssl_port}",
                "WIRESTREAM_KAFKA_SECURITY_PROTOCOL": "SSL",
                "WIRESTREAM_KAFKA_SSL_CAFILE": str(pki.ca),
                "WIRESTREAM_KAFKA_SSL_CERTFILE": str(pki.client_cert),
                "WIRESTREAM_KAFKA_SSL_KEYFILE": str(pki.client_key)}
    raise ValueError(transport)


def cli(env: dict[str, str], *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    """``wirestream ARGS`` as a subprocess with these settings."""
    return subprocess.run([sys.executable, "-m", "streams.cli", *args], cwd=ROOT, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=timeout, check=False)


def two_articles(path: Path) -> tuple[Path, set[str]]:
    lines = [SEED_ARTICLE.read_text().splitlines()[0], POLNEAR_ARTICLES.read_text().splitlines()[0]]
    path.write_text("\n".join(lines) + "\n")
    return path, {json.loads(line)["id"] for line in lines}


def secret_forms(secret: str) -> list[str]:
    """The secret as it could appear in a log: as is, hex-encoded, base64-encoded."""
    raw = secret.encode()
    return [secret, raw.hex(), base64.b64encode(raw).decode().rstrip("=")]


def assert_no_secret(secret: str, **texts: str) -> None:
    for name, text in texts.items():
        for form in secret_forms(secret):
            assert form not in text, f"the secret appears in {name}"


def non_loopback_address() -> str | None:
    """This machine's address on its default route (a UDP connect sends nothing), if it has one."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere for real
            address = s.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def assert_web_only_on_loopback(worker: Worker) -> None:
    assert worker.get("/health")[0] == 200  # on 127.0.0.1
    address = non_loopback_address()
    if address is None:
        return
    with pytest.raises(OSError):  # refused: nothing listens on the machine's other address
        socket.create_connection((address, worker.port), timeout=2).close()


def wait_exit(worker: Worker, timeout: float) -> int | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and worker.process.poll() is None:
        time.sleep(0.5)
    return worker.process.poll()


@pytest.fixture
def workers():
    started: list[Worker] = []
    yield started
    for worker in started:
        worker.stop()


# --- tests ------------------------------------------------------------------------------------------

TRANSPORTS = ["PLAIN", "SCRAM-SHA-256", "SASL_SSL/SCRAM-SHA-512", "SSL/mutual"]


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_worker_and_cli_over_a_secured_listener_log_no_secret(transport, secure_broker, topics_env, tmp_path,
                                                              workers):
    env = {**topics_env, **client_env(secure_broker, transport),
           "WIRESTREAM_LOG_LEVEL": "DEBUG", "WIRESTREAM_POOL_PROCESSES": "1"}
    worker = Worker(secure_broker, env, tmp_path)
    workers.append(worker)
    worker.start()
    assert_web_only_on_loopback(worker)  # the default WIRESTREAM_WEB_HOST

    articles, ids = two_articles(tmp_path / "articles.jsonl")
    produced = cli(env, "produce", str(articles), "--quiet")
    assert produced.returncode == 0 and "sent 2, rejected 0" in produced.stderr, produced.stderr
    consumed = cli(env, "consume", topics_env["WIRESTREAM_TOPIC_ENRICHED"], "--from-beginning",
                   "--limit", "2", "--timeout", "180", timeout=300)
    assert consumed.returncode == 0, consumed.stderr
    enriched = [json.loads(line) for line in consumed.stdout.splitlines()]
    assert {a["id"] for a in enriched} == ids, worker.log_tail()
    assert all(a["entities"] for a in enriched)
    worker.stop()  # the whole run, shutdown included, is in the log
    assert worker.process.returncode == 0, worker.log_tail()

    log = worker.log_path.read_text(errors="replace")
    assert "[DEBUG]" in log, "the worker did not log at DEBUG"
    if "SASL" in env["WIRESTREAM_KAFKA_SECURITY_PROTOCOL"]:
        mechanism = env["WIRESTREAM_KAFKA_SASL_MECHANISM"]
        assert_no_secret(PASSWORD, worker_log=log, produce_output=produced.stdout + produced.stderr,
                         consume_stderr=consumed.stderr)
        # the run really authenticated, and aiokafka's DEBUG record of the request is there, redacted
        assert f"Authenticated as {USER} via {mechanism}" in log
        assert "SaslAuthenticateRequest(<redacted>)" in log
    else:
        key_line = secure_broker.pki.client_key.read_text().splitlines()[1]  # a line of the key's base64
        assert_no_secret(key_line, worker_log=log, produce_output=produced.stdout + produced.stderr,
                         consume_stderr=consumed.stderr)


@pytest.mark.parametrize("mechanism", ["PLAIN", "SCRAM-SHA-256"])
def test_a_wrong_password_fails_clearly_without_logging_it(mechanism, secure_broker, topics_env, tmp_path,
                                                           workers):
    env = {**topics_env, **client_env(secure_broker, mechanism, password=WRONG_PASSWORD),
           "WIRESTREAM_LOG_LEVEL": "DEBUG", "WIRESTREAM_POOL_PROCESSES": "1"}
    worker = Worker(secure_broker, env, tmp_path)
    workers.append(worker)
    worker.start(wait_ready=0)
    code = wait_exit(worker, 120)
    log = worker.log_path.read_text(errors="replace")
    assert code is not None and code != 0, f"the worker should exit when it cannot authenticate:\n{log[-3000:]}"
    assert "SaslAuthenticationFailed" in log and "Authentication failed" in log, log[-3000:]

    produced = cli(env, "produce", str(two_articles(tmp_path / "articles.jsonl")[0]), "--quiet")
    assert produced.returncode != 0
    assert "SaslAuthenticationFailed" in produced.stderr, produced.stderr[-3000:]
    assert_no_secret(WRONG_PASSWORD, worker_log=log, produce_output=produced.stdout + produced.stderr)
    assert_no_secret(PASSWORD, worker_log=log, produce_output=produced.stdout + produced.stderr)


def test_tls_listener_refuses_clients_without_a_trusted_certificate(secure_broker):
    pki = need_tls(secure_broker)
    env = client_env(secure_broker, "SSL/mutual")
    assert cli(env, "topics").returncode == 0  # the control: with its certificate the client gets in
    no_client_cert = {k: v for k, v in env.items() if k not in ("WIRESTREAM_KAFKA_SSL_CERTFILE",
                                                                 "WIRESTREAM_KAFKA_SSL_KEYFILE")}
    refused = cli(no_client_cert, "topics")
    assert refused.returncode != 0 and "Unable to bootstrap" in refused.stderr, refused.stderr[-3000:]
    # the system's CAs do not know the test CA: the client refuses the broker's certificate
    untrusted = cli({k: v for k, v in env.items() if k != "WIRESTREAM_KAFKA_SSL_CAFILE"}, "topics")
    assert untrusted.returncode != 0 and "CERTIFICATE_VERIFY_FAILED" in untrusted.stderr, untrusted.stderr[-3000:]
    assert pki.client_key.read_text().splitlines()[1] not in refused.stderr + untrusted.stderr
