from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from . import views

handler400 = "portal.views.bad_request"
handler500 = "portal.views.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("contacts/", views.contacts, name="contacts"),
    path("groups/", include("groups.urls")),
    path("", include("hearings.urls")),
    path("", include("budget.urls")),
    path("", include("budget.report_urls")),
    path("", include("projects.urls")),
    path("", include("projects.report_urls")),
    path("admin/", admin.site.urls),
)

if settings.DEBUG:
    urlpatterns += [
        path(
            f"{settings.MEDIA_URL.lstrip('/')}<path:path>",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]
