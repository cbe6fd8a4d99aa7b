import csv
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from groups import services
from groups.composition import Composition
from groups.models import (
    InitiativeGroup,
    Membership,
    Person,
    Summary,
    composition_counts,
    municipality_summary,
)
from projects.models import ProjectGroup
from tests.factories import (
    ActivityFactory,
    HearingFactory,
    InitiativeGroupFactory,
    MembershipFactory,
    PersonFactory,
    ProjectFactory,
    ProposalFactory,
    UserFactory,
    VillageFactory,
)

THIS_YEAR = timezone.localdate().year


def figures(group):
    return InitiativeGroup.objects.with_composition().get(pk=group.pk).composition


# --- Composition figures -------------------------------------------------


def test_a_group_without_members_has_zeros_and_no_flag(municipality):
    group = InitiativeGroupFactory(municipality=municipality)
    result = figures(group)
    assert result == Composition()
    assert result.women_share is None
    assert not result.women_below_benchmark


def test_past_members_do_not_count(municipality):
    group = InitiativeGroupFactory(municipality=municipality)
    MembershipFactory.create_batch(3, group=group, left_on=timezone.localdate())
    assert figures(group).members == 0
    assert Person.objects.current_members().composition().members == 0


def test_a_group_of_only_women(municipality):
    group = InitiativeGroupFactory(municipality=municipality)
    MembershipFactory.create_batch(4, group=group, person__sex="f")
    result = figures(group)
    assert (result.members, result.women, result.women_share) == (4, 4, 100.0)
    assert not result.women_below_benchmark


def test_women_under_thirty_percent_are_flagged(municipality):
    group = InitiativeGroupFactory(municipality=municipality)
    MembershipFactory(group=group, person__sex="f")
    MembershipFactory.create_batch(3, group=group, person__sex="m")
    result = figures(group)
    assert result.women_share == 25.0
    assert result.women_below_benchmark


def test_exactly_thirty_percent_women_is_not_flagged(municipality):
    group = InitiativeGroupFactory(municipality=municipality)
    MembershipFactory.create_batch(3, group=group, person__sex="f")
    MembershipFactory.create_batch(7, group=group, person__sex="m")
    assert figures(group).women_share == 30.0
    assert not figures(group).women_below_benchmark


def test_a_person_in_two_groups_counts_in_each_group_and_once_overall(municipality):
    first, second = InitiativeGroupFactory.create_batch(2, municipality=municipality)
    deputy = PersonFactory(municipality=municipality, sex="f", categories=["deputy"])
    MembershipFactory(group=first, person=deputy)
    MembershipFactory(group=second, person=deputy)
    MembershipFactory(group=second, person__sex="m")
    assert figures(first).deputies == 1
    assert figures(second).deputies == 1
    overall = Person.objects.filter(municipality=municipality).current_members().composition()
    assert (overall.members, overall.women, overall.deputies) == (2, 1, 1)


@pytest.mark.parametrize(("age", "is_youth"), [(13, False), (14, True), (35, True), (36, False)])
def test_youth_boundaries_follow_the_law_on_youth(municipality, age, is_youth):
    group = InitiativeGroupFactory(municipality=municipality)
    MembershipFactory(group=group, person__birth_year=THIS_YEAR - age)
    assert figures(group).youth == int(is_youth)


def test_youth_range_is_a_setting(municipality, settings):
    settings.YOUTH_AGE_MAX = 28  # the 2009 law's range
    group = InitiativeGroupFactory(municipality=municipality)
    MembershipFactory(group=group, person__birth_year=THIS_YEAR - 30)
    assert figures(group).youth == 0


def test_members_of_dissolved_groups_do_not_count_overall(municipality):
    group = InitiativeGroupFactory(municipality=municipality)
    MembershipFactory.create_batch(2, group=group)
    services.dissolve_group(group, on=timezone.localdate())
    assert Person.objects.current_members().composition().members == 0
    assert group.memberships.filter(left_on__isnull=True).count() == 0


# --- Rules in the database -----------------------------------------------


def test_one_current_membership_per_person_and_group(municipality):
    membership = MembershipFactory(group__municipality=municipality)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(person=membership.person, group=membership.group)


def test_one_current_chair_per_group(municipality):
    group = InitiativeGroupFactory(municipality=municipality)
    MembershipFactory(group=group, role="chair")
    with pytest.raises(ValidationError, match="Топтун төрагасы бар"):
        services.add_member(group, PersonFactory(municipality=municipality), role="chair")


