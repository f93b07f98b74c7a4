"""Vega-Lite charts of the metrics pages and reports, built with Altair from plain rows.

Every builder takes plain dicts (what the metrics library returns) and returns a `Chart`:
the Vega-Lite spec (drawn in the browser by the vendored vega-embed), the rows behind it (shown as a
table: the text alternative for screen readers) and, on demand, a static SVG rendered by vl-convert
(used by the HTML and PDF reports, which must work without JavaScript).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import altair as alt
from altair.utils.schemapi import debug_mode
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

WIDTH = 560
HEIGHT = 200
# Colours with at least 3:1 contrast on white (WCAG 1.4.11 non-text contrast).
COLOURS = ["#1f5f99", "#b3541e", "#2e7d32", "#6a3d9a", "#8c6d00", "#c2185b", "#455a64", "#00695c"]
# Facebook's Polish names of its reactions (the same msgids as the pages' labels).
REACTION_LABELS = {
    "like": gettext_lazy("Lubię to"),
    "love": gettext_lazy("Super"),
    "care": gettext_lazy("Trzymaj się"),
    "haha": gettext_lazy("Ha ha"),
    "wow": gettext_lazy("Wow"),
    "sad": gettext_lazy("Przykro mi"),
    "angry": gettext_lazy("Wrr"),
}


@dataclass
class Chart:
    """A chart ready to show: its id, title, Vega-Lite spec, the table behind it and a summary sentence."""

    key: str
    title: str
    spec: dict[str, Any]
    columns: list[str]
    rows: list[list[Any]]
    summary: str
    empty: bool = False
    _svg: str | None = field(default=None, repr=False)

    @property
    def spec_id(self) -> str:
        """Return the id of the <script type="application/json"> element holding the spec."""
        return f"{self.key}-spec"

    @property
    def rows_html(self) -> SafeString:
        """Return the data table's body rows as HTML, every cell escaped (built in Python: a template
        loop over a year of weekly cells costs more than the rest of the panel)."""
        return mark_safe(
            "".join(
                "<tr>" + "".join(f"<td>{conditional_escape(cell)}</td>" for cell in row) + "</tr>"
                for row in self.rows
            )
        )

    @property
    def spec_json(self) -> str:
        """Return the Vega-Lite spec as JSON text (for a <script type="application/json"> tag)."""
        return json.dumps(self.spec, ensure_ascii=False, default=str)

    def svg(self) -> str:
        """Return the chart as an SVG document (rendered offline by vl-convert; cached)."""
        if self._svg is None:
            import vl_convert

            svg = vl_convert.vegalite_to_svg(self.spec)
            # Drop the XML prolog so the SVG can be inlined into HTML.
            if svg.startswith("<?xml"):
                svg = svg.split("?>", 1)[1]
            self._svg = svg.replace("<svg ", f'<svg role="img" aria-label="{_attr(self.title)}" ', 1)
        return self._svg


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _iso(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _quick(builder: Callable[..., Chart]) -> Callable[..., Chart]:
    """Build without Altair's per-object schema validation (the specs are fixed and tested)."""

    @functools.wraps(builder)
    def wrapper(*args: Any, **kwargs: Any) -> Chart:
        with debug_mode(False):
            return builder(*args, **kwargs)

    return wrapper


def _base(title: str) -> alt.Chart:
    # The rows are attached after to_dict (see _finish): Altair would validate every row against the
    # Vega-Lite schema on each page view otherwise (hundreds of milliseconds for a year of weeks).
    return alt.Chart(alt.Data(name="rows"), title=title, width=WIDTH, height=HEIGHT)


_SPECS: dict[tuple, dict[str, Any]] = {}


def _finish(
    key: tuple, build: Callable[[], alt.TopLevelMixin], values: list[dict[str, Any]]
) -> dict[str, Any]:
    """Return the spec built by `build` (once per key: the spec depends only on the key) with the rows."""
    key = (*key, get_language())  # titles and axis labels are in the page's language
    spec_without_rows = _SPECS.get(key)
    if spec_without_rows is None:
        spec_without_rows = _SPECS[key] = _to_spec(build())
    return {**spec_without_rows, "data": {"values": values}}


