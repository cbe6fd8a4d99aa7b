"""A misspelt search word is compared with its municipality's own words,
which PostgreSQL keeps as the proposals are written (hearings.SearchWord)."""

import datetime

import psycopg
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from hearings import services
from hearings.models import Proposal, SearchWord
from tests.factories import MunicipalityFactory, ProposalFactory


def words(municipality):
    return {str(word) for word in SearchWord.objects.filter(municipality=municipality)}


def test_the_words_follow_the_texts_however_they_are_written(municipality, clerk):
    first = ProposalFactory(
        municipality=municipality, text_ky="Ак-Суудагы көпүрөнү оңдоо", text_ru="Мост"
    )
    other = MunicipalityFactory()
    ProposalFactory(municipality=other, text_ky="Мектеп салуу", text_ru="")
    # Joined words are kept as their parts, the way a search looks for them.
    assert words(municipality) == {"ак", "суудагы", "көпүрөнү", "оңдоо", "мост"}
    assert words(other) == {"мектеп", "салуу"}

    second = ProposalFactory(municipality=municipality, text_ky="Көпүрөнү боёо", text_ru="")
    # Edited: its old words go unless another proposal still has them.
    first.text_ky = "Жолду оңдоо"
    first.save()
    assert words(municipality) == {"жолду", "оңдоо", "мост", "көпүрөнү", "боёо"}
    Proposal.objects.filter(pk=first.pk).update(text_ru="Дорога")
    assert "мост" not in words(municipality) and "дорога" in words(municipality)
    # A decision's words count too.
    services.record_decision(
        first,
        status=Proposal.Status.DEFERRED,
        decided_on=datetime.date(2023, 4, 3),
        decision_ky="Бюджетке киргизилди",
        decision_ru="",
        by=clerk,
    )
    assert {"бюджетке", "киргизилди"} <= words(municipality)
    # Deleted: its words go with it, the other municipality's stay.
    second.delete()
    assert words(municipality) == {"жолду", "оңдоо", "дорога", "бюджетке", "киргизилди"}
    Proposal.objects.filter(municipality=municipality).delete()
    assert words(municipality) == set()
    assert words(other) == {"мектеп", "салуу"}


def test_a_proposal_moved_to_another_municipality_takes_its_words_along(municipality):
    proposal = ProposalFactory(municipality=municipality, text_ky="Сугат арык", text_ru="")
    other = MunicipalityFactory()
    Proposal.objects.filter(pk=proposal.pk).update(municipality=other)
    assert words(municipality) == set() and words(other) == {"сугат", "арык"}


def found(client, query, language="ky"):
    return client.get(f"/{language}/proposals/", {"q": query}).content.decode()


def test_a_misspelt_word_finds_the_proposals_it_was_meant_for(client, municipality):
    ProposalFactory(
        municipality=municipality,
        text_ky="Трансформаторду алмаштыруу керек",
        text_ru="Заменить трансформатор",
    )
    ProposalFactory(municipality=municipality, text_ky="Бакчага орун", text_ru="Места в саду")
    for query, language in [
        ("трансформатр", "ky"),
        ("ТРАНСФОРМАТОРДУ алмаштруу", "ky"),  # every word may be misspelt
        ("трансформтор", "ru"),
        ("заменть", "ru"),
    ]:
        content = found(client, query, language)
        assert "Трансформаторду алмаштыруу" in content or "Заменить трансформатор" in content, query
        assert "Бакчага орун" not in content and "Места в саду" not in content
    # Each word must be found: one like nothing there finds nothing.
    content = found(client, "трансформатр жапжаңы")
    assert "Трансформаторду" not in content
    with translation.override("ky"):
        assert gettext("Nothing matches. Try fewer words or other filters.") in content


def test_a_misspelt_word_finds_nothing_hidden_or_of_another_municipality(client, municipality):
    """The words list holds words of proposals not yet published: they may
    be looked for, but only public proposals of this municipality show."""
    ProposalFactory(
        municipality=municipality,
        status=Proposal.Status.AWAITING_MODERATION,
        origin="online",
        text_ky="Трансформаторду жашыруун алмаштыруу",
    )
    ProposalFactory(text_ky="Трансформаторду башка айылда алмаштыруу")
    content = found(client, "трансформатр")
    assert "жашыруун" not in content and "башка айылда" not in content


def test_misspelt_words_cost_two_queries_more_than_words_spelt_right(client, municipality):
    """However many words are misspelt: one query finds the words like
    each, one counts again."""
    ProposalFactory(municipality=municipality, text_ky="Трансформаторду алмаштыруу")
    found(client, "трансформатор")  # the page's facts, kept from here on
    with CaptureQueriesContext(connection) as right:
        assert "Трансформаторду" in found(client, "трансформатор алмаштыруу")
    with CaptureQueriesContext(connection) as typo:
        assert "Трансформаторду" in found(client, "трансформатр алмаштруу")
    assert len(typo) == len(right) + 2


