"""``wirewatch bench attribution``: what attribution costs apart from the model.

The bench articles are parsed once; every pass then runs ``Enricher.analyze`` (entities, actors,
statements, speaker resolution) on fresh copies of those parses (analysis re-tags words and
moves heads, so a copy used once is a copy used up). Each article's best time over the passes
is kept, so a burst of this shared machine's noise lands in one pass and not in the figure; the
model's own CPU per article, from the one parse pass, is the yardstick. Both are timed as in the
enricher worker: after a warm-up, with the loaded heap frozen out of the garbage collector's way.

``--stages`` adds one more pass with each stage of ``Enricher.analyze`` wrapped in a thread-CPU
timer (not counted in the passes above; the wrappers cost a little of their own): where a
rewrite of the rules would pay off first.

``--instructions`` also counts the instructions one pass executes, under valgrind's callgrind
(a child process analyses the same parses, counted only around the pass). The count is the same
on every run of an unchanged build to within a few thousand instructions in tens of millions,
whatever else the machine does, so it is the measure for comparing two versions of the rules;
the timings are not. Needs ``valgrind`` on the PATH.

Prints one JSON line and a small table.
"""

from __future__ import annotations

import gc
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

from wirewatch.config import Settings

#: Instrumented runs are ~50× slower: a smaller default keeps one under a minute.
INSTRUCTION_ARTICLES = 40


def _parses(n: int, model: str = "") -> tuple[list[dict], bytes, float, Any]:
    """The bench articles, their parses as DocBin bytes, the model's CPU ms per article."""
    from spacy.tokens import DocBin

    from wirewatch.bench.pipeline import make_articles
    from wirewatch.nlp.pipeline import Enricher

    enricher = Enricher(model)
    arts = make_articles(n)
    list(enricher.nlp.pipe([a["body"] for a in make_articles(4, prefix="warm", seed=5)]))
    # As the enricher worker does after loading (stream.common.freeze_loaded_heap): otherwise the
    # passes pay full collections over the loaded model that the worker does not.
    gc.collect()
    gc.freeze()
    t = time.thread_time()
    docs = list(enricher.nlp.pipe([a["body"] for a in arts], batch_size=enricher.batch_size))
    model_ms = (time.thread_time() - t) * 1000 / n
    db = DocBin(store_user_data=False)
    for d in docs:
        db.add(d)
    return arts, db.to_bytes(), model_ms, enricher


def _copies(data: bytes, arts: list[dict], vocab: Any) -> list[Any]:
    """Fresh Docs of the first ``len(arts)`` stored parses, each knowing its text."""
    from spacy.tokens import DocBin

    from wirewatch.nlp.common import remember_text

    docs = DocBin().from_bytes(data).get_docs(vocab)
    return [remember_text(d, a["body"]) for d, a in zip(docs, arts)]  # noqa: B905 (more docs)


def _check_copies(enricher: Any, arts: list[dict], data: bytes) -> None:
    """The copies must analyse exactly as fresh parses do, or the bench times something else."""
    fresh = enricher.enrich_batch(arts)
    copied = [
        enricher.analyze(d, a)
        for d, a in zip(_copies(data, arts, enricher.nlp.vocab), arts, strict=True)
    ]
    for f, c in zip(fresh, copied, strict=True):
        if f != c:
            raise RuntimeError(f"article {f['id']}: the stored parse analyses differently")


#: (label, class in ``wirewatch.nlp.pipeline`` or "", attribute): the stages of
#: ``Enricher.analyze`` as it calls them, looked up at call time. Indented labels run inside the
#: one above them.
STAGES: tuple[tuple[str, str, str], ...] = (
    ("entity table", "EntityTable", "build"),
    ("statements", "", "find_statements"),
    ("  retag cue verbs", "", "retag_cue_verbs"),
    ("  quote marks", "", "find_quotes"),
    ("  reattach conjuncts", "", "reattach_escaped_conjuncts"),
    ("  reattach tenses", "", "reattach_tense_mismatched_conjuncts"),
    ("  reattach speaker", "", "reattach_closing_speaker"),
    ("  direct quotes", "", "find_direct"),
    ("  turns", "", "find_turns"),
    ("  reported speech", "", "find_reported"),
    ("speaker resolution", "Resolver", "resolve"),
    ("entities and actors", "Enricher", "_entities_and_actors"),
)