# Polish number and date formats for Vega (the same in the browser and in vl-convert).
LOCALE = {
    "number": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0zł"]},
    "time": {
        "dateTime": "%A, %e %B %Y, %X",
        "date": "%d.%m.%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": ["niedziela", "poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota"],
        "shortDays": ["niedz.", "pon.", "wt.", "śr.", "czw.", "pt.", "sob."],
        "months": ["styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec", "lipiec", "sierpień", "wrzesień",
                   "październik", "listopad", "grudzień"],
        "shortMonths": ["sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru"],
    },
}
# A font the server has (metric-compatible with Arial), so labels measured by vl-convert fit when
# WeasyPrint typesets the SVG in the PDF.
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"


def _to_spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    spec = chart.configure(font=FONT).configure_axis(labelFontSize=12, titleFontSize=12, labelColor="#222", titleColor="#222")
    spec = spec.configure_title(fontSize=14, color="#222", anchor="start").configure_view(stroke=None)
    out = spec.to_dict(validate=False)
    if (get_language() or "pl").startswith("pl"):
        out["config"]["locale"] = LOCALE
    out["autosize"] = {"type": "fit-x", "contains": "padding"}
    return out


def _fmt(value: Any, digits: int = 0) -> str:
    if value is None:
        return _("brak danych")
    if isinstance(value, float):
        return f"{value:,.{digits}f}".replace(",", "\u00a0").replace(".", ",")
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u00a0")
    return str(value)


@_quick
def posts_per_week(rows: list[dict[str, Any]]) -> Chart:
    """Return a bar chart of own posts per week; rows: {"week": date (Monday), "posts": int}."""
    values = [{"week": _iso(r["week"]), "posts": r.get("posts") or 0} for r in rows]
    title = _("Posty w tygodniu")
    week_title = _("Tydzień (poniedziałek)")

    def build() -> alt.TopLevelMixin:
        return (
            _base(title)
            .mark_bar(color=COLOURS[0])
            .encode(
                x=alt.X("week:T", title=week_title, axis=alt.Axis(format="%d.%m.%Y")),
                y=alt.Y("posts:Q", title=_("Liczba postów")),
                tooltip=[
                    alt.Tooltip("week:T", title=_("Tydzień"), format="%d.%m.%Y"),
                    alt.Tooltip("posts:Q", title=_("Posty")),
                ],
            )
        )

    total = sum(v["posts"] for v in values)
    summary = _("{weeks} tygodni, razem {posts} postów").format(weeks=len(values), posts=_fmt(total)) + (
        _(", najwięcej {n} w tygodniu.").format(n=_fmt(max(v["posts"] for v in values))) if values else "."
    )
    return Chart(
        "posts-per-week",
        title,
        _finish(("posts-per-week",), build, values),
        [week_title, _("Posty")],
        [[v["week"], v["posts"]] for v in values],
        summary,
        empty=not values,
    )


@_quick
def interactions_by_type(parts: dict[str, int | None]) -> Chart:
    """Return a bar chart of the interactions mix; parts: reaction types (like, love, …), "comments", "shares".

    Parts whose count is unknown (None) are listed as missing, not drawn as 0.
    """
    labels = dict(REACTION_LABELS, comments=_("Komentarze"), shares=_("Udostępnienia"), reactions=_("Reakcje"))
    reactions_group, others_group = _("reakcje"), _("komentarze i udostępnienia")
    values = []
    missing = []
    for key, count in parts.items():
        label = str(labels.get(key, key))
        if count is None:
            missing.append(label)
            continue
        values.append(
            {
                "part": label,
                "count": int(count),
                "group": others_group if key in {"comments", "shares"} else reactions_group,
            }
        )
    title = _("Interakcje według rodzaju")
    kind_title, count_title = _("Rodzaj"), _("Liczba")
    order = [v["part"] for v in values]

    def build() -> alt.TopLevelMixin:
        return (
            _base(title)
            .mark_bar()
            .encode(
                y=alt.Y("part:N", title=None, sort=order),
                x=alt.X("count:Q", title=_("Liczba interakcji")),
                color=alt.Color(
                    "group:N",
                    title=kind_title,
                    scale=alt.Scale(range=[COLOURS[0], COLOURS[1]], domain=[reactions_group, others_group]),
                ),
                tooltip=[alt.Tooltip("part:N", title=kind_title), alt.Tooltip("count:Q", title=count_title)],
            )
        )

    total = sum(v["count"] for v in values)
    summary = _("Razem {n} interakcji: ").format(n=_fmt(total)) + ", ".join(
        f"{v['part']} {_fmt(v['count'])}" for v in values
    )
    if missing:
        summary += _("; brak danych: {parts}").format(parts=", ".join(missing))
    rows = [[v["part"], v["count"]] for v in values] + [[m, _("brak danych")] for m in missing]
    return Chart(
        "interactions-by-type",
        title,
        _finish(("interactions-by-type", tuple(order)), build, values),
        [kind_title, count_title],
        rows,
        summary + ".",
        empty=not values,
    )


