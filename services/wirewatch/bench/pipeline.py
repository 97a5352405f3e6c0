"""``wirewatch bench pipeline``: the enricher through Kafka against the model's own limit.

Everything is measured in one run, on the same generated articles, so the ratios mean something
on a noisy shared machine even when the absolute times do not. The N articles are cut into
``--rounds`` chunks (one per 50 articles), one per round, and each round takes its chunk through:

- raw ``nlp.pipe`` in this process: the full default pipeline (``spacy.load``, the stock
  components, what a naive user runs) and the product's pipeline
  (:func:`wirewatch.nlp.model.load_model`: tok2vec, tagger, parser, ner, ``wirewatch_fastattrs`` in
  place of the stock attribute_ruler + lemmatizer, and our small components: the limit), timed
  interleaved batch by batch with the NLP library (attribution included,
  ``Enricher.enrich_batch``);
- the same texts end to end through the broker: produce the chunk's raw articles, wait for as
  many enriched events, with one ``wirewatch enricher`` process and with
  ``wirewatch enricher --workers K``;

every other round in the opposite order. Rates are over all rounds; each ratio is the median,
over pairs of mirrored rounds, of the pair's ratio (the model's speed on this machine drifts by
20% over minutes, so a raw phase and a Kafka phase far apart compare the machine, not the
service). ``--raw-only`` times only the raw pipelines (no broker; ``--rounds`` passes over the
same N articles), also the product's pipeline with the stock attribute_ruler + lemmatizer, and
``nlp(text)`` one article at a time. Then, once:

- latency p50/p95/p99 (produce -> enriched event seen) at a light steady rate, one worker, with
  the other systems stopped; each sample is followed by ``nlp()`` of the same article in this
  process, the yardstick of the latency ratios;
- peak RSS (VmHWM) of every worker process;
- a naive agent (``nlp()`` per message on the event loop, ``python -m wirewatch.bench.pipeline
  naive``) for comparison.

Each system runs on its own private topic prefix (topics deleted afterwards) as real worker
processes. Articles are the seed article varied deterministically: paragraphs shuffled and cut,
names, weekdays and numbers swapped. Prints one JSON line, then a small table. Exit code 0 unless
something failed (a worker died, events never arrived); timings never fail the run.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from wirewatch.config import PROJECT_ROOT, Settings

SEED = PROJECT_ROOT / "seeds" / "kyiv-strikes.txt"

# (full name, surname) in the seed -> replacements drawn per article.
_SEED_PEOPLE = [
    ("Sergei Lavrov", "Lavrov"),
    ("Dmytro Kuleba", "Kuleba"),
    ("Volodymyr Zelensky", "Zelensky"),
    ("Olaf Scholz", "Scholz"),
    ("Vladimir) Putin", "Putin"),
    ("Jens Stoltenberg", "Stoltenberg"),
    ("Andrzej Duda", "Duda"),
]
_PEOPLE = [
    ("Maria Lopez", "Lopez"),
    ("Tom Becker", "Becker"),
    ("Aiko Tanaka", "Tanaka"),
    ("Samuel Osei", "Osei"),
    ("Lena Park", "Park"),
    ("Ivan Petrov", "Petrov"),
    ("Claire Dubois", "Dubois"),
    ("Ahmed Karim", "Karim"),
    ("Sofia Rossi", "Rossi"),
    ("Jan Novak", "Novak"),
    ("Emma Larsen", "Larsen"),
    ("Kwame Mensah", "Mensah"),
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_PLACES = ["Kyiv", "Kharkiv", "Lviv", "Odesa", "Dnipro", "Warsaw", "Vilnius", "Riga"]

#: Articles per round by default: a pass of ~4 s through Kafka. Short rounds keep both sides of a
#: ratio seconds apart, as the model's speed on this shared machine swings by 50% within seconds
#: (nlp.pipe of the same 16 articles: 67 to 115 ms each, 1 s apart); but every pass through Kafka
#: also pays once for filling and draining the pipeline (the first fetch, a lone first article the
#: model runs at ~1.2x the batched cost, the last produce and fetch: ~45 ms), which a worker on a
#: steady backlog pays once in all. At 25 articles that was ~2% of each pass, a cost of the
#: bench's cutting, not of the service; at 50, ~1%.
ROUND_ARTICLES = 50

GOALS = {
    "one_vs_full": 1.0,
    "one_vs_kept": 0.90,
    "scaling_per_worker": 0.90,
    "latency_p50_vs_single": 1.2,
    "latency_p99_vs_single": 2.0,
    "rss_mb": 600.0,
}


# --- articles ---------------------------------------------------------------------------------


def make_articles(n: int, prefix: str = "bench", seed: int = 20220301) -> list[dict]:
    """``n`` distinct articles from the seed: same language and density, different text."""
    lines = [ln for ln in SEED.read_text(encoding="utf-8").splitlines() if ln.strip()]
    headline, paras = lines[0], lines[1:]
    rng = random.Random(seed)
    out = []
    for i in range(n):
        ps = paras[:]
        rng.shuffle(ps)
        body = "\n".join([headline, *ps[: rng.randint(max(3, len(ps) // 2), len(ps))]])
        for (full, last), (new_full, new_last) in zip(
            _SEED_PEOPLE, rng.sample(_PEOPLE, len(_SEED_PEOPLE)), strict=True
        ):
            body = body.replace(full, new_full.replace(" ", ") ") if ")" in full else new_full)
            body = body.replace(last, new_last)
        day = rng.choice(_DAYS)
        body = re.sub(r"\bTuesday\b", day, body)
        body = re.sub(r"\bKyiv\b", rng.choice(_PLACES), body)
        body = re.sub(r"\b35\b", str(rng.randint(12, 60)), body)
        out.append(
            {
                "id": f"{prefix}-{i:05d}",
                "headline": body.split("\n", 1)[0][:120],
                "body": body,
                "source": "bench",
                "language": "en",
            }
        )
    return out


def spread_over_partitions(
    articles: list[dict], partitions: int, chunk: int | None = None
) -> list[dict]:
    """The same articles, in the same order, with ids that Kafka's default partitioner sends to
    partitions evenly loaded within every ``chunk`` of consecutive articles (a round's burst): the
    same characters per partition, within about one article's worth.

    A burst of N random keys splits unevenly (the bench's 300 ids: 161 against 139 for two
    workers), and the busier worker alone finishes the burst: the scaling figure would measure
    the dice. Even counts are not enough either: the bench articles run from 1,200 to 2,700
    characters, and 25 of them dealt round robin gave one of two workers 2.8% more text than the
    other on average over a run's rounds. A live stream evens out in both over time; the bench's
    bursts are dealt evenly instead: longest first, each to the partition with the fewest
    characters so far, then swaps between the fullest and the emptiest partition while one
    narrows the gap (a whole article is ~5% of a partition's share, too coarse on its own). Every
    partition, and so every worker whatever partitions it holds, gets a like share; a partition of
    many short articles pays a little more per-article overhead, small beside the model's cost
    per word. A numbered suffix on the id is tried until one lands on its partition.
    """
    from aiokafka.partitioner import murmur2

    size = chunk or len(articles) or 1
    target = [0] * len(articles)
    for start in range(0, len(articles), size):
        longest_first = sorted(
            range(start, min(start + size, len(articles))),
            key=lambda i: -len(articles[i]["body"]),
        )
        load = [0] * partitions
        for i in longest_first:
            part = min(range(partitions), key=load.__getitem__)
            target[i] = part
            load[part] += len(articles[i]["body"])
        _even_out(articles, longest_first, target, load)
    out = []
    for a, part in zip(articles, target, strict=True):
        for salt in range(10_000):
            key = f"{a['id']}-{salt}"
            if (murmur2(key.encode("utf-8")) & 0x7FFFFFFF) % partitions == part:
                break
        out.append({**a, "id": key})
    return out


def _even_out(articles: list[dict], idx: list[int], target: list[int], load: list[int]) -> None:
    """Swap articles between the fullest and the emptiest partition while that narrows the gap."""
    size = {i: len(articles[i]["body"]) for i in idx}
    for _ in range(10 * len(idx)):
        hi = max(range(len(load)), key=load.__getitem__)
        lo = min(range(len(load)), key=load.__getitem__)
        gap = load[hi] - load[lo]
        best, pair = gap, None
        for a in (i for i in idx if target[i] == hi):
            for b in (i for i in idx if target[i] == lo):
                d = size[a] - size[b]
                if 0 < d < gap and abs(gap - 2 * d) < best:
                    best, pair = abs(gap - 2 * d), (a, b, d)
        if pair is None:
            return
        a, b, d = pair
        target[a], target[b] = lo, hi
        load[hi] -= d
        load[lo] += d


# --- measurements in this process ---------------------------------------------------------------


def _rate(n: int, seconds: float) -> float:
    return n / seconds if seconds > 0 else float("inf")


def _pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(q / 100 * len(s) + 0.5)) - 1))]


class RawPipelines:
    """The model's pipelines in this process, timed pass by pass: the full default pipeline
    (``spacy.load``, what a naive user runs, on thinc's default BLAS), the product's (the limit),
    optionally the product's with the stock attribute_ruler + lemmatizer or on thinc's BLIS, and
    the library (model + attribution)."""

    def __init__(
        self, settings: Settings, stock_attrs_too: bool = False, stock_blas_too: bool = False
    ) -> None:
        import spacy

        from wirewatch.nlp.model import default_model_name, load_model
        from wirewatch.nlp.pipeline import Enricher

        self.name = settings.spacy_model or default_model_name()
        self.batch_size = settings.batch_size
        self.enricher = Enricher(self.name)  # the product's pipeline
        pipes = {"full": spacy.load(self.name), "kept": self.enricher.nlp}
        if stock_attrs_too:
            pipes["kept_stock_attrs"] = load_model(self.name, stock_attrs=True)
        if stock_blas_too:
            pipes["kept_stock_blas"] = load_model(self.name, stock_blas=True)
        self.full_components = list(pipes["full"].pipe_names)
        bs = self.batch_size

        def piped(nlp: Any) -> Callable[[list[dict]], Any]:
            return lambda batch: [None for _ in nlp.pipe([a["body"] for a in batch], batch_size=bs)]

        self.runs: dict[str, Callable[[list[dict]], Any]] = {
            label: piped(nlp) for label, nlp in pipes.items()
        }
        self.runs["library"] = self.enricher.enrich_batch
        self.labels = list(self.runs)
        for run_batch in self.runs.values():
            run_batch(make_articles(4, prefix="warm", seed=5))
        # As the enricher worker does (freeze_loaded_heap): otherwise the in-process rows pay
        # full collections over the loaded models that the worker does not, and the ratios would
        # flatter the worker.
        gc.collect()
        gc.freeze()

    def one_pass(self, articles: list[dict], rotate: int = 0) -> dict[str, tuple[float, float]]:
        """label -> (wall s, CPU s) over ``articles``. Batch by batch, every pipeline in turn (the
        order rotates), so a burst of load on the shared machine hits all pipelines alike."""
        wall = dict.fromkeys(self.labels, 0.0)
        cpu = dict.fromkeys(self.labels, 0.0)
        bs, labels = self.batch_size, self.labels
        for b, i in enumerate(range(0, len(articles), bs)):
            batch = articles[i : i + bs]
            k = (b + rotate) % len(labels)
            for label in labels[k:] + labels[:k]:
                t, c = time.perf_counter(), time.thread_time()
                self.runs[label](batch)
                wall[label] += time.perf_counter() - t
                cpu[label] += time.thread_time() - c
        return {label: (wall[label], cpu[label]) for label in labels}

    def singles(self, single: list[dict]) -> dict:
        """One article at a time: ``nlp()`` (the latency floor) and the library's ``enrich``."""
        times, lib_times = [], []
        for a in single:
            t = time.perf_counter()
            self.enricher.nlp(a["body"])
            times.append(time.perf_counter() - t)
            t = time.perf_counter()
            self.enricher.enrich(a)
            lib_times.append(time.perf_counter() - t)
        return {
            "single_ms_p50": round(1000 * statistics.median(times), 2),
            "single_ms_p99": round(1000 * _pct(times, 99), 2),
            "library_single_ms_p50": round(1000 * statistics.median(lib_times), 2),
        }

    def describe(self) -> dict:
        from wirewatch.nlp.fastattrs import NAME as FASTATTRS
        from wirewatch.nlp.fastattrs import STOCK as STOCK_ATTRS
        from wirewatch.nlp.model import stock_blas_from_env

        kept = list(self.enricher.nlp.pipe_names)
        full = self.full_components
        replaced = [c for c in STOCK_ATTRS if FASTATTRS in kept and c not in kept]
        return {
            "model": self.name,
            "full_components": full,
            "kept_components": kept,
            # the product multiplies on numpy's OpenBLAS, one thread (wirewatch.nlp.model)
            "kept_blas": "thinc-blis" if stock_blas_from_env() else "openblas-1-thread",
            # Stock components swapped for an exact, cheaper equivalent of ours (same annotations).
            "replaced": {c: FASTATTRS for c in replaced},
            # Stock components the product pipeline does without.
            "disabled": [c for c in full if c not in kept and c not in replaced],
        }


def summarize_passes(passes: list[dict[str, tuple[float, float]]], n: int) -> dict:
    """Each pipeline's articles/s of its median pass (a run that happened, like a single pass
    through Kafka; the best round of each batch, summed, is one that never did: on this shared
    machine ~20% below the median pass, CPU time, 200 bench articles) and CPU ms per article."""
    labels = list(passes[0])
    out: dict[str, Any] = {"raw_rounds": len(passes)}
    for label in labels:
        out[f"{label}_aps"] = round(_rate(n, statistics.median(p[label][0] for p in passes)), 3)
    out["cpu_ms_per_article"] = {
        label: round(1000 * statistics.median(p[label][1] for p in passes) / n, 2)
        for label in labels
    }
    return out


def measure_raw(
    settings: Settings,
    articles: list[dict],
    single: list[dict],
    rounds: int = 3,
    stock_attrs_too: bool = False,
    stock_blas_too: bool = False,
) -> dict:
    """nlp.pipe of the full default pipeline and of the product's, the library, nlp() one by one:
    ``rounds`` interleaved passes (:meth:`RawPipelines.one_pass`), each figure its median pass.
    ``stock_attrs_too`` adds the product's pipeline with the stock attribute_ruler + lemmatizer,
    ``stock_blas_too`` the product's pipeline multiplying on thinc's BLIS.
    """
    runner = RawPipelines(settings, stock_attrs_too, stock_blas_too)
    passes = [runner.one_pass(articles, r) for r in range(max(1, rounds))]
    result = {**runner.describe(), **summarize_passes(passes, len(articles))}
    result.update(runner.singles(single))
    del runner
    gc.unfreeze()  # the pipelines can go now
    gc.collect()
    return result


# --- worker processes ---------------------------------------------------------------------------


def _vmhwm_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _cpu_s(pid: int, tid: int | None = None) -> float:
    """CPU seconds (user + system) a process (or one of its threads) has used so far."""
    path = f"/proc/{pid}/stat" if tid is None else f"/proc/{pid}/task/{tid}/stat"
    try:
        fields = Path(path).read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _thread_cpu_s(pid: int) -> dict[int, float]:
    """CPU seconds each thread of a process has used so far, by thread id."""
    out = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        out[int(tid)] = _cpu_s(pid, int(tid))
    return out


def busiest_split(before: dict[int, float], after: dict[int, float]) -> tuple[float, float]:
    """(CPU s of the busiest thread, CPU s of all the others) between two snapshots.

    In an enricher worker on a backlog the busiest thread is the model's (spaCy and attribution);
    the rest is the event loop and Faust's consumer thread: Kafka, decoding, encoding, acks.
    """
    used = [after[t] - before.get(t, 0.0) for t in after]
    if not used:
        return 0.0, 0.0
    top = max(used)
    return top, sum(used) - top


def child_pids(pid: int) -> list[int]:
    """Pids of ``pid``'s direct children (from /proc), sorted."""
    kids = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                kids.append(int(d.name))
    return sorted(kids)


class System:
    """Worker processes on a private topic prefix, plus a tap on the enriched topic that records
    when each article id first came out."""

    def __init__(
        self, base: Settings, name: str, argv: list[str], workers: int, group_role: str, tmp: Path
    ) -> None:
        self.prefix = f"wwbench{uuid.uuid4().hex[:6]}{name}"
        self.settings = replace(base, topic_prefix=self.prefix)
        self.name, self.argv, self.workers, self.group = (
            name,
            argv,
            workers,
            f"{self.prefix}-{group_role}",
        )
        self.log = tmp / f"{name}.log"
        self.env = {
            **os.environ,
            "WIREWATCH_KAFKA_BOOTSTRAP": base.bootstrap,
            "WIREWATCH_TOPIC_PREFIX": self.prefix,
            "WIREWATCH_STATE_DIR": str(tmp / f"state-{name}"),
            "WIREWATCH_PARTITIONS": str(base.partitions),
            "WIREWATCH_WORKERS": "1",
        }
        self.proc: subprocess.Popen | None = None
        self.cpu_ms = 0.0
        #: of cpu_ms: the model thread's (busiest thread's) milliseconds per article, summed over
        #: the workers, and the other threads'
        self.model_ms = 0.0
        self.other_ms = 0.0
        #: CPU seconds the broker and this bench process used during the last throughput pass
        self.beside_s = 0.0
        #: the broker's share of it (0 with a broker this bench cannot see: not local)
        self.broker_s = 0.0
        self.broker_pid: int | None = None
        self.seen: dict[str, float] = {}
        self._consumer: Any = None
        self._producer: Any = None
        self._task: asyncio.Task | None = None

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def check_alive(self) -> None:
        if self.proc is not None and self.proc.poll() is not None:
            raise RuntimeError(
                f"{self.name} worker exited with {self.proc.returncode}:\n{self.tail()}"
            )

    async def start(self, timeout: float) -> None:
        from wirewatch.stream.client import open_consumer, producer
        from wirewatch.stream.topics import ensure_topics

        await ensure_topics(self.settings)
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", *self.argv],
                env=self.env,
                cwd=PROJECT_ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self._consumer = await open_consumer(
            self.settings, self.settings.topic("articles.enriched"), True
        )
        self._task = asyncio.create_task(self._tap())
        # Started once: a producer's start-up (connection, metadata) is not the service's time.
        self._producer = producer(self.settings)
        await self._producer.start()
        await self._wait_members(timeout)

    async def send(self, articles: list[dict]) -> None:
        """Publish ``articles`` to the system's raw topic; returns when the broker has them."""
        from wirewatch.records import dumps, raw_headers

        topic = self.settings.topic("articles.raw")
        futures = [
            await self._producer.send(
                topic, key=a["id"].encode("utf-8"), value=dumps(a), headers=raw_headers(a)
            )
            for a in articles
        ]
        await asyncio.gather(*futures)

    async def _tap(self) -> None:
        while True:
            batch = await self._consumer.getmany(timeout_ms=100, max_records=500)
            now = time.perf_counter()
            for records in batch.values():
                for rec in records:
                    self.seen.setdefault((rec.key or b"").decode("utf-8", "replace"), now)

    async def _wait_members(self, timeout: float) -> None:
        """Until the consumer group is stable with one member per worker process."""
        from aiokafka.admin import AIOKafkaAdminClient

        admin = AIOKafkaAdminClient(bootstrap_servers=self.settings.bootstrap)
        await admin.start()
        try:
            deadline = time.monotonic() + timeout
            while True:
                self.check_alive()
                if await group_is_stable(admin, self.group, self.workers):
                    return
                if time.monotonic() > deadline:
                    raise TimeoutError(
                        f"{self.name}: {self.workers} worker(s) did not join group "
                        f"{self.group} within {timeout:.0f}s:\n{self.tail()}"
                    )
                await asyncio.sleep(0.5)
        finally:
            await admin.close()

    async def wait_for(self, ids: list[str], timeout: float) -> float:
        """Seconds (perf_counter) when the last of ``ids`` came out."""
        deadline = time.monotonic() + timeout
        while not all(i in self.seen for i in ids):
            self.check_alive()
            if time.monotonic() > deadline:
                missing = sum(i not in self.seen for i in ids)
                raise TimeoutError(
                    f"{self.name}: {missing} of {len(ids)} articles not enriched within "
                    f"{timeout:.0f}s; {await self.offsets()}:\n{self.tail()}"
                )
            await asyncio.sleep(0.05)
        return max(self.seen[i] for i in ids)

    async def offsets(self) -> str:
        """The group's committed offset and the end of each raw partition: where a stall sits."""
        from aiokafka.admin import AIOKafkaAdminClient

        from wirewatch.stream.client import open_consumer

        admin = AIOKafkaAdminClient(bootstrap_servers=self.settings.bootstrap)
        try:
            await admin.start()
            committed = await admin.list_consumer_group_offsets(self.group)
            peek = await open_consumer(self.settings, self.settings.topic("articles.raw"), True)
            try:
                tps = sorted(peek.assignment(), key=lambda tp: tp.partition)
                ends = await peek.end_offsets(tps)
            finally:
                await peek.stop()
        except Exception as exc:  # noqa: BLE001 - a diagnosis must not hide the failure
            return f"offsets unavailable ({exc!r})"
        finally:
            await admin.close()
        parts = []
        for tp in tps:
            c = committed.get(tp)
            parts.append(f"p{tp.partition} {c.offset if c else '-'}/{ends[tp]}")
        return "raw partitions committed/end: " + ", ".join(parts)

    def worker_pids(self) -> list[int]:
        if self.proc is None:
            return []
        return child_pids(self.proc.pid) if self.workers > 1 else [self.proc.pid]

    def cpu_s(self) -> float:
        return sum(_cpu_s(pid) for pid in self.worker_pids())

    def thread_cpu_s(self) -> dict[int, dict[int, float]]:
        """Per worker process, CPU seconds per thread."""
        return {pid: _thread_cpu_s(pid) for pid in self.worker_pids()}

    def rss_mb(self) -> list[float]:
        """Peak RSS of each worker process (the children when this is a supervisor)."""
        return [round(m, 1) for m in map(_vmhwm_mb, self.worker_pids()) if m is not None]

    async def stop(self) -> None:
        """Stop the tap and the workers, delete the private topics. Safe to call twice."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        if self._consumer is not None:
            await self._consumer.stop()
            self._consumer = None
        if self._producer is not None:
            await self._producer.stop()
            self._producer = None
        proc, self.proc = self.proc, None
        if proc is None:
            return
        kids = child_pids(proc.pid)
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.to_thread(proc.wait, 40)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        for pid in kids:  # the supervisor stops its children; make sure nothing is left behind
            with contextlib.suppress(OSError):
                if b"wirewatch" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    os.kill(pid, signal.SIGKILL)
        await _delete_topics(self.settings)


async def group_is_stable(admin: Any, group: str, members: int) -> bool:
    """Whether consumer ``group`` is Stable with ``members`` members; False while the broker
    cannot say yet. A freshly formatted broker creates ``__consumer_offsets`` on the first
    coordinator lookup and answers GroupCoordinatorNotAvailable until it is ready (the workers'
    own consumers retry the same way), so a retriable error means "not yet", not a failure."""
    from aiokafka.errors import KafkaError

    try:
        responses = await admin.describe_consumer_groups([group])
    except KafkaError as exc:
        if getattr(exc, "retriable", False):
            return False
        raise
    # each group: (error_code, group_id, state, protocol_type, protocol, members, ...)
    return any(g[2] == "Stable" and len(g[5]) == members for resp in responses for g in resp.groups)


async def _delete_topics(settings: Settings) -> None:
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(bootstrap_servers=settings.bootstrap)
    try:
        await admin.start()
        await admin.delete_topics(list(settings.topics.values()))
    except Exception:  # noqa: BLE001 - cleanup of a private prefix is best effort
        pass
    finally:
        await admin.close()


async def throughput(system: System, articles: list[dict], timeout: float) -> float:
    """Articles/s from the first send to the last enriched event; also records the workers' CPU
    milliseconds per article in ``system.cpu_ms`` (robust where wall time is not: shared cores)."""

    def broker() -> float:
        return _cpu_s(system.broker_pid) if system.broker_pid else 0.0

    threads0 = system.thread_cpu_s()
    t0, c0, b0, p0 = time.perf_counter(), system.cpu_s(), broker(), time.process_time()
    await system.send(articles)
    t1 = await system.wait_for([a["id"] for a in articles], timeout)
    system.cpu_ms = max(0.01, round(1000 * (system.cpu_s() - c0) / len(articles), 2))
    splits = [
        busiest_split(threads0.get(pid, {}), now) for pid, now in system.thread_cpu_s().items()
    ]
    system.model_ms = round(1000 * sum(m for m, _ in splits) / len(articles), 2)
    system.other_ms = round(1000 * sum(o for _, o in splits) / len(articles), 2)
    system.broker_s = broker() - b0
    system.beside_s = system.broker_s + time.process_time() - p0
    return _rate(len(articles), t1 - t0)


async def latency(
    system: System,
    articles: list[dict],
    interval: float,
    timeout: float,
    reference: Callable[[str], Any],
) -> tuple[list[float], list[float]]:
    """Produce one article every ``interval`` seconds; seconds from send to enriched event, and,
    timed right after each one comes out, ``reference(body)`` on the same article in this process.

    The reference (one ``nlp()`` call) is what each latency is compared with; timing it between
    the samples, not minutes earlier, keeps a burst of load on the shared machine out of the ratio
    (measured: the same article's model CPU was 151 vs 106 ms timed minutes apart, 124 vs 124 ms
    interleaved).
    """
    from wirewatch.records import dumps
    from wirewatch.stream.client import producer

    # No linger: the publisher's own 5 ms of batching would count as the service's latency.
    prod = producer(system.settings, linger_ms=0)
    await prod.start()
    took: list[float] = []
    refs: list[float] = []
    try:
        topic = system.settings.topic("articles.raw")
        nxt = time.perf_counter()
        for a in articles:
            await asyncio.sleep(max(0.0, nxt - time.perf_counter()))
            sent = time.perf_counter()
            await prod.send(topic, key=a["id"].encode(), value=dumps(a))
            await system.wait_for([a["id"]], timeout)
            took.append(system.seen[a["id"]] - sent)
            t = time.perf_counter()
            reference(a["body"])
            refs.append(time.perf_counter() - t)
            nxt = max(nxt + interval, time.perf_counter())
    finally:
        await prod.stop()
    return took, refs


# --- the run ------------------------------------------------------------------------------------


async def _run_systems(
    settings: Settings,
    articles: list[dict],
    lat_articles: list[dict],
    single_s: float,
    tmp: Path,
    runner: RawPipelines,
    rounds: int,
    k: int,
) -> dict:
    """Start every system at once (start-up is most of a small run), then measure in rounds.

    The articles are cut into ``rounds`` chunks; each round takes one chunk through a raw pass of
    every in-process pipeline, then through Kafka with one worker and with K, and every other
    round runs the three in the opposite order (raw, 1, K; K, 1, raw; ...). On this shared
    machine the model's speed drifts by 20% over minutes: short rounds keep both sides of a ratio
    seconds apart, and the mirrored order cancels a steady drift within each pair of rounds.
    Then the naive agent, and the latency probe last, when only the one worker is left.
    """
    from wirewatch.stream.enricher import GIL_SWITCH_INTERVAL

    cli = ["wirewatch.cli", "enricher"]
    n = len(articles)
    phase_timeout = 120 + 20 * n * single_s
    systems = {"one": System(settings, "one", [*cli, "--workers", "1"], 1, "enricher", tmp)}
    if k > 1:
        systems["many"] = System(settings, f"k{k}", [*cli, "--workers", str(k)], k, "enricher", tmp)
    systems["naive"] = System(
        settings, "naive", ["wirewatch.bench.pipeline", "naive"], 1, "naive", tmp
    )
    out: dict[str, Any] = {"rss": []}
    from wirewatch import broker

    pid = broker.local_pid(settings)
    for system in systems.values():
        system.broker_pid = pid

    async def ready(system: System) -> None:
        await system.start(timeout=240)
        warm = make_articles(2 * settings.partitions, prefix=f"warm{system.name}", seed=7)
        await system.send(warm)
        await system.wait_for([a["id"] for a in warm], phase_timeout)

    async def done(system: System) -> None:
        system.check_alive()
        if system.name != "naive":
            out["rss"] += system.rss_mb()
        await system.stop()

    t = time.perf_counter()
    try:
        # One after another: started together, their model loads and first batches kept both
        # cores saturated, the load under which the two-worker group rebalanced right after its
        # warm-up burst and hit the rare stall (README: known issue)
        for system in systems.values():
            await ready(system)
        out["startup_s"] = round(time.perf_counter() - t, 1)
        size = -(-n // rounds)
        chunks = [articles[i : i + size] for i in range(0, n, size)]
        out["rounds"] = []
        for r, chunk in enumerate(chunks):
            rec: dict[str, Any] = {"n": len(chunk), "cpu_ms": {}}
            steps = ["raw", "one", "many"] if k > 1 else ["raw", "one"]
            for step in steps if r % 2 == 0 else steps[::-1]:
                if step == "raw":
                    # In a thread: the taps' consumers keep their heartbeats meanwhile. With the
                    # worker's GIL switch interval, so that their wake-ups cost the raw pass no
                    # more than the worker's own threads cost it: the limit stays a limit.
                    before = sys.getswitchinterval()
                    sys.setswitchinterval(GIL_SWITCH_INTERVAL)
                    try:
                        rec["raw"] = await asyncio.to_thread(runner.one_pass, chunk, r)
                    finally:
                        sys.setswitchinterval(before)
                else:
                    aps = await throughput(systems[step], chunk, phase_timeout)
                    rec[f"{step}_s"] = len(chunk) / aps
                    rec[f"{step}_beside_s"] = systems[step].beside_s
                    if systems[step].broker_pid:
                        rec[f"{step}_broker_s"] = systems[step].broker_s
                    key = "one_worker" if step == "one" else "k_workers"
                    rec["cpu_ms"][key] = systems[step].cpu_ms
                    rec["cpu_ms"][f"{key}_model_thread"] = systems[step].model_ms
                    rec["cpu_ms"][f"{key}_other_threads"] = systems[step].other_ms
            out["rounds"].append(rec)
        if k > 1:
            await done(systems["many"])
        naive_texts = articles[: max(1, min(n, 2 * size))]
        out["naive_aps"] = await throughput(systems["naive"], naive_texts, phase_timeout)
        out["naive_cpu_ms"] = systems["naive"].cpu_ms
        await done(systems["naive"])
        out["interval"] = max(0.25, 3 * single_s)
        one = systems["one"]
        out["lat"], out["lat_ref"] = await latency(
            one, lat_articles, out["interval"], phase_timeout, runner.enricher.nlp
        )
        await done(one)
    finally:
        await asyncio.gather(*(s.stop() for s in systems.values()), return_exceptions=True)
    return out


def pair_values(
    rounds: list[dict], num: Callable[[dict], float], den: Callable[[dict], float]
) -> list[float]:
    """sum(num) / sum(den) of each pair of rounds (1-2, 3-4, ...; an odd last round alone): each
    pair ran in mirrored order, so a steady drift cancels within it."""
    pairs = [rounds[i : i + 2] for i in range(0, len(rounds), 2)]
    return [sum(map(num, p)) / sum(map(den, p)) for p in pairs]


def pair_ratios(
    rounds: list[dict], num: Callable[[dict], float], den: Callable[[dict], float]
) -> float:
    """Median of :func:`pair_values`: the run's ratio."""
    return statistics.median(pair_values(rounds, num, den))


def _r(x: float, nd: int = 3) -> float:
    return round(x, nd)


def run(args: Any, settings: Settings) -> int:
    from wirewatch import broker
    from wirewatch.records import dumps

    t0 = time.perf_counter()
    n, k = int(args.articles), int(args.workers)
    if n < 1 or k < 1:
        print("wirewatch: error: --articles and --workers must be at least 1", file=sys.stderr)
        return 2
    if getattr(args, "raw_only", False):
        return _run_raw_only(args, settings, n)
    # A new topic's leaders settle a moment after creation; the client logs and retries, which is noise here.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    started_broker = False
    if not broker.is_reachable(settings.bootstrap, timeout=5.0):
        if settings.external_broker:
            print(f"wirewatch: error: no broker answers at {settings.bootstrap}", file=sys.stderr)
            return 1
        settings = replace(settings, bootstrap=broker.start(settings))
        started_broker = True
    try:
        rounds = max(1, min(n, int(getattr(args, "rounds", None) or -(-n // ROUND_ARTICLES))))
        # dealt per round: _run_systems cuts the same chunks
        articles = spread_over_partitions(make_articles(n), settings.partitions, -(-n // rounds))
        # 100 samples: the nearest-rank p99 is then the second slowest, not the slowest alone
        lat_articles = make_articles(min(n, 100), prefix="lat", seed=11)
        _progress("loading the pipelines; nlp() one article at a time")
        runner = RawPipelines(settings)
        raw = {**runner.describe(), **runner.singles(lat_articles[:60])}
        with tempfile.TemporaryDirectory(prefix="wwbench") as tmp:
            _progress(f"{rounds} rounds of raw nlp.pipe, 1 worker, {k} workers; naive; latency")
            e2e = asyncio.run(
                _run_systems(
                    settings,
                    articles,
                    lat_articles,
                    raw["single_ms_p50"] / 1000,
                    Path(tmp),
                    runner,
                    rounds,
                    k,
                )
            )
    except (RuntimeError, TimeoutError, OSError) as exc:
        print(f"wirewatch: bench pipeline failed: {exc}", file=sys.stderr)
        return 1
    finally:
        if started_broker:
            broker.stop(settings)

    lat_ms = [1000 * s for s in e2e["lat"]]
    single = round(1000 * statistics.median(e2e["lat_ref"]), 2)
    rounds_out = e2e["rounds"]
    labels = list(rounds_out[0]["raw"])
    raw["rounds"] = len(rounds_out)
    for label in labels:
        raw[f"{label}_aps"] = _r(_rate(n, sum(r["raw"][label][0] for r in rounds_out)))
    raw["cpu_ms_per_article"] = {
        label: _r(1000 * sum(r["raw"][label][1] for r in rounds_out) / n, 2) for label in labels
    }

    def wall(label: str) -> Callable[[dict], float]:
        return lambda r: r["raw"][label][0]

    def cpu_s(label: str) -> Callable[[dict], float]:
        return lambda r: r["raw"][label][1]

    def e2e_s(key: str) -> Callable[[dict], float]:
        return lambda r: r[key]

    def e2e_cpu_s(key: str) -> Callable[[dict], float]:
        return lambda r: r["cpu_ms"][key] * r["n"] / 1000

    cpu_keys = list(rounds_out[0]["cpu_ms"])
    e2e_cpu = {key: _r(1000 * sum(map(e2e_cpu_s(key), rounds_out)) / n, 2) for key in cpu_keys}
    e2e_cpu["naive"] = e2e["naive_cpu_ms"]
    one_s = sum(r["one_s"] for r in rounds_out)
    k_s = sum(r.get("many_s", r["one_s"]) for r in rounds_out)
    result = {
        "bench": "pipeline",
        "articles": n,
        "workers": k,
        "cores": os.cpu_count(),
        "partitions": settings.partitions,
        "batch_size": settings.batch_size,
        "rounds": len(rounds_out),
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "mean_body_chars": round(statistics.mean(len(a["body"]) for a in articles)),
        "raw": raw,
        "e2e_cpu_ms_per_article": e2e_cpu,
        "e2e_aps": {
            "one_worker": _r(_rate(n, one_s)),
            "k_workers": _r(_rate(n, k_s)),
            "naive": _r(e2e["naive_aps"]),
        },
        "latency_ms": {
            "p50": _r(_pct(lat_ms, 50), 1),
            "p95": _r(_pct(lat_ms, 95), 1),
            "p99": _r(_pct(lat_ms, 99), 1),
            "samples": len(lat_ms),
            "interval_ms": _r(1000 * e2e["interval"], 1),
            # nlp() of the same articles in the bench process, each timed right after its sample
            "single_ms_p50": single,
        },
        # Cores the broker and this bench process kept busy while the workers ran (on K cores,
        # what is left for K workers is K minus this).
        "beside_cores": {
            step: _r(sum(r[f"{key}_beside_s"] for r in rounds_out) / s)
            for step, key, s in (("one_worker", "one", one_s), ("k_workers", "many", k_s))
            if f"{key}_beside_s" in rounds_out[0]
        },
        # The broker's share of that: only when it is this project's local broker (its pid known).
        "broker_cores": {
            step: _r(sum(r[f"{key}_broker_s"] for r in rounds_out) / s)
            for step, key, s in (("one_worker", "one", one_s), ("k_workers", "many", k_s))
            if f"{key}_broker_s" in rounds_out[0]
        },
        "rss_mb": {"per_worker": e2e["rss"], "max": max(e2e["rss"], default=0.0)},
        # Seconds per round, each pipeline and system: where a ratio's spread comes from. Kept to
        # 10 us, not 1 ms: `bench pool` re-derives the pairs' ratios from these, and a short round
        # (two articles, ~0.1 s, in the CI smoke run) rounded to 1 ms moves its ratio by ~0.002.
        "per_round_s": [
            {
                "n": r["n"],
                **{label: _r(r["raw"][label][0], 5) for label in labels},
                **{key: _r(r[key], 5) for key in ("one_s", "many_s") if key in r},
            }
            for r in rounds_out
        ],
        "wall_s": {
            "startup": e2e["startup_s"],
            "total": round(time.perf_counter() - t0, 1),
        },
    }
    k_key = "many_s" if k > 1 else "one_s"
    k_cpu = "k_workers" if k > 1 else "one_worker"
    # Throughput ratios are ratios of seconds on the same chunks, per pair of mirrored rounds.
    ratios = {
        "one_vs_full": _r(pair_ratios(rounds_out, wall("full"), e2e_s("one_s"))),
        "one_vs_kept": _r(pair_ratios(rounds_out, wall("kept"), e2e_s("one_s"))),
        "library_vs_kept": _r(pair_ratios(rounds_out, wall("kept"), wall("library"))),
        "kept_vs_full": _r(pair_ratios(rounds_out, wall("full"), wall("kept"))),
        "scaling": _r(pair_ratios(rounds_out, e2e_s("one_s"), e2e_s(k_key))),
        "latency_p50_vs_single": _r(result["latency_ms"]["p50"] / single),
        "latency_p99_vs_single": _r(result["latency_ms"]["p99"] / single),
        "one_vs_naive": _r(result["e2e_aps"]["one_worker"] / e2e["naive_aps"]),
        # CPU per article, raw over worker: what the wall-clock ratios converge to on idle cores.
        "cpu_one_vs_full": _r(pair_ratios(rounds_out, cpu_s("full"), e2e_cpu_s("one_worker"))),
        "cpu_one_vs_kept": _r(pair_ratios(rounds_out, cpu_s("kept"), e2e_cpu_s("one_worker"))),
        "cpu_library_vs_kept": _r(pair_ratios(rounds_out, cpu_s("kept"), cpu_s("library"))),
        "cpu_k_vs_one": _r(pair_ratios(rounds_out, e2e_cpu_s("one_worker"), e2e_cpu_s(k_cpu))),
    }
    ratios["scaling_per_worker"] = _r(ratios["scaling"] / k)
    result["ratios"] = ratios
    # Each pair's ratio, in round order: how far one run's median can be from the truth (the
    # pairs of one run have ranged over 0.6-1.1 for a median of 0.85). `wirewatch bench pool`
    # pools them over runs.
    result["pairs"] = {
        "one_vs_full": [_r(x) for x in pair_values(rounds_out, wall("full"), e2e_s("one_s"))],
        "one_vs_kept": [_r(x) for x in pair_values(rounds_out, wall("kept"), e2e_s("one_s"))],
        "scaling": [_r(x) for x in pair_values(rounds_out, e2e_s("one_s"), e2e_s(k_key))],
    }
    result["goals_met"] = {
        "one_vs_full": ratios["one_vs_full"] >= GOALS["one_vs_full"],
        "one_vs_kept": ratios["one_vs_kept"] >= GOALS["one_vs_kept"],
        "scaling": k == 1 or ratios["scaling_per_worker"] >= GOALS["scaling_per_worker"],
        "latency_p50": ratios["latency_p50_vs_single"] <= GOALS["latency_p50_vs_single"],
        "latency_p99": ratios["latency_p99_vs_single"] <= GOALS["latency_p99_vs_single"],
        "rss": result["rss_mb"]["max"] <= GOALS["rss_mb"],
    }
    sys.stdout.buffer.write(dumps(result) + b"\n")
    sys.stdout.write(_table(result))
    sys.stdout.flush()
    return 0


def _run_raw_only(args: Any, settings: Settings, n: int) -> int:
    """``--raw-only``: the in-process measurements, no broker; also the product's pipeline with
    the stock attribute_ruler + lemmatizer, to show what ``wirewatch_fastattrs`` saves."""
    from wirewatch.records import dumps

    t0 = time.perf_counter()
    articles = make_articles(n)
    _progress(f"raw nlp.pipe on {n} articles")
    raw = measure_raw(
        settings,
        articles,
        make_articles(min(n, 60), prefix="lat", seed=11),
        int(getattr(args, "rounds", None) or 3),
        stock_attrs_too=True,
        stock_blas_too=True,
    )
    result = {
        "bench": "pipeline-raw",
        "articles": n,
        "cores": os.cpu_count(),
        "batch_size": settings.batch_size,
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "mean_body_chars": round(statistics.mean(len(a["body"]) for a in articles)),
        "raw": raw,
        "ratios": {
            "kept_vs_full": _r(raw["kept_aps"] / raw["full_aps"]),
            "kept_stock_attrs_vs_full": _r(raw["kept_stock_attrs_aps"] / raw["full_aps"]),
            "kept_vs_kept_stock_attrs": _r(raw["kept_aps"] / raw["kept_stock_attrs_aps"]),
            "kept_vs_kept_stock_blas": _r(raw["kept_aps"] / raw["kept_stock_blas_aps"]),
            "cpu_kept_vs_kept_stock_blas": _r(
                raw["cpu_ms_per_article"]["kept_stock_blas"] / raw["cpu_ms_per_article"]["kept"]
            ),
            "library_vs_kept": _r(raw["library_aps"] / raw["kept_aps"]),
            "cpu_kept_vs_full": _r(
                raw["cpu_ms_per_article"]["full"] / raw["cpu_ms_per_article"]["kept"]
            ),
        },
        "wall_s": {"total": round(time.perf_counter() - t0, 1)},
    }
    sys.stdout.buffer.write(dumps(result) + b"\n")
    cpu = raw["cpu_ms_per_article"]
    rows = [
        ("raw nlp.pipe, stock default pipeline", raw["full_aps"], cpu["full"]),
        ("raw nlp.pipe, product pipeline (limit)", raw["kept_aps"], cpu["kept"]),
        (
            "raw nlp.pipe, product with stock attrs",
            raw["kept_stock_attrs_aps"],
            cpu["kept_stock_attrs"],
        ),
        (
            "raw nlp.pipe, product on thinc's BLIS",
            raw["kept_stock_blas_aps"],
            cpu["kept_stock_blas"],
        ),
        ("library: nlp.pipe + attribution", raw["library_aps"], cpu["library"]),
    ]
    full = raw["full_aps"]
    lines = [f"{'':42s} {'articles/s':>10s} {'x full':>8s} {'CPU ms/article':>15s}"]
    lines += [f"{name:42s} {aps:10.2f} {aps / full:8.2f} {c:15.1f}" for name, aps, c in rows]
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()
    return 0


def _progress(msg: str) -> None:
    if sys.stderr.isatty():
        print(f"wirewatch: bench: {msg} ...", file=sys.stderr)


def _table(r: dict) -> str:
    raw, e2e, rt, lat = r["raw"], r["e2e_aps"], r["ratios"], r["latency_ms"]
    kept = raw["kept_aps"]
    cpu, ecpu = raw["cpu_ms_per_article"], r["e2e_cpu_ms_per_article"]
    rows = [
        ("raw nlp.pipe, stock default pipeline", raw["full_aps"], cpu["full"]),
        ("raw nlp.pipe, product pipeline (limit)", kept, cpu["kept"]),
        ("library: nlp.pipe + attribution", raw["library_aps"], cpu["library"]),
        ("enricher through Kafka, 1 worker", e2e["one_worker"], ecpu["one_worker"]),
    ]
    if r["workers"] > 1:
        rows.append(
            (
                f"enricher through Kafka, {r['workers']} workers",
                e2e["k_workers"],
                ecpu.get("k_workers", 0.0),
            )
        )
    rows.append(("naive agent (nlp() per message)", e2e["naive"], ecpu["naive"]))
    lines = [f"{'':42s} {'articles/s':>10s} {'x limit':>8s} {'CPU ms/article':>15s}"]
    lines += [f"{name:42s} {aps:10.2f} {aps / kept:8.2f} {c:15.1f}" for name, aps, c in rows]
    pairs = r.get("pairs", {})

    def spread(key: str) -> str:
        v = pairs.get(key)
        return f" (pairs {min(v):.2f}-{max(v):.2f})" if v else ""

    lines.append(
        f"1 worker vs full pipeline {rt['one_vs_full']:.2f}x{spread('one_vs_full')}, "
        f"vs limit {rt['one_vs_kept']:.2f}x{spread('one_vs_kept')}; "
        f"{r['workers']} workers {rt['scaling']:.2f}x one worker{spread('scaling')}"
    )
    lines.append(
        f"latency ms p50 {lat['p50']:.0f} / p95 {lat['p95']:.0f} / p99 {lat['p99']:.0f} "
        f"(single article nlp() {lat['single_ms_p50']:.0f} ms: p50 {rt['latency_p50_vs_single']:.2f}x, "
        f"p99 {rt['latency_p99_vs_single']:.2f}x)"
    )
    if "one_worker_model_thread" in ecpu:
        lines.append(
            f"1 worker CPU ms/article: model thread {ecpu['one_worker_model_thread']:.1f} "
            f"(in-process: library {cpu['library']:.1f}, limit {cpu['kept']:.1f}), "
            f"other threads {ecpu['one_worker_other_threads']:.1f}"
        )
    beside = r.get("beside_cores", {})
    if "k_workers" in beside:
        lines.append(
            f"cores kept busy by the broker and this bench beside the workers: "
            f"{beside['one_worker']:.2f} with 1, {beside['k_workers']:.2f} of {r['cores']} with "
            f"{r['workers']}"
            + (
                f" (the broker: {r['broker_cores']['one_worker']:.2f}, "
                f"{r['broker_cores']['k_workers']:.2f})"
                if "k_workers" in r.get("broker_cores", {})
                else ""
            )
        )
    lines.append(
        f"peak RSS per worker MB: {', '.join(f'{m:.0f}' for m in r['rss_mb']['per_worker'])}"
    )
    met = ", ".join(f"{g}={'yes' if ok else 'NO'}" for g, ok in r["goals_met"].items())
    lines.append(f"goals met: {met}")
    return "\n".join(lines) + "\n"


# --- the naive agent, run as `python -m wirewatch.bench.pipeline naive` -----------------------------


def build_naive(settings: Settings, enricher: Any) -> Any:
    """What a first attempt looks like: one message at a time, ``nlp()`` on the event loop."""
    from wirewatch.records import BadArticle, decode_article, dumps, statement_events
    from wirewatch.stream.common import make_app, raw_topic

    app = make_app(settings, "naive")
    raw = raw_topic(app, settings.topic("articles.raw"))
    enriched_t = raw_topic(app, settings.topic("articles.enriched"))
    statements_t = raw_topic(app, settings.topic("statements"))

    @app.agent(raw, name="naive")
    async def naive(stream: Any) -> None:
        async for value in stream:
            try:
                article = decode_article(value or b"", settings.max_body_bytes)
            except BadArticle:
                continue
            result = enricher.enrich(article)
            key = article["id"].encode("utf-8")
            await enriched_t.send(key=key, value=dumps(result))
            for ev in statement_events(result):
                await statements_t.send(key=key, value=dumps(ev))

    return app


def _naive_main() -> int:
    from wirewatch.nlp.pipeline import Enricher
    from wirewatch.stream.common import run_worker

    settings = Settings.from_env()
    enricher = Enricher(settings.spacy_model)
    run_worker(build_naive(settings, enricher), settings.log_level)
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["naive"]:
        sys.argv = sys.argv[:1]  # Faust's worker parses the command line
        sys.exit(_naive_main())
    sys.exit(f"usage: {sys.argv[0]} naive")
