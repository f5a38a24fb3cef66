"""The committer's own view of the broker (streams.worker.offsets) survives the broker being away.

The committer asks the broker for the group's committed offsets before it moves an offset: if
that reader stayed broken after the broker came back, the worker would process on and never
commit again (a broker restart on a busy machine once left a worker at 0 of 120 committed).
"""

import asyncio

import pytest

from streams.settings import Settings
from streams.worker.offsets import OffsetReader
from tests.support.kafka_io import produce
from tests.support.producers import create_topics

pytestmark = [pytest.mark.kafka, pytest.mark.slow]


async def _answers_after_the_broker_returns(broker, settings: Settings, topic: str) -> tuple[dict, int | None]:
    reader = OffsetReader(settings)
    try:
        # The first use falls while the broker is away: each call fails with a clear error...
        broker.stop()
        for call in (lambda: reader.committed(topic, [0]), lambda: reader.first_record(topic, 0, 0, timeout_s=2)):
            with pytest.raises(Exception):
                await asyncio.wait_for(call(), 60)
        broker.start()
        # ...and once it is back the same reader answers, without being made anew.
        committed = await _retry(lambda: reader.committed(topic, [0]))
        first = await _retry(lambda: reader.first_record(topic, 0, 0))
        return committed, first
    finally:
        await reader.close()


async def _retry(call, within_s: float = 90):
    """The broker may take a moment to lead its partitions again: ask until it answers, bounded."""
    deadline = asyncio.get_running_loop().time() + within_s
    while True:
        try:
            return await asyncio.wait_for(call(), 30)
        except Exception:  # noqa: BLE001 - retried until the deadline, then raised
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(1)


def test_the_offset_reader_recovers_when_its_first_use_falls_in_a_broker_outage(broker, topics_env):
    topic = topics_env["WIRESTREAM_TOPIC_RAW"]
    asyncio.run(create_topics(broker.bootstrap, topic, partitions=1))
    produce(broker.bootstrap, topic, [(b"k", b"{}")])
    settings = Settings(kafka_bootstrap_servers=broker.bootstrap, app_id=topics_env["WIRESTREAM_APP_ID"])
    committed, first = asyncio.run(_answers_after_the_broker_returns(broker, settings, topic))
    assert committed == {}  # the group has committed nothing
    assert first == 0
