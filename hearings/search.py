"""Full-text search over proposals that works with Kyrgyz letters.

PostgreSQL has no Kyrgyz dictionary, so words are matched as typed
(the 'simple' configuration) and by prefix, which catches Kyrgyz suffixes
(көпүрө finds көпүрөнү); trigram word similarity forgives small typos.
"""

import re

from django.contrib.postgres.search import SearchQuery, TrigramWordSimilarity
from django.db.models import Q
from django.db.models.functions import Greatest


def search(queryset, text):
    words = re.findall(r"\w+", text.lower())[:8]
    if not words:
        return queryset
    prefix_query = SearchQuery(
        " & ".join(f"{word}:*" for word in words), config="simple", search_type="raw"
    )
    phrase = " ".join(words)
    # Each condition is one the indexes answer: the stored search vector
    # (GIN) and the texts' trigrams (%> through gin_trgm_ops, at the
    # connection's pg_trgm.word_similarity_threshold, see settings). The
    # similarity is then computed for the rows found only, to rank them.
    return (
        queryset.filter(
            Q(search_vector=prefix_query)
            | Q(text_ky__trigram_word_similar=phrase)
            | Q(text_ru__trigram_word_similar=phrase)
        )
        .annotate(
            similarity=Greatest(
                TrigramWordSimilarity(phrase, "text_ky"),
                TrigramWordSimilarity(phrase, "text_ru"),
            ),
        )
        .order_by("-similarity", "-submitted_at", "-pk")
    )
