"""Bounded polling for tests: wait until a condition holds, or fail saying what was awaited."""

import time


def wait_for(condition, timeout: float, what: str, pause: float = 0.5, log=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(pause)
    raise AssertionError(f"not within {timeout} s: {what}\n{log() if log else ''}")
