"""Full-text search over proposals that works with Kyrgyz letters.

PostgreSQL has no Kyrgyz dictionary, so words are matched as typed
(the 'simple' configuration) and by prefix, which catches Kyrgyz suffixes
(көпүрө finds көпүрөнү); when no word matches, trigram word similarity
forgives small typos.
"""

import re

from django.contrib.postgres.search import SearchQuery, TrigramWordSimilarity
from django.db.models import Q
from django.db.models.functions import Greatest

# Matches are counted up to this many (the page says "more than 1 000"):
# counting every match of a common word would read half the municipality.
COUNT_CAP = 1000
# Up to this many matches are ranked by how well they match; more (a common
# word) come newest first, in the order of the list's own index, so that a
# page reads its twenty rows and stops.
RANK_AT_MOST = 200


def search(queryset, text):
    """The rows that match `text`, in order, and their number counted up to
    COUNT_CAP + 1 (None when there are no words to look for)."""
    words = re.findall(r"\w+", text.lower())[:8]
    if not words:
        return queryset, None
    prefix_query = SearchQuery(
        " & ".join(f"{word}:*" for word in words), config="simple", search_type="raw"
    )
    # The stored search vector of both texts and both decisions (GIN index).
    found = queryset.filter(search_vector=prefix_query)
    count = capped_count(found)
    phrase = " ".join(words)
    if not count:
        # Perhaps a typo: the texts' trigrams (%> through gin_trgm_ops, at
        # the connection's pg_trgm.word_similarity_threshold, see settings).
        found = queryset.filter(
            Q(text_ky__trigram_word_similar=phrase) | Q(text_ru__trigram_word_similar=phrase)
        )
        count = capped_count(found)
    if count > RANK_AT_MOST:
        return found.order_by("-submitted_at", "-pk"), count
    # Few rows: the similarity is computed for them only, to rank them.
    ranked = found.annotate(
        similarity=Greatest(
            TrigramWordSimilarity(phrase, "text_ky"),
            TrigramWordSimilarity(phrase, "text_ru"),
        ),
    ).order_by("-similarity", "-submitted_at", "-pk")
    return ranked, count


def capped_count(queryset):
    return queryset.order_by()[: COUNT_CAP + 1].count()
