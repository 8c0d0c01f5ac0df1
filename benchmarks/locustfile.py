"""Mixed API load from township clerks: list, read and create villages, then check nothing was lost.

    locust -f benchmarks/locustfile.py --headless -u 20 -r 10 -t 2m --host http://127.0.0.1:8000

Log-in defaults to the demo account ``township_staff`` (LOAD_USERNAME / LOAD_PASSWORD override it).
Start the server with a high per-user rate (``API_RATE_PER_USER=100000/min``): every simulated
clerk shares one account. At the end the run checks that every village the API answered 201 for
is in the database and that no response was a 5xx; otherwise the exit code is 1.
"""

import itertools
import os
import random
import uuid

import requests
from locust import HttpUser, between, events, task

RUN = uuid.uuid4().hex[:6]
USERNAME = os.environ.get("LOAD_USERNAME", "township_staff")
PASSWORD = os.environ.get("LOAD_PASSWORD", "Touyan-2026!")
results = {"created": 0, "server_errors": 0}
free_codes: list[str] = []
sequence = itertools.count(1)


def token_headers(post) -> dict:
    response = post("/api/v1/auth/token/", json={"username": USERNAME, "password": PASSWORD})
    response.raise_for_status()
    return {"Authorization": f"Token {response.json()['token']}", "Accept-Language": "en"}


class Api:
    """A plain client for the set-up and the final check, outside locust's statistics."""

    def __init__(self, host: str):
        self.host, self.session = host.rstrip("/"), requests.Session()
        self.session.headers.update(token_headers(lambda url, **kw: self.session.post(self.host + url, **kw)))

    def get(self, url: str) -> dict:
        response = self.session.get(self.host + url, timeout=30)
        response.raise_for_status()
        return response.json()


@events.request.add_listener
def count_server_errors(response=None, **kwargs):
    if response is not None and response.status_code >= 500:
        results["server_errors"] += 1


@events.test_start.add_listener
def reserve_free_codes(environment, **kwargs):
    """Codes still free in the clerk's township, shared by all simulated users of this process."""
    api = Api(environment.host)
    township = api.get("/api/v1/townships/")["results"][0]
    used, url = set(), f"/api/v1/villages/?township={township['id']}&page_size=500"
    while url:
        body = api.get(url.removeprefix(api.host))
        used |= {row["code"] for row in body["results"]}
        url = body["next"]
    prefix = township["code"][:9]
    free_codes.extend(code for n in range(1, 1000) if (code := f"{prefix}{n:03d}") not in used)
    random.Random(RUN).shuffle(free_codes)
    environment.township_id = township["id"]


@events.test_stop.add_listener
def check_no_lost_writes(environment, **kwargs):
    stored = Api(environment.host).get(f"/api/v1/villages/?search=LOAD{RUN}&page_size=1")["count"]
    lost = results["created"] - stored
    print(
        f"load check: run {RUN}: {results['created']} villages created (201), {stored} stored, "
        f"{lost} lost, {results['server_errors']} responses 5xx"
    )
    if lost or results["server_errors"]:
        environment.process_exit_code = 1


class TownshipClerk(HttpUser):
    wait_time = between(0.05, 0.3)

    def on_start(self):
        self.client.headers.update(token_headers(self.client.post))
        self.village_ids = [
            row["id"] for row in self.client.get("/api/v1/villages/?page_size=100").json()["results"]
        ]

    @task(6)
    def list_villages(self):
        query = random.choice(["", "&search=村", "&poverty_status=poor"])
        self.client.get(f"/api/v1/villages/?page_size=100{query}", name="villages list")

    @task(3)
    def read_village(self):
        if self.village_ids:
            self.client.get(f"/api/v1/villages/{random.choice(self.village_ids)}/", name="village detail")

    @task(1)
    def create_village(self):
        if not free_codes:
            return
        payload = {
            "code": free_codes.pop(),
            "name": f"LOAD{RUN}-{next(sequence)}",
            "township": self.environment.township_id,
            "population_registered": 100,
        }
        with self.client.post(
            "/api/v1/villages/", json=payload, name="village create", catch_response=True
        ) as response:
            if response.status_code == 201:
                results["created"] += 1
                self.village_ids.append(response.json()["id"])
            else:
                response.failure(f"create answered {response.status_code}")
