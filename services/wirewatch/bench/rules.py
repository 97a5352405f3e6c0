"""``wirewatch bench rules``: rule matching speed, compile time and memory against rule count.

Enrichment is excluded: the seed article is enriched once (or, without a spaCy model, a small
synthetic enriched article is used), then varied into ``--articles`` distinct articles by
appending a word to the headline and a sentence to the body in which a new person says a run of
vocabulary words (one more entity, statement and sometimes actor; seed offsets stay valid).
Each size is timed over ``--passes`` passes, each over its own freshly varied articles (so no
cache filled in one pass serves the next); the best pass is reported, the others are listed.

Rule sets are generated deterministically (seeded RNG) as a realistic mix: keyword any/all/none,
phrases, prefix*, ``near``, actors, speaker, speaker+said, quoted, entity labels and source /
language filters; most rules use words from a large synthetic vocabulary (so they stay silent, as
most rules do on most articles), a fraction use words and names from the news itself.

Both matching engines run on the same compiled rule set and the same articles, pass by pass in
alternating order (``--engine both``, the default when the native ``wirewatch_match`` extension is
built): the native one and the pure-Python one, so their ratio is measured under the same load.
Before each engine's pass every name cache of both engines is emptied and warmed on the same 20
articles, so neither engine profits from what the other (or an earlier pass) saw.

Prints one JSON line (all figures) and then a small table.
"""

from __future__ import annotations

import gc
import json
import os
import random
import sys
import time
from typing import Any

from wirewatch.config import PROJECT_ROOT, Settings

SEED = PROJECT_ROOT / "seeds" / "kyiv-strikes.txt"
ACTORS = PROJECT_ROOT / "seeds" / "actors.example.yaml"

_SYLLABLES = [
    "ka", "lo", "mi", "ne", "ru", "ta", "vo", "shi", "den", "gar", "pol", "ster", "bri", "an",
    "el", "or", "ux", "zen", "tra", "mon", "qui", "fel", "dor", "hap", "lin", "sk", "ov", "ich",
]  # fmt: skip
NEWS_WORDS = [
    "nuclear", "troops", "jets", "sanctions", "ceasefire", "missile", "strike", "strikes",
    "refugees", "pipeline", "gas", "grain", "drone", "shelling", "negotiations", "talks",
    "invasion", "alliance", "defence", "defense", "air", "sea", "border", "embassy", "convoy",
    "election", "inflation", "budget", "summit", "minister", "president", "military", "war",
    "television", "tower", "security", "service", "board", "governors", "diplomats", "draft",
]  # fmt: skip
NEWS_NAMES = [
    "Jens Stoltenberg", "Stoltenberg", "Kuleba", "Dmytro Kuleba", "Zelensky", "Putin",
    "Lavrov", "IAEA", "NATO", "Olaf Scholz", "Andrzej Duda", "Defense Ministry", "Kyiv",
    "Moscow", "Belarus", "Ukraine", "Russia",
]  # fmt: skip
LABELS = ["PERSON", "ORG", "GPE", "NORP", "DATE", "EVENT", "LAW", "MONEY"]


def vocabulary(n: int, rng: random.Random, suffix: str = "x") -> list[str]:
    """``n`` distinct pronounceable pseudo-words (none is an English news word)."""
    out: set[str] = set()
    while len(out) < n:
        out.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) + suffix)
    return sorted(out)


