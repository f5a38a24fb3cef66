"""Who said what: a minimal consumer of Wirestream's ``statements`` topic.

    python examples/who_said_what.py [--bootstrap 127.0.0.1:9092] [--topic statements] [--group who-said-what]

It joins its own consumer group (so it starts from the oldest record the first time, and from
where it left off after that) and prints one line per statement. Records are keyed by the
canonical speaker, so all statements of one speaker arrive in order on one partition.
Validating with the ``StatementRecord`` model is optional; plain ``json.loads`` works too.
"""

import argparse
import asyncio

from aiokafka import AIOKafkaConsumer

from schemas import StatementRecord


async def main(bootstrap: str, topic: str, group: str) -> None:
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group, auto_offset_reset="earliest")
    await consumer.start()
    try:
        async for record in consumer:
            s = StatementRecord.model_validate_json(record.value).statement
            who = s.speaker or "(unattributed)"
            if s.speaker_mention and s.speaker_mention != s.speaker:
                who += f' ("{s.speaker_mention}")'
            print(f"{who} {s.cue}: {s.content}    [{s.kind}]", flush=True)
    finally:
        await consumer.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bootstrap", default="127.0.0.1:9092")
    parser.add_argument("--topic", default="statements")
    parser.add_argument("--group", default="who-said-what")
    args = parser.parse_args()
    try:
        asyncio.run(main(args.bootstrap, args.topic, args.group))
    except (KeyboardInterrupt, BrokenPipeError):
        pass
