"""The project contains only what we write: no 6-word run of a PolNeAR text (the measuring data
beside the checkout) in our tests, attribution code or own gold articles.

Rule tests are easy to write from an error seen on dev; this keeps their sentences our own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
POLNEAR = ROOT.parent / "shared" / "datasets" / "polnear"
N = 6


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def _runs(words: list[str]) -> set[str]:
    return {" ".join(words[i : i + N]) for i in range(len(words) - N + 1)}


def _our_text(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".txt":
        return [text]
    # string literals, comments and docstrings: where sentences live in code
    return (
        re.findall(r'"((?:[^"\\\n]|\\.){20,})"', text)
        + re.findall(r"'((?:[^'\\\n]|\\.){20,})'", text)
        + re.findall(r"#[^\n]*", text)
        + re.findall(r'"""(.*?)"""', text, re.S)
    )


def test_no_polnear_sentence_is_copied_into_the_project() -> None:
    texts = sorted(POLNEAR.glob("*/text/*.txt"))
    if not texts:
        pytest.skip(f"PolNeAR not found at {POLNEAR}")
    data: set[str] = set()
    for f in texts:
        data |= _runs(_words(f.read_text(encoding="utf-8")))
    ours = [
        *sorted((ROOT / "tests").rglob("*.py")),
        *sorted((ROOT / "services" / "wirewatch" / "nlp").glob("*.py")),
        *sorted((ROOT / "eval").rglob("*.txt")),
    ]
    found = [
        (p.relative_to(ROOT).as_posix(), run)
        for p in ours
        for chunk in _our_text(p)
        for run in sorted(_runs(_words(chunk)) & data)
    ]
    assert found == [], found[:20]
