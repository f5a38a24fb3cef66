"""faust's aiokafka transport, with the producer durability Wirestream asks for.

faust turns on ``enable_idempotence`` (and ``acks=all``) only under ``exactly_once``, which has
open bugs; at-least-once is what Wirestream runs. An idempotent producer still matters there: a
send retried after a lost acknowledgement (a leader killed mid-request) is written once, not
twice, so duplicates come only from re-delivered input, never from the producer's own retries.
The settings ``kafka_producer_acks`` and ``kafka_producer_idempotence`` choose; the defaults are
the durable ones.
"""

from typing import Any, Mapping

import faust
from faust.transport.drivers import aiokafka as faust_aiokafka


class Producer(faust_aiokafka.Producer):
    durability: Mapping[str, Any] = {}

    def _settings_extra(self) -> Mapping[str, Any]:
        return {**super()._settings_extra(), **self.durability}


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
