"""``benchmarks/run.py --quick`` on the enyang preset: the command runs end to end, prints its table and
writes JSON whose checks hold (the SQL floors compute the app's own results, balances equal their
ledgers, no API failures). The timings themselves are measured by the command, not asserted here."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.load, pytest.mark.django_db(transaction=True)]


def test_quick_run_on_the_enyang_preset(tmp_path):
    call_command("seed_demo", preset="enyang", seed=1, stdout=StringIO())
    name = settings.DATABASES["default"]["NAME"]
    server = urlsplit(os.environ["DATABASE_URL"])
    output = tmp_path / "results.json"

    result = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--presets", "enyang", "--quick", "--database", name,
         "--json", str(output)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        env={**os.environ, "DATABASE_URL": urlunsplit(server._replace(path="/postgres"))},
    )  # fmt: skip

    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    table = result.stdout
    for row in ("village ranking, every county (s)", "city dashboard median / p95 (ms)", "API villages"):
        assert row in table
    preset = json.loads(output.read_text(encoding="utf-8"))["presets"][0]
    assert preset["preset"] == "enyang" and preset["scale"]["villages"] == 209

    ranking = preset["ranking"]
    assert ranking["counties"] == 1 and ranking["subjects"] == 209
    assert ranking["floor"]["match"] is True and ranking["floor"]["equal"] == 209
    assert ranking["worker_processes"]["processes"] == 2 and ranking["floor"]["ratio_worker_processes"] > 0

    dashboard = preset["dashboard"]
    assert dashboard["floor"]["match"] is True, dashboard["floor"]["differences"]
    assert dashboard["queries"] <= 25

    for name, phases in preset["api"]["lists"].items():
        for pace, stats in phases.items():
            assert stats["requests"] > 0 and stats["failures"] == 0, (name, pace, stats)

    redemptions = preset["redemptions"]
    assert redemptions["balances_checked"] is True
    for case in ("one_resident", "many_residents"):
        assert redemptions[case]["redemptions"] == redemptions[case]["threads"] * 5
        assert redemptions[case]["errors"] == 0

    outcome = preset["import"]["outcome"]
    assert outcome["commit_state"] == "committed" and outcome["rows_created"] == preset["import"]["rows"]
    assert set(preset["explain"]["lists"]) == {
        "villages",
        "households",
        "morality ledger",
        "cadres",
        "duty logs",
    }