@_quick
def engagement_over_time(rows: list[dict[str, Any]], key: str = "week") -> Chart:
    """Return a line chart of engagement in percent; rows: {key: date, "engagement": fraction or None}.

    Periods without a follower count (engagement None) are gaps, never zeros.
    """
    values = [
        {
            "period": _iso(r[key]),
            "engagement": None if r.get("engagement") is None else round(100 * r["engagement"], 4),
        }
        for r in rows
    ]
    known = [v for v in values if v["engagement"] is not None]
    title = _("Zaangażowanie w czasie [%]")
    period_axis = _("Tydzień") if key == "week" else _("Dzień")
    period_title, value_title = _("Okres"), _("Zaangażowanie [%]")

    def build() -> alt.TopLevelMixin:
        return (
            _base(title)
            .mark_line(point=True, color=COLOURS[2])
            .encode(
                x=alt.X("period:T", title=period_axis, axis=alt.Axis(format="%d.%m.%Y")),
                y=alt.Y("engagement:Q", title=value_title),
                tooltip=[
                    alt.Tooltip("period:T", title=period_title, format="%d.%m.%Y"),
                    alt.Tooltip("engagement:Q", title=value_title, format=".3f"),
                ],
            )
        )

    if known:
        mean = sum(v["engagement"] for v in known) / len(known)
        summary = _("{n} okresów z danymi, średnio {mean}%.").format(n=len(known), mean=_fmt(mean, 3))
    else:
        summary = _("Brak danych o obserwujących: zaangażowania nie da się policzyć.")
    if len(known) < len(values):
        summary += " " + _("{n} okresów bez liczby obserwujących (luki na wykresie).").format(
            n=len(values) - len(known)
        )
    return Chart(
        "engagement-over-time",
        title,
        _finish(("engagement-over-time", key), build, values),
        [period_title, value_title],
        [
            [v["period"], _("brak danych") if v["engagement"] is None else _fmt(v["engagement"], 3)]
            for v in values
        ],
        summary,
        empty=not known,
    )


@_quick
def reaction_mood(rows: list[dict[str, Any]], key: str = "week") -> Chart:
    """Return a bar chart of reaction mood per period (−1…1); rows: {key: date, "mood": float or None}.

    Mood is undefined (None) when a period has no reactions other than likes; such periods are not drawn.
    """
    values = [{"period": _iso(r[key]), "mood": r.get("mood")} for r in rows]
    known = [v for v in values if v["mood"] is not None]
    title = _("Nastrój reakcji (−1 … 1)")
    period_axis = _("Tydzień") if key == "week" else _("Dzień")
    period_title, mood_title = _("Okres"), _("Nastrój")

    def build() -> alt.TopLevelMixin:
        return (
            _base(title)
            .mark_bar()
            .encode(
                x=alt.X("period:T", title=period_axis, axis=alt.Axis(format="%d.%m.%Y")),
                y=alt.Y("mood:Q", title=mood_title, scale=alt.Scale(domain=[-1, 1])),
                color=alt.condition("datum.mood >= 0", alt.value(COLOURS[2]), alt.value(COLOURS[5])),
                tooltip=[
                    alt.Tooltip("period:T", title=period_title, format="%d.%m.%Y"),
                    alt.Tooltip("mood:Q", title=mood_title, format=".2f"),
                ],
            )
        )

    if known:
        mean = sum(v["mood"] for v in known) / len(known)
        summary = _(
            "{n} okresów, średni nastrój {mean} (1 = same pozytywne reakcje, −1 = same negatywne)."
        ).format(n=len(known), mean=_fmt(mean, 2))
    else:
        summary = _("Brak reakcji innych niż „Lubię to”: nastroju nie da się określić.")
    return Chart(
        "reaction-mood",
        title,
        _finish(("reaction-mood", key), build, known),
        [period_title, mood_title],
        [[v["period"], _("nieokreślony") if v["mood"] is None else _fmt(v["mood"], 2)] for v in values],
        summary,
        empty=not known,
    )


