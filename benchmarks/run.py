"""Build each scale preset on PostgreSQL, measure it, print one table and write the results as JSON.

    .venv/bin/python benchmarks/run.py [--presets bazhong,province,nation-sample] [--quick]
                                       [--json benchmarks/results/latest.json]

For each preset: a fresh database ``touyan_bench_<preset>`` on the server of ``DATABASE_URL``
(a clone of ``touyan_bench_template``, migrated once per run), ``seed_demo`` (timed), ``VACUUM
ANALYZE``, then ``benchmarks/measure.py`` in its own process (village ranking of every county and its
SQL floor, the city dashboard and its floor, EXPLAIN of the scoped API lists, morality redemptions,
the import hook) and the API load: gunicorn with 2 workers on 127.0.0.1 and locust headless in a
separate process. ``--database NAME`` measures an existing seeded database instead of building one.
The databases are kept (``--drop`` removes them) with their seed time, so ``--reuse`` measures a preset
again without seeding it; ``--seed-only`` builds and stops.

Targets (issue 12, 2-core machine) are printed beside the figures; benchmarks/README.md has the
measured table and docs/scaling.md what it means for larger installs.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

if __name__ == "__main__":  # run as a script: make the project importable first
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg

from benchmarks.api_load import measure_api_load
from benchmarks.common import ROOT, SETTINGS

PRESETS = ("enyang", "bazhong", "province", "nation-sample")
DEFAULT_PRESETS = "bazhong,province,nation-sample"
TEMPLATE = "touyan_bench_template"
DEFAULT_JSON = ROOT / "benchmarks" / "results" / "latest.json"


def database_url(name: str) -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + name))


def admin() -> psycopg.Connection:
    """A connection to the server's ``postgres`` database, for CREATE and DROP DATABASE."""
    return psycopg.connect(database_url("postgres"), autocommit=True)


def database_name(preset: str, prefix: str) -> str:
    return f"{prefix}{preset.replace('-', '_')}"


def recreate(name: str, *, template: str | None = None) -> None:
    with admin() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))


