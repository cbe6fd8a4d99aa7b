from django.utils.functional import SimpleLazyObject

from .models import Municipality


class MunicipalityMiddleware:
    """Attach the municipality a request is for, looked up only when used."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.municipality = SimpleLazyObject(
            lambda: Municipality.objects.for_host(request.get_host())
        )
        return self.get_response(request)


def municipality_or_404(request):
    """The current municipality, or a 404 page while none is set up yet."""
    from django.http import Http404

    if not request.municipality:
        raise Http404("No municipality is set up yet.")
    return request.municipality
