"""Two municipalities in one installation, each on its own host.

Every public page shows only the rows of the municipality its host names,
the other's addresses answer 404, and the header names the right one. The
admin lists do the same for staff and moderators; the superuser sees both.
"""

import datetime
import re

import pytest
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext

from groups.models import Person
from hearings.models import Proposal
from portal.models import Municipality
from projects.models import Award, ProjectGroup
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
    SuperuserFactory,
    VillageFactory,
)

S = Proposal.Status

# Everything of one municipality carries words of its own, so a page that
# shows anything of the other is caught by them.
INSTALLATIONS = {
    "birinchi-may.kg": {
        "name": "Биринчи Май",
        "district": "Ала-Бука району",
        "phone": "0777 787 138",
        "email": "1-mai_ao@mail.ru",
        "villages": ("Айры-Там", "Ажек"),
        "group": "Таза суунун башаты",
        "person": "Жунусова Айгүл",
        "members": 3,
        "activity": "Жайыттарды текшерүү",
        "hearing": "Бюджет боюнча угуу, Биринчи Май",
        "upcoming": "Программа боюнча угуу, Биринчи Май",
        "proposal": "Айры-Тамдагы көпүрөнү оңдоо керек",
        "waiting": "Мектепке автобус керек, Айры-Там",
        "programme": "Биринчи Майдын өнүгүү программасы",
        "priority": "Айры-Тамга таза суу",
        "line": "Айры-Тамдын китепканасы",
        "project": "Айры-Тамдагы суу түтүгүн тартуу",
        "source": "Айры-Тамдын ата-энелери",
        "award": "Таза айыл сынагы",
    },
    "bagysh.kg": {
        "name": "Багыш",
        "district": "Сузак району",
        "phone": "0555 410 220",
        "email": "bagysh_ao@mail.kg",
        "villages": ("Кара-Жыгач", "Масы"),
        "group": "Жашыл көчө",
        "person": "Токтосунов Бакыт",
        "members": 1,
        "activity": "Дарак отургузуу",
        "hearing": "Бюджет боюнча угуу, Багыш",
        "upcoming": "Программа боюнча угуу, Багыш",
        "proposal": "Кара-Жыгачтагы көпүрөнү курабыз",
        "waiting": "Масыга суу түтүгү керек",
        "programme": "Багыштын өнүгүү программасы",
        "priority": "Масыга жол",
        "line": "Кара-Жыгачтын клубу",
        "project": "Кара-Жыгачтагы мектептин чатыры",
        "source": "Масынын ата-энелери",
        "award": "Жаркын айыл сынагы",
    },
}
HOSTS = list(INSTALLATIONS)


def other(host):
    return next(h for h in HOSTS if h != host)


def words(host):
    """What no page of the other host may show."""
    data = INSTALLATIONS[host]
    keys = ("name", "district", "phone", "email", "group", "person", "activity")
    keys += ("hearing", "upcoming", "proposal", "waiting", "programme", "priority", "line")
    keys += ("project", "source", "award")
    return [data[key] for key in keys] + list(data["villages"])


