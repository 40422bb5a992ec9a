"""Named actors for every test: the demo's people, so permission tests read as sentences."""

import os

import pytest
from django.core.management import call_command
from django.test import Client
from hypothesis import settings as hypothesis_settings

from accounts.models import User

# The property-based tests (tests/test_fuzz_forms.py). `make test` and CI draw the same examples
# on every run, so a run's result is reproducible; `make fuzz` (HYPOTHESIS_PROFILE=fuzz) explores
# with random seeds for longer, and a finding it prints is then kept as an explicit @example.
# Neither writes an example database: a .hypothesis folder would land in the working tree.
hypothesis_settings.register_profile(
    "repeatable", max_examples=25, derandomize=True, database=None, print_blob=True
)
hypothesis_settings.register_profile("fuzz", max_examples=400, derandomize=False, database=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


@pytest.fixture
def demo(db):
    """The demo's units, office holders, agencies and users: the people every test needs.

    Tests make their own plans and sessions (tests/factories.py) so they know exactly what exists.
    """
    from accounts import demo as accounts_demo
    from communes import demo as communes_demo

    communes_demo.load()
    accounts_demo.load()


@pytest.fixture
def full_demo(db):
    """Everything `make run` loads, through the same command."""
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture(autouse=True)
def _eager_tasks(request):
    """Tasks run in the test's own process, unless the test drives a real worker."""
    from config.celery import app

    if request.node.get_closest_marker("worker"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Demo users are created in every test; the default hasher would make that slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The public pages are neither cached nor rate limited across tests (the cache outlives a
    # test); tests/test_public_pages.py turns both on where it tests them.
    settings.PUBLIC_CACHE_SECONDS = 0
    # Nor are the reference tables (config/reference.py): tests/test_reference_cache.py turns
    # the cache on where it tests it.
    settings.REFERENCE_CACHE_SECONDS = 0
    settings.PUBLIC_RATE_LIMIT = "100000/m"
    # Uploaded and generated files go to a folder of the test's own.
    settings.MEDIA_ROOT = tmp_path / "media"
    # Tests render templates without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _client_for(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def board_staff(demo):
    return _client_for("bandanvan")


@pytest.fixture
def officer(demo):
    """Commune officer of Dũng Nghĩa."""
    return _client_for("dungnghia")


@pytest.fixture
def outsider(demo):
    """Commune officer of Bách Thuận: an outsider to everything of Dũng Nghĩa."""
    return _client_for("bachthuan")


@pytest.fixture
def responder(demo):
    return _client_for("tnmt")


@pytest.fixture
def leader(demo):
    return _client_for("lanhdao")


@pytest.fixture
def administrator(demo):
    return _client_for("admin")


@pytest.fixture
def anonymous():
    return Client()


@pytest.fixture
def actors(board_staff, officer, outsider, responder, leader, administrator, anonymous):
    return {
        "board_staff": board_staff,
        "officer": officer,
        "outsider": outsider,
        "responder": responder,
        "leader": leader,
        "administrator": administrator,
        "anonymous": anonymous,
    }
