"""The generated docs match the code, and settings refuse unsafe production values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ratusz import config

ROOT = Path(__file__).resolve().parents[2]


def _full_app():
    from ratusz import cli

    cli._register_commands_once()
    return cli.app


def test_settings_reference_is_up_to_date():
    assert (ROOT / "docs" / "settings.md").read_text(encoding="utf-8") == config.settings_markdown(), (
        "docs/settings.md drifted from src/ratusz/config.py: run `ratusz docs`"
    )


def test_cli_reference_is_up_to_date():
    from ratusz.docs import cli_reference

    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == cli_reference(_full_app()), (
        "docs/cli.md drifted from the commands: run `ratusz docs`"
    )


def test_every_command_has_help_with_an_example():
    import typer

    from ratusz.docs import _walk

    root = typer.main.get_command(_full_app())
    out: list[str] = []
    _walk(root, ["ratusz"], out)
    missing = []

    def visit(cmd, path):
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                visit(sub, [*path, name])
        elif "example" not in (cmd.help or "").lower() and "przykład" not in (cmd.help or "").lower():
            missing.append(" ".join(path))

    visit(root, ["ratusz"])
    assert not missing, f"commands without an example in --help: {missing}"


@pytest.mark.parametrize(
    "env",
    [
        {"RATUSZ_PRODUCTION": "1"},
        {"RATUSZ_PRODUCTION": "1", "RATUSZ_SECRET_KEY": "x" * 50, "RATUSZ_DEBUG": "1"},
    ],
)
def test_production_refuses_default_secret_or_debug(env, tmp_path):
    full = {k: v for k, v in os.environ.items() if not k.startswith("RATUSZ_")} | env | {"RATUSZ_HOME": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='ratusz.settings'; django.setup()"],
        env=full,
        capture_output=True,
        text=True,
    )
    assert proc.returncode != 0
    assert "RATUSZ_SECRET_KEY" in proc.stderr


def test_cli_prints_one_line_for_a_user_error(tmp_path):
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "ratusz"), "registry", "peers", "0000000"],
        capture_output=True,
        text=True,
        env=os.environ | {"RATUSZ_HOME": str(tmp_path)},
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().count("\n") == 0 or "Błąd" in proc.stderr