def set_up(host):
    data = INSTALLATIONS[host]
    municipality = MunicipalityFactory(
        name_ky=data["name"],
        name_ru=data["name"],
        district_ky=data["district"],
        district_ru=data["district"],
        address_ky=f"{data['villages'][0]} айылы",
        address_ru=f"село {data['villages'][0]}",
        phones=[data["phone"]],
        email=data["email"],
        domain=host,
    )
    village, second = (
        VillageFactory(municipality=municipality, name_ky=name, name_ru=name)
        for name in data["villages"]
    )
    # Russian pages show the Russian texts: the same words there.
    group = InitiativeGroupFactory(
        municipality=municipality, name_ky=data["group"], name_ru=data["group"]
    )
    group.villages.set([village])
    person = PersonFactory(municipality=municipality, full_name=data["person"], village=village)
    MembershipFactory(group=group, person=person, role="chair")
    MembershipFactory.create_batch(data["members"] - 1, group=group)
    activity = ActivityFactory(group=group, title_ky=data["activity"], title_ru=data["activity"])
    hearing = HearingFactory(
        municipality=municipality,
        title_ky=data["hearing"],
        title_ru=data["hearing"],
        village=village,
        starts_at=datetime.datetime(2022, 11, 25, 9, tzinfo=datetime.UTC),
    )
    upcoming = HearingFactory(
        municipality=municipality,
        title_ky=data["upcoming"],
        title_ru=data["upcoming"],
        status="announced",
        attendance_total=None,
        starts_at=timezone.now() + datetime.timedelta(days=20),
    )
    proposal = ProposalFactory(
        municipality=municipality,
        text_ky=data["proposal"],
        text_ru=data["proposal"],
        village=village,
        hearing=hearing,
        group=group,
        origin="hearing",
        submitted_at=hearing.starts_at,
    )
    waiting = ProposalFactory(
        municipality=municipality,
        text_ky=data["waiting"],
        text_ru=data["waiting"],
        village=second,
        origin="online",
        status=S.AWAITING_MODERATION,
    )
    resolution = CouncilResolutionFactory(municipality=municipality)
    programme = DevelopmentProgrammeFactory(
        municipality=municipality,
        resolution=resolution,
        status="approved",
        title_ky=data["programme"],
        title_ru=data["programme"],
    )
    priority = PriorityFactory(
        programme=programme, title_ky=data["priority"], title_ru=data["priority"]
    )
    budget = LocalBudgetFactory(
        municipality=municipality, resolution=resolution, year=2024, status="approved"
    )
    line = BudgetLineFactory(budget=budget, name_ky=data["line"], name_ru=data["line"])
    project = ProjectFactory(
        municipality=municipality,
        title_ky=data["project"],
        title_ru=data["project"],
        priority=priority,
    )
    project.villages.set([village])
    ProjectGroup.objects.create(project=project, group=group, role="initiator")
    FundingContributionFactory(
        project=project,
        kind="residents",
        source_name_ky=data["source"],
        source_name_ru=data["source"],
    )
    Award.objects.create(
        municipality=municipality,
        competition_ky=data["award"],
        competition_ru=data["award"],
        year=2015,
        group=group,
        project=project,
    )
    return {
        "project": project,
        "resolution": resolution,
        "programme": programme,
        "priority": priority,
        "budget": budget,
        "line": line,
        "municipality": municipality,
        "village": village,
        "group": group,
        "person": person,
        "activity": activity,
        "hearing": hearing,
        "upcoming": upcoming,
        "proposal": proposal,
        "waiting": waiting,
    }


@pytest.fixture
def two_municipalities(db, settings):
    """Birinchi May and Bagysh, each on its own host, both allowed."""
    settings.ALLOWED_HOSTS = [*HOSTS, "testserver"]
    return {host: set_up(host) for host in HOSTS}


def header(content):
    return content.split('<header class="site-header')[1].split("</header>")[0]


