"""Kafka connection options from Settings, for aiokafka clients (CLI, admin) and the Faust app.

One place turns the security settings into client options, so TLS and SASL work the same for
the worker, ``produce``, ``consume`` and topic creation. The password is read here and nowhere else.
"""

import asyncio
import logging
import ssl
from typing import Any

import faust
from aiokafka.errors import KafkaError

# The topics and their size limits are part of the contract (schemas/topics.py, where the limits are
# explained); the names are re-exported for the clients that size their requests by them.
from schemas.topics import DLQ_TOPIC_MAX_BYTES, ENRICHED_TOPIC_MAX_BYTES, RAW_TOPIC_MAX_BYTES, TOPICS  # noqa: F401
from streams.settings import Settings

PRODUCER_MAX_REQUEST_BYTES = 16 << 20


class RedactSaslRequests(logging.Filter):
    """Keeps SASL authentication requests out of aiokafka's DEBUG log.

    ``aiokafka.conn`` logs every request it sends at DEBUG, and the SASL PLAIN request carries the
    password in clear (``SaslAuthenticateRequest_v1(sasl_auth_bytes=b'user\\x00user\\x00password')``).
    The filter replaces such a request in the record's arguments; everything else passes unchanged.
    """

    REDACTED = "SaslAuthenticateRequest(<redacted>)"

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(_is_sasl_request(arg) for arg in record.args):
            record.args = tuple(self.REDACTED if _is_sasl_request(arg) else arg for arg in record.args)
        return True


def _is_sasl_request(value: object) -> bool:
    return type(value).__name__.startswith("SaslAuthenticateRequest")


# A filter on the logger that emits the records (not on a handler), so it holds whatever handlers
# faust's logging setup installs later; importing this module is enough, and every client of the
# CLI and the worker gets its options from here.
_SASL_REDACTION = RedactSaslRequests()
logging.getLogger("aiokafka.conn").addFilter(_SASL_REDACTION)


class ClientKeyError(Exception):
    """The client certificate's private key cannot be loaded with the settings given (said in one line)."""


def ssl_context(settings: Settings) -> ssl.SSLContext | None:
    if settings.kafka_security_protocol not in ("SSL", "SASL_SSL"):
        return None
    context = ssl.create_default_context(cafile=str(settings.kafka_ssl_cafile) if settings.kafka_ssl_cafile else None)
    if settings.kafka_ssl_certfile:
        _load_client_key(context, settings)
    return context


def _load_client_key(context: ssl.SSLContext, settings: Settings) -> None:
    keyfile = settings.kafka_ssl_keyfile or settings.kafka_ssl_certfile
    password = settings.kafka_ssl_key_password
    try:
        # Always a password or a callback: with neither, OpenSSL would prompt on the terminal for the
        # pass phrase of an encrypted key, and a worker would hang there.
        context.load_cert_chain(str(settings.kafka_ssl_certfile),
                                str(settings.kafka_ssl_keyfile) if settings.kafka_ssl_keyfile else None,
                                password=password.get_secret_value() if password else _key_is_encrypted)
    except ClientKeyError:
        raise ClientKeyError(f"the client key {keyfile} is encrypted: set WIRESTREAM_KAFKA_SSL_KEY_PASSWORD") from None
    except ssl.SSLError as exc:
        why = "a wrong WIRESTREAM_KAFKA_SSL_KEY_PASSWORD, or " if password else ""
        raise ClientKeyError(f"cannot load the client key {keyfile} ({why}not the key of "
                             f"{settings.kafka_ssl_certfile}): {exc}") from None


def _key_is_encrypted() -> str:
    raise ClientKeyError  # called by OpenSSL only for an encrypted key; the message is added above


