"""The portal's URLs and pages that fail on purpose, to check the error pages."""

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import BadRequest, PermissionDenied
from django.db import OperationalError
from django.urls import path

from portal.urls import handler400, handler500  # noqa: F401  (the root URLconf's handlers)
from portal.urls import urlpatterns as portal_urlpatterns
from portal.views import login_locked_out


def fail(request, status):
    raise {
        400: BadRequest("A request that cannot be read, on purpose."),
        403: PermissionDenied(),
        500: RuntimeError("A page that fails on purpose."),
        503: OperationalError("The database is down, on purpose."),
    }[status]


urlpatterns = [
    *portal_urlpatterns,
    *i18n_patterns(
        path("fail/<int:status>/", fail),
        path("locked/", login_locked_out),
    ),
]
