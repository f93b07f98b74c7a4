"""Sections other apps add to the profile and post pages (metrics, moods, readability, …).

An app registers a panel in its AppConfig.ready():

    from ratusz.web.panels import register_profile_panel

    def render_metrics(request, profile):
        return render_to_string("metrics/profile_panel.html", {...}, request=request)

    register_profile_panel("metrics", 10, render_metrics)

The page renders every registered panel in ascending `order` (then by key). A panel's HTML should start
with its own heading (`<h2>`) so the page outline stays correct. A panel that raises is logged and replaced
by a short notice, so one broken section never takes the whole page down.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

PanelRender = Callable[[HttpRequest, Any], str | None]


@dataclass(frozen=True)
class Panel:
    key: str
    order: int
    render: PanelRender


_PROFILE_PANELS: dict[str, Panel] = {}
_POST_PANELS: dict[str, Panel] = {}


def _register(registry: dict[str, Panel], key: str, order: int, render: PanelRender) -> None:
    if not key or not callable(render):
        raise ValueError("A panel needs a non-empty key and a callable render(request, obj) -> str.")
    # Registering the same key again replaces the panel (ready() may run more than once in tests).
    registry[key] = Panel(key=key, order=order, render=render)


def register_profile_panel(key: str, order: int, render: Callable[[HttpRequest, Any], str | None]) -> None:
    """Add (or replace) a section of the profile page; `render(request, profile)` returns HTML (or None: no section)."""
    _register(_PROFILE_PANELS, key, order, render)


def register_post_panel(key: str, order: int, render: Callable[[HttpRequest, Any], str | None]) -> None:
    """Add (or replace) a section of the post page; `render(request, post)` returns HTML (or None: no section)."""
    _register(_POST_PANELS, key, order, render)


def unregister_panel(key: str) -> None:
    """Remove a profile or post panel by key (used by tests); returns None, a missing key is ignored."""
    _PROFILE_PANELS.pop(key, None)
    _POST_PANELS.pop(key, None)


def profile_panels() -> list[Panel]:
    """Return the registered profile-page panels in display order."""
    return sorted(_PROFILE_PANELS.values(), key=lambda p: (p.order, p.key))


def post_panels() -> list[Panel]:
    """Return the registered post-page panels in display order."""
    return sorted(_POST_PANELS.values(), key=lambda p: (p.order, p.key))


def render_panels(
    panels: list[Panel], request: HttpRequest, obj: Any, failed: list[str] | None = None
) -> list[SafeString]:
    """Return each panel's HTML (marked safe: panels render through templates) in order.

    A panel that raises is logged with its traceback and shown as a one-sentence notice instead; its key
    is appended to `failed` when a list is given (pages do not cache a body with a failed panel).
    """
    out: list[SafeString] = []
    for panel in panels:
        try:
            html = panel.render(request, obj)
            if not html:  # a panel with nothing to say for this object leaves no trace
                continue
        except Exception:
            log.exception("panel %r failed on %r", panel.key, obj)
            if failed is not None:
                failed.append(panel.key)
            html = format_html(
                '<section class="panel panel-error" data-panel="{}"><p class="warning">{}</p></section>',
                panel.key,
                _(
                    "Tej sekcji („{key}”) nie udało się teraz wyświetlić; szczegóły są w dzienniku serwera."
                ).format(key=panel.key),
            )
        out.append(
            format_html('<div class="panel-slot" data-panel="{}">{}</div>', panel.key, mark_safe(html))
        )
    return out
