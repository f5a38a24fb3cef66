"""The genuine local Kafka broker of deploy/kafka, started on free loopback ports for tests."""

import os
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.support.paths import KAFKA_SCRIPT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Broker:
    port: int
    controller_port: int
    data_dir: Path

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        return {
            "WIRESTREAM_KAFKA_HOST": "127.0.0.1",
            "WIRESTREAM_KAFKA_PORT": str(self.port),
            "WIRESTREAM_KAFKA_CONTROLLER_PORT": str(self.controller_port),
            "WIRESTREAM_KAFKA_DATA_DIR": str(self.data_dir),
            "WIRESTREAM_KAFKA_START_TIMEOUT": os.environ.get("WIRESTREAM_KAFKA_START_TIMEOUT", "150"),
        }

    def run(self, command: str, timeout: float = 180) -> subprocess.CompletedProcess:
        return subprocess.run(["bash", str(KAFKA_SCRIPT), command], env={**os.environ, **self.env()},
                              capture_output=True, text=True, timeout=timeout, check=False)

    def start(self) -> None:
        done = self.run("start")
        if done.returncode != 0:
            raise RuntimeError(f"broker did not start:\n{done.stdout}\n{done.stderr}")

    def stop(self) -> None:
        self.run("stop")

    def kill(self) -> None:
        self.run("kill")


def start_broker(data_dir: Path) -> Broker:
    broker = Broker(free_port(), free_port(), data_dir)
    broker.start()
    return broker
