"""Is this text English? A cheap check so non-English articles are routed, not mis-enriched.

The model is English-only: run on German or Russian it invents entities and statements. Function
words give language away in a few dozen words at no measurable cost, without another model.
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
#: Share of English function words below which text is not English. English news runs at
#: 0.35-0.55; German, French, Spanish at 0.05-0.15 (shared words like "in", "so", "die").
MIN_STOPWORD_SHARE = 0.2
#: Fewer words than this cannot be judged; short items pass.
MIN_WORDS = 20
_SAMPLE_WORDS = 400


def english_share(text: str) -> tuple[float, int]:
    """(share of English function words, words sampled) over the first few hundred words."""
    words = _WORD.findall(text[:20_000])[:_SAMPLE_WORDS]
    if not words:
        return 0.0, 0
    return sum(w.lower() in STOP_WORDS for w in words) / len(words), len(words)


def detect_unsupported(text: str, declared: str | None) -> str | None:
    """Why this article cannot be enriched as English, or None when it can."""
    if declared and declared.lower().split("-")[0] not in ("en", "und"):
        return f"declared language {declared!r}; the model is English-only"
    share, n = english_share(text)
    if n >= MIN_WORDS and share < MIN_STOPWORD_SHARE:
        return (
            f"text does not look English ({share:.0%} English function words in {n} words, "
            f"expected >= {MIN_STOPWORD_SHARE:.0%}); the model is English-only"
        )
    return None
