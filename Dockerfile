# factbot as a service. The install step is the README's (a venv, then pip install -e .), without
# the test extras. The knowledge folder is baked in and can be replaced by a mount at /app/knowledge;
# the question log and the health file live on the /data volume.
FROM python:3.11-slim

RUN useradd --system --create-home --home-dir /home/factbot factbot \
    && mkdir /data && chown factbot /data
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY knowledge ./knowledge
RUN python3 -m venv .venv && .venv/bin/pip install --no-cache-dir -e . && chown -R factbot /app/knowledge

ENV KNOWLEDGE_DIR=/app/knowledge \
    DATA_DIR=/data \
    DATABASE_PATH=/data/factbot.sqlite3 \
    HEALTH_FILE=/data/healthy \
    PYTHONUNBUFFERED=1
VOLUME ["/data"]
USER factbot

# `factbot run` closes the gateway and the log cleanly on SIGTERM (what `docker stop` sends).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["/app/.venv/bin/factbot", "health"]
CMD ["/app/.venv/bin/factbot", "run"]
