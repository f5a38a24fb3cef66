"""The command line as a new user meets it: a missing file, a long run, no broker.

Each case runs ``wirestream`` as a subprocess, as a person would; none needs a broker (the consume
case is about there being none). A terminal is a real pseudo-terminal (tests/support/terminal.py).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support.broker import free_port
from tests.support.paths import ROOT
from tests.support.terminal import on_a_terminal as run_on_a_terminal

NO_BROKER = "127.0.0.1:9"  # nothing listens on the discard port


def cli_env(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIRESTREAM_")}
    return {**env, "WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS": NO_BROKER, **settings}


def wirestream(*args: str, **settings: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "streams.cli", *args], cwd=ROOT, env=cli_env(**settings),
                          capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)


def on_a_terminal(*args: str, **settings: str) -> tuple[int, str]:
    return run_on_a_terminal([sys.executable, "-m", "streams.cli", *args], cli_env(**settings), ROOT)


def articles_file(path: Path, n: int) -> Path:
    lines = [json.dumps({"id": f"cli-{i}", "title": "Talks", "body": f"Ann Lee said talks would go on, day {i}."})
             for i in range(n)]
    path.write_text("\n".join(lines) + "\n")
    return path


def assert_one_line(done: subprocess.CompletedProcess, *needles: str) -> None:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_enrich_with_a_missing_input_says_so_in_one_line(tmp_path):
    done = wirestream("enrich", "--input", "missing.jsonl", "--output", str(tmp_path / "out.jsonl"))
    assert_one_line(done, "missing.jsonl", "No such file")
    assert not (tmp_path / "out.jsonl").exists()


def test_enrich_into_a_missing_directory_says_so_in_one_line(tmp_path):
    source = articles_file(tmp_path / "in.jsonl", 1)
    done = wirestream("enrich", "--input", str(source), "--output", str(tmp_path / "nowhere" / "out.jsonl"))
    assert_one_line(done, "nowhere", "no such directory")


def test_produce_with_a_missing_file_says_so_in_one_line(tmp_path):
    done = wirestream("produce", str(tmp_path / "missing.jsonl"))
    assert_one_line(done, "missing.jsonl", "No such file")


def test_enrich_shows_a_progress_bar_on_a_terminal_and_none_when_piped(tmp_path):
    source = articles_file(tmp_path / "in.jsonl", 6)
    status, shown = on_a_terminal("enrich", "--input", str(source), "--output", str(tmp_path / "tty.jsonl"),
                                  WIRESTREAM_BATCH_SIZE="2")
    assert status == 0, shown
    assert "enriching: 100%" in shown and "6/6" in shown, shown  # the bar, at its end
    assert "enriched 6, rejected 0" in shown

    piped = wirestream("enrich", "--input", str(source), "--output", str(tmp_path / "piped.jsonl"),
                       WIRESTREAM_BATCH_SIZE="2")
    assert piped.returncode == 0, piped.stderr
    assert piped.stderr.splitlines() == ["enriched 6, rejected 0"]  # the report alone, no bar
    assert (tmp_path / "piped.jsonl").read_bytes() == (tmp_path / "tty.jsonl").read_bytes()


def test_consume_without_a_broker_is_one_clear_error_and_no_unclosed_client_noise():
    address = f"127.0.0.1:{free_port()}"  # a port nothing listens on
    done = wirestream("consume", "articles.enriched", "--timeout", "5", WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS=address)
    assert done.returncode == 2, done.stderr
    assert f"wirestream: cannot connect to Kafka at {address}" in done.stderr
    for noise in ("Unclosed", "Traceback", "Task was destroyed"):
        assert noise not in done.stderr, done.stderr
