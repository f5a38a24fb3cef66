"""``wirestream produce``: publish a JSONL file of raw articles, keyed by article id."""

from dataclasses import dataclass, field
from pathlib import Path

from aiokafka import AIOKafkaProducer
from tqdm import tqdm

from streams.codec import Rejected, decode_article
from streams.kafka_client import RAW_TOPIC_MAX_BYTES, aiokafka_options, ensure_topics
from streams.settings import Settings


@dataclass
class ProduceReport:
    sent: int = 0
    rejected: list[tuple[int, str, str]] = field(default_factory=list)  # (line number, reason, message)


async def produce_file(settings: Settings, path: Path, topic: str, validate: bool = True,
                       progress: bool = True) -> ProduceReport:
    """Send each line of ``path``; lines that are not valid articles are reported, not sent.

    With ``validate=False`` every line is sent as it is (keyed by its id when one can be read),
    which is how tests and demos feed the worker's dead-letter path.
    """
    await ensure_topics(settings)
    report = ProduceReport()
    lines = path.read_bytes().splitlines()
    producer = AIOKafkaProducer(**aiokafka_options(settings), max_request_size=RAW_TOPIC_MAX_BYTES,
                                acks="all", enable_idempotence=True)
    await producer.start()
    try:
        pending = []
        # disable=None: tqdm shows the bar only on a terminal, so a piped or logged run stays quiet
        for number, line in enumerate(tqdm(lines, unit="line", disable=None if progress else True), start=1):
            if not line.strip():
                continue
            key = None
            try:
                key = decode_article(line, settings.max_message_bytes, settings.max_article_chars).id.encode()
            except Rejected as exc:
                if validate:
                    report.rejected.append((number, exc.reason.value, exc.message))
                    continue
            pending.append(await producer.send(topic, line, key=key))
        for future in pending:
            await future
        report.sent = len(pending)
    finally:
        await producer.stop()
    return report