def test_a_dissolved_group_needs_its_date(municipality):
    with pytest.raises(IntegrityError), transaction.atomic():
        InitiativeGroupFactory(municipality=municipality, status="dissolved", dissolved_on=None)


def test_order_number_and_date_go_together(municipality):
    with pytest.raises(IntegrityError), transaction.atomic():
        InitiativeGroupFactory(municipality=municipality, order_number="14", order_date=None)


def test_leaving_before_joining_is_refused(municipality):
    membership = MembershipFactory(group__municipality=municipality)
    membership.joined_on = timezone.localdate()
    with pytest.raises(ValidationError, match="Мүчө топко кошулганга чейин чыга албайт"):
        services.end_membership(membership, left_on=membership.joined_on.replace(year=2000))


def test_a_birth_year_in_the_future_is_refused(municipality):
    person = PersonFactory.build(municipality=municipality, birth_year=THIS_YEAR + 1)
    with pytest.raises(ValidationError):
        person.full_clean()


def test_slugs_are_latin_and_kyrgyz_letters_do_not_break_them(municipality):
    group = InitiativeGroupFactory(municipality=municipality, name_ky="Өңүгүү – Жаңы Үмүт")
    twin = InitiativeGroupFactory(municipality=municipality, name_ky="Өңүгүү – Жаңы Үмүт")
    assert group.slug == "onguguu-zhangy-umut"
    assert twin.slug == "onguguu-zhangy-umut-2"


# --- Public pages --------------------------------------------------------


@pytest.fixture
def demo_group(municipality):
    group = InitiativeGroupFactory(
        municipality=municipality,
        name_ky="Таза суунун башаты",
        name_ru="Исток чистой воды",
        description_ky="Ичүүчү суу маселелери.",
        description_ru="Вопросы питьевой воды.",
        order_number="14",
        order_date=timezone.datetime(2014, 3, 20).date(),
    )
    chair = PersonFactory(
        municipality=municipality,
        full_name="Жунусова Айгүл",
        phone="0777 123 456",
        birth_year=1971,
        notes="Мугалим, жеке маалымат",
    )
    MembershipFactory(group=group, person=chair, role="chair")
    MembershipFactory(
        group=group,
        person__full_name="Мамытов Бакыт",
        person__sex="m",
        left_on=timezone.localdate(),
    )
    ActivityFactory(group=group, title_ky="Эски жыйын", title_ru="Старое собрание")
    ActivityFactory(
        group=group,
        date=timezone.datetime(2025, 5, 7).date(),
        kind="inspection",
        title_ky="Жайыттарды текшерүү",
        title_ru="Проверка пастбищ",
    )
    return group


def test_list_page_shows_active_groups_with_figures_and_summary(client, demo_group):
    InitiativeGroupFactory(
        municipality=demo_group.municipality,
        name_ky="Таратылган топ",
        status="dissolved",
        dissolved_on=timezone.localdate(),
    )
    content = client.get("/ky/groups/").content.decode()
    assert "Таза суунун башаты" in content
    assert "1 иштеп жаткан топ" in content
    dissolved_section = content.split('id="dissolved-title"')[1]
    assert "Таратылган топ" in dissolved_section
    assert "Таратылган топ" not in content.split('id="dissolved-title"')[0]


def test_group_page_lists_members_roles_and_activities_newest_first(client, demo_group):
    content = client.get(f"/ru/groups/{demo_group.slug}/").content.decode()
    assert "Исток чистой воды" in content
    assert "Жунусова Айгүл" in content
    assert "Председатель" in content
    assert content.index("Проверка пастбищ") < content.index("Старое собрание")
    assert "Распоряжение айыл окмоту" in content and "№ 14 от" in content
    # The former member is listed apart and does not count.
    assert "Мамытов Бакыт" in content.split("former-members")[1]


def test_flag_shows_on_a_group_with_few_women(client, municipality):
    group = InitiativeGroupFactory(municipality=municipality)
    MembershipFactory(group=group, person__sex="f")
    MembershipFactory.create_batch(3, group=group, person__sex="m")
    content = client.get(f"/ky/groups/{group.slug}/").content.decode()
    assert "Аялдар мүчөлөрдүн 30 %-дан азын түзөт." in content


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_personal_data_is_absent_from_public_pages(client, demo_group, language):
    for url in (f"/{language}/groups/", f"/{language}/groups/{demo_group.slug}/"):
        content = client.get(url).content.decode()
        assert "0777 123 456" not in content
        assert "1971" not in content
        assert "жеке маалымат" not in content
        assert "0555" not in content