def public_pages(rows):
    """Every public page, with what of its own municipality it must show."""
    data = INSTALLATIONS[rows["municipality"].domain]
    return {
        "/ky/": [data["upcoming"], data["name"]],
        "/ky/groups/": [data["group"]],
        f"/ky/groups/{rows['group'].slug}/": [
            data["group"],
            data["person"],
            data["activity"],
            data["project"],
        ],
        "/ky/hearings/": [data["hearing"], data["upcoming"]],
        f"/ky/hearings/{rows['hearing'].pk}/": [data["hearing"], data["proposal"]],
        "/ky/proposals/": [data["proposal"], data["villages"][0], data["hearing"]],
        # Both municipalities' proposals hold the word: only this one's is found.
        "/ky/proposals/?q=көпүрө": [data["proposal"]],
        f"/ky/proposals/{rows['proposal'].pk}/": [data["proposal"]],
        f"/ky/proposals/track/{rows['waiting'].tracking_code}/": [data["waiting"]],
        f"/ky/proposals/track/{rows['proposal'].tracking_code}/": [data["proposal"]],
        "/ky/proposals/track/": [],
        "/ky/proposals/new/": [data["villages"][0], data["villages"][1]],
        "/ky/contacts/": [data["phone"], data["email"], *data["villages"]],
        "/ru/": [data["name"], data["upcoming"]],
        "/ru/groups/": [data["group"]],
        "/ru/hearings/": [data["hearing"]],
        "/ru/proposals/": [data["proposal"]],
        "/ky/programmes/": [data["programme"], data["priority"]],
        f"/ky/programmes/{rows['programme'].pk}/": [data["programme"], data["priority"]],
        f"/ky/programmes/priorities/{rows['priority'].pk}/": [data["priority"]],
        "/ky/budget/": [data["line"]],
        "/ky/budget/2024/": [data["line"]],
        "/ru/budget/": [data["line"]],
        "/ky/projects/": [data["project"], data["villages"][0]],
        f"/ky/projects/?village={rows['village'].pk}": [data["project"]],
        f"/ky/projects/{rows['project'].slug}/": [
            data["project"],
            data["source"],
            data["group"],
            data["priority"],
        ],
        "/ru/projects/": [data["project"]],
        "/ky/awards/": [data["award"], data["group"], data["project"]],
    }


@pytest.mark.parametrize("host", HOSTS)
def test_each_public_page_shows_its_own_municipality_only(client, two_municipalities, host):
    strange = words(other(host))
    name = INSTALLATIONS[host]["name"]
    for url, wanted in public_pages(two_municipalities[host]).items():
        response = client.get(url, headers={"host": host})
        assert response.status_code == 200, url
        content = response.content.decode()
        for word in wanted:
            assert word in content, (url, word)
        for word in strange:
            assert word not in content, (url, word)
        top = header(content)
        assert name in top and INSTALLATIONS[other(host)]["name"] not in top, url


def members_figure(content):
    """The "Members" figure of the municipality-wide composition."""
    label = re.escape(gettext("Members"))
    return re.findall(rf">{label}</dt>\s*<dd class=\"figure-value mb-0\">(\d+)<", content)


@pytest.mark.parametrize("host", HOSTS)
def test_the_figures_count_this_municipalitys_groups_and_people(client, two_municipalities, host):
    members = INSTALLATIONS[host]["members"]
    home = client.get("/ky/", headers={"host": host}).content.decode()
    assert f"1 демилгелүү топ иштейт, мүчөлөрүнүн саны: {members}." in home
    assert members_figure(home) == [str(members)]
    groups = client.get("/ky/groups/", headers={"host": host}).content.decode()
    assert members_figure(groups) == [str(members)]


@pytest.mark.parametrize("host", HOSTS)
def test_the_other_municipalitys_addresses_answer_404(client, two_municipalities, host):
    theirs = two_municipalities[other(host)]
    for url in (
        f"/ky/groups/{theirs['group'].slug}/",
        f"/ky/hearings/{theirs['hearing'].pk}/",
        f"/ky/hearings/{theirs['upcoming'].pk}/",
        f"/ky/proposals/{theirs['proposal'].pk}/",
        f"/ky/proposals/track/{theirs['proposal'].tracking_code}/",
        f"/ky/proposals/track/{theirs['waiting'].tracking_code}/",
        f"/ru/groups/{theirs['group'].slug}/",
        f"/ru/proposals/{theirs['proposal'].pk}/",
        f"/ky/programmes/{theirs['programme'].pk}/",
        f"/ky/programmes/priorities/{theirs['priority'].pk}/",
        f"/ky/programmes/{theirs['programme'].pk}/report.pdf",
        f"/ky/projects/{theirs['project'].slug}/",
        f"/ru/projects/{theirs['project'].slug}/",
    ):
        response = client.get(url, headers={"host": host})
        assert response.status_code == 404, url
        content = response.content.decode()
        for word in words(other(host)):
            assert word not in content, (url, word)
        # Each of them opens on its own host: the 404 is the scoping's.
        assert client.get(url, headers={"host": other(host)}).status_code == 200, url


