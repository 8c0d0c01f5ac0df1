"""Walks the URL configuration: every page and API endpoint the app serves, with sample arguments."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Sample values for URL arguments that are not the object under test.
SAMPLE = {
    "pk": 1,
    "village": 1,
    "subject_id": 1,
    "number": 1,
    "month": "2025-01",
    "period": "2025-01",
    "kind": "work_team",
    "level": "village",
    "code": "511903001001",
    "task_id": "00000000-0000-0000-0000-000000000000",
    "app_label": "villages",
    "model_name": "village",
    "key": "x",
    "township_id": 1,
    "county_id": 1,
}

# URLs that belong to third parties and have their own access rules (Django admin: staff only).
IGNORED_NAMESPACES = ("admin:",)


@dataclass(frozen=True)
class Endpoint:
    name: str  # namespaced URL name, e.g. "cadres:cadre_detail" or "api:cadre-detail"
    pattern: str
    kwargs: tuple[str, ...]  # the URL's keyword arguments
    methods: tuple[str, ...]  # HTTP methods, where the view declares them

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api:") or self.name in {"api-token", "schema"}

    def url(self, **values) -> str:
        return reverse(self.name, kwargs={key: values[key] for key in self.kwargs})


def _methods(callback) -> tuple[str, ...]:
    actions = getattr(callback, "actions", None)  # DRF router: {"get": "list", ...}
    if actions:
        return tuple(sorted(method.upper() for method in actions))
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is not None:
        return tuple(
            sorted(
                m.upper()
                for m in view_class.http_method_names
                if m not in {"options", "head"} and hasattr(view_class, m)
            )
        )
    return ()


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield namespace + (pattern.name or ""), prefix + str(pattern.pattern), pattern


def endpoints() -> list[Endpoint]:
    """One entry per URL name (DRF's ``.json`` format-suffix twins share the name and the view)."""
    seen: dict[str, Endpoint] = {}
    for name, route, pattern in _walk(get_resolver().url_patterns):
        if name.startswith(IGNORED_NAMESPACES) or name in seen:
            continue
        assert pattern.name, f"the URL {route!r} has no name, so the permission matrix cannot key it"
        kwargs = tuple(sorted(set(pattern.pattern.regex.groupindex) - {"format"}))
        seen[name] = Endpoint(name, route, kwargs, _methods(pattern.callback))
    return list(seen.values())
