# The web app, the Celery worker and Celery beat all run from this image.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# The Debian packages the app needs to run (debian-packages.txt, the list make and CI read too):
# gettext compiles the catalogues, Pango and HarfBuzz draw the PDFs; the PDFs' font ships with
# the code (reports/fonts/).
WORKDIR /app
COPY debian-packages.txt ./
COPY scripts/system-packages.sh scripts/
RUN apt-get update \
    && apt-get install -y --no-install-recommends $(scripts/system-packages.sh --list run) \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 app

COPY pyproject.toml requirements.lock ./
# Installing the project installs its dependencies only (it is an application, not a library).
RUN pip install -c requirements.lock .

COPY . .
RUN for po in locale/*/LC_MESSAGES/django.po; do msgfmt --check-format -o "${po%.po}.mo" "$po"; done \
    && SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media && chown -R app:app /app/var

USER app
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
