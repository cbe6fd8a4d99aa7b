from django.core.paginator import Paginator

from portal.facts import remembered


def paginate(request, items, *, per_page, param="page", count=None, load=None):
    """One page of a public list, and the rest of the query for its links.

    Every public list is paginated, so that a page costs the same with ten
    rows or ten thousand. `count`, when the caller already knows it (a
    search counts its matches only up to a cap), spares a second count.

    `load(rows)`, given the page's rows of `items` as a queryset, returns
    them as the page shows them (joined to their related rows): PostgreSQL
    then picks the page's rows first and joins those alone. Joined in one
    query with the paging, a page far down a list was planned as a hash
    join of every village, hearing and group of the country.
    """
    page, query = unread_page(request, items, per_page=per_page, param=param, count=count)
    if load is not None:
        page.object_list = load(page.object_list)
    # Evaluated once here; the template and the view may both read it.
    page.object_list = list(page.object_list)
    return page, query


def unread_page(request, items, *, per_page, param="page", count=None):
    """paginate() that leaves the page's rows unread (a sliced queryset):
    for a page that reads the rows of several lists in one query."""
    paginator = Paginator(items, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is not computed
    page = paginator.get_page(request.GET.get(param))
    query = request.GET.copy()
    query.pop(param, None)
    return page, query.urlencode()


def remembered_page(
    request, municipality, name, items, *, per_page, count, param="page", load=None
):
    """paginate() whose page of rows is a fact of `municipality` (named
    `name` and the page's number): for a list that facts already count,
    and whose rows any write of theirs drops."""
    page, query = unread_page(request, items, per_page=per_page, param=param, count=count)
    rows = page.object_list
    if load is not None:
        rows = load(rows)
    page.object_list = remembered(municipality.pk, f"{name}:{page.number}", lambda: list(rows))
    return page, query