def test_words_joined_by_dots_slashes_or_hyphens_are_found_each(client, municipality):
    """PostgreSQL's parser reads "ул.Ленина" as a host name and
    "мектеп/бакча" as a file: parted first, each word is found."""
    ProposalFactory(
        municipality=municipality,
        text_ky="Ж.Баласагын атындагы мектеп/бакча",
        text_ru="ул.Ленина, с.Айры-Там, 3.5 гектар",
    )
    ProposalFactory(municipality=municipality, text_ky="Башка сунуш", text_ru="Другое")
    for query in ["Баласагын", "бакча", "Ленина", "Айры", "Там", "Айры-Там", "с.Айры-Там", "5"]:
        content = found(client, query)
        assert "Ж.Баласагын атындагы" in content, query
        assert "Башка сунуш" not in content, query
    # And misspelt.
    assert "Ж.Баласагын атындагы" in found(client, "Баласагн")
    assert {"баласагын", "ленина", "айры", "там", "3", "5"} <= words(municipality)


def test_signs_that_are_not_letters_part_words_or_look_for_nothing(client, municipality):
    ProposalFactory(municipality=municipality, text_ky="Биринчи сунуш", text_ru="")
    ProposalFactory(municipality=municipality, text_ky="Экинчи сунуш", text_ru="")
    content = found(client, "экинчи_сунуш")
    assert "Экинчи сунуш" in content and "Биринчи сунуш" not in content
    whole = client.get("/ky/proposals/")
    for query in ["_", "½", "²", "«»", "?!"]:
        response = client.get("/ky/proposals/", {"q": query})
        assert response.status_code == 200
        assert response.context["page"].paginator.count == whole.context["page"].paginator.count


def test_emptying_the_proposals_empties_the_words(municipality):
    ProposalFactory(municipality=municipality, text_ky="Сугат арык", text_ru="")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the factory's checks, due at commit
        cursor.execute("TRUNCATE hearings_proposal CASCADE")
    assert words(municipality) == set()


def other_connection():
    """A connection of its own to the test database, for a second writer."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    return psycopg.connect(**params)


@pytest.mark.django_db(transaction=True)
def test_a_word_is_not_dropped_while_another_transaction_writes_it(municipality):
    """One writer of a municipality's words at a time: the delete waits for
    the transaction writing the same word, then sees it and keeps it."""
    old = ProposalFactory(municipality=municipality, text_ky="Сугат", text_ru="")
    other = ProposalFactory(municipality=municipality, text_ky="Башка", text_ru="")
    change = "UPDATE hearings_proposal SET text_ky = 'Сугат арык' WHERE id = %s"
    drop = "DELETE FROM hearings_proposal WHERE id = %s"
    with other_connection() as writing, other_connection() as deleting:
        writing.execute(change, [other.pk])
        deleting.execute("SET lock_timeout = '300ms'")
        with pytest.raises(psycopg.errors.LockNotAvailable):
            deleting.execute(drop, [old.pk])
        deleting.rollback()
        writing.commit()
        deleting.execute(drop, [old.pk])
        deleting.commit()
    assert words(municipality) == {"сугат", "арык"}


@pytest.mark.django_db(transaction=True)
def test_a_status_change_does_not_wait_for_the_words(municipality):
    """Only a row whose words changed takes the words' lock: a status
    change goes on while another transaction writes words."""
    proposal = ProposalFactory(municipality=municipality, text_ky="Сугат", text_ru="")
    with other_connection() as holding, other_connection() as updating:
        holding.execute(
            "SELECT pg_advisory_xact_lock(hashtext('hearings_searchword'), %s)",
            [municipality.pk],
        )
        updating.execute("SET lock_timeout = '300ms'")
        updating.execute(
            "UPDATE hearings_proposal SET status = 'review' WHERE id = %s", [proposal.pk]
        )
        updating.commit()
        updating.execute("SET lock_timeout = '300ms'")
        with pytest.raises(psycopg.errors.LockNotAvailable):
            updating.execute(
                "UPDATE hearings_proposal SET text_ky = 'Арык' WHERE id = %s", [proposal.pk]
            )
        updating.rollback()
        holding.rollback()


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_a_letter_typed_in_the_admin_is_found_by_a_misspelt_word(
    client, municipality, clerk, language
):
    """Staff's first path: the admin's add page, in either language. A
    refused submission adds no words; the saved letter's words are there
    for the next resident's search at once."""
    from tests.test_hearings import new_proposal

    client.force_login(clerk)
    add = f"/{language}/admin/hearings/proposal/add/"
    texts = {"text_ky": "Трансформаторду алмаштыруу", "text_ru": "Заменить трансформатор"}
    refused = client.post(add, new_proposal(municipality, **texts, origin=""))
    assert refused.status_code == 200 and refused.context["adminform"].form.errors
    assert words(municipality) == set()
    saved = client.post(add, new_proposal(municipality, **texts))
    assert saved.status_code == 302
    client.logout()
    content = found(client, "трансформатр", language)
    assert "Трансформаторду алмаштыруу" in content or "Заменить трансформатор" in content