@pytest.mark.parametrize("host", HOSTS)
def test_the_tracking_form_finds_no_code_of_the_other_municipality(
    client, two_municipalities, host
):
    theirs = two_municipalities[other(host)]["proposal"]
    ours = two_municipalities[host]["proposal"]
    response = client.get(
        "/ky/proposals/track/", {"code": ours.display_code}, headers={"host": host}
    )
    assert response.status_code == 302
    response = client.get(
        "/ky/proposals/track/", {"code": theirs.display_code}, headers={"host": host}
    )
    assert response.status_code == 200
    assert response.context["not_found"]


@pytest.mark.parametrize("host", HOSTS)
def test_filters_offer_and_accept_only_this_municipalitys_rows(client, two_municipalities, host):
    ours, theirs = two_municipalities[host], two_municipalities[other(host)]
    form = client.get("/ky/proposals/", headers={"host": host}).context["form"]

    def offered(name):
        return {value for value, _label in form.fields[name].widget.choices if value}

    assert offered("village") == {village.pk for village in ours["municipality"].villages.all()}
    assert offered("hearing") == {ours["hearing"].pk, ours["upcoming"].pk}
    # A chosen one is checked against this municipality's rows only.
    form = client.get(
        "/ky/proposals/",
        {"village": ours["village"].pk, "hearing": ours["hearing"].pk},
        headers={"host": host},
    ).context["form"]
    assert form.is_valid()
    assert list(form.fields["village"].queryset) == list(ours["municipality"].villages.all())
    assert set(form.fields["hearing"].queryset) == {ours["hearing"], ours["upcoming"]}
    # Asking for the other's village or hearing is no filter at all.
    for name in ("village", "hearing"):
        related = theirs["village"] if name == "village" else theirs["hearing"]
        response = client.get("/ky/proposals/", {name: related.pk}, headers={"host": host})
        assert not response.context["form"].is_valid()
        assert theirs["proposal"].text_ky not in response.content.decode()


@pytest.mark.parametrize("host", HOSTS)
def test_a_submission_cannot_name_the_other_municipalitys_village(client, two_municipalities, host):
    theirs = two_municipalities[other(host)]
    response = client.post(
        "/ky/proposals/new/",
        {
            "kind": "proposal",
            "topic": "roads",
            "village": theirs["village"].pk,
            "text": "Көчөгө жарык орнотуу керек, кечинде караңгы.",
            "consent": "on",
            "website": "",
        },
        headers={"host": host},
    )
    assert response.status_code == 400
    assert not Proposal.objects.filter(text_ky__startswith="Көчөгө жарык").exists()


def test_a_submission_lands_in_the_municipality_of_its_host(client, two_municipalities):
    host = "bagysh.kg"
    ours = two_municipalities[host]
    client.post(
        "/ky/proposals/new/",
        {
            "kind": "proposal",
            "topic": "roads",
            "village": ours["village"].pk,
            "text": "Көчөгө жарык орнотуу керек, кечинде караңгы.",
            "consent": "on",
            "website": "",
        },
        headers={"host": host},
    )
    proposal = Proposal.objects.get(text_ky__startswith="Көчөгө жарык")
    assert proposal.municipality == ours["municipality"]


# --- A host that names no municipality ---------------------------------------


@pytest.mark.parametrize("host", ["www.example.kg", "bagysh.kgz", "birinchi-mai.kg"])
def test_an_unknown_host_gets_a_404_never_another_municipalitys_pages(
    client, two_municipalities, settings, host
):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, host]
    for url in public_pages(two_municipalities["bagysh.kg"]):
        response = client.get(url, headers={"host": host})
        assert response.status_code == 404, url
        content = response.content.decode()
        for name in HOSTS:
            for word in words(name):
                assert word not in content, (url, word)


