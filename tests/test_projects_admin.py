"""The projects app's admin, as the ayil okmotu's staff use it: a project
typed in with its funding, outputs, milestones and photos on one page, the
list with its sums, the export of the funding, and the photos' checks."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from openpyxl import load_workbook
from PIL import Image

from projects.models import Award, FundingContribution, Project, ProjectPhoto
from tests.factories import (
    BudgetLineFactory,
    FundingContributionFactory,
    InitiativeGroupFactory,
    MunicipalityFactory,
    PriorityFactory,
    ProjectFactory,
    VillageFactory,
)

ADD = "/ky/admin/projects/project/add/"
LIST = "/ky/admin/projects/project/"
MB = 1024 * 1024


@pytest.fixture
def staff_client(client, clerk, municipality):
    client.force_login(clerk)
    return client


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def change_url(project):
    return f"/ky/admin/projects/project/{project.pk}/change/"


def form_data(response):
    """What the change form would send as drawn: the main form's initial
    values, every inline row's and each inline's management form."""
    data = {}
    admin_form = response.context["adminform"].form
    for name, field in admin_form.fields.items():
        value = admin_form.initial.get(name, field.initial)
        if value is None:
            continue
        if isinstance(value, list):
            value = [getattr(v, "pk", v) for v in value]
        data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for form in formset.forms:
            for name in form.fields:
                value = form[name].value()
                if value is True:
                    data[form.add_prefix(name)] = "on"  # a ticked box, as drawn
                elif value is not None and value is not False and value != "":
                    data[form.add_prefix(name)] = value
    return data


def rows(data, prefix, *items):
    """Fill an inline's rows; the formset is told how many there are."""
    initial = int(data[f"{prefix}-INITIAL_FORMS"])
    for offset, item in enumerate(items):
        # Only what the item says: an empty row's defaults (a ticked box) go.
        row = f"{prefix}-{initial + offset}-"
        for key in [key for key in data if key.startswith(row)]:
            del data[key]
        for name, value in item.items():
            data[f"{prefix}-{initial + offset}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(initial + len(items))
    return data


def errors_of(response):
    """Every error on the page: the project's form's and each inline row's, by field."""
    found = dict(response.context["adminform"].form.errors)
    for inline in response.context["inline_admin_formsets"]:
        for index, form in enumerate(inline.formset.forms):
            for field, messages in form.errors.items():
                found[f"{inline.formset.prefix}-{index}-{field}"] = messages
    return found


def new_project(staff_client, municipality, **fields):
    data = form_data(staff_client.get(ADD))
    data.update(
        {
            "title_ky": "Айры-Тамга таза ичүүчү суу",
            "title_ru": "Чистая питьевая вода для Айры-Тама",
            "status": "in_progress",
            "started_on": "2022-05-01",
            "villages": [municipality.villages.get(name_ky="Айры-Там").pk],
            **fields,
        }
    )
    return data


# --- A project typed in with its parts ---------------------------------------


def test_staff_add_a_project_with_its_funding_outputs_and_milestones(staff_client, municipality):
    group = InitiativeGroupFactory(municipality=municipality, name_ky="Айры-Там аялдары")
    page = staff_client.get(ADD)
    assert page.status_code == 200
    data = new_project(staff_client, municipality, households="143", women="109")
    assert data["municipality"] == municipality.pk  # preselected
    rows(data, "group_roles", {"group": group.pk, "role": "participant"})
    rows(
        data,
        "contributions",
        {
            "kind": "local_budget",
            "source_name_ky": "Жергиликтүү бюджет",
            "disclosed": "on",
            "planned": "250000",
            "actual": "240000",
        },
        # The donor's investment, not made public: no amount at all.
        {"kind": "donor", "source_name_ky": "БУУнун БАП", "source_name_ru": "ВПП ООН"},
        {
            "kind": "food",
            "source_name_ky": "Айры-Там аялдары",
            "disclosed": "on",
            "description_ky": "Жумушчулар үчүн тамак",
            "estimated_value": "30000",
        },
    )
    rows(
        data,
        "outputs",
        {"quantity": "4.5", "unit_ky": "км", "unit_ru": "км", "description_ky": "суу түтүгү"},
    )
    rows(
        data,
        "milestones",
        {"date": "2022-09-01", "description_ky": "Түтүк төшөлдү", "progress": "60"},
    )
    response = staff_client.post(ADD, data)
    assert response.status_code == 302, errors_of(response)
    project = Project.objects.with_funding().get(municipality=municipality)
    assert project.slug  # made from the Kyrgyz title
    assert list(project.villages.values_list("name_ky", flat=True)) == ["Айры-Там"]
    assert (project.households, project.women, project.men) == (143, 109, None)
    assert project.group_roles.get().group == group
    donor = project.contributions.get(kind="donor")
    assert (donor.disclosed, donor.planned, donor.actual, donor.amount) == (
        False,
        None,
        None,
        None,
    )
    # The actual local money and the food's estimate; the donor's counted apart.
    assert project.funding_known == Decimal("270000")
    assert project.funding_undisclosed == 1
    assert str(project.outputs.get()) == "4.50 км суу түтүгү"
    assert project.milestones.get().progress == 60


def test_negative_amounts_and_counts_are_refused_next_to_their_fields(staff_client, municipality):
    data = new_project(staff_client, municipality, households="-3")
    rows(
        data,
        "contributions",
        {"kind": "residents", "source_name_ky": "Ата-энелер", "disclosed": "on", "planned": "-5"},
    )
    rows(data, "outputs", {"quantity": "-1", "unit_ky": "м", "description_ky": "дамба"})
    rows(data, "milestones", {"date": "2022-09-01", "description_ky": "Иш", "progress": "120"})
    response = staff_client.post(ADD, data)
    assert response.status_code == 200
    errors = errors_of(response)
    assert {"households", "contributions-0-planned", "outputs-0-quantity"} <= set(errors)
    assert errors["contributions-0-planned"] == [gettext("A figure cannot be negative.")]
    assert errors["outputs-0-quantity"] == [gettext("A figure cannot be negative.")]
    assert errors["milestones-0-progress"] == [gettext("Progress is between 0 and 100 %.")]
    assert gettext("A figure cannot be negative.") in response.text
    assert not Project.objects.exists()


def test_an_undisclosed_contribution_cannot_carry_an_amount(staff_client, municipality):
    data = new_project(staff_client, municipality)
    rows(
        data,
        "contributions",
        # "disclosed" left unticked, yet an amount typed in.
        {"kind": "donor", "source_name_ky": "ВПП", "actual": "1000000"},
        # A description in kind on money from the budget.
        {
            "kind": "local_budget",
            "source_name_ky": "Бюджет",
            "disclosed": "on",
            "planned": "5000",
            "description_ky": "Техника",
        },
    )
    response = staff_client.post(ADD, data)
    assert response.status_code == 200
    errors = errors_of(response)
    assert set(errors) == {"contributions-0-actual", "contributions-1-description_ky"}
    assert errors["contributions-0-actual"] == [
        gettext(
            "The amount is marked as not disclosed: leave it empty, or tick “amount disclosed”."
        )
    ]
    assert not FundingContribution.objects.exists()


def test_the_form_offers_only_this_municipalitys_villages_groups_and_targets(
    staff_client, municipality
):
    other = MunicipalityFactory(name_ky="Багыш")
    theirs = [
        VillageFactory(municipality=other, name_ky="Бөтөн-Айыл"),
        InitiativeGroupFactory(municipality=other, name_ky="Бөтөн топ"),
        PriorityFactory(programme__municipality=other, title_ky="Бөтөн артыкчылык"),
        BudgetLineFactory(budget__municipality=other, name_ky="Бөтөн сап"),
    ]
    ours = [
        InitiativeGroupFactory(municipality=municipality, name_ky="Биздин топ"),
        PriorityFactory(programme__municipality=municipality, title_ky="Биздин артыкчылык"),
        BudgetLineFactory(budget__municipality=municipality, name_ky="Биздин сап"),
    ]
    page = staff_client.get(ADD).text
    for row in ours:
        assert str(row) in page
    for row in theirs:
        assert str(row) not in page
    # Posted anyway: refused.
    data = new_project(staff_client, municipality, villages=[theirs[0].pk])
    data["priority"] = theirs[2].pk
    response = staff_client.post(ADD, data)
    assert {"villages", "priority"} <= set(errors_of(response))
    assert not Project.objects.exists()


@pytest.mark.parametrize("parts", [3, 30])
def test_a_projects_page_keeps_its_query_budget(
    staff_client, municipality, django_assert_max_num_queries, parts
):
    project = ProjectFactory(municipality=municipality)
    for i in range(parts):
        group = InitiativeGroupFactory(municipality=municipality)
        project.group_roles.create(group=group, role="participant")
        FundingContributionFactory(project=project, source_name_ky=f"Булак {i}")
        project.outputs.create(quantity=i, unit_ky="м", description_ky="дамба")
        project.milestones.create(date="2023-05-01", description_ky=f"Кадам {i}")
    with django_assert_max_num_queries(21):
        response = staff_client.get(change_url(project))
    assert response.text.count('name="contributions-') > parts


# --- The list ----------------------------------------------------------------


def funded(municipality, n):
    for i in range(n):
        project = ProjectFactory(municipality=municipality, title_ky=f"Долбоор {i}")
        project.villages.set(municipality.villages.all())
        FundingContributionFactory(project=project, planned=100_000)
        FundingContributionFactory(
            project=project, kind="donor", disclosed=False, planned=None, source_name_ky="ВПП"
        )


@pytest.mark.parametrize("projects", [3, 30])
def test_the_list_keeps_its_query_budget(
    staff_client, municipality, django_assert_max_num_queries, projects
):
    funded(municipality, projects)
    with django_assert_max_num_queries(11):
        response = staff_client.get(LIST)
    assert len(response.context["cl"].result_list) == projects
    with django_assert_max_num_queries(11):
        response = staff_client.get(LIST, {"source": "donor", "year": "2023"})
    assert len(response.context["cl"].result_list) == projects


def test_the_list_sums_each_projects_funding_once_whatever_the_filter(staff_client, municipality):
    project = ProjectFactory(municipality=municipality)
    project.villages.set(municipality.villages.all())
    FundingContributionFactory(project=project, kind="residents", planned=50_000)
    FundingContributionFactory(project=project, kind="residents", planned=20_000)
    FundingContributionFactory(project=project, kind="local_budget", planned=250_000)
    FundingContributionFactory(project=project, kind="donor", disclosed=False, planned=None)
    village = municipality.villages.first()
    for query in ({}, {"source": "residents"}, {"villages__id__exact": village.pk}):
        response = staff_client.get(LIST, query)
        [row] = response.context["cl"].result_list
        assert (row.funding_known, row.funding_undisclosed) == (320_000, 1), query
    assert "320\xa0000" in response.text
    note = ngettext(
        "and %(count)d amount not disclosed", "and %(count)d amounts not disclosed", 1
    ) % {"count": 1}
    assert note in response.text
    assert "0,28" in response.text  # 70 000 from others per 250 000 of the budget
    response = staff_client.get(LIST, {"source": "prize"})
    assert list(response.context["cl"].result_list) == []


def test_another_municipalitys_projects_are_not_there_for_staff(
    staff_client, municipality, settings
):
    ours = ProjectFactory(municipality=municipality, title_ky="Биздин долбоор")
    theirs = ProjectFactory(municipality=MunicipalityFactory(), title_ky="Бөтөн долбоор")
    response = staff_client.get(LIST)
    assert [row.pk for row in response.context["cl"].result_list] == [ours.pk]
    assert "Бөтөн долбоор" not in response.text
    # Its page is not found: Django sends staff back to the index, with a note.
    response = staff_client.get(change_url(theirs))
    assert (response.status_code, response["Location"]) == (302, "/ky/admin/")
    export = staff_client.get(reverse("admin:projects_project_export_csv"))
    assert "Бөтөн долбоор" not in export.content.decode("utf-8-sig")


def test_moderators_are_refused_the_projects(client, moderator, municipality):
    project = ProjectFactory(municipality=municipality)
    client.force_login(moderator)
    for url in (
        LIST,
        ADD,
        change_url(project),
        reverse("admin:projects_project_export_csv"),
        reverse("admin:projects_project_export_xlsx"),
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(
        LIST, {"action": "export_csv", "index": "0", "_selected_action": [project.pk]}
    )
    assert response.status_code == 403


# --- The export -------------------------------------------------------------


@pytest.fixture
def water(municipality):
    project = ProjectFactory(
        municipality=municipality,
        title_ky="Айры-Тамга таза ичүүчү суу",
        status="completed",
        ended_on="2023-10-15",
    )
    FundingContributionFactory(
        project=project,
        kind="donor",
        source_name_ky="БУУнун БАП",
        disclosed=False,
        planned=None,
    )
    FundingContributionFactory(
        project=project,
        kind="food",
        source_name_ky="Айры-Там аялдары",
        planned=None,
        description_ky="Жумушчулар үчүн тамак",
    )
    FundingContributionFactory(project=project, planned=80_000, actual=75_000)
    return project


def test_the_csv_export_writes_a_row_a_contribution_and_never_0_for_undisclosed(
    staff_client, municipality, water
):
    ProjectFactory(municipality=municipality, title_ky="Жаңы долбоор", started_on=None)
    response = staff_client.post(
        LIST,
        {
            "action": "export_csv",
            "index": "0",
            "_selected_action": list(Project.objects.values_list("pk", flat=True)),
        },
    )
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, *lines = table
    assert header[:6] == [
        gettext("Project"),
        gettext("Status"),
        gettext("Start year"),
        gettext("End year"),
        gettext("Source"),
        gettext("Who gave it"),
    ]
    by_source = {line[5]: line for line in lines if line[0] == water.title_ky}
    donor = by_source["БУУнун БАП"]
    assert donor[:5] == [
        water.title_ky,
        gettext("Completed"),
        "2023",
        "2023",
        gettext("International donor"),
    ]
    assert donor[6:8] == [gettext("not disclosed")] * 2
    assert by_source["Айры-Там аялдары"][6:10] == ["", "", "Жумушчулар үчүн тамак", ""]
    assert by_source["Жергиликтүү бюджет"][6:8] == ["80000.00", "75000.00"]
    assert "0" not in donor and "0.00" not in donor
    # A project without funding yet is listed too.
    assert ["Жаңы долбоор", gettext("In progress"), "", ""] in [line[:4] for line in lines]
    assert len(lines) == 4


def test_the_excel_export_follows_the_lists_filters(staff_client, municipality, water):
    other = ProjectFactory(municipality=municipality, title_ky="Жол")
    FundingContributionFactory(project=other, kind="local_budget", planned=10_000)
    response = staff_client.get(reverse("admin:projects_project_export_xlsx"), {"source": "food"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert {row[0] for row in values} == {water.title_ky}
    donor = next(row for row in values if row[5] == "БУУнун БАП")
    assert donor[6:8] == [gettext("not disclosed")] * 2
    local = next(row for row in values if row[5] == "Жергиликтүү бюджет")
    assert local[6:8] == [80_000, 75_000]  # numbers Excel can sum
    # The list's page offers the buttons with its filters.
    page = staff_client.get(LIST, {"source": "food"}).text
    assert f"{reverse('admin:projects_project_export_xlsx')}?source=food" in page


# --- Photos -------------------------------------------------------------------


def image_file(size=(800, 600), kind="JPEG", name="photo.jpg", exif=None):
    content = io.BytesIO()
    image = Image.new("RGB", size, (30, 120, 200))
    options = {"exif": exif} if exif is not None else {}
    image.save(content, kind, **options)
    return SimpleUploadedFile(name, content.getvalue())


def post_photo(staff_client, project, file, **fields):
    page = staff_client.get(change_url(project))
    data = rows(
        form_data(page),
        "photos",
        {"image": file, "alt_ky": "Жаңы суу түтүгү", "order": "0", **fields},
    )
    return staff_client.post(change_url(project), data)


def test_a_big_photo_is_stored_for_the_web(staff_client, municipality, media):
    project = ProjectFactory(municipality=municipality)
    exif = Image.Exif()
    exif[0x0112] = 6  # the camera was held upright: turn the picture a quarter
    exif[0x010F] = "PhoneMaker"
    response = post_photo(staff_client, project, image_file((4000, 3000), exif=exif))
    assert response.status_code == 302, errors_of(response)
    photo = project.photos.get()
    assert photo.image.name.startswith("photos/") and photo.image.name.endswith(".jpg")
    with Image.open(photo.image.path) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (1200, 1600)  # upright, 1600 px on its longest side
        assert not stored.getexif()


def test_a_png_with_transparency_is_stored_as_a_jpeg(staff_client, municipality, media):
    project = ProjectFactory(municipality=municipality)
    content = io.BytesIO()
    Image.new("RGBA", (300, 200), (0, 0, 0, 0)).save(content, "PNG")
    file = SimpleUploadedFile("plan.png", content.getvalue())
    response = post_photo(staff_client, project, file, alt_ky="", alt_ru="План")
    assert response.status_code == 302, errors_of(response)
    photo = project.photos.get()
    assert photo.alt_ru == "План"
    with Image.open(photo.image.path) as stored:
        assert (stored.format, stored.size) == ("JPEG", (300, 200))


@pytest.mark.parametrize(
    "file",
    [
        SimpleUploadedFile("photo.jpg", b"<html>not a photo</html>"),
        SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 2000),
    ],
    ids=["text", "broken-jpeg"],
)
def test_a_file_that_is_no_image_is_refused(staff_client, municipality, media, file):
    project = ProjectFactory(municipality=municipality)
    response = post_photo(staff_client, project, file)
    assert response.status_code == 200
    assert set(errors_of(response)) == {"photos-0-image"}
    assert not ProjectPhoto.objects.exists()
    assert not list(media.rglob("*.*"))


def test_a_gif_is_refused(staff_client, municipality, media):
    project = ProjectFactory(municipality=municipality)
    response = post_photo(staff_client, project, image_file(kind="GIF", name="photo.jpg"))
    assert errors_of(response)["photos-0-image"] == [
        gettext("Upload a photo as a JPEG, PNG or WebP image.")
    ]


def test_an_oversized_file_is_refused(staff_client, municipality, media):
    project = ProjectFactory(municipality=municipality)
    photo = image_file((200, 200)).read()
    # A real JPEG with 10 MB of padding after its end.
    file = SimpleUploadedFile("big.jpg", photo + b"\0" * (10 * MB))
    response = post_photo(staff_client, project, file)
    assert response.status_code == 200
    [message] = errors_of(response)["photos-0-image"]
    assert "10,0" in message or "10.0" in message
    assert not ProjectPhoto.objects.exists()


def test_a_photo_needs_its_alt_text_in_one_language(staff_client, municipality, media):
    project = ProjectFactory(municipality=municipality)
    response = post_photo(staff_client, project, image_file(), alt_ky="", alt_ru="")
    assert set(errors_of(response)) == {"photos-0-alt_ky"}
    assert not ProjectPhoto.objects.exists()


# --- Awards -------------------------------------------------------------------


def test_staff_record_an_award_and_its_place_starts_at_1(staff_client, municipality):
    project = ProjectFactory(municipality=municipality)
    add = "/ky/admin/projects/award/add/"
    page = staff_client.get(add)
    assert page.status_code == 200
    data = {
        "municipality": municipality.pk,
        "competition_ky": "Жергиликтүү демилгелер",
        "year": "2014",
        "place": "0",
        "initiative_ky": "Таза суунун башаты таза болсун",
        "prize_amount": "100000",
        "purchase_ky": "Бала бакчага эмерек",
        "project": project.pk,
    }
    response = staff_client.post(add, data)
    assert response.context["adminform"].form.errors == {"place": [gettext("A place starts at 1.")]}
    assert staff_client.post(add, {**data, "place": "1"}).status_code == 302
    award = Award.objects.get()
    assert (award.place, award.prize_amount, award.project) == (1, 100_000, project)
    response = staff_client.get("/ky/admin/projects/award/", {"year": "2014"})
    assert [row.pk for row in response.context["cl"].result_list] == [award.pk]


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_a_project_entered_in_the_admin_shows_at_once_on_the_cached_public_pages(
    staff_client, municipality, language
):
    """The projects list, its totals and a project's page are kept in the
    cache (portal/facts.py): what staff type on the add page, with its
    funding and output rows, shows on the very next visit, and so does a
    changed amount."""
    staff_client.get(f"/{language}/projects/")  # the municipality's facts are cached
    add = ADD.replace("/ky/", f"/{language}/")
    data = new_project(staff_client, municipality)
    rows(
        data,
        "contributions",
        {
            "kind": "local_budget",
            "source_name_ky": "Жергиликтүү бюджет",
            "disclosed": "on",
            "planned": "250000",
        },
    )
    rows(data, "outputs", {"quantity": "4.5", "unit_ky": "км", "description_ky": "суу түтүгү"})
    response = staff_client.post(add, data)
    assert response.status_code == 302, errors_of(response)
    project = Project.objects.get(municipality=municipality)
    listed = staff_client.get(f"/{language}/projects/")
    assert listed.context["totals"]["known"] == Decimal("250000")
    assert project.get_absolute_url().replace("/ky/", f"/{language}/") in listed.content.decode()
    url = f"/{language}/projects/{project.slug}/"
    page = staff_client.get(url)
    assert page.context["project"].funding_known == Decimal("250000")
    assert "суу түтүгү" in page.content.decode()

    # The change page, its funding row's amount changed.
    change = change_url(project).replace("/ky/", f"/{language}/")
    data = form_data(staff_client.get(change))
    data["contributions-0-planned"] = "300000"
    response = staff_client.post(change, data)
    assert response.status_code == 302, errors_of(response)
    assert staff_client.get(url).context["project"].funding_known == Decimal("300000")
    assert staff_client.get(f"/{language}/projects/").context["totals"]["known"] == Decimal(
        "300000"
    )
