"""The environment of a ``manage.py`` process that works on the running test's database."""

import os

from django.db import connection


def environment_for_manage(drop=("DJANGO_SETTINGS",)):
    """This process's environment, without the variables starting with ``drop``, pointed at the
    test's PostgreSQL database."""
    database = connection.settings_dict
    env = {key: value for key, value in os.environ.items() if not key.startswith(drop)}
    env.update(
        DJANGO_SECRET_KEY="x",
        DJANGO_HTTPS="0",
        DATABASE_URL=(
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
            f"{database['NAME']}"
        ),
    )
    return env
