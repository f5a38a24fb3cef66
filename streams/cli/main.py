"""The ``wirestream`` command: worker, produce, consume, enrich, evaluate, dlq, topics, settings."""

import argparse
import asyncio
import base64
import json
import logging
import os
import sys
from pathlib import Path

from schemas import DeadLetterReason
from streams.cli import query as query_cli
from streams.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    settings = Settings()
    from aiokafka.errors import KafkaConnectionError

    from streams.kafka_client import ClientKeyError

    try:
        return args.run(args, settings) or 0
    except ClientKeyError as exc:
        print(f"wirestream: {exc}", file=sys.stderr)
        return 2
    except KafkaConnectionError as exc:
        print(f"wirestream: cannot connect to Kafka at {settings.kafka_bootstrap_servers} "
              f"({settings.kafka_security_protocol}): {exc} (see the error above for the broker's reason)",
              file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0  # the reader (head, less) has gone


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wirestream", description=__doc__,
                                     epilog="Settings come from WIRESTREAM_* environment variables (see README).")
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("worker", help="run the stream worker (reads articles.raw, writes the enriched topics)")
    p.add_argument("--role", choices=("all", "enrich", "aggregates"),
                   help="all: enrichment and aggregates in one process (default, WIRESTREAM_WORKER_ROLE); "
                        "enrich: the enrichment only; aggregates: the aggregates, /api and /ui only, "
                        "in a consumer group of their own, at a lower CPU priority (WIRESTREAM_AGGREGATES_NICE)")
    p.set_defaults(run=cmd_worker)

    p = sub.add_parser("produce", help="publish raw articles from a JSONL file to the raw topic")
    p.add_argument("file", type=Path)
    p.add_argument("--topic", help="topic to publish to (default: the raw topic)")
    p.add_argument("--no-validate", action="store_true",
                   help="send every line as it is, even invalid ones (to exercise the dead-letter path)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=cmd_produce)

    p = sub.add_parser("consume", help="print a topic's records as JSON lines")
    p.add_argument("topic")
    p.add_argument("--limit", type=int, help="stop after N records")
    p.add_argument("--from-beginning", action="store_true", help="start at the oldest record (default: new only)")
    p.add_argument("--timeout", type=float, help="stop after this many seconds without a new record")
    p.add_argument("--meta", action="store_true", help="wrap each value with topic, partition, offset, key, headers")
    p.add_argument("--pretty", action="store_true", help="a human-readable view instead of JSON lines")
    p.set_defaults(run=cmd_consume)

    p = sub.add_parser("enrich", help="run the NLP engine on a JSONL file, no Kafka")
    p.add_argument("--input", required=True, type=Path)
    p.add_argument("--output", required=True, type=Path)
    p.set_defaults(run=cmd_enrich)

    p = sub.add_parser("evaluate", help="enrich a JSONL file and score its statements against a gold file")
    p.add_argument("rest", nargs=argparse.REMAINDER, help="arguments of streams.cli.evaluation (try --help)")
    p.set_defaults(run=cmd_evaluate)

    p = sub.add_parser("dlq", help="list the dead letters, or replay them to the raw topic once the cause is fixed")
    dlq = p.add_subparsers(dest="dlq_command", required=True)
    for name, help_text in (("list", "a table of the dead letters: reason, source offset, size, message"),
                            ("replay", "republish the dead letters' original bytes and keys to the raw topic")):
        q = dlq.add_parser(name, help=help_text)
        q.add_argument("--reason", choices=[r.value for r in DeadLetterReason], help="only dead letters with this reason")
        q.add_argument("--from-offset", type=int, help="only dead letters from this source offset on (inclusive)")
        q.add_argument("--to-offset", type=int, help="only dead letters up to this source offset (inclusive)")
    dlq.choices["list"].add_argument("--limit", type=int, help="show at most N dead letters")
    dlq.choices["list"].set_defaults(run=cmd_dlq_list)
    dlq.choices["replay"].add_argument("--dry-run", action="store_true", help="show what would be replayed, send nothing")
    dlq.choices["replay"].set_defaults(run=cmd_dlq_replay)

    query_cli.add_commands(sub)  # top, who: tables from a worker's query API

    p = sub.add_parser("topics", help="create Wirestream's topics if they do not exist")
    p.set_defaults(run=cmd_topics)

    p = sub.add_parser("settings", help="print the settings in force (secrets masked)")
    p.add_argument("--markdown", action="store_true", help="print the table of all settings (as in the README)")
    p.set_defaults(run=cmd_settings)
    return parser


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    import faust

    from streams import kafka_client
    from streams.web import endpoints as web, live
    from streams.worker import agents, app

    settings = settings.for_role(args.role)
    logging.basicConfig(level=settings.log_level)
    if settings.worker_role == "aggregates" and settings.aggregates_nice:
        # Yield the CPU to the enrichment on a machine with no core to spare: the live view then lags
        # a backlog (wirestream_aggregate_input_lag_messages) and catches up after it.
        os.nice(settings.aggregates_nice)
        _nice_autogroup(settings.aggregates_nice)
    logging.getLogger(__name__).info("worker role %s, group %s", settings.worker_role, settings.app_id)
    asyncio.run(kafka_client.ensure_topics(settings))
    ws = app.build(settings)
    if settings.enriches:
        agents.register(ws)
    live.register(ws)  # the aggregates' tables and agents, /api and /ui (before the web server is built)
    web.register(ws)
    # web host and port come from the app's configuration (streams.worker.app.build)
    worker = faust.Worker(ws.app, *ws.services(), loglevel=settings.log_level)
    worker.execute_from_commandline()  # runs until SIGTERM/SIGINT, then exits the process
    return 0


def _nice_autogroup(nice: int) -> None:
    """With the kernel's autogroup scheduling (sched_autogroup_enabled), CPU is shared between sessions
    first and a process's nice value counts only inside its own session: a worker started in a session of
    its own (a service manager, a terminal) would not yield by os.nice alone. Its autogroup's nice
    value is raised too (allowed unprivileged, upwards), only when the worker leads its session (so it
    never lowers the priority of an enrichment worker started in the same one); nothing to do where
    autogroups are off or absent."""
    if os.getsid(0) != os.getpid():
        logging.getLogger(__name__).info("not a session leader: os.nice only (start it with setsid to yield "
                                         "across sessions where the kernel groups them)")
        return
    try:
        with open("/proc/self/autogroup", "w") as f:
            f.write(str(nice))
    except OSError:
        pass


def cmd_produce(args: argparse.Namespace, settings: Settings) -> int:
    from streams.cli.produce import produce_file

    problem = _unreadable(args.file)
    if problem:
        print(f"wirestream: {problem}", file=sys.stderr)
        return 2
    report = asyncio.run(produce_file(settings, args.file, args.topic or settings.topic_raw,
                                      validate=not args.no_validate, progress=not args.quiet))
    for number, reason, message in report.rejected:
        print(f"line {number}: rejected ({reason}): {message}", file=sys.stderr)
    print(f"sent {report.sent}, rejected {len(report.rejected)}", file=sys.stderr)
    return 0 if not report.rejected else 1


def cmd_consume(args: argparse.Namespace, settings: Settings) -> int:
    from streams.cli.consume import consume
    from streams.cli.render import pretty

    async def run() -> int:
        count = 0
        async for record in consume(settings, args.topic, args.from_beginning, args.timeout):
            if args.pretty:
                print(pretty(_render(record, meta=False)), flush=True)
            else:
                print(json.dumps(_render(record, args.meta), ensure_ascii=False), flush=True)
            count += 1
            if args.limit is not None and count >= args.limit:
                break
        return count

    try:
        asyncio.run(run())
    except (KeyboardInterrupt, BrokenPipeError):
        pass  # Ctrl-C, or the reader (head, less) has gone: both are a normal end here
    return 0


def _render(record, meta: bool) -> object:
    try:
        value = json.loads(record.value) if record.value is not None else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        value = {"value_base64": base64.b64encode(record.value).decode("ascii")}
    if not meta:
        return value
    return {
        "topic": record.topic, "partition": record.partition, "offset": record.offset,
        "timestamp_ms": record.timestamp,
        "key": record.key.decode("utf-8", "replace") if record.key is not None else None,
        "headers": {k: v.decode("utf-8", "replace") for k, v in (record.headers or ())},
        "value": value,
    }


def cmd_enrich(args: argparse.Namespace, settings: Settings) -> int:
    from streams.cli.offline import enrich_file, print_report

    # Checked before the model loads (seconds), and said in one line rather than a traceback.
    problem = _unreadable(args.input) or _unwritable(args.output)
    if problem:
        print(f"wirestream: {problem}", file=sys.stderr)
        return 2
    report = enrich_file(args.input, args.output, settings)
    print_report(report)
    return 0 if not report.rejected else 1


def _unreadable(path: Path) -> str | None:
    """Why an input file cannot be read, or None."""
    try:
        with open(path, "rb"):
            return None
    except OSError as exc:
        return f"cannot read {path}: {exc.strerror}"


def _unwritable(path: Path) -> str | None:
    """Why an output file cannot be written where it is named, or None (the file itself is not created)."""
    if not path.parent.is_dir():
        return f"cannot write {path}: no such directory {path.parent}"
    if path.is_dir():
        return f"cannot write {path}: it is a directory"
    return None


def cmd_evaluate(args: argparse.Namespace, settings: Settings) -> int:
    from streams.cli import evaluation

    return evaluation.main(args.rest)


def _dead_letters(args: argparse.Namespace, settings: Settings, limit: int | None = None) -> list:
    from streams.cli import dlq

    selection = dlq.Selection(args.reason, args.from_offset, args.to_offset)
    return dlq.select(asyncio.run(dlq.read_dead_letters(settings)), selection, limit)


def cmd_dlq_list(args: argparse.Namespace, settings: Settings) -> int:
    from streams.cli import dlq

    dlq.print_table(_dead_letters(args, settings, args.limit), sys.stdout)
    return 0


def cmd_dlq_replay(args: argparse.Namespace, settings: Settings) -> int:
    from streams.cli import dlq

    entries = _dead_letters(args, settings)
    if args.dry_run:
        dlq.print_table(entries, sys.stdout)
        print(f"would replay {len(entries)} dead letters to {settings.topic_raw} (dry run: nothing sent)",
              file=sys.stderr)
        return 0
    report = asyncio.run(dlq.replay(settings, entries))
    for entry, why in report.skipped:
        print(f"skipped {entry.name}: {why}", file=sys.stderr)
    print(f"replayed {report.replayed} dead letters to {settings.topic_raw}, skipped {len(report.skipped)}",
          file=sys.stderr)
    return 0 if not report.skipped else 1


def cmd_topics(args: argparse.Namespace, settings: Settings) -> int:
    from streams.kafka_client import ensure_topics

    created = asyncio.run(ensure_topics(settings))
    print("created: " + (", ".join(created) if created else "nothing (all topics exist)"))
    return 0


def cmd_settings(args: argparse.Namespace, settings: Settings) -> int:
    if args.markdown:
        print(Settings.markdown_table())
        return 0
    print(json.dumps(settings.public_dict(), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
