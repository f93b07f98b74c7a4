"""Dispatch `python -m benchmarks [NAME] [options]` to benchmarks/<NAME>.py's main(argv).

Without a name every benchmark runs in turn with its default sizes.
"""

from __future__ import annotations

import importlib
import os
import sys

# name on the command line -> module in this folder (extend with one line per benchmark)
BENCHMARKS: dict[str, str] = {
    "import": "import_",
    "demo": "demo",
    "ranking": "ranking",
    "pages": "pages",
    "collect": "collect",
    "language": "language",
    "vote": "vote",
    "web": "web",
}


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratusz.settings")
    names = [argv[0]] if argv and not argv[0].startswith("-") else list(BENCHMARKS)
    rest = argv[1:] if argv and not argv[0].startswith("-") else argv
    for name in names:
        if name not in BENCHMARKS:
            sys.exit(f"unknown benchmark {name!r}; choose one of: {', '.join(BENCHMARKS)}")
        try:
            module = importlib.import_module(f"benchmarks.{BENCHMARKS[name]}")
        except ModuleNotFoundError as exc:
            if exc.name == f"benchmarks.{BENCHMARKS[name]}":
                print(f"== {name}: not written yet, skipped")
                continue
            raise
        print(f"== benchmark {name}", flush=True)
        module.main(rest)


if __name__ == "__main__":
    main(sys.argv[1:])
