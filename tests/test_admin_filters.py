"""Every filter of every admin list, checked by its results.

For each list_filter (and date hierarchy) of each registered ModelAdmin there
is a case: two rows that differ in what the filter looks at, the query string
the filter's link sends, and the row that must stay. A filter added to an
admin fails here until it has its case. Lists are opened by the role that
works with them: staff, or the superuser for users and for lists that span
two municipalities.
"""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group

from groups import services as group_services
from hearings.models import Proposal
from portal.roles import STAFF, sync_roles
from projects.models import Award
from tests.factories import (
    ActivityFactory,
    CouncilResolutionFactory,
    DevelopmentProgrammeFactory,
    FundingContributionFactory,
    HearingFactory,
    InitiativeGroupFactory,
    LocalBudgetFactory,
    MembershipFactory,
    MunicipalityFactory,
    PersonFactory,
    ProjectFactory,
    ProposalFactory,
    SuperuserFactory,
    UserFactory,
    VillageFactory,
)

S = Proposal.Status


def at(year, month=6, day=1):
    return datetime.datetime(year, month, day, 10, tzinfo=datetime.UTC)


def villages(m):
    return m.villages.all()[:2]


# --- The cases: (query, wanted row, unwanted row), from the municipality ------


def hearing_village(m):
    first, second = villages(m)
    return (
        {"village__id__exact": first.pk},
        HearingFactory(municipality=m, village=first),
        HearingFactory(municipality=m, village=second),
    )


def proposal_village(m):
    first, second = villages(m)
    return (
        {"village__id__exact": first.pk},
        ProposalFactory(municipality=m, village=first),
        ProposalFactory(municipality=m, village=second),
    )


def proposal_hearing(m):
    first, second = HearingFactory.create_batch(2, municipality=m)
    return (
        {"hearing__id__exact": first.pk},
        ProposalFactory(municipality=m, hearing=first, origin="hearing"),
        ProposalFactory(municipality=m, hearing=second, origin="hearing"),
    )


def proposal_group(m):
    first, second = InitiativeGroupFactory.create_batch(2, municipality=m)
    return (
        {"group__id__exact": first.pk},
        ProposalFactory(municipality=m, group=first),
        ProposalFactory(municipality=m, group=second),
    )


def group_villages(m):
    first, second = villages(m)
    wanted, unwanted = InitiativeGroupFactory.create_batch(2, municipality=m)
    wanted.villages.set([first, second])
    unwanted.villages.set([second])
    return {"villages__id__exact": first.pk}, wanted, unwanted


def person_village(m):
    first, second = villages(m)
    return (
        {"village__id__exact": first.pk},
        PersonFactory(municipality=m, village=first),
        PersonFactory(municipality=m, village=second),
    )


def current_member(m):
    """A member of an active group, and someone whose only group was dissolved."""
    member = MembershipFactory(group__municipality=m).person
    former = MembershipFactory(group__municipality=m)
    group_services.dissolve_group(former.group, on=datetime.date(2024, 5, 1))
    return member, former.person


def activity_group(m):
    first, second = InitiativeGroupFactory.create_batch(2, municipality=m)
    return (
        {"group__id__exact": first.pk},
        ActivityFactory(group=first),
        ActivityFactory(group=second),
    )


def village_municipality(m):
    other = MunicipalityFactory(name_ky="Багыш")
    return (
        {"municipality__id__exact": m.pk},
        m.villages.first(),
        VillageFactory(municipality=other),
    )


def user_groups(m):
    sync_roles()
    wanted = UserFactory(is_staff=True)
    wanted.groups.add(Group.objects.get(name=STAFF))
    return {"groups__id__exact": wanted.groups.get().pk}, wanted, UserFactory(is_staff=True)


def project_villages(m):
    first, second = villages(m)
    wanted, unwanted = ProjectFactory.create_batch(2, municipality=m)
    wanted.villages.set([first, second])
    unwanted.villages.set([second])
    return {"villages__id__exact": first.pk}, wanted, unwanted


def project_source(m):
    """A project the donor paid into (undisclosed), and one of the budget only."""
    wanted = FundingContributionFactory(
        project__municipality=m, kind="donor", disclosed=False, planned=None
    ).project
    FundingContributionFactory(project=wanted)
    return {"source": "donor"}, wanted, FundingContributionFactory(project__municipality=m).project


def award(m, **fields):
    return Award.objects.create(
        **{"municipality": m, "competition_ky": "Конкурс", "competition_ru": "Конкурс", **fields}
    )


