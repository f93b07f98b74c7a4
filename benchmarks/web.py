"""Server-side time of the public pages (search, unit, profile, post), in-process, on the configured database.

    RATUSZ_HOME=/tmp/demo ratusz migrate && ratusz registry load && ratusz demo --scale 1
    RATUSZ_HOME=/tmp/demo python -m benchmarks web --repeat 20

For each page it prints the median and p95 time of Django's full request cycle (middleware, views,
templates; no network) with all registered panels, and the profile and post pages again without panels,
so the cost of the web app's own part and of the panels other apps add are visible side by side.
"""

from __future__ import annotations

import argparse
import statistics
import time


def _measure(client, url: str, repeat: int) -> tuple[float, float, int]:
    client.get(url)  # warm-up (templates, caches)
    times = []
    status = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        status = client.get(url).status_code
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))], status


def main(argv: list[str]) -> None:
    """Print median and p95 milliseconds per page; returns None."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks web")
    parser.add_argument("--repeat", type=int, default=20, help="requests per page (default 20)")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.db.models import Count
    from django.test import Client

    from ratusz.collect.models import Comment, Post
    from ratusz.registry.models import Profile
    from ratusz.web import panels

    profile = Profile.objects.annotate(n=Count("posts")).order_by("-n").first()
    if profile is None:
        raise SystemExit("no profiles in the database: run `ratusz demo --scale 1` first")
    busiest = Comment.objects.values("post_id").annotate(n=Count("id")).order_by("-n").first()
    post_id = (
        busiest["post_id"]
        if busiest
        else Post.objects.filter(profile=profile).values_list("pk", flat=True)[0]
    )
    n_posts = Post.objects.filter(profile=profile).count()
    n_comments = Comment.objects.filter(post_id=post_id).count()
    teryt = profile.unit_id
    pages = [
        ("home", "/"),
        ("search 'gmina'", "/szukaj/?q=gmina"),
        ("search htmx 'gmina'", "/szukaj/?q=gmina#htmx"),
        ("unit", f"/jednostka/{teryt}/"),
        (f"profile ({n_posts} posts)", f"/profil/{profile.pk}/"),
        ("profile, last page", f"/profil/{profile.pk}/?page=9999"),
        (f"post ({n_comments} comments)", f"/post/{post_id}/"),
    ]
    client = Client()
    htmx = Client(headers={"HX-Request": "true"})
    print(f"{'page':34} {'median ms':>10} {'p95 ms':>8}  status   (repeat={args.repeat})")
    for name, url in pages:
        c = htmx if url.endswith("#htmx") else client
        med, p95, status = _measure(c, url.removesuffix("#htmx"), args.repeat)
        print(f"{name:34} {med:10.1f} {p95:8.1f}  {status}")
    saved = (panels._PROFILE_PANELS.copy(), panels._POST_PANELS.copy())
    keys = [p.key for p in panels.profile_panels()] + [p.key for p in panels.post_panels()]
    for key in keys:
        panels.unregister_panel(key)
    try:
        for name, url in pages[4:]:
            med, p95, status = _measure(client, url, args.repeat)
            print(f"{name + ' without panels':34} {med:10.1f} {p95:8.1f}  {status}")
    finally:
        panels._PROFILE_PANELS.update(saved[0])
        panels._POST_PANELS.update(saved[1])
    print(f"panels registered: {', '.join(dict.fromkeys(keys)) or 'none'}")
