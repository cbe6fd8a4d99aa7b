"""Every public list is paginated: a page shows at most 20 rows, whatever the
municipality holds, with links to the others."""

import datetime

import pytest

from tests.factories import HearingFactory, InitiativeGroupFactory

PAST = datetime.datetime(2020, 5, 1, 10, tzinfo=datetime.UTC)


def names_on(response, key):
    return [item.pk for item in response.context[key]]


def test_the_groups_list_is_paginated(client, municipality):
    InitiativeGroupFactory.create_batch(25, municipality=municipality)
    InitiativeGroupFactory.create_batch(
        22, municipality=municipality, status="dissolved", dissolved_on=datetime.date(2020, 1, 1)
    )
    first = client.get("/ky/groups/")
    assert len(first.context["active_groups"]) == 20
    assert len(first.context["dissolved_groups"]) == 20
    content = first.content.decode()
    assert "?page=2" in content and "?dissolved_page=2" in content
    assert "25" in content  # the count of active groups, not of this page
    second = client.get("/ky/groups/?page=2&dissolved_page=2")
    assert len(second.context["active_groups"]) == 5
    assert len(second.context["dissolved_groups"]) == 2
    assert set(names_on(first, "active_groups")).isdisjoint(names_on(second, "active_groups"))
    # Each list's links keep the other list's page.
    assert "?dissolved_page=2&amp;page=1" in second.content.decode()


def test_the_hearings_list_is_paginated(client, municipality):
    HearingFactory.create_batch(23, municipality=municipality, starts_at=PAST)
    first = client.get("/ru/hearings/")
    assert len(first.context["past"]) == 20
    second = client.get("/ru/hearings/?page=2")
    assert len(second.context["past"]) == 3


@pytest.mark.parametrize("url", ["/ky/groups/", "/ky/hearings/"])
def test_a_list_page_costs_the_same_with_few_rows_or_many(
    client, municipality, url, django_assert_max_num_queries
):
    def add(n):
        InitiativeGroupFactory.create_batch(n, municipality=municipality)
        HearingFactory.create_batch(n, municipality=municipality, starts_at=PAST)

    add(3)
    client.get(url)  # the municipality and its facts are then cached, as between requests
    with django_assert_max_num_queries(7) as few:
        assert client.get(url).status_code == 200
    add(60)
    client.get(url)  # the facts the writes dropped are cached again
    with django_assert_max_num_queries(7) as many:
        response = client.get(url)
    assert len(many) == len(few)
    assert response.content.count(b'class="card-title') <= 20 + 1