def test_a_proposal_sent_to_an_unknown_host_is_not_saved_anywhere(
    client, two_municipalities, settings
):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "bagysh.kgz"]
    before = Proposal.objects.count()
    response = client.post(
        "/ky/proposals/new/",
        {
            "kind": "proposal",
            "topic": "roads",
            "text": "Көчөгө жарык орнотуу керек, кечинде караңгы.",
            "consent": "on",
            "website": "",
        },
        headers={"host": "bagysh.kgz"},
    )
    assert response.status_code == 404
    assert Proposal.objects.count() == before


@pytest.mark.parametrize("host", ["www.bagysh.kg", "WWW.Bagysh.KG:8000", "bagysh.kg."])
def test_www_and_the_case_of_a_known_domain_reach_it(client, two_municipalities, settings, host):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "www.bagysh.kg", "bagysh.kg."]
    top = header(client.get("/ky/", headers={"host": host}).content.decode())
    assert INSTALLATIONS["bagysh.kg"]["name"] in top
    assert INSTALLATIONS["birinchi-may.kg"]["name"] not in top


def test_the_host_is_found_in_one_query_through_the_domain_index(
    two_municipalities, django_assert_num_queries
):
    from django.db import connection

    with django_assert_num_queries(1) as captured:
        assert Municipality.objects.for_host("Bagysh.KG").domain == "bagysh.kg"
    assert "LOWER" in captured.captured_queries[0]["sql"].upper()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("EXPLAIN " + captured.captured_queries[0]["sql"])
        plan = " ".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "municipality_unique_domain" in plan


# --- The host lookup, cached between requests --------------------------------


def municipality_queries(captured):
    return [q["sql"] for q in captured.captured_queries if '"portal_municipality"' in q["sql"]]


def test_a_known_host_is_looked_up_once_then_costs_no_query(
    two_municipalities, django_assert_num_queries
):
    with django_assert_num_queries(1):
        first = Municipality.objects.cached_for_host("bagysh.kg")
    with django_assert_num_queries(0):
        again = Municipality.objects.cached_for_host("Bagysh.KG:8000")
    assert again == first == two_municipalities["bagysh.kg"]["municipality"]
    # The whole row came from the cache: enough to draw any page.
    with django_assert_num_queries(0):
        assert again.name == "Багыш"
        assert again.phones == ["0555 410 220"]


