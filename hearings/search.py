"""Full-text search over proposals that works with Kyrgyz letters.

PostgreSQL has no Kyrgyz dictionary, so words are matched as typed
(the 'simple' configuration) and by prefix, which catches Kyrgyz suffixes
(көпүрө finds көпүрөнү); trigram word similarity forgives small typos.
"""

import re

from django.contrib.postgres.search import (
    SearchQuery,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db.models import Q
from django.db.models.functions import Greatest

SIMILARITY_THRESHOLD = 0.5


def search(queryset, text):
    words = re.findall(r"\w+", text.lower())[:8]
    if not words:
        return queryset
    prefix_query = SearchQuery(
        " & ".join(f"{word}:*" for word in words), config="simple", search_type="raw"
    )
    phrase = " ".join(words)
    return (
        queryset.annotate(
            search_vector=SearchVector(
                "text_ky", "text_ru", "decision_ky", "decision_ru", config="simple"
            ),
            similarity=Greatest(
                TrigramWordSimilarity(phrase, "text_ky"),
                TrigramWordSimilarity(phrase, "text_ru"),
            ),
        )
        .filter(Q(search_vector=prefix_query) | Q(similarity__gte=SIMILARITY_THRESHOLD))
        .order_by("-similarity", "-submitted_at", "-pk")
    )
