"""wirewatch: newswire enrichment (entities, statement attribution) and alerting over Kafka."""

__version__ = "0.1.0"
