"""Proposal rows for cards, read by SQL written once instead of composed by
the ORM on every request: for a page of 20 cards, composing the query cost
1-3 ms, PostgreSQL's running it 0.1-0.3 ms."""

import functools

from django.db import connection

from portal.pagination import unread_page

from .models import CARD_FIELDS, Proposal

# The public statuses as literals, as the ORM writes them: the partial
# indexes over public rows then serve the query.
PUBLIC = "status IN ({})".format(", ".join(f"'{status}'" for status in Proposal.PUBLIC_STATUSES))


@functools.cache
def _fields():
    wanted = {Proposal._meta.get_field(name).attname for name in ("id", *CARD_FIELDS)}
    # In the model's order: Proposal.from_db() reads the values so.
    return [field for field in Proposal._meta.concrete_fields if field.attname in wanted]


def columns():
    """The columns a card reads, for a SELECT of hearings_proposal."""
    return ", ".join(field.column for field in _fields())


def read(sql, params):
    """The proposals `sql` selects, its columns being columns()."""
    attnames = [field.attname for field in _fields()]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [Proposal.from_db(connection.alias, attnames, row) for row in cursor.fetchall()]


def page(request, sql, params, *, count, per_page, param="page"):
    """The requested page of a list of `count` proposals, and the rest of
    the query for its links: `sql` reads the page's rows, given `params`
    and %(limit)s and %(offset)s. No query when there is none."""
    shown, query = unread_page(
        request, Proposal.objects.none(), per_page=per_page, param=param, count=count
    )
    shown.object_list = []
    if count:
        offset = (shown.number - 1) * per_page
        shown.object_list = read(sql, {**params, "limit": per_page, "offset": offset})
    return shown, query


def page_context(request, sql, params, *, count, per_page):
    """A detail page's page of proposals, as its template names them."""
    proposals, query = page(request, sql, params, count=count, per_page=per_page)
    return {
        "proposals": proposals,
        "proposals_query": query,
        "mentions_programme": mention_programme(proposals),
    }


def mention_programme(proposals):
    """Whether a status then abbreviates the programme (СЭӨП / ПСЭР), which
    the page spells out first."""
    return any(p.status == Proposal.Status.ACCEPTED_PROGRAMME for p in proposals)