def drop(name: str) -> None:
    with admin() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(name: str, *args: str) -> float:
    """Run ``manage.py args`` against database ``name``; seconds it took."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=_env(name), check=True, stdout=subprocess.DEVNULL
    )
    return time.perf_counter() - started


def _env(name: str) -> dict:
    return {**os.environ, "DATABASE_URL": database_url(name), "DJANGO_SETTINGS_MODULE": SETTINGS}


def vacuum_analyze(name: str) -> float:
    started = time.perf_counter()
    with psycopg.connect(database_url(name), autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


def measure(name: str, *, quick: bool) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "measure.json"
        command = [sys.executable, "-m", "benchmarks.measure", "--json", str(output)]
        subprocess.run([*command, *(["--quick"] if quick else [])], cwd=ROOT, env=_env(name), check=True)
        return json.loads(output.read_text(encoding="utf-8"))


def load() -> float:
    return round(os.getloadavg()[0], 2)


def seeded(name: str, preset: str) -> dict | None:
    """What ``build`` recorded on database ``name`` (its preset and seed time), if it was built and kept."""
    with admin() as connection:
        row = connection.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
    try:
        record = json.loads(row[0]) if row and row[0] else None
    except json.JSONDecodeError:
        return None
    return record if record and record.get("preset") == preset else None


def build(preset: str, *, name: str, template: str) -> dict:
    """A fresh database ``name`` seeded with ``preset``; the seed time is kept in the database's comment
    so that ``--reuse`` can measure it again later without seeding (the seed time being part of the table)."""
    recreate(name, template=template)
    record = {
        "preset": preset,
        "seed_seconds": round(manage(name, "seed_demo", "--preset", preset, "--seed", "1"), 1),
    }
    with admin() as connection:
        connection.execute(f"COMMENT ON DATABASE \"{name}\" IS '{json.dumps(record)}'")
    print(f"  seeded in {record['seed_seconds']} s", flush=True)
    return record


def bench_preset(
    preset: str, *, name: str, quick: bool, build_it: bool, template: str, reuse: bool, seed_only: bool
) -> dict:
    print(f"{preset}: database {name}", flush=True)
    result: dict = {"preset": preset, "database": name, "load_before": load()}
    if build_it:
        record = seeded(name, preset) if reuse else None
        if record is not None:
            print(f"  reusing it (seeded in {record['seed_seconds']} s)", flush=True)
        else:
            record = build(preset, name=name, template=template)
        result["seed_seconds"] = record["seed_seconds"]
    if seed_only:
        return result
    result["vacuum_analyze_seconds"] = round(vacuum_analyze(name), 1)
    result.update(measure(name, quick=quick))
    started = time.perf_counter()
    result["api"] = measure_api_load(database_url(name), users=20, seconds=6 if quick else 20)
    print(f"  api: {time.perf_counter() - started:.1f} s", flush=True)
    result["load_after"] = load()
    return result


# The table


def _n(value, digits: int = 0) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


def _yes(value) -> str:
    return {True: "yes", False: "NO"}.get(value, "-")


def rows(results: list[dict]) -> list[tuple[str, list[str], str]]:
    """(label, one cell per preset, target) for the table."""

    def each(function):
        cells = []
        for result in results:
            try:
                cells.append(function(result))
            except (KeyError, TypeError, ZeroDivisionError):
                cells.append("-")
        return cells

    def api(name: str, pace: str, key: str):
        return lambda r: _n(r["api"]["lists"][name][pace][key], 1 if key == "rps" else 0)

    table = [
        ("villages", each(lambda r: _n(r["scale"]["villages"])), ""),
        (
            "households / ledger entries",
            each(lambda r: f"{_n(r['scale']['households'])} / {_n(r['scale']['ledger entries'])}"),
            "",
        ),
        ("database size (MB)", each(lambda r: _n(r["scale"]["database MB"])), ""),
        ("seed (s)", each(lambda r: _n(r.get("seed_seconds"), 1)), ""),
        (
            "village ranking, every county (s)",
            each(lambda r: _n(r["ranking"]["seconds"], 1)),
            "≤ 20 s at 25,000",
        ),
        (
            "  ms per village",
            each(lambda r: _n(1000 * r["ranking"]["seconds"] / r["ranking"]["subjects"], 2)),
            "flat (linear)",
        ),
        ("  queries per county (max)", each(lambda r: _n(r["ranking"]["max_queries_per_county"])), ""),
        (
            "  on the worker's 2 processes: all / slowest county (s)",
            each(
                lambda r: (
                    f"{_n(r['ranking']['worker_processes']['seconds'], 1)} / "
                    f"{_n(r['ranking']['worker_processes']['max_county_seconds'], 1)}"
                )
            ),
            "",
        ),
        ("  SQL floor (s)", each(lambda r: _n(r["ranking"]["floor"]["seconds"], 1)), ""),
        (
            "  app ÷ floor: one process / worker's 2",
            each(
                lambda r: (
                    f"{r['ranking']['floor']['ratio']:.2f}× / "
                    f"{r['ranking']['floor']['ratio_worker_processes']:.2f}×"
                )
            ),
            "≤ 2×",
        ),
        ("  same scores and ranks", each(lambda r: _yes(r["ranking"]["floor"]["match"])), "yes"),
        (
            "city dashboard median / p95 (ms)",
            each(lambda r: f"{_n(r['dashboard']['median_ms'])} / {_n(r['dashboard']['p95_ms'])}"),
            "≤ 150 ms median",
        ),
        ("  SQL queries", each(lambda r: _n(r["dashboard"]["queries"])), "≤ 25"),
        ("  SQL floor median (ms)", each(lambda r: _n(r["dashboard"]["floor"]["median_ms"])), ""),
        ("  app ÷ floor", each(lambda r: f"{r['dashboard']['floor']['ratio']:.2f}×"), "≤ 2×"),
        ("  same figures", each(lambda r: _yes(r["dashboard"]["floor"]["match"])), "yes"),
    ]
    for name in ("villages", "households", "morality ledger"):
        table += [
            (
                f"API {name}: 20 paced clients p50 / p95 (ms)",
                each(lambda r, n=name: f"{api(n, 'paced', 'p50_ms')(r)} / {api(n, 'paced', 'p95_ms')(r)}"),
                "p95 ≤ 100 ms" if name == "villages" else "",
            ),
            (
                "  requests/s paced, failures",
                each(lambda r, n=name: f"{api(n, 'paced', 'rps')(r)}, {api(n, 'paced', 'failures')(r)}"),
                "0 failures",
            ),
            (
                "  flat out: requests/s, p95 (ms), failures",
                each(
                    lambda r, n=name: (
                        f"{api(n, 'flat-out', 'rps')(r)}, {api(n, 'flat-out', 'p95_ms')(r)}, "
                        f"{api(n, 'flat-out', 'failures')(r)}"
                    )
                ),
                "",
            ),
        ]
    table += [
        ("redemptions/s: one resident / many", each(lambda r: (
            f"{_n(r['redemptions']['one_resident']['per_second'], 1)} / "
            f"{_n(r['redemptions']['many_residents']['per_second'], 1)}")), ""),
        ("  balances = ledger, none < 0", each(lambda r: _yes(r["redemptions"]["balances_checked"])), "yes"),
        ("import of 10,000 rows: validate + commit (s)", each(_import_cell), ""),
        ("seq scans of large tables, API lists", each(lambda r: _seq_scans(r["explain"], "seq_scans")), "none"),
        ("  tables read whole with PostgreSQL's default random_page_cost 4",
         each(lambda r: _tables_scanned(r["explain"], "seq_scans_pg_default")), ""),
        ("load average before / after", each(lambda r: f"{r['load_before']} / {r['load_after']}"), ""),
    ]  # fmt: skip
    return table


def _import_cell(result: dict) -> str:
    outcome = result["import"]["outcome"]
    return f"{outcome['validate_seconds']:.1f} + {outcome['commit_seconds']:.1f} ({outcome['commit_state']})"


def _seq_scans(explain: dict, key: str) -> str:
    found = sorted(
        f"{name}: {', '.join(result[key])} ({user})"
        for name, users in explain["lists"].items()
        for user, result in users.items()
        if result[key]
    )
    return "none" if not found else "; ".join(found)


def _tables_scanned(explain: dict, key: str) -> str:
    tables = sorted(
        {table for users in explain["lists"].values() for result in users.values() for table in result[key]}
    )
    return ", ".join(tables) or "none"


def render(results: list[dict], header: str) -> str:
    table = rows(results)
    labels = ["", *(r["preset"] for r in results), "target"]
    widths = [max(len(label) for label, _c, _t in table)]
    widths += [
        max(len(labels[i + 1]), *(len(cells[i]) for _l, cells, _t in table)) for i in range(len(results))
    ]
    lines = [header, ""]
    lines.append(
        "  ".join(
            [
                labels[0].ljust(widths[0]),
                *(p.rjust(w) for p, w in zip(labels[1:-1], widths[1:], strict=True)),
                "target",
            ]
        )
    )
    for label, cells, target in table:
        lines.append(
            "  ".join(
                [
                    label.ljust(widths[0]),
                    *(c.rjust(w) for c, w in zip(cells, widths[1:], strict=True)),
                    target,
                ]
            ).rstrip()
        )
    return "\n".join(lines)  # fmt: skip


def growth(results: list[dict]) -> list[str]:
    """How ranking time grows with villages between consecutive presets."""
    lines = []
    ranked = [r for r in results if r.get("ranking", {}).get("subjects")]
    for smaller, larger in zip(ranked, ranked[1:], strict=False):
        villages = larger["ranking"]["subjects"] / smaller["ranking"]["subjects"]
        seconds = larger["ranking"]["seconds"] / smaller["ranking"]["seconds"]
        lines.append(
            f"ranking growth {smaller['preset']} → {larger['preset']}: {villages:.1f}× villages, {seconds:.1f}× time"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--presets", default=DEFAULT_PRESETS, help=f"comma-separated, of {', '.join(PRESETS)}"
    )
    parser.add_argument("--quick", action="store_true", help="short runs: a smoke test of the command")
    parser.add_argument(
        "--json", type=Path, default=DEFAULT_JSON, help=f"default: {DEFAULT_JSON.relative_to(ROOT)}"
    )
    parser.add_argument(
        "--database", help="measure this existing seeded database (one preset) instead of building"
    )
    parser.add_argument(
        "--prefix", default="touyan_bench_", help="database name prefix (default: touyan_bench_)"
    )
    parser.add_argument("--drop", action="store_true", help="drop each preset's database after measuring it")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure a preset's kept database again if an earlier run built it (its seed time is kept)",
    )
    parser.add_argument("--seed-only", action="store_true", help="build the databases, measure nothing")
    args = parser.parse_args()
    presets = [p.strip() for p in args.presets.split(",") if p.strip()]
    if unknown := [p for p in presets if p not in PRESETS]:
        parser.error(f"unknown presets: {', '.join(unknown)}")
    if args.database and len(presets) != 1:
        parser.error("--database measures one preset: name it with --presets")
    if "DATABASE_URL" not in os.environ:
        parser.error("set DATABASE_URL to the PostgreSQL server to build the databases on")

    started = datetime.datetime.now().astimezone()
    meta = {
        "started": started.isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "quick": args.quick,
        "load_at_start": list(os.getloadavg()),
    }
    template = f"{args.prefix}template"
    to_build = (
        []
        if args.database
        else [p for p in presets if not (args.reuse and seeded(database_name(p, args.prefix), p))]
    )
    if to_build:
        recreate(template)
        meta["migrate_seconds"] = round(manage(template, "migrate", "--verbosity", "0"), 1)
        print(f"template {template} migrated in {meta['migrate_seconds']} s", flush=True)
    results = []
    try:
        for preset in presets:
            name = args.database or database_name(preset, args.prefix)
            results.append(
                bench_preset(
                    preset,
                    name=name,
                    quick=args.quick,
                    build_it=not args.database,
                    template=template,
                    reuse=args.reuse,
                    seed_only=args.seed_only,
                )
            )
            if args.drop and not args.database:
                drop(name)
    finally:
        if to_build:
            drop(template)
    if args.seed_only:
        for result in results:
            print(f"{result['preset']}: {result['database']} seeded in {result['seed_seconds']} s")
        return
    meta["load_at_end"] = list(os.getloadavg())
    meta["seconds"] = round((datetime.datetime.now().astimezone() - started).total_seconds())
    server = results[0].get("server", {}) if results else {}
    header = (
        f"Touyan benchmarks, {started:%Y-%m-%d %H:%M %Z}: {meta['cpus']} CPUs, load average "
        f"{meta['load_at_start'][0]:.1f} → {meta['load_at_end'][0]:.1f}, PostgreSQL {server.get('postgresql', '?')}"
        + (" (quick)" if args.quick else "")
    )
    print()
    print(render(results, header))
    for line in growth(results):
        print(line)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps({"meta": meta, "presets": results}, ensure_ascii=False, indent=2, default=str),
        encoding="utf-8",
    )
    print(f"\nresults: {args.json}")


if __name__ == "__main__":
    main()
