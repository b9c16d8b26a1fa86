"""/healthz tells an operator whether PostgreSQL and Redis answer."""

from __future__ import annotations

from django.db import connection
from django.test import Client


def test_health_is_ok_when_database_and_redis_answer(db: None, client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}


def test_health_names_redis_when_it_is_down(db: None, client: Client, settings) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "redis": "down"}


def test_health_names_the_database_when_it_is_down(transactional_db: None, client: Client) -> None:
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update({"HOST": "127.0.0.1", "PORT": "1"})
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "down", "redis": "ok"}
