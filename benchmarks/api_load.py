"""API list load: gunicorn (2 workers on 127.0.0.1) against one database, locust in a separate process.

No Django in this process: the server and locust are subprocesses, the token comes over HTTP.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from benchmarks.common import ROOT, SETTINGS

DEMO_PASSWORD = "Touyan-2026!"  # noqa: S105 - the documented demo password (docs/demo-logins.txt)
LOCUSTFILE = ROOT / "benchmarks" / "locust_lists.py"
LISTS = ("villages", "households", "morality ledger")  # as named in locust_lists.LISTS
PHASES = ("paced", "flat-out")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(database_url: str, *, workers: int = 2) -> Iterator[str]:
    """A gunicorn serving the app on a free port of 127.0.0.1; yields its URL."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DATABASE_URL": database_url,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "API_RATE_PER_USER": "1000000/min",  # every simulated client shares one account
    }
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--config", "config/gunicorn.py",
             "--workers", str(workers)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            if not _answers(url, process):
                process.terminate()
                process.wait(timeout=60)
                log.seek(0)
                raise RuntimeError("gunicorn did not start:\n" + log.read().decode(errors="replace")[-3000:])
            yield url
        finally:
            process.terminate()
            process.wait(timeout=60)


def _answers(url: str, process: subprocess.Popen, seconds: float = 60) -> bool:
    """Whether the server answers ``/healthz`` within ``seconds`` (False at once if it exits)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=5)  # noqa: S310 - our own local server
            return True
        except OSError:
            time.sleep(0.2)
    return False


def api_token(url: str, username: str) -> str:
    request = urllib.request.Request(  # noqa: S310 - our own local server
        f"{url}/api/v1/auth/token/",
        data=json.dumps({"username": username, "password": DEMO_PASSWORD}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        return json.load(response)["token"]


def run_locust(url: str, token: str, *, list_name: str, pace: str, users: int, seconds: int) -> dict:
    """One headless locust run on one list: requests, failures, requests/s, p50 and p95 (ms)."""
    with tempfile.TemporaryDirectory() as folder:
        prefix = Path(folder) / "lists"
        result = subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "-u", str(users),
             "-r", str(users), "-t", f"{seconds}s", "--host", url, "--csv", str(prefix), "--only-summary",
             "--stop-timeout", "10", "--loglevel", "WARNING"],
            cwd=ROOT, env={**os.environ, "LOAD_TOKEN": token, "LOAD_PACE": pace, "LOAD_LIST": list_name},
            capture_output=True, text=True, timeout=seconds + 180,
        )  # fmt: skip
        stats_file = prefix.with_name("lists_stats.csv")
        if not stats_file.exists():
            raise RuntimeError(f"locust wrote no statistics:\n{(result.stdout + result.stderr)[-3000:]}")
        with stats_file.open(newline="") as stream:
            row = next(row for row in csv.DictReader(stream) if row["Name"] == "Aggregated")
    return {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "rps": round(float(row["Requests/s"]), 1),
        "p50_ms": _number(row["50%"]),
        "p95_ms": _number(row["95%"]),
    }


def _number(value: str) -> float | None:
    return None if value in ("", "N/A") else float(value)


def measure_api_load(
    database_url: str, *, users: int = 20, seconds: int = 20, username: str = "city_admin"
) -> dict:
    """Each list on its own, paced (the latency target) then flat out (the throughput)."""
    with gunicorn(database_url) as url:
        token = api_token(url, username)
        lists = {
            name: {
                pace: run_locust(url, token, list_name=name, pace=pace, users=users, seconds=seconds)
                for pace in PHASES
            }
            for name in LISTS
        }
    return {"user": username, "workers": 2, "users": users, "seconds": seconds, "lists": lists}