def test_unknown_group_is_a_404(client, municipality):
    assert client.get("/ky/groups/no-such-group/").status_code == 404


def test_group_of_another_municipality_is_not_shown(client, municipality, settings):
    from tests.factories import MunicipalityFactory

    settings.ALLOWED_HOSTS = ["birinchi-may.kg", "bagysh.kg"]
    municipality.domain = "birinchi-may.kg"
    municipality.save()
    own = InitiativeGroupFactory(municipality=municipality, name_ky="Биздин топ")
    other = InitiativeGroupFactory(
        municipality=MunicipalityFactory(domain="bagysh.kg"), name_ky="Багыш тобу"
    )
    here = {"host": "birinchi-may.kg"}
    assert client.get(f"/ky/groups/{own.slug}/", headers=here).status_code == 200
    response = client.get(f"/ky/groups/{other.slug}/", headers=here)
    assert response.status_code == 404
    assert "Багыш тобу" not in response.content.decode()
    # On its own host the other group is there: the 404 came from the scoping.
    assert client.get(f"/ky/groups/{other.slug}/", headers={"host": "bagysh.kg"}).status_code == 200


def test_list_query_count_does_not_grow_with_groups(
    client, municipality, django_assert_max_num_queries
):
    def make(n):
        for group in InitiativeGroupFactory.create_batch(n, municipality=municipality):
            group.villages.set(municipality.villages.all())
            MembershipFactory.create_batch(2, group=group)

    make(3)
    # The municipality (cached between requests), the summary with both
    # lists' sizes, a page of groups with their figures and villages, a page
    # of dissolved groups.
    with django_assert_max_num_queries(4):
        client.get("/ky/groups/")
    make(57)
    InitiativeGroupFactory.create_batch(
        25, municipality=municipality, status="dissolved", dissolved_on=timezone.localdate()
    )
    with django_assert_max_num_queries(4):
        response = client.get("/ky/groups/")
    content = response.content.decode()
    assert content.count("group-card") == 20  # the first page
    assert content.count('class="mb-1"><a href="/ky/groups/') == 20  # and of the dissolved


def test_groups_of_the_same_name_each_appear_on_one_page(client, municipality):
    InitiativeGroupFactory.create_batch(25, municipality=municipality, name_ky="Таза суу")
    shown = []
    for page in (1, 2):
        content = client.get(f"/ky/groups/?page={page}").content.decode()
        shown += re.findall(r'card-title"><a href="(/ky/groups/[^"]+/)"', content)
    assert len(shown) == len(set(shown)) == 25


def test_detail_query_count_does_not_grow_with_members(
    client, municipality, django_assert_max_num_queries
):
    group = InitiativeGroupFactory(municipality=municipality)
    MembershipFactory.create_batch(5, group=group)
    ActivityFactory.create_batch(3, group=group)
    # The municipality, and the group with its figures, counts and short
    # lists (members, activities); none for its proposals, it has none.
    with django_assert_max_num_queries(2):
        client.get(f"/ky/groups/{group.slug}/")
    MembershipFactory.create_batch(195, group=group)
    ActivityFactory.create_batch(50, group=group)
    with django_assert_max_num_queries(2):
        response = client.get(f"/ky/groups/{group.slug}/")
    content = response.content.decode()
    # Bounded, and saying so: the first hundred members, the latest activities.
    assert content.count("<tr><td>") == 100
    with translation.override("ky"):
        assert (
            gettext("The first %(shown)s of %(total)s members are listed.")
            % {
                "shown": 100,
                "total": 200,
            }
            in content
        )
        assert (
            gettext("The latest %(shown)s of %(total)s activities are shown.")
            % {
                "shown": 20,
                "total": 53,
            }
            in content
        )