CASES = {
    # Projects and awards
    ("projects.project", "status"): lambda m: (
        {"status__exact": "completed"},
        ProjectFactory(municipality=m, status="completed"),
        ProjectFactory(municipality=m, status="planned"),
    ),
    ("projects.project", "villages"): project_villages,
    ("projects.project", "source"): project_source,
    # Under way in 2020: started before, ended after.
    ("projects.project", "year"): lambda m: (
        {"year": "2020"},
        ProjectFactory(
            municipality=m, started_on=datetime.date(2019, 5, 1), ended_on=datetime.date(2021, 5, 1)
        ),
        ProjectFactory(municipality=m, started_on=datetime.date(2021, 5, 1)),
    ),
    ("projects.project", "year=ended"): lambda m: (
        {"year": "2023"},
        ProjectFactory(municipality=m, started_on=datetime.date(2023, 5, 1)),
        ProjectFactory(
            municipality=m, started_on=datetime.date(2019, 5, 1), ended_on=datetime.date(2022, 5, 1)
        ),
    ),
    ("projects.project", "missing"): lambda m: (
        {"missing": "ru"},
        ProjectFactory(municipality=m, title_ru=""),
        ProjectFactory(municipality=m),
    ),
    ("projects.award", "year"): lambda m: (
        {"year": "2014"},
        award(m, year=2014),
        award(m, year=2015),
    ),
    ("projects.award", "missing"): lambda m: (
        {"missing": "ru"},
        award(m, year=2015, competition_ru=""),
        award(m, year=2015),
    ),
    # Budget
    ("budget.councilresolution", "year"): lambda m: (
        {"year": "2017"},
        CouncilResolutionFactory(municipality=m, adopted_on=datetime.date(2017, 11, 22)),
        CouncilResolutionFactory(municipality=m, adopted_on=datetime.date(2021, 12, 24)),
    ),
    ("budget.councilresolution", "missing"): lambda m: (
        {"missing": "ru"},
        CouncilResolutionFactory(municipality=m, title_ru=""),
        CouncilResolutionFactory(municipality=m),
    ),
    ("budget.developmentprogramme", "status"): lambda m: (
        {"status__exact": "discussion"},
        DevelopmentProgrammeFactory(municipality=m, status="discussion"),
        DevelopmentProgrammeFactory(municipality=m),
    ),
    ("budget.developmentprogramme", "missing"): lambda m: (
        {"missing": "ky"},
        DevelopmentProgrammeFactory(municipality=m, title_ky=""),
        DevelopmentProgrammeFactory(municipality=m),
    ),
    ("budget.localbudget", "status"): lambda m: (
        {"status__exact": "discussion"},
        LocalBudgetFactory(municipality=m, status="discussion"),
        LocalBudgetFactory(municipality=m),
    ),
    # Hearings
    ("hearings.hearing", "kind"): lambda m: (
        {"kind__exact": "programme"},
        HearingFactory(municipality=m, kind="programme"),
        HearingFactory(municipality=m, kind="budget"),
    ),
    ("hearings.hearing", "status"): lambda m: (
        {"status__exact": "held"},
        HearingFactory(municipality=m, status="held"),
        HearingFactory(municipality=m, status="published"),
    ),
    ("hearings.hearing", "village"): hearing_village,
    ("hearings.hearing", "missing"): lambda m: (
        {"missing": "ru"},
        HearingFactory(municipality=m, title_ru=""),
        HearingFactory(municipality=m),
    ),
    ("hearings.hearing", "date:starts_at"): lambda m: (
        {"starts_at__year": "2022"},
        HearingFactory(municipality=m, starts_at=at(2022)),
        HearingFactory(municipality=m, starts_at=at(2023)),
    ),
    # Proposals
    ("hearings.proposal", "status"): lambda m: (
        {"status__exact": S.UNDER_REVIEW},
        ProposalFactory(municipality=m, status=S.UNDER_REVIEW),
        ProposalFactory(municipality=m, status=S.RECEIVED),
    ),
    ("hearings.proposal", "kind"): lambda m: (
        {"kind__exact": "question"},
        ProposalFactory(municipality=m, kind="question"),
        ProposalFactory(municipality=m, kind="proposal"),
    ),
    ("hearings.proposal", "topic"): lambda m: (
        {"topic__exact": "roads"},
        ProposalFactory(municipality=m, topic="roads"),
        ProposalFactory(municipality=m, topic="water"),
    ),
    ("hearings.proposal", "origin"): lambda m: (
        {"origin__exact": "online"},
        ProposalFactory(municipality=m, origin="online"),
        ProposalFactory(municipality=m, origin="paper"),
    ),
    ("hearings.proposal", "village"): proposal_village,
    ("hearings.proposal", "hearing"): proposal_hearing,
    ("hearings.proposal", "group"): proposal_group,
    ("hearings.proposal", "missing"): lambda m: (
        {"missing": "ky"},
        ProposalFactory(municipality=m, text_ky=""),
        ProposalFactory(municipality=m),
    ),
    ("hearings.proposal", "date:submitted_at"): lambda m: (
        {"submitted_at__year": "2021"},
        ProposalFactory(municipality=m, submitted_at=at(2021)),
        ProposalFactory(municipality=m, submitted_at=at(2023)),
    ),
    # Initiative groups
    ("groups.initiativegroup", "status"): lambda m: (
        {"status__exact": "dissolved"},
        InitiativeGroupFactory(
            municipality=m, status="dissolved", dissolved_on=datetime.date(2020, 1, 1)
        ),
        InitiativeGroupFactory(municipality=m),
    ),
    ("groups.initiativegroup", "villages"): group_villages,
    ("groups.initiativegroup", "topic"): lambda m: (
        {"topic": "roads"},
        InitiativeGroupFactory(municipality=m, focus_topics=["water", "roads"]),
        InitiativeGroupFactory(municipality=m, focus_topics=["water"]),
    ),
    ("groups.initiativegroup", "missing"): lambda m: (
        {"missing": "ru"},
        InitiativeGroupFactory(municipality=m, description_ky="Суу", description_ru=""),
        InitiativeGroupFactory(municipality=m, description_ky="Суу", description_ru="Вода"),
    ),
    # People
    ("groups.person", "village"): person_village,
    ("groups.person", "category"): lambda m: (
        {"category": "deputy"},
        PersonFactory(municipality=m, categories=["youth", "deputy"]),
        PersonFactory(municipality=m, categories=["youth"]),
    ),
    ("groups.person", "sex"): lambda m: (
        {"sex__exact": "m"},
        PersonFactory(municipality=m, sex="m"),
        PersonFactory(municipality=m, sex="f"),
    ),
    ("groups.person", "active"): lambda m: ({"active": "yes"}, *current_member(m)),
    ("groups.person", "active=no"): lambda m: (
        {"active": "no"},
        *reversed(current_member(m)),
    ),
    # Activities
    ("groups.activity", "kind"): lambda m: (
        {"kind__exact": "inspection"},
        ActivityFactory(group__municipality=m, kind="inspection"),
        ActivityFactory(group__municipality=m, kind="meeting"),
    ),
    ("groups.activity", "group"): activity_group,
    ("groups.activity", "missing"): lambda m: (
        {"missing": "ky"},
        ActivityFactory(group__municipality=m, title_ky=""),
        ActivityFactory(group__municipality=m),
    ),
    ("groups.activity", "date:date"): lambda m: (
        {"date__year": "2019"},
        ActivityFactory(group__municipality=m, date=datetime.date(2019, 4, 2)),
        ActivityFactory(group__municipality=m, date=datetime.date(2021, 4, 2)),
    ),
    # The municipality and its villages
    ("portal.municipality", "missing"): lambda m: (
        {"missing": "ru"},
        MunicipalityFactory(name_ky="Багыш", name_ru=""),
        m,
    ),
    ("portal.village", "municipality"): village_municipality,
    ("portal.village", "missing"): lambda m: (
        {"missing": "ky"},
        VillageFactory(municipality=m, name_ky="", name_ru="Кок-Жар"),
        m.villages.get(name_ky="Айры-Там"),
    ),
    # Users: the superuser's list
    ("auth.user", "is_staff"): lambda m: (
        {"is_staff__exact": "1"},
        UserFactory(is_staff=True),
        UserFactory(is_staff=False),
    ),
    ("auth.user", "is_superuser"): lambda m: (
        {"is_superuser__exact": "0"},
        UserFactory(is_staff=True),
        SuperuserFactory(),
    ),
    ("auth.user", "is_active"): lambda m: (
        {"is_active__exact": "0"},
        UserFactory(is_active=False),
        UserFactory(is_active=True),
    ),
    ("auth.user", "groups"): user_groups,
}


