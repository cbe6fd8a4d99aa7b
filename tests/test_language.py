"""Kyrgyz and Russian where staff and residents read them: formats, the admin,
the terms of the glossary. Each test fails without its fix."""

import datetime
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.models import Permission
from django.contrib.staticfiles import finders
from django.forms import DateField
from django.template import Context, Template
from django.utils import formats, translation
from django.utils.translation import gettext, pgettext

from groups.models import InitiativeGroup, Membership, Person
from hearings.models import Proposal
from portal.admin_i18n import permission_label
from portal.roles import sync_roles
from tests.factories import (
    InitiativeGroupFactory,
    MembershipFactory,
    PersonFactory,
    ProposalFactory,
    SuperuserFactory,
)

ROOT = Path(__file__).resolve().parent.parent
NBSP = "\xa0"


def render(template, **context):
    return Template(template).render(Context(context))


# --- Formats -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "date", "datetime_", "share", "amount"),
    [
        ("ky", "2022-жылдын 25-ноябры", "2022-жылдын 25-ноябры, 14:00", "69,9", f"250{NBSP}000"),
        ("ru", "25 ноября 2022 г.", "25 ноября 2022 г. в 14:00", "69,9", f"250{NBSP}000"),
    ],
    ids=["ky", "ru"],
)
def test_dates_and_numbers_as_each_language_writes_them(language, date, datetime_, share, amount):
    with translation.override(language):
        assert formats.date_format(datetime.date(2022, 11, 25)) == date
        assert formats.date_format(datetime.datetime(2022, 11, 25, 14), "DATETIME_FORMAT") == (
            datetime_
        )
        assert render('{{ share|floatformat:"-1" }} {{ plain }}', share=69.94, plain=69.9) == (
            f"{share} {share}"
        )
        assert render("{% load amounts %}{{ sum|amount }} сом", sum=250000) == f"{amount} сом"
        # Only amounts are grouped: years and ids stay whole.
        assert render("{{ year }}", year=2022) == "2022"
        # Forms still read both ways of typing a date.
        field = DateField()
        assert field.clean("25.11.2022") == field.clean("2022-11-25") == datetime.date(2022, 11, 25)


def test_amounts_keep_decimals_only_when_they_have_some():
    with translation.override("ky"):
        template = "{% load amounts %}{{ a|amount }} | {{ b|amount }} | {{ c|amount:1 }}"
        assert render(template, a=1234567.5, b=Decimal("50000.00"), c=4.46) == (
            f"1{NBSP}234{NBSP}567,5 | 50{NBSP}000 | 4,5"
        )


def test_kyrgyz_months_are_lowercase_and_possessive_in_dates():
    possessive = (
        "январы февралы марты апрели майы июну июлу августу сентябры октябры ноябры декабры"
    )
    with translation.override("ky"):
        days = [datetime.date(2022, month, 1) for month in range(1, 13)]
        assert " ".join(formats.date_format(d, "E") for d in days) == possessive
        assert formats.date_format(days[10], "F") == "ноябрь"
        assert formats.date_format(datetime.date(2021, 8, 30)) == "2021-жылдын 30-августу"


# --- The admin -----------------------------------------------------------------


@pytest.fixture
def people(municipality):
    PersonFactory.create_batch(2, municipality=municipality, full_name="Асанова Айгүл")
    PersonFactory(municipality=municipality, full_name="Токтогулов Бакыт", sex="m")


def test_counters_put_no_plural_noun_after_a_number(client, clerk, people):
    client.force_login(clerk)
    ky = client.get("/ky/admin/groups/person/").content.decode()
    assert "Баары: 3" in ky
    assert not re.search(r"\b3\s+адамдар", ky)
    ru = client.get("/ru/admin/groups/person/").content.decode()
    assert "Всего: 3" in ru
    assert not re.search(r"\b3\s+люди", ru)
    found = client.get("/ky/admin/groups/person/", {"q": "Асанова"}).content.decode()
    assert "Табылды: 2" in found and "баары: 3" in found
    with translation.override("ky"):
        select_all = gettext("Select all %(total_count)s %(module_name)s")
        assert select_all % {"total_count": 114, "module_name": "адамдар"} == (
            "Баарын тандоо (адамдар): 114"
        )


def test_changelist_and_forms_address_russian_nouns_correctly(client, clerk, people):
    client.force_login(clerk)
    changelist = client.get("/ru/admin/groups/person/").content.decode()
    assert "Выберите объект для изменения: человек" in changelist
    assert "Выберите человек" not in changelist
    add = client.get("/ru/admin/groups/person/add/").content.decode()
    assert "Добавить: человек" in add
    assert "Добавить человек" not in add