def aiokafka_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments shared by AIOKafkaProducer, AIOKafkaConsumer and AIOKafkaAdminClient."""
    options: dict[str, Any] = {
        "bootstrap_servers": settings.kafka_bootstrap_servers,
        "security_protocol": settings.kafka_security_protocol,
    }
    context = ssl_context(settings)
    if context is not None:
        options["ssl_context"] = context
    if settings.kafka_security_protocol.startswith("SASL"):
        options["sasl_mechanism"] = settings.kafka_sasl_mechanism or "PLAIN"
        options["sasl_plain_username"] = settings.kafka_sasl_username
        options["sasl_plain_password"] = (
            settings.kafka_sasl_password.get_secret_value() if settings.kafka_sasl_password else None
        )
    return options


async def cluster_answers(settings: Settings, timeout_s: float) -> bool:
    """True when the cluster answers a metadata request on a new connection with the configured
    security (TLS, SASL), within ``timeout_s``.

    A new connection each time, so the check also proves the credentials still work (a TCP connect
    would not, and a connection authenticated long ago would not either).
    """
    from aiokafka.client import AIOKafkaClient

    client = AIOKafkaClient(**aiokafka_options(settings), client_id="wirestream-readiness",
                            request_timeout_ms=int(timeout_s * 1000))
    try:
        await asyncio.wait_for(client.bootstrap(), timeout_s)  # MetadataRequest to a bootstrap server
        return bool(client.cluster.brokers())
    except (KafkaError, OSError, asyncio.TimeoutError):
        return False
    finally:
        await client.close()


def faust_broker_url(settings: Settings) -> str:
    return ";".join(f"kafka://{server.strip()}" for server in settings.kafka_bootstrap_servers.split(","))


def faust_credentials(settings: Settings) -> "faust.types.auth.CredentialsT | None":
    context = ssl_context(settings)
    if settings.kafka_security_protocol.startswith("SASL"):
        return faust.SASLCredentials(
            username=settings.kafka_sasl_username,
            password=settings.kafka_sasl_password.get_secret_value() if settings.kafka_sasl_password else None,
            mechanism=settings.kafka_sasl_mechanism or "PLAIN",
            ssl_context=context,
        )
    if context is not None:
        return faust.SSLCredentials(context)
    return None


def topic_configs(settings: Settings) -> dict[str, dict[str, str]]:
    """Every topic Wirestream reads or writes (the contract's catalogue, named as the settings say),
    with its Kafka topic config."""
    return {getattr(settings, topic.setting): {**durability_configs(settings),
                                               **({"max.message.bytes": str(topic.max_message_bytes)}
                                                  if topic.max_message_bytes else {})}
            for topic in TOPICS}


def durability_configs(settings: Settings) -> dict[str, str]:
    """Topic config every topic of the worker gets (changelogs too): with acks=all, a write is
    acknowledged once this many replicas have it, so it survives the loss of the others."""
    return {"min.insync.replicas": str(settings.topic_min_insync_replicas)}


async def ensure_topics(settings: Settings) -> list[str]:
    """Create the topics that do not exist yet; returns the names created. Safe to run concurrently."""
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic
    from aiokafka.errors import TopicAlreadyExistsError

    admin = AIOKafkaAdminClient(**aiokafka_options(settings))
    try:
        await admin.start()
        existing = set(await admin.list_topics())
        await _warn_of_weaker_topics(admin, settings, existing)
        wanted = [
            NewTopic(name, settings.topic_partitions, settings.topic_replication, topic_configs=config)
            for name, config in topic_configs(settings).items() if name not in existing
        ]
        if not wanted:
            return []
        response = await admin.create_topics(wanted)
        created = []
        for name, code, *_ in response.topic_errors:
            if code == 0:
                created.append(name)
            elif code != TopicAlreadyExistsError.errno:
                raise RuntimeError(f"could not create topic {name}: Kafka error code {code}")
        return created
    finally:
        await admin.close()


async def _warn_of_weaker_topics(admin, settings: Settings, existing: set[str]) -> None:
    """Topics created earlier with fewer replicas than the settings ask for (say, by `produce` run
    without WIRESTREAM_TOPIC_REPLICATION) are used as they are: say so, rather than run on them silently."""
    names = [name for name in topic_configs(settings) if name in existing]
    if not names or settings.topic_replication <= 1:
        return
    for topic in await admin.describe_topics(names):
        replicas = min((len(p["replicas"]) for p in topic.get("partitions", [])), default=0)
        if replicas < settings.topic_replication:
            logging.getLogger(__name__).warning(
                "topic %s has %d replicas, fewer than WIRESTREAM_TOPIC_REPLICATION=%d: recreate it or raise its "
                "replication with kafka-reassign-partitions", topic["topic"], replicas, settings.topic_replication)
