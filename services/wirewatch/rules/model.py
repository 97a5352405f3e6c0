"""The rule records and the text normalisation both sides of a match share.

Pure data: no I/O, no matching. ``parse.py`` builds these from a file, ``match.py`` compiles them.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Condition keys a rule may carry; a rule needs at least one of them.
CONDITION_KEYS = (
    "keywords", "near", "said", "speaker", "actors", "quoted", "entities", "source", "language",
)  # fmt: skip
#: Options that shape delivery, not matching.
OPTION_KEYS = ("description", "sinks", "throttle", "group_by")
#: Every key a rule may carry.
RULE_KEYS = ("id", *OPTION_KEYS, *CONDITION_KEYS)
#: Modes of a term condition (``keywords``, ``said``, ``actors``, ``entities``, ...).
TERM_MODES = ("any", "all", "none")
#: Sink names a rule may route its alerts to (see ``sinks.py``).
SINK_NAMES = ("log", "file", "webhook", "slack")
#: What ``group_by`` may name: throttle per speaker or per matched actor instead of per rule.
GROUP_BY = ("speaker", "actor")

_QUOTES = ("\u2019", "\u2018", "\u02bc")  # right/left single quote, modifier apostrophe


class RulesError(ValueError):
    """A rules file or document is invalid; the message names file, rule, field and the fix.

    The parts are kept as attributes so callers (CLI, agent logs) can format them differently.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str = "<rules>",
        rule_id: str | None = None,
        index: int | None = None,
        path: tuple[str | int, ...] = (),
        line: int | None = None,
    ) -> None:
        self.message = message
        self.source = source
        self.rule_id = rule_id
        self.index = index
        self.path = path
        self.line = line
        super().__init__(str(self))

    @property
    def field(self) -> str:
        """Dotted field path inside the rule, e.g. ``keywords.all[2]``."""
        return format_path(self.path)

    def __str__(self) -> str:
        where = [self.source]
        if self.index is not None:
            if self.rule_id is not None:
                where.append(f"rule {self.rule_id!r} (rules[{self.index}])")
            else:
                where.append(f"rules[{self.index}]")
        if self.path:
            where.append(f"field {self.field!r}")
        text = ": ".join([*where, self.message])
        return f"{text} (line {self.line})" if self.line else text

    def with_line(self, line: int | None) -> RulesError:
        return RulesError(
            self.message,
            source=self.source,
            rule_id=self.rule_id,
            index=self.index,
            path=self.path,
            line=line,
        )


def format_path(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


@dataclass(frozen=True)
class Terms:
    """An any/all/none condition over keywords or actor names, as written in the file.

    Holds when at least one ``any`` term is present (if there are any), every ``all`` term
    is present, and no ``none`` term is present.
    """

    any: tuple[str, ...] = ()
    all: tuple[str, ...] = ()
    none: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.any or self.all or self.none)

    @property
    def positive(self) -> bool:
        """True when the condition needs something to be present (so it can anchor a rule)."""
        return bool(self.any or self.all)


@dataclass(frozen=True)
class Near:
    """Two keywords (words, phrases or prefix*) at most ``within`` words apart, either order.

    Distance counts word starts: adjacent words are 1 apart.
    """

    first: str
    second: str
    within: int


@dataclass(frozen=True)
class SinkSpec:
    """Where a rule's alert goes: a sink name, optionally with its own URL (webhook, slack)."""

    name: str
    url: str | None = None

    def as_json(self) -> str | dict:
        return {self.name: self.url} if self.url else self.name


@dataclass(frozen=True)
class Rule:
    """One validated rule. All present conditions must hold for the rule to fire.

    - ``keywords``: words/phrases in headline + body.
    - ``actors``: actors mentioned anywhere in the article (id, name or alias).
    - ``speaker`` / ``said``: there is a statement whose speaker is one of ``speaker`` (any
      speaker when omitted) and whose content satisfies ``said`` (anything when omitted).
    - ``near``: each pair of keywords within so many words of each other (headline or body).
    - ``quoted``: with ``actors``, true means those actors appear as a statement's speaker,
      false means they are mentioned but not quoted.
    - ``entities``: entity labels (PERSON, ORG, GPE, ...) present in the article.
    - ``source`` / ``language``: filters on the article's source and language (``en`` also
      matches ``en-GB``).

    ``throttle`` (seconds) and ``group_by`` shape delivery; they do not change matching.
    """

    id: str
    index: int = 0
    description: str | None = None
    #: Sink names, or :class:`SinkSpec` for a sink with the rule's own URL.
    sinks: tuple[str | SinkSpec, ...] = ()
    keywords: Terms | None = None
    said: Terms | None = None
    speaker: tuple[str, ...] = ()
    actors: Terms | None = None
    near: tuple[Near, ...] = ()
    quoted: bool | None = None
    entities: Terms | None = None
    source: Terms | None = None
    language: Terms | None = None
    throttle: float | None = None
    group_by: str | None = None


def normalize_text(text: str) -> str:
    """Lower-case, unify apostrophes, collapse whitespace: what keyword scanning sees.

    Plain str methods on purpose: several times faster than ``re.sub`` / ``str.translate`` on
    article-sized text, and this runs for every headline, body and statement.
    """
    text = text.lower()
    for quote in _QUOTES:
        if quote in text:
            text = text.replace(quote, "'")
    return " ".join(text.split())


def is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def keyword_problem(term: str) -> str | None:
    """Why ``term`` is not a usable keyword (already stripped), or None when it is fine."""
    if not term:
        return "empty keyword; remove it or give a word or phrase"
    body = term[:-1] if term.endswith("*") else term
    if "*" in body:
        return (
            f"{term!r}: '*' is only allowed at the end of a keyword (prefix match, e.g. 'nuclear*')"
        )
    if not body.strip():
        return f"{term!r}: a prefix keyword needs at least one character before '*'"
    if body != body.rstrip():
        return f"{term!r}: no space before the trailing '*'; write e.g. 'nuclear*'"
    return None


def keyword_key(term: str) -> str:
    """The normalised form a keyword is indexed under; prefix keywords keep their ``*``."""
    return normalize_text(term.strip())


_DURATION_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(value: object) -> float | None:
    """``"10m"``, ``"90s"``, ``"1h"``, ``"1d"``, ``"500ms"`` or a number of seconds; None if bad."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if value > 0 else None
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    for unit in ("ms", "s", "m", "h", "d"):
        if text.endswith(unit):
            number = text[: -len(unit)].strip()
            try:
                seconds = float(number) * _DURATION_UNITS[unit]
            except ValueError:
                return None
            return seconds if seconds > 0 else None
    try:
        seconds = float(text)
    except ValueError:
        return None
    return seconds if seconds > 0 else None


def label_key(label: str) -> str:
    return label.strip().upper()


def lang_key(tag: str) -> str:
    """Primary language subtag: ``en-GB`` -> ``en``."""
    return tag.strip().lower().replace("_", "-").split("-")[0]


def source_key(source: str) -> str:
    return " ".join(source.lower().split())