def test_kyrgyz_admin_is_polite_and_uses_real_words(client, clerk, people):
    client.force_login(clerk)
    add = client.get("/ky/admin/groups/person/add/").content.decode()
    assert "Сактап, дагы бирин кошуу" in add
    assert "Сакта жана башкасын кош" not in add
    errors = client.post("/ky/admin/groups/person/add/", {}).content.decode()
    assert "Бул талааны толтуруу милдеттүү." in errors
    changelist = client.get("/ky/admin/groups/person/").content.decode()
    assert "Өзгөртүү үчүн тандаңыз: адам" in changelist
    assert "обекттерин" not in changelist
    assert "Чыпкалоо үчүн жаза баштаңыз" in changelist
    assert "жазып башта" not in changelist


@pytest.mark.parametrize(
    ("language", "search", "yes"), [("ky", "Издөө", "Ооба"), ("ru", "Поиск", "Да")]
)
def test_admin_icons_have_translated_alt_texts(
    client, municipality, clerk, people, language, search, yes
):
    village = municipality.villages.first()
    village.is_centre = True
    village.save()
    client.force_login(clerk)
    villages = client.get(f"/{language}/admin/portal/village/").content.decode()
    assert f'alt="{yes}"' in villages
    assert not re.search(r'alt="(True|False|None)"', villages)
    people_page = client.get(f"/{language}/admin/groups/person/").content.decode()
    assert f'alt="{search}"' in people_page
    assert 'alt="Search"' not in people_page


def test_admin_date_hierarchy_writes_kyrgyz_months(client, clerk, municipality):
    group = InitiativeGroupFactory(municipality=municipality)
    group.activities.create(
        date=datetime.date(2022, 11, 25), kind="meeting", title_ky="Жыйын", title_ru="Собрание"
    )
    client.force_login(clerk)
    content = client.get("/ky/admin/groups/activity/", {"date__year": 2022}).content.decode()
    assert "2022-жылдын ноябры" in content
    assert "Ноябрь 2022" not in content


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("ky", "Демилгелүү топтор · демилгелүү топ: кошуу"),
        ("ru", "Инициативные группы · инициативная группа: добавление"),
    ],
)
def test_role_form_names_permissions_in_the_language(client, db, language, label):
    staff_role, _ = sync_roles()
    client.force_login(SuperuserFactory())  # only a superuser edits roles
    content = client.get(f"/{language}/admin/auth/group/{staff_role.pk}/change/").content.decode()
    assert label in content
    assert "Can add" not in content and "Can view" not in content


def test_user_form_names_permissions_and_fields_in_kyrgyz(client, db):
    superuser = SuperuserFactory()
    client.force_login(superuser)
    content = client.get(f"/ky/admin/auth/user/{superuser.pk}/change/").content.decode()
    assert "Коомдук угуулар жана сунуштар · сунуш же суроо: көрүү" in content
    assert "Can " not in content
    assert "Фамилиясы" in content
    for wrong in ("Атасынын аты", "Жанык", "жанык", "Эдарек", "эдарек", "Тайпалар", "Жеткилер"):
        assert wrong not in content, wrong
    assert "Ролдор" in content


def test_custom_permissions_use_their_translated_names(db, monkeypatch):
    from django.contrib.contenttypes.models import ContentType
    from django.utils.translation import gettext_lazy

    monkeypatch.setattr(
        Person._meta, "permissions", [("export_person", gettext_lazy("Export members (CSV)"))]
    )
    permission = Permission(
        codename="export_person",
        name="Can export people",
        content_type=ContentType.objects.get_for_model(Person),
    )
    with translation.override("ky"):
        assert permission_label(permission) == (
            "Демилгелүү топтор · адам: Мүчөлөрдү жүктөп алуу (CSV)"
        )


def test_login_page_and_errors_are_polite_kyrgyz(client, db):
    content = client.post(
        "/ky/admin/login/", {"username": "nobody", "password": "wrong"}
    ).content.decode()
    assert "Кызматкердин аккаунту үчүн" in content
    for wrong in ("Жанык", "Эдарек", "тер.", "Жөнө", "Сураныч  "):
        assert wrong not in content, wrong


def test_autocomplete_speaks_kyrgyz_and_russian(client, clerk, municipality):
    field = Membership._meta.get_field("person")
    group = InitiativeGroupFactory(municipality=municipality)
    client.force_login(clerk)
    for language in ("ky", "ru"):
        with translation.override(language):
            widget = AutocompleteSelect(field, admin.site)
            assert f"admin/js/vendor/select2/i18n/{language}.js" in str(widget.media)
            assert widget.build_attrs({})["lang"] == language
        source = Path(finders.find(f"admin/js/vendor/select2/i18n/{language}.js")).read_text()
        assert f"select2/i18n/{language}" in source
        # The group form, where staff pick members, loads it too.
        content = client.get(f"/{language}/admin/groups/initiativegroup/{group.pk}/change/")
        assert f"select2/i18n/{language}.js" in content.content.decode()


def test_kyrgyz_select2_messages_are_ours():
    source = Path(finders.find("admin/js/vendor/select2/i18n/ky.js")).read_text()
    for phrase in ("Натыйжа табылган жок", "Жүктөлүүдө…", "Издөө…", "белги жазыңыз"):
        assert phrase in source


