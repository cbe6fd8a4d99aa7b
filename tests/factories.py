import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from hearings.codes import new_code
from hearings.models import Proposal
from portal.models import Municipality, Village
from portal.roles import STAFF, sync_roles


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    name_ky = factory.Sequence(lambda n: f"Айыл аймагы {n}")
    name_ru = factory.LazyAttribute(lambda o: o.name_ky)
    district_ky = "Ала-Бука району"
    district_ru = "Ала-Букинский район"
    region_ky = "Жалал-Абад облусу"
    region_ru = "Джалал-Абадская область"
    address_ky = "Айры-Там айылы, С. Жунусов көчөсү"
    address_ru = "село Айры-Там, ул. С. Жунусова"
    phones = factory.LazyFunction(lambda: ["0777 000 000"])
    email = "ao@example.kg"


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    municipality = factory.SubFactory(MunicipalityFactory)
    name_ky = factory.Sequence(lambda n: f"Айыл {n}")
    name_ru = factory.LazyAttribute(lambda o: o.name_ky)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("password-for-tests")


def member_of_role(role):
    """Put the user in one of the roles portal.roles keeps (synced first)."""

    def join(user, create, extracted, **kwargs):
        if not create:
            return
        sync_roles()
        user.groups.add(Group.objects.get(name=role))

    return factory.PostGeneration(join)


class StaffFactory(UserFactory):
    """A member of the ayil okmotu's staff role: what staff really may do."""

    is_staff = True
    role = member_of_role(STAFF)


class SuperuserFactory(UserFactory):
    """Bypasses every permission: only for tests whose subject is the superuser."""

    is_staff = True
    is_superuser = True


class InitiativeGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "groups.InitiativeGroup"

    municipality = factory.SubFactory(MunicipalityFactory)
    name_ky = factory.Sequence(lambda n: f"Демилгелүү топ {n}")
    name_ru = factory.Sequence(lambda n: f"Инициативная группа {n}")
    founded_on = datetime.date(2014, 3, 1)
    focus_topics = factory.LazyFunction(lambda: ["water"])


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "groups.Person"

    municipality = factory.SubFactory(MunicipalityFactory)
    full_name = factory.Sequence(lambda n: f"Асанова Айгүл {n}")
    sex = "f"
    birth_year = 1980
    phone = factory.Sequence(lambda n: f"0555 {n:06d}")
    notes = "Жеке белги"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "groups.Membership"

    group = factory.SubFactory(InitiativeGroupFactory)
    person = factory.SubFactory(
        PersonFactory, municipality=factory.SelfAttribute("..group.municipality")
    )
    role = "member"


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "groups.Activity"

    group = factory.SubFactory(InitiativeGroupFactory)
    date = factory.Sequence(lambda n: datetime.date(2020, 1, 1) + datetime.timedelta(days=n))
    kind = "meeting"
    title_ky = factory.Sequence(lambda n: f"Жыйын {n}")
    title_ru = factory.Sequence(lambda n: f"Собрание {n}")
    participants = 12


class CouncilResolutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "budget.CouncilResolution"

    municipality = factory.SubFactory(MunicipalityFactory)
    number = factory.Sequence(lambda n: f"{n + 1}/5")
    adopted_on = datetime.date(2021, 12, 24)
    title_ky = "Программаны бекитүү жөнүндө"
    title_ru = "Об утверждении программы"


class DevelopmentProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "budget.DevelopmentProgramme"

    municipality = factory.SubFactory(MunicipalityFactory)
    title_ky = factory.Sequence(lambda n: f"Өнүктүрүү программасы {n}")
    title_ru = factory.Sequence(lambda n: f"Программа развития {n}")
    first_year = 2022
    last_year = 2026
    status = "draft"


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "budget.Priority"

    programme = factory.SubFactory(DevelopmentProgrammeFactory)
    number = factory.Sequence(lambda n: n + 1)
    title_ky = factory.Sequence(lambda n: f"Таза суу {n}")
    title_ru = factory.Sequence(lambda n: f"Питьевая вода {n}")
    topic = "water"


class LocalBudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "budget.LocalBudget"

    municipality = factory.SubFactory(MunicipalityFactory)
    year = factory.Sequence(lambda n: 2000 + n % 90)
    status = "draft"
    population = 10000


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "budget.BudgetLine"

    budget = factory.SubFactory(LocalBudgetFactory)
    kind = "expenditure"
    code = factory.Sequence(lambda n: f"2{n:04d}")
    name_ky = factory.Sequence(lambda n: f"Китепканалар {n}")
    name_ru = factory.Sequence(lambda n: f"Библиотеки {n}")
    topic = "culture"
    planned = 100000


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "projects.Project"

    municipality = factory.SubFactory(MunicipalityFactory)
    title_ky = factory.Sequence(lambda n: f"Айылга таза суу {n}")
    title_ru = factory.Sequence(lambda n: f"Чистая вода для села {n}")
    status = "in_progress"
    started_on = datetime.date(2023, 4, 1)


class FundingContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "projects.FundingContribution"

    project = factory.SubFactory(ProjectFactory)
    kind = "local_budget"
    source_name_ky = "Жергиликтүү бюджет"
    source_name_ru = "Местный бюджет"
    planned = 100000


def target_for(municipality, status):
    """A priority, budget line or project of `municipality` for a decision
    that needs one (accepted into the programme, the budget, a project)."""
    if status == "accepted_programme":
        return PriorityFactory(programme__municipality=municipality)
    if status == "accepted_budget":
        return BudgetLineFactory(budget__municipality=municipality)
    if status == "accepted_project":
        return ProjectFactory(municipality=municipality)
    return None


def _target(kind):
    """A priority or budget line of the proposal's municipality, for the
    decisions that need one (and made only then)."""

    def make(proposal):
        if kind == "priority" and proposal.status == "accepted_programme":
            return PriorityFactory(programme__municipality=proposal.municipality)
        if kind == "budget_line" and proposal.status == "accepted_budget":
            return BudgetLineFactory(budget__municipality=proposal.municipality)
        if kind == "project" and proposal.status == "accepted_project":
            return ProjectFactory(municipality=proposal.municipality)
        return None

    return factory.LazyAttribute(make)


class HearingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "hearings.Hearing"

    municipality = factory.SubFactory(MunicipalityFactory)
    kind = "budget"
    title_ky = factory.Sequence(lambda n: f"Бюджет боюнча угуу {n}")
    title_ru = factory.Sequence(lambda n: f"Слушания по бюджету {n}")
    starts_at = factory.LazyFunction(
        lambda: datetime.datetime(2022, 11, 25, 14, tzinfo=datetime.UTC)
    )
    status = "published"
    attendance_total = 40


class ProposalFactory(factory.django.DjangoModelFactory):
    """A proposal as it stands after registration; states change through services."""

    class Meta:
        model = "hearings.Proposal"

    municipality = factory.SubFactory(MunicipalityFactory)
    kind = "proposal"
    topic = "water"
    origin = "paper"
    status = "received"
    text_ky = factory.Sequence(lambda n: f"Суу түтүгүн оңдоо сунушу {n}")
    text_ru = factory.Sequence(lambda n: f"Предложение отремонтировать водопровод {n}")
    tracking_code = factory.LazyFunction(new_code)
    decided_on = factory.LazyAttribute(
        lambda o: datetime.date(2023, 1, 10) if o.status in Proposal.DECIDED_STATUSES else None
    )
    decision_ky = factory.LazyAttribute(
        lambda o: "Чечимдин тексти" if o.status in Proposal.TEXT_REQUIRED else ""
    )
    refusal_reason = factory.LazyAttribute(lambda o: "spam" if o.status == "refused" else "")
    priority = _target("priority")
    budget_line = _target("budget_line")
    project = _target("project")


def protocol_pdf():
    """A small, real one-page PDF, as a scanned protocol would be."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
