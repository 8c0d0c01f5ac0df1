"""Read load on an API list (villages, poor households or the morality ledger), 100 rows a page.

    LOAD_TOKEN=<token> LOAD_LIST=villages locust -f benchmarks/locust_lists.py --headless \
        -u 20 -r 20 -t 20s --host http://127.0.0.1:8000 --csv /tmp/villages

``benchmarks/run.py`` starts gunicorn, fetches the token of the demo ``city_admin`` and runs this for
each list twice: ``LOAD_PACE=paced`` (each simulated client waits 0.5–1.5 s after an answer before
its next request, as people and integrations do) for the latency target, and ``LOAD_PACE=flat-out``
(no wait) for the throughput. ``LOAD_LIST`` names one list (default: all three, taken in turn).
Each client reads the first pages of its list in turn (as many as exist, up to five), after reading
one of them outside the statistics (a warm-up) and, paced, after a first random wait (so the clients
do not all start in the same millisecond); an answer other than a 200 with a page of JSON counts as
a failure.
"""

import itertools
import math
import os
import random

import requests
from locust import HttpUser, between, constant, task

LISTS = {
    "villages": "/api/v1/villages/",
    "households": "/api/v1/households/",
    "morality ledger": "/api/v1/morality/ledger/",
}
PAGE_SIZE = 100
PAGES = 5  # the first pages: what a person or a sync job reads first


def chosen_lists() -> list[str]:
    chosen = os.environ.get("LOAD_LIST", "")
    return [chosen] if chosen else list(LISTS)


def page_url(list_url: str, page: int) -> str:
    return f"{list_url}?page_size={PAGE_SIZE}&page={page}"


class ListReader(HttpUser):
    wait_time = between(0.5, 1.5) if os.environ.get("LOAD_PACE", "paced") == "paced" else constant(0)

    def on_start(self):
        headers = {"Authorization": f"Token {os.environ['LOAD_TOKEN']}", "Accept-Language": "en"}
        self.client.headers.update(headers)
        self.pages = {}
        for name in chosen_lists():  # outside locust's statistics
            count = requests.get(f"{self.host}{LISTS[name]}?page_size=1", headers=headers, timeout=60).json()[
                "count"
            ]
            pages = range(1, max(min(PAGES, math.ceil(count / PAGE_SIZE)), 1) + 1)
            # Warm-up: a fresh server process's first requests (imports, caches) are not what a client
            # of a running server meets (measured: villages paced p95 140 ms cold, 85 ms warm).
            requests.get(page_url(self.host + LISTS[name], random.choice(pages)), headers=headers, timeout=60)
            self.pages[name] = itertools.cycle(pages)
        self.lists = itertools.cycle(chosen_lists())
        # Paced clients start at random moments, as independent people and systems do, not all at once.
        self.wait()

    @task
    def read(self):
        name = next(self.lists)
        page = next(self.pages[name])
        url = page_url(LISTS[name], page)
        with self.client.get(url, name=name, catch_response=True) as response:
            # Parsing every 100-row body would take this process's CPU from the server's two cores.
            if response.status_code != 200 or not response.content.startswith(b'{"count":'):
                response.failure(f"answered {response.status_code}")
