"""The filters' villages, hearings and years are cached per municipality
(portal/facts.py): a second visit reads none of them, and any write to them
shows on the next page, whichever way it was made."""

import datetime

import pytest
import time_machine
from django.db import transaction
from django.utils import translation

from budget.models import (
    BudgetDocument,
    BudgetLine,
    CouncilResolution,
    DevelopmentProgramme,
    Priority,
)
from groups.models import Activity, InitiativeGroup, Membership, Person
from hearings.models import Hearing, Proposal
from portal.facts import forget_facts, remembered
from portal.models import Village
from projects.models import Award, FundingContribution, Milestone, Output, Project, ProjectGroup
from tests.factories import (
    ActivityFactory,
    BudgetLineFactory,
    CouncilResolutionFactory,
    DevelopmentProgrammeFactory,
    FundingContributionFactory,
    HearingFactory,
    InitiativeGroupFactory,
    LocalBudgetFactory,
    MembershipFactory,
    MunicipalityFactory,
    PersonFactory,
    PriorityFactory,
    ProjectFactory,
    ProposalFactory,
    VillageFactory,
)

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
    # The host, the years, the hearings, the count, the rows, the villages,
    # the names the cards show (their villages', groups' and hearings').
    with django_assert_num_queries(7):
        client.get("/ky/proposals/")
    # The page's rows only: the whole list's count is a fact too.
    with django_assert_num_queries(1):
        client.get("/ky/proposals/")
    # A filter counts and reads its own rows, once.
    with django_assert_num_queries(2):
        client.get("/ky/proposals/?kind=proposal")
    with django_assert_num_queries(0):
        client.get("/ky/proposals/?kind=proposal&page=1")


def test_the_whole_lists_count_follows_every_write(client, municipality):
    def found(url="/ky/proposals/"):
        return client.get(url).context["page"].paginator.count

    ProposalFactory.create_batch(2, municipality=municipality)
    assert found() == 2
    proposal = ProposalFactory(municipality=municipality)
    assert found() == 3 and found("/ky/proposals/?page=1") == 3
    assert found("/ky/proposals/?kind=question") == 0
    ProposalFactory(municipality=municipality, kind="question")
    assert found("/ky/proposals/?kind=question") == 1 and found() == 4
    # The filtered page's rows, kept too, follow as well.
    shown = client.get("/ky/proposals/?kind=question").context["page"].object_list
    assert [row.kind for row in shown] == ["question"]
    # Each filter keeps its own.
    shown = client.get("/ky/proposals/?kind=proposal").context["page"].object_list
    assert {row.kind for row in shown} == {"proposal"} and len(shown) == 3
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.AWAITING_MODERATION)
    assert found() == 3
    # Another municipality's proposal counts there, not here.
    ProposalFactory()
    assert found() == 3


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
    # The proposal form and the projects' filter offer the same villages.
    assert "Ак-Суу-2" in choices(filter_of(client, "/ky/proposals/new/"), "village")
    assert "Ак-Суу-2" in choices(filter_of(client, "/ky/projects/"), "village")


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


def test_forgetting_works_with_the_clock_stopped(municipality):
    """A new generation is not the time: under a frozen clock it was the old one."""
    calls = []
    with time_machine.travel(PAST, tick=False):
        for _ in range(3):
            remembered(municipality.pk, "x", lambda: calls.append(1) or 1)
            forget_facts(municipality.pk)
    assert len(calls) == 3


def test_cards_show_renamed_villages_groups_and_hearings_at_once(client, municipality):
    village = VillageFactory(municipality=municipality, name_ky="Ак-Суу")
    group = InitiativeGroupFactory(municipality=municipality, name_ky="Таза суу")
    hearing = HearingFactory(municipality=municipality, title_ky="Бюджет угуусу")
    ProposalFactory(
        municipality=municipality, village=village, group=group, hearing=hearing, origin="hearing"
    )
    page = client.get("/ky/proposals/").content.decode()
    assert "Ак-Суу" in page and "Таза суу" in page and "Бюджет угуусу" in page

    # Each write alone: each drops the names.
    InitiativeGroup.objects.filter(pk=group.pk).update(name_ky="Жашыл айыл")
    assert "Жашыл айыл" in client.get("/ky/proposals/").content.decode()
    group.refresh_from_db()
    group.name_ky = "Көк айыл"
    group.save()
    assert "Көк айыл" in client.get("/ky/proposals/").content.decode()
    village.name_ky = "Кара-Суу"
    village.save()
    assert "Кара-Суу" in client.get("/ky/proposals/").content.decode()
    hearing.title_ky = "Программа угуусу"
    hearing.save()
    page = client.get("/ky/proposals/").content.decode()
    assert "Программа угуусу" in page
    assert f'href="/ky/groups/{group.slug}/"' in page


