"""Full-text search over proposals that works with Kyrgyz letters.

PostgreSQL has no Kyrgyz dictionary, so words are matched as typed
(the 'simple' configuration) and by prefix, which catches Kyrgyz suffixes
(көпүрө finds көпүрөнү); when nothing matches, each word is also looked
for as the municipality's words that are like it (trigrams), which
forgives small typos (көпүрнү finds көпүрөнү).
"""

import re
import string

from django.contrib.postgres.search import SearchQuery, SearchVectorField, TrigramWordSimilarity
from django.db import connection
from django.db.models import F, Func
from django.db.models.functions import Greatest

# Matches are counted up to this many (the page says "more than 1 000"):
# counting every match of a common word would read half the municipality.
COUNT_CAP = 1000
# Up to this many matches are ranked by how well they match; more (a common
# word) come newest first, in the order of the list's own index, so that a
# page reads its twenty rows and stops.
RANK_AT_MOST = 200
# A misspelt word is looked for as up to this many words like it.
ALIKE_AT_MOST = 8


class Unindexed(Func):
    """The stored search vector as an expression its GIN index does not
    answer, so that a query reads the rows in another index's order."""

    template = "(%(expressions)s || ''::tsvector)"
    output_field = SearchVectorField()


def words_of(text):
    """The words to look for, parted as the search vector parts them: by
    anything but letters and digits. A word with other signs (½, ²) is
    left out: PostgreSQL's parser would drop the sign and look for every
    word of the municipality."""
    words = re.findall(r"[^\W_]+", text.lower())
    return [word for word in words if all(c.isalpha() or c in string.digits for c in word)][:8]


def words_query(municipality, words, alike=None):
    """Every word's start, in the stored search vector of both texts and
    both decisions (GIN index), whose words follow their municipality's id
    (hearings.models.Proposal): the index's entries of this municipality
    only are read. `alike` gives words to take, whole, instead of a word."""
    alike = alike or {}
    prefix = f"{municipality.pk}x"
    terms = (
        " | ".join([f"{prefix}{word}:*", *(prefix + other for other in alike.get(word, ()))])
        for word in words
    )
    return SearchQuery(
        " & ".join(f"({term})" for term in terms), config="simple", search_type="raw"
    )


# For each word typed, the municipality's words most like it (pg_trgm's
# word similarity, at the connection's pg_trgm.word_similarity_threshold,
# see settings). The municipality's id leads the index (SearchWord): the
# index's pages of this municipality are read, not the country's.
ALIKE_SQL = """
    SELECT typed.word, alike.word
    FROM unnest(%s::text[]) AS typed (word)
    CROSS JOIN LATERAL (
        SELECT w.word FROM hearings_searchword w
        WHERE w.municipality_id = %s::bigint AND typed.word <%% w.word
        ORDER BY typed.word <<-> w.word, w.word
        LIMIT %s
    ) AS alike
"""


def alike_words(municipality, words):
    """{typed word: [the municipality's words like it, most alike first]}."""
    alike = {}
    with connection.cursor() as cursor:
        cursor.execute(ALIKE_SQL, [words, municipality.pk, ALIKE_AT_MOST])
        for typed, word in cursor.fetchall():
            alike.setdefault(typed, []).append(word)
    return alike


def search(queryset, municipality, text):
    """The municipality's rows of `queryset` that match `text`, in order, and
    their number counted up to COUNT_CAP + 1 (None when there are no words
    to look for). `queryset` need not be of the municipality already: how
    it is narrowed to it depends on the index each query reads."""
    words = words_of(text)
    if not words:
        return queryset.filter(municipality=municipality), None
    # The words name their municipality, so the GIN index reads its entries
    # alone. The municipality's own condition is kept out of every index:
    # as a plain one, the planner would AND the GIN matches with a bitmap
    # of all the municipality's rows (20 000 in the ten-year bench).
    mine = queryset.alias(municipality_number=F("municipality_id") + 0).filter(
        municipality_number=municipality.pk
    )
    query = words_query(municipality, words)
    found = mine.filter(search_vector=query)
    count = capped_count(found)
    queryset = queryset.filter(municipality=municipality)
    if not count:
        # Perhaps a typo: each word may also be a word like it.
        alike = alike_words(municipality, words)
        if not all(word in alike for word in words):
            return found.none(), 0  # a word like none of the municipality's
        query = words_query(municipality, words, alike)
        found = mine.filter(search_vector=query)
        count = capped_count(found)
    if count > COUNT_CAP:
        # A word in a good part of the rows: newest first, walking the
        # list's index and checking each row's words, which finds a page's
        # twenty in a few dozen rows. (The planner, misled by the words'
        # per-municipality spelling, would read and sort every match.)
        unindexed = queryset.alias(words=Unindexed("search_vector"))
        matches = unindexed.filter(words=query)
        return matches.order_by("-submitted_at", "-pk"), count
    if count > RANK_AT_MOST:
        return found.order_by("-submitted_at", "-pk"), count
    # Few rows: the similarity is computed for them only, to rank them.
    phrase = " ".join(words)
    ranked = found.annotate(
        similarity=Greatest(
            TrigramWordSimilarity(phrase, "text_ky"),
            TrigramWordSimilarity(phrase, "text_ru"),
        ),
    ).order_by("-similarity", "-submitted_at", "-pk")
    return ranked, count


def capped_count(queryset):
    return queryset.order_by()[: COUNT_CAP + 1].count()