def generate_rules(n: int, seed: int = 7) -> dict:
    """A rules document with ``n`` rules (deterministic for a given ``n`` and ``seed``)."""
    rng = random.Random(seed)
    vocab = vocabulary(max(2000, n // 2), rng)
    names = [f"{w.title()} {rng.choice(vocab).title()}" for w in vocab[:5000]]

    # About the same hundred or so rules touch news words and names whatever ``n``: most
    # rules of a large set stay silent on any one article, as they do in a newsroom.
    scale = min(1.0, 100 / n)

    def word(news: float = 0.08) -> str:
        return rng.choice(NEWS_WORDS) if rng.random() < news * scale else rng.choice(vocab)

    def name(news: float = 0.08) -> str:
        return rng.choice(NEWS_NAMES) if rng.random() < news * scale else rng.choice(names)

    rules = []
    for i in range(n):
        kind = rng.random()
        rule: dict[str, Any] = {"id": f"r{i}"}
        if kind < 0.30:
            rule["keywords"] = sorted({word() for _ in range(rng.randint(1, 3))})
        elif kind < 0.42:
            required = [word(), f"{word()} {word()}"]
            excluded = rng.choice(vocab)
            rule["keywords"] = {"all": required}
            if excluded not in required:
                rule["keywords"]["none"] = [excluded]
        elif kind < 0.50:
            stem = word()
            stem = stem[: max(4, len(stem) - 2)]  # nuclear* style: most of a word
            rule["keywords"] = {"any": sorted({stem + "*", word()})}
        elif kind < 0.56:
            rule["near"] = {"terms": [word(), word()], "within": rng.randint(3, 12)}
        elif kind < 0.66:
            rule["actors"] = {"any": sorted({name(), name()})} if rng.random() < 0.5 else name()
            if rng.random() < 0.3:
                rule["keywords"] = word(0.3)
        elif kind < 0.76:
            rule["speaker"] = name()
        elif kind < 0.90:
            rule["speaker"] = sorted({name(), name()}) if rng.random() < 0.3 else name()
            rule["said"] = {"any": sorted({word(0.2), word(0.2)})}
        elif kind < 0.94:
            rule["said"] = {"all": sorted({word(), word()})}
        elif kind < 0.97:
            rule["actors"] = name()
            rule["quoted"] = True
        else:
            rule["keywords"] = word()
            rule["entities"] = rng.choice(LABELS)
        if rng.random() < 0.05:
            rule["language"] = rng.choice(["en", "de", "fr"])
        if rng.random() < 0.03:
            rule["source"] = rng.choice(["reuters", "ap", "afp", "seed"])
        rules.append(rule)
    return {"rules": rules}


def seed_article() -> dict:
    """The seed article, enriched once (falls back to a synthetic enriched article)."""
    from wirewatch.ingest.files import read_path

    raw = next(read_path(str(SEED))).article
    try:
        from wirewatch.actors import load_actors
        from wirewatch.nlp.pipeline import Enricher

        return Enricher(actors=load_actors(str(ACTORS))).enrich(raw)
    except Exception as exc:  # noqa: BLE001 - no model installed: still benchmark matching
        print(f"wirewatch: bench: no spaCy enrichment ({exc!r}); using a synthetic article",
              file=sys.stderr)  # fmt: skip
        return synthetic_article(raw)


def synthetic_article(raw: dict) -> dict:
    body = raw["body"]
    who = "Jens Stoltenberg"
    at = body.find(who)
    stmts, actors, ents = [], [], []
    if at >= 0:
        end = body.find(".", at)
        stmts.append({"id": "s0", "kind": "indirect", "cue": None, "reported_by": None,
                      "confidence": 0.8,
                      "speaker": {"text": who, "start": at, "end": at + len(who), "name": who,
                                  "actor_id": "jens-stoltenberg"},
                      "content": {"text": body[at + len(who):end],
                                  "start": at + len(who), "end": end}})  # fmt: skip
        actors.append({"id": "jens-stoltenberg", "name": who, "type": "person", "mentions": 2,
                       "statements": ["s0"]})  # fmt: skip
        ents.append({"text": who, "label": "PERSON", "start": at, "end": at + len(who),
                     "actor_id": "jens-stoltenberg"})  # fmt: skip
    return {**raw, "version": 1, "uri": None, "language": "en", "source": "seed",
            "entities": ents, "actors": actors, "statements": stmts,
            "enrichment": {"model": "synthetic", "version": "0"}}  # fmt: skip


def vary(base: dict, n: int, seed: int = 11) -> list[dict]:
    """``n`` distinct articles from ``base``: a new id, a source, a headline word and a closing
    sentence in which a new person says a run of extra words (with its entity, actor and
    statement, offsets valid), so names and statements differ from article to article.

    Each article is a fresh JSON decode, as the alerter gets it from Kafka: no object is shared
    between articles, so nothing keyed on identity can make a repeated article free.
    """
    rng = random.Random(seed)
    # Words no rule names exactly (other suffix), though prefix* rules may catch some.
    vocab = vocabulary(4000, random.Random(13), suffix="q") + NEWS_WORDS * 5
    people = vocabulary(3000, random.Random(17), suffix="e")
    out = []
    for i in range(n):
        extra = " ".join(rng.choice(vocab) for _ in range(rng.randint(8, 20)))
        who = f"{rng.choice(people).title()} {rng.choice(people).title()}"
        body = base["body"] + "\n"
        at = len(body)
        said_at = at + len(who) + len(" said ")
        body += f"{who} said {extra}."
        aid = who.lower().replace(" ", "-") if rng.random() < 0.5 else None
        sid = f"v{i}"
        art = {**base, "id": f"{base['id']}-{i}", "body": body,
               "headline": f"{base.get('headline') or ''} {rng.choice(NEWS_WORDS)}",
               "source": rng.choice(["reuters", "ap", "seed"]),
               "entities": [*(base.get("entities") or []),
                            {"text": who, "label": "PERSON", "start": at, "end": at + len(who),
                             "actor_id": aid}],
               "actors": [*(base.get("actors") or []),
                          *([{"id": aid, "name": who, "type": "person", "mentions": 1,
                              "statements": [sid]}] if aid else [])],
               "statements": [*(base.get("statements") or []),
                              {"id": sid, "kind": "indirect", "cue": None, "reported_by": None,
                               "confidence": 0.8,
                               "speaker": {"text": who, "start": at, "end": at + len(who),
                                           "name": who, "actor_id": aid},
                               "content": {"text": extra, "start": said_at,
                                           "end": said_at + len(extra)}}]}  # fmt: skip
        out.append(json.loads(json.dumps(art)))
    return out


def _rss() -> int:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # not Linux: peak RSS instead
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def engines(requested: str = "both") -> list[str]:
    """The engines to time: ``both`` means native and Python when the extension is built."""
    from wirewatch.rules.match import native_available

    if requested == "both":
        return ["native", "python"] if native_available() else ["python"]
    if requested == "auto":
        return ["native" if native_available() else "python"]
    if requested == "native" and not native_available():
        raise RuntimeError("--engine native: wirewatch_match is not built (make install)")
    return [requested]


def measure(
    n_rules: int, passes: list[list[dict]], warm: list[dict], engine_names: list[str] | None = None
) -> dict:
    """Compile ``n_rules`` generated rules, then match each pass of articles with each engine.
    Every pass has its own articles (new people, words and statements); before each engine's
    pass all name caches are emptied and warmed on ``warm`` only, so nothing one pass or engine
    saw makes another cheaper. The best pass per engine is reported, as ``timeit`` does, because
    the noise on a shared machine only ever adds time. The top-level figures are the first
    engine's (native when built); ``engines`` holds each engine's."""
    from wirewatch.rules import match, parse_rules

    names = engine_names or engines()
    for cached in ("_name_keys", "_speaker_key_set"):  # module-level lru_caches
        getattr(getattr(match, cached, None), "cache_clear", lambda: None)()
    doc = generate_rules(n_rules)
    gc.collect()
    rss0 = _rss()
    t0 = time.perf_counter()
    ruleset = parse_rules(
        doc, source=f"<generated {n_rules}>", engine="native" if "native" in names else "python"
    )
    compile_s = time.perf_counter() - t0
    gc.collect()
    mem = _rss() - rss0
    run = {"native": ruleset.match, "python": ruleset.match_python}
    elapsed: dict[str, list[float]] = {name: [] for name in names}
    # CPU time of the same passes: on a shared machine wall time also counts waiting for a core
    cpu: dict[str, list[float]] = {name: [] for name in names}
    alerts: dict[str, int] = dict.fromkeys(names, 0)
    for k, articles in enumerate(passes):
        for name in names if k % 2 == 0 else names[::-1]:
            ruleset.clear_caches()
            match_one = run[name]
            for art in warm:  # warm caches (name keys) as a running alerter has them
                match_one(art)
            gc.collect()
            gc.freeze()  # as after a worker's start: the loaded model and rules are not GC work
            t0, c0 = time.perf_counter(), time.process_time()
            for art in articles:
                alerts[name] += len(match_one(art))
            elapsed[name].append(time.perf_counter() - t0)
            cpu[name].append(time.process_time() - c0)
    n_articles = len(passes[0])
    per_engine = {}
    for name in names:
        best = min(elapsed[name])
        per_engine[name] = {
            "articles_per_s": round(n_articles / best, 1),
            "us_per_article": round(best / n_articles * 1e6, 1),
            "passes_us_per_article": [round(e / n_articles * 1e6, 1) for e in elapsed[name]],
            "cpu_us_per_article": round(min(cpu[name]) / n_articles * 1e6, 1),
            "alerts_per_article": round(alerts[name] / (n_articles * len(passes)), 2),
        }
    first = per_engine[names[0]]
    result = {
        "rules": n_rules,
        "articles": n_articles,
        "engine": names[0],
        **first,
        "compile_s": round(compile_s, 2),
        "memory_mb": round(mem / 2**20, 1),
        "engines": per_engine,
    }
    if len(names) == 2:
        result["speedup"] = round(
            per_engine[names[0]]["articles_per_s"] / per_engine[names[1]]["articles_per_s"], 2
        )
    del ruleset, run
    gc.collect()
    return result


def run(args: Any, settings: Settings) -> int:
    try:
        sizes = [int(s) for s in str(args.rules).split(",") if s.strip()]
    except ValueError:
        print(
            f"wirewatch: error: --rules {args.rules!r}: give sizes like 1000,10000", file=sys.stderr
        )
        return 2
    if not sizes or min(sizes) < 1 or args.articles < 1:
        print("wirewatch: error: --rules and --articles must be positive", file=sys.stderr)
        return 2
    passes = getattr(args, "passes", 3)
    if passes < 1:
        print("wirewatch: error: --passes must be positive", file=sys.stderr)
        return 2
    try:
        engine_names = engines(getattr(args, "engine", "both"))
    except RuntimeError as exc:
        print(f"wirewatch: error: {exc}", file=sys.stderr)
        return 2
    base = seed_article()
    # All articles exist before any rule set is compiled: the memory figure is then the rule
    # set's own, not partly memory freed by articles of an earlier size.
    runs = [vary(base, args.articles, seed=11 + k) for k in range(passes)]
    warm = vary(base, 20, seed=1)
    articles = runs[0]
    chars = sum(len(a["body"]) + len(a.get("headline") or "") for a in articles) / len(articles)
    results = []
    for n in sizes:
        print(f"wirewatch: bench rules: {n} rules ...", file=sys.stderr, flush=True)
        results.append(measure(n, runs, warm, engine_names))
    summary = {
        "bench": "rules",
        "article_chars": round(chars),
        "statements_per_article": len(articles[0].get("statements") or []),
        "entities_per_article": len(articles[0].get("entities") or []),
        "python": sys.version.split()[0],
        "passes": passes,
        "engines": engine_names,
        "results": results,
    }
    print(json.dumps(summary))
    print(f"{'rules':>8} {'engine':>7} {'articles/s':>11} {'us/article':>11} {'cpu us/art':>11} "
          f"{'compile s':>10} {'memory MB':>10} {'alerts/art':>11}")  # fmt: skip
    for r in results:
        for name, e in r["engines"].items():
            print(f"{r['rules']:>8} {name:>7} {e['articles_per_s']:>11} {e['us_per_article']:>11} "
                  f"{e['cpu_us_per_article']:>11} {r['compile_s']:>10} {r['memory_mb']:>10} "
                  f"{e['alerts_per_article']:>11}")  # fmt: skip
        if "speedup" in r:
            print(f"{'':>8} {'ratio':>7} {r['speedup']:>11}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    from types import SimpleNamespace

    sys.exit(run(SimpleNamespace(rules=sys.argv[1] if len(sys.argv) > 1 else "1000",
                                 articles=500), Settings.from_env()))  # fmt: skip
