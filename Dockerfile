# wirewatch's agents (enricher, alerter) and CLI. The broker is not in here: docker-compose.yml
# runs apache/kafka beside it, and WIREWATCH_KAFKA_BOOTSTRAP points the agents at it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 wirewatch
WORKDIR /app

# Dependencies first, so editing the code does not reinstall spaCy.
COPY pyproject.toml README.md ./
COPY services/ services/
RUN pip install .

COPY schemas/ schemas/
COPY seeds/ seeds/

USER wirewatch
# State (and the cache) in the user's home, not in /app, which the user cannot write.
ENV WIREWATCH_STATE_DIR=/home/wirewatch/.wirewatch \
    WIREWATCH_CACHE_DIR=/home/wirewatch/.cache/wirewatch

ENTRYPOINT ["wirewatch"]
CMD ["--help"]
