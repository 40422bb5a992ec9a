"""The documented backup and restore bring back every record of the demo (PostgreSQL, as CI)."""

import os
import subprocess
import uuid

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

APPS = ["accounts", "communes", "dialogues", "feedback", "reports"]


def _url(name):
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{name}"


def _fingerprint(cursor, table):
    """Row count and a digest of every row's text: the same data, not just as many rows."""
    digest = "md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
    cursor.execute(f'SELECT count(*), {digest} FROM "{table}" t')
    return cursor.fetchone()


def test_a_backup_of_the_demo_restores_every_record(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("backups are of PostgreSQL, as in production and CI (DATABASE_URL)")
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    media = tmp_path / "media"
    (media / "minutes").mkdir(parents=True)
    (media / "minutes" / "bien-ban.pdf").write_bytes(b"%PDF-1.4 scan")
    tables = [
        model._meta.db_table
        for name in APPS
        for model in apps.get_app_config(name).get_models(include_auto_created=True)
    ]
    with connection.cursor() as cursor:
        before = {table: _fingerprint(cursor, table) for table in tables}
    assert before["feedback_opinion"][0] > 900
    env = {**os.environ, "DATABASE_URL": _url(connection.settings_dict["NAME"]),
           "MEDIA_ROOT": str(media)}  # fmt: skip
    scripts = settings.BASE_DIR / "scripts"
    folder = subprocess.run(
        [scripts / "backup.sh", tmp_path / "backups"], env=env, check=True,
        capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    restored = f"restored_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{restored}"')
    try:
        restored_media = tmp_path / "restored-media"
        subprocess.run(
            [scripts / "restore.sh", folder], check=True, capture_output=True,
            env={**env, "DATABASE_URL": _url(restored), "MEDIA_ROOT": str(restored_media)},
        )  # fmt: skip
        import psycopg

        with psycopg.connect(_url(restored)) as other, other.cursor() as cursor:
            after = {table: _fingerprint(cursor, table) for table in tables}
        assert after == before
        assert (restored_media / "minutes" / "bien-ban.pdf").read_bytes() == b"%PDF-1.4 scan"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored}"')
