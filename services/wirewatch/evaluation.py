"""Score statement attribution against gold, exactly by the rules of shared/eval/README.md.

1. A predicted statement matches a gold one when their content spans overlap by >= 60% of the gold
   span and >= 50% of the predicted span; each gold statement matches at most one prediction (the
   unused gold with the best overlap, predictions taken in order).
2. The speaker is right when a gold name appears (case-insensitive) in the predicted speaker's
   resolved name or text; a bare pronoun without a resolved name is never right. PolNeAR gold names
   are the words of the Source span (capitalised ones when there are any); a pronoun-only Source
   accepts any speaker (names = None).
3. P = matched / predicted, R = matched / required gold; attributed P/R/F1 count only matches with
   the right speaker. Optional gold statements neither count for nor against.

Pure: no Kafka, no spaCy. ``evaluate_gold`` / ``evaluate_polnear`` run any object with an
``enrich_batch(list[dict]) -> list[dict]`` method (the :class:`~wirewatch.nlp.pipeline.Enricher`).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol

PRONOUNS = {"he", "she", "they", "it", "i", "we", "you", "him", "her", "them"}
STOP = PRONOUNS | {
    "the",
    "a",
    "an",
    "of",
    "his",
    "its",
    "their",
    "our",
    "my",
    "who",
    "which",
    "that",
    "and",
    "in",
    "on",
    "for",
    "to",
    "this",
    "these",
    "those",
    "some",
    "many",
    "one",
    "two",
}
RESULT_KEYS = (
    "P",
    "R",
    "F1",
    "speaker_acc",
    "attr_P",
    "attr_R",
    "attr_F1",
    "gold",
    "predicted",
    "matched",
)


class EvaluationError(ValueError):
    """A gold file or directory cannot be used; the message says which and why."""


class SupportsEnrichBatch(Protocol):
    def enrich_batch(self, articles: list[dict]) -> list[dict]: ...


# -- loaders ----------------------------------------------------------------------------------
def load_gold(path: str | Path) -> tuple[dict[str, list[dict]], dict[str, str]]:
    """Seed-gold JSON -> (gold statements per article id, bodies per article id).

    Bodies come from each article's ``body`` or its ``file`` (relative to the gold file's folder,
    its parents, or the working directory). Articles whose body cannot be found get no body.
    """
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise EvaluationError(f"{p}: cannot read gold file ({exc.strerror})") from None
    except json.JSONDecodeError as exc:
        raise EvaluationError(f"{p}: not valid JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("articles"), list):
        raise EvaluationError(f"{p}: expected {{'articles': [...]}} at the top level")
    gold: dict[str, list[dict]] = {}
    bodies: dict[str, str] = {}
    for i, art in enumerate(data["articles"]):
        if (
            not isinstance(art, dict)
            or "id" not in art
            or not isinstance(art.get("statements"), list)
        ):
            raise EvaluationError(f"{p}: articles[{i}] needs 'id' and a 'statements' list")
        aid = str(art["id"])
        gold[aid] = art["statements"]
        if isinstance(art.get("body"), str):
            bodies[aid] = art["body"]
        elif art.get("file"):
            f = _find_file(str(art["file"]), p)
            if f is not None:
                bodies[aid] = f.read_text(encoding="utf-8")
    return gold, bodies


def _find_file(rel: str, gold_path: Path) -> Path | None:
    candidates = [Path(rel), Path.cwd() / rel]
    for parent in [gold_path.resolve().parent, *gold_path.resolve().parents]:
        candidates.append(parent / rel)
        candidates.append(parent / "main" / rel)
    try:
        from wirewatch.config import PROJECT_ROOT

        candidates.insert(0, PROJECT_ROOT / rel)
    except Exception:  # pragma: no cover - config import never fails in the package
        pass
    return next((c for c in candidates if c.is_file()), None)


def _source_names(text: str) -> list[str] | None:
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'.-]+", text) if w.lower() not in STOP]
    return ([w for w in words if w[0].isupper()] or words) or None


def load_polnear(directory: str | Path) -> tuple[dict[str, list[dict]], dict[str, str]]:
    """PolNeAR brat split -> (gold, bodies); the first annotator file of each article."""
    d = Path(directory)
    ann_dir, text_dir = d / "attributions", d / "text"
    if not ann_dir.is_dir() or not text_dir.is_dir():
        raise EvaluationError(f"{d}: expected PolNeAR split folders 'text/' and 'attributions/'")
    gold: dict[str, list[dict]] = {}
    bodies: dict[str, str] = {}
    for ann in sorted(ann_dir.glob("*.ann")):
        art = ann.name[:-4].rsplit("_", 1)[0]
        if art in gold:
            continue
        text = (text_dir / f"{art}.txt").read_text(encoding="utf-8")
        spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
        rels: list[dict[str, str]] = []
        for line in ann.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if line.startswith("T"):
                kind, offs = parts[1].split(" ", 1)
                spans[parts[0]] = (kind, [tuple(map(int, o.split())) for o in offs.split(";")])
            elif line.startswith("E"):
                rels.append(dict(x.split(":") for x in parts[1].split()))
        statements = []
        for r in rels:
            if "Content" not in r:
                continue
            c = spans[r["Content"]][1]
            span = (min(a for a, _ in c), max(b for _, b in c))
            names = None
            if "Source" in r:
                names = _source_names(" ".join(text[a:b] for a, b in spans[r["Source"]][1]))
            statements.append({"speaker": names, "span": span, "optional": "Source" not in r})
        gold[art], bodies[art] = statements, text
    return gold, bodies


# -- scoring --------------------------------------------------------------------------------------
def _pred_span(st: dict, body: str) -> tuple[int, int] | None:
    c = st.get("content") or {}
    s, e = c.get("start"), c.get("end")
    if isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(body):
        return s, e
    t = c.get("text") or ""
    i = body.find(t) if t else -1
    return (i, i + len(t)) if i >= 0 else None


def speaker_ok(names: list[str] | None, st: dict) -> bool:
    if names is None:
        return True
    sp = st.get("speaker") or {}
    resolved = sp.get("name") or ""
    text = sp.get("text") or ""
    if not resolved and text.strip().lower() in PRONOUNS:
        return False
    hay = f"{resolved} {text}".lower()
    return any(n.lower() in hay for n in names)


def _gold_spans(gsts: list[dict], body: str) -> list[tuple[int, int]]:
    out = []
    for g in gsts:
        if "span" in g:
            out.append(tuple(g["span"]))
        else:
            i = body.find(g["content"])
            out.append((i, i + len(g["content"])))
    return out


def score_article(gsts: list[dict], statements: Iterable[dict], body: str) -> dict[str, int]:
    """Counts for one article: gold (required), pred, tp, attributed."""
    gspans = _gold_spans(gsts, body)
    used: set[int] = set()
    tp = attr = pred = 0
    for st in statements:
        ps = _pred_span(st, body)
        if ps is None:
            pred += 1
            continue
        best, bi = 0.0, None
        for gi, (gs, ge) in enumerate(gspans):
            if gi in used:
                continue
            inter = max(0, min(ge, ps[1]) - max(gs, ps[0]))
            if inter / (ge - gs) >= 0.6 and inter / (ps[1] - ps[0]) >= 0.5:
                ov = inter / (max(ge, ps[1]) - min(gs, ps[0]))
                if ov > best:
                    best, bi = ov, gi
        if bi is None:
            pred += 1
            continue
        used.add(bi)
        if gsts[bi].get("optional"):
            continue
        pred += 1
        tp += 1
        attr += speaker_ok(gsts[bi].get("speaker"), st)
    n_gold = sum(1 for g in gsts if not g.get("optional"))
    return {"gold": n_gold, "pred": pred, "tp": tp, "attributed": attr}


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(
    gold: dict[str, list[dict]],
    preds: dict[str, dict],
    bodies: dict[str, str],
    per_article: dict | None = None,
) -> dict[str, Any]:
    """Aggregate scores. ``preds`` maps article id -> enriched article (with ``statements``)."""
    tp = attr = n_pred = n_gold = 0
    for aid, gsts in gold.items():
        body, art = bodies.get(aid), preds.get(aid)
        if art is None or body is None:
            n_gold += sum(1 for g in gsts if not g.get("optional"))
            if per_article is not None:
                per_article[aid] = "missing"
            continue
        c = score_article(gsts, art.get("statements") or [], body)
        if per_article is not None:
            per_article[aid] = c
        tp += c["tp"]
        attr += c["attributed"]
        n_pred += c["pred"]
        n_gold += c["gold"]
    P = tp / n_pred if n_pred else 0.0
    R = tp / n_gold if n_gold else 0.0
    Pa = attr / n_pred if n_pred else 0.0
    Ra = attr / n_gold if n_gold else 0.0
    return {
        "P": round(P, 3),
        "R": round(R, 3),
        "F1": round(_f1(P, R), 3),
        "speaker_acc": round(attr / tp, 3) if tp else 0.0,
        "attr_P": round(Pa, 3),
        "attr_R": round(Ra, 3),
        "attr_F1": round(_f1(Pa, Ra), 3),
        "gold": n_gold,
        "predicted": n_pred,
        "matched": tp,
        "speaker_right": attr,
    }


# -- running an enricher --------------------------------------------------------------------------
def run_enricher(
    enricher: SupportsEnrichBatch,
    bodies: dict[str, str],
    batch_size: int = 16,
    progress: Callable[[int, int], None] | None = None,
    timing: dict[str, Any] | None = None,
) -> dict[str, dict]:
    """Enrich every body. With ``timing`` (and an enricher that exposes ``nlp`` and ``analyze``,
    as :class:`~wirewatch.nlp.pipeline.Enricher` does) the model's CPU seconds and attribution's
    are added to it separately: the cost of attribution over the model, from the same run."""
    ids = sorted(bodies)
    out: dict[str, dict] = {}
    split = timing is not None and hasattr(enricher, "nlp") and hasattr(enricher, "analyze")
    model_s = attribution_s = 0.0
    for i in range(0, len(ids), batch_size):
        chunk = ids[i : i + batch_size]
        articles = [{"id": a, "body": bodies[a]} for a in chunk]
        if split:
            c = time.process_time()
            docs = list(enricher.nlp.pipe([a["body"] for a in articles], batch_size=batch_size))  # type: ignore[attr-defined]
            c2 = time.process_time()
            results = [enricher.analyze(d, a) for d, a in zip(docs, articles, strict=True)]  # type: ignore[attr-defined]
            model_s += c2 - c
            attribution_s += time.process_time() - c2
        else:
            results = enricher.enrich_batch(articles)
        for aid, enriched in zip(chunk, results, strict=True):
            out[aid] = enriched
        if progress is not None:
            progress(min(i + batch_size, len(ids)), len(ids))
    if split and timing is not None:
        timing["model_cpu_s"] = round(model_s, 4)
        timing["attribution_cpu_s"] = round(attribution_s, 4)
        timing["attribution_vs_model"] = round(attribution_s / model_s, 4) if model_s else None
    return out


def evaluate_gold(
    gold_path: str | Path,
    enricher: SupportsEnrichBatch,
    per_article: dict | None = None,
    timing: dict[str, Any] | None = None,
) -> dict[str, Any]:
    gold, bodies = load_gold(gold_path)
    missing = [a for a in gold if a not in bodies]
    if missing:
        raise EvaluationError(
            f"{gold_path}: no body for article(s) {missing}: give 'body' or a 'file' that exists"
        )
    return score(gold, run_enricher(enricher, bodies, timing=timing), bodies, per_article)


def evaluate_polnear(
    directory: str | Path,
    enricher: SupportsEnrichBatch,
    per_article: dict | None = None,
    progress: Callable[[int, int], None] | None = None,
    timing: dict[str, Any] | None = None,
) -> dict[str, Any]:
    gold, bodies = load_polnear(directory)
    preds = run_enricher(enricher, bodies, progress=progress, timing=timing)
    return score(gold, preds, bodies, per_article)
