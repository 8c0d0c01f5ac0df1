from config.env import env

from .base import *  # noqa: F403

DEBUG = False
# No default: production refuses to start without a real secret.
SECRET_KEY = env("SECRET_KEY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
# Served behind HTTPS (a reverse proxy sets X-Forwarded-Proto); set both to 0/false only for a plain-HTTP trial.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = False
# /healthz is probed over plain HTTP inside the container network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Joining the browsers' HSTS preload list is the operator's decision (hard to undo), not a default.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