def test_admin_javascript_speaks_kyrgyz(client, clerk):
    client.force_login(clerk)
    script = client.get("/ky/admin/jsi18n/").content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});", script, re.S).group(1))
    assert catalogue["Available %s"] == "Тандоого боло турган %s"  # Django's: "%s даана …"
    assert catalogue["Chosen %s"] == "Тандалган %s"
    assert catalogue["%(sel)s of %(cnt)s selected"] == ["%(cnt)s ичинен %(sel)s тандалды"]


# --- Numbers on the groups' admin and pages --------------------------------------


def test_women_share_is_written_with_the_language_s_decimal_comma(client, clerk, municipality):
    group = InitiativeGroupFactory(municipality=municipality)
    for sex in "ffff" + "mmmmmmm":  # 4 of 11: 36.4 %
        MembershipFactory(group=group, person__sex=sex)
    assert InitiativeGroup.objects.with_composition().get().composition.women_share == 36.4
    client.force_login(clerk)
    for language in ("ky", "ru"):
        changelist = client.get(f"/{language}/admin/groups/initiativegroup/").content.decode()
        assert "36,4" in changelist
        assert "36.4" not in changelist
        change = client.get(f"/{language}/admin/groups/initiativegroup/{group.pk}/change/")
        assert "(36,4 %)" in change.content.decode()


def test_group_order_date_stands_where_kyrgyz_needs_no_ending(client, municipality):
    group = InitiativeGroupFactory(
        municipality=municipality, order_number="52", order_date=datetime.date(2021, 8, 30)
    )
    ky = client.get(group.get_absolute_url()).content.decode()
    assert "Айыл өкмөтүнүн тескемеси" in ky and "№52 (2021-жылдын 30-августу)" in ky
    assert "буйру" not in ky
    with translation.override("ru"):
        url = group.get_absolute_url()
    ru = client.get(url).content.decode()
    assert "Распоряжение айыл окмоту" in ru and "№ 52 от 30 августа 2021 г." in ru


def test_the_programme_is_spelled_out_before_its_abbreviation(client, municipality):
    group = InitiativeGroupFactory(municipality=municipality)
    ProposalFactory(
        municipality=municipality, group=group, status=Proposal.Status.ACCEPTED_PROGRAMME
    )
    with translation.override("ru"):
        url = group.get_absolute_url()
    content = client.get(url).content.decode()
    spelled = content.find("ПСЭР — программа социально-экономического развития")
    assert -1 < spelled < content.index("Включено в ПСЭР")


# --- The glossary ---------------------------------------------------------------


def glossary():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Glossary for translators", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] not in ("English", "---"):
            rows[cells[0]] = [
                {form.strip().lower() for form in cell.split(" / ")} for cell in cells[1:]
            ]
    return rows


# Glossary row -> the messages that must use its terms (context, msgid).
GLOSSARY_USE = {
    "ayil okmotu order (formalises a group)": ["Ayil okmotu order", "ayil okmotu order number"],
    "role (an auth group: staff, moderators)": ["group", "groups"],
    "tracking code": ["tracking code", "Tracking code"],
    "track (a proposal)": ["Track a proposal", "Track by code"],
    "received (thank-you message; not a decision)": [
        "Thank you! Your proposal was received. Keep its tracking code: %(code)s"
    ],
    "active (group)": ["Active", "Active groups"],
    "page": ["Page not found"],
    "any, all (filters)": ["Any status", "Any topic", "Any village"],
    "e-mail (one term on every page)": ["E-mail", "E-mail (optional, not published)"],
    "development programme, short (statuses)": ["Accepted into the development programme"],
    "kind of submission (proposal or question)": ["This is a"],
    "civil-society representative": ["Civil-society representative"],
    "last name (users)": ["last name"],
    "total (counters)": ["Total: %(count)s"],
}


def test_glossary_terms_are_the_ones_the_catalogues_use():
    terms = glossary()
    assert set(GLOSSARY_USE) <= set(terms)
    for row, msgids in GLOSSARY_USE.items():
        for language, forms in zip(("ky", "ru"), terms[row], strict=True):
            with translation.override(language):
                for msgid in msgids:
                    text = gettext(msgid).lower()
                    assert any(form in text for form in forms), (language, msgid, text, forms)


@pytest.mark.parametrize(
    ("language", "wrong"),
    [
        ("ky", ["кабыл алынды", "баардык", "активдүү", "буйру", "тайпа", "барак"]),
        ("ru", ["принято", "паджинация", "e-mail"]),
    ],
)
def test_words_the_review_ruled_out_are_gone(language, wrong):
    messages = [
        "Thank you! Your proposal was received. Keep its tracking code: %(code)s",
        "Any status",
        "Active",
        "Active groups",
        "order date",
        "groups",
        "Page not found",
        "Pages",
        "Pagination %(name)s",
        "E-mail (optional, not published)",
    ]
    with translation.override(language):
        texts = [gettext(m).lower() for m in messages]
        texts.append(pgettext("permission", "add"))
    for word in wrong:
        assert not [t for t in texts if word in t], word
