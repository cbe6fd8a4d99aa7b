"""Staff enter a hearing from its paper protocol in one pass, and decide it in one more.

Each test here stands for a defect found when a new staff member typed in a
real protocol; it fails without its fix.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hearings import services
from hearings.models import Hearing, HearingEvent, Proposal, ProposalEvent
from tests.factories import (
    BudgetLineFactory,
    HearingFactory,
    InitiativeGroupFactory,
    MunicipalityFactory,
    ProposalFactory,
    VillageFactory,
)

S = Proposal.Status
TZ = datetime.timezone(datetime.timedelta(hours=6))  # Asia/Bishkek, no DST
HEARING_AT = datetime.datetime(2022, 11, 25, 14, 0, tzinfo=TZ)
ADD_URL = "/ky/admin/hearings/hearing/add/"


def change_url(hearing):
    return f"/ky/admin/hearings/hearing/{hearing.pk}/change/"


def hearing_form(municipality, items=(), **fields):
    """What the hearing's admin page posts: the hearing, then its item rows."""
    data = {
        "municipality": municipality.pk,
        "kind": "budget",
        "status": "held",
        "title_ky": "2023-жылдын бюджети боюнча угуу",
        "title_ru": "Слушания по бюджету на 2023 год",
        "starts_at_0": "2022-11-25",
        "starts_at_1": "14:00",
        "attendance_total": "135",
        "attendance_women": "57",
        "attendance_men": "78",
        "attendance_groups": "25",
        "proposals-TOTAL_FORMS": str(len(items)),
        "proposals-INITIAL_FORMS": "0",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
        **fields,
    }
    for i, item in enumerate(items):
        if "id" in item:
            data["proposals-INITIAL_FORMS"] = str(int(data["proposals-INITIAL_FORMS"]) + 1)
        for name, value in item.items():
            data[f"proposals-{i}-{name}"] = value
    return data


def existing_rows(hearing, per_row=None):
    """Rows for the hearing's items as the change page shows them, in protocol order."""
    rows = []
    for proposal in hearing.proposals.order_by("protocol_number", "pk"):
        rows.append(
            {
                "id": proposal.pk,
                "hearing": hearing.pk,
                "protocol_number": proposal.protocol_number or "",
                "kind": proposal.kind,
                "topic": proposal.topic,
                "text_ky": proposal.text_ky,
                "text_ru": proposal.text_ru,
                **(per_row or {}).get(proposal.protocol_number, {}),
            }
        )
    return rows


def saved(response):
    """The admin redirects after a save; otherwise show what it complained about."""
    if response.status_code == 302:
        return True
    context = response.context
    errors = [context["adminform"].form.errors]
    for formset in context["inline_admin_formsets"]:
        errors += [formset.formset.non_form_errors()] + [f.errors for f in formset.formset]
    raise AssertionError(errors)


def row_errors(response, index):
    formset = response.context["inline_admin_formsets"][0].formset
    return formset.forms[index].errors


PROTOCOL = [
    {"kind": "proposal", "topic": "culture", "text_ky": "Китепканаларга жаңы китептерди алуу."},
    {"kind": "proposal", "topic": "water", "text_ky": "Ичүүчү суу ташыган унаа сатып алуу."},
    {"kind": "question", "topic": "transport", "text_ru": "Когда появится школьный автобус?"},
    {"kind": "proposal", "topic": "roads", "text_ky": "Ажекке баруучу жолду шагылдоо."},
    {"kind": "question", "topic": "other", "text_ky": "Бюджет качан бекитилет?"},
]


@pytest.fixture
def group(municipality):
    return InitiativeGroupFactory(municipality=municipality, name_ky="Ажек – коопсуз айыл")


def protocol_rows(municipality, group):
    rows = [dict(row) for row in PROTOCOL]
    rows[0].update(village=municipality.villages.get(name_ky="Ажек").pk, group=group.pk)
    return rows


# --- 1. The obvious path: a new hearing with its items, saved once --------


