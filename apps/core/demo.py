"""Demo data: a registry of per-app contributors, run in order by ``manage.py seed_demo``.

An app adds demo data by defining ``apps/<app>/demo.py`` with a function decorated
``@register(order)`` that takes a ``DemoContext``. Contributors run in ascending
``order`` (ties by dotted name), all inside one transaction:

    10  villages      cities, counties, townships, villages (``ctx.regions``)
    20  accounts      the demo logins (``ctx.logins``)
    30+ later apps    cadres, assistance, collective economy, morality bank, rankings ...

Determinism: each contributor gets its own ``ctx.rng`` (and ``ctx.faker`` seeded from
it) derived from the seed and the contributor's name, so the same seed always gives the
same data and a new contributor never shifts what the earlier ones generate. Use
``ctx.rng_for(key, ...)`` for finer streams (villages seeds one per county, which keeps
恩阳区 identical in every preset that contains it).
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.apps import apps
from django.utils.module_loading import module_has_submodule
from faker import Faker

PRESETS = ("enyang", "bazhong", "province", "nation-sample")
DEMO_PASSWORD = "Touyan-2026!"  # noqa: S105 - documented demo password, see docs/demo-logins.txt


class DemoError(Exception):
    """A contributor cannot seed this database; seed_demo reports it and rolls everything back."""


@dataclass
class DemoLogin:
    username: str
    role: str
    region: str
    presets: str = "all"


@dataclass
class DemoRegions:
    """The regions the villages contributor created, each list ordered by code."""

    cities: list = field(default_factory=list)
    counties: list = field(default_factory=list)
    townships: list = field(default_factory=list)
    villages: list = field(default_factory=list)
    by_code: dict[str, Any] = field(default_factory=dict)

    def get(self, code: str):
        """The region with this 12-digit code, or None when the preset does not include it."""
        return self.by_code.get(code)


@dataclass
class DemoContext:
    preset: str
    seed: int
    rng: random.Random
    faker: Faker
    regions: DemoRegions = field(default_factory=DemoRegions)
    # Anything one contributor hands to a later one (keyed by "<app>.<name>").
    shared: dict[str, Any] = field(default_factory=dict)
    # Lines of the summary seed_demo prints, in insertion order: label -> count or text.
    summary: dict[str, Any] = field(default_factory=dict)
    logins: list[DemoLogin] = field(default_factory=list)

    @classmethod
    def create(cls, *, preset: str, seed: int) -> DemoContext:
        if preset not in PRESETS:
            raise DemoError(f"Unknown preset {preset!r}; choose one of {', '.join(PRESETS)}.")
        rng = random.Random(seed)
        faker = Faker("zh_CN")
        faker.seed_instance(rng.getrandbits(64))
        return cls(preset=preset, seed=seed, rng=rng, faker=faker)

    def rng_for(self, *key: object) -> random.Random:
        """A generator that depends only on the seed and ``key`` (string seeds are stable across runs)."""
        return random.Random(":".join(str(part) for part in (self.seed, *key)))

    def reseed(self, *key: object) -> None:
        """Point ``rng`` and ``faker`` at the stream for ``key``."""
        self.rng = self.rng_for(*key)
        self.faker.seed_instance(self.rng.getrandbits(64))


@dataclass(frozen=True)
class Contributor:
    order: int
    name: str
    func: Callable[[DemoContext], None]


_registry: dict[str, Contributor] = {}


def register(order: int) -> Callable[[Callable[[DemoContext], None]], Callable[[DemoContext], None]]:
    """Register ``func(ctx)`` as a demo-data contributor that runs at position ``order``."""

    def decorator(func: Callable[[DemoContext], None]) -> Callable[[DemoContext], None]:
        name = f"{func.__module__}.{func.__qualname__}"
        _registry[name] = Contributor(order=order, name=name, func=func)
        return func

    return decorator


def contributors() -> list[Contributor]:
    """Import ``demo`` of every project app and return the contributors in running order."""
    for config in apps.get_app_configs():
        if config.name.startswith("apps.") and module_has_submodule(config.module, "demo"):
            import_module(f"{config.name}.demo")
    return sorted(_registry.values(), key=lambda c: (c.order, c.name))


def run(*, preset: str, seed: int) -> DemoContext:
    """Run every contributor for ``preset``; the caller owns the transaction."""
    ctx = DemoContext.create(preset=preset, seed=seed)
    for contributor in contributors():
        ctx.reseed(contributor.name)
        contributor.func(ctx)
    return ctx


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


def render_logins(logins: list[DemoLogin]) -> str:
    """The demo-logins block that seed_demo prints and docs/demo-logins.txt holds."""
    rows = [("username", "role", "region", "presets")]
    rows += [(login.username, login.role, login.region, login.presets) for login in logins]
    widths = [max(_width(row[i]) for row in rows) + 2 for i in range(3)]
    lines = [
        "Touyan demo logins (python manage.py seed_demo --preset PRESET --seed N)",
        f"Password of every demo account: {DEMO_PASSWORD}",
        "Demo data only: change these passwords before anyone else can reach the server.",
        "",
    ]
    for row in rows:
        lines.append("".join(_pad(cell, w) for cell, w in zip(row[:3], widths, strict=True)) + row[3])
    return "\n".join(lines) + "\n"
