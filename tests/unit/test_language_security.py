import pytest

from wirewatch.config import ConfigError, Settings
from wirewatch.language import detect_unsupported
from wirewatch.records import BadArticle, validate_article
from wirewatch.security import aiokafka_kwargs, faust_credentials

GERMAN = (
    "Die Bundesregierung hat am Dienstag angekündigt, dass sie die Hilfen für die Ukraine ausweiten "
    "will. Der Kanzler sagte, man werde alles tun, um die Menschen in der Ukraine zu unterstützen, und "
    "kündigte weitere Gespräche mit den Partnern in der Europäischen Union an."
)
ENGLISH = (
    "The government said on Tuesday that it would expand its aid to Ukraine. The chancellor said the "
    "country would do everything it could to support the people and announced further talks with its "
    "partners in the European Union in the coming days."
)


def test_english_passes_and_german_is_detected():
    assert detect_unsupported(ENGLISH, None) is None
    reason = detect_unsupported(GERMAN, None)
    assert reason and "English" in reason


def test_declared_language_wins_and_short_text_passes():
    assert "declared" in detect_unsupported(ENGLISH, "de")
    assert detect_unsupported(ENGLISH, "en-GB") is None
    assert detect_unsupported("Schnell gesagt.", None) is None  # too short to judge


def test_non_english_article_is_refused_with_a_kind():
    with pytest.raises(BadArticle) as exc:
        validate_article({"id": "de-1", "body": GERMAN})
    assert exc.value.kind == "unsupported_language"
    assert exc.value.article_id == "de-1"


def test_plaintext_by_default():
    kw = aiokafka_kwargs(Settings(bootstrap="k:9092"))
    assert kw == {"bootstrap_servers": "k:9092", "security_protocol": "PLAINTEXT"}
    assert faust_credentials(Settings()) is None


def test_sasl_scram_is_passed_through_and_password_never_in_repr(monkeypatch):
    monkeypatch.setenv("WIREWATCH_KAFKA_SECURITY_PROTOCOL", "sasl_ssl")
    monkeypatch.setenv("WIREWATCH_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
    monkeypatch.setenv("WIREWATCH_KAFKA_SASL_USERNAME", "wire")
    monkeypatch.setenv("WIREWATCH_KAFKA_SASL_PASSWORD", "s3cret-value")
    s = Settings.from_env()
    kw = aiokafka_kwargs(s)
    assert kw["security_protocol"] == "SASL_SSL"
    assert kw["sasl_mechanism"] == "SCRAM-SHA-512"
    assert kw["sasl_plain_username"] == "wire" and kw["sasl_plain_password"] == "s3cret-value"
    assert kw["ssl_context"] is not None
    creds = faust_credentials(s)
    assert creds.username == "wire" and str(creds.mechanism.value) == "SCRAM-SHA-512"
    assert "s3cret-value" not in repr(s)


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"WIREWATCH_KAFKA_SECURITY_PROTOCOL": "TLS"}, "SECURITY_PROTOCOL"),
        ({"WIREWATCH_KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT"}, "SASL_USERNAME"),
        (
            {
                "WIREWATCH_KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
                "WIREWATCH_KAFKA_SASL_MECHANISM": "MD5",
                "WIREWATCH_KAFKA_SASL_USERNAME": "u",
                "WIREWATCH_KAFKA_SASL_PASSWORD": "p",
            },
            "SASL_MECHANISM",
        ),
        (
            {
                "WIREWATCH_KAFKA_SECURITY_PROTOCOL": "SSL",
                "WIREWATCH_KAFKA_SSL_CAFILE": "/nonexistent/ca.pem",
            },
            "CAFILE",
        ),
    ],
)
def test_bad_security_settings_are_clear_errors(monkeypatch, env, needle):
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    with pytest.raises(ConfigError) as exc:
        aiokafka_kwargs(Settings.from_env())
    assert needle in str(exc.value)
