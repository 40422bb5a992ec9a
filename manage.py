#!/usr/bin/env python
import os
import secrets
import sys

# Commands that read models and files but sign nothing: they run in a fresh checkout with no
# SECRET_KEY (the settings refuse to start without one when DEBUG is off), on a throwaway key
# for this process only. Serving, the shell, `check` and everything else still need the real key.
OFFLINE_COMMANDS = {
    "makemigrations",
    "migrate",
    "showmigrations",
    "sqlmigrate",
    "collectstatic",
    "makemessages",
    "compilemessages",
}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if len(sys.argv) > 1 and sys.argv[1] in OFFLINE_COMMANDS:
        os.environ.setdefault("SECRET_KEY", f"offline-{secrets.token_urlsafe(40)}")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
