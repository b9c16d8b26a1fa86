# Production image: gunicorn (web), Celery worker and beat share it.
# Built and run by docker-compose.yml; see README, "Production with docker compose".
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    PATH="/app/.venv/bin:$PATH"

WORKDIR /app

# Dependencies first, from the lock file only, so code changes reuse this layer.
RUN pip install --no-cache-dir --disable-pip-version-check uv==0.13.9
COPY pyproject.toml uv.lock ./
# Every dependency is a wheel (ICU comes prebuilt in pyicu-wheels): no compiler needed.
RUN uv sync --frozen --no-dev --no-install-project --no-cache

COPY . .

# Settings refuse to load without these; collectstatic never connects, so
# throwaway values are enough. They do not reach the running containers.
# The compiled translations (.mo) are committed beside their catalogs.
ARG SECRET_KEY=build-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz
ARG DATABASE_URL=postgresql://build@localhost:5432/build
ARG REDIS_URL=redis://localhost:6379/0
RUN DEBUG=0 python manage.py collectstatic --noinput -v 0

# Unprivileged user; var/ holds the media and beat-schedule volumes, which
# Docker initialises with this ownership.
RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin recovery \
 && mkdir -p /app/var/media /app/var/beat \
 && chown -R recovery:recovery /app/var
USER recovery

EXPOSE 8000
CMD ["gunicorn", "recovery.wsgi", "--bind=0.0.0.0:8000", "--access-logfile=-"]
