"""The REST API (django-ninja, OpenAPI at /api/docs): each app adds its router here."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from ratusz import __version__
from ratusz.errors import NotFound, RatuszError

api = NinjaAPI(
    title="ratusz API",
    version=__version__,
    description="Units, profiles, posts, rankings and metrics of Polish local-government social media.",
    urls_namespace="api",
)


@api.exception_handler(RatuszError)
def _ratusz_error(request: HttpRequest, exc: RatuszError) -> HttpResponse:
    status = 404 if isinstance(exc, NotFound) else 400
    return api.create_response(
        request, {"error": {"code": exc.code, "message": exc.message, "details": exc.details}}, status=status
    )


def _register_routers() -> None:
    from ratusz.collect.api import router as collect_router
    from ratusz.language.api import router as language_router
    from ratusz.metrics.api import router as metrics_router
    from ratusz.registry.api import router as registry_router
    from ratusz.voting.api import router as voting_router

    api.add_router("/registry", registry_router)
    api.add_router("/collect", collect_router)
    api.add_router("/metrics", metrics_router)
    api.add_router("/language", language_router)
    api.add_router("/voting", voting_router)


_register_routers()