def test_a_new_hearing_saves_with_its_items_in_one_submission(client, municipality, group, clerk):
    client.force_login(clerk)
    response = client.post(ADD_URL, hearing_form(municipality, protocol_rows(municipality, group)))
    assert saved(response)
    hearing = Hearing.objects.get()
    items = list(hearing.proposals.order_by("protocol_number"))
    assert [p.protocol_number for p in items] == [1, 2, 3, 4, 5]
    assert [p.kind for p in items] == [row["kind"] for row in PROTOCOL]
    assert items[0].group == group and items[0].village.name_ky == "Ажек"
    assert all(p.status == S.RECEIVED and p.origin == "hearing" for p in items)
    assert all(p.municipality == municipality and p.tracking_code for p in items)
    assert all(p.events.get().by == clerk for p in items)
    assert hearing.status == Hearing.Status.HELD


def test_an_item_error_stands_next_to_its_field_and_nothing_is_saved(client, municipality, clerk):
    client.force_login(clerk)
    other_village = VillageFactory(municipality=MunicipalityFactory())
    rows = [
        {"kind": "proposal", "text_ky": "Темасы жок сунуш."},  # no topic
        {"kind": "proposal", "topic": "water"},  # no text
        {"kind": "proposal", "topic": "water", "text_ky": "Сунуш.", "village": other_village.pk},
    ]
    response = client.post(ADD_URL, hearing_form(municipality, rows))
    assert response.status_code == 200
    assert set(row_errors(response, 0)) == {"topic"}
    assert set(row_errors(response, 1)) == {"text_ky"}
    assert set(row_errors(response, 2)) == {"village"}
    content = response.content.decode()
    # Next to the fields, in the admin's language; none on the hidden hearing field.
    assert "hearing" not in row_errors(response, 0)
    assert content.count('class="errorlist') >= 3
    assert not Hearing.objects.exists() and not Proposal.objects.exists()


def test_the_kind_is_chosen_never_assumed(client, municipality, clerk):
    client.force_login(clerk)
    page = client.get(ADD_URL).content.decode()
    assert '<option value="proposal" selected' not in page
    rows = [{"topic": "water", "text_ky": "Суу керек."}]
    response = client.post(ADD_URL, hearing_form(municipality, rows))
    assert set(row_errors(response, 0)) == {"kind"}


def test_the_only_municipality_is_preselected(client, municipality, clerk):
    client.force_login(clerk)
    page = client.get(ADD_URL).content.decode()
    assert f'<option value="{municipality.pk}" selected>' in page


# --- 2. Dates -------------------------------------------------------------


def test_items_take_the_hearings_date_as_received(client, municipality, group, clerk):
    client.force_login(clerk)
    rows = protocol_rows(municipality, group)
    rows[1]["received_on"] = "2022-11-20"  # handed in on paper before the hearing
    assert saved(client.post(ADD_URL, hearing_form(municipality, rows)))
    first, second = Hearing.objects.get().proposals.order_by("protocol_number")[:2]
    assert first.submitted_at == HEARING_AT
    assert first.events.get().at == HEARING_AT  # the public timeline's date
    assert timezone.localdate(second.submitted_at) == datetime.date(2022, 11, 20)
    page = client.get(first.get_absolute_url()).content.decode()
    assert "2022-жылдын 25-ноябры" in page
    export = client.post(
        "/ky/admin/hearings/proposal/",
        {"action": "export_csv", "_selected_action": [first.pk]},
    ).content.decode("utf-8-sig")
    assert "2022-11-25 14:00" in export


