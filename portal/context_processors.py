import logging

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation
from django.utils.encoding import iri_to_uri
from django.utils.functional import SimpleLazyObject

logger = logging.getLogger(__name__)


def _municipality_or_none(request):
    """The request's municipality, or None when there is none or the database
    is down: error pages (404, 503...) must render without it."""
    municipality = getattr(request, "municipality", None)
    if municipality is None:
        return None
    try:
        return municipality if municipality else None
    except DatabaseError:
        logger.warning("No municipality on this page: the database did not answer.")
        return None


def _same_page_in(request, match, code):
    """This page's path in another language; its home page when the path is
    not one of the portal's pages (a 404, say), so a link never leaves the site."""
    with translation.override(code):
        if match is not None and match.view_name:
            try:
                url = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                pass
            else:
                query = iri_to_uri(request.META.get("QUERY_STRING", ""))
                return f"{url}?{query}" if query else url
        return reverse("home")


def _absolute(request, url):
    try:
        return request.build_absolute_uri(url)
    except DisallowedHost:
        return url


def portal(request):
    """The current municipality and links to this very page in each language.

    Each link has `url`, a path on this site, and `absolute_url`, the same
    with this site's scheme and host (for hreflang alternates).
    """
    current = translation.get_language()
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
    links = []
    for code, name in settings.LANGUAGES:
        url = _same_page_in(request, match, code)
        links.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "absolute_url": SimpleLazyObject(lambda url=url: _absolute(request, url)),
                "current": code == current,
            }
        )
    return {
        "municipality": SimpleLazyObject(lambda: _municipality_or_none(request)),
        "women_benchmark": settings.WOMEN_SHARE_BENCHMARK,
        "youth_age_min": settings.YOUTH_AGE_MIN,
        "youth_age_max": settings.YOUTH_AGE_MAX,
        "language_links": links,
    }