def test_detail_query_count_does_not_grow_with_proposals_and_projects(
    client, municipality, django_assert_max_num_queries
):
    group = InitiativeGroupFactory(municipality=municipality)
    village = VillageFactory(municipality=municipality, name_ky="Кара-Суу", name_ru="Кара-Суу")
    hearing = HearingFactory(municipality=municipality, title_ky="Бюджет угуусу")

    def make(n):
        ProposalFactory.create_batch(
            n, municipality=municipality, group=group, village=village, hearing=hearing
        )
        MembershipFactory(group=group, left_on=timezone.localdate())
        project = ProjectFactory(municipality=municipality)
        ProjectGroup.objects.create(project=project, group=group, role="initiator")

    make(2)
    # Besides those two: a page of proposals (former members and projects
    # come with the group) and, after a write, the names its cards show.
    with django_assert_max_num_queries(4):
        client.get(f"/ky/groups/{group.slug}/")
    make(40)
    with django_assert_max_num_queries(4):
        response = client.get(f"/ky/groups/{group.slug}/")
    content = response.content.decode()
    assert content.count('class="proposal card') == 20
    assert content.count("Кара-Суу") >= 20 and "Бюджет угуусу" in content
    assert content.count('<ul class="group-projects">') == 1


def test_home_query_count_does_not_grow_with_groups(
    client, municipality, django_assert_max_num_queries
):
    def make(n):
        for group in InitiativeGroupFactory.create_batch(n, municipality=municipality):
            MembershipFactory.create_batch(3, group=group)

    make(1)
    # The municipality, the groups' figures with their number, the next hearing.
    with django_assert_max_num_queries(3):
        client.get("/ky/")
    make(30)
    with django_assert_max_num_queries(3):
        content = client.get("/ky/").content.decode()
    assert "31 демилгелүү топ" in content


def test_page_figures_are_the_composition_counted_by_the_orm(municipality):
    """The public pages count with SQL of their own (groups.models.FIGURES_SQL):
    the same figures as composition_counts(), with every kind of member."""
    first, second = InitiativeGroupFactory.create_batch(2, municipality=municipality)
    dissolved = InitiativeGroupFactory(
        municipality=municipality, status="dissolved", dissolved_on=timezone.localdate()
    )
    people = [
        PersonFactory(municipality=municipality, sex="f", birth_year=THIS_YEAR - 14),
        PersonFactory(municipality=municipality, sex="m", birth_year=THIS_YEAR - 35),
        PersonFactory(municipality=municipality, sex="f", birth_year=THIS_YEAR - 36),
        PersonFactory(municipality=municipality, sex="m", birth_year=THIS_YEAR - 13),
        PersonFactory(municipality=municipality, sex="f", birth_year=None, categories=["deputy"]),
        PersonFactory(municipality=municipality, sex="m", categories=["civil_society", "leader"]),
        PersonFactory(municipality=municipality, sex="f", categories=["leader", "deputy"]),
    ]
    for person in people[:5]:
        MembershipFactory(group=first, person=person)
    for person in people[3:]:
        MembershipFactory(group=second, person=person)
    MembershipFactory(group=second, left_on=timezone.localdate(), person__sex="f")
    MembershipFactory(group=dissolved, person__sex="f", person__municipality=municipality)
    MembershipFactory(group=InitiativeGroupFactory(), person__sex="f")  # another municipality

    for group in (first, second, dissolved):
        counted = InitiativeGroup.objects.with_composition().get(pk=group.pk).composition
        assert InitiativeGroup.objects.with_figures().get(pk=group.pk).composition == counted
    current = Person.objects.filter(municipality=municipality).current_members()
    overall = Composition.from_counts(current.aggregate(**composition_counts()))
    assert overall.members == 7 and overall.youth == 2 and overall.leaders == 2
    assert current.composition() == overall
    summary = municipality_summary(municipality)
    assert summary == Summary(overall, active_groups=2, dissolved_groups=1)


def test_a_village_named_in_one_language_shows_in_both(client, municipality):
    group = InitiativeGroupFactory(municipality=municipality)
    group.villages.set(
        [
            VillageFactory(municipality=municipality, name_ky="Ак-Суу", name_ru="Ак-Суу"),
            VillageFactory(municipality=municipality, name_ky="Жаңы-Жол", name_ru=""),
            VillageFactory(municipality=municipality, name_ky="Чоң-Таш", name_ru="Большой Камень"),
        ]
    )
    for url in ("/ru/groups/", f"/ru/groups/{group.slug}/"):
        content = client.get(url).content.decode()
        assert "Жаңы-Жол, Ак-Суу, Большой Камень" in content  # the empty Russian name first
    content = client.get(f"/ky/groups/{group.slug}/").content.decode()
    assert "Ак-Суу, Жаңы-Жол, Чоң-Таш" in content


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_public_pages_render_in_both_languages(client, demo_group, language):
    heading = {"ky": "Демилгелүү топтор", "ru": "Инициативные группы"}[language]
    response = client.get(f"/{language}/groups/")
    assert response.status_code == 200
    assert heading in response.content.decode()
    response = client.get(f"/{language}/groups/{demo_group.slug}/")
    assert response.status_code == 200
    assert f'lang="{language}"' in response.content.decode()


