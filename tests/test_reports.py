"""The council's PDF reports, read back: figures, languages, fonts, privacy."""

import io

import pytest
from pypdf import PdfReader

from groups.models import Person
from hearings.models import Hearing, Proposal
from tests.factories import HearingFactory, ProposalFactory


def pdf_text(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def squash(text):
    return " ".join(text.split())


@pytest.fixture
def demo(demo):  # conftest's: the demo, loaded once per session
    programme = Hearing.objects.get(kind="programme")
    budget = Hearing.objects.get(kind="budget", status="published")
    return programme, budget


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_the_protocols_hold_the_seed_figures(client, demo, language):
    programme, budget = demo
    _reader, text = pdf_text(client.get(f"/{language}/hearings/{programme.pk}/protocol.pdf"))
    text = squash(text)
    for figure in ("83", "31", "23", "11", "8"):
        assert f" {figure}" in text
    _reader, text = pdf_text(client.get(f"/{language}/hearings/{budget.pk}/protocol.pdf"))
    text = squash(text)
    for figure in ("135", "57 (42,2 %)", "78", "25", "11", "7"):
        assert figure in text
    assert "өкмөтү" in text  # the letterhead's Kyrgyz letters survive
    if language == "ru":
        assert "Протокол общественных слушаний" in text and "Страница 1 из " in text
    else:
        assert "Коомдук угуунун протоколу" in text


def test_the_protocol_counts_what_the_summary_says(client, demo):
    programme, _budget = demo
    _reader, text = pdf_text(client.get(f"/ky/hearings/{programme.pk}/protocol.pdf"))
    summary = squash(text.split("Жыйынтык")[-1])
    assert "Түшкөн сунуштар жана суроолор 23" in summary
    assert "анын ичинен демилгелүү топтордон 11" in summary
    assert "Кабыл алынды 8" in summary


def test_fonts_are_embedded_and_the_file_is_tagged(client, demo):
    programme, _budget = demo
    reader, _text = pdf_text(client.get(f"/ru/hearings/{programme.pk}/protocol.pdf"))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor, font["/BaseFont"]
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert fonts == {"Report-Sans", "Report-Sans-Bold"}
    assert reader.metadata.title.startswith("Протокол общественных слушаний")
    assert reader.metadata.author == "Айыл окмоту Биринчи Май"
    assert reader.trailer["/Root"]["/Lang"] == "ru"
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def test_an_unpublished_hearing_has_no_public_protocol(client, municipality, clerk):
    hearing = HearingFactory(municipality=municipality, status="held")
    assert client.get(f"/ky/hearings/{hearing.pk}/protocol.pdf").status_code == 404
    client.force_login(clerk)
    staff_copy = client.get(f"/ky/admin/hearings/hearing/{hearing.pk}/protocol/")
    assert staff_copy.status_code == 200
    change_page = client.get(f"/ky/admin/hearings/hearing/{hearing.pk}/change/").content.decode()
    assert f"/ky/admin/hearings/hearing/{hearing.pk}/protocol/" in change_page


def test_no_private_value_appears_in_any_report(client, demo, clerk):
    programme, budget = demo
    for proposal in Proposal.objects.all()[:5]:
        proposal.author_phone = "0555 123 456"
        proposal.author_email = "secret@example.kg"
        proposal.author_name = "Жашыруун Автор"
        proposal.show_author_name = False
        proposal.save()
    secrets = {"0555 123 456", "secret@example.kg", "Жашыруун Автор"}
    for person in Person.objects.exclude(phone="")[:20]:
        secrets.add(person.phone)
    secrets |= {p.notes for p in Person.objects.exclude(notes="")[:20]}
    client.force_login(clerk)
    period = "date_from=2014-01-01&date_to=2030-12-31"
    urls = [
        f"/ky/hearings/{programme.pk}/protocol.pdf",
        f"/ru/hearings/{budget.pk}/protocol.pdf",
        "/ky/proposals/register.pdf",
        f"/ky/admin/reports/register.pdf?{period}",
        f"/ky/admin/reports/groups.pdf?{period}",
        f"/ru/admin/reports/session.pdf?{period}",
    ]
    for url in urls:
        _reader, text = pdf_text(client.get(url))
        text = squash(text)
        for secret in secrets:
            assert secret not in text, (url, secret)


def test_an_empty_period_says_so(client, municipality, clerk):
    client.force_login(clerk)
    _reader, text = pdf_text(
        client.get("/ky/admin/reports/session.pdf?date_from=1990-01-01&date_to=1990-12-31")
    )
    assert "Бул мезгилде коомдук угуу өткөн жок." in squash(text)
    assert "01.01.1990 – 31.12.1990" in squash(text)


def test_a_bad_period_gets_a_message(client, municipality, clerk):
    client.force_login(clerk)
    response = client.get("/ky/admin/reports/groups.pdf?date_from=2024-12-31&date_to=2024-01-01")
    assert response.status_code == 400
    assert "date_to" in response.context["form"].errors


def test_the_register_prints_the_lists_rows(client, demo):
    listed = client.get("/ru/proposals/?status=rejected")
    codes = [p.display_code for p in listed.context["page"]]
    assert codes
    _reader, text = pdf_text(client.get("/ru/proposals/register.pdf?status=rejected"))
    text = squash(text)
    assert all(code in text for code in codes)
    other = Proposal.objects.public().exclude(status="rejected").first()
    assert other.display_code not in text


def test_moderators_get_no_reports(client, municipality, moderator):
    client.force_login(moderator)
    assert client.get("/ky/admin/reports/").status_code == 403
    assert client.get("/ky/admin/reports/groups.pdf").status_code == 403


@pytest.mark.parametrize("items", [3, 40])
def test_the_protocols_queries_do_not_grow(
    client, municipality, items, django_assert_max_num_queries
):
    hearing = HearingFactory(municipality=municipality, attendance_total=50)
    for number in range(1, items + 1):
        ProposalFactory(
            municipality=municipality, hearing=hearing, origin="hearing", protocol_number=number
        )
    with django_assert_max_num_queries(5):
        pdf_text(client.get(f"/ky/hearings/{hearing.pk}/protocol.pdf"))


@pytest.mark.parametrize("size", [2, 12])
def test_the_period_reports_queries_do_not_grow(
    client, municipality, clerk, size, django_assert_max_num_queries
):
    import datetime

    from tests.factories import ActivityFactory, InitiativeGroupFactory, MembershipFactory

    for group in InitiativeGroupFactory.create_batch(size, municipality=municipality):
        MembershipFactory.create_batch(3, group=group)
        ActivityFactory(group=group, date=datetime.date(2024, 5, 1))
    for hearing in HearingFactory.create_batch(
        size,
        municipality=municipality,
        starts_at=datetime.datetime(2024, 3, 1, 10, tzinfo=datetime.UTC),
    ):
        ProposalFactory(municipality=municipality, hearing=hearing, origin="hearing")
    client.force_login(clerk)
    period = "date_from=2024-01-01&date_to=2024-12-31"
    for report in ("groups", "session", "register"):
        with django_assert_max_num_queries(16):
            pdf_text(client.get(f"/ky/admin/reports/{report}.pdf?{period}"))


def test_a_report_is_laid_out_once_until_its_data_changes(client, demo, clerk, monkeypatch):
    import weasyprint

    from hearings import services

    programme, _budget = demo
    url = f"/ru/hearings/{programme.pk}/protocol.pdf"

    laid_out = []
    real = weasyprint.HTML.write_pdf
    monkeypatch.setattr(
        weasyprint.HTML, "write_pdf", lambda self, **kw: laid_out.append(1) or real(self, **kw)
    )
    first = client.get(url)
    assert client.get(url).content == first.content
    assert len(laid_out) == 1
    # The Kyrgyz protocol is another report.
    client.get(url.replace("/ru/", "/ky/"))
    assert len(laid_out) == 2
    # A corrected decision shows at once.
    item = programme.proposals.filter(status=Proposal.Status.REJECTED).first()
    services.correct_decision(
        item,
        kind=item.kind,
        status=Proposal.Status.DEFERRED,
        reason="Пересмотрено на сессии",
        by=clerk,
    )
    _reader, before = pdf_text(first)
    _reader, after = pdf_text(client.get(url))
    assert len(laid_out) == 3
    assert "Пересмотрено на сессии" not in before
    assert squash(after) != squash(before)


@pytest.mark.parametrize(
    ("language", "spelled_out", "short"),
    [
        ("ru", "ПСЭР — программа социально-экономического развития", "Включено в ПСЭР"),
        ("ky", "СЭӨП – айыл аймагынын социалдык-экономикалык", "Программага киргизилди"),
    ],
)
def test_the_register_spells_out_the_programme_before_it_abbreviates(
    client, demo, language, spelled_out, short
):
    url = f"/{language}/proposals/register.pdf?status=accepted_programme"
    _reader, text = pdf_text(client.get(url))
    text = squash(text)
    assert spelled_out in text
    assert text.index(spelled_out) < text.index(short)
