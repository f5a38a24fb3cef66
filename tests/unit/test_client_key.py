"""An encrypted client key: WIRESTREAM_KAFKA_SSL_KEY_PASSWORD opens it, and is never shown.

No broker here (tests/integration/test_client_key.py connects with such a key to the TLS listener);
the certificates are made with openssl.
"""

import json
import shutil
import ssl
import subprocess

import pytest

from streams import kafka_client
from streams.cli import main as cli
from streams.settings import Settings

KEY_PASSWORD = "Kp-unit-8d1f0c3a"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed client certificate, its key in clear and the same key encrypted with KEY_PASSWORD."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    d = tmp_path_factory.mktemp("client-key")

    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=d, check=True, capture_output=True, timeout=60)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "client.key", "-out", "client.crt",
            "-days", "1", "-subj", "/CN=wirestream-unit-client")
    openssl("pkey", "-in", "client.key", "-aes256", "-passout", f"pass:{KEY_PASSWORD}", "-out", "encrypted.key")
    assert b"ENCRYPTED PRIVATE KEY" in (d / "encrypted.key").read_bytes()
    return d


def tls_settings(d, key: str = "encrypted.key", **more) -> Settings:
    return Settings(kafka_security_protocol="SSL", kafka_ssl_certfile=d / "client.crt", kafka_ssl_keyfile=d / key,
                    **more)


def test_the_password_opens_an_encrypted_key(certificate):
    context = kafka_client.ssl_context(tls_settings(certificate, kafka_ssl_key_password=KEY_PASSWORD))
    assert isinstance(context, ssl.SSLContext)
    assert kafka_client.aiokafka_options(tls_settings(certificate, kafka_ssl_key_password=KEY_PASSWORD))["ssl_context"]


def test_an_encrypted_key_without_the_password_is_a_clear_error_not_a_prompt(certificate):
    # Without the callback OpenSSL would ask on the terminal ("Enter PEM pass phrase:") and wait.
    with pytest.raises(kafka_client.ClientKeyError, match="is encrypted: set WIRESTREAM_KAFKA_SSL_KEY_PASSWORD"):
        kafka_client.ssl_context(tls_settings(certificate))


def test_a_wrong_password_is_a_clear_error_that_does_not_show_it(certificate):
    with pytest.raises(kafka_client.ClientKeyError, match="wrong WIRESTREAM_KAFKA_SSL_KEY_PASSWORD") as error:
        kafka_client.ssl_context(tls_settings(certificate, kafka_ssl_key_password="not-the-password"))
    assert "not-the-password" not in str(error.value)


def test_a_clear_key_needs_no_password_and_ignores_one(certificate):
    assert kafka_client.ssl_context(tls_settings(certificate, key="client.key"))
    assert kafka_client.ssl_context(tls_settings(certificate, key="client.key", kafka_ssl_key_password="unused"))


def test_the_key_password_is_never_shown(certificate, monkeypatch, capsys):
    settings = tls_settings(certificate, kafka_ssl_key_password=KEY_PASSWORD)
    for text in (repr(settings), str(settings), json.dumps(settings.public_dict()), settings.model_dump_json()):
        assert KEY_PASSWORD not in text
    assert settings.public_dict()["kafka_ssl_key_password"] == "**********"
    monkeypatch.setenv("WIRESTREAM_KAFKA_SSL_KEY_PASSWORD", KEY_PASSWORD)
    assert cli.main(["settings"]) == 0
    printed = capsys.readouterr().out
    assert json.loads(printed)["kafka_ssl_key_password"] == "**********" and KEY_PASSWORD not in printed


def test_cli_says_in_one_line_that_the_key_is_encrypted(certificate, monkeypatch, capsys):
    for name, value in (("SECURITY_PROTOCOL", "SSL"), ("SSL_CERTFILE", str(certificate / "client.crt")),
                        ("SSL_KEYFILE", str(certificate / "encrypted.key")),
                        ("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9")):
        monkeypatch.setenv(f"WIRESTREAM_{name}" if name.startswith("KAFKA") else f"WIRESTREAM_KAFKA_{name}", value)
    monkeypatch.delenv("WIRESTREAM_KAFKA_SSL_KEY_PASSWORD", raising=False)
    assert cli.main(["topics"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"wirestream: the client key {certificate / 'encrypted.key'} is encrypted: set WIRESTREAM_KAFKA_SSL_KEY_PASSWORD"]
