"""Stopping the subprocesses tests start (worker, Prometheus) the way a process manager would."""

import os
import signal
import subprocess


def terminate(process: subprocess.Popen | None, timeout: float) -> None:
    """SIGTERM; SIGKILL to its whole session if it has not ended within ``timeout`` seconds."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        kill_session(process)


def kill_session(process: subprocess.Popen | None) -> None:
    """SIGKILL to the process and everything in its session (started with start_new_session)."""
    if process is None:
        return
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(30)
