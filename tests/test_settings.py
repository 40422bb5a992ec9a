"""Settings come from the environment and are parsed strictly; run in a fresh interpreter."""

import os
import subprocess
import sys

from django.conf import settings


def load_settings(**env):
    unset = {"DEBUG", "SECRET_KEY", "REDIS_URL", "DATABASE_URL", "EMAIL_URL"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    clean.update(env)
    code = (
        "import config.settings as s;"
        "print(s.DEBUG, s.CELERY_TASK_ALWAYS_EAGER, s.CACHES['default']['BACKEND'],"
        " s.DATABASES['default']['ENGINE'], s.EMAIL_BACKEND, sep='|')"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
    )


def test_secret_key_is_required_when_debug_is_off():
    result = load_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_malformed_boolean_is_an_error_not_false():
    result = load_settings(DEBUG="maybe", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_local_defaults_are_sqlite_eager_tasks_local_cache_and_console_mail():
    result = load_settings(DEBUG="1")
    assert result.returncode == 0, result.stderr
    debug, eager, cache, engine, email = result.stdout.strip().split("|")
    assert debug == "True"
    assert eager == "True"
    assert cache.endswith("LocMemCache")
    assert engine.endswith("sqlite3")
    assert email.endswith("console.EmailBackend")


def test_redis_url_turns_on_the_real_broker_and_cache():
    result = load_settings(DEBUG="1", REDIS_URL="redis://127.0.0.1:6379/0")
    assert result.returncode == 0, result.stderr
    _, eager, cache, _, _ = result.stdout.strip().split("|")
    assert eager == "False"
    assert cache.endswith("RedisCache")


def test_language_time_zone_and_formats():
    assert settings.LANGUAGE_CODE == "vi"
    assert [code for code, _ in settings.LANGUAGES] == ["vi", "en"]
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"


def manage(*args):
    """manage.py with DEBUG off and no SECRET_KEY (DEBUG given: a local .env may turn it on)."""
    unset = {"SECRET_KEY", "REDIS_URL", "DATABASE_URL", "EMAIL_URL"}
    clean = {k: v for k, v in os.environ.items() if k not in unset} | {"DEBUG": "0"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
    )


def test_a_fresh_checkout_checks_its_migrations_without_a_secret_key():
    result = manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_commands_that_serve_or_check_still_refuse_without_a_secret_key():
    result = manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
