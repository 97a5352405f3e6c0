"""The one entry point: ``wirewatch <command>``. Each command is a few lines calling the rooms."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Iterator

from wirewatch.config import ConfigError, Settings

EXIT_USAGE = 2


def _fail(message: str, code: int = 1) -> int:
    print(f"wirewatch: error: {message}", file=sys.stderr)
    return code


def _articles(paths: list[str], settings: Settings, errors: list[str]) -> Iterator[dict]:
    """Valid raw articles from the paths; every refused record is reported with its location."""
    from wirewatch.ingest.files import read_paths

    for rec in read_paths(paths or ["-"], settings.max_body_bytes):
        if rec.error is not None:
            line = f"{rec.where}: {rec.error.kind}: {rec.error}"
            errors.append(line)
            print(f"wirewatch: skipped {line}", file=sys.stderr)
        else:
            yield rec.article  # type: ignore[misc]


def _load_enricher(settings: Settings, actors_file: str | None):
    from wirewatch.actors import load_actors
    from wirewatch.nlp.pipeline import Enricher

    return Enricher(settings.spacy_model, actors=load_actors(actors_file or settings.actors_file))


def _write_jsonl(objs) -> None:
    from wirewatch.records import dumps

    out = sys.stdout.buffer
    for obj in objs:
        out.write(dumps(obj) + b"\n")
    out.flush()


# --- commands -------------------------------------------------------------------------------


def cmd_broker(args: argparse.Namespace, settings: Settings) -> int:
    from wirewatch import broker

    extra = (
        ["--timeout", str(args.timeout), *(["--clean"] if args.clean else [])]
        if args.action == "start"
        else []
    )
    return broker.main([args.action, *extra])


def cmd_topics(args: argparse.Namespace, settings: Settings) -> int:
    from wirewatch.stream.topics import ensure_topics

    created = asyncio.run(ensure_topics(settings))
    for name in settings.topics.values():
        print(f"{name}\t{'created' if name in created else 'exists'}")
    return 0


def cmd_produce(args: argparse.Namespace, settings: Settings) -> int:
    from wirewatch.stream.client import publish, resolve_topic
    from wirewatch.stream.topics import ensure_topics

    errors: list[str] = []
    articles = list(_articles(args.paths, settings, errors))
    topic = resolve_topic(settings, args.topic) if args.topic else None

    async def run() -> int:
        await ensure_topics(settings)
        if len(articles) > 1:  # a progress bar on a terminal; silent in pipes and CI
            from wirewatch.ingest.publisher import publish_with_progress

            return await publish_with_progress(settings, articles, topic)
        return await publish(settings, articles, topic)

    sent = asyncio.run(run())
    print(
        f"published {sent} article(s) to {topic or settings.topic('articles.raw')}"
        + (f"; skipped {len(errors)} bad record(s)" if errors else ""),
        file=sys.stderr,
    )
    return 1 if errors else 0


def cmd_consume(args: argparse.Namespace, settings: Settings) -> int:
    from wirewatch.stream.client import open_consumer, read, resolve_topic

    topic = resolve_topic(settings, args.topic)

    async def run() -> None:
        consumer = await open_consumer(settings, topic, args.from_beginning)
        try:
            out = sys.stdout.buffer
            async for _key, value, _headers in read(consumer, args.max, args.timeout):
                out.write(value.rstrip(b"\n") + b"\n")
                out.flush()
        finally:
            await consumer.stop()

    try:
        asyncio.run(run())
    except LookupError as exc:
        return _fail(str(exc))
    return 0


def cmd_enrich(args: argparse.Namespace, settings: Settings) -> int:
    errors: list[str] = []
    articles = list(_articles(args.paths, settings, errors))
    enricher = _load_enricher(settings, args.actors)
    _write_jsonl(enricher.enrich_batch(articles))
    return 1 if errors else 0


def cmd_alerts_test(args: argparse.Namespace, settings: Settings) -> int:
    from wirewatch.actors import load_actors
    from wirewatch.rules import load_rules

    actors = load_actors(args.actors or settings.actors_file)
    ruleset = load_rules(args.rules, actors=actors)
    errors: list[str] = []
    records = list(_articles(args.paths, settings, errors))
    # Enriched records (from `wirewatch enrich` or the enriched topic) are matched as they are;
    # raw ones are enriched first, exactly as the live path does.
    raw = [r for r in records if "enrichment" not in r]
    enriched = [r for r in records if "enrichment" in r]
    if raw:
        enricher = _load_enricher(settings, args.actors)
        enriched += enricher.enrich_batch(raw)
    from wirewatch.rules.policy import AlertPolicy, event_time

    # The live path's dedup and throttle, with in-memory state and the article's time.
    policy = AlertPolicy.for_ruleset(ruleset)
    _write_jsonl(
        out
        for article in enriched
        for alert in ruleset.match(article)
        if (out := policy.admit(alert, event_time(article))) is not None
    )
    return 1 if errors else 0


def cmd_enricher(args: argparse.Namespace, settings: Settings) -> int:
    from wirewatch.stream.common import freeze_loaded_heap, run_worker
    from wirewatch.stream.enricher import build_enricher
    from wirewatch.stream.topics import ensure_topics

    workers = args.workers if args.workers is not None else settings.workers
    if workers < 1:
        return _fail(f"--workers must be at least 1, got {workers}", EXIT_USAGE)
    if workers > 1:
        from wirewatch.actors import load_actors
        from wirewatch.stream.workers import Supervisor, enricher_argv

        load_actors(args.actors or settings.actors_file)  # a bad file fails here, not K times
        asyncio.run(ensure_topics(settings))
        if settings.partitions < workers:
            print(
                f"wirewatch: warning: {workers} workers but WIREWATCH_PARTITIONS={settings.partitions}; "
                "workers beyond the raw topic's partition count stay idle",
                file=sys.stderr,
            )
        return Supervisor(enricher_argv(args.actors), workers).run()
    enricher = _load_enricher(settings, args.actors)  # load once, before consuming
    asyncio.run(ensure_topics(settings))
    from wirewatch.stream.enricher import GIL_SWITCH_INTERVAL
    from wirewatch.stream.metrics import serve

    serve(settings)
    sys.setswitchinterval(GIL_SWITCH_INTERVAL)
    app = build_enricher(settings, enricher)
    freeze_loaded_heap()
    run_worker(app, settings.log_level, settings.log_format)
    return 0


def cmd_alerter(args: argparse.Namespace, settings: Settings) -> int:
    from wirewatch.actors import load_actors
    from wirewatch.rules.live import LiveRules
    from wirewatch.rules.sinks import build_router
    from wirewatch.stream.alerter import build_alerter
    from wirewatch.stream.common import run_worker
    from wirewatch.stream.topics import ensure_topics

    rules_file = args.rules or settings.rules_file
    if not rules_file and not args.rules_topic_only:
        return _fail(
            "no rules: pass --rules FILE, set WIREWATCH_RULES, or pass --rules-topic-only to run "
            f"with the rules published to {settings.topic('rules')} (wirewatch rules publish FILE)",
            EXIT_USAGE,
        )
    live = LiveRules(rules_file or None, actors=load_actors(args.actors or settings.actors_file))
    if rules_file:
        print(f"wirewatch: loaded {len(live.ruleset)} rule(s) from {rules_file}", file=sys.stderr)
    asyncio.run(ensure_topics(settings))
    router = build_router(
        settings.alerts_file,
        [n.strip() for n in settings.default_sinks.split(",") if n.strip()],
        webhook_url=settings.webhook_url,
        webhook_secret=settings.webhook_secret,
        slack_url=settings.slack_url,
        timeout=settings.sink_timeout,
        outbox_dir=settings.state_dir / "outbox" / settings.topic_prefix,
    )
    from wirewatch.stream.metrics import serve

    serve(settings)
    try:
        run_worker(build_alerter(settings, live, router), settings.log_level, settings.log_format)
    finally:
        router.close()
    return 0


def cmd_rules_publish(args: argparse.Namespace, settings: Settings) -> int:
    from wirewatch.actors import load_actors
    from wirewatch.stream.rules_topic import publish_rules

    actors = load_actors(args.actors or settings.actors_file)
    sent, removed = asyncio.run(publish_rules(settings, args.file, actors))
    print(
        f"published {sent} rule(s) to {settings.topic('rules')}; removed {removed}", file=sys.stderr
    )
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from wirewatch import evaluation

    enricher = _load_enricher(settings, args.actors)
    timing: dict = {}
    if args.gold:
        result = evaluation.evaluate_gold(args.gold, enricher, timing=timing)
    else:
        result = evaluation.evaluate_polnear(args.polnear, enricher, timing=timing)
    # The cost budget: attribution + resolution CPU over the model's own nlp.pipe CPU.
    result["cost"] = timing
    from wirewatch.records import dumps

    print(dumps(result).decode())
    return 0


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    if args.bench == "rules":
        from wirewatch.bench import rules as bench
    elif args.bench == "attribution":
        from wirewatch.bench import attribution as bench
    elif args.bench == "pool":
        from wirewatch.bench import pool as bench
    else:
        from wirewatch.bench import pipeline as bench
    return bench.run(args, settings)


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from aiokafka.errors import KafkaError

    from wirewatch.ingest import commands
    from wirewatch.ingest.rss import FeedsFileError
    from wirewatch.stream.metrics import serve

    serve(settings)  # ingest sources are services too: /metrics and /healthz

    try:
        if args.source == "rss":
            return commands.rss(
                settings, args.urls, args.feeds, args.interval, args.once, args.state
            )
        if args.source == "watch":
            return commands.watch(
                settings, args.directory, args.interval, args.once, args.settle, args.state
            )
        return commands.http(settings, args.host, args.port, args.max_request_bytes)
    except (FeedsFileError, FileNotFoundError) as exc:
        return _fail(str(exc), EXIT_USAGE)
    except KafkaError as exc:
        return _fail(f"{exc}; is the broker at {settings.bootstrap} up (wirewatch broker status)?")
    except OSError as exc:  # e.g. the HTTP port is taken
        return _fail(f"{exc}; pick another --port or free this one")


def cmd_tail(args: argparse.Namespace, settings: Settings) -> int:
    from wirewatch import tail

    try:
        return tail.run(
            settings, args.kind, args.from_beginning, args.max, args.timeout, args.color
        )
    except LookupError as exc:
        return _fail(str(exc))


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from wirewatch.demo import run_demo

    return run_demo(settings, args.paths or ["seeds/kyiv-strikes.txt"], args.rules, args.actors)


# --- parser ---------------------------------------------------------------------------------


def _add_reading_options(s: argparse.ArgumentParser) -> None:
    """Where to start and when to stop reading a topic (consume and tail)."""
    s.add_argument(
        "--from-beginning", action="store_true", help="start at the oldest event, not new ones"
    )
    s.add_argument("--max", type=int, default=None, metavar="N", help="stop after N events")
    s.add_argument(
        "--timeout",
        type=float,
        default=None,
        metavar="S",
        help="stop after S seconds with no new event",
    )


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="wirewatch", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser(
        "broker", help="start, stop or check the local Kafka broker (KRaft, from Maven jars)"
    )
    s.add_argument(
        "action",
        choices=["start", "stop", "status", "reset", "jars"],
        help="reset stops the broker and wipes its data; jars only downloads the jars",
    )
    s.add_argument(
        "--timeout", type=float, default=90.0, help="seconds to wait for readiness (start)"
    )
    s.add_argument("--clean", action="store_true", help="wipe broker data before starting (start)")
    s.set_defaults(func=cmd_broker)

    s = sub.add_parser("topics", help="create wirewatch's topics if missing")
    s.set_defaults(func=cmd_topics)

    s = sub.add_parser(
        "produce", help="publish raw articles (.txt, .json, .jsonl, dirs, - for stdin)"
    )
    s.add_argument("paths", nargs="*", metavar="PATH")
    s.add_argument("--topic", help="target topic (default: <prefix>.articles.raw)")
    s.set_defaults(func=cmd_produce)

    s = sub.add_parser("consume", help="print a topic's events as JSON lines")
    s.add_argument(
        "topic",
        metavar="TOPIC",
        help="full name or short: articles.raw, articles.enriched, statements, alerts, deadletter",
    )
    _add_reading_options(s)
    s.set_defaults(func=cmd_consume)

    s = sub.add_parser(
        "enrich", help="enrich articles offline (no Kafka); one enriched article per line"
    )
    s.add_argument("paths", nargs="*", metavar="PATH")
    s.add_argument("--actors", metavar="FILE", help="actors file (YAML or JSON)")
    s.set_defaults(func=cmd_enrich)

    s = sub.add_parser("alerts", help="offline alert rules tools")
    alerts_sub = s.add_subparsers(dest="alerts_command", required=True, metavar="ACTION")
    t = alerts_sub.add_parser(
        "test", help="match rules against articles offline; one alert per line"
    )
    t.add_argument("--rules", required=True, metavar="FILE")
    t.add_argument("--actors", metavar="FILE")
    t.add_argument("paths", nargs="+", metavar="PATH", help="raw or enriched articles")
    t.set_defaults(func=cmd_alerts_test)

    s = sub.add_parser("enricher", help="run the enricher agent (raw -> enriched, statements)")
    s.add_argument("--actors", metavar="FILE")
    s.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="K",
        help="worker processes in one consumer group, one per core (default: WIREWATCH_WORKERS or 1)",
    )
    s.set_defaults(func=cmd_enricher)

    s = sub.add_parser("alerter", help="run the alerter agent (enriched -> alerts)")
    s.add_argument(
        "--rules",
        metavar="FILE",
        help="rules file, watched for changes (default: WIREWATCH_RULES); "
        "rules published to <prefix>.rules are always followed too",
    )
    s.add_argument(
        "--rules-topic-only",
        action="store_true",
        help="start without a rules file, with the rules topic's rules only",
    )
    s.add_argument("--actors", metavar="FILE")
    s.set_defaults(func=cmd_alerter)

    s = sub.add_parser(
        "rules", help="shared rules: publish a rules file to the rules topic all alerters follow"
    )
    rules_sub = s.add_subparsers(dest="rules_command", required=True, metavar="ACTION")
    r = rules_sub.add_parser(
        "publish", help="validate FILE and make <prefix>.rules hold exactly its rules"
    )
    r.add_argument("file", metavar="FILE")
    r.add_argument("--actors", metavar="FILE")
    r.set_defaults(func=cmd_rules_publish)

    s = sub.add_parser("eval", help="score statement attribution against gold")
    g = s.add_mutually_exclusive_group(required=True)
    g.add_argument("--gold", metavar="FILE", help="gold JSON (the seed format)")
    g.add_argument("--polnear", metavar="DIR", help="a PolNeAR split directory")
    s.add_argument("--actors", metavar="FILE")
    s.set_defaults(func=cmd_eval)

    s = sub.add_parser("bench", help="benchmarks: one JSON line plus a small table")
    bench_sub = s.add_subparsers(dest="bench", required=True, metavar="WHAT")
    b = bench_sub.add_parser(
        "rules", help="rule matching: articles/s, compile time, memory vs rule count"
    )
    b.add_argument(
        "--rules", default="1000,10000,100000", metavar="N[,N...]", help="generated rule set sizes"
    )
    b.add_argument(
        "--articles", type=int, default=2000, metavar="N", help="articles matched per size"
    )
    b.add_argument(
        "--passes",
        type=int,
        default=3,
        metavar="N",
        help="passes over new articles per size (best reported)",
    )
    b.add_argument(
        "--engine",
        choices=("both", "native", "python", "auto"),
        default="both",
        help="matching engine(s) timed; both (default): native and pure Python in the same run",
    )
    b.set_defaults(func=cmd_bench)
    b = bench_sub.add_parser(
        "pipeline", help="raw nlp.pipe vs the enricher through Kafka (live broker)"
    )
    b.add_argument("--articles", type=int, default=200, metavar="N")
    b.add_argument("--workers", type=int, default=1, metavar="K")
    b.add_argument(
        "--rounds",
        "--raw-rounds",
        dest="rounds",
        type=int,
        default=None,
        metavar="R",
        help="the articles are cut into R chunks, each a round: raw nlp.pipe of every pipeline, "
        "then through Kafka with 1 and K workers, every other round in the opposite order "
        "(default: one round per 50 articles); with --raw-only, R passes over all the articles "
        "(default 3)",
    )
    b.add_argument(
        "--raw-only",
        action="store_true",
        help="only the in-process nlp.pipe measurements (no broker), plus the product pipeline "
        "with the stock attribute_ruler + lemmatizer",
    )
    b.set_defaults(func=cmd_bench)
    b = bench_sub.add_parser(
        "attribution",
        help="attribution alone (entities, statements, speakers) on cached parses: ms and "
        "instructions per article",
    )
    b.add_argument(
        "--articles",
        type=int,
        default=None,
        metavar="N",
        help="bench articles (default 200; 40 with --instructions)",
    )
    b.add_argument(
        "--passes", type=int, default=5, metavar="N", help="each article's best of N is kept"
    )
    b.add_argument(
        "--instructions",
        action="store_true",
        help="also count the instructions of one pass under valgrind's callgrind (all but the "
        "same count on every run: compare versions of the rules by it, not by time)",
    )
    b.add_argument(
        "--stages",
        action="store_true",
        help="one more pass with each stage of the analysis timed (entity table, reported "
        "speech, resolution...): its ms per article and share",
    )
    b.set_defaults(func=cmd_bench)
    b = bench_sub.add_parser(
        "pool",
        help="pool saved `bench pipeline` outputs: each ratio's median over all runs' pairs of "
        "rounds, with a 95%% interval and whether each goal is met, missed or undecided",
    )
    b.add_argument(
        "files", nargs="+", metavar="FILE", help="saved outputs of `wirewatch bench pipeline`"
    )
    b.set_defaults(func=cmd_bench)

    s = sub.add_parser(
        "ingest", help="long-running sources: RSS/Atom feeds, an HTTP endpoint, a watched directory"
    )
    ingest_sub = s.add_subparsers(dest="source", required=True, metavar="SOURCE")
    i = ingest_sub.add_parser(
        "rss", help="poll RSS/Atom feeds (conditional GETs, dedup by guid across restarts)"
    )
    i.add_argument("urls", nargs="*", metavar="FEED_URL")
    i.add_argument(
        "--feeds", metavar="FILE", help="feeds file: one 'URL [SECONDS]' per line, # comments"
    )
    i.add_argument(
        "--interval", type=float, default=300.0, metavar="S", help="seconds between polls of a feed"
    )
    i.add_argument(
        "--once", action="store_true", help="poll every feed once and exit (1 if any failed)"
    )
    i.add_argument(
        "--state", metavar="FILE", help="state file (default: $WIREWATCH_STATE_DIR/ingest/rss.json)"
    )
    i.set_defaults(func=cmd_ingest)
    i = ingest_sub.add_parser(
        "http", help="serve POST /articles (JSON article or list) and GET /healthz"
    )
    i.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0 for all)")
    i.add_argument(
        "--port", type=int, default=8080, help="port (0: any free port, printed on start)"
    )
    i.add_argument(
        "--max-request-bytes",
        type=int,
        default=10 * 1024 * 1024,
        metavar="N",
        help="larger requests get 413",
    )
    i.set_defaults(func=cmd_ingest)
    i = ingest_sub.add_parser(
        "watch", help="publish new and changed .txt/.json/.jsonl files in a directory"
    )
    i.add_argument("directory", metavar="DIR")
    i.add_argument("--interval", type=float, default=2.0, metavar="S", help="seconds between scans")
    i.add_argument(
        "--settle",
        type=float,
        default=1.0,
        metavar="S",
        help="a file is read once unchanged for S seconds (not while being written)",
    )
    i.add_argument(
        "--once", action="store_true", help="scan once and exit (1 if any record was refused)"
    )
    i.add_argument(
        "--state", metavar="FILE", help="state file (default: under $WIREWATCH_STATE_DIR/ingest/)"
    )
    i.set_defaults(func=cmd_ingest)

    s = sub.add_parser("tail", help="follow statements or alerts as readable lines")
    s.add_argument("kind", choices=["statements", "alerts"])
    _add_reading_options(s)
    s.add_argument(
        "--color",
        choices=["auto", "always", "never"],
        default="auto",
        help="auto: only on a terminal, and not when NO_COLOR is set",
    )
    s.set_defaults(func=cmd_tail)

    s = sub.add_parser(
        "demo", help="run the whole system on the seed article and print what came out"
    )
    s.add_argument("paths", nargs="*", metavar="PATH")
    s.add_argument("--rules", default="seeds/rules.example.yaml", metavar="FILE")
    s.add_argument("--actors", default="seeds/actors.example.yaml", metavar="FILE")
    s.set_defaults(func=cmd_demo)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        return _fail(str(exc), EXIT_USAGE)
    logging.basicConfig(
        level=settings.log_level.upper(),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # Client chatter ("Updating subscribed topics") is noise on a terminal; workers keep Faust's own logs.
    logging.getLogger("aiokafka").setLevel(logging.WARNING)
    # Just after topics are created their leaders settle; aiokafka retries by itself but logs each
    # try as an ERROR, which reads like a failure to someone running the demo.
    logging.getLogger("aiokafka.consumer.fetcher").addFilter(
        lambda record: "NotLeaderForPartitionError" not in record.getMessage()
    )
    from wirewatch.actors import ActorsFileError
    from wirewatch.rules import RulesError

    try:
        return args.func(args, settings)
    except (ActorsFileError, RulesError, ConfigError) as exc:
        return _fail(str(exc), EXIT_USAGE)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
