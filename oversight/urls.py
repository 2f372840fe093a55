from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from oversight.core.api import discover, router

discover()

urlpatterns = [
    path("", include("oversight.core.urls")),
    path("accounts/", include("oversight.accounts.urls")),
    path("organisations/", include("oversight.organisations.urls")),
    path("plans/", include("oversight.workplans.urls")),
    path("plans/", include("oversight.bulletins.urls")),
    path("notices/", include("oversight.notices.urls")),
    path("enforcement/", include("oversight.enforcement.urls")),
    path("cases/", include("oversight.cases.urls")),
    path("cases/", include("oversight.inspections.urls")),
    path("supervision/", include("oversight.supervision.urls")),
    path("reviews/", include("oversight.reviews.urls")),
    path("catalogue/", include("oversight.catalogue.urls")),
    path("public/", include("oversight.portal.urls")),
    path("api/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path(
        "api/docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api_schema")),
        name="api_docs",
    ),
]

handler403 = "oversight.core.views_errors.permission_denied"
handler404 = "oversight.core.views_errors.not_found"
handler400 = "oversight.core.views_errors.bad_request"
handler500 = "oversight.core.views_errors.server_error"