def test_a_card_name_falls_back_as_the_models_do(client, municipality):
    """A name with no Russian text shows in Kyrgyz on the Russian page, as
    modeltranslation shows it elsewhere."""
    village = VillageFactory(municipality=municipality, name_ky="Ак-Суу", name_ru="")
    group = InitiativeGroupFactory(
        municipality=municipality, name_ky="Таза суу", name_ru="Чистая вода"
    )
    ProposalFactory(municipality=municipality, village=village, group=group)
    page = client.get("/ru/proposals/").content.decode()
    assert "Ак-Суу" in page and "Чистая вода" in page and "Таза суу" not in page


def test_a_card_whose_group_is_of_another_municipality_still_names_it(municipality):
    """The services keep a proposal's group in its municipality; a row that
    is not (imported by hand) is named all the same, read on its own."""
    from hearings.templatetags.proposal_cards import card_names, render_card

    stray = InitiativeGroupFactory(name_ky="Башка топ")
    village = VillageFactory(name_ky="Башка айыл")
    hearing = HearingFactory(title_ky="Башка угуу")
    proposal = ProposalFactory(
        municipality=municipality, group=stray, village=village, hearing=hearing, origin="hearing"
    )
    card = render_card(proposal, card_names(municipality.pk))
    assert "Башка топ" in card and "Башка айыл" in card and "Башка угуу" in card
    assert f'href="/ky/groups/{stray.slug}/"' in card


def test_the_members_figures_follow_people_and_memberships(client, municipality):
    def figures():
        home = client.get("/ky/").context["group_figures"]
        listed = client.get("/ky/groups/").context["summary"]
        assert home == listed
        return home.members, home.women

    group = InitiativeGroupFactory(municipality=municipality)
    assert figures() == (0, 0)
    membership = MembershipFactory(group=group)
    assert figures() == (1, 1)
    person = membership.person
    person.sex = "m"
    person.save()
    assert figures() == (1, 0)
    Person.objects.filter(pk=person.pk).update(sex="f")
    assert figures() == (1, 1)
    # Memberships reach their municipality through their group.
    others = PersonFactory.create_batch(2, municipality=municipality)
    Membership.objects.bulk_create(Membership(group=group, person=other) for other in others)
    assert figures() == (3, 3)
    Membership.objects.filter(person__in=others).update(left_on=datetime.date(2024, 1, 1))
    assert figures() == (1, 1)
    membership.delete()
    assert figures() == (0, 0)
    # Another municipality's member counts there.
    MembershipFactory()
    assert figures() == (0, 0)


def test_a_membership_moved_to_another_municipalitys_group_leaves_both_stale(municipality):
    here = MembershipFactory(group=InitiativeGroupFactory(municipality=municipality))
    there = InitiativeGroupFactory()
    for pk in (municipality.pk, there.municipality_id):
        remembered(pk, "probe", lambda: "old")
    Membership.objects.filter(pk=here.pk).update(group=there)
    for pk in (municipality.pk, there.municipality_id):
        assert remembered(pk, "probe", lambda: "new") == "new"


def test_the_projects_totals_follow_projects_and_their_funding(client, municipality):
    def totals():
        totals = client.get("/ky/projects/").context["totals"]
        return totals["projects"], totals["known"]

    assert totals() == (0, 0)
    contribution = FundingContributionFactory(
        project=ProjectFactory(municipality=municipality), planned=1000
    )
    assert totals() == (1, 1000)
    contribution.planned = 1500
    contribution.save()
    assert totals() == (1, 1500)
    FundingContribution.objects.filter(pk=contribution.pk).update(planned=2000)
    assert totals() == (1, 2000)
    FundingContribution.objects.bulk_create(
        [FundingContribution(project=contribution.project, kind="donor", planned=500)]
    )
    assert totals() == (1, 2500)
    FundingContribution.objects.filter(project=contribution.project).delete()
    assert totals() == (1, 0)
    Project.objects.filter(pk=contribution.project_id).delete()
    assert totals() == (0, 0)


