"""The rule records and the text normalisation both sides of a match share.

Pure data: no I/O, no matching. ``parse.py`` builds these from a file, ``match.py`` compiles them.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Condition keys a rule may carry; a rule needs at least one of them.
CONDITION_KEYS = ("keywords", "said", "speaker", "actors")
#: Every key a rule may carry.
RULE_KEYS = ("id", "description", "sinks", *CONDITION_KEYS)
#: Modes of a term condition (``keywords``, ``said``, ``actors``).
TERM_MODES = ("any", "all", "none")
#: Sink names a rule may route its alerts to (see ``sinks.py``).
SINK_NAMES = ("log", "file")

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
class Rule:
    """One validated rule. All present conditions must hold for the rule to fire.

    - ``keywords``: words/phrases in headline + body.
    - ``actors``: actors mentioned anywhere in the article (id, name or alias).
    - ``speaker`` / ``said``: there is a statement whose speaker is one of ``speaker`` (any
      speaker when omitted) and whose content satisfies ``said`` (anything when omitted).
    """

    id: str
    index: int = 0
    description: str | None = None
    sinks: tuple[str, ...] = ()
    keywords: Terms | None = None
    said: Terms | None = None
    speaker: tuple[str, ...] = ()
    actors: Terms | None = None


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
