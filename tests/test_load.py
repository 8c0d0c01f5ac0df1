"""A bounded locust run against gunicorn on 127.0.0.1: 20 users, mixed reads and writes, no 5xx,
no lost writes (the locustfile checks both and sets the exit code). The full 2-minute run is a
README command; CI runs this 20-second version."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.load, pytest.mark.django_db(transaction=True)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_database_url() -> str:
    """DATABASE_URL pointed at the test database pytest-django created."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + settings.DATABASES["default"]["NAME"]))


test_database_url.__test__ = False


@pytest.fixture
def server():
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": test_database_url(),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "API_RATE_PER_USER": "1000000/min",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--config", "config/gunicorn.py", "--workers", "2"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=2)  # noqa: S310 - our own local server
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not start: " + process.stderr.read1().decode(errors="replace"))
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_twenty_users_for_twenty_seconds_lose_nothing(server):
    call_command("seed_demo", "--preset", "enyang", "--seed", "1")
    result = subprocess.run(
        [
            sys.executable, "-m", "locust", "-f", "benchmarks/locustfile.py", "--headless",
            "-u", "20", "-r", "10", "-t", "20s", "--host", server, "--only-summary", "--stop-timeout", "5",
        ],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    output = result.stdout + result.stderr
    print(output[-3000:])
    assert result.returncode == 0, output[-4000:]
    check = next(line for line in output.splitlines() if "load check:" in line)
    assert " 0 lost, 0 responses 5xx" in check, check
    created = int(check.split("run ")[1].split(": ")[1].split(" villages")[0])
    assert created > 0, check
