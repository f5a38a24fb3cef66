"""A genuine N-node KRaft cluster of deploy/kafka (cluster.sh), started on free loopback ports for tests.

Like tests/support/broker.py's Broker, and usable wherever a Broker is (``bootstrap``, ``env()``),
so tests/support/worker.py's Worker runs against it unchanged. Every node is broker and controller;
nodes are numbered from 1 (their node.id).
"""

import asyncio
import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from tests.support.broker import free_port
from tests.support.paths import ROOT

CLUSTER_SCRIPT = ROOT / "deploy" / "kafka" / "cluster.sh"


def free_ports(n: int) -> list[int]:
    ports: list[int] = []
    while len(ports) < n:
        port = free_port()
        if port not in ports:
            ports.append(port)
    return ports


@dataclass
class Cluster:
    data_dir: Path
    nodes: int = 3
    heap: str = "384m"
    ports: list[int] = field(default_factory=list)
    controller_ports: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.ports:
            both = free_ports(2 * self.nodes)
            self.ports, self.controller_ports = both[:self.nodes], both[self.nodes:]

    @property
    def bootstrap(self) -> str:
        """Every node, as clients should be configured (any one of them may be down)."""
        return ",".join(f"127.0.0.1:{port}" for port in self.ports)

    @property
    def replication(self) -> int:
        return min(3, self.nodes)

    @property
    def min_insync(self) -> int:
        return max(1, self.replication - 1)

    def env(self) -> dict[str, str]:
        """Settings for a worker on this cluster: all nodes to bootstrap from, replicated topics."""
        return {
            "WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS": self.bootstrap,
            "WIRESTREAM_TOPIC_REPLICATION": str(self.replication),
            "WIRESTREAM_TOPIC_MIN_INSYNC_REPLICAS": str(self.min_insync),
        }

    def script_env(self) -> dict[str, str]:
        """Settings for cluster.sh."""
        return {
            "WIRESTREAM_KAFKA_HOST": "127.0.0.1",
            "WIRESTREAM_KAFKA_CLUSTER_NODES": str(self.nodes),
            "WIRESTREAM_KAFKA_CLUSTER_PORTS": ",".join(map(str, self.ports)),
            "WIRESTREAM_KAFKA_CLUSTER_CONTROLLER_PORTS": ",".join(map(str, self.controller_ports)),
            "WIRESTREAM_KAFKA_CLUSTER_DIR": str(self.data_dir),
            "WIRESTREAM_KAFKA_HEAP": self.heap,
            "WIRESTREAM_KAFKA_START_TIMEOUT": os.environ.get("WIRESTREAM_KAFKA_START_TIMEOUT", "150"),
        }

    def run(self, *args: str, timeout: float = 240) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items()
               if k not in ("WIRESTREAM_KAFKA_SASL_USERS", "WIRESTREAM_KAFKA_SSL_KEYSTORE")}
        return subprocess.run(["bash", str(CLUSTER_SCRIPT), *args], env={**env, **self.script_env()},
                              capture_output=True, text=True, timeout=timeout, check=False)

    def _must(self, *args: str) -> str:
        done = self.run(*args)
        if done.returncode != 0:
            raise RuntimeError(f"cluster.sh {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stderr

    def start(self) -> None:
        """All nodes at once; returns when every broker serves (registered and unfenced)."""
        self._must("start")

    def stop(self) -> None:
        self.run("stop")

    def kill(self, node: int) -> None:
        """SIGKILL to one node (broker and controller): a crashed machine."""
        self._must("kill", str(node))

    def stop_node(self, node: int) -> None:
        """SIGTERM to one node: a controlled shutdown, as in a rolling restart."""
        self._must("stop-node", str(node))

    def start_node(self, node: int) -> None:
        self._must("start-node", str(node))

    def status(self) -> str:
        done = self.run("status")
        return done.stdout

    # --- what the cluster says about its partitions -------------------------------------

    def partitions(self, topics: list[str] | None = None) -> dict[tuple[str, int], dict]:
        """(topic, partition) -> {"leader", "replicas", "isr"}, from a metadata request; every topic
        (internal ones too) when ``topics`` is None."""
        return asyncio.run(_partitions(self.bootstrap, topics))

    def leader_of(self, topic: str, partition: int) -> int:
        """Node id leading this partition now (-1: none)."""
        return self.partitions([topic])[(topic, partition)]["leader"]

    def busiest_leader(self, topics: list[str]) -> tuple[int, int]:
        """(node, count): the node leading the most partitions of these topics, and how many."""
        counts = {node: 0 for node in range(1, self.nodes + 1)}
        for state in self.partitions(topics).values():
            if state["leader"] in counts:
                counts[state["leader"]] += 1
        node = max(counts, key=lambda n: (counts[n], -n))
        return node, counts[node]

    def out_of_sync(self, topics: list[str] | None = None) -> dict[tuple[str, int], dict]:
        """Partitions without a leader or with a replica outside the ISR ({} when all is in sync)."""
        return {tp: s for tp, s in self.partitions(topics).items()
                if s["leader"] < 0 or set(s["isr"]) != set(s["replicas"])}

    def wait_in_sync(self, timeout: float = 120, topics: list[str] | None = None) -> None:
        """Until every partition (of every topic, by default) has a leader and all its replicas in the
        ISR: after a restart, the node has caught up everywhere. Fails after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        left: object = None
        while time.monotonic() < deadline:
            try:
                left = self.out_of_sync(topics)
                if not left:
                    return
            except Exception as exc:  # noqa: BLE001 - a node may be restarting: not in sync yet
                left = exc
            time.sleep(0.5)
        raise AssertionError(f"not in sync within {timeout} s: {left}\n{self.status()}")

    def topic_config(self, topic: str) -> dict[str, tuple[str, int]]:
        """Config name -> (value, source) of a topic as the broker describes it. Source 1 is a
        topic's own config (set when it was created), 3-5 broker defaults."""
        return asyncio.run(_topic_config(self.bootstrap, topic))


def start_cluster(data_dir: Path, nodes: int = 3) -> Cluster:
    cluster = Cluster(data_dir, nodes)
    try:
        cluster.start()
    except BaseException:
        cluster.stop()  # the nodes that did come up
        raise
    return cluster


async def _admin(bootstrap: str) -> AIOKafkaAdminClient:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10_000)
    await admin.start()
    return admin


async def _partitions(bootstrap: str, topics: list[str] | None) -> dict[tuple[str, int], dict]:
    admin = await _admin(bootstrap)
    try:
        described = await admin.describe_topics(topics)
    finally:
        await admin.close()
    out = {}
    for topic in described:
        if topic["error_code"]:
            raise RuntimeError(f"describing {topic['topic']}: Kafka error code {topic['error_code']}")
        for p in topic["partitions"]:
            out[(topic["topic"], p["partition"])] = {"leader": p["leader"], "replicas": list(p["replicas"]),
                                                     "isr": list(p["isr"])}
    return out


async def _topic_config(bootstrap: str, topic: str) -> dict[str, tuple[str, int]]:
    admin = await _admin(bootstrap)
    try:
        responses = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
    finally:
        await admin.close()
    out = {}
    for response in responses:
        for error_code, error_message, _type, _name, entries in response.resources:
            if error_code:
                raise RuntimeError(f"describing the config of {topic}: {error_code} {error_message}")
            for name, value, _read_only, source, *_ in entries:
                out[name] = (value, source)
    return out
