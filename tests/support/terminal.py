"""Running a command with its stderr on a real pseudo-terminal, as a person at a terminal sees it.

tqdm decides from ``isatty`` whether to draw its bar, so only a terminal shows whether one is drawn.
"""

import fcntl
import os
import pty
import struct
import subprocess
import termios


def on_a_terminal(command: list[str], env: dict[str, str], cwd, timeout: float = 300) -> tuple[int, str]:
    """(exit status, what the terminal showed) of ``command`` run with stderr on a pseudo-terminal."""
    controller, terminal = pty.openpty()
    # a new pseudo-terminal is 0 columns wide, and tqdm draws nothing in 0 columns: size it as a terminal is
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=terminal)
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # EIO: the child closed its end
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    return process.wait(timeout), shown.decode(errors="replace")
