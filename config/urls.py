from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from apps.accounts.api.views import ObtainTokenView
from apps.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("api/v1/", include("config.api_router")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI sets style attributes in its markup; its scripts stay under the strict policy.
    path(
        "api/docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="api-docs",
    ),
    path("accounts/", include("apps.accounts.urls")),
    path("villages/", include("apps.villages.urls")),
    path("cadres/", include("apps.cadres.urls")),
    path("assistance/", include("apps.assistance.urls")),
    path("collective-economy/", include("apps.collective_economy.urls")),
    path("morality/", include("apps.morality_bank.urls")),
    path("rankings/", include("apps.rankings.urls")),
    path("", include("apps.core.urls")),
    path("", include("apps.dashboard.urls")),
]

handler400 = "apps.core.views.bad_request"
handler403 = "apps.core.views.permission_denied"
handler404 = "apps.core.views.page_not_found"
handler500 = "apps.core.views.server_error"