# Cases whose two rows are of two municipalities: staff see their own
# municipality's rows only (tests/test_isolation.py), the superuser sees both.
ACROSS_MUNICIPALITIES = {("portal.municipality", "missing"), ("portal.village", "municipality")}


def label(model):
    return f"{model._meta.app_label}.{model._meta.model_name}"


def declared_filters(model_admin):
    """The name of each filter a ModelAdmin declares, its date hierarchy included."""
    names = []
    for item in model_admin.list_filter:
        if isinstance(item, (list, tuple)):
            item = item[0]
        names.append(item if isinstance(item, str) else item.parameter_name)
    if model_admin.date_hierarchy:
        names.append(f"date:{model_admin.date_hierarchy}")
    return names


def test_every_filter_of_every_admin_list_has_its_case():
    declared = {
        (label(model), name)
        for model, model_admin in admin.site._registry.items()
        for name in declared_filters(model_admin)
    }
    checked = {(model_label, name.split("=")[0]) for model_label, name in CASES}
    assert declared == checked


@pytest.mark.parametrize(("model_label", "name"), sorted(CASES))
def test_each_admin_filter_keeps_its_rows_and_drops_the_others(
    client, municipality, clerk, model_label, name
):
    query, wanted, unwanted = CASES[model_label, name](municipality)
    superuser = model_label.startswith("auth.") or (model_label, name) in ACROSS_MUNICIPALITIES
    client.force_login(SuperuserFactory() if superuser else clerk)
    url = f"/ky/admin/{model_label.replace('.', '/')}/"
    everything = [row.pk for row in client.get(url).context["cl"].result_list]
    assert wanted.pk in everything and unwanted.pk in everything
    response = client.get(url, query)
    assert response.status_code == 200
    shown = [row.pk for row in response.context["cl"].result_list]
    assert wanted.pk in shown
    assert unwanted.pk not in shown
