"""`wirewatch bench pipeline` on a handful of articles: it runs, and its JSON line is complete.

A smoke run on a real broker. Timings are never asserted (CI machines are noisy); only that every
field is there with a sane value, and that the run cleaned up after itself.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def _positive(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x) and x > 0


def test_bench_pipeline_smoke(kafka_bootstrap, unique_prefix, tmp_path):
    marker = f"bench-smoke-{unique_prefix}"
    env = {
        **os.environ,
        "WIREWATCH_KAFKA_BOOTSTRAP": kafka_bootstrap,
        "WIREWATCH_TOPIC_PREFIX": unique_prefix,
        "WIREWATCH_STATE_DIR": str(tmp_path),
        "WIREWATCH_LOG_LEVEL": "warning",
        "WWTEST_BENCH_MARK": marker,
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "wirewatch.cli",
            "bench",
            "pipeline",
            "--articles",
            "4",
            "--workers",
            "2",
            "--rounds",
            "3",
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    result = json.loads(lines[0])
    assert any("articles/s" in line for line in lines[1:]), "the table is missing"

    assert result["bench"] == "pipeline" and result["articles"] == 4 and result["workers"] == 2
    # 4 articles in 3 rounds (2, 2, 0 are cut as 2 + 2): a mirrored pair
    assert result["rounds"] == 2 and result["raw"]["rounds"] == 2
    raw = result["raw"]
    assert raw["model"]
    assert {"tok2vec", "parser", "ner"} <= set(raw["full_components"])
    assert {"parser", "ner"} <= set(raw["kept_components"])
    assert set(raw["disabled"]) <= set(raw["full_components"])
    for field in ("full_aps", "kept_aps", "library_aps", "single_ms_p50", "single_ms_p99"):
        assert _positive(raw[field]), (field, raw)
    assert raw["single_ms_p50"] <= raw["single_ms_p99"]

    for field in ("one_worker", "k_workers", "naive"):
        assert _positive(result["e2e_aps"][field]), (field, result["e2e_aps"])
    lat = result["latency_ms"]
    assert lat["samples"] == 4
    assert 0 < lat["p50"] <= lat["p95"] <= lat["p99"]
    # the yardstick is timed beside the samples, and the ratio is taken against it
    assert _positive(lat["single_ms_p50"])
    assert result["ratios"]["latency_p50_vs_single"] == round(lat["p50"] / lat["single_ms_p50"], 3)
    # the worker's CPU split by thread: the model thread does most of it, and the split adds up
    # to no more than the process's own count (a thread that ended meanwhile is not in it)
    cpu = result["e2e_cpu_ms_per_article"]
    for key in ("one_worker", "k_workers"):
        model, other = cpu[f"{key}_model_thread"], cpu[f"{key}_other_threads"]
        assert _positive(model) and other >= 0, cpu
        assert model + other <= cpu[key] + 25, cpu  # clock ticks of 10 ms, 2 articles a round
    assert "1 worker CPU ms/article: model thread" in done.stdout
    assert [r["n"] for r in result["per_round_s"]] == [2, 2]
    assert all(_positive(r[k]) for r in result["per_round_s"] for k in ("kept", "one_s", "many_s"))
    # the broker and the bench process always use some CPU beside the workers, never all cores
    beside = result["beside_cores"]
    assert set(beside) == {"one_worker", "k_workers"}, beside
    assert all(0 < v < result["cores"] for v in beside.values()), beside
    # the broker's share is reported only for this project's own local broker: the test names
    # the bootstrap, which makes it external to the bench, so the share is not known
    assert result["broker_cores"] == {}, result["broker_cores"]
    assert "cores kept busy by the broker" in done.stdout
    # one worker + two supervised workers, each a real process with a model loaded (tens of MB at least)
    rss = result["rss_mb"]
    assert len(rss["per_worker"]) == 3 and all(50 < m < 10_000 for m in rss["per_worker"]), rss
    assert rss["max"] == max(rss["per_worker"])
    for name, value in result["ratios"].items():
        assert _positive(value), (name, value)
    assert set(result["goals_met"]) == {
        "one_vs_full",
        "one_vs_kept",
        "scaling",
        "latency_p50",
        "latency_p99",
        "rss",
    }
    assert all(isinstance(v, bool) for v in result["goals_met"].values())
    # each pair of mirrored rounds' own ratio (one pair here), whose median is the run's ratio
    assert set(result["pairs"]) == {"one_vs_full", "one_vs_kept", "scaling"}
    for name, values in result["pairs"].items():
        assert len(values) == 1 and values[0] == pytest.approx(result["ratios"][name], abs=0.002)
    assert "(pairs " in done.stdout

    # the saved output pools (a single run here: its pairs are the pool)
    saved = tmp_path / "run.out"
    saved.write_text(done.stdout)
    pooled = subprocess.run(
        [sys.executable, "-m", "wirewatch.cli", "bench", "pool", str(saved)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert pooled.returncode == 0, pooled.stderr
    pooled_result = json.loads(pooled.stdout.splitlines()[0])
    assert pooled_result["runs"] == 1
    kept = pooled_result["ratios"]["one_vs_kept"]
    assert kept["pairs"] == 1
    # both figures are rounded to 3 decimals (0.001 apart at most); the rounds' seconds the pool
    # re-derives the pair from are kept to 10 us, which moves a ~0.1 s round's ratio by < 0.0002
    assert kept["median"] == pytest.approx(result["pairs"]["one_vs_kept"][0], abs=0.0013)

    # No worker outlived the benchmark (they inherit the marker from our environment).
    assert _processes_with(marker) == []


def _processes_with(marker: str) -> list[int]:
    found = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit() and int(d.name) != os.getpid():
            try:
                if marker.encode() in (d / "environ").read_bytes():
                    found.append(int(d.name))
            except OSError:
                continue
    return found