@_quick
def ranking_bars(rows: list[dict[str, Any]], value_key: str, value_title: str, top: int = 15) -> Chart:
    """Return a horizontal bar chart of the top rows of a ranking; rows: {"rank", "name", value_key}."""
    values = [
        {"label": f"{r['rank']}. {r['name']}", "value": r.get(value_key)}
        for r in rows[:top]
        if r.get(value_key) is not None
    ]
    title = _("Czołówka rankingu: {what}").format(what=value_title)

    def build() -> alt.TopLevelMixin:
        return (
            _base(title)
            .mark_bar(color=COLOURS[0])
            .encode(
                y=alt.Y("label:N", title=None, sort=None),
                x=alt.X("value:Q", title=value_title),
                tooltip=[alt.Tooltip("label:N", title=_("Profil")), alt.Tooltip("value:Q", title=value_title)],
            )
            .properties(height=max(HEIGHT, 18 * len(values)))
        )

    summary = (
        _("Pierwsze miejsce: {label} ({value}).").format(label=values[0]["label"], value=_fmt(values[0]["value"], 4))
        if values
        else _("Ranking jest pusty.")
    )
    return Chart(
        "ranking-top",
        title,
        _finish(("ranking-top", value_title, len(values)), build, values),
        [_("Profil"), value_title],
        [[v["label"], _fmt(v["value"], 4)] for v in values],
        summary,
        empty=not values,
    )


@_quick
def interactions_mix(rows: list[dict[str, Any]], top: int = 15) -> Chart:
    """Return a stacked bar chart of reactions, comments and shares of the top rows of a ranking."""
    values = []
    parts = [("reactions", _("Reakcje")), ("comments", _("Komentarze")), ("shares", _("Udostępnienia"))]
    for r in rows[:top]:
        for key, label in parts:
            if r.get(key) is not None:
                values.append({"label": f"{r['rank']}. {r['name']}", "part": label, "count": r[key]})
    title = _("Struktura interakcji w czołówce")

    def build() -> alt.TopLevelMixin:
        return (
            _base(title)
            .mark_bar()
            .encode(
                y=alt.Y("label:N", title=None, sort=None),
                x=alt.X("count:Q", title=_("Interakcje"), stack="zero"),
                color=alt.Color(
                    "part:N",
                    title=_("Rodzaj"),
                    scale=alt.Scale(domain=[p[1] for p in parts], range=COLOURS[:3]),
                ),
                tooltip=[
                    alt.Tooltip("label:N", title=_("Profil")),
                    "part:N",
                    alt.Tooltip("count:Q", title=_("Liczba")),
                ],
            )
            .properties(height=max(HEIGHT, 18 * min(top, len(rows))))
        )

    table = [[f"{r['rank']}. {r['name']}"] + [_fmt(r.get(k)) for k, _label in parts] for r in rows[:top]]
    return Chart(
        "interactions-mix",
        title,
        _finish(("interactions-mix", min(top, len(rows))), build, values),
        [_("Profil")] + [label for _key, label in parts],
        table,
        _("Reakcje, komentarze i udostępnienia profili z czołówki rankingu."),
        empty=not values,
    )
