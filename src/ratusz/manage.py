"""`ratusz-manage`: Django's manage.py for ratusz (migrations, createsuperuser, shell, …)."""

import os
import sys


def main() -> None:
    """Run a Django management command with ratusz's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratusz.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
