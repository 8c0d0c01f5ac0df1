"""Gunicorn settings shared by `python3 dev.py run` and docker-compose.

The bind address is the only thing that differs between the two (127.0.0.1 for the
local demo, 0.0.0.0 inside a container), so it comes from HOST and PORT here and the
web command itself stays identical in dev.py's SERVICES and docker-compose.yml.
"""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Reports and exports can take a while; the default 30 s would kill them mid-response.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