def test_an_unknown_host_is_remembered_too(two_municipalities, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert Municipality.objects.cached_for_host("bagysh.kgz") is None
    with django_assert_num_queries(0):
        assert Municipality.objects.cached_for_host("bagysh.kgz") is None


def test_a_page_on_a_known_host_does_not_query_its_municipality_again(client, two_municipalities):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    here = {"host": "bagysh.kg"}
    with CaptureQueriesContext(connection) as first:
        assert "Багыш" in client.get("/ky/contacts/", headers=here).content.decode()
    with CaptureQueriesContext(connection) as second:
        response = client.get("/ky/contacts/", headers=here)
    assert len(municipality_queries(first)) == 1
    assert municipality_queries(second) == []
    assert len(second) == len(first) - 1
    content = response.content.decode()
    assert "0555 410 220" in content and "Кара-Жыгач" in content


def test_a_changed_domain_is_seen_at_once(client, two_municipalities, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "bagysh-ao.kg"]
    bagysh = two_municipalities["bagysh.kg"]["municipality"]
    assert client.get("/ky/contacts/", headers={"host": "bagysh.kg"}).status_code == 200
    assert client.get("/ky/contacts/", headers={"host": "bagysh-ao.kg"}).status_code == 404
    bagysh.domain = "bagysh-ao.kg"
    bagysh.save()
    assert client.get("/ky/contacts/", headers={"host": "bagysh.kg"}).status_code == 404
    response = client.get("/ky/contacts/", headers={"host": "bagysh-ao.kg"})
    assert "0555 410 220" in response.content.decode()


def test_a_changed_name_is_seen_at_once(client, two_municipalities):
    bagysh = two_municipalities["bagysh.kg"]["municipality"]
    client.get("/ky/", headers={"host": "bagysh.kg"})
    bagysh.name_ky = "Жаңы Багыш"
    bagysh.save()
    top = header(client.get("/ky/", headers={"host": "bagysh.kg"}).content.decode())
    assert "Жаңы Багыш" in top


def test_a_bulk_update_is_seen_at_once(client, two_municipalities, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "bagysh-ao.kg"]
    assert client.get("/ky/", headers={"host": "bagysh.kg"}).status_code == 200
    Municipality.objects.filter(domain="bagysh.kg").update(domain="bagysh-ao.kg")
    assert client.get("/ky/", headers={"host": "bagysh.kg"}).status_code == 404
    assert client.get("/ky/", headers={"host": "bagysh-ao.kg"}).status_code == 200


def test_a_second_municipality_ends_the_answer_to_any_host(client, db):
    only = MunicipalityFactory(name_ky="Биринчи Май", domain="birinchi-may.kg")
    # One municipality: every host is its own, and the answer is cached.
    for _ in range(2):
        top = header(client.get("/ky/", headers={"host": "localhost"}).content.decode())
        assert only.name_ky in top
    MunicipalityFactory(name_ky="Багыш", domain="bagysh.kg")
    assert client.get("/ky/", headers={"host": "localhost"}).status_code == 404
    assert Municipality.objects.cached_for_host("localhost") is None


@pytest.mark.parametrize("how", ["instance", "queryset"])
def test_a_deleted_municipality_is_forgotten_at_once(client, two_municipalities, how):
    third = MunicipalityFactory(name_ky="Үчүнчү", domain="uchunchu.kg")
    assert Municipality.objects.cached_for_host("uchunchu.kg") == third
    if how == "instance":
        third.delete()
    else:  # the admin's "delete selected"
        Municipality.objects.filter(pk=third.pk).delete()
    assert Municipality.objects.cached_for_host("uchunchu.kg") is None
    assert Municipality.objects.cached_for_host("bagysh.kg").name == "Багыш"


def test_a_lost_generation_never_brings_back_an_old_answer(two_municipalities):
    from django.core.cache import caches

    from portal.models import HOST_CACHE_GENERATION

    bagysh = two_municipalities["bagysh.kg"]["municipality"]
    assert Municipality.objects.cached_for_host("bagysh.kg") == bagysh
    # The generation is culled, and the row changes without passing the
    # model (raw SQL): the next lookup starts a new generation and reads it.
    caches["default"].delete(HOST_CACHE_GENERATION)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE portal_municipality SET domain = 'bagysh-ao.kg' WHERE id = %s", [bagysh.pk]
        )
    assert Municipality.objects.cached_for_host("bagysh.kg") is None


# --- The admin --------------------------------------------------------------

# Each admin list whose rows belong to a municipality, and how to find the
# fixture's rows of one municipality in it.
ADMIN_LISTS = {
    "portal.municipality": lambda rows: [rows["municipality"]],
    "portal.village": lambda rows: list(rows["municipality"].villages.all()),
    "groups.initiativegroup": lambda rows: [rows["group"]],
    "groups.person": lambda rows: list(Person.objects.filter(municipality=rows["municipality"])),
    "groups.activity": lambda rows: [rows["activity"]],
    "hearings.hearing": lambda rows: [rows["hearing"], rows["upcoming"]],
    "hearings.proposal": lambda rows: [rows["proposal"], rows["waiting"]],
    "hearings.moderationqueue": lambda rows: [rows["waiting"]],
    "budget.councilresolution": lambda rows: [rows["resolution"]],
    "budget.developmentprogramme": lambda rows: [rows["programme"]],
    "budget.localbudget": lambda rows: [rows["budget"]],
    "projects.project": lambda rows: [rows["project"]],
    "projects.award": lambda rows: list(Award.objects.filter(municipality=rows["municipality"])),
}
# Lists of what belongs to no municipality.
UNSCOPED = {"auth.user", "auth.group"}


