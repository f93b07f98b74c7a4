"""Pages of the vote: the ballot (single-use link), the public election page, receipt check, turnout, results."""

from __future__ import annotations

from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ratusz.voting import audit, ratelimit
from ratusz.voting.ballots import (
    AlreadyVoted,
    BallotError,
    LinkChanged,
    ballot_choices,
    cast,
    check_receipt,
    field_name,
    shortlist_fragment,
    validate_picks,
)
from ratusz.voting.invitations import LinkState, hash_token, mark_opened, resolve
from ratusz.voting.models import AuditEvent, Election
from ratusz.voting.results import TIE_RULE, tally, turnout

ORGANISE_PERM = "voting.organise_election"

REFUSAL_STATUS = {"forged": 404, "revoked": 410, "used": 409, "upcoming": 403, "closed": 410, "rate": 429}


def _private(response: HttpResponse) -> HttpResponse:
    """Keep a page that carries a token out of logs, caches, referrers and search engines."""
    # same-origin: profile links never get the token; our own form POSTs keep their Origin for CSRF.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    # Django logs 4xx responses with the request path, which holds the token: we log without it instead.
    response._has_been_logged = True
    return response


def _refusal(
    request: HttpRequest, status: str, state: LinkState | None = None, message: str = ""
) -> HttpResponse:
    context = {"status": status, "state": state, "message": message}
    if state and state.invitation:
        context["election"] = state.election
        context["voted_at"] = state.voter.voted_at or state.invitation.used_at
    return _private(render(request, "voting/refusal.html", context, status=REFUSAL_STATUS.get(status, 400)))


def _form_data(request: HttpRequest) -> dict[str, list[str]]:
    return {key: request.POST.getlist(key) for key in request.POST if key[:1] == "c" and key[1:].isdigit()}


def _categories(choices, selected: dict[str, list[str]]) -> list[dict]:
    categories = []
    for cc in choices:
        name = field_name(cc.category)
        chosen = set(selected.get(name, []))
        categories.append(
            {
                "category": cc.category,
                "field": name,
                "entries": [
                    {
                        "id": e.pk,
                        "name": e.profile.name,
                        "unit": e.profile.unit.name if e.profile.unit else "",
                        "platform": e.profile.get_platform_display(),
                        "url": e.profile.url,
                        "checked": str(e.pk) in chosen,
                        "own": e.pk in cc.own_unit_entries,
                    }
                    for e in cc.entries
                ],
            }
        )
    return categories


def _ballot_page(request, state: LinkState, selected: dict[str, list[str]], errors: list[str], status=200):
    election = state.election
    choices = ballot_choices(election, state.voter)
    context = {
        "election": election,
        "voter": state.voter,
        "errors": errors,
        "closes_at": election.effective_close,
    }
    if selected:
        context["categories"] = _categories(choices, selected)
    else:
        # A fresh ballot looks the same for every voter with the same own-unit entries: render its
        # shortlist once per worker and shortlist version instead of for every voter.
        key = (
            get_language(),
            election.picks_required,
            tuple(tuple(sorted(cc.own_unit_entries)) for cc in choices),
        )
        context["categories_html"] = mark_safe(
            shortlist_fragment(
                election,
                key,
                lambda: render_to_string(
                    "voting/_categories.html", {"election": election, "categories": _categories(choices, {})}
                ),
            )
        )
    return _private(render(request, "voting/ballot.html", context, status=status))


@never_cache
@require_http_methods(["GET", "POST"])
def ballot(request: HttpRequest, token: str) -> HttpResponse:
    """The ballot behind a single-use link: GET shows it, POST step=review confirms, POST step=confirm casts."""
    per_link, per_ip = ratelimit.limits()
    state = resolve(token)
    # Unknown links are limited per client address, real ones per link: guessed tokens never get a counter.
    if state.status == "forged":
        if not ratelimit.hit("ip:" + ratelimit.client_address(request), per_ip):
            return _refusal(request, "rate")
        audit.record(AuditEvent.Kind.REFUSED, reason="forged", detail=f"{request.method}: nieznany link")
        return _refusal(request, "forged")
    if not ratelimit.hit("link:" + hash_token(token)[:32], per_link):
        return _refusal(request, "rate")
    if state.status != "ok":
        audit.record(
            AuditEvent.Kind.REFUSED if request.method == "POST" else AuditEvent.Kind.LINK_OPENED,
            state.election,
            voter=state.voter,
            reason=state.status,
            detail=f"{request.method}: {state.status}",
        )
        return _refusal(request, state.status, state)
    if request.method == "GET":
        mark_opened(state)
        return _ballot_page(request, state, {}, [])

    step = request.POST.get("step", "")
    selected = _form_data(request)
    if step == "edit":
        return _ballot_page(request, state, selected, [])
    try:
        if step not in ("review", "confirm"):
            raise BallotError(
                ["Formularz został zmieniony lub jest niepełny; otwórz link ponownie."], "tampered"
            )
        if step == "review":
            chosen = validate_picks(state.election, state.voter, selected)
            return _private(render(request, "voting/confirm.html", _confirm_context(state, chosen)))
        code = cast(state, selected)  # validates again: the confirmation form is just as untrusted
    except BallotError as exc:
        audit.record(
            AuditEvent.Kind.REFUSED, state.election, voter=state.voter, reason=exc.reason, detail=exc.message
        )
        return _ballot_page(request, state, selected, exc.messages, status=400)
    except AlreadyVoted:
        audit.record(
            AuditEvent.Kind.REFUSED, state.election, voter=state.voter, reason="used", detail="POST: used"
        )
        state.invitation.voter.refresh_from_db(fields=["voted_at"])
        return _refusal(request, "used", state)
    except LinkChanged as exc:
        audit.record(
            AuditEvent.Kind.REFUSED, state.election, voter=state.voter, reason=exc.code, detail=exc.message
        )
        return _refusal(request, exc.code, state, exc.message)
    return _private(
        render(
            request,
            "voting/receipt.html",
            {"election": state.election, "code": code, "cast_at": timezone.now()},
        )
    )


