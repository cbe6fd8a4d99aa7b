from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language


def portal(request):
    """The current municipality and links to this very page in each language."""
    path = request.get_full_path()
    current = get_language()
    return {
        "municipality": getattr(request, "municipality", None),
        "women_benchmark": settings.WOMEN_SHARE_BENCHMARK,
        "youth_age_min": settings.YOUTH_AGE_MIN,
        "youth_age_max": settings.YOUTH_AGE_MAX,
        "language_links": [
            {
                "code": code,
                "name": name,
                "url": translate_url(path, code),
                "current": code == current,
            }
            for code, name in settings.LANGUAGES
        ],
    }
