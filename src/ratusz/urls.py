"""URL map: the admin, the API and each app's pages."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from ratusz.api import api

urlpatterns = [
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("ranking/", include("ratusz.metrics.urls")),
    path("language/", include("ratusz.language.urls")),
    path("vote/", include("ratusz.voting.urls")),
    path("", include("ratusz.web.urls")),
    prefix_default_language=False,
)

handler404 = "ratusz.web.views.page_not_found"
handler500 = "ratusz.web.views.server_error"
handler403 = "ratusz.web.views.permission_denied"
handler400 = "ratusz.web.views.bad_request"
