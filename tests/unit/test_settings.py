"""Settings that only make sense together are checked when the settings are read."""

import pytest
from pydantic import ValidationError

from streams.settings import Settings


def test_idempotence_with_leader_only_acks_is_refused_at_start():
    with pytest.raises(ValidationError, match="idempotence needs"):
        Settings(kafka_producer_acks="1")
    assert Settings(kafka_producer_acks="1", kafka_producer_idempotence=False).kafka_producer_acks == "1"


def test_min_insync_replicas_follows_the_replication_factor():
    assert Settings().topic_min_insync_replicas == 1
    assert Settings(topic_replication=3).topic_min_insync_replicas == 2
    assert Settings(topic_replication=3, topic_min_insync_replicas=3).topic_min_insync_replicas == 3
