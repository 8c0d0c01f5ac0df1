# syntax=docker/dockerfile:1
# Touyan image: web (gunicorn), worker and beat (celery) all run from it; see docker-compose.yml.

# --- front-end assets and translations, built with the same dev.py helpers as `dev.py run` ---
FROM python:3.11-slim AS assets
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY requirements.lock ./
RUN pip install --no-cache-dir "$(grep -i '^polib==' requirements.lock)"
COPY . .
RUN mkdir -p locale \
    && python -c "import dev; dev.copy_vendor_assets(); dev.compile_translations()"

# --- runtime ---
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
# fonts-noto-cjk: Chinese in PDFs and server-rendered charts; the pango/harfbuzz libraries are
# WeasyPrint's (ARCHITECTURE.md, Dependencies).
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 --shell /usr/sbin/nologin touyan
WORKDIR /app
COPY requirements.lock ./
RUN pip install -r requirements.lock
COPY . .
COPY --from=assets /src/static/vendor/ static/vendor/
COPY --from=assets /src/locale/ locale/
# collectstatic needs settings that import, not a database or broker: placeholders only.
RUN DJANGO_SETTINGS_MODULE=config.settings.production \
    SECRET_KEY=collectstatic-only \
    DATABASE_URL=postgres://collectstatic@localhost/collectstatic \
    REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput \
    && mkdir -p .local/media \
    && chown -R touyan:touyan .local
USER touyan
ENV DJANGO_SETTINGS_MODULE=config.settings.production \
    HOST=0.0.0.0 \
    PORT=8000
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--config", "config/gunicorn.py", "--workers", "2", "--access-logfile", "-"]
