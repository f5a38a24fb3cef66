"""A durable faust app and topics made up front, for tests of Wirestream's producer on the real broker."""

from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from streams.worker import transport


def durable_app(bootstrap: str, app_id: str) -> transport.DurableApp:
    """An app whose producer is Wirestream's (acks=all, idempotent), raw keys and values."""
    app = transport.DurableApp(app_id, broker=f"kafka://{bootstrap}", autodiscover=False,
                               key_serializer="raw", value_serializer="raw", web_enabled=False)
    app.transport_type = transport.transport_class("all", True)
    return app


async def create_topics(bootstrap: str, *topics: str, partitions: int = 2) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(t, partitions, 1) for t in topics])
    finally:
        await admin.close()
