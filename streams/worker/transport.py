"""faust's aiokafka transport, with the producer durability Wirestream asks for.

faust turns on ``enable_idempotence`` (and ``acks=all``) only under ``exactly_once``, which has
open bugs; at-least-once is what Wirestream runs. An idempotent producer still matters there: a
send retried after a lost acknowledgement (a leader killed mid-request) is written once, not
twice, so duplicates come only from re-delivered input, never from the producer's own retries.
The settings ``kafka_producer_acks`` and ``kafka_producer_idempotence`` choose; the defaults are
the durable ones. Its producer also sends what faust's buffer still holds before it closes
(``Producer.on_stop``), and a stop never waits for ever on brokers that are gone (``STOP_FLUSH_S``).
"""

import asyncio
import logging
import time
from typing import Any, Mapping

import faust
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.transport.producer import ProducerBuffer

log = logging.getLogger(__name__)

# How long a stopping producer waits for the messages still in its buffer to be sent.
BUFFER_DRAIN_S = 30.0
# How long a stopping app waits for its producer's last flush, and then for it to close
# (the brokers may be gone).
STOP_FLUSH_S = 15.0


class DrainableBuffer(ProducerBuffer):
    """faust's producer buffer, counting the message its task has taken but not yet handed to
    aiokafka (the queue is empty while the last one is still on its way)."""

    in_flight = 0

    async def _send_pending(self, fut) -> None:
        self.in_flight += 1
        try:
            await super()._send_pending(fut)
        finally:
            self.in_flight -= 1


class Producer(faust_aiokafka.Producer):
    durability: Mapping[str, Any] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.buffer = DrainableBuffer(loop=self.loop, beacon=self.beacon)  # before on_start starts it
        self.buffer.app = self.app
        if self.threaded_producer is not None:
            self.buffer.threaded_producer = self.threaded_producer
        self._tracked: set[str] = set()

    async def send(self, topic: str, *args: Any, **kwargs: Any) -> Any:
        if topic not in self._tracked:
            await self._track(topic)
        return await super().send(topic, *args, **kwargs)

    async def _track(self, topic: str) -> None:
        """Have aiokafka keep ``topic`` in the metadata it asks for.

        Once its client tracks any topic, aiokafka asks the brokers for the tracked ones only; a
        topic it first learnt of from an answer about all topics (one that existed before the
        producer started: the enriched topic, a table's changelog) is never tracked, so it drops
        out of the metadata at the next refresh. A batch for it whose partition then loses its
        leader (a broker killed) waits for a leader that no refresh will bring: the producer
        loops on metadata requests and the worker stalls, silently (seen on three brokers under
        CPU contention, test_cluster.py)."""
        await self._ensure_producer().client.add_topic(topic)
        self._tracked.add(topic)

    def _settings_extra(self) -> Mapping[str, Any]:
        return {**super()._settings_extra(), **self.durability}

    async def on_stop(self) -> None:
        # faust closes the aiokafka producer first and stops its buffer (a child service) after:
        # table changelog writes still queued there (``send_soon``: a table's last updates during
        # shutdown) then failed with NotReady, the buffer crashed and so did the worker, on a
        # clean stop (seen under CPU contention). Drain the buffer while the producer can send.
        left = await drain_buffer(self.buffer, BUFFER_DRAIN_S)
        if left:
            log.warning("producer stopping with %d buffered message(s) unsent after %.0f s", left, BUFFER_DRAIN_S)
        try:
            # aiokafka's stop waits for every batch it holds; with the brokers gone, for ever.
            await asyncio.wait_for(super().on_stop(), STOP_FLUSH_S)
        except asyncio.TimeoutError:
            log.warning("producer closed unfinished after %.0f s (brokers unreachable?)", STOP_FLUSH_S)


async def drain_buffer(buffer: DrainableBuffer, timeout: float) -> int:
    """Wait until every message of the buffer is handed to aiokafka (or ``timeout`` has passed);
    the number left. (faust's own ``flush`` gives up at the first message slower than 0.1 s.)"""
    deadline = time.monotonic() + timeout
    while (buffer.size or buffer.in_flight) and buffer.state == "running" and time.monotonic() < deadline:
        if buffer.size:
            await buffer.flush_atmost(None)
        else:
            await asyncio.sleep(0.01)
    return buffer.size + buffer.in_flight


def transport_class(acks: str, idempotence: bool) -> type[faust_aiokafka.Transport]:
    """A Transport whose producers send with these acks, idempotent or not."""
    durability = {"acks": acks, "enable_idempotence": idempotence}
    producer = type("DurableProducer", (Producer,), {"durability": durability})
    return type("DurableTransport", (faust_aiokafka.Transport,), {"Producer": producer})


class DurableApp(faust.App):
    """faust.App whose transports (consumer and producer side) are ``transport_type``."""

    transport_type: type = faust_aiokafka.Transport

    def _new_transport(self) -> faust_aiokafka.Transport:  # faust's own factory, bound to the URL's scheme
        return self.transport_type(self.conf.broker_consumer, self)

    def _new_producer_transport(self) -> faust_aiokafka.Transport:
        return self.transport_type(self.conf.broker_producer, self)

    async def _producer_flush(self, logger: Any) -> None:
        # faust waits for the producer's last flush with no bound: with the brokers gone, aiokafka
        # retries the unsent batches for ever and the worker never ends on SIGTERM. Giving up
        # loses nothing: the committer flushes before it commits, so what is unsent was never
        # committed, and the group's next worker does those articles again.
        try:
            await asyncio.wait_for(super()._producer_flush(logger), STOP_FLUSH_S)
        except asyncio.TimeoutError:
            logger.warning("producer flush gave up after %.0f s (brokers unreachable?): the articles "
                           "behind what is unsent were not committed and will be processed again", STOP_FLUSH_S)
