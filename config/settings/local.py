"""Settings for the demo run and local development (`python3 dev.py run`)."""

import os

from config.env import env

# `python3 dev.py run` always sets both (its embedded servers, or yours). Plain `manage.py` calls
# in a checkout default to the conventional local servers, so checks like makemigrations load.
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/touyan")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")

from .base import *  # noqa: E402,F403

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="local-development-only-not-secret")