def test_every_admin_list_is_in_the_isolation_table():
    labels = {f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry}
    assert labels == set(ADMIN_LISTS) | UNSCOPED


def shown(client, model_label, host):
    """The rows of an admin list; neither it (its filters included) nor the
    add form (its choices) may name anything of the other municipality."""
    url = f"/ky/admin/{model_label.replace('.', '/')}/"
    response = client.get(url, headers={"host": host})
    assert response.status_code == 200, (model_label, host)
    pages = [response.content.decode()]
    add = client.get(f"{url}add/", headers={"host": host})
    if add.status_code == 200:
        pages.append(add.content.decode())
    if not response.wsgi_request.user.is_superuser:
        for content in pages:
            for word in words(other(host)):
                assert word not in content, (model_label, host, word)
    return {row.pk for row in response.context["cl"].result_list}


@pytest.mark.parametrize("model_label", sorted(ADMIN_LISTS))
@pytest.mark.parametrize("host", HOSTS)
def test_each_admin_list_shows_staff_their_municipalitys_rows_only(
    client, two_municipalities, clerk, moderator, model_label, host
):
    rows_of = ADMIN_LISTS[model_label]
    client.force_login(moderator if model_label == "hearings.moderationqueue" else clerk)
    ours = {row.pk for row in rows_of(two_municipalities[host])}
    assert shown(client, model_label, host) == ours


@pytest.mark.parametrize("model_label", sorted(ADMIN_LISTS))
def test_the_superuser_sees_both_municipalities_in_every_admin_list(
    client, two_municipalities, model_label
):
    rows_of = ADMIN_LISTS[model_label]
    client.force_login(SuperuserFactory())
    both = {row.pk for rows in two_municipalities.values() for row in rows_of(rows)}
    assert shown(client, model_label, HOSTS[0]) == both


@pytest.mark.parametrize("model_label", sorted(ADMIN_LISTS))
def test_staff_cannot_open_the_other_municipalitys_rows(
    client, two_municipalities, clerk, model_label
):
    host = HOSTS[0]
    rows_of = ADMIN_LISTS[model_label]
    client.force_login(clerk)
    for row in rows_of(two_municipalities[other(host)]):
        for page in ("change", "history", "delete"):
            url = f"/ky/admin/{model_label.replace('.', '/')}/{row.pk}/{page}/"
            response = client.get(url, headers={"host": host})
            # Django's answer to a row it cannot find: back to the index.
            assert response.status_code in (302, 403), (url, response.status_code)
            assert response.status_code == 403 or response["Location"] == "/ky/admin/"


@pytest.mark.parametrize("model_label", sorted(ADMIN_LISTS))
def test_staff_cannot_change_the_other_municipalitys_rows(
    client, two_municipalities, clerk, moderator, model_label
):
    host = HOSTS[0]
    rows_of = ADMIN_LISTS[model_label]
    client.force_login(moderator if model_label == "hearings.moderationqueue" else clerk)
    for row in rows_of(two_municipalities[other(host)]):
        before = type(row).objects.filter(pk=row.pk).values().get()
        url = f"/ky/admin/{model_label.replace('.', '/')}/{row.pk}/change/"
        response = client.post(url, {"_save": "1"}, headers={"host": host})
        assert response.status_code in (302, 403), (url, response.status_code)
        assert response.status_code == 403 or response["Location"] == "/ky/admin/"
        assert type(row).objects.filter(pk=row.pk).values().get() == before, url


# The moderation queue has no row pages: its rows open as proposals.
@pytest.mark.parametrize("model_label", sorted(set(ADMIN_LISTS) - {"hearings.moderationqueue"}))
def test_the_superuser_opens_both_municipalities_rows(client, two_municipalities, model_label):
    rows_of = ADMIN_LISTS[model_label]
    client.force_login(SuperuserFactory())
    for rows in two_municipalities.values():
        for row in rows_of(rows):
            url = f"/ky/admin/{model_label.replace('.', '/')}/{row.pk}/change/"
            response = client.get(url, headers={"host": HOSTS[0]})
            assert response.status_code == 200, url
            assert response.context["original"] == row


