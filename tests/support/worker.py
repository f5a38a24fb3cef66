"""A Wirestream worker as a real subprocess (``python -m streams.cli worker``), as operators run it."""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.support.broker import Broker, free_port
from tests.support.paths import ROOT
from tests.support.processes import kill_session, terminate


class Worker:
    def __init__(self, broker: Broker, env: dict[str, str], workdir: Path, name: str = "worker"):
        self.port = free_port()
        self.log_path = workdir / f"{name}.log"
        self.env = {
            **os.environ,
            **broker.env(),
            "WIRESTREAM_WEB_PORT": str(self.port),
            "WIRESTREAM_DATA_DIR": str(workdir / f"{name}-state"),
            **env,
        }
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, wait_ready: float = 180) -> "Worker":
        self._log = open(self.log_path, "ab")
        self.process = subprocess.Popen([sys.executable, "-m", "streams.cli", "worker"], cwd=ROOT, env=self.env,
                                        stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        if wait_ready:
            self.wait_ready(wait_ready)
        return self

    def get(self, path: str, timeout: float = 5) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if self.get("/ready")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise TimeoutError(f"worker not ready after {timeout} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, timeout: float = 60) -> None:
        """SIGTERM, as a process manager would; SIGKILL if it does not end in time."""
        terminate(self.process, timeout)

    def kill(self) -> None:
        """SIGKILL to the worker and its NLP processes, like a crashed machine."""
        kill_session(self.process)
