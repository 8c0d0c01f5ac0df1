"""docker-compose.yml runs the same processes as `python3 dev.py run`, in a healthy order."""

import importlib.util
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "beat")
ALL_INTERFACES = "0.0.0.0"  # noqa: S104 - what the container must bind, compared not bound


def load_dev():
    spec = importlib.util.spec_from_file_location("touyan_dev", ROOT / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def dev():
    return load_dev()


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))["services"]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_compose_command_is_dev_service_command(dev, compose, name):
    assert compose[name]["command"] == dev.SERVICES[name]


def test_dev_defines_exactly_the_compose_app_services(dev):
    assert set(dev.SERVICES) == set(APP_SERVICES)


@pytest.mark.parametrize("name", ["postgres", "redis", "web"])
def test_service_has_healthcheck(compose, name):
    test = compose[name]["healthcheck"]["test"]
    assert test and test[0] in {"CMD", "CMD-SHELL"}


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_waits_for_healthy_postgres_and_redis(compose, name):
    depends_on = compose[name]["depends_on"]
    assert depends_on["postgres"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_starts_after_migrations(compose, name):
    assert compose[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_web_listens_on_all_interfaces_in_the_container(compose):
    environment = compose["web"]["environment"]
    assert environment["HOST"] == ALL_INTERFACES
    assert str(environment["PORT"]) == "8000"


def test_production_settings_and_no_default_secret(compose):
    for name in APP_SERVICES:
        environment = compose[name]["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?")


def test_gunicorn_binds_loopback_unless_told_otherwise(monkeypatch):
    monkeypatch.delenv("HOST", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    assert run_gunicorn_config()["bind"] == "127.0.0.1:8000"
    monkeypatch.setenv("HOST", ALL_INTERFACES)
    monkeypatch.setenv("PORT", "9000")
    assert run_gunicorn_config()["bind"] == "0.0.0.0:9000"


def run_gunicorn_config():
    namespace = {}
    source = (ROOT / "config" / "gunicorn.py").read_text(encoding="utf-8")
    exec(compile(source, "config/gunicorn.py", "exec"), namespace)  # noqa: S102 - our own config file
    return namespace


def test_production_settings_pass_the_deployment_checklist():
    """`manage.py check --deploy` is clean with production settings and a real secret."""
    # The browser tests' session fixture allows sync ORM calls under Playwright's loop; a deployment never does.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "touyan.example.cn",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
