"""Platform collectors: one plug-in per platform, all registered through `register_collector`.

The built-in collectors register themselves in CollectConfig.ready() exactly as an outside Django app would
in its own ready(); a package may also expose one through the `ratusz.collectors` entry-point group.
"""

from __future__ import annotations

from importlib.metadata import entry_points

from ratusz.collect.collectors.base import Collector, Job, Window
from ratusz.errors import RatuszError

__all__ = ["Collector", "Job", "Window", "get_collector", "register_collector", "registered_collectors"]

_REGISTRY: dict[str, type[Collector]] = {}
_ENTRY_POINTS_LOADED = False


def register_collector(cls: type[Collector]) -> type[Collector]:
    """Register a collector class under its `id` (a platform name); returns the class (usable as decorator)."""
    cls.check_declaration()
    _REGISTRY[cls.id] = cls
    return cls


def _load_entry_points() -> None:
    global _ENTRY_POINTS_LOADED
    if _ENTRY_POINTS_LOADED:
        return
    _ENTRY_POINTS_LOADED = True
    for ep in entry_points(group="ratusz.collectors"):
        register_collector(ep.load())


def registered_collectors() -> dict[str, type[Collector]]:
    """Return every registered collector class by id (built-in and from entry points)."""
    _load_entry_points()
    return dict(_REGISTRY)


def get_collector(platform: str) -> type[Collector]:
    """Return the collector class for a platform; RatuszError when none is registered."""
    collectors = registered_collectors()
    if platform not in collectors:
        raise RatuszError(
            f"Brak modułu zbierania dla platformy „{platform}”; dostępne: {', '.join(sorted(collectors))}."
        )
    return collectors[platform]
