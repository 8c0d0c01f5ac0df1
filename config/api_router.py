"""/api/v1/: every app contributes ``routes`` (viewsets) and ``urlpatterns`` (other views, e.g. stats)
in its own ``apps/<app>/api/urls.py``."""

from importlib import import_module

from rest_framework.routers import DefaultRouter

API_APPS = [
    "core",
    "villages",
    "cadres",
    "assistance",
    "collective_economy",
    "morality_bank",
    "rankings",
    "dashboard",
]

router = DefaultRouter()
extra_urlpatterns = []
for app in API_APPS:
    module = import_module(f"apps.{app}.api.urls")
    for prefix, viewset, basename in module.routes:
        router.register(prefix, viewset, basename=basename)
    extra_urlpatterns += module.urlpatterns

app_name = "api"
urlpatterns = extra_urlpatterns + router.urls
