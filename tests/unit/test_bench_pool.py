"""`wirewatch bench pool`: the pipeline bench's ratios pooled over saved runs."""

from __future__ import annotations

import argparse
from pathlib import Path

import orjson
import pytest

from wirewatch.bench import pool as bench_pool
from wirewatch.bench.pool import PoolError, pool, read_run


def _run(one_vs_kept: list[float], scaling: list[float], p50: float, workers: int = 2) -> dict:
    """A pipeline result whose pairs of rounds have exactly these ratios."""
    rounds = []
    for kept_ratio, scale in zip(one_vs_kept, scaling, strict=True):
        one_s = 10.0
        for _ in range(2):  # a pair: both rounds alike, so the pair's ratio is the given one
            rounds.append(
                {"n": 50, "full": 12.0, "kept": kept_ratio * one_s, "one_s": one_s,
                 "many_s": one_s / scale}
            )  # fmt: skip
    return {
        "bench": "pipeline",
        "workers": workers,
        "per_round_s": rounds,
        "ratios": {"latency_p50_vs_single": p50, "latency_p99_vs_single": 1.5},
    }


def _save(tmp_path, name: str, run: dict) -> str:
    path = tmp_path / name
    path.write_bytes(orjson.dumps(run) + b"\n" + b"   articles/s  x limit\n(the table)\n")
    return str(path)


def test_pairs_of_all_runs_are_pooled_into_one_median() -> None:
    runs = [
        _run([0.80, 0.84, 0.86], [1.6, 1.7, 1.7], 1.25),
        _run([0.88, 0.90, 0.95], [1.9, 1.9, 2.0], 1.15),
    ]
    res = pool(runs)
    kept = res["ratios"]["one_vs_kept"]
    # six pairs: 0.80 0.84 0.86 0.88 0.90 0.95 -> median 0.87, not either run's own median
    assert kept["pairs"] == 6 and kept["median"] == pytest.approx(0.87)
    low, high = kept["interval_95"]
    assert 0.80 <= low <= kept["median"] <= high <= 0.95
    assert res["ratios"]["one_vs_full"]["median"] == pytest.approx(1.2)  # 12 s of stock / 10 s
    assert res["ratios"]["latency_p50"] == {
        "median": 1.2, "range": [1.15, 1.25], "runs": 2, "goal": 1.2, "runs_meeting_goal": 1
    }  # fmt: skip


def test_a_goal_is_met_missed_or_undecided_by_where_its_interval_lies() -> None:
    clearly_above = pool([_run([0.95] * 6, [1.9] * 6, 1.1)])["ratios"]
    assert clearly_above["one_vs_kept"]["verdict"] == "met"
    assert clearly_above["scaling"]["verdict"] == "met"  # 1.9 >= 0.9 x 2 workers
    clearly_below = pool([_run([0.80] * 6, [1.5] * 6, 1.3)])["ratios"]
    assert clearly_below["one_vs_kept"]["verdict"] == "missed"
    assert clearly_below["scaling"]["verdict"] == "missed"
    straddling = pool([_run([0.80, 0.85, 0.89, 0.91, 0.95, 1.0], [1.8] * 6, 1.2)])["ratios"]
    assert straddling["one_vs_kept"]["verdict"] == "undecided"


def test_scaling_pools_only_runs_with_the_same_number_of_workers() -> None:
    mixed = pool([_run([0.9], [1.8], 1.2, workers=2), _run([0.9], [2.6], 1.2, workers=3)])
    assert "scaling" not in mixed["ratios"] and "one_vs_kept" in mixed["ratios"]
    assert "scaling" not in pool([_run([0.9], [1.0], 1.2, workers=1)])["ratios"]


def test_the_interval_repeats_for_the_same_runs() -> None:
    runs = [_run([0.7, 0.8, 0.9, 1.0, 0.85, 0.95], [1.5, 1.6, 1.7, 1.8, 1.9, 2.0], 1.2)]
    assert pool(runs) == pool(runs)


def test_saved_output_with_its_table_is_read(tmp_path) -> None:
    run = _run([0.9], [1.8], 1.2)
    assert read_run(Path(_save(tmp_path, "a.out", run))) == run


def test_files_that_are_not_bench_output_are_clear_errors(tmp_path, capsys) -> None:
    other = tmp_path / "other.out"
    other.write_text('{"bench": "attribution", "articles": 40}\nnot json either\n')
    with pytest.raises(PoolError, match="no `wirewatch bench pipeline` result"):
        read_run(other)
    args = argparse.Namespace(files=[str(tmp_path / "missing.out")])
    assert bench_pool.run(args, None) == 2
    err = capsys.readouterr().err
    assert "missing.out" in err and "cannot read" in err
    args = argparse.Namespace(
        files=[_save(tmp_path, "good.out", _run([0.9], [1.8], 1.2)), str(other)]
    )
    assert bench_pool.run(args, None) == 2
    assert "other.out" in capsys.readouterr().err


def test_the_command_prints_one_json_line_and_a_table(tmp_path, capsys) -> None:
    files = [_save(tmp_path, f"{i}.out", _run([0.84, 0.86], [1.6, 1.7], 1.24)) for i in range(3)]
    assert bench_pool.run(argparse.Namespace(files=files), None) == 0
    out = capsys.readouterr().out.splitlines()
    res = orjson.loads(out[0])
    assert res["bench"] == "pipeline-pool" and res["runs"] == 3
    assert res["ratios"]["one_vs_kept"]["pairs"] == 6
    assert any("one_vs_kept" in line and "missed" in line for line in out[1:])
    assert any("latency_p50" in line and "met in 0 of 3" in line for line in out[1:])
