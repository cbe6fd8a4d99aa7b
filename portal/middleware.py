import logging

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import QueryDict
from django.http.multipartparser import MultiPartParserError
from django.utils.datastructures import MultiValueDict
from django.utils.functional import SimpleLazyObject

from .models import Municipality, is_root_domain

logger = logging.getLogger(__name__)


class MunicipalityMiddleware:
    """Attach the municipality a request is for, looked up only when used
    (and then mostly from the cache). The national root domain is no
    municipality's: its home page lists them, its other pages are 404s."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.municipality = SimpleLazyObject(lambda: municipality_for(request))
        return self.get_response(request)


def municipality_for(request):
    host = request.get_host()
    if is_root_domain(host):
        return None
    return Municipality.objects.cached_for_host(host)


def is_portal_root(request):
    """Whether the request is for the national root domain (PORTAL_ROOT_DOMAIN)."""
    return is_root_domain(request.get_host())


def municipality_or_404(request):
    """The current municipality, or a 404 page while none is set up yet."""
    from django.http import Http404

    if not request.municipality:
        raise Http404("No municipality is set up yet.")
    return request.municipality


class RequestBodyMiddleware:
    """Parse a POST's form data up front and answer 400 when it cannot be read.

    Django refuses a form body that declares another charset than UTF-8
    (and a few other malformed bodies) with BadRequest, but leaves the body
    unread: the 400 handler's CSRF check reads it again, fails again, and the
    500 handler does the same, so the error escapes Django as a bare 500.
    Marking the body as read (empty) first lets the portal's 400 page render.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST":
            try:
                request.POST  # noqa: B018  (parsing is the point)
            except (BadRequest, SuspiciousOperation, MultiPartParserError) as error:
                request._post, request._files = QueryDict(), MultiValueDict()
                if isinstance(error, MultiPartParserError):
                    raise BadRequest(str(error)) from error
                raise
        return self.get_response(request)


# What a database that is down or restarting raises.
DATABASE_DOWN = (OperationalError, InterfaceError)


class DatabaseUnavailableMiddleware:
    """While the database is down, a 503 page in the visitor's language
    (a resident who was submitting learns the proposal was not saved),
    instead of a bare 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN):
            from .views import service_unavailable

            logger.error("The database did not answer: %s", exception)

            return service_unavailable(request)
        return None