def _confirm_context(state: LinkState, chosen) -> dict:
    by_category = []
    for cc in ballot_choices(state.election, state.voter):
        entries = chosen.get(cc.category.pk, [])
        by_category.append({"category": cc.category, "field": field_name(cc.category), "entries": entries})
    return {"election": state.election, "voter": state.voter, "chosen": by_category}


def index(request: HttpRequest) -> HttpResponse:
    """The list of elections with their state."""
    elections = Election.objects.all()
    now = timezone.now()
    return render(request, "voting/index.html", {"elections": [(e, e.state(now)) for e in elections]})


def election_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The public page of an election: dates, rules, tie-break commitment, shortlists, receipt check."""
    election = get_object_or_404(Election, slug=slug)
    context = {
        "election": election,
        "state": election.state(),
        "choices": ballot_choices(election, None),
        "tie_rule": TIE_RULE,
        "is_organiser": request.user.has_perm(ORGANISE_PERM),
    }
    return render(request, "voting/election.html", context)


@never_cache
def receipt_check(request: HttpRequest, slug: str) -> HttpResponse:
    """Check a receipt code: is the ballot counted? (GET ?code=…)."""
    election = get_object_or_404(Election, slug=slug)
    code = request.GET.get("code", "").strip()
    result = None
    error = ""
    if code:
        if not ratelimit.hit("receipt:" + ratelimit.client_address(request), ratelimit.limits()[1]):
            error = "Zbyt wiele sprawdzeń w ciągu minuty; odczekaj chwilę i spróbuj ponownie."
        elif len(code) > 40:
            error = "Kod potwierdzenia ma postać XXXX-XXXX-XXXX-XXXX; sprawdź, czy wpisano go w całości."
        else:
            result = check_receipt(election, code)
    status = 429 if error.startswith("Zbyt") else 200
    response = render(
        request,
        "voting/receipt_check.html",
        {"election": election, "code": code, "result": result, "error": error},
        status=status,
    )
    return _private(response)


def _can_see_results(request: HttpRequest, election: Election) -> bool:
    state = election.state()
    return state == "published" or (state == "closed" and request.user.has_perm(ORGANISE_PERM))


def results_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The results: tally per category with turnout, the tie rule and the revealed seed."""
    election = get_object_or_404(Election, slug=slug)
    if not _can_see_results(request, election):
        return render(
            request, "voting/not_yet.html", {"election": election, "state": election.state()}, status=403
        )
    context = {
        "election": election,
        "state": election.state(),
        "categories": tally(election),
        "turnout": turnout(election),
        "tie_rule": TIE_RULE,
    }
    return render(request, "voting/results.html", context)


def results_csv_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The results as CSV."""
    from ratusz.voting.results import results_csv

    election = get_object_or_404(Election, slug=slug)
    if not _can_see_results(request, election):
        raise Http404
    response = HttpResponse(results_csv(election), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{election.slug}-wyniki.csv"'
    return response


def ballots_csv_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Every ballot, anonymous (receipt fingerprint, day, picks), as CSV for recounting."""
    from ratusz.voting.results import ballots_csv

    election = get_object_or_404(Election, slug=slug)
    if not _can_see_results(request, election):
        raise Http404
    response = HttpResponse(ballots_csv(election), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{election.slug}-karty.csv"'
    return response


@permission_required(ORGANISE_PERM)
@never_cache
def turnout_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Organisers only: live turnout (refreshes itself); never who chose whom."""
    election = get_object_or_404(Election, slug=slug)
    context = {
        "election": election,
        "state": election.state(),
        "turnout": turnout(election),
        "now": timezone.now(),
    }
    template = "voting/_turnout.html" if request.headers.get("HX-Request") else "voting/turnout.html"
    return render(request, template, context)
