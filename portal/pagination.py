from django.core.paginator import Paginator


def paginate(request, items, *, per_page, param="page"):
    """One page of a public list, and the rest of the query for its links.

    Every public list is paginated, so that a page costs the same with ten
    rows or ten thousand.
    """
    page = Paginator(items, per_page).get_page(request.GET.get(param))
    # Evaluated once here; the template and the view may both read it.
    page.object_list = list(page.object_list)
    query = request.GET.copy()
    query.pop(param, None)
    return page, query.urlencode()
