"""Alert rules: parse and validate rule files, compile them, match enriched articles.

Pure library (no Kafka): the alerter agent and ``wirewatch alerts test`` call exactly this::

    ruleset = load_rules("rules.yaml", actors=load_actors("actors.yaml"))
    alerts = ruleset.match(enriched_article)

Sinks (``sinks.py``) do I/O and are imported separately.
"""

from .match import RuleSet, alert_id
from .model import Rule, RulesError, Terms
from .parse import load_rules, parse_rules

__all__ = ["Rule", "RuleSet", "RulesError", "Terms", "alert_id", "load_rules", "parse_rules"]
