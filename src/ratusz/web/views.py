"""Views of the public pages; they parse input, call the library and render."""

from __future__ import annotations

import logging

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ratusz.collect.models import REACTION_TYPES, Comment, Post
from ratusz.registry.models import Profile, Unit
from ratusz.registry.services import peers
from ratusz.web import panels, queries
from ratusz.web.cache import cached, fingerprint, not_modified, page_etag, page_version, with_cache_headers
from ratusz.web.display import REACTION_LABELS, count_html, format_labels, reaction_counts

log = logging.getLogger(__name__)

PROFILES_PER_PAGE = 50
POSTS_PER_PAGE = 20
COMMENTS_PER_PAGE = 50
PAGE_CACHE_SECONDS = 300


def _is_htmx_fragment(request: HttpRequest) -> bool:
    # A history restore wants the whole page, not the fragment.
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The home page: the search form and the list of registered profiles (paginated)."""
    profiles = Profile.objects.select_related("unit").order_by("name", "pk")
    page = Paginator(profiles, PROFILES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "web/home.html", {"profiles_page": page, "result": None})


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Search results for ?q= (units and profiles): the fragment for htmx, the whole page otherwise."""
    result = queries.search(request.GET.get("q", ""))
    if _is_htmx_fragment(request):
        return render(request, "web/_search_results.html", {"result": result, "fragment": True})
    return render(request, "web/search.html", {"result": result})


@require_GET
def unit(request: HttpRequest, teryt: str) -> HttpResponse:
    """A unit's page: its data from the register, its profiles and its peers."""
    obj = get_object_or_404(Unit, teryt=teryt)
    unit_peers = peers(obj)
    context = {
        "unit": obj,
        "profiles": queries.unit_profiles(obj),
        "peers": queries.peer_units_with_profiles(obj, unit_peers),
        "peer_count": unit_peers.count(),
    }
    return render(request, "web/unit.html", context)


@require_GET
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    """A profile's page: who it is, its followers, its posts (paginated) and the registered panels.

    For anonymous visitors the page body is cached per profile, query string, language and page version
    (PAGE_CACHE_SECONDS at most: moods and open questions change when comments are scored) and carries an
    ETag, so a revalidating browser gets 304. Signed-in users always get a fresh body (panels may show
    them more)."""
    if request.user.is_authenticated:
        obj = get_object_or_404(Profile.objects.select_related("unit"), pk=pk)
        title, body, etag = obj.name, _profile_body(request, obj)[0], None
    else:
        query = sorted(request.GET.lists())
        key = f"ratusz:web:profile:{pk}:{fingerprint([request.path, query, get_language()])}:{page_version()}"
        etag = page_etag(request, key)
        if (response := not_modified(request, etag)) is not None:
            return response

        def compute() -> tuple[str, SafeString, bool]:
            obj = get_object_or_404(Profile.objects.select_related("unit"), pk=pk)  # a 404 is not stored
            return (obj.name, *_profile_body(request, obj))

        # A body with a failed panel is shown but not kept: the next request tries the panel again.
        # (A deleted profile changes the page version, so a stored body means the profile exists.)
        title, body, _complete = cached(key, compute, PAGE_CACHE_SECONDS, keep=lambda v: v[2])
    response = render(request, "web/profile.html", {"title": title, "body": body})
    return with_cache_headers(response, etag)


def _profile_body(request: HttpRequest, obj: Profile) -> tuple[SafeString, bool]:
    """Return the profile page's body (facts, panels, posts) and whether every panel rendered."""
    posts = Paginator(queries.profile_posts(obj), POSTS_PER_PAGE).get_page(request.GET.get("page"))
    posts.object_list = list(posts.object_list)
    labels = format_labels(get_language())
    for post in posts.object_list:
        post.count_cells = _count_cells(post)
        post.format_label = labels.get(post.format, post.format)
    followers = queries.latest_followers(obj)
    failed: list[str] = []
    context = {
        "profile": obj,
        "followers": followers,
        # Without snapshots, engagement still comes from the followers stored with the posts, if any.
        "followers_at_posting": followers is None and queries.has_followers_at_posting(obj),
        "posts_page": posts,
        "reaction_labels": list(REACTION_LABELS.values()),
        "panels": panels.render_panels(panels.profile_panels(), request, obj, failed=failed),
    }
    return mark_safe(render_to_string("web/_profile_body.html", context, request=request)), not failed


