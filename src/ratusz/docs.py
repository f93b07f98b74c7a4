"""Documentation generated from the code: the CLI reference (docs/cli.md) and settings (docs/settings.md)."""

from __future__ import annotations

from typing import Any

import typer


def _param_line(param: Any) -> str:
    if param.param_type_name == "argument":
        return f"- `{param.name.upper()}` (argument){': ' + param.help if getattr(param, 'help', None) else ''}"
    opts = ", ".join(f"`{o}`" for o in [*param.opts, *param.secondary_opts])
    help_text = getattr(param, "help", None) or ""
    default = param.default
    shown = ""
    if default not in (None, False, (), "") and not callable(default) and not getattr(param, "is_flag", False):
        shown = f" (default: `{default}`)"
    return f"- {opts}: {help_text}{shown}".rstrip()


def _walk(cmd: Any, path: list[str], out: list[str]) -> None:
    name = " ".join(path)
    if hasattr(cmd, "commands"):
        if len(path) > 1:
            out += [f"## `{name}`", "", (cmd.help or "").strip(), ""]
        for sub_name in sorted(cmd.commands):
            _walk(cmd.commands[sub_name], [*path, sub_name], out)
        return
    out += [f"### `{name}`", "", (cmd.help or "").strip(), ""]
    params = [p for p in cmd.params if p.name != "help"]
    if params:
        out += [_param_line(p) for p in params] + [""]


def cli_reference(app: typer.Typer) -> str:
    """Return the Markdown reference of every `ratusz` command, built from the commands themselves."""
    root = typer.main.get_command(app)
    out = ["# `ratusz` command reference", "", "Generated from the commands' own help (`ratusz docs`); do not edit.", ""]
    _walk(root, ["ratusz"], out)
    return "\n".join(out).rstrip() + "\n"
