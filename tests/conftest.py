"""Named actors for every test: the demo's people, so permission tests read as sentences."""

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import User


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
def _test_settings(settings):
    # Demo users are created in every test; the default hasher would make that slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
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