def test_a_letter_takes_the_date_staff_enter(client, municipality, clerk):
    client.force_login(clerk)
    response = client.post(
        "/ky/admin/hearings/proposal/add/",
        {
            "municipality": municipality.pk,
            "kind": "proposal",
            "topic": "roads",
            "text_ky": "Көчөгө жарык орнотуу керек.",
            "origin": "paper",
            "received_on": "2023-03-02",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    letter = Proposal.objects.get()
    assert timezone.localdate(letter.submitted_at) == datetime.date(2023, 3, 2)
    assert timezone.localdate(letter.events.get().at) == datetime.date(2023, 3, 2)


def test_no_date_in_the_future(client, municipality, clerk):
    client.force_login(clerk)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    rows = [{**PROTOCOL[0], "received_on": tomorrow}]
    response = client.post(ADD_URL, hearing_form(municipality, rows))
    assert set(row_errors(response, 0)) == {"received_on"}
    line = BudgetLineFactory(budget__municipality=municipality)
    rows = [
        {
            **PROTOCOL[0],
            "new_status": S.ACCEPTED_BUDGET,
            "decision_budget_line": line.pk,
            "decision_date": "2022-11-01",
        }
    ]
    response = client.post(ADD_URL, hearing_form(municipality, rows))
    assert set(row_errors(response, 0)) == {"decision_date"}  # before it was received
    assert not Hearing.objects.exists()


# --- 3. Impossible states -------------------------------------------------


@pytest.mark.parametrize("status", ["held", "published"])
def test_a_hearing_cannot_be_held_before_its_date(client, municipality, clerk, status):
    client.force_login(clerk)
    later = timezone.localtime() + datetime.timedelta(days=30)
    data = hearing_form(
        municipality, status=status, starts_at_0=later.date().isoformat(), starts_at_1="10:00"
    )
    response = client.post(ADD_URL, data)
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    assert not Hearing.objects.exists()
    hearing = HearingFactory(
        municipality=municipality,
        status="announced",
        starts_at=timezone.now() + datetime.timedelta(days=30),
    )
    with pytest.raises(ValidationError):
        services.set_hearing_status(hearing, status, by=clerk)
    hearing.refresh_from_db()
    assert hearing.status == "announced"


def test_results_need_the_attendance(client, municipality, clerk):
    client.force_login(clerk)
    data = hearing_form(municipality, status="published", attendance_total="")
    data.update(attendance_women="", attendance_men="", attendance_groups="")
    response = client.post(ADD_URL, data)
    assert "attendance_total" in response.context["adminform"].form.errors
    assert not Hearing.objects.exists()


def test_results_need_every_item_decided(client, municipality, group, clerk):
    client.force_login(clerk)
    assert saved(
        client.post(ADD_URL, hearing_form(municipality, protocol_rows(municipality, group)))
    )
    hearing = Hearing.objects.get()
    line = BudgetLineFactory(budget__municipality=municipality)
    decided = {
        1: {"new_status": S.ACCEPTED_BUDGET, "decision_budget_line": line.pk},
        2: {"new_status": S.DEFERRED},
    }
    data = hearing_form(municipality, existing_rows(hearing, decided), status="published")
    response = client.post(change_url(hearing), data)
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.non_form_errors()
    assert [set(f.errors) for f in formset.forms[:2]] == [set(), set()]
    assert [bool(f.errors.get("new_status")) for f in formset.forms] == [
        False,
        False,
        True,
        True,
        True,
    ]
    hearing.refresh_from_db()
    assert hearing.status == "held"
    assert not hearing.proposals.exclude(status=S.RECEIVED).exists()  # nothing half-saved
    with pytest.raises(ValidationError):
        services.set_hearing_status(hearing, "published", by=clerk)


def test_every_decision_in_one_submission_then_published(client, municipality, group, clerk):
    client.force_login(clerk)
    assert saved(
        client.post(ADD_URL, hearing_form(municipality, protocol_rows(municipality, group)))
    )
    hearing = Hearing.objects.get()
    line = BudgetLineFactory(budget__municipality=municipality)
    decisions = {
        1: {
            "new_status": S.ACCEPTED_BUDGET,
            "decision_budget_line": line.pk,
            "decision_date": "2022-12-20",
        },
        2: {"new_status": S.PARTLY_ACCEPTED, "decision_text_ky": "Унаа 2024-жылы."},
        3: {"new_status": S.ANSWERED, "decision_text_ru": "В сентябре 2023 года."},
        4: {"new_status": S.REJECTED, "decision_text_ky": "Каражат жок."},
        5: {"new_status": S.ANSWERED, "decision_text_ky": "Декабрдагы сессияда."},
    }
    data = hearing_form(municipality, existing_rows(hearing, decisions), status="published")
    assert saved(client.post(change_url(hearing), data))
    hearing.refresh_from_db()
    items = list(hearing.proposals.order_by("protocol_number"))
    assert [p.status for p in items] == [d["new_status"] for d in decisions.values()]
    assert items[0].decided_on == datetime.date(2022, 12, 20)
    assert (items[0].budget_line, items[1].budget_line, items[1].priority) == (line, None, None)
    assert items[1].decision_ky == "Унаа 2024-жылы."
    assert all(p.events.last().by == clerk and p.decided_by == clerk for p in items)
    assert hearing.status == "published"
    # The hearing's own status changes are in its history too.
    assert list(hearing.events.values_list("from_status", "to_status", "by")) == [
        ("", "announced", clerk.pk),
        ("announced", "held", clerk.pk),
        ("held", "published", clerk.pk),
    ]


def test_a_wrong_decision_for_the_kind_is_refused_on_its_row(client, municipality, clerk):
    client.force_login(clerk)
    rows = [{**PROTOCOL[2], "new_status": S.ACCEPTED_BUDGET}]  # a question "accepted"
    response = client.post(ADD_URL, hearing_form(municipality, rows))
    assert set(row_errors(response, 0)) == {"new_status"}
    rows = [{**PROTOCOL[0], "decision_text_ky": "Чечимсиз текст"}]
    response = client.post(ADD_URL, hearing_form(municipality, rows))
    assert set(row_errors(response, 0)) == {"new_status"}
    assert not Proposal.objects.exists()


# --- 4. Corrections -------------------------------------------------------


@pytest.fixture
def slip(municipality, clerk):
    """A question typed in as a proposal, then "accepted"."""
    hearing = HearingFactory(municipality=municipality, status="held")
    proposal = ProposalFactory(
        municipality=municipality,
        hearing=hearing,
        origin="hearing",
        kind="proposal",
        text_ky="Мектеп автобусу качан болот?",
        submitted_at=hearing.starts_at,
    )
    line = BudgetLineFactory(budget__municipality=municipality)
    services.record_decision(proposal, S.ACCEPTED_BUDGET, target=line, by=clerk)
    return proposal


def test_a_decided_item_cannot_be_changed_on_the_hearings_page(client, slip, clerk):
    client.force_login(clerk)
    hearing = slip.hearing
    rows = existing_rows(hearing)
    rows[0].update(kind="question", new_status=S.ANSWERED, decision_text_ky="Жооп")
    assert saved(client.post(change_url(hearing), hearing_form(hearing.municipality, rows)))
    slip.refresh_from_db()
    assert (slip.kind, slip.status) == ("proposal", S.ACCEPTED_BUDGET)


def test_a_correction_needs_a_reason_and_is_kept_in_the_history(client, slip, clerk):
    client.force_login(clerk)
    url = f"/ky/admin/hearings/proposal/{slip.pk}/correct/"
    page = client.get(f"/ky/admin/hearings/proposal/{slip.pk}/change/").content.decode()
    assert f'href="{url}"' in page
    form = {
        "kind": "question",
        "status": S.ANSWERED,
        "decision_ky": "Автобус 2023-жылдын сентябрында келет.",
        "decided_on": "2023-01-10",
        "reason": "",
    }
    response = client.post(url, form)
    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"reason"}
    slip.refresh_from_db()
    assert slip.status == S.ACCEPTED_BUDGET
    form["reason"] = "Протоколдо бул суроо катары жазылган."
    assert client.post(url, form).status_code == 302
    slip.refresh_from_db()
    assert (slip.kind, slip.status, slip.decided_on) == (
        "question",
        S.ANSWERED,
        datetime.date(2023, 1, 10),
    )
    event = slip.events.last()
    assert (event.from_kind, event.to_kind) == ("proposal", "question")
    assert (event.from_status, event.to_status, event.by) == (S.ACCEPTED_BUDGET, S.ANSWERED, clerk)
    # Residents see that it was corrected, and why; never who did it.
    public = client.get(slip.get_absolute_url()).content.decode()
    assert "Протоколдо бул суроо катары жазылган." in public
    assert 'class="mb-2 correction"' in public
    assert "clerk" not in public and "Айгүл" not in public


def test_a_correction_must_fit_the_kind_and_change_something(slip, clerk):
    with pytest.raises(ValidationError) as error:
        services.correct_decision(
            slip, kind="question", status=S.REJECTED, decision_ky="x", reason="Ката", by=clerk
        )
    assert "status" in error.value.message_dict
    undecided = ProposalFactory(municipality=slip.municipality)
    with pytest.raises(ValidationError):
        services.correct_decision(
            undecided, kind="proposal", status=S.REJECTED, decision_ky="x", reason="Ката", by=clerk
        )
    assert not ProposalEvent.objects.exclude(correction_reason="").exists()


# --- 6. Small things ------------------------------------------------------


def test_items_stand_in_protocol_order(client, municipality, clerk):
    client.force_login(clerk)
    rows = [
        {**PROTOCOL[0], "protocol_number": "2"},
        {**PROTOCOL[1], "protocol_number": "1"},
        {**PROTOCOL[3]},  # gets the next free number
    ]
    assert saved(client.post(ADD_URL, hearing_form(municipality, rows)))
    hearing = Hearing.objects.get()
    numbers = dict(hearing.proposals.values_list("text_ky", "protocol_number"))
    assert numbers[PROTOCOL[1]["text_ky"]] == 1 and numbers[PROTOCOL[3]["text_ky"]] == 3
    admin_page = client.get(change_url(hearing)).content.decode()
    public_page = client.get(hearing.get_absolute_url()).content.decode()
    for page in (admin_page, public_page):
        assert (
            page.index(PROTOCOL[1]["text_ky"])
            < page.index(PROTOCOL[0]["text_ky"])
            < page.index(PROTOCOL[3]["text_ky"])
        )


def test_two_items_cannot_share_a_number_but_can_swap(client, municipality, clerk):
    client.force_login(clerk)
    rows = [{**PROTOCOL[0], "protocol_number": "1"}, {**PROTOCOL[1], "protocol_number": "1"}]
    response = client.post(ADD_URL, hearing_form(municipality, rows))
    assert set(row_errors(response, 1)) == {"protocol_number"}
    rows[1]["protocol_number"] = "2"
    assert saved(client.post(ADD_URL, hearing_form(municipality, rows)))
    hearing = Hearing.objects.get()
    swapped = existing_rows(hearing, {1: {"protocol_number": "2"}, 2: {"protocol_number": "1"}})
    assert saved(client.post(change_url(hearing), hearing_form(municipality, swapped)))
    numbers = dict(hearing.proposals.values_list("text_ky", "protocol_number"))
    assert numbers == {PROTOCOL[0]["text_ky"]: 2, PROTOCOL[1]["text_ky"]: 1}


def test_the_moderation_queue_shows_tracking_codes(client, municipality, clerk):
    client.force_login(clerk)
    waiting = ProposalFactory(municipality=municipality, status=S.AWAITING_MODERATION)
    page = client.get("/ky/admin/hearings/moderationqueue/").content.decode()
    assert waiting.display_code in page


def test_the_hearings_page_lists_partly_accepted_apart(client, municipality, clerk):
    hearing = HearingFactory(municipality=municipality)
    common = {"municipality": municipality, "hearing": hearing, "origin": "hearing"}
    line = BudgetLineFactory(budget__municipality=municipality)
    services.record_decision(ProposalFactory(**common), S.ACCEPTED_BUDGET, target=line, by=clerk)
    services.record_decision(ProposalFactory(**common), S.PARTLY_ACCEPTED, by=clerk)
    page = client.get("/ru/hearings/").content.decode()
    assert "принято: 1" in page and "частично: 1" in page


@pytest.mark.parametrize("items", [3, 30])
def test_the_hearings_admin_page_queries_do_not_grow(
    client, municipality, clerk, django_assert_max_num_queries, items
):
    hearing = HearingFactory(municipality=municipality)
    for number in range(1, items + 1):
        ProposalFactory(
            municipality=municipality, hearing=hearing, origin="hearing", protocol_number=number
        )
    client.force_login(clerk)
    with django_assert_max_num_queries(20):
        assert client.get(change_url(hearing)).status_code == 200


def test_hearing_events_are_listed_for_staff(client, municipality, clerk):
    hearing = HearingFactory(municipality=municipality, status="announced")
    HearingEvent.objects.create(hearing=hearing, from_status="", to_status="announced", by=clerk)
    client.force_login(clerk)
    assert 'id="events-group"' in client.get(change_url(hearing)).content.decode()


# --- 8. Content in one language only --------------------------------------


def test_text_in_one_language_is_shown_with_its_lang_and_a_note(client, municipality, clerk):
    hearing = HearingFactory(municipality=municipality, title_ru="")
    proposal = ProposalFactory(
        municipality=municipality,
        hearing=hearing,
        origin="hearing",
        text_ky="",
        text_ru="Отремонтировать мост в Ажеке.",
    )
    services.record_decision(
        proposal,
        S.ACCEPTED_BUDGET,
        target=BudgetLineFactory(budget__municipality=municipality),
        decision_ru="Включено.",
        by=clerk,
    )
    russian_page = client.get(f"/ru/proposals/{proposal.pk}/").content.decode()
    assert 'lang="ru"' not in russian_page.split("<main", 1)[1]  # the page's own language
    kyrgyz_page = client.get(f"/ky/proposals/{proposal.pk}/").content.decode()
    assert 'lang="ru">Отремонтировать мост в Ажеке.' in kyrgyz_page
    assert 'lang="ru"><p>Включено.</p>' in kyrgyz_page
    assert kyrgyz_page.count('class="only-in') == 2
    hearing_page = client.get(f"/ru/hearings/{hearing.pk}/").content.decode()
    assert f'<h1 class="h2" lang="ky">{hearing.title_ky}</h1>' in hearing_page
    assert 'class="only-in' in hearing_page


def test_a_group_named_in_one_language_says_so(client, municipality):
    group = InitiativeGroupFactory(
        municipality=municipality, name_ky="Таза суу", name_ru="", description_ru=""
    )
    page = client.get(f"/ru/groups/{group.slug}/").content.decode()
    assert '<h1 class="h2" lang="ky">Таза суу</h1>' in page
    assert 'class="only-in' in page
    listing = client.get("/ru/groups/").content.decode()
    assert 'lang="ky"><a href="/ru/groups/' in listing


@pytest.mark.parametrize(("missing", "expected"), [("ky", ["ru only"]), ("ru", ["ky only"])])
def test_admin_lists_filter_records_that_lack_a_translation(
    client, municipality, clerk, missing, expected
):
    HearingFactory(municipality=municipality, title_ky="", title_ru="ru only")
    HearingFactory(municipality=municipality, title_ky="ky only", title_ru="")
    HearingFactory(municipality=municipality, title_ky="both", title_ru="both")
    client.force_login(clerk)
    response = client.get(f"/ky/admin/hearings/hearing/?missing={missing}")
    shown = [h.title_ky or h.title_ru for h in response.context["cl"].result_list]
    assert shown == expected


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_a_hearing_entered_in_the_admin_shows_at_once_on_the_cached_public_list(
    client, municipality, group, clerk, language
):
    """The public list keeps its filter choices and the cards' names in the
    cache (portal/facts.py): the hearing a clerk enters, and its items with
    their village and group, show on the very next visit, in either admin."""
    client.get(f"/{language}/proposals/")  # the municipality's facts are cached
    client.force_login(clerk)
    form = hearing_form(municipality, protocol_rows(municipality, group), title_ru="Бюджет-2026")
    assert saved(client.post(f"/{language}/admin/hearings/hearing/add/", form))
    hearing = Hearing.objects.get()
    client.logout()
    page = client.get(f"/{language}/proposals/").content.decode()
    assert page.count('class="proposal card') == len(PROTOCOL)
    title = {"ky": "2023-жылдын бюджети боюнча угуу", "ru": "Бюджет-2026"}[language]
    assert f'<option value="{hearing.pk}">{title} (25.11.2022)</option>' in page
    assert f'href="/{language}/hearings/{hearing.pk}/">{title}</a>' in page
    assert f'href="/{language}/groups/{group.slug}/">' in page