def test_the_programmes_list_follows_programmes_priorities_and_resolutions(client, municipality):
    def shown():
        return client.get("/ru/programmes/").content.decode()

    programme = DevelopmentProgrammeFactory(
        municipality=municipality,
        status="approved",
        resolution=CouncilResolutionFactory(municipality=municipality, number="7/3"),
    )
    priority = PriorityFactory(programme=programme, title_ru="Питьевая вода")
    assert "Питьевая вода" in shown()
    priority.title_ru = "Чистая вода"
    priority.save()
    assert "Чистая вода" in shown()
    # Priorities reach their municipality through their programme.
    Priority.objects.filter(pk=priority.pk).update(title_ru="Арыки")
    assert "Арыки" in shown()
    assert "7/3" in shown()
    CouncilResolution.objects.filter(pk=programme.resolution_id).update(number="8/1")
    assert "8/1" in shown()
    ProposalFactory(municipality=municipality, status="accepted_programme", priority=priority)
    assert client.get("/ru/programmes/").context["programmes"][0].proposals_taken == 1


def test_a_budget_page_follows_its_budget_lines_and_documents(client, municipality):
    def shown():
        return client.get("/ru/budget/2024/").content.decode()

    budget = LocalBudgetFactory(
        municipality=municipality,
        year=2024,
        status="approved",
        resolution=CouncilResolutionFactory(municipality=municipality),
    )
    line = BudgetLineFactory(budget=budget, name_ru="Библиотеки", planned=1000)
    assert "Библиотеки" in shown() and client.get("/ru/budget/").status_code == 200
    BudgetLine.objects.filter(pk=line.pk).update(name_ru="Клубы")
    assert "Клубы" in shown() and "Клубы" in client.get("/ru/budget/").content.decode()
    line.delete()
    assert "Клубы" not in shown()
    BudgetDocument.objects.bulk_create(
        [
            BudgetDocument(
                budget=budget, kind="approved", published_on=PAST, link="https://example.kg/b.pdf"
            )
        ]
    )
    assert "https://example.kg/b.pdf" in shown()
    budget.status = "draft"
    budget.save()
    assert client.get("/ru/budget/2024/").status_code == 404


def test_every_row_that_changes_facts_says_so_for_bulk_writes_too(db):
    """A model whose saves drop the facts drops them on a queryset's update
    and delete as well, and finds its municipality by its lookup."""
    from django.apps import apps

    from portal.facts import ChangesFacts, ChangesFactsQuerySet

    models = [model for model in apps.get_models() if issubclass(model, ChangesFacts)]
    assert len(models) >= 14
    for model in models:
        rows = model._default_manager.all()
        assert isinstance(rows, ChangesFactsQuerySet), model
        assert rows._municipalities() == set(), model


def test_a_project_page_follows_the_project_and_every_row_it_shows(client, municipality):
    project = ProjectFactory(municipality=municipality, title_ru="Мост")
    url = f"/ru/projects/{project.slug}/"

    def shown():
        response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    assert "Мост" in shown()
    Project.objects.filter(pk=project.pk).update(title_ru="Новый мост")
    assert "Новый мост" in shown()
    # Its child rows reach the municipality through the project.
    Output.objects.create(project=project, quantity=4, unit_ru="км", description_ru="Дорога")
    assert "Дорога" in shown()
    Milestone.objects.bulk_create(
        [Milestone(project=project, date=datetime.date(2024, 5, 1), description_ru="Начало")]
    )
    assert "Начало" in shown()
    Milestone.objects.filter(project=project).update(description_ru="Старт")
    assert "Старт" in shown()
    group = InitiativeGroupFactory(municipality=municipality, name_ru="Группа «Мост»")
    ProjectGroup.objects.create(project=project, group=group, role="initiator")
    assert "Группа «Мост»" in shown()
    Award.objects.create(
        municipality=municipality, project=project, competition_ru="Конкурс сёл", year=2024
    )
    assert "Конкурс сёл" in shown()
    Award.objects.filter(project=project).delete()
    project.delete()
    assert client.get(url).status_code == 404
    # A proposal taken into a project counts on its page at once.
    project = ProjectFactory(municipality=municipality)
    url = f"/ru/projects/{project.slug}/"
    assert client.get(url).context["project"].proposal_count == 0
    ProposalFactory(municipality=municipality, status="accepted_project", project=project)
    assert client.get(url).context["project"].proposal_count == 1


