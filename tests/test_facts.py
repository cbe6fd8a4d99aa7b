"""The filters' villages, hearings and years are cached per municipality
(portal/facts.py): a second visit reads none of them, and any write to them
shows on the next page, whichever way it was made."""

import datetime

import pytest
from django.db import transaction

from hearings.models import Hearing, Proposal
from portal.facts import forget_facts, remembered
from portal.models import Village
from tests.factories import HearingFactory, MunicipalityFactory, ProposalFactory, VillageFactory

PAST = datetime.datetime(2021, 5, 1, 10, tzinfo=datetime.UTC)


def filter_of(client, url="/ky/proposals/"):
    response = client.get(url)
    assert response.status_code == 200
    return response.context["form"]


def choices(form, name):
    return [label for _value, label in form.fields[name].widget.choices][1:]


def test_a_second_visit_reads_no_filter_choices(client, municipality, django_assert_num_queries):
    VillageFactory(municipality=municipality, name_ky="Ак-Суу")
    HearingFactory(municipality=municipality, starts_at=PAST)
    ProposalFactory(municipality=municipality)
    # The host, the years, the hearings, the count, the rows, the villages.
    with django_assert_num_queries(6):
        client.get("/ky/proposals/")
    # The count and the page's rows only.
    with django_assert_num_queries(2):
        client.get("/ky/proposals/")


def test_saved_villages_hearings_and_years_show_at_once(client, municipality):
    form = filter_of(client)
    assert "Ак-Суу" not in choices(form, "village")
    village = VillageFactory(municipality=municipality, name_ky="Ак-Суу")
    hearing = HearingFactory(municipality=municipality, title_ky="Бюджет 2022", starts_at=PAST)
    ProposalFactory(municipality=municipality, submitted_at=PAST)
    form = filter_of(client)
    assert "Ак-Суу" in choices(form, "village")
    assert any("Бюджет 2022" in label for label in choices(form, "hearing"))
    assert 2021 in [value for value, _label in form.fields["year"].choices]

    village.name_ky = "Ак-Суу-2"
    village.save()
    hearing.delete()
    assert "Ак-Суу-2" in choices(filter_of(client), "village")
    assert not any("Бюджет 2022" in label for label in choices(filter_of(client), "hearing"))
    # The proposal form offers the same villages.
    assert "Ак-Суу-2" in choices(filter_of(client, "/ky/proposals/new/"), "village")


def test_bulk_writes_show_at_once(client, municipality):
    village = VillageFactory(municipality=municipality, name_ky="Ак-Суу")
    HearingFactory(municipality=municipality, title_ky="Бюджет 2022", starts_at=PAST)
    proposal = ProposalFactory(municipality=municipality, submitted_at=PAST)
    filter_of(client)

    Village.objects.filter(pk=village.pk).update(name="Кара-Суу")
    Hearing.objects.filter(municipality=municipality).delete()
    Proposal.objects.filter(pk=proposal.pk).update(submitted_at=PAST.replace(year=2019))
    form = filter_of(client)
    assert "Кара-Суу" in choices(form, "village") and "Ак-Суу" not in choices(form, "village")
    assert choices(form, "hearing") == []
    assert [value for value, _label in form.fields["year"].choices] == ["", 2019]

    Village.objects.bulk_create([Village(municipality=municipality, name_ky="Жаңы-Жол")])
    village.name_ky = "Бор-Булак"
    Village.objects.bulk_update([village], ["name_ky"])
    assert {"Бор-Булак", "Жаңы-Жол"} <= set(choices(filter_of(client), "village"))


def test_rows_moved_to_another_municipality_leave_both_stale(municipality):
    other = MunicipalityFactory()
    village = VillageFactory(municipality=municipality, name_ky="Ак-Суу")

    def has_it(of):
        return "Ак-Суу" in remembered(
            of.pk, "names", lambda: list(of.villages.values_list("name_ky", flat=True))
        )

    assert has_it(municipality) and not has_it(other)
    Village.objects.filter(pk=village.pk).update(municipality=other)
    assert not has_it(municipality) and has_it(other)
    Village.objects.filter(pk=village.pk).update(municipality_id=municipality.pk)
    assert has_it(municipality) and not has_it(other)


def test_each_language_has_its_own_labels(client, municipality):
    VillageFactory(municipality=municipality, name_ky="Ак-Суу", name_ru="Ак-Су")
    assert "Ак-Суу" in choices(filter_of(client), "village")
    assert "Ак-Су" in choices(filter_of(client, "/ru/proposals/"), "village")
    assert "Ак-Суу" not in choices(filter_of(client, "/ru/proposals/"), "village")


@pytest.mark.django_db(transaction=True)
def test_a_write_is_forgotten_again_at_its_commit(municipality):
    """A request between the write and its commit may cache the old rows:
    the commit drops them again."""
    calls = []

    def villages():
        calls.append(1)
        return list(municipality.villages.values_list("name_ky", flat=True))

    with transaction.atomic():
        VillageFactory(municipality=municipality, name_ky="Ак-Суу")
        remembered(municipality.pk, "villages-test", villages)  # cached inside
    remembered(municipality.pk, "villages-test", villages)
    assert len(calls) == 2


def test_forget_facts_is_there_for_raw_sql(municipality):
    calls = []
    remembered(municipality.pk, "x", lambda: calls.append(1) or 1)
    remembered(municipality.pk, "x", lambda: calls.append(1) or 1)
    forget_facts(municipality.pk)
    remembered(municipality.pk, "x", lambda: calls.append(1) or 1)
    assert len(calls) == 2
