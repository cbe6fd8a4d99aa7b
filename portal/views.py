import logging
import math
import sys

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from groups.models import InitiativeGroup, Person
from hearings.models import Hearing

from .middleware import DATABASE_DOWN, municipality_or_404

logger = logging.getLogger(__name__)


def home(request):
    municipality = municipality_or_404(request)
    context = {
        "municipality": municipality,
        "next_hearing": Hearing.objects.filter(municipality=municipality)
        .upcoming()
        .select_related("village")
        .order_by("starts_at")
        .first(),
        "group_count": InitiativeGroup.objects.filter(municipality=municipality).active().count(),
        "group_figures": Person.objects.filter(municipality=municipality)
        .current_members()
        .composition(),
    }
    return render(request, "portal/home.html", context)


def contacts(request):
    municipality = municipality_or_404(request)
    villages = municipality.villages.all()
    return render(
        request, "portal/contacts.html", {"municipality": municipality, "villages": villages}
    )


@never_cache
def healthz(request):
    """200 when the database answers, 503 when it does not (for monitors)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def favicon(request):
    # Browsers ask for /favicon.ico even on pages (the admin) that name no icon.
    return redirect(static("img/favicon.svg"), permanent=True)


# Seconds a client is asked to wait before trying again.
RETRY_AFTER = 120


def service_unavailable(request):
    """503 in the visitor's language; when they were sending something, it says
    it was not saved. Renders without the database."""
    try:
        response = render(
            request, "503.html", {"was_sending": request.method == "POST"}, status=503
        )
    except Exception:
        # The page itself failed: still say it in both languages.
        logger.exception("The 503 page could not be rendered.")
        response = HttpResponse(
            "Кызмат убактылуу иштебей турат. Кийинчерээк кайра аракет кылыңыз.\n"
            "Сервис временно недоступен. Попробуйте ещё раз позже.\n",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


@requires_csrf_token
def bad_request(request, exception):
    """handler400: the portal's page, or plain text in both languages when even
    that cannot be drawn (a request for a host the portal does not serve)."""
    try:
        return defaults.bad_request(request, exception)
    except Exception:
        logger.warning("The 400 page could not be rendered.", exc_info=True)
        return HttpResponseBadRequest(
            "Сурам туура эмес. · Неверный запрос.\n", content_type="text/plain; charset=utf-8"
        )


@requires_csrf_token
def server_error(request):
    """handler500: a database outage (raised where no view could catch it,
    say while rendering a 404 page) gets the 503 page, anything else the 500."""
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        return service_unavailable(request)
    return defaults.server_error(request)


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login (AXES_LOCKOUT_CALLABLE):
    the portal's page, with the wait in whole minutes."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    return render(
        request,
        "axes/lockout.html",
        {"cooloff_minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