def test_a_hearing_page_follows_the_hearing_and_its_items(client, municipality):
    hearing = HearingFactory(municipality=municipality, title_ru="Слушания о воде", starts_at=PAST)
    url = f"/ru/hearings/{hearing.pk}/"
    assert "Слушания о воде" in client.get(url).content.decode()
    Hearing.objects.filter(pk=hearing.pk).update(title_ru="Слушания о дорогах")
    assert "Слушания о дорогах" in client.get(url).content.decode()
    assert client.get(url).context["summary"]["received"] == 0
    ProposalFactory(municipality=municipality, hearing=hearing, text_ru="Починить мост")
    response = client.get(url)
    assert response.context["summary"]["received"] == 1
    assert "Починить мост" in response.content.decode()
    Proposal.objects.filter(hearing=hearing).delete()
    hearing.delete()
    assert client.get(url).status_code == 404


def test_a_group_page_follows_its_members_activities_and_proposals(client, municipality):
    group = InitiativeGroupFactory(municipality=municipality)
    url = f"/ru/groups/{group.slug}/"

    def shown():
        response = client.get(url)
        assert response.status_code == 200
        return response

    membership = MembershipFactory(group=group, person__full_name="Асанова Айгүл")
    assert "Асанова Айгүл" in shown().content.decode()
    Person.objects.filter(pk=membership.person_id).update(full_name="Асанова Айпери")
    assert "Асанова Айпери" in shown().content.decode()
    # Activities reach their municipality through their group.
    ActivityFactory(group=group, title_ru="Субботник")
    assert "Субботник" in shown().content.decode()
    Activity.objects.filter(group=group).update(title_ru="Собрание жителей")
    assert "Собрание жителей" in shown().content.decode()
    ProposalFactory(municipality=municipality, group=group, text_ru="Построить арык")
    assert "Построить арык" in shown().content.decode()
    assert shown().context["group"].proposal_count == 1
    group.slug = "new-slug"
    group.save()
    assert client.get(url).status_code == 404


def test_the_hearings_list_follows_writes_and_the_clock(client, municipality):
    """Which hearings are still to come is told at the start of the minute."""
    starts = datetime.datetime(2026, 3, 14, 10, 0, tzinfo=datetime.UTC)
    hearing = HearingFactory(municipality=municipality, status="announced", starts_at=starts)

    def listed():
        context = client.get("/ky/hearings/").context
        return list(context["upcoming"]), list(context["past"])

    with time_machine.travel(starts - datetime.timedelta(seconds=90), tick=False):
        assert listed() == ([hearing], [])
        other = HearingFactory(municipality=municipality, starts_at=PAST)
        assert listed() == ([hearing], [other])
    with time_machine.travel(starts + datetime.timedelta(seconds=60), tick=False):
        assert listed() == ([], [hearing, other])


def test_programme_and_priority_pages_follow_their_rows(client, municipality):
    programme = DevelopmentProgrammeFactory(
        municipality=municipality,
        status="approved",
        resolution=CouncilResolutionFactory(municipality=municipality),
    )
    priority = PriorityFactory(programme=programme, title_ru="Питьевая вода")
    pages = (f"/ru/programmes/{programme.pk}/", f"/ru/programmes/priorities/{priority.pk}/")
    for url in pages:
        assert "Питьевая вода" in client.get(url).content.decode()
    Priority.objects.filter(pk=priority.pk).update(title_ru="Арыки")
    for url in pages:
        assert "Арыки" in client.get(url).content.decode()
    ProposalFactory(municipality=municipality, status="accepted_programme", priority=priority)
    assert client.get(pages[1]).context["priority"].proposals_taken == 1
    DevelopmentProgramme.objects.filter(pk=programme.pk).update(status="draft", resolution=None)
    for url in pages:
        assert client.get(url).status_code == 404