@contextmanager
def _stage_timers() -> Iterator[dict[str, int]]:
    """Every stage in STAGES wrapped with a thread-CPU timer (ns per label) until the block ends."""
    import inspect

    import wirewatch.nlp.pipeline as pipeline

    spent: dict[str, int] = dict.fromkeys((s[0] for s in STAGES), 0)
    undo: list[tuple[Any, str, Any]] = []

    def timed(label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            t = time.thread_time_ns()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[label] += time.thread_time_ns() - t

        return wrapper

    try:
        for label, owner, attr in STAGES:
            target = getattr(pipeline, owner) if owner else pipeline
            raw = inspect.getattr_static(target, attr)
            undo.append((target, attr, raw))
            if isinstance(raw, staticmethod | classmethod):
                setattr(target, attr, type(raw)(timed(label, raw.__func__)))
            else:
                setattr(target, attr, timed(label, raw))
        yield spent
    finally:
        for target, attr, raw in reversed(undo):
            setattr(target, attr, raw)


def _stage_keys() -> dict[str, str]:
    """JSON name of each STAGES label: an indented stage is "<the stage it runs in>/<stage>"."""
    keys, parent = {}, ""
    for label, *_ in STAGES:
        if label.startswith(" "):
            keys[label] = f"{parent}/{label.strip()}"
        else:
            keys[label] = parent = label
    return keys


def _stages(enricher: Any, arts: list[dict], data: bytes) -> tuple[float, dict[str, float]]:
    """One wrapped pass: its ms per article, and each stage's ms per article."""
    docs = _copies(data, arts, enricher.nlp.vocab)
    with _stage_timers() as spent:
        start = time.thread_time_ns()
        for d, a in zip(docs, arts, strict=True):
            enricher.analyze(d, a)
        total = time.thread_time_ns() - start
    n = len(arts)
    return total / 1e6 / n, {label: ns / 1e6 / n for label, ns in spent.items()}


def _instructions(arts: list[dict], data: bytes, valgrind: str, control: str) -> float:
    """Instructions per article of one analysis pass, counted by callgrind in a child process."""
    with tempfile.TemporaryDirectory(prefix="wirewatch-callgrind-") as tmp:
        work = Path(tmp)
        (work / "arts.json").write_bytes(orjson.dumps(arts))
        (work / "docs.bin").write_bytes(data)
        out = work / "callgrind.out"
        proc = subprocess.run(
            [
                valgrind,
                "--tool=callgrind",
                "--instr-atstart=no",  # counting starts at the pass, not at import
                f"--callgrind-out-file={out}",
                sys.executable,
                "-m",
                "wirewatch.bench.attribution",
                str(work),
                control,
            ],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            # set and dict orders follow str hashes: a fixed seed makes the count repeatable
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        if proc.returncode != 0 or not out.exists():
            tail = "\n".join(proc.stderr.splitlines()[-15:])
            raise RuntimeError(f"the callgrind run failed (exit {proc.returncode}):\n{tail}")
        m = re.search(r"^totals: (\d+)", out.read_text(), re.MULTILINE)
        if m is None:
            raise RuntimeError(f"no instruction total in {out.name}")
        return int(m.group(1)) / len(arts)


def _child(work: Path, control: str) -> None:
    """Under callgrind: warm up on one pass, count the next."""
    import spacy

    from wirewatch.nlp.pipeline import Enricher

    arts = orjson.loads((work / "arts.json").read_bytes())
    data = (work / "docs.bin").read_bytes()
    # The stored parses carry their own strings, so no model is loaded under valgrind. analyze
    # parses again only for a Title Case first line, which no bench article has.
    nlp = spacy.blank("en")
    enricher = Enricher(nlp=nlp)
    for d, a in zip(_copies(data, arts, nlp.vocab), arts, strict=True):
        enricher.analyze(d, a)  # compiled regexes, memo tables: not what a pass costs
    docs = _copies(data, arts, nlp.vocab)
    pid = str(os.getpid())
    subprocess.run([control, "-i", "on", pid], check=True, capture_output=True)
    for d, a in zip(docs, arts, strict=True):
        enricher.analyze(d, a)
    subprocess.run([control, "-i", "off", pid], check=True, capture_output=True)


def run(args: Any, settings: Settings) -> int:
    n = args.articles
    if n is None:
        n = INSTRUCTION_ARTICLES if args.instructions else 200
    passes = args.passes
    if n < 1 or passes < 1:
        print("wirewatch: error: --articles and --passes must be at least 1", file=sys.stderr)
        return 2
    valgrind, control = shutil.which("valgrind"), shutil.which("callgrind_control")
    if args.instructions and (valgrind is None or control is None):
        print(
            "wirewatch: error: --instructions needs valgrind (valgrind and callgrind_control on "
            "the PATH); on Debian: apt-get install valgrind",
            file=sys.stderr,
        )
        return 2
    arts, data, model_ms, enricher = _parses(n, settings.spacy_model)
    _check_copies(enricher, arts[: min(n, 20)], data)
    best = [float("inf")] * n
    pass_ms: list[float] = []
    tokens = 0
    for _ in range(passes):
        docs = _copies(data, arts, enricher.nlp.vocab)
        tokens = sum(len(d) for d in docs)
        start = time.thread_time_ns()
        for k, (d, a) in enumerate(zip(docs, arts, strict=True)):
            t = time.thread_time_ns()
            enricher.analyze(d, a)
            best[k] = min(best[k], (time.thread_time_ns() - t) / 1e6)
        pass_ms.append((time.thread_time_ns() - start) / 1e6 / n)
    best_ms = sum(best) / n
    result: dict[str, Any] = {
        "bench": "attribution",
        "articles": n,
        "passes": passes,
        "tokens_per_article": round(tokens / n, 1),
        "ms_per_article_best": round(best_ms, 3),
        "ms_per_article_passes": [round(x, 3) for x in pass_ms],
        "model_cpu_ms_per_article": round(model_ms, 2),
        "share_of_model": round(best_ms / model_ms, 4),
    }
    if args.stages:
        staged_ms, by_stage = _stages(enricher, arts, data)
        keys = _stage_keys()
        result["stages"] = {
            "pass_ms_per_article": round(staged_ms, 3),
            # a stage inside "statements" is named "statements/<stage>"
            "ms_per_article": {keys[k]: round(v, 3) for k, v in by_stage.items()},
        }
    if args.instructions:
        result["instructions_per_article"] = round(_instructions(arts, data, valgrind, control))
    print(orjson.dumps(result).decode())
    print(
        f"attribution on cached parses: {n} articles, {tokens / n:.0f} tokens each, {passes} passes"
    )
    print(f"  ms/article (each article's best pass)   {best_ms:8.2f}")
    print(f"  ms/article per pass                     {' '.join(f'{x:.2f}' for x in pass_ms)}")
    print(
        f"  the model's CPU ms/article (one parse)  {model_ms:8.2f}  (attribution {best_ms / model_ms:.1%} of it)"
    )
    if args.stages:
        print(f"  by stage, one more pass with timers      {staged_ms:8.2f} ms/article")
        rest = staged_ms - sum(ms for label, ms in by_stage.items() if not label.startswith(" "))
        for label, ms in [*by_stage.items(), ("the rest of analyze", rest)]:
            print(f"    {label:36s} {ms:8.3f}  {ms / staged_ms:6.1%}")
    if "instructions_per_article" in result:
        print(f"  instructions/article (callgrind)        {result['instructions_per_article']:,}")
    return 0


if __name__ == "__main__":  # the callgrind child: python -m wirewatch.bench.attribution DIR CONTROL
    _child(Path(sys.argv[1]), sys.argv[2])
