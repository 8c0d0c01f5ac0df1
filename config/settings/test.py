from config.env import env

from .base import *  # noqa: F403

SECRET_KEY = env("SECRET_KEY", default="test-only-not-secret")

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Log-in lockout is exercised by its own tests (override_settings); elsewhere client.login() has no request.
AXES_ENABLED = False
# Rate-limit counters per test process, so parallel test workers never count each other's requests.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
