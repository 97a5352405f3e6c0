"""``wirewatch bench pool FILE...``: the pipeline bench's ratios pooled over several runs.

One run of ``wirewatch bench pipeline`` gives each throughput ratio as the median of its pairs of
mirrored rounds, and on this shared machine the pairs of a single run spread widely (1 worker over
the limit from 0.63 to 1.14 in one run): a run that lands above a goal says little about whether
the service meets it. Pooling the pairs of several runs, each ratio still measured within its own
pair of rounds, gives a median with an interval: a goal is *met* when the interval lies at or
above it (at or below, for latency), *missed* when it lies wholly on the other side, and
*undecided* otherwise.

The interval is a percentile bootstrap of the median over the pooled pairs (fixed seed, so the
same files give the same figures). It treats the pairs as independent; pairs of one run share
that run's conditions, so with few runs the interval is, if anything, too narrow. Latency has
one sample per run (its p50 and p99 ratios), so it is pooled as a median with the runs' range.

Reads the JSON line each run printed first (its table after it is skipped). Pairs come from the
run's ``per_round_s``, so outputs of earlier versions of the bench pool too. Prints one JSON line
and a small table.
"""

from __future__ import annotations

import random
import statistics
import sys
from pathlib import Path
from typing import Any

import orjson

from wirewatch.bench.pipeline import GOALS, pair_values

#: Bootstrap resamples; with a fixed seed the interval repeats exactly.
RESAMPLES = 2000
SEED = 20261128

# ratio -> (numerator, denominator) of a round's seconds, and its goal (higher is better)
_THROUGHPUT = {
    "one_vs_full": ("full", "one_s", GOALS["one_vs_full"]),
    "one_vs_kept": ("kept", "one_s", GOALS["one_vs_kept"]),
    "scaling": ("one_s", "many_s", None),  # the goal is per worker: set from the runs' K
}


class PoolError(ValueError):
    """A file that is not a pipeline bench output."""


def read_run(path: Path) -> dict:
    """The pipeline bench's JSON line from one saved output."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PoolError(f"{path}: cannot read it ({exc.strerror or exc})") from exc
    for line in text.splitlines():
        if not line.startswith("{"):
            continue
        try:
            run = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        if isinstance(run, dict) and run.get("bench") == "pipeline" and run.get("per_round_s"):
            return run
    raise PoolError(
        f"{path}: no `wirewatch bench pipeline` result in it (its first output line, a JSON "
        "object with per_round_s); save a run with `wirewatch bench pipeline ... > FILE`"
    )


def _interval(values: list[float], rng: random.Random) -> tuple[float, float]:
    medians = sorted(
        statistics.median(rng.choices(values, k=len(values))) for _ in range(RESAMPLES)
    )
    return medians[int(0.025 * RESAMPLES)], medians[int(0.975 * RESAMPLES) - 1]


def _verdict(low: float, high: float, goal: float, higher_is_better: bool = True) -> str:
    if higher_is_better:
        return "met" if low >= goal else "missed" if high < goal else "undecided"
    return "met" if high <= goal else "missed" if low > goal else "undecided"


def pool(runs: list[dict]) -> dict[str, Any]:
    """Pooled ratios of several pipeline bench results."""
    if not runs:
        raise PoolError("no runs to pool")
    workers = {int(r.get("workers", 1)) for r in runs}
    rng = random.Random(SEED)
    out: dict[str, Any] = {"bench": "pipeline-pool", "runs": len(runs), "ratios": {}}
    for name, (num, den, goal) in _THROUGHPUT.items():
        if name == "scaling":
            if len(workers) != 1 or workers == {1}:
                continue  # scaling pools only over runs with the same K > 1
            (k,) = workers
            goal = GOALS["scaling_per_worker"] * k
        values = [
            v
            for r in runs
            if all(num in x and den in x for x in r["per_round_s"])
            for v in pair_values(
                r["per_round_s"], lambda x, key=num: x[key], lambda x, key=den: x[key]
            )
        ]
        if not values:
            continue
        low, high = _interval(values, rng)
        out["ratios"][name] = {
            "median": round(statistics.median(values), 3),
            "interval_95": [round(low, 3), round(high, 3)],
            "pairs": len(values),
            "goal": goal,
            "verdict": _verdict(low, high, goal),
        }
    for name, goal_key in (
        ("latency_p50", "latency_p50_vs_single"),
        ("latency_p99", "latency_p99_vs_single"),
    ):
        values = [r["ratios"][goal_key] for r in runs if goal_key in r.get("ratios", {})]
        if not values:
            continue
        goal = GOALS[goal_key]
        out["ratios"][name] = {
            "median": round(statistics.median(values), 3),
            "range": [min(values), max(values)],
            "runs": len(values),
            "goal": goal,
            "runs_meeting_goal": sum(v <= goal for v in values),
        }
    return out


def _table(res: dict) -> str:
    lines = [f"pooled over {res['runs']} runs of `wirewatch bench pipeline`"]
    for name, r in res["ratios"].items():
        if "interval_95" in r:
            low, high = r["interval_95"]
            lines.append(
                f"  {name:12s} median {r['median']:.3f}, 95% interval {low:.3f}-{high:.3f} "
                f"({r['pairs']} pairs), goal >= {r['goal']:.2f}: {r['verdict']}"
            )
        else:
            low, high = r["range"]
            lines.append(
                f"  {name:12s} median {r['median']:.3f} over {r['runs']} runs "
                f"({low:.3f}-{high:.3f}), goal <= {r['goal']:.2f}: met in "
                f"{r['runs_meeting_goal']} of {r['runs']}"
            )
    return "\n".join(lines) + "\n"


def run(args: Any, settings: Any) -> int:
    del settings  # nothing to connect to: the files are all there is
    try:
        res = pool([read_run(Path(f)) for f in args.files])
    except PoolError as exc:
        print(f"wirewatch: error: {exc}", file=sys.stderr)
        return 2
    sys.stdout.buffer.write(orjson.dumps(res) + b"\n")
    sys.stdout.write(_table(res))
    sys.stdout.flush()
    return 0
