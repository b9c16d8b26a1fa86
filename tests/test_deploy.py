"""What production relies on: the compose file, deploy checks, refusing bad
configuration, and a Content-Security-Policy that only allows local assets."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.test import Client

BASE_DIR = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "beat")
LONG_RUNNING_WITH_HEALTHCHECK = ("web", "worker", "postgres", "redis")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


def command_of(service: dict[str, Any]) -> str:
    command = service["command"]
    return command if isinstance(command, str) else " ".join(command)


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_env(**overrides: str) -> dict[str, str]:
    """The test's environment with production values; SECURE_* fall back to their defaults."""
    env = dict(os.environ)
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser journeys' conftest in this process;
    # a production process never has it (check --deploy reports it as async.E001).
    for name in (
        "SECURE_SSL_REDIRECT",
        "SECURE_COOKIES",
        "SECURE_HSTS_SECONDS",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    ):
        env.pop(name, None)
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="recovery.example.org",
    )
    env.update(overrides)
    return env


# docker-compose.yml


def test_compose_runs_web_worker_beat_postgres_and_redis(compose: dict[str, Any]) -> None:
    assert {"web", "worker", "beat", "postgres", "redis"} <= set(compose["services"])


def test_compose_uses_postgres_16_and_redis_7(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")


def test_web_runs_gunicorn_on_all_interfaces(compose: dict[str, Any]) -> None:
    command = command_of(compose["services"]["web"])
    assert re.search(r"\bgunicorn\s+recovery\.wsgi\b", command)
    assert "0.0.0.0:8000" in command


def test_worker_and_beat_run_celery_for_the_recovery_app(compose: dict[str, Any]) -> None:
    worker = command_of(compose["services"]["worker"]).split()
    beat = command_of(compose["services"]["beat"]).split()
    assert worker[:4] == ["celery", "-A", "recovery", "worker"]
    assert beat[:4] == ["celery", "-A", "recovery", "beat"]


def test_beat_keeps_its_schedule_in_a_volume(compose: dict[str, Any]) -> None:
    beat = compose["services"]["beat"]
    schedule = re.search(r"--schedule[= ](\S+)", command_of(beat))
    assert schedule
    mounts = [volume.split(":")[1] for volume in beat["volumes"]]
    assert any(schedule.group(1).startswith(mount + "/") for mount in mounts)


def test_migrations_run_once_before_the_app_starts(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert "migrate" in command_of(services["migrate"])
    for name in APP_SERVICES:
        depends_on = services[name]["depends_on"]
        assert depends_on["migrate"]["condition"] == "service_completed_successfully"


@pytest.mark.parametrize("name", LONG_RUNNING_WITH_HEALTHCHECK)
def test_every_long_running_service_has_a_healthcheck(compose: dict[str, Any], name: str) -> None:
    test = compose["services"][name]["healthcheck"]["test"]
    assert test[0] in {"CMD", "CMD-SHELL"}
    assert len(test) > 1


def test_healthchecks_ask_the_right_question(compose: dict[str, Any]) -> None:
    services = compose["services"]

    def check(name: str) -> str:
        return " ".join(services[name]["healthcheck"]["test"][1:])

    assert "http://127.0.0.1:8000/healthz" in check("web")
    assert "pg_isready" in check("postgres")
    assert "redis-cli ping" in check("redis")
    assert "celery -A recovery inspect ping -d celery@$$HOSTNAME" in check("worker")


def test_named_volumes_are_declared_and_used(compose: dict[str, Any]) -> None:
    declared = set(compose["volumes"])
    assert {"postgres", "redis", "media", "beat"} <= declared
    used = {
        volume.split(":")[0]
        for service in compose["services"].values()
        for volume in service.get("volumes", [])
    }
    assert declared <= used
    services = compose["services"]
    assert "postgres:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    assert "redis:/data" in services["redis"]["volumes"]
    assert any(volume.startswith("media:") for volume in services["web"]["volumes"])


@pytest.mark.parametrize("name", ("migrate", *APP_SERVICES))
def test_app_services_read_env_file_and_reach_postgres_and_redis(
    compose: dict[str, Any], name: str
) -> None:
    service = compose["services"][name]
    env_file = service["env_file"]
    assert env_file == ".env" or env_file == [".env"]
    environment = service["environment"]
    assert re.match(r"postgres(ql)?://[^@]+@postgres:5432/", environment["DATABASE_URL"])
    assert re.match(r"redis://redis:6379/", environment["REDIS_URL"])


@pytest.mark.parametrize("name", ("migrate", *APP_SERVICES))
def test_app_services_wait_for_healthy_dependencies(compose: dict[str, Any], name: str) -> None:
    depends_on = compose["services"][name]["depends_on"]
    assert depends_on["redis"]["condition"] == "service_healthy"
    if name != "beat":
        assert depends_on["postgres"]["condition"] == "service_healthy"


def test_the_example_environment_holds_no_real_secret() -> None:
    example = (BASE_DIR / ".env.example").read_text()
    values = dict(
        line.split("=", 1) for line in example.splitlines() if line and not line.startswith("#")
    )
    assert values["SECRET_KEY"].startswith("replace-me")
    assert values["POSTGRES_PASSWORD"].startswith("replace-me")
    assert values["DEBUG"] == "0"
    assert values["DEMO_MODE"] == "0"


def test_every_variable_the_settings_read_is_documented() -> None:
    settings_source = (BASE_DIR / "recovery" / "settings.py").read_text()
    variables = set(re.findall(r"env_\w+\(\s*\"([A-Z_]+)\"", settings_source))
    assert {"SECRET_KEY", "DATABASE_URL", "EMAIL_BACKEND"} <= variables
    readme = (BASE_DIR / "README.md").read_text()
    example = (BASE_DIR / ".env.example").read_text()
    assert {name for name in variables if f"| `{name}` |" not in readme} == set()
    assert {name for name in variables if name not in example} == set()


# Production settings


def test_deploy_check_finds_no_issue_with_production_defaults() -> None:
    result = manage("check", "--deploy", env=production_env())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNINGS" not in output


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"DATABASE_URL": None}, "DATABASE_URL"),
        ({"DATABASE_URL": "mysql://db/recovery"}, "DATABASE_URL"),
        ({"REDIS_URL": None}, "REDIS_URL"),
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"SECRET_KEY": "too-short-for-production"}, "SECRET_KEY"),
        ({"SESSION_IDLE_MINUTES": "half an hour"}, "SESSION_IDLE_MINUTES"),
    ],
)
def test_a_missing_or_malformed_variable_stops_the_process_naming_it(
    change: dict[str, str | None], named: str
) -> None:
    env = production_env()
    for name, value in change.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    result = manage("check", env=env)
    assert result.returncode != 0
    assert named in result.stderr


# Content-Security-Policy


def test_scripts_may_only_come_from_the_site_itself(db: None, client: Client) -> None:
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
        if " " in directive.strip()
    )
    assert policy["script-src"] == "'self'"
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_the_login_page_loads_no_asset_from_another_host(db: None, client: Client) -> None:
    html = client.get("/accounts/login/").text
    assets = re.findall(r"<script\b[^>]*\bsrc=\"([^\"]*)\"", html) + re.findall(
        r"<link\b[^>]*\bhref=\"([^\"]*)\"", html
    )
    assert assets
    assert all(asset.startswith("/static/") for asset in assets), assets
    assert not re.search(r"<script\b(?![^>]*\bsrc=)[^>]*>\s*\S", html), "inline script"
