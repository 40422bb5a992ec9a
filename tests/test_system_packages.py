"""The newcomer's machine: the Debian packages are checked before `make run` and `make test`."""

import os
import subprocess

from django.conf import settings

SCRIPT = settings.BASE_DIR / "scripts" / "system-packages.sh"


def run(*groups, packages: str, tmp_path):
    listing = tmp_path / "packages.txt"
    listing.write_text(packages)
    env = {**os.environ, "SYSTEM_PACKAGES_FILE": str(listing), "SYSTEM_PACKAGES_NO_INSTALL": "1"}
    return subprocess.run(
        [str(SCRIPT), *groups], capture_output=True, text=True, env=env, check=False
    )


def test_a_missing_package_stops_with_the_command_that_installs_it(tmp_path):
    result = run(
        "run", packages="bash run  # present\ntiepxuc-no-such-package run\n", tmp_path=tmp_path
    )
    assert result.returncode == 1
    assert "Missing Debian packages: tiepxuc-no-such-package" in result.stderr
    assert "apt-get install -y --no-install-recommends tiepxuc-no-such-package" in result.stderr


def test_only_the_groups_asked_for_are_checked(tmp_path):
    packages = "bash run\ntiepxuc-no-such-package ci\n"
    assert run("run", packages=packages, tmp_path=tmp_path).returncode == 0
    assert run("run", "ci", packages=packages, tmp_path=tmp_path).returncode == 1


def test_make_ci_and_the_image_read_the_one_list():
    listed = subprocess.run(
        [str(SCRIPT), "--list", "run", "test", "ci"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert {"gettext", "libharfbuzz-subset0", "chromium", "postgresql-client"} <= set(listed)
    # No second copy of the list: the others call the script.
    base = settings.BASE_DIR
    makefile = (base / "Makefile").read_text()
    assert "scripts/system-packages.sh run test" in makefile
    ci = (base / ".ci" / "run").read_text()
    assert "scripts/system-packages.sh run test ci" in ci
    dockerfile = (base / "Dockerfile").read_text()
    assert "scripts/system-packages.sh --list run" in dockerfile
    for text in (ci, dockerfile):
        assert "libpango" not in text and "chromium" not in text
    # And the README names the file, not a list of its own that could drift.
    assert "debian-packages.txt" in (base / "README.md").read_text()


def test_this_machine_has_what_the_suite_needs():
    """The check `make test` makes first; here so a plain `pytest` says it too."""
    result = subprocess.run(
        [str(SCRIPT), "run", "test"], capture_output=True, text=True, check=False,
        env={**os.environ, "SYSTEM_PACKAGES_NO_INSTALL": "1"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