# --- Admin ---------------------------------------------------------------


def export(client, group, action):
    return client.post(
        "/ky/admin/groups/initiativegroup/",
        {"action": action, "index": "0", "_selected_action": [group.pk]},
    )


def test_staff_export_members_as_csv_with_private_data(client, demo_group, clerk):
    client.force_login(clerk)
    response = export(client, demo_group, "export_members_csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Демилгелүү топ"
    chair = next(row for row in rows if row[1] == "Жунусова Айгүл")
    assert chair[3] == "1971"
    assert chair[9] == "0777 123 456"
    assert len(rows) == 3  # header, the chair and the former member


def test_staff_export_members_as_xlsx(client, demo_group, clerk):
    client.force_login(clerk)
    response = export(client, demo_group, "export_members_xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][1] == "Жунусова Айгүл"
    assert values[1][0] == "Таза суунун башаты"


def user_with(*codenames):
    """A staff user holding exactly these permissions of the groups app."""
    from django.contrib.auth.models import Permission

    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="groups", codename__in=codenames)
    )
    return user


@pytest.mark.parametrize("action", ["export_members_csv", "export_members_xlsx"])
def test_export_is_for_staff_who_may_see_people(client, demo_group, moderator, action):
    response = export(client, demo_group, action)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    client.force_login(moderator)  # staff, with no rights on groups
    assert export(client, demo_group, action).status_code == 403
    # Sees the groups and may change them, but not the people: no export.
    client.force_login(user_with("view_initiativegroup", "change_initiativegroup"))
    assert client.get("/ky/admin/groups/initiativegroup/").status_code == 200
    response = export(client, demo_group, action)
    assert response.status_code == 302  # back to the list, nothing exported
    assert response["Location"] == "/ky/admin/groups/initiativegroup/"
    assert "0777 123 456" not in response.content.decode()
    # The same, once allowed to see people.
    client.force_login(user_with("view_initiativegroup", "change_initiativegroup", "view_person"))
    response = export(client, demo_group, action)
    assert response.status_code == 200
    assert not response["Content-Type"].startswith("text/html")


def test_admin_group_page_shows_figures(client, demo_group, clerk):
    client.force_login(clerk)
    content = client.get(
        f"/ky/admin/groups/initiativegroup/{demo_group.pk}/change/"
    ).content.decode()
    assert "Жунусова Айгүл" in content
    assert "(100 %)" in content  # the chair is the one current member, a woman


def test_admin_person_autocomplete_finds_people(client, demo_group, clerk):
    client.force_login(clerk)
    response = client.get(
        "/ky/admin/autocomplete/",
        {
            "term": "Жунус",
            "app_label": "groups",
            "model_name": "membership",
            "field_name": "person",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["Жунусова Айгүл"]


def test_load_demo_groups_match_the_seed(demo):  # load_demo, run twice: conftest.py
    groups = InitiativeGroup.objects.active()
    assert groups.count() == 8
    assert groups.filter(founded_on__year=2014).count() == 5
    overall = Person.objects.current_members().composition()
    assert overall.women_share > 30
    assert overall.youth and overall.deputies and overall.civil_society
    women_group = InitiativeGroup.objects.with_composition().get(slug="ayry-tam-ayaldary")
    assert women_group.composition.members == women_group.composition.women == 50
    kinds = set(InitiativeGroup.objects.values_list("activities__kind", flat=True))
    assert {"rules", "inspection"} <= kinds


def test_home_page_summarises_the_groups(client, demo_group):
    content = client.get("/ky/").content.decode()
    assert "Айыл аймагында 1 демилгелүү топ иштейт, мүчөлөрүнүн саны: 1." in content
    assert 'href="/ky/groups/"' in content
