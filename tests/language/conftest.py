"""Fixtures of the language tests."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner


@pytest.fixture
def cli():
    """Call the `ratusz` CLI in-process: cli("language", "score", "-", input=b"...") -> click Result."""
    from ratusz.cli import _register_commands_once, app

    _register_commands_once()

    def run(*args: str, input: bytes | str | None = None):
        return CliRunner().invoke(app, list(args), input=input)

    return run
