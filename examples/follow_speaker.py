"""Follow one speaker on the wire:  python examples/follow_speaker.py "Jens Stoltenberg" """

import asyncio, json, os, sys  # noqa: E401, I001

from aiokafka import AIOKafkaConsumer


async def follow(speaker: str) -> None:
    topic = os.environ.get("WIREWATCH_TOPIC_PREFIX", "wirewatch") + ".statements"
    bootstrap = os.environ.get("WIREWATCH_KAFKA_BOOTSTRAP", "127.0.0.1:9092")
    async with AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest") as consumer:
        async for msg in consumer:
            st = json.loads(msg.value)
            if speaker.lower() in {str((st["speaker"] or {}).get(k)).lower() for k in ("name", "actor_id")}:
                print(f'{st["speaker"]["name"]}: “{st["content"]["text"]}” — {st["headline"]}', flush=True)


asyncio.run(follow(sys.argv[1]))
