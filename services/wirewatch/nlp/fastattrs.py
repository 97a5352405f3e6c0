"""``wirewatch_fastattrs``: the model's ``attribute_ruler`` + ``lemmatizer``, memoised.

In the small English pipeline the two components cost more than the tagger (a Matcher with ~180
patterns run over every token, then a Python loop that sets one attribute at a time). Their
output for a token is almost always a function of three values only: the token's text (ORTH, and
so LOWER, IS_SPACE...), its TAG and its DEP. This component computes that function once per
(orth, tag, dep) with the *stock* components and then sets TAG, DEP, POS, MORPH and LEMMA for a
whole Doc at once (``Doc.from_array``).

It is exact, not an approximation, for any text:

- The ruler's patterns are read from the loaded model, not copied here. A pattern whose single
  token reads only lexical attributes, TAG and DEP is a "keyed" pattern: which keyed patterns
  match a token depends only on the token's (orth, tag, dep), so they are run once per key on a
  one-token probe Doc, with spaCy's own Matcher. A fixed-length sequence of such tokens ("there
  is", "gon na") is matched per Doc with numpy: the probe also records which of the sequence's
  token specs the key satisfies (a bit each), and a match is a run of tokens whose bits line up,
  which is the Matcher's rule for a pattern without ``OP``. Every other pattern (``OP``, or an
  attribute such as POS or NORM that is not a function of the key) goes into a Matcher that runs
  over each Doc, as the ruler does.
- Attributes are applied as the ruler applies them: all patterns that hit a token, in pattern
  order, later ones overriding earlier ones (``AttributeRuler.match`` sorts by pattern index).
- A lemma is the one the ruler set, else the token's existing lemma, else the lemmatizer's
  ``lemmatize`` for that (orth, POS, MORPH) - exactly the stock lemmatizer's rule with
  ``overwrite=False``. The English lemmatizer reads POS and MORPH (``is_base_form``), which is
  why MORPH is reproduced too, not only POS and LEMMA.
- A token that a sequence or Doc-level pattern hits, or that arrives with POS, MORPH or LEMMA
  already set, is resolved on its own (no cache), by the same fold.

The memo is bounded (``max_keys``, about 40 MB at the default 100,000 keys; the PolNeAR dev split,
82,000 tokens, makes 18,000); when it is full it is emptied, with the lemmatizer's own cache
(unbounded in the stock pipeline), so a long-running worker does not grow without limit.

:func:`replace_stock` swaps the two stock components of a loaded pipeline for this one; it
returns False (and changes nothing) when the pipeline does not have them or a pattern sets an
attribute this component does not handle.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from spacy.attrs import DEP, LEMMA, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

log = logging.getLogger(__name__)

NAME = "wirewatch_fastattrs"
STOCK = ("attribute_ruler", "lemmatizer")

#: Token-pattern keys whose value is a function of (orth, tag, dep): lexeme attributes and the two
#: annotations the ruler reads after the tagger and parser.
KEYED_ATTRS = frozenset(
    {
        "ORTH",
        "TEXT",
        "LOWER",
        "LENGTH",
        "IS_ALPHA",
        "IS_ASCII",
        "IS_DIGIT",
        "IS_LOWER",
        "IS_UPPER",
        "IS_TITLE",
        "IS_PUNCT",
        "IS_SPACE",
        "LIKE_NUM",
        "TAG",
        "DEP",
    }
)
#: The attributes a ruler pattern may set for this component to reproduce it.
SETTABLE = (TAG, DEP, POS, MORPH, LEMMA)
_OUT = list(SETTABLE)  # output columns
_IN = [ORTH, TAG, DEP, POS, MORPH, LEMMA]  # to_array columns


def _keyed_spec(spec: dict) -> bool:
    """A token spec (no OP) that reads only attributes fixed by (orth, tag, dep)."""
    return all(str(k).upper() in KEYED_ATTRS for k in spec)


class FastAttributes:
    """Exact, memoised replacement of a loaded ``attribute_ruler`` + ``lemmatizer`` pair."""

    def __init__(self, ruler: Any, lemmatizer: Any, max_keys: int = 100_000) -> None:
        self.vocab = ruler.vocab
        self.ruler, self.lemmatizer = ruler, lemmatizer
        self.max_keys = max_keys
        self.attrs: list[dict[int, int]] = [dict(a) for a in ruler.attrs]
        self.indices: list[int] = list(ruler.indices)
        for attrs in self.attrs:
            unknown = set(attrs) - set(SETTABLE)
            if unknown:
                raise ValueError(f"attribute_ruler sets attributes {sorted(unknown)}")
        # One-token patterns and the token specs of keyed sequences, run on one-token probes.
        self.probe_matcher = Matcher(self.vocab)
        self._single_of: dict[int, int] = {}  # probe match id -> pattern index
        self._spec_of: dict[int, int] = {}  # probe match id -> bit of the token spec
        # Keyed sequences: (pattern index, bits of its token specs, index of the target token).
        self.sequences: list[tuple[int, tuple[int, ...], int]] = []
        # Everything else runs over each Doc with spaCy's Matcher, as in the ruler.
        self.doc_level = Matcher(self.vocab)
        self._doc_level_of: dict[int, int] = {}
        for i, p in enumerate(ruler.patterns):
            alternatives, index = p["patterns"], p["index"]
            key = self.vocab.strings.add(f"{NAME}:{i}")
            keyed = all(_keyed_spec(spec) for alt in alternatives for spec in alt)
            n_specs = sum(len(alt) for alt in alternatives)
            if keyed and index in (0, -1) and all(len(alt) == 1 for alt in alternatives):
                self._single_of[key] = i
                self.probe_matcher.add(key, alternatives)
            elif keyed and len(self._spec_of) + n_specs <= 64:
                for alt in alternatives:
                    if not -len(alt) <= index < len(alt):
                        raise ValueError(f"attribute_ruler pattern {i}: index {index} outside")
                    bits = []
                    for spec in alt:
                        bit = len(self._spec_of)
                        spec_key = self.vocab.strings.add(f"{NAME}:{i}:{bit}")
                        self._spec_of[spec_key] = bit
                        self.probe_matcher.add(spec_key, [[spec]])
                        bits.append(bit)
                    self.sequences.append((i, tuple(bits), index % len(alt)))
            else:
                self._doc_level_of[key] = i
                self.doc_level.add(key, alternatives)
        self._clear()
        # The stock lemmatizer checks its lookup tables on first use; do the same now.
        lemmatizer(Doc(self.vocab, words=["probe"], pos=["NOUN"]))

    def _clear(self) -> None:
        self._index: dict[tuple[int, int, int], int] = {}  # (orth, tag, dep) -> row
        self._hits: list[tuple[int, ...]] = []  # row -> one-token pattern indices that match
        self._hit_sets: dict[tuple[int, ...], tuple[int, ...]] = {}
        self._table = np.zeros((1024, len(_OUT)), dtype=np.uint64)  # row -> output values
        self._bits = np.zeros(1024, dtype=np.uint64)  # row -> token specs that match
        self.lemmatizer.cache.clear()

    # -- the reference computation (probe Docs, spaCy's own Matcher and lemmatizer) --------------
    def _probe(self, orth: int, tag: int, dep: int) -> tuple[tuple[int, ...], int]:
        """One-token pattern indices and token-spec bits that match a token (orth, tag, dep)."""
        probe = Doc(self.vocab, words=[self.vocab.strings[orth]], spaces=[False])
        probe.from_array([TAG, DEP], np.array([[tag, dep]], dtype=np.uint64))
        hits, bits = set(), 0
        for match_id, _, _ in self.probe_matcher(probe, allow_missing=True):
            if match_id in self._single_of:
                hits.add(self._single_of[match_id])
            else:
                bits |= 1 << self._spec_of[match_id]
        found = tuple(sorted(hits))
        return self._hit_sets.setdefault(found, found), bits  # few distinct sets: share them

    def _resolve(
        self, orth: int, start: tuple[int, int, int, int, int], patterns: list[int]
    ) -> tuple[int, int, int, int, int]:
        """(TAG, DEP, POS, MORPH, LEMMA) after the ruler's ``patterns`` and the lemmatizer."""
        values = dict(zip(SETTABLE, start, strict=True))
        for i in sorted(patterns):
            values.update(self.attrs[i])
        if not values[LEMMA]:
            probe = Doc(self.vocab, words=[self.vocab.strings[orth]], spaces=[False])
            probe.from_array(
                [POS, MORPH], np.array([[values[POS], values[MORPH]]], dtype=np.uint64)
            )
            values[LEMMA] = self.vocab.strings.add(self.lemmatizer.lemmatize(probe[0])[0])
        return tuple(values[a] for a in SETTABLE)  # type: ignore[return-value]

    def _add(self, key: tuple[int, int, int]) -> int:
        orth, tag, dep = key
        hits, bits = self._probe(orth, tag, dep)
        row = len(self._hits)
        if row == len(self._table):
            self._table = np.concatenate([self._table, np.zeros_like(self._table)])
            self._bits = np.concatenate([self._bits, np.zeros_like(self._bits)])
        self._table[row] = self._resolve(orth, (tag, dep, 0, 0, 0), list(hits))
        self._bits[row] = bits
        self._hits.append(hits)
        self._index[key] = row
        return row

    def _sequence_matches(self, bits: np.ndarray) -> list[tuple[int, int]]:
        """(pattern index, target token) of every keyed-sequence match, as the Matcher finds them:
        at every start where each token satisfies its spec."""
        n = len(bits)
        present = int(np.bitwise_or.reduce(bits))
        found = []
        for i, specs, target in self.sequences:
            if len(specs) > n or any(not present >> b & 1 for b in specs):
                continue
            width = n - len(specs) + 1
            ok = np.ones(width, dtype=bool)
            for j, b in enumerate(specs):
                ok &= (bits[j : j + width] & np.uint64(1 << b)) != 0
            found += [(i, int(s) + target) for s in np.flatnonzero(ok)]
        return found

    # -- the component ---------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            return doc
        if len(self._hits) >= self.max_keys:
            self._clear()
        arr = doc.to_array(_IN)
        keys = list(zip(*(arr[:, c].tolist() for c in range(3)), strict=True))
        get = self._index.get
        rows = [get(k, -1) for k in keys]
        if -1 in rows:
            for j, k in enumerate(keys):
                if rows[j] < 0:
                    rows[j] = get(k, -1)
                    if rows[j] < 0:
                        rows[j] = self._add(k)
        idx = np.asarray(rows, dtype=np.intp)
        out = self._table[idx]
        # Tokens the memo does not cover: hit by a longer pattern, or already annotated.
        special: dict[int, list[int]] = {}
        if self.sequences:
            for i, target in self._sequence_matches(self._bits[idx]):
                special.setdefault(target, []).append(i)
        if len(self.doc_level):
            for match_id, start, end in self.doc_level(doc, allow_missing=True):
                i = self._doc_level_of[match_id]
                index = self.indices[i]
                target = (start if index >= 0 else end) + index
                if not start <= target < end:
                    raise ValueError(f"attribute_ruler pattern {i}: index {index} outside match")
                special.setdefault(target, []).append(i)
        for j in np.flatnonzero(arr[:, 3:].any(axis=1)).tolist():
            special.setdefault(j, [])
        for j, extra in special.items():
            o, t, d, p, m, lem = arr[j].tolist()
            out[j] = self._resolve(o, (t, d, p, m, lem), [*self._hits[rows[j]], *extra])
        # TAG and DEP only change on a few tokens (whitespace, in the small English model).
        changed = bool((out[:, :2] != arr[:, 1:3]).any())
        cols = _OUT if changed else _OUT[2:]
        doc.from_array(cols, out if changed else np.ascontiguousarray(out[:, 2:]))
        return doc


@Language.factory(NAME)
def make_fastattrs(nlp: Language, name: str, max_keys: int = 100_000) -> FastAttributes:
    """Built from the pipeline's own ``attribute_ruler`` and ``lemmatizer`` (both must be there)."""
    return FastAttributes(nlp.get_pipe(STOCK[0]), nlp.get_pipe(STOCK[1]), max_keys=max_keys)


def replace_stock(nlp: Language) -> bool:
    """Put :data:`NAME` where the stock ``attribute_ruler`` was and remove both stock components."""
    if not all(c in nlp.pipe_names for c in STOCK):
        return False
    try:
        nlp.add_pipe(NAME, before=STOCK[0])
    except ValueError as exc:
        log.warning("keeping the stock attribute_ruler and lemmatizer: %s", exc)
        return False
    for component in STOCK:
        nlp.remove_pipe(component)
    return True
