import logging
import math
import sys

from django import forms
from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import HttpResponse, HttpResponseBadRequest
from django.http.request import split_domain_port
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import translation
from django.utils.translation import gettext_lazy
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from groups.models import remembered_summary
from hearings.models import Hearing

from .middleware import DATABASE_DOWN, is_portal_root, municipality_or_404
from .models import Municipality
from .pagination import paginate

logger = logging.getLogger(__name__)


def home(request):
    if is_portal_root(request):
        return municipality_directory(request)
    municipality = municipality_or_404(request)
    groups = remembered_summary(municipality)
    context = {
        "municipality": municipality,
        "next_hearing": Hearing.objects.filter(municipality=municipality)
        .upcoming()
        .select_related("village")
        .order_by("starts_at")
        .first(),
        "group_count": groups.active_groups,
        "group_figures": groups.figures,
    }
    return render(request, "portal/home.html", context)


# Municipalities per page of the national directory (about 450 in all).
DIRECTORY_PAGE_SIZE = 100


def _in_language(field):
    """A translated field in the current language, else in Kyrgyz (the
    fallback the pages show), for ordering and grouping in the database."""
    language, default = translation.get_language(), settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    if language == default:
        return F(f"{field}_{language}")
    return Coalesce(
        NullIf(f"{field}_{language}", Value("")), f"{field}_{default}", output_field=CharField()
    )


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search by name"), required=False, max_length=100)
    # Keyed by the Kyrgyz name, so a filtered page survives the language switch.
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False, choices=())

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", gettext_lazy("All regions")), *regions]


def municipality_directory(request):
    """The national root domain's home page: the municipalities, by region and
    district, each linking to its own portal. Names and places only; three
    queries, whatever the number of municipalities."""
    listed = Municipality.objects.exclude(domain="").order_by()
    regions = (
        listed.annotate(label=_in_language("region"))
        .values_list("region_ky", "label")
        .distinct()
        .order_by("label")
    )
    form = DirectoryFilterForm(request.GET or None, regions=list(regions))
    if form.is_valid():
        if form.cleaned_data["region"]:
            listed = listed.filter(region_ky=form.cleaned_data["region"])
        if words := form.cleaned_data["q"].strip():
            listed = listed.filter(Q(name_ky__icontains=words) | Q(name_ru__icontains=words))
    rows = listed.values(
        "pk",
        "domain",
        name_label=_in_language("name"),
        district_label=_in_language("district"),
        region_label=_in_language("region"),
    ).order_by("region_label", "district_label", "name_label", "pk")
    page, query = paginate(request, rows, per_page=DIRECTORY_PAGE_SIZE)
    # The same port as this page's (a test or local server); the default
    # ports are not in the Host header.
    port = split_domain_port(request.get_host())[1]
    suffix = f":{port}" if port else ""
    language = translation.get_language()
    for row in page.object_list:
        row["url"] = f"{request.scheme}://{row['domain'].lower()}{suffix}/{language}/"
    context = {
        "form": form,
        "page": page,
        "query": query,
        "filters_active": bool(request.GET.get("q") or request.GET.get("region")),
    }
    return render(request, "portal/municipality_directory.html", context)


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
