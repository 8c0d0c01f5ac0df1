"""Settings the benchmarks run under: the local settings as production would serve them.

``DEBUG`` is off (no per-query logging, as in production) and static URLs need no
``collectstatic`` manifest, so a fresh clone can serve pages; the per-user API rate is lifted
because every simulated client shares one account (README, "Load").
"""

import os

from django.conf import global_settings

os.environ.setdefault("API_RATE_PER_USER", "1000000/min")

from config.settings.local import *  # noqa: E402,F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# tests/test_benchmarks.py seeds under the test settings, whose accounts carry fast MD5 hashes: accept them
# as well (new passwords are still hashed with the first, production hasher).
PASSWORD_HASHERS = [*global_settings.PASSWORD_HASHERS, "django.contrib.auth.hashers.MD5PasswordHasher"]
