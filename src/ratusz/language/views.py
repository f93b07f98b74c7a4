"""Pages of the language app (readability check, moderation queue) and its panels on profile/post pages."""

from __future__ import annotations

import json

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ratusz.collect.models import Comment, ModerationState, Post
from ratusz.errors import RatuszError
from ratusz.language import moods
from ratusz.language.readability import MAX_CHECK_CHARS, check
from ratusz.registry.models import Profile

PANEL_DAYS = 30


def check_page(request: HttpRequest) -> HttpResponse:
    """The readability page: a form for a draft post; POST shows FOG-PL, Pisarek, the band and the hints
    (the results fragment only, when the request comes from htmx)."""
    text = request.POST.get("text", "") if request.method == "POST" else ""
    report = error = None
    if request.method == "POST":
        try:
            report = check(text)
        except RatuszError as exc:
            error = exc.message
    context = {"text": text, "report": report, "error": error, "max_chars": MAX_CHECK_CHARS}
    if request.headers.get("HX-Request") and request.method == "POST":
        return render(request, "language/_check_result.html", context)
    return render(request, "language/check.html", context)


@staff_member_required
def moderation_queue(request: HttpRequest) -> HttpResponse:
    """Comments flagged as possibly harmful, most probable first, for a moderator to approve or hide."""
    comments = moods.flagged_comments(limit=200)
    return render(request, "language/moderation.html", {"comments": comments})


@staff_member_required
@require_POST
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a moderator's decision (approved or hidden) on one comment, then go back to the queue."""
    comment = get_object_or_404(Comment, pk=pk)
    decision = request.POST.get("decision")
    if decision in (ModerationState.APPROVED, ModerationState.HIDDEN):
        comment.moderation_state = decision
        comment.save(update_fields=["moderation_state"])
    return redirect("language:moderation")


def _chart_spec(rows: list[dict], title: str) -> str:
    """A Vega-Lite spec (JSON text) of daily negative/harmful shares and negative reaction share."""
    values = []
    for r in rows:
        for key, label in (
            ("negative_share", _("negatywne komentarze")),
            ("harmful_share", _("szkodliwe komentarze")),
            ("reaction_negative_share", _("reakcje smutne/złe")),
        ):
            if r.get(key) is not None:
                values.append({"date": r["date"].isoformat(), "series": label, "share": r[key]})
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": title,
        "width": "container",
        "height": 180,
        "data": {"values": values},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "date", "type": "temporal", "title": _("dzień")},
            "y": {"field": "share", "type": "quantitative", "title": _("udział"), "axis": {"format": "%"}},
            "color": {"field": "series", "type": "nominal", "title": None},
            "strokeDash": {"field": "series", "type": "nominal", "title": None},
        },
    }
    return json.dumps(spec, ensure_ascii=False)


def profile_panel(request: HttpRequest, profile: Profile) -> str:
    """HTML of the moods panel on a profile page: shares over the last days next to reaction mood."""
    summary = moods.mood_summary(profile=profile)
    rows = moods.daily_shares(profile=profile, days=PANEL_DAYS)
    if rows:
        reaction = moods.daily_reaction_mood(profile, rows[0]["date"], rows[-1]["date"])
        for r in rows:
            share = reaction.get(r["date"])
            r["reaction_negative_share"] = share
            r["reaction_negative_pct"] = None if share is None else round(100 * share)
    recent = [r for r in rows if r["comments"]]
    return render_to_string(
        "language/profile_panel.html",
        {
            "profile": profile,
            "summary": summary,
            "rows": recent[-14:],
            "spec": _chart_spec(rows, _("Udział negatywnych i szkodliwych komentarzy dziennie"))
            if recent
            else "",
            "questions": moods.open_questions(profile=profile, limit=5),
            "days": PANEL_DAYS,
        },
        request=request,
    )


def post_panel(request: HttpRequest, post: Post) -> str:
    """HTML of the moods panel on a post page: mood counts and the comments flagged or asking something."""
    summary = moods.mood_summary(post=post)
    flagged = (
        Comment.objects.filter(post=post, is_from_profile=False, harm__in=["cyberbullying", "hate"])
        .exclude(moderation_state=ModerationState.HIDDEN)
        .order_by("-harm_probability")[:20]
    )
    questions = moods.open_questions(post=post, limit=20)
    return render_to_string(
        "language/post_panel.html",
        {"post": post, "summary": summary, "flagged": flagged, "questions": questions},
        request=request,
    )