POST_COUNT_FIELDS = (
    *(f"reactions_{t}" for t in REACTION_TYPES), "reactions_total", "comments_count", "shares_count"
)


def _count_cells(post: Post) -> SafeString:
    """Return the post's count cells of the profile page's table (built here: ten template cells with a
    filter each, twenty rows a page, cost more than the rest of the table)."""
    return mark_safe("".join(f'<td class="num">{count_html(getattr(post, f))}</td>' for f in POST_COUNT_FIELDS))


@require_GET
def post(request: HttpRequest, pk: int) -> HttpResponse:
    """A post's page: its text and counts, the comment threads (paginated) and the registered panels.

    Cached for anonymous visitors like the profile page (the page version follows new and saved comments,
    e.g. a moderator hiding one); signed-in users get a fresh page (staff see harm flags)."""
    if request.user.is_authenticated:
        title, body, _complete = _post_page(request, _get_post(pk))
        etag = None
    else:
        query = sorted(request.GET.lists())
        key = f"ratusz:web:post:{pk}:{fingerprint([request.path, query, get_language()])}:{page_version()}"
        etag = page_etag(request, key)
        if (response := not_modified(request, etag)) is not None:
            return response
        title, body, _complete = cached(
            key, lambda: _post_page(request, _get_post(pk)), PAGE_CACHE_SECONDS, keep=lambda v: v[2]
        )
    response = render(request, "web/post.html", {"title": title, "body": body})
    return with_cache_headers(response, etag)


def _post_page(request: HttpRequest, obj: Post) -> tuple[str, SafeString, bool]:
    """Return the post page's title, body and whether every panel rendered."""
    failed: list[str] = []
    context = _post_context(request, obj, failed)
    title = _("Post: {name}, {date}").format(
        name=obj.profile.name, date=timezone.localtime(obj.published_at).strftime("%Y-%m-%d")
    )
    body = mark_safe(render_to_string("web/_post_body.html", context, request=request))
    return title, body, not failed


def _get_post(pk: int) -> Post:
    return get_object_or_404(Post.objects.select_related("profile", "profile__unit"), pk=pk)


def _post_context(request: HttpRequest, obj: Post, failed: list[str] | None = None) -> dict:
    top = Comment.objects.filter(post=obj, parent__isnull=True).order_by("created_at", "pk")
    comments = Paginator(top, COMMENTS_PER_PAGE).get_page(request.GET.get("page"))
    return {
        "post": obj,
        "profile": obj.profile,
        "reactions": reaction_counts(obj),
        "comments_page": comments,
        "thread": queries.comment_thread(list(comments.object_list)),
        "stored_comments": Comment.objects.filter(post=obj).count(),
        # How the counts grew (each import or collection adds one); the newest 30 are plenty to read.
        "snapshots": list(obj.count_snapshots.order_by("-taken_at")[:30])[::-1],
        "panels": panels.render_panels(panels.post_panels(), request, obj, failed=failed),
    }


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 404 page (handler404), rendered with the one error template."""
    context = {
        "title": _("Nie ma takiej strony"),
        "message": _(
            "Pod tym adresem nic nie ma: sprawdź adres albo wyszukaj jednostkę lub profil na stronie głównej."
        ),
    }
    return render(request, "web/error.html", context, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page (handler500), rendered with the one error template (plain text if even that fails)."""
    context = {
        "title": _("Błąd serwera"),
        "message": _(
            "Coś poszło nie tak po naszej stronie; błąd został zapisany w dzienniku serwera. Spróbuj ponownie za chwilę."
        ),
    }
    try:
        return render(request, "web/error.html", context, status=500)
    except Exception:  # the error may lie in the templates themselves
        log.exception("the error page itself failed")
        return HttpResponseServerError(f"{context['title']}. {context['message']}", content_type="text/plain")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 403 page (handler403), rendered with the one error template."""
    context = {
        "title": _("Brak dostępu"),
        "message": _(
            "Nie masz uprawnień do tej strony. Jeśli jesteś organizatorem, zaloguj się w panelu administracyjnym."
        ),
    }
    return render(request, "web/error.html", context, status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 400 page (handler400), rendered with the one error template."""
    context = {
        "title": _("Nieprawidłowe żądanie"),
        "message": _(
            "Serwer nie zrozumiał tego żądania; sprawdź adres albo wróć na stronę główną i spróbuj ponownie."
        ),
    }
    return render(request, "web/error.html", context, status=400)