def test_the_groups_and_projects_lists_pages_follow_their_rows(client, municipality):
    group = InitiativeGroupFactory(municipality=municipality, name_ru="Группа «Вода»")
    project = ProjectFactory(municipality=municipality, title_ru="Водопровод")
    assert "Группа «Вода»" in client.get("/ru/groups/").content.decode()
    assert "Водопровод" in client.get("/ru/projects/").content.decode()
    InitiativeGroup.objects.filter(pk=group.pk).update(name_ru="Группа «Дорога»")
    Project.objects.filter(pk=project.pk).update(title_ru="Дорога")
    assert "Группа «Дорога»" in client.get("/ru/groups/").content.decode()
    assert "Дорога" in client.get("/ru/projects/").content.decode()
    # A member joining changes the group's figures on the list.
    MembershipFactory(group=group)
    listed = client.get("/ru/groups/").context["active_groups"]
    assert [g.composition.members for g in listed] == [1]


def test_a_number_is_kept_once_for_both_languages(municipality):
    calls = []
    for language in ("ky", "ru"):
        with translation.override(language):
            remembered(municipality.pk, "n", lambda: calls.append(1) or 1, translated=False)
            remembered(municipality.pk, "text", lambda: calls.append(2) or 2)
    assert calls == [1, 2, 2]


def test_a_row_saved_into_another_municipality_leaves_both_stale(
    municipality, django_assert_num_queries
):
    """A save that moves a row (or its parent link) drops the facts of the
    municipality it left, too, at one query more; other saves cost none."""
    other = MunicipalityFactory()
    village = Village.objects.get(pk=VillageFactory(municipality=municipality).pk)
    here = MembershipFactory(group=InitiativeGroupFactory(municipality=municipality))
    membership = Membership.objects.get(pk=here.pk)
    there = InitiativeGroupFactory(municipality=other)
    rounds = iter(range(100))

    def dropped_by(save, queries):
        """Which of the two municipalities' facts `save` drops."""
        name = f"probe-{next(rounds)}"
        for pk in (municipality.pk, other.pk):
            remembered(pk, name, lambda: "old")
        with django_assert_num_queries(queries):
            save()
        return [remembered(pk, name, lambda: "new") == "new" for pk in (municipality.pk, other.pk)]

    village.name_ky = "Жаңы-Айыл"
    assert dropped_by(village.save, 1) == [True, False]
    village.municipality = other
    assert dropped_by(village.save, 1) == [True, True]
    # Saved again where it is now: the first municipality keeps its facts.
    assert dropped_by(village.save, 1) == [False, True]
    # A child row moved to another municipality's parent: its old parent's
    # municipality is read, once.
    membership.group = there
    assert dropped_by(membership.save, 2) == [True, True]
    assert dropped_by(membership.save, 1) == [False, True]


def test_a_move_is_seen_however_the_row_was_loaded_or_saved(municipality):
    """Loaded without its municipality, refreshed after a move made
    elsewhere, or saved with update_fields: the municipality it leaves is
    still told."""
    other, third = MunicipalityFactory(), MunicipalityFactory()
    pk = VillageFactory(municipality=municipality).pk
    rounds = iter(range(100))

    def dropped_by(save):
        name = f"probe-{next(rounds)}"
        pks = (municipality.pk, other.pk, third.pk)
        for each in pks:
            remembered(each, name, lambda: "old")
        save()
        return [each for each in pks if remembered(each, name, lambda: "new") == "new"]

    # Loaded without it, then moved.
    village = Village.objects.only("name_ky").get(pk=pk)
    village.municipality = other
    assert dropped_by(village.save) == [municipality.pk, other.pk]
    # Saved without the link: not moved, but where it is is told too.
    village.municipality = third
    assert dropped_by(lambda: village.save(update_fields=["name_ky"])) == [other.pk, third.pk]
    assert Village.objects.get(pk=pk).municipality_id == other.pk
    village.municipality = other
    assert dropped_by(lambda: village.save(update_fields=["name_ky"])) == [other.pk]
    # Moved elsewhere, refreshed, then moved on.
    village = Village.objects.get(pk=pk)
    Village.objects.filter(pk=pk).update(municipality=municipality)
    village.refresh_from_db()
    village.municipality = third
    assert dropped_by(village.save) == [municipality.pk, third.pk]