def test_actions_and_exports_leave_the_other_municipalitys_rows_alone(
    client, two_municipalities, clerk, moderator
):
    host, theirs = HOSTS[0], two_municipalities[HOSTS[1]]
    here = {"host": host}
    client.force_login(clerk)
    response = client.post(
        "/ky/admin/hearings/proposal/",
        {"action": "export_csv", "index": "0", "_selected_action": [theirs["proposal"].pk]},
        headers=here,
    )
    assert theirs["proposal"].display_code not in response.content.decode("utf-8-sig")
    response = client.post(
        "/ky/admin/groups/initiativegroup/",
        {"action": "export_members_csv", "index": "0", "_selected_action": [theirs["group"].pk]},
        headers=here,
    )
    assert INSTALLATIONS[HOSTS[1]]["person"] not in response.content.decode("utf-8-sig")
    response = client.post(
        "/ky/admin/projects/project/",
        {"action": "export_csv", "index": "0", "_selected_action": [theirs["project"].pk]},
        headers=here,
    )
    assert INSTALLATIONS[HOSTS[1]]["project"] not in response.content.decode("utf-8-sig")
    response = client.get("/ky/admin/projects/project/export.csv", headers=here)
    assert INSTALLATIONS[HOSTS[0]]["source"] in response.content.decode("utf-8-sig")
    assert INSTALLATIONS[HOSTS[1]]["source"] not in response.content.decode("utf-8-sig")
    client.force_login(moderator)
    client.post(
        "/ky/admin/hearings/moderationqueue/",
        {"action": "approve", "index": "0", "_selected_action": [theirs["waiting"].pk]},
        headers=here,
    )
    theirs["waiting"].refresh_from_db()
    assert theirs["waiting"].status == S.AWAITING_MODERATION


@pytest.mark.parametrize(
    ("model_name", "field_name", "key"),
    [("membership", "person", "person"), ("proposal", "hearing", "hearing")],
)
def test_the_autocomplete_offers_this_municipalitys_rows_only(
    client, two_municipalities, clerk, model_name, field_name, key
):
    client.force_login(clerk)
    for host in HOSTS:
        app_label = "groups" if model_name == "membership" else "hearings"
        response = client.get(
            "/ky/admin/autocomplete/",
            {
                "term": "",
                "app_label": app_label,
                "model_name": model_name,
                "field_name": field_name,
            },
            headers={"host": host},
        )
        ids = {int(result["id"]) for result in response.json()["results"]}
        assert two_municipalities[host][key].pk in ids
        assert two_municipalities[other(host)][key].pk not in ids


@pytest.mark.parametrize("host", HOSTS)
def test_the_admin_index_counts_this_municipalitys_queue(
    client, two_municipalities, moderator, host
):
    ProposalFactory(
        municipality=two_municipalities[other(host)]["municipality"], status=S.AWAITING_MODERATION
    )
    client.force_login(moderator)
    response = client.get("/ky/admin/", headers={"host": host})
    assert response.context["moderation_waiting"] == 1


def test_staff_cannot_save_a_row_into_the_other_municipality(client, two_municipalities, clerk):
    host, theirs = HOSTS[0], two_municipalities[HOSTS[1]]
    client.force_login(clerk)
    response = client.post(
        "/ky/admin/groups/person/add/",
        {
            "municipality": theirs["municipality"].pk,
            "full_name": "Бөтөн Адам",
            "sex": "m",
            "birth_year": "1990",
            "categories": [],
        },
        headers={"host": host},
    )
    assert response.status_code == 200
    assert "municipality" in response.context["adminform"].form.errors
    assert not Person.objects.filter(full_name="Бөтөн Адам").exists()
